"""Posts held for review (PostReviewHelpers): the moderators' list, and their decision to
approve a held post (it is listed at once) or remove it (its seller is told why). Both land
in the audit log; a moderator never decides about their own post."""

from sqlalchemy import select

from app.common.CommonErrors import ApiError
from app.common.CommonHelpers import get_or_404
from app.extensions import db
from app.moderation.ModerationConstants import (
  ACTION_APPROVE_POST,
  ACTION_REMOVE_POST,
  HELD_APPROVE,
  POST_REMOVED,
  TARGET_POST,
)
from app.moderation.ModerationHelpers import audit, require_moderator
from app.notifications.NotificationConstants import KIND_POST_HIDDEN
from app.notifications.NotificationHelpers import notify
from app.posts.PostConstants import POST_IN_REVIEW
from app.posts.PostModels import Post
from app.posts.PostReviewHelpers import is_in_review

REMOVED_AFTER_REVIEW = 'a moderator removed it after review'
APPROVED_AFTER_REVIEW = 'approved after review'


def held_posts_statement(moderator):
  """The posts waiting for review, oldest first (moderators only)."""
  require_moderator(moderator)
  return select(Post).where(Post.moderation_state == POST_IN_REVIEW).order_by(Post.id)


def decide_held_post(moderator, post_id, action, reason):
  """Approve a held post (listed at once) or remove it (its seller is told why); logged.
  403 for a student or the post's own seller, 409 for a post not waiting for review."""
  require_moderator(moderator)
  post = get_or_404(Post, id=post_id, for_update=True)
  if post.seller_id == moderator.id:
    raise ApiError(403, message='You cannot review your own post.')
  if not is_in_review(post):
    raise ApiError(409, message='This post is not waiting for review.')
  if action == HELD_APPROVE:
    post.moderation_state = None
    post.moderation_reason = None
    audit(moderator.id, ACTION_APPROVE_POST, TARGET_POST, post.id, reason or APPROVED_AFTER_REVIEW)
  else:
    reason = reason or REMOVED_AFTER_REVIEW
    post.moderation_state = POST_REMOVED
    post.moderation_reason = reason
    audit(moderator.id, ACTION_REMOVE_POST, TARGET_POST, post.id, reason)
    notify(
      post.seller_id,
      KIND_POST_HIDDEN,
      {'post_id': post.id, 'post_title': post.title, 'reason': reason},
    )
  db.session.commit()
  return post
