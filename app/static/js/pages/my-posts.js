// The seller's desk: each of my posts with its dibs queue (accept, decline, mark sold), the
// hand-over of the accepted dib (handover.js), how many watch it, and my expired posts to renew.

import {api, isAbort} from '../api.js';
import {h, replaceChildren, emptyState, errorState, loadingState} from '../dom.js';
import {displayName, label, price, relativeTime} from '../format.js';
import {getUser} from '../session.js';
import {navigate} from '../router.js';
import {actionButton, pageHeader, pagedList, postThumb, showFlash, statusBadge, watcherLine} from '../components.js';
import {holdSection} from '../handover.js';
import {moderationBadge, moderationNotice} from '../moderation-state.js';

const STATUS_FILTERS = [['', 'Active and sold'], ['available', 'Available'], ['pending', 'Pending'], ['sold', 'Sold'], ['withdrawn', 'Withdrawn']];

function buyerName(dib) {
  return displayName(dib.user);
}

/** Open (or find) the conversation with this buyer, from the queue. */
function messageButton(dib, post) {
  return actionButton('Message', async () => {
    const body = await api('POST', `/api/posts/${post.id}/conversations`, {json: {buyer_id: dib.user.id}});
    navigate(`/conversations/${body.conversation.id}`);
  }, {class: 'btn btn--ghost btn--small', dataset: {testid: 'message-buyer'}, 'aria-label': `Message ${buyerName(dib)}`});
}

function dibRow(dib, post, redraw) {
  const who = buyerName(dib);
  const open = post.status === 'available' || post.status === 'pending';
  const actions = [messageButton(dib, post)];
  if (dib.status === 'waiting' && post.status === 'available') {
    actions.push(actionButton('Accept', async () => {
      await api('POST', `/api/dibs/${dib.id}/accept`);
      showFlash(`You accepted ${who}'s dib. Arrange the hand-over, then mark it sold.`);
      await redraw();
    }, {class: 'btn btn--primary btn--small', dataset: {testid: 'accept-dib'}}));
  }
  // Once sold, the accepted dib is the record of the buyer: nothing is left to decline.
  if (open && (dib.status === 'waiting' || dib.status === 'accepted')) {
    actions.push(actionButton('Decline', async () => {
      await api('POST', `/api/dibs/${dib.id}/decline`);
      showFlash(`You declined ${who}'s dib.`);
      await redraw();
    }, {class: 'btn btn--ghost btn--small', dataset: {testid: 'decline-dib'}}));
  }
  const badgeText = dib.status === 'accepted' ? (post.status === 'sold' ? 'Bought it' : 'Accepted') : null;
  return h('li', {class: `queue__item queue__item--${dib.status}`, dataset: {dibId: dib.id}},
    h('span', {class: 'queue__position', text: `#${dib.position}`}),
    h('span', {class: 'queue__who'}, h('strong', {text: who}), h('span', {class: 'muted', text: ` @${dib.user.username} · ${relativeTime(dib.created_at)}`})),
    badgeText ? h('span', {class: 'badge badge--pending', text: badgeText}) : null,
    h('span', {class: 'queue__actions'}, actions));
}

/** The queue of one post, fetched when its card is drawn, after every action and when the
 * live stream says it changed (until the page's `signal` ends). */
