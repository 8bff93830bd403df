// Pieces several pages share: post cards, status badges, pagination, flash messages.

import {api, isAbort} from './api.js';
import {h, replaceChildren, errorState, loadingState} from './dom.js';
import {displayName, initial, label, price, relativeTime} from './format.js';
import {getUser} from './session.js';
import {ratingBadge} from './ratings.js';

/** "Verified student" with the verified email domain, or nothing for an unverified user. */
export function verifiedBadge(user) {
  if (!user || !user.verified_campus) return null;
  return h('span', {class: 'badge badge--verified', dataset: {testid: 'verified-badge'},
    title: `Verified email address at ${user.verified_campus}`, text: `Verified student · ${user.verified_campus}`});
}

export function statusBadge(status) {
  return h('span', {class: `badge badge--${status}`, text: label(status)});
}

/** The post's cover photo (the first of its photos, or a summary's `cover`), or a placeholder. */
export function postThumb(post, size = 'card') {
  const image = post.cover || (post.images && post.images[0]);
  if (image) {
    return h('img', {class: `thumb thumb--${size}`, src: image.thumb_url, alt: '', loading: 'lazy'});
  }
  return h('div', {class: `thumb thumb--${size} thumb--empty`, 'aria-hidden': 'true', text: initial(post.title)});
}

/** A post in a grid: cover photo, title, price, status, campus and seller; links to the
 * detail page. `heading` is the title's level, one below the section's heading. */
export function postCard(post, {snippet, heading = 'h2'} = {}) {
  return h('li', {class: 'card post-card', dataset: {postId: post.id}},
    post.watching === undefined ? null : heartButton(post, post.watching),
    h('a', {class: 'post-card__link', href: `/posts/${post.id}`},
      postThumb(post),
      h('div', {class: 'post-card__body'},
        h('div', {class: 'post-card__top'},
          h('span', {class: 'post-card__price', text: price(post.price_cents)}),
          post.status !== 'available' ? statusBadge(post.status) : null),
        h(heading, {class: 'post-card__title'}, snippet && snippet.title ? snippet.title : post.title),
        snippet && snippet.description ? h('p', {class: 'post-card__snippet'}, snippet.description) : null,
        post.campus ? h('p', {class: 'post-card__campus', dataset: {testid: 'card-campus'}, text: post.campus.name}) : null,
        h('p', {class: 'post-card__meta'},
          `${label(post.category)} · ${label(post.condition)}`,
          ` · ${displayName(post.seller)} · ${relativeTime(post.created_at)}`),
        post.seller.rating && post.seller.rating.count ? h('p', {class: 'post-card__rating'}, ratingBadge(post.seller.rating)) : null)));
}

/**
 * A paginated list: shows loading, empty and error states, and a "Load more" button while
 * there are more pages. fetchPage(page) → the API's list body; renderItem(item) → <li>.
 */
export function pagedList(container, {fetchPage, renderItem, empty, listClass = 'grid'}) {
  const list = h('ul', {class: listClass});
  const more = h('button', {class: 'btn btn--ghost load-more', type: 'button', text: 'Load more', hidden: true});
  let page = 1;

  async function load(firstPage) {
    if (firstPage) {
      page = 1;
      replaceChildren(container, listClass === 'grid' ? skeletonGrid() : loadingState());
    } else {
      more.disabled = true;
      more.textContent = 'Loading…';
    }
    try {
      const body = await fetchPage(page);
      if (firstPage) {
        list.replaceChildren();
        if (!body.items.length) {
          replaceChildren(container, empty());
          return body;
        }
        replaceChildren(container, list, more);
      }
      list.append(...body.items.map(renderItem));
      more.hidden = body.page * body.per_page >= body.total;
      return body;
    } catch (error) {
      if (isAbort(error)) return null;
      if (firstPage) replaceChildren(container, errorState(error, () => load(true)));
      else showFlash(error.message, 'error');
      return null;
    } finally {
      more.disabled = false;
      more.textContent = 'Load more';
    }
  }

  more.addEventListener('click', () => {
    page += 1;
    load(false);
  });
  return {reload: () => load(true)};
}

