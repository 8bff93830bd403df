"""The dibs queue of a post: call, cancel, accept, decline, and the views of the queue.

A dib's position is its rank by id among the post's live dibs, so positions are first come,
first served (ids come from one sequence) and cancelling closes the gap by itself. The
partial unique indexes of the dibs table keep one live dib per buyer and one accepted dib per
post even when requests race; the post row lock serializes changes to one queue.
"""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.common.CommonErrors import ApiError
from app.common.CommonHelpers import get_or_404
from app.events.EventConstants import (
  DIB_ACTION_ACCEPTED,
  DIB_ACTION_CALLED,
  DIB_ACTION_CANCELLED,
  DIB_ACTION_DECLINED,
  DIB_ACTION_POSITION,
  EVENT_DIB,
  HOLD_ACTION_ENDED,
  HOLD_ACTION_RELEASED,
  HOLD_ACTION_STARTED,
)
from app.events.EventHelpers import queue_user_event
from app.extensions import db
from app.notifications.NotificationConstants import (
  KIND_DIB_ACCEPTED,
  KIND_DIB_DECLINED,
  KIND_DIB_RECEIVED,
  KIND_WATCHED_AVAILABLE,
)
from app.notifications.NotificationHelpers import notify
from app.posts.PostConstants import (
  DIB_ACCEPTED,
  DIB_CANCELLED,
  DIB_DECLINED,
  DIB_WAITING,
  DIBBABLE_STATUSES,
  LIVE_DIB_STATUSES,
  STATUS_AVAILABLE,
  STATUS_PENDING,
)
from app.posts.PostHelpers import notification_payload, require_seller, transition_post
from app.posts.PostHoldConstants import HOLD_ENDED, HOLD_RELEASED
from app.posts.PostHoldState import announce_reopened, end_active_hold, queue_hold_event, start_hold
from app.posts.PostModels import Dib, Post
from app.posts.PostWatchNotices import tell_watchers
from app.users.UserBlockHelpers import require_no_block
from app.users.UserHelpers import require_campus_student

# --- Reading the queue -----------------------------------------------------------------------


def live_dibs(post_id):
  """The post's live dibs in queue order."""
  return (
    db.session.execute(
      select(Dib).where(Dib.post_id == post_id, Dib.status.in_(LIVE_DIB_STATUSES)).order_by(Dib.id)
    )
    .scalars()
    .all()
  )


def get_queue(post_id):
  """The post and its live dibs in queue order."""
  post = get_or_404(Post, id=post_id)
  return post, live_dibs(post.id)


def my_dibs_statement(user):
  """The select of a user's dibs, newest first."""
  return select(Dib).where(Dib.user_id == user.id).order_by(Dib.id.desc())


def find_live_dib(post_id, user_id):
  """The user's waiting or accepted dib on the post, or None."""
  return db.session.execute(
    select(Dib).where(
      Dib.post_id == post_id, Dib.user_id == user_id, Dib.status.in_(LIVE_DIB_STATUSES)
    )
  ).scalar_one_or_none()


# --- Changing the queue ----------------------------------------------------------------------


def flush_or_conflict(message):
  """Flush, so the queue can be read as the change leaves it; a unique index that refuses
  the change is a 409, as in commit_or_conflict."""
  try:
    db.session.flush()
  except IntegrityError:
    db.session.rollback()
    raise ApiError(409, message=message) from None


def commit_or_conflict(message):
  """Commit; a unique index that refuses the change (a racing request won) is a 409."""
  try:
    db.session.commit()
  except IntegrityError:
    db.session.rollback()
    raise ApiError(409, message=message) from None


def call_dibs(post_id, user):
  """Put `user` at the end of the post's queue."""
  require_campus_student(user)
  post = get_or_404(Post, id=post_id, for_update=True)
  if post.moderation_state is not None and post.seller_id != user.id:
    # Held back by moderation: to a buyer it does not exist (PostHelpers.get_post).
    raise ApiError(404, message=Post.not_found_message)
  if post.seller_id == user.id:
    raise ApiError(409, message='You cannot call dibs on your own post.')
  require_no_block(user, post.seller_id, 'dib')
  if post.status not in DIBBABLE_STATUSES:
    raise ApiError(409, message=f'This post is {post.status}: it takes no more dibs.')
  if post.expired_at is not None:
    raise ApiError(409, message='This post has expired: it takes no more dibs until renewed.')
  already = 'You already have dibs on this post.'
  if find_live_dib(post.id, user.id) is not None:
    raise ApiError(409, message=already)
  dib = Dib(post_id=post.id, user_id=user.id, status=DIB_WAITING)
  db.session.add(dib)
  payload = notification_payload(post, user)
  flush_or_conflict(already)
  queue_dib_events(post, dib, DIB_ACTION_CALLED)
  notify(post.seller_id, KIND_DIB_RECEIVED, {**payload, 'dib_id': dib.id})
  commit_or_conflict(already)
  return dib