function queueSection(post, onPostChanged, signal) {
  const box = h('div', {class: 'queue', dataset: {testid: 'queue'}});
  // The sale stays the queue's button below; the hold shows the deadline and the meet-up.
  const hold = holdSection(post.id, signal, {withSale: false, label: `Hand-over of ${post.title}`});
  const watchers = h('div', {class: 'my-post__watchers'});
  async function redraw() {
    replaceChildren(box, loadingState('Loading the queue…'));
    try {
      const [{items}, fresh, watch] = await Promise.all([
        api('GET', `/api/posts/${post.id}/dibs`, {signal}),
        api('GET', `/api/posts/${post.id}`, {signal}),
        api('GET', `/api/posts/${post.id}/watch`, {signal}),
        hold.reload(),
      ]);
      replaceChildren(watchers, watcherLine(watch.watchers));
      Object.assign(post, fresh.post);
      onPostChanged(post);
      const accepted = items.find((dib) => dib.status === 'accepted');
      replaceChildren(box,
        post.status === 'sold' && accepted
          ? h('p', {class: 'queue__sold', dataset: {testid: 'sold-to'}, text: `Sold to ${buyerName(accepted)}. Nice one!`})
          : null,
        items.length
          ? h('ol', {class: 'queue__list', 'aria-label': `Queue for ${post.title}`}, items.map((dib) => dibRow(dib, post, redraw)))
          : h('p', {class: 'muted queue__empty', text: post.status === 'sold' ? 'Sold. Nice one!' : 'No dibs yet.'}),
        accepted && post.status === 'pending'
          ? actionButton('Mark as sold', async () => {
            // Final: the rest of the queue is declined. Say who it goes to before it happens.
            if (!window.confirm(`Mark “${post.title}” as sold to ${buyerName(accepted)}? Everyone else in the queue will be declined.`)) return;
            await api('POST', `/api/posts/${post.id}/sold`);
            showFlash(`“${post.title}” is sold to ${buyerName(accepted)}.`);
            await redraw();
          }, {class: 'btn btn--primary btn--small', dataset: {testid: 'mark-sold'}})
          : null);
    } catch (error) {
      if (!isAbort(error)) replaceChildren(box, errorState(error, redraw));
    }
  }
  // Live: a dib called, cancelled or answered (here or in another tab), or a status change.
  function onLiveChange(event) {
    if (event.detail.post_id === post.id) redraw();
  }
  document.addEventListener('dibz:dib', onLiveChange, {signal});
  document.addEventListener('dibz:post', onLiveChange, {signal});
  document.addEventListener('dibz:hold', onLiveChange, {signal});
  redraw();
  return h('div', {}, watchers, hold.element, box);
}

function myPostCard(post, signal) {
  const badge = h('span', {}, statusBadge(post.status));
  const onPostChanged = (fresh) => replaceChildren(badge, statusBadge(fresh.status));
  const showQueue = post.status !== 'withdrawn';
  return h('li', {class: 'card my-post', dataset: {postId: post.id}},
    h('div', {class: 'my-post__head'},
      postThumb(post, 'small'),
      h('div', {class: 'my-post__title'},
        h('a', {href: `/posts/${post.id}`, class: 'my-post__link', text: post.title}),
        h('p', {class: 'muted'}, `${price(post.price_cents)} · ${label(post.category)} · `, badge)),
      h('a', {class: 'btn btn--ghost btn--small', href: `/posts/${post.id}/edit`, text: 'Edit'})),
    post.moderation_state ? h('p', {class: 'moderation-notice', dataset: {testid: 'moderation-notice'},
      text: `${post.moderation_state === 'removed' ? 'Removed by a moderator' : 'Hidden until a moderator reviews it'}: ${post.moderation_reason || 'it broke the Dibz rules'}. Nobody else can see it.`}) : null,
    showQueue ? queueSection(post, onPostChanged, signal) : null);
}

/** One expired post, one click from renewal; the API's refusal (at most once a week) shows
 * beside the button. */
function expiredCard(post, reload) {
  const error = h('p', {class: 'field__error expired-post__error', role: 'alert', hidden: true, dataset: {testid: 'renew-error'}});
  const renew = actionButton('Renew', async () => {
    error.hidden = true;
    try {
      await api('POST', `/api/posts/${post.id}/renew`);
    } catch (failure) {
      error.textContent = failure.message;
      error.hidden = false;
      return;
    }
    showFlash(`“${post.title}” is listed again, on top.`);
    await reload();
  }, {class: 'btn btn--primary btn--small', dataset: {testid: 'renew-post'}, 'aria-label': `Renew ${post.title}`});
  return h('li', {class: 'card my-post expired-post', dataset: {postId: post.id}},
    h('div', {class: 'my-post__head'},
      postThumb(post, 'small'),
      h('div', {class: 'my-post__title'},
        h('a', {href: `/posts/${post.id}`, class: 'my-post__link', text: post.title}),
        h('p', {class: 'muted'}, `${price(post.price_cents)} · ${label(post.category)} · `, statusBadge(post.status),
          ' ', h('span', {class: 'badge badge--expired', text: 'Expired'}))),
      renew),
    error);
}

