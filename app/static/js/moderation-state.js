// What a seller (or a moderator) sees of a post held back by moderation: a badge and why.

import {h} from './dom.js';

const STATE_TEXT = {in_review: 'Waiting for review', hidden: 'Hidden by a moderator', removed: 'Removed by a moderator'};

/** The badge of a post held back by moderation, or nothing for a listed post. */
export function moderationBadge(post) {
  if (!post.moderation_state) return null;
  return h('span', {class: `badge badge--moderation badge--${post.moderation_state}`,
    dataset: {testid: 'moderation-badge'}, text: STATE_TEXT[post.moderation_state] || post.moderation_state});
}

/** A sentence saying who sees the post and why it is held back, or nothing for a listed post. */
export function moderationNotice(post) {
  if (!post.moderation_state) return null;
  const why = post.moderation_reason ? ` (${post.moderation_reason})` : '';
  const text = post.moderation_state === 'in_review'
    ? `Only you and the moderators can see this post until a moderator reviews it${why}.`
    : `Only you and the moderators can see this post${why}.`;
  return h('p', {class: 'moderation-notice', role: 'status', dataset: {testid: 'moderation-notice'}, text});
}
