// One post: photos, details, the dibs button with my place in the queue, a chat with the seller,
// the heart, and the hand-over once a dib is accepted (handover.js), kept live by dibz:hold.

import {api, isAbort} from '../api.js';
import {h, replaceChildren, errorState, loadingState} from '../dom.js';
import {date, displayName, initial, label, price} from '../format.js';
import {getPreviousLocation, navigate} from '../router.js';
import {getUser} from '../session.js';
import {actionButton, heartButton, showFlash, statusBadge, verifiedBadge, watcherLine} from '../components.js';
import {holdSection} from '../handover.js';
import {ratingBadge} from '../ratings.js';
import {reportButton} from '../safety.js';
import {moderationBadge, moderationNotice} from '../moderation-state.js';

function gallery(post, signal) {
  if (!post.images.length) {
    return h('div', {class: 'gallery gallery--empty'},
      h('div', {class: 'thumb thumb--hero thumb--empty', text: initial(post.title)}),
      h('p', {class: 'muted', text: 'No photos yet.'}));
  }
  const main = h('img', {class: 'gallery__main', src: post.images[0].url, alt: post.title});
  if (post.images.length < 2) return h('div', {class: 'gallery'}, main);
  const thumbs = h('div', {class: 'gallery__thumbs'}, post.images.map((image, index) => {
    const thumb = h('button', {class: 'gallery__thumb', type: 'button', 'aria-label': `Photo ${index + 1}`,
      'aria-pressed': index === 0 ? 'true' : 'false'}, h('img', {src: image.thumb_url, alt: ''}));
    thumb.addEventListener('click', () => {
      main.src = image.url;
      for (const other of thumbs.children) other.setAttribute('aria-pressed', 'false');
      thumb.setAttribute('aria-pressed', 'true');
    }, {signal});
    return thumb;
  }));
  return h('div', {class: 'gallery'}, main, thumbs);
}

/** The buyer's panel: call dibs, or my place in the queue and a cancel button. */
function dibsPanel(post, panel) {
  const user = getUser();
  if (!user) {
    return replaceChildren(panel, queueLengthLine(post), h('p', {class: 'muted', text: 'Log in to call dibs or message the seller.'}),
      h('a', {class: 'btn btn--primary btn--block', href: `/login?next=/posts/${post.id}`, text: 'Log in to call dibs'}));
  }
  if (user.id === post.seller.id) return drawSellerPanel(post, panel);
  replaceChildren(panel, loadingState('Checking the queue…'));
  return drawBuyerQueue(post, panel);
}

function queueLengthLine(post) {
  const count = post.dibs_count || 0;
  const text = post.status === 'sold' ? 'This item is sold.'
    : count ? `${count} ${count === 1 ? 'person is' : 'people are'} in the queue.` : 'Nobody has called dibs yet.';
  return h('p', {class: 'queue-status', dataset: {testid: 'queue-position'}, text});
}

/** The seller's panel: what is true of their post now (open queue, or sold to whom). */
async function drawSellerPanel(post, panel) {
  if (post.status === 'sold') {
    const {items} = await api('GET', `/api/posts/${post.id}/dibs`);
    const buyer = items.find((dib) => dib.status === 'accepted');
    const name = buyer ? displayName(buyer.user) : 'a buyer';
    return replaceChildren(panel, h('p', {class: 'queue-status', dataset: {testid: 'queue-position'}, text: `You sold this to ${name}.`}),
      reviewLink(post, 'Review the buyer'));
  }
  if (post.status === 'withdrawn') {
    return replaceChildren(panel, h('p', {class: 'queue-status', dataset: {testid: 'queue-position'}, text: 'You withdrew this post.'}));
  }
  const count = post.dibs_count;
  const {watchers} = await api('GET', `/api/posts/${post.id}/watch`).catch(() => ({watchers: null}));
  return replaceChildren(panel,
    h('p', {class: 'queue-status', dataset: {testid: 'queue-position'},
      text: `This is your post. ${count ? `${count} in the queue.` : 'Nobody is in the queue yet.'}`}),
    watcherLine(watchers),
    h('div', {class: 'button-row'},
      h('a', {class: 'btn btn--primary', href: `/posts/${post.id}/edit`, text: 'Edit post'}),
      h('a', {class: 'btn btn--ghost', href: `/my-posts?post=${post.id}`, text: 'Manage queue'})));
}

function cancelDibButton(post, panel) {
  return actionButton('Cancel my dib', async () => {
    await api('DELETE', `/api/posts/${post.id}/dibs`);
    showFlash('Your dib is cancelled.');
    return drawBuyerQueue(post, panel);
  }, {variant: 'ghost'});
}

