// The moderation console (moderators and admins): open reports grouped by target with what was
// reported, the decisions on a target, and warnings, suspensions and bans of an account.

import {api} from '../api.js';
import {h, replaceChildren, emptyState} from '../dom.js';
import {LIMITS, date, displayName, label, price, relativeTime, time} from '../format.js';
import {clearErrors, field, showErrors, showFormMessage} from '../forms.js';
import {getUser} from '../session.js';
import {actionButton, pageHeader, pagedList, showFlash} from '../components.js';
import {formActionButton, isAdmin, isModerator, reasonLabel} from '../safety.js';

/** The page a student gets at a moderators' address: what it is, and that it is not theirs. */
export function forbiddenPage(view, setTitle, text) {
  setTitle('Moderators only');
  replaceChildren(view, h('section', {class: 'not-found card', dataset: {testid: 'forbidden'}},
    h('h1', {class: 'page-title', text: 'Moderators only'}),
    h('p', {class: 'muted', text}),
    h('p', {}, h('a', {class: 'btn btn--primary', href: '/', text: 'Browse posts'}))));
}

function reasonField(hint) {
  return field('reason', 'Reason', {kind: 'textarea', rows: '2', maxlength: LIMITS.decision_reason_max_length, hint});
}

function daysField() {
  return field('days', 'Days of suspension', {type: 'number', max: String(LIMITS.suspension_max_days),
    value: '7', inputmode: 'numeric'});
}

/** Warn, suspend for N days or ban `account` ({id, username, …}); lift when `withLift`. */
function accountButtons(form, account, done, {withLift = false} = {}) {
  const handle = `@${account.username}`;
  const path = `/api/moderation/users/${account.id}`;
  const days = () => Number(form.elements.days.value);
  const buttons = [
    formActionButton(form, `Warn ${handle}`, async (reason) => {
      await api('POST', `${path}/warning`, {json: {reason}});
      await done();
      return `${handle} is warned.`;
    }, {testid: 'warn-user'}),
    formActionButton(form, `Suspend ${handle}`, async (reason) => {
      const {user} = await api('POST', `${path}/suspension`, {json: {days: days(), reason}});
      await done();
      return `${handle} is suspended until ${date(user.suspended_until)} ${time(user.suspended_until)}.`;
    }, {question: () => `Suspend ${handle} for ${days()} days? Every session of theirs ends now and their posts are hidden.`,
      testid: 'suspend-user'}),
    formActionButton(form, `Ban ${handle}`, async (reason) => {
      await api('POST', `${path}/suspension`, {json: {ban: true, reason}});
      await done();
      return `${handle} is banned.`;
    }, {question: () => `Ban ${handle}? Every session of theirs ends now, and they cannot log in until a moderator lifts it.`,
      variant: 'danger', testid: 'ban-user'}),
  ];
  if (withLift) {
    buttons.push(formActionButton(form, `Lift ${handle}'s suspension`, async (reason) => {
      await api('DELETE', `${path}/suspension`, {json: reason ? {reason} : undefined});
      await done();
      return `${handle} can log in again.`;
    }, {question: () => `Lift the suspension or ban of ${handle}?`, testid: 'lift-suspension'}));
  }
  return buttons;
}

/** The post as it was reported (the snapshot), with a link to it as it is now. */
function postSnapshot(item) {
  const post = item.snapshot;
  return [
    h('dl', {class: 'facts'},
      h('dt', {text: 'Title'}), h('dd', {text: post.title}),
      h('dt', {text: 'Price'}), h('dd', {text: price(post.price_cents)}),
      h('dt', {text: 'Category'}), h('dd', {text: `${label(post.category)} · ${label(post.condition)}`}),
      h('dt', {text: 'Status then'}), h('dd', {text: label(post.status)}),
      h('dt', {text: 'Description'}), h('dd', {class: 'moderation-item__text', text: post.description})),
    h('p', {}, h('a', {href: `/posts/${item.target_id}`, text: 'Open the post as it is now'})),
  ];
}

function userSnapshot(item) {
  const user = item.snapshot;
  return [
    h('p', {}, h('strong', {text: user.display_name || user.username}), ` @${user.username}`),
    user.bio ? h('p', {class: 'moderation-item__text', text: user.bio}) : null,
    h('p', {}, h('a', {href: `/users/${encodeURIComponent(user.username)}`, text: 'Open the profile'})),
  ];
}

