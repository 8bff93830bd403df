"""The state of holds as the queue and the post's state machine change it: a hold starts
when a dib is accepted and ends, exactly once, with the sale, a lapse, a release, a no-show,
or when the seller declines the buyer or withdraws the post.

Every function here runs under the post's row lock taken by its caller and never commits:
the caller's operation commits once, at its end. The hold's clock is `hold_now`, the one
place tests move time (patch `app.posts.PostHoldState.utc_now`).
"""

from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from app.common.CommonHelpers import to_iso, utc_now
from app.events.EventConstants import EVENT_HOLD, HOLD_ACTION_YOUR_TURN
from app.events.EventHelpers import queue_user_event
from app.extensions import db
from app.notifications.NotificationConstants import KIND_HOLD_ENDED, KIND_YOUR_TURN
from app.notifications.NotificationHelpers import notify
from app.posts.PostConstants import DIB_WAITING
from app.posts.PostHoldConstants import HOLD_ACTIVE
from app.posts.PostHoldModels import Hold
from app.posts.PostModels import Dib
from app.users.UserModels import User


def hold_now():
  """The time every rule of holds and meet-ups reads."""
  return utc_now()


def hold_deadline(start):
  """When a hold started at `start` lapses (HOLD_HOURS later)."""
  return start + timedelta(hours=current_app.config['HOLD_HOURS'])


def start_hold(post, dib):
  """The accepted dib's hold, until HOLD_HOURS from now (the caller flushed the dib)."""
  now = hold_now()
  hold = Hold(
    dib_id=dib.id,
    post_id=post.id,
    buyer_id=dib.user_id,
    seller_id=post.seller_id,
    status=HOLD_ACTIVE,
    deadline_at=hold_deadline(now),
    created_at=now,
  )
  db.session.add(hold)
  return hold


def find_active_hold(post_id):
  """The post's active hold, read afresh (under the caller's post lock), or None."""
  with db.session.no_autoflush:
    return db.session.execute(
      select(Hold)
      .where(Hold.post_id == post_id, Hold.status == HOLD_ACTIVE)
      .execution_options(populate_existing=True)
    ).scalar_one_or_none()


def end_active_hold(post_id, status, action):
  """End the post's active hold (if any) with `status`; both sides hear `action`."""
  hold = find_active_hold(post_id)
  if hold is None:
    return None
  hold.status = status
  hold.ended_at = hold_now()
  queue_hold_event(hold, action)
  return hold


def queue_hold_event(hold, action, **extra):
  """After the commit: what happened to the hold, to its buyer and its seller."""
  payload = {
    'hold_id': hold.id,
    'post_id': hold.post_id,
    'dib_id': hold.dib_id,
    'action': action,
    'status': hold.status,
    'deadline_at': to_iso(hold.deadline_at),
    **extra,
  }
  for user_id in (hold.buyer_id, hold.seller_id):
    queue_user_event(user_id, EVENT_HOLD, payload)


def next_waiting_dib(post_id):
  """The first waiting dib of the post's queue, or None."""
  with db.session.no_autoflush:
    return db.session.execute(
      select(Dib).where(Dib.post_id == post_id, Dib.status == DIB_WAITING).order_by(Dib.id).limit(1)
    ).scalar_one_or_none()


def announce_reopened(post, hold, reason, tell_seller=True):
  """A hold ended without a sale: the next buyer in the queue is told it is their turn and
  the seller (unless they ended it) is asked to accept them. Returns the next dib or None."""
  next_dib = next_waiting_dib(post.id)
  buyer = db.session.get(User, hold.buyer_id)
  payload = {'post_id': post.id, 'post_title': post.title, 'hold_id': hold.id}
  if next_dib is not None:
    queue_user_event(
      next_dib.user_id,
      EVENT_HOLD,
      {'post_id': post.id, 'dib_id': next_dib.id, 'action': HOLD_ACTION_YOUR_TURN},
    )
  if tell_seller:
    next_buyer = db.session.get(User, next_dib.user_id) if next_dib is not None else None
    notify(
      post.seller_id,
      KIND_HOLD_ENDED,
      {
        **payload,
        'actor': buyer.username,
        'reason': reason,
        'next_dib_id': next_dib.id if next_dib is not None else None,
        'next_buyer': next_buyer.username if next_buyer is not None else None,
      },
    )
  if next_dib is not None:
    notify(next_dib.user_id, KIND_YOUR_TURN, {**payload, 'dib_id': next_dib.id})
  return next_dib
