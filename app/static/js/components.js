// Pieces several pages share: post cards, status badges, pagination, flash messages.

import {isAbort} from './api.js';
import {h, replaceChildren, errorState, loadingState} from './dom.js';
import {displayName, initial, label, price, relativeTime} from './format.js';

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
          ` · ${displayName(post.seller)} · ${relativeTime(post.created_at)}`))));
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
