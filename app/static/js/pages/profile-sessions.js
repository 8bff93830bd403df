// "Where you're logged in": my login sessions, with a way to end any but this one, or all others.
// (Its buttons say "End", not "Log out": the header's Log out button must stay the only one.)

import {api} from '../api.js';
import {h, replaceChildren, emptyState, errorState, loadingState} from '../dom.js';
import {date, relativeTime} from '../format.js';
import {actionButton, showFlash} from '../components.js';

/** A short name for a User-Agent header: the browser and the system, when recognisable. */
export function deviceName(userAgent) {
  const text = userAgent || '';
  const browser = [['Edg/', 'Edge'], ['Firefox/', 'Firefox'], ['Chrome/', 'Chrome'], ['Safari/', 'Safari']]
    .find(([token]) => text.includes(token));
  const system = [['Android', 'Android'], ['iPhone', 'iPhone'], ['iPad', 'iPad'], ['Windows', 'Windows'],
    ['Mac OS X', 'macOS'], ['Linux', 'Linux']].find(([token]) => text.includes(token));
  if (browser && system) return `${browser[1]} on ${system[1]}`;
  if (browser || system) return (browser || system)[1];
  return text ? text.slice(0, 60) : 'Unknown device';
}

function sessionItem(session, reload) {
  return h('li', {class: 'session', dataset: {sessionId: session.id, testid: 'session'}},
    h('div', {class: 'session__body'},
      h('p', {class: 'session__device'}, deviceName(session.user_agent),
        session.current ? h('span', {class: 'badge badge--available', text: 'This device'}) : null),
      h('p', {class: 'session__meta muted'},
        [session.address || 'Unknown network',
          `signed in ${date(session.created_at)}`,
          `last active ${relativeTime(session.last_seen_at)}`].join(' · '))),
    session.current ? null : actionButton('End session', async () => {
      await api('DELETE', `/api/auth/sessions/${session.id}`);
      showFlash('That session has ended.');
      reload();
    }, {variant: 'ghost', 'aria-label': `End session on ${deviceName(session.user_agent)}`}));
}

/** The section for the profile page; loads the list itself. */
export function sessionsSection() {
  const list = h('div', {class: 'sessions__list'});
  const section = h('section', {class: 'card sessions', dataset: {testid: 'sessions'}},
    h('h2', {class: 'section-title', text: 'Where you\u2019re logged in'}),
    h('p', {class: 'muted', text: 'End any session you do not recognise. Changing your password ends all the others.'}),
    list,
    actionButton('End all other sessions', async () => {
      const body = await api('POST', '/api/auth/sessions/revoke-others');
      showFlash(body.ended === 1 ? '1 other session ended.' : `${body.ended} other sessions ended.`);
      load();
    }, {variant: 'ghost'}));

  async function load() {
    replaceChildren(list, loadingState());
    try {
      const body = await api('GET', '/api/auth/sessions');
      if (!body.items.length) {
        replaceChildren(list, emptyState('No sessions.'));
        return;
      }
      replaceChildren(list, h('ul', {class: 'sessions__items'}, body.items.map((session) => sessionItem(session, load))));
    } catch (error) {
      replaceChildren(list, errorState(error, load));
    }
  }

  load();
  return section;
}
