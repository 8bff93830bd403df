// Moderators: the posts held for review (prohibited terms, new accounts), approve or remove.

import {api} from '../api.js';
import {h, emptyState, errorState, replaceChildren} from '../dom.js';
import {displayName, label, price, relativeTime} from '../format.js';
import {field} from '../forms.js';
import {getUser} from '../session.js';
import {actionButton, pageHeader, pagedList, postThumb, showFlash} from '../components.js';

const MODERATOR_ROLES = ['moderator', 'admin'];

function decide(post, action, item, reasonInput) {
  return async () => {
    const reason = reasonInput.value.trim();
    await api('POST', `/api/moderation/held-posts/${post.id}/decision`,
      {json: {action, reason: reason || null}});
    showFlash(action === 'approve' ? `“${post.title}” is listed.` : `“${post.title}” is removed; its seller is told why.`);
    replaceChildren(item, h('p', {class: 'muted', role: 'status',
      text: `${action === 'approve' ? 'Approved' : 'Removed'}: ${post.title}`}));
  };
}

function heldPostItem(post) {
  const item = h('li', {class: 'card held-post', dataset: {postId: post.id, testid: 'held-post'}});
  const reasonField = field('reason', 'Reason (optional)', {
    placeholder: 'Told to the seller when removed'});
  const reasonInput = reasonField.querySelector('input');
  item.append(
    h('div', {class: 'my-post__head'},
      postThumb(post, 'small'),
      h('div', {class: 'my-post__title'},
        h('a', {href: `/posts/${post.id}`, class: 'my-post__link', text: post.title}),
        h('p', {class: 'muted', text: `${price(post.price_cents)} · ${label(post.category)} · `
          + `${displayName(post.seller)} · ${relativeTime(post.created_at)}`}))),
    h('p', {class: 'held-post__why', text: `Held because ${post.moderation_reason || 'it needs a look'}.`}),
    h('p', {class: 'held-post__description', text: post.description}),
    reasonField,
    h('div', {class: 'held-post__actions'},
      actionButton('Approve', decide(post, 'approve', item, reasonInput), {dataset: {testid: 'approve-held'}}),
      actionButton('Remove', decide(post, 'remove', item, reasonInput),
        {variant: 'danger', dataset: {testid: 'remove-held'}})));
  return item;
}

export async function renderHeldPosts({view, signal, setTitle}) {
  setTitle('Held for review');
  const user = getUser();
  if (!MODERATOR_ROLES.includes(user.role)) {
    view.append(errorState({message: 'Only moderators can see the posts held for review.'}));
    return;
  }
  const results = h('div', {class: 'results'});
  view.append(pageHeader('Held for review'),
    h('p', {class: 'muted', text: 'New posts with a prohibited term, and new accounts’ posts beyond their third, '
      + 'wait here until you approve or remove them.'}),
    results);
  await pagedList(results, {
    listClass: 'stack',
    fetchPage: (page) => api('GET', '/api/moderation/held-posts', {signal, query: {page, per_page: 20}}),
    renderItem: heldPostItem,
    empty: () => emptyState('Nothing waits for review.', 'New posts held for review appear here.'),
  }).reload();
}