/** "Expired": my posts out of browse and search, each with Renew; absent when there are none. */
function expiredSection(signal) {
  const section = h('section', {class: 'expired-posts', 'aria-labelledby': 'expired-heading', hidden: true, dataset: {testid: 'expired-posts'}});
  const results = h('div', {class: 'results'});
  const list = pagedList(results, {
    listClass: 'stack',
    fetchPage: async (page) => {
      const body = await api('GET', '/api/users/me/expired-posts', {signal, query: {page, per_page: 10}});
      section.hidden = !body.total;
      return body;
    },
    renderItem: (post) => expiredCard(post, reload),
    empty: () => null,
  });
  async function reload() {
    await list.reload();
    document.dispatchEvent(new CustomEvent('dibz:my-posts-changed'));
  }
  replaceChildren(section,
    h('h2', {class: 'section-title', id: 'expired-heading', text: 'Expired'}),
    h('p', {class: 'muted', text: 'These left browse and search. Renew one to list it again, on top (once a week).'}),
    results);
  return {element: section, reload: () => list.reload()};
}

/** One of my posts held back by moderation: what it is, its badge and why. */
function heldPostCard(post) {
  return h('li', {class: 'card my-post my-post--held', dataset: {postId: post.id}},
    h('div', {class: 'my-post__head'},
      postThumb(post, 'small'),
      h('div', {class: 'my-post__title'},
        h('a', {href: `/posts/${post.id}`, class: 'my-post__link', text: post.title}),
        h('p', {class: 'muted'}, `${price(post.price_cents)} · ${label(post.category)} · `, moderationBadge(post))),
      h('a', {class: 'btn btn--ghost btn--small', href: `/posts/${post.id}/edit`, text: 'Edit'})),
    moderationNotice(post));
}

/** My posts that the public lists leave out (waiting for review, hidden, removed); nothing
 * when there are none. */
async function heldPostsSection(signal) {
  const section = h('section', {class: 'held-posts', 'aria-labelledby': 'held-posts-title', hidden: true,
    dataset: {testid: 'my-held-posts'}});
  try {
    const body = await api('GET', '/api/users/me/moderated-posts', {signal, query: {per_page: 50}});
    if (body.items.length) {
      section.append(h('h2', {class: 'section-title', id: 'held-posts-title', text: 'Not listed: moderation'}),
        h('ul', {class: 'stack'}, body.items.map(heldPostCard)));
      section.hidden = false;
    }
  } catch (error) {
    if (isAbort(error)) throw error;
  }
  return section;
}

export async function renderMyPosts({view, query, signal, setTitle}) {
  setTitle('My posts');
  const user = getUser();
  const status = query.get('status') || '';
  const onePost = query.get('post');
  const results = h('div', {class: 'results'});
  if (onePost) {
    // "Manage queue" on a post opens here: that post and its queue alone.
    view.append(pageHeader('My posts', h('a', {class: 'btn btn--ghost', href: '/my-posts', text: 'All my posts'})), results);
    replaceChildren(results, loadingState('Loading the queue…'));
    const {post} = await api('GET', `/api/posts/${encodeURIComponent(onePost)}`, {signal});
    if (post.seller.id !== user.id) {
      replaceChildren(results, errorState({message: 'This post is not yours.'}));
      return;
    }
    replaceChildren(results, h('ul', {class: 'stack'}, myPostCard(post, signal)));
    return;
  }
  const tabs = h('nav', {class: 'tabs', 'aria-label': 'Filter my posts'}, STATUS_FILTERS.map(([value, text]) =>
    h('a', {class: 'tabs__tab', href: value ? `/my-posts?status=${value}` : '/my-posts', text,
      'aria-current': value === status ? 'page' : null})));
  const expired = expiredSection(signal);
  view.append(pageHeader('My posts', h('a', {class: 'btn btn--primary', href: '/posts/new', text: 'Sell something'})),
    await heldPostsSection(signal), expired.element, tabs, results);
  const posts = pagedList(results, {
    listClass: 'stack',
    fetchPage: (page) => api('GET', `/api/users/${encodeURIComponent(user.username)}/posts`,
      {signal, query: {status, page, per_page: 10}}),
    renderItem: (post) => myPostCard(post, signal),
    empty: () => emptyState('You have no posts here yet.', 'Sell a textbook, a bike, a desk — anything students need.',
      h('a', {class: 'btn btn--primary', href: '/posts/new', text: 'Create a post'})),
  });
  // A renewed post moves from Expired back to the list.
  document.addEventListener('dibz:my-posts-changed', () => posts.reload(), {signal});
  await Promise.all([expired.reload(), posts.reload()]);
}