/** The reported message with the five before and after it, the reported one marked. */
function messageContext(item) {
  const names = {[item.target_user.id]: displayName(item.target_user)};
  for (const report of item.reports) names[report.reporter.id] = displayName(report.reporter);
  return h('ol', {class: 'context-thread', 'aria-label': 'The conversation around the reported message'},
    (item.context || []).map((message) => {
      const reported = message.id === item.target_id;
      return h('li', {class: `context-message${reported ? ' context-message--reported' : ''}`,
        dataset: reported ? {testid: 'reported-message'} : null},
      h('p', {class: 'small muted'}, `${names[message.sender_id] || 'The other person'} · ${relativeTime(message.created_at)}`,
        reported ? h('strong', {class: 'context-message__flag', text: ' · Reported'}) : null),
      h('p', {class: 'moderation-item__text', text: message.body}));
    }));
}

function reasonsLine(item) {
  const count = item.report_count;
  const reasons = Object.entries(item.reasons).map(([reason, times]) => `${reasonLabel(reason)} ×${times}`).join(', ');
  return `${count} open ${count === 1 ? 'report' : 'reports'}: ${reasons}. About @${item.target_user.username}.`;
}

const TARGET_TITLES = {
  post: (item) => `Post: ${item.snapshot.title}`,
  user: (item) => `User: ${displayName(item.target_user)}`,
  message: (item) => `Message from ${displayName(item.target_user)}`,
};

/** One target of the queue: what was reported, by whom and why, and what can be done. */
function queueItem(item, reload) {
  const form = h('form', {class: 'form moderation-actions', novalidate: true},
    reasonField('Told to the seller or the user; the audit log keeps it.'), daysField());
  const decide = (action, text, question) => formActionButton(form, text, async (reason) => {
    const path = `/api/moderation/targets/${item.target_type}/${item.target_id}/decision`;
    const body = await api('POST', path, {json: {action, reason: reason || undefined}});
    await reload();
    return `Decided ${body.decided} ${body.decided === 1 ? 'report' : 'reports'}: ${label(action)}.`;
  }, {question, variant: action === 'dismiss' ? 'ghost' : 'danger', testid: `decide-${action}`});
  const title = item.target_type === 'post' ? item.snapshot.title : displayName(item.target_user);
  const decisions = [decide('dismiss', 'Dismiss')];
  if (item.target_type === 'post') {
    decisions.push(decide('hide_post', 'Hide post', () => `Hide “${title}”? It leaves every list and its seller is told why.`),
      decide('remove_post', 'Remove post', () => `Remove “${title}” for good? Its seller is told why.`));
  }
  form.append(
    h('div', {class: 'button-row'}, h('span', {class: 'moderation-actions__label', text: 'Decide:'}), decisions),
    h('div', {class: 'button-row'}, h('span', {class: 'moderation-actions__label', text: 'Account:'}),
      accountButtons(form, item.target_user, reload)));
  const view = {post: postSnapshot, user: userSnapshot, message: messageContext}[item.target_type](item);
  return h('li', {class: 'card moderation-item', dataset: {testid: 'queue-item', targetType: item.target_type, targetId: item.target_id}},
    h('h3', {class: 'moderation-item__title', text: TARGET_TITLES[item.target_type](item)}),
    h('p', {class: 'moderation-item__reasons', text: reasonsLine(item)}),
    h('div', {class: 'moderation-item__target'}, view),
    h('h4', {class: 'moderation-item__subtitle', text: 'Reports'}),
    h('ul', {class: 'moderation-reports'}, item.reports.map((report) => h('li', {},
      h('strong', {text: reasonLabel(report.reason)}),
      ` by ${displayName(report.reporter)} · ${relativeTime(report.created_at)}`,
      report.note ? h('span', {class: 'moderation-item__text'}, ` — “${report.note}”`) : null))),
    form);
}

