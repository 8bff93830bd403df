// My dibs: where I stand in each queue, the post's status, and the hand-over of an accepted
// dib (its hold and meet-up, handover.js), live through dibz:dib, dibz:post and dibz:hold.

import {api} from '../api.js';
import {h, emptyState} from '../dom.js';
import {label, price, relativeTime} from '../format.js';
import {actionButton, pageHeader, pagedList, postThumb, showFlash, statusBadge} from '../components.js';
import {holdSection} from '../handover.js';

/** What is true for this buyer now: the dib's status read together with the post's. */
function dibText(dib) {
  const postStatus = dib.post.status;
  if (dib.status === 'accepted') {
    return postStatus === 'sold' ? 'You bought this. Enjoy it!' : 'The seller accepted your dib — arrange the hand-over.';
  }
  if (dib.status === 'waiting' && dib.position === 1 && postStatus === 'available') {
    return "You're #1 in the queue. The seller can accept your dib now.";
  }
  if (dib.status === 'waiting') return `You're #${dib.position} in the queue.`;
  if (dib.status === 'declined') {
    if (postStatus === 'sold') return 'Sold to someone else.';
    if (postStatus === 'withdrawn') return 'The seller withdrew this post.';
    return 'The seller declined this dib.';
  }
  return 'You cancelled this dib.';
}

function dibCard(dib, reload, signal) {
  const post = dib.post;
  const live = dib.status === 'waiting' || dib.status === 'accepted';
  // The hand-over of an accepted dib: its hold, deadline and meet-up.
  const hold = dib.status === 'accepted' && post.status === 'pending'
    ? holdSection(post.id, signal, {label: `Hand-over of ${post.title}`}) : null;
  if (hold) hold.reload();
  return h('li', {class: 'card my-dib', dataset: {dibId: dib.id, postId: post.id}},
    postThumb(post, 'small'),
    h('div', {class: 'my-dib__body'},
      h('a', {class: 'my-post__link', href: `/posts/${post.id}`, text: post.title}),
      h('p', {class: 'muted'}, `${price(post.price_cents)} · ${label(post.category)} · `, statusBadge(post.status)),
      h('p', {class: `dib-status dib-status--${dib.status}`, dataset: {testid: 'dib-status'}, text: dibText(dib)}),
      h('p', {class: 'muted small', text: `Called ${relativeTime(dib.created_at)}`}),
      hold ? hold.element : null),
    live && post.status !== 'sold' && !hold
      ? actionButton('Cancel', async () => {
        await api('DELETE', `/api/posts/${post.id}/dibs`);
        showFlash('Your dib is cancelled.');
        reload();
      }, {class: 'btn btn--ghost btn--small'})
      : null);
}

export async function renderMyDibs({view, signal, setTitle}) {
  setTitle('My dibs');
  const results = h('div', {class: 'results'});
  // The watchlist and saved searches live beside my dibs (the navigation has no room for them).
  view.append(pageHeader('My dibs', h('a', {class: 'btn btn--ghost', href: '/watchlist', text: 'My watchlist'}),
    h('a', {class: 'btn btn--ghost', href: '/saved-searches', text: 'Saved searches'})), results);
  const list = pagedList(results, {
    listClass: 'stack',
    fetchPage: (page) => api('GET', '/api/users/me/dibs', {signal, query: {page, per_page: 20}}),
    renderItem: (dib) => dibCard(dib, () => list.reload(), signal),
    empty: () => emptyState('You have not called dibs on anything yet.', 'Find something you like and call dibs to get in line.',
      h('a', {class: 'btn btn--primary', href: '/', text: 'Browse posts'})),
  });
  // Live: accepted, declined, a new place in the queue, or the post changed status.
  // And the hand-over: a hold started or ended, a meet-up proposed or confirmed, my turn came.
  for (const type of ['dibz:dib', 'dibz:post', 'dibz:hold']) document.addEventListener(type, () => list.reload(), {signal});
  await list.reload();
}
