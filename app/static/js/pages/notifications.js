// My notifications: newest first, unread ones marked, each linking to the page it is about.

import {api} from '../api.js';
import {h, emptyState} from '../dom.js';
import {relativeTime} from '../format.js';
import {actionButton, pageHeader, pagedList, showFlash} from '../components.js';

function notificationItem(notification) {
  return h('li', {class: ['card', 'notification', notification.read ? null : 'notification--unread'],
    dataset: {notificationId: notification.id, testid: 'notification'}},
    h('a', {class: 'notification__link', href: notification.link, text: notification.text}),
    h('p', {class: 'muted small', text: relativeTime(notification.created_at)}));
}

export async function renderNotifications({view, signal, setTitle}) {
  setTitle('Notifications');
  const results = h('div', {class: 'results'});
  let newestId = null;
  const markAll = actionButton('Mark all read', async () => {
    if (newestId === null) return;
    await api('POST', '/api/notifications/read', {json: {up_to: newestId}});
    showFlash('All notifications are read.');
    document.dispatchEvent(new CustomEvent('dibz:notifications-changed'));
    await list.reload();
  }, {variant: 'ghost', dataset: {testid: 'mark-all-read'}});
  view.append(pageHeader('Notifications', markAll), results);
  const list = pagedList(results, {
    listClass: 'stack',
    fetchPage: async (page) => {
      const body = await api('GET', '/api/notifications', {signal, query: {page, per_page: 20}});
      if (page === 1) newestId = body.items.length ? body.items[0].id : null;
      markAll.hidden = !body.unread;
      return body;
    },
    renderItem: notificationItem,
    empty: () => emptyState('Nothing new.', 'You will see dibs on your posts, answers to your dibs and unread messages here.'),
  });
  await list.reload();
}