def cancel_my_dib(post_id, user):
  """Take `user` out of the queue; cancelling the accepted dib makes the post available."""
  post = get_or_404(Post, id=post_id, for_update=True)
  dib = find_live_dib(post.id, user.id)
  if dib is None:
    raise ApiError(404, message='You have no dibs on this post.')
  if post.status not in DIBBABLE_STATUSES:
    raise ApiError(409, message=f'This post is {post.status}: its queue is closed.')
  cancel_live_dib(post, dib)
  db.session.commit()


def cancel_live_dib(post, dib):
  """Cancel a live dib of a post whose row the caller locked (no commit)."""
  hold = release_dib(post, dib, DIB_CANCELLED)
  queue_dib_events(post, dib, DIB_ACTION_CANCELLED)
  if hold is not None:
    # Cancelling the accepted dib is releasing its hold: the next buyer's turn.
    announce_reopened(post, hold, 'released by the buyer')


def release_dib(post, dib, new_status, hold_status=None):
  """End a live dib; when it was the accepted one the post returns to available and its
  hold ends (with `hold_status`, else released by a cancel or ended by a decline). Returns
  the hold that ended, or None."""
  was_accepted = dib.status == DIB_ACCEPTED
  dib.status = new_status
  if not was_accepted:
    return None
  reopened = post.status == STATUS_PENDING
  if reopened:
    transition_post(post, STATUS_AVAILABLE)
  if hold_status is None:
    hold_status = HOLD_RELEASED if new_status == DIB_CANCELLED else HOLD_ENDED
  action = HOLD_ACTION_RELEASED if hold_status == HOLD_RELEASED else HOLD_ACTION_ENDED
  hold = end_active_hold(post.id, hold_status, action)
  if reopened:
    # The buyer whose dib ended knows; every other watcher hears the post is free again.
    tell_watchers(post, KIND_WATCHED_AVAILABLE, exclude=[dib.user_id])
  return hold


def get_dib_for_seller(dib_id, user):
  """The dib (freshly read) and its post (row locked), for the post's seller only."""
  dib = get_or_404(Dib, id=dib_id)
  post = get_or_404(Post, id=dib.post_id, for_update=True)
  require_seller(post, user, 'Only the seller can answer dibs.')
  # Re-read under the lock: a racing request may have changed it since the first read.
  dib = db.session.execute(
    select(Dib).where(Dib.id == dib_id).execution_options(populate_existing=True)
  ).scalar_one()
  if post.status not in DIBBABLE_STATUSES:
    raise ApiError(409, message=f'This post is {post.status}: its queue is closed.')
  return dib, post


def accept_dib(dib_id, user):
  """The seller picks a waiting dib: it becomes the accepted one, the post pending."""
  dib, post = get_dib_for_seller(dib_id, user)
  if dib.status != DIB_WAITING:
    raise ApiError(409, message=f'This dib is {dib.status}; only a waiting dib can be accepted.')
  if post.status != STATUS_AVAILABLE:
    raise ApiError(409, message='This post already has an accepted dib.')
  dib.status = DIB_ACCEPTED
  transition_post(post, STATUS_PENDING)
  payload = {**notification_payload(post, user), 'dib_id': dib.id}
  flush_or_conflict('This post already has an accepted dib.')
  hold = start_hold(post, dib)
  flush_or_conflict('This post already has an accepted dib.')
  queue_dib_events(post, dib, DIB_ACTION_ACCEPTED)
  queue_hold_event(hold, HOLD_ACTION_STARTED)
  notify(dib.user_id, KIND_DIB_ACCEPTED, {**payload, 'hold_id': hold.id})
  commit_or_conflict('This post already has an accepted dib.')
  return dib


def decline_dib(dib_id, user):
  """The seller turns a dib down; declining the accepted one makes the post available."""
  dib, post = get_dib_for_seller(dib_id, user)
  if dib.status not in LIVE_DIB_STATUSES:
    raise ApiError(409, message=f'This dib is already {dib.status}.')
  release_dib(post, dib, DIB_DECLINED)
  payload = {**notification_payload(post, user), 'dib_id': dib.id}
  queue_dib_events(post, dib, DIB_ACTION_DECLINED)
  notify(dib.user_id, KIND_DIB_DECLINED, payload)
  db.session.commit()
  return dib


# --- Events ----------------------------------------------------------------------------------


def queue_dib_events(post, dib, action):
  """After the commit: the change to the seller and the dib's buyer, and new places in the
  queue to the buyers behind a dib that left it."""
  queue = live_dibs(post.id)
  positions = {live_dib.id: position for position, live_dib in enumerate(queue, start=1)}
  payload = {
    'post_id': post.id,
    'dib_id': dib.id,
    'action': action,
    'status': dib.status,
    'queue_length': len(queue),
  }
  queue_user_event(post.seller_id, EVENT_DIB, payload)
  queue_user_event(dib.user_id, EVENT_DIB, {**payload, 'position': positions.get(dib.id)})
  if action not in (DIB_ACTION_CANCELLED, DIB_ACTION_DECLINED):
    return
  for behind in queue:
    if behind.id > dib.id:
      moved = {'dib_id': behind.id, 'action': DIB_ACTION_POSITION, 'status': behind.status}
      queue_user_event(
        behind.user_id, EVENT_DIB, {**payload, **moved, 'position': positions[behind.id]}
      )
