// What a seller (or a moderator) sees of a post held back by moderation: a badge and why.

import {h} from './dom.js';
import {getUser} from './session.js';

const STATE_TEXT = {in_review: 'Waiting for review', hidden: 'Hidden by a moderator', removed: 'Removed by a moderator'};

/** The badge of a post held back by moderation, or nothing for a listed post. */
export function moderationBadge(post) {
  if (!post.moderation_state) return null;
  return h('span', {class: `badge badge--moderation badge--${post.moderation_state}`,
    dataset: {testid: 'moderation-badge'}, text: STATE_TEXT[post.moderation_state] || post.moderation_state});
}

const NOTICE_TITLE = {
  in_review: 'Waiting for review by a moderator.',
  hidden: 'Hidden until a moderator reviews it.',
  removed: 'Removed by a moderator.',
};

/** What the seller (or a moderator) is told of a post held back by moderation: its state, why,
 * and who can see it; nothing for a listed post. */
export function moderationNotice(post) {
  if (!post.moderation_state) return null;
  const user = getUser();
  const mine = Boolean(user && post.seller && user.id === post.seller.id);
  return h('div', {class: 'moderation-notice', role: 'note', dataset: {testid: 'moderation-notice'}},
    h('p', {class: 'moderation-notice__title'},
      h('strong', {text: NOTICE_TITLE[post.moderation_state] || STATE_TEXT[post.moderation_state] || post.moderation_state})),
    h('p', {text: `Why: ${post.moderation_reason || 'it broke the Dibz rules'}.`}),
    h('p', {class: 'muted', text: mine
      ? 'Nobody else can see this post: it is left out of browse, search and your profile.'
      : 'Only its seller and moderators can see this post.'}));
}