async function drawBuyerQueue(post, panel) {
  let queue;
  try {
    queue = await api('GET', `/api/posts/${post.id}/dibs`);
  } catch (error) {
    return replaceChildren(panel, errorState(error, () => drawBuyerQueue(post, panel)));
  }
  const open = post.status === 'available' || post.status === 'pending';
  const position = queue.my_position;
  const chatButton = actionButton('Message seller', async () => {
    const body = await api('POST', `/api/posts/${post.id}/conversations`);
    navigate(`/conversations/${body.conversation.id}`);
  }, {variant: 'ghost', dataset: {testid: 'message-seller'}});
  let status;
  let action = null;
  if (!open) {
    // After a sale the winning buyer's dib stays accepted: the one place left in the queue.
    const bought = post.status === 'sold' && queue.my_status === 'accepted';
    status = h('p', {class: `queue-status${bought ? ' queue-status--mine' : ''}`, dataset: {testid: 'queue-position'},
      text: bought ? 'You bought this. Enjoy it!' : post.status === 'sold' ? 'This item is sold.' : `This item is ${post.status}.`});
  } else if (position && queue.my_status === 'accepted') {
    status = h('p', {class: 'queue-status queue-status--mine', dataset: {testid: 'queue-position'}},
      h('strong', {text: 'The seller accepted your dib.'}), ' Message them to arrange the hand-over.');
  } else if (position) {
    // First in line with nobody holding the post (new, or a hold before mine ended): my turn.
    const next = position === 1 && post.status === 'available' ? ' The seller can accept your dib now.' : '';
    status = h('p', {class: 'queue-status queue-status--mine', dataset: {testid: 'queue-position'}},
      h('strong', {text: `You're #${position} in the queue`}), ` of ${queue.count}.`,
      post.status === 'pending' ? ' The seller has accepted a dib and is arranging the hand-over.' : next);
    action = cancelDibButton(post, panel);
  } else {
    status = h('p', {class: 'queue-status', dataset: {testid: 'queue-position'},
      text: queue.count ? `${queue.count} ${queue.count === 1 ? 'person has' : 'people have'} called dibs.` : 'Nobody has called dibs yet.'});
    action = actionButton('Call dibs', async () => {
      const body = await api('POST', `/api/posts/${post.id}/dibs`);
      showFlash(`Dibs! You're #${body.dib.position} in the queue.`);
      return drawBuyerQueue(post, panel);
    }, {variant: 'primary', class: 'btn btn--primary btn--block', dataset: {testid: 'call-dibs'}});
  }
  const reviewAction = post.status === 'sold' && queue.my_status === 'accepted' ? reviewLink(post, 'Review the seller') : null;
  replaceChildren(panel, status, reviewAction, action, chatButton);
}

/** After a sale, its buyer and seller may review each other: the way to the review page. */
function reviewLink(post, text) {
  return h('a', {class: 'btn btn--primary btn--block', href: `/posts/${post.id}/review`, text, dataset: {testid: 'leave-review'}});
}

/** The heart beside the title, for a logged-in student who is not the seller. */
async function detailHeart(post, signal) {
  const user = getUser();
  if (!user || user.id === post.seller.id) return null;
  try {
    const {watching} = await api('GET', `/api/posts/${post.id}/watch`, {signal});
    return heartButton(post, watching, {withText: true});
  } catch (error) {
    if (isAbort(error)) throw error;
    return null; // the post still shows, without its heart
  }
}

/** Report this post: for a logged-in visitor who is not its seller. */
function reportLine(post) {
  const user = getUser();
  if (!user || user.id === post.seller.id) return null;
  return h('p', {class: 'report-line'}, reportButton({targetType: 'post', targetId: post.id,
    name: `the post “${post.title}”`, text: 'Report this post'}));
}

export async function renderPostDetail({view, params, signal, setTitle}) {
  view.append(loadingState('Loading the post…'));
  const {post} = await api('GET', `/api/posts/${encodeURIComponent(params.id)}`, {signal});
  setTitle(post.title);
  const panel = h('div', {class: 'dibs-panel'});
  const hold = getUser() ? holdSection(post.id, signal) : null;
  const turn = h('p', {class: 'your-turn', role: 'status', dataset: {testid: 'your-turn'}, hidden: true});
  const heart = await detailHeart(post, signal);
  // Opened from search results: the way back is to those results, not the home page.
  const previous = getPreviousLocation();
  const back = previous && previous.startsWith('/search')
    ? h('a', {href: previous, text: '← Back to results'})
    : h('a', {href: '/', text: '← All posts'});
  replaceChildren(view,
    h('p', {class: 'breadcrumb'}, back),
    h('article', {class: 'post-detail'},
      gallery(post, signal),
      h('div', {class: 'post-detail__info'},
        h('div', {class: 'post-detail__heading'},
          h('h1', {class: 'page-title', text: post.title}),
          statusBadge(post.status), moderationBadge(post), post.expired ? h('span', {class: 'badge badge--expired', text: 'Expired'}) : null, heart),
        moderationNotice(post),
        h('p', {class: 'post-detail__price', text: price(post.price_cents)}),
        h('dl', {class: 'facts'},
          h('dt', {text: 'Category'}), h('dd', {text: label(post.category)}),
          h('dt', {text: 'Condition'}), h('dd', {text: label(post.condition)}),
          post.campus ? [h('dt', {text: 'Campus'}), h('dd', {text: post.campus.name})] : null,
          h('dt', {text: 'Seller'}), h('dd', {}, h('a', {href: `/users/${encodeURIComponent(post.seller.username)}`, text: displayName(post.seller)}),
            ' ', verifiedBadge(post.seller), ' ', ratingBadge(post.seller.rating, {always: true})),
          h('dt', {text: 'Posted'}), h('dd', {text: date(post.created_at)})),
        h('section', {class: 'card dibs-card', 'aria-label': 'Dibs'}, turn, panel, hold ? hold.element : null),
        h('h2', {class: 'section-title', text: 'Description'}),
        h('p', {class: 'post-detail__description', text: post.description}),
        reportLine(post))));
  if (hold) {
    // Live: the hold started or ended, a meet-up proposed or confirmed, or my turn came.
    document.addEventListener('dibz:hold', async (event) => {
      if (event.detail.post_id !== post.id) return;
      if (event.detail.action === 'your_turn') {
        turn.hidden = false;
        turn.textContent = "It's your turn: the hold before yours ended. The seller has been asked to accept your dib.";
      }
      const fresh = await api('GET', `/api/posts/${post.id}`, {signal});
      Object.assign(post, fresh.post);
      await Promise.all([dibsPanel(post, panel), hold.reload()]);
    }, {signal});
  }
  await Promise.all([dibsPanel(post, panel), hold ? hold.reload() : null]);
}
