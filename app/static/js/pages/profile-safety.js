// The profile page's trust-and-safety sections: the people I blocked (with Unblock) and the
// reports I filed with what was decided.

import {api} from '../api.js';
import {h, emptyState} from '../dom.js';
import {displayName, label, relativeTime} from '../format.js';
import {pageHeader, pagedList} from '../components.js';
import {blockButton, reasonLabel} from '../safety.js';

function blockItem(block, reload) {
  const name = displayName(block.user);
  return h('li', {class: 'safety-item', dataset: {testid: 'blocked-user'}},
    h('div', {class: 'safety-item__body'},
      h('a', {href: `/users/${encodeURIComponent(block.user.username)}`, text: name}),
      h('span', {class: 'muted small', text: ` @${block.user.username} · blocked ${relativeTime(block.created_at)}`})),
    blockButton(block.user, {blocked: true, name, afterChange: reload}));
}

/** "People you blocked": each with Unblock. */
export function blocksSection(signal) {
  const results = h('div', {class: 'results'});
  const list = pagedList(results, {
    listClass: 'safety-list',
    fetchPage: (page) => api('GET', '/api/users/me/blocks', {signal, query: {page, per_page: 20}}),
    renderItem: (block) => blockItem(block, () => list.reload()),
    empty: () => emptyState('You have not blocked anyone.', 'Block someone from their profile or a conversation.'),
  });
  list.reload();
  return h('section', {class: 'card safety-section', dataset: {testid: 'blocks'}},
    h('h2', {class: 'section-title', text: 'People you blocked'}),
    h('p', {class: 'muted', text: 'Neither of you sees the other\u2019s posts or can message the other. They are not told.'}),
    results);
}

const DECISION_TEXTS = {
  dismiss: 'no action was needed',
  hide_post: 'the post was hidden',
  remove_post: 'the post was removed',
};

/** What a report was about, with a link where the client has a page for it. */
function reportTarget(report) {
  if (report.target_type === 'post') return h('a', {href: `/posts/${report.target_id}`, text: `Post #${report.target_id}`});
  if (report.target_type === 'message') return h('span', {text: 'A chat message'});
  return h('span', {text: `A user (#${report.target_id})`});
}

function reportItem(report) {
  const decided = report.status === 'decided';
  return h('li', {class: 'safety-item', dataset: {testid: 'my-report', reportId: report.id}},
    h('div', {class: 'safety-item__body'},
      h('p', {}, reportTarget(report), ` · ${reasonLabel(report.reason)} · ${relativeTime(report.created_at)}`),
      report.note ? h('p', {class: 'muted small', text: report.note}) : null,
      decided ? h('p', {class: 'small', text: `Decided ${relativeTime(report.decided_at)}: ${DECISION_TEXTS[report.decision] || label(report.decision)}.`}) : null),
    h('span', {class: `badge badge--${decided ? 'sold' : 'pending'}`, text: decided ? 'Decided' : 'Open'}));
}

/** "Your reports": newest first, open or decided; without its heading under a page's own. */
export function reportsSection(signal, {heading = true} = {}) {
  const results = h('div', {class: 'results'});
  pagedList(results, {
    listClass: 'safety-list',
    fetchPage: (page) => api('GET', '/api/users/me/reports', {signal, query: {page, per_page: 20}}),
    renderItem: reportItem,
    empty: () => emptyState('You have not reported anything.', 'Use Report on a post, a profile or a message when something is wrong.'),
  }).reload();
  return h('section', {class: 'card safety-section', dataset: {testid: 'my-reports'}, 'aria-label': heading ? null : 'Your reports'},
    heading ? h('h2', {class: 'section-title', text: 'Your reports'}) : null,
    results);
}

/** The page a "your report was decided" notification opens: my reports alone. */
export async function renderMyReports({view, signal, setTitle}) {
  setTitle('My reports');
  view.append(pageHeader('My reports', h('a', {class: 'btn btn--ghost', href: '/profile', text: 'Profile'})),
    reportsSection(signal, {heading: false}));
}