/** Grey cards in the shape of post cards, while the first page loads. */
export function skeletonGrid(count = 6) {
  return h('div', {class: 'skeleton-page', 'aria-busy': 'true'},
    h('p', {class: 'visually-hidden', role: 'status', text: 'Loading posts…'}),
    h('ul', {class: 'grid', 'aria-hidden': 'true'}, Array.from({length: count}, () =>
      h('li', {class: 'card skeleton-card'}, h('div', {class: 'skeleton skeleton--thumb'}),
        h('div', {class: 'skeleton skeleton--line'}), h('div', {class: 'skeleton skeleton--line skeleton--short'})))));
}

let flashTimer = null;

/** A short message at the top of the page (saved, sent, failed…). */
export function showFlash(message, kind = 'success') {
  const area = document.getElementById('flash');
  if (!area) return;
  clearTimeout(flashTimer);
  replaceChildren(area, h('p', {class: `flash flash--${kind}`, text: message}));
  flashTimer = setTimeout(() => area.replaceChildren(), 5000);
}

export function pageHeader(title, ...actions) {
  return h('div', {class: 'page-header'}, h('h1', {class: 'page-title', text: title}),
    actions.length ? h('div', {class: 'page-header__actions'}, actions) : null);
}

/** A button that runs an async action, disabled while it runs; failures become a flash. */
export function actionButton(text, action, {variant = 'primary', ...props} = {}) {
  const button = h('button', {class: `btn btn--${variant}`, type: 'button', text, ...props});
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      await action(button);
    } catch (error) {
      if (!isAbort(error)) showFlash(error.message, 'error');
    } finally {
      if (button.isConnected) button.disabled = false;
    }
  });
  return button;
}

/** A heart: watch or stop watching a post (told of price drops, availability, the sale).
 * A toggle button, its state in aria-pressed; nothing for a visitor or on my own post. */
export function heartButton(post, watching, {withText = false} = {}) {
  const user = getUser();
  if (!user || !post.seller || post.seller.id === user.id) return null;
  // Sold and withdrawn posts cannot be watched (409); one already watched can be let go.
  if (!watching && (post.status === 'sold' || post.status === 'withdrawn')) return null;
  const text = h('span', {class: withText ? 'heart__text' : 'visually-hidden'});
  const button = h('button', {class: withText ? 'heart heart--labelled' : 'heart', type: 'button',
    dataset: {testid: 'heart'}}, h('span', {class: 'heart__icon', 'aria-hidden': 'true'}), text);
  const show = (pressed) => {
    button.setAttribute('aria-pressed', String(pressed));
    text.textContent = withText ? (pressed ? 'Watching' : 'Watch') : `Watch ${post.title}`;
    button.title = pressed ? 'Stop watching' : 'Watch: hear of price drops and when it is available';
  };
  show(watching);
  button.addEventListener('click', async () => {
    const pressed = button.getAttribute('aria-pressed') !== 'true';
    button.disabled = true;
    try {
      await api(pressed ? 'PUT' : 'DELETE', `/api/posts/${post.id}/watch`);
      show(pressed);
      showFlash(pressed ? `You are watching “${post.title}”.` : `You stopped watching “${post.title}”.`);
    } catch (error) {
      if (!isAbort(error)) showFlash(error.message, 'error');
    } finally {
      button.disabled = false;
    }
  });
  return button;
}

/** Mark which of a page's posts I watch (`post.watching`), in one request; for a visitor, or
 * when the answer cannot be had, the posts stay unmarked and show no heart. */
export async function markWatched(posts, signal) {
  const user = getUser();
  const others = posts.filter((post) => user && post.seller && post.seller.id !== user.id);
  if (!others.length) return posts;
  try {
    const {post_ids: ids} = await api('GET', '/api/users/me/watched-post-ids',
      {signal, query: {post_ids: others.map((post) => post.id).join(',')}});
    const watched = new Set(ids);
    for (const post of others) post.watching = watched.has(post.id);
  } catch (error) {
    if (isAbort(error)) throw error;
  }
  return posts;
}

/** The seller's count of watchers: how many put a heart on the post. */
export function watcherLine(watchers) {
  if (watchers === null || watchers === undefined) return null;
  return h('p', {class: 'muted watchers', dataset: {testid: 'watchers'},
    text: watchers ? `${watchers} ${watchers === 1 ? 'student is' : 'students are'} watching.` : 'Nobody is watching yet.'});
}
