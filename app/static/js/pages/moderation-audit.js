// The moderation audit log (admins): every action, newest first, filtered by action, target
// type and moderator.

import {api} from '../api.js';
import {h, emptyState} from '../dom.js';
import {AUDIT_ACTIONS, date, label, time} from '../format.js';
import {field} from '../forms.js';
import {replaceQuery} from '../router.js';
import {getUser} from '../session.js';
import {pageHeader, pagedList} from '../components.js';
import {isAdmin} from '../safety.js';
import {forbiddenPage} from './moderation.js';

const TARGET_TYPES = ['post', 'user', 'message'];
const FILTERS = ['action', 'target_type', 'moderator_id'];

/** Who acted: a moderator's id, the automatic hide, or an operator at the command line. */
function actorText(entry) {
  if (entry.moderator_id !== null) return `moderator #${entry.moderator_id}`;
  return entry.action === 'auto_hide' ? 'automatically (enough reports)' : 'an operator (manage.py)';
}

function targetLink(entry) {
  const text = `${label(entry.target_type)} #${entry.target_id}`;
  return entry.target_type === 'post' ? h('a', {href: `/posts/${entry.target_id}`, text}) : h('span', {text});
}

function auditItem(entry) {
  return h('li', {class: 'audit-entry', dataset: {testid: 'audit-entry', action: entry.action}},
    h('p', {class: 'audit-entry__head'},
      h('strong', {text: label(entry.action)}), ' · ', targetLink(entry), ` · by ${actorText(entry)}`),
    h('p', {class: 'muted small', text: `${date(entry.created_at)} ${time(entry.created_at)}`}),
    entry.reason ? h('p', {class: 'audit-entry__reason', text: entry.reason}) : null);
}

export async function renderModerationAudit({view, query, signal, setTitle}) {
  if (!isAdmin(getUser())) {
    return forbiddenPage(view, setTitle, 'The audit log is for Dibz admins.');
  }
  setTitle('Audit log');
  const filters = h('form', {class: 'form filters audit-filters', novalidate: true, role: 'search', 'aria-label': 'Filter the audit log'},
    field('action', 'Action', {kind: 'select', value: query.get('action') || '',
      options: [['', 'Every action'], ...AUDIT_ACTIONS.map((action) => [action, label(action)])]}),
    field('target_type', 'About', {kind: 'select', value: query.get('target_type') || '',
      options: [['', 'Anything'], ...TARGET_TYPES.map((type) => [type, label(type)])]}),
    field('moderator_id', 'Moderator id', {type: 'number', inputmode: 'numeric', value: query.get('moderator_id') || ''}),
    h('button', {class: 'btn btn--primary btn--small', type: 'submit', text: 'Filter'}));
  const results = h('div', {class: 'results', dataset: {testid: 'audit-log'}});
  const current = () => Object.fromEntries(FILTERS.map((name) => [name, filters.elements[name].value.trim()]));
  const list = pagedList(results, {
    listClass: 'stack audit-list',
    fetchPage: (page) => api('GET', '/api/moderation/audit', {signal, query: {...current(), page, per_page: 25}}),
    renderItem: auditItem,
    empty: () => emptyState('Nothing in the log matches.', 'Every decision, warning, suspension and lift lands here.'),
  });
  filters.addEventListener('submit', (event) => {
    event.preventDefault();
    replaceQuery(current());
    list.reload();
  }, {signal});
  view.append(pageHeader('Audit log', h('a', {class: 'btn btn--ghost', href: '/moderation', text: 'Open reports'})),
    h('p', {class: 'muted', text: 'Append-only: who did what, to which target, why and when.'}),
    filters, results);
  await list.reload();
}