/** One suspended or banned account, with Lift. */
function suspendedAccount(account, reload) {
  const handle = `@${account.username}`;
  const until = account.suspended_until ? `Suspended until ${date(account.suspended_until)} ${time(account.suspended_until)}` : 'Banned';
  return h('li', {class: 'safety-item', dataset: {testid: 'suspended-account'}},
    h('div', {class: 'safety-item__body'},
      h('p', {}, h('a', {href: `/users/${encodeURIComponent(account.username)}`, text: handle}), ` · ${until}`),
      account.suspension_reason ? h('p', {class: 'muted small', text: account.suspension_reason}) : null),
    actionButton('Lift', async () => {
      if (!window.confirm(`Lift the ${account.suspended_until ? 'suspension' : 'ban'} of ${handle}? They can log in again at once.`)) return;
      await api('DELETE', `/api/moderation/users/${account.id}/suspension`);
      showFlash(`${handle} can log in again.`);
      await reload();
    }, {variant: 'ghost', class: 'btn btn--ghost btn--small', 'aria-label': `Lift the suspension of ${handle}`,
      dataset: {testid: 'lift-suspension'}}));
}

/** The accounts suspended or banned now. */
function suspensionsSection(signal) {
  const results = h('div', {class: 'results'});
  const list = pagedList(results, {
    listClass: 'safety-list',
    fetchPage: (page) => api('GET', '/api/moderation/suspensions', {signal, query: {page, per_page: 20}}),
    renderItem: (account) => suspendedAccount(account, () => list.reload()),
    empty: () => emptyState('Nobody is suspended or banned.'),
  });
  return {list, section: h('section', {class: 'card account-tool', dataset: {testid: 'suspensions'}},
    h('h2', {class: 'section-title', text: 'Suspended and banned accounts'}),
    results)};
}

/** Find an account by username, to warn, suspend, ban or lift outside the queue. */
function accountTool(signal, accountsChanged) {
  const result = h('div', {class: 'account-tool__result'});
  const lookup = h('form', {class: 'form account-tool__lookup', novalidate: true, role: 'search'},
    field('username', 'Username', {autocomplete: 'off', required: true}),
    h('button', {class: 'btn btn--primary btn--small', type: 'submit', text: 'Find'}));
  lookup.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(lookup);
    const username = lookup.elements.username.value.trim().replace(/^@/, '');
    if (!username) return showFormMessage(lookup, 'Type a username.');
    try {
      const {user} = await api('GET', `/api/users/${encodeURIComponent(username)}`, {signal});
      const form = h('form', {class: 'form moderation-actions', novalidate: true, dataset: {testid: 'account-actions'}},
        h('p', {}, h('strong', {text: displayName(user)}), ` @${user.username} · `,
          h('a', {href: `/users/${encodeURIComponent(user.username)}`, text: 'profile'})),
        reasonField('Told to the user; the audit log keeps it.'), daysField());
      form.append(h('div', {class: 'button-row'}, accountButtons(form, user, accountsChanged, {withLift: true})));
      replaceChildren(result, form);
    } catch (error) {
      showErrors(lookup, error);
    }
  }, {signal});
  return h('section', {class: 'card account-tool', dataset: {testid: 'account-tool'}},
    h('h2', {class: 'section-title', text: 'An account'}),
    h('p', {class: 'muted', text: 'Warn, suspend, ban, or lift a suspension of anyone, by username.'}),
    lookup, result);
}

export async function renderModeration({view, signal, setTitle}) {
  const user = getUser();
  if (!isModerator(user)) {
    return forbiddenPage(view, setTitle, 'The moderation console is for Dibz moderators. Ask an admin if you should be one.');
  }
  setTitle('Moderation');
  const results = h('div', {class: 'results', dataset: {testid: 'queue'}});
  const list = pagedList(results, {
    listClass: 'stack',
    fetchPage: (page) => api('GET', '/api/moderation/queue', {signal, query: {page, per_page: 10}}),
    renderItem: (item) => queueItem(item, () => Promise.all([list.reload(), suspensions.list.reload()])),
    empty: () => emptyState('No open reports.', 'Every report has been decided. Nice work.'),
  });
  const suspensions = suspensionsSection(signal);
  view.append(
    pageHeader('Moderation', isAdmin(user) ? h('a', {class: 'btn btn--ghost', href: '/moderation/audit', text: 'Audit log'}) : null),
    h('section', {class: 'moderation-queue', 'aria-labelledby': 'moderation-queue-title'},
      h('h2', {class: 'section-title', id: 'moderation-queue-title', text: 'Open reports'}),
      h('p', {class: 'muted', text: 'Grouped by what they are about, most reported first. You cannot decide a case about yourself.'}),
      results),
    suspensions.section,
    accountTool(signal, () => suspensions.list.reload()));
  await Promise.all([list.reload(), suspensions.list.reload()]);
}
