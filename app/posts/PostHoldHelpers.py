"""The rules of holds and meet-ups (docs/HANDOVER.md): reading a hold, proposing and
confirming a meet-up, the buyer's release, the seller's no-show report, and the lapse.

Like the queue, every change locks the post's row first and reads the hold afresh under the
lock, so a lapse, a sale, a release and a confirmation of one hold queue up and each sees what
the one before it left: one wins, the others answer 409 (or, for the job, skip the hold).
Each operation commits once, at its end, after its notifications.
"""

from datetime import timedelta

from sqlalchemy import or_, select, update

from app.campuses.CampusHelpers import spot_of_campus
from app.common.CommonErrors import ApiError
from app.common.CommonHelpers import as_utc, get_or_404
from app.events.EventConstants import (
  DIB_ACTION_CANCELLED,
  DIB_ACTION_DECLINED,
  HOLD_ACTION_LAPSED,
  HOLD_ACTION_MEETUP_CONFIRMED,
  HOLD_ACTION_MEETUP_PROPOSED,
  HOLD_ACTION_NO_SHOW,
)
from app.extensions import db
from app.notifications.NotificationConstants import (
  KIND_HOLD_LAPSED,
  KIND_MEETUP_CONFIRMED,
  KIND_MEETUP_PROPOSED,
  KIND_MEETUP_REMINDER,
  KIND_NO_SHOW,
)
from app.notifications.NotificationHelpers import notify
from app.posts.PostConstants import DIB_CANCELLED, DIB_DECLINED
from app.posts.PostDibHelpers import queue_dib_events, release_dib
from app.posts.PostHoldConstants import (
  CURRENT_MEETUP_STATUSES,
  HOLD_ACTIVE,
  HOLD_LAPSED,
  HOLD_NO_SHOW,
  HOLD_RELEASED,
  MEETUP_CONFIRMED,
  MEETUP_GRACE_SECONDS,
  MEETUP_PROPOSED,
  MEETUP_SUPERSEDED,
  REMINDER_DAY_SECONDS,
  REMINDER_HOUR_SECONDS,
)
from app.posts.PostHoldModels import Hold, Meetup
from app.posts.PostHoldState import announce_reopened, hold_now, queue_hold_event
from app.posts.PostModels import Dib, Post
from app.users.UserModels import User

NOT_YOURS = 'No hold with that id.'

# --- Reading ---------------------------------------------------------------------------------


def is_party(hold, user):
  """Whether `user` is the hold's buyer or seller."""
  return user.id in (hold.buyer_id, hold.seller_id)


def get_post_hold(post_id, user):
  """The newest hold of the post for its buyer or seller; 404 for anyone else (a hold is
  private to its two sides) and when the post has none."""
  get_or_404(Post, id=post_id)
  hold = db.session.execute(
    select(Hold)
    .where(Hold.post_id == post_id, or_(Hold.buyer_id == user.id, Hold.seller_id == user.id))
    .order_by(Hold.id.desc())
    .limit(1)
  ).scalar_one_or_none()
  if hold is None:
    raise ApiError(404, message='This post has no hold of yours.')
  return hold


def my_holds_statement(user):
  """My holds as buyer or seller: the active ones first, then newest first."""
  return (
    select(Hold)
    .where(or_(Hold.buyer_id == user.id, Hold.seller_id == user.id))
    .order_by((Hold.status == HOLD_ACTIVE).desc(), Hold.id.desc())
  )


# --- Locking ---------------------------------------------------------------------------------


def lock_hold(hold_id, user=None):
  """The hold (read afresh) and its post (row locked); with `user`, 404 unless they are one
  of its two sides."""
  hold = get_or_404(Hold, id=hold_id)
  if user is not None and not is_party(hold, user):
    raise ApiError(404, message=NOT_YOURS)
  post = get_or_404(Post, id=hold.post_id, for_update=True)
  hold = reread(Hold, hold_id)
  return hold, post


def reread(model, row_id):
  """A row read again under the lock: a racing request may have changed it since."""
  return db.session.execute(
    select(model).where(model.id == row_id).execution_options(populate_existing=True)
  ).scalar_one()


def require_active(hold):
  """409 once the hold has ended."""
  if hold.status != HOLD_ACTIVE:
    raise ApiError(409, message=f'This hold is {hold.status.replace("_", "-")}: it has ended.')


def hold_payload(post, actor, hold):
  """What a notification about the hold names."""
  return {
    'post_id': post.id,
    'post_title': post.title,
    'actor': actor.username,
    'hold_id': hold.id,
  }


def other_side(hold, user):
  """The id of the hold's other party."""
  return hold.seller_id if user.id == hold.buyer_id else hold.buyer_id


def meetup_payload(meetup):
  """The time and place a meet-up notification names."""
  return {
    'meetup_id': meetup.id,
    'meet_at': as_utc(meetup.meet_at).strftime('%Y-%m-%d %H:%M UTC'),
    'place': meetup.place,
  }


# --- Meet-ups --------------------------------------------------------------------------------


def propose_meetup(hold_id, user, read_meetup):
  """Propose a time and place (either side); it supersedes the current proposal, confirmed or
  not, which makes it a counter-proposal. `read_meetup` returns (meet_at, place, pickup spot
  id or None), called once access is settled, so an outsider learns nothing from a bad body.
  A pickup spot must be one of the post's campus; its name becomes the place."""
  hold, post = lock_hold(hold_id, user)
  meet_at, place, spot_id = read_meetup()
  if spot_id is not None:
    place = spot_of_campus(post.campus_id, spot_id).name
  require_active(hold)
  now = hold_now()
  if meet_at <= now:
    raise ApiError(422, fields={'meet_at': ['Must be in the future.']})
  if meet_at > as_utc(hold.deadline_at):
    deadline = as_utc(hold.deadline_at).strftime('%Y-%m-%dT%H:%M:%SZ')
    raise ApiError(422, fields={'meet_at': [f'Must be before the hold ends ({deadline}).']})
  db.session.execute(
    update(Meetup)
    .where(Meetup.hold_id == hold.id, Meetup.status.in_(CURRENT_MEETUP_STATUSES))
    .values(status=MEETUP_SUPERSEDED)
  )
  meetup = Meetup(
    hold_id=hold.id,
    proposer_id=user.id,
    meet_at=meet_at,
    place=place,
    status=MEETUP_PROPOSED,
    created_at=now,
  )
  db.session.add(meetup)
  db.session.flush()
  queue_hold_event(hold, HOLD_ACTION_MEETUP_PROPOSED, meetup_id=meetup.id)
  notify(
    other_side(hold, user),
    KIND_MEETUP_PROPOSED,
    {**hold_payload(post, user, hold), **meetup_payload(meetup)},
  )
  db.session.commit()
  return hold


def confirm_meetup(meetup_id, user):
  """The other side confirms the current proposal; the hold then lasts at least until a while
  after the meet-up, so the seller can mark the sale after meeting."""
  meetup = get_or_404(Meetup, id=meetup_id)
  hold, post = lock_hold(meetup.hold_id, user)
  meetup = reread(Meetup, meetup_id)
  require_active(hold)
  if meetup.status != MEETUP_PROPOSED:
    raise ApiError(409, message=f'This meet-up is already {meetup.status}.')
  if meetup.proposer_id == user.id:
    raise ApiError(409, message='The other side confirms the meet-up you proposed.')
  now = hold_now()
  if as_utc(meetup.meet_at) <= now:
    raise ApiError(409, message='This meet-up time has passed: propose another.')
  meetup.status = MEETUP_CONFIRMED
  meetup.confirmed_at = now
  # A reminder already due at the confirmation would repeat it: it counts as sent.
  until_meeting = (as_utc(meetup.meet_at) - now).total_seconds()
  if until_meeting <= REMINDER_DAY_SECONDS:
    meetup.reminded_day_at = now
  if until_meeting <= REMINDER_HOUR_SECONDS:
    meetup.reminded_hour_at = now
  keep_until = as_utc(meetup.meet_at) + timedelta(seconds=MEETUP_GRACE_SECONDS)
  if keep_until > as_utc(hold.deadline_at):
    hold.deadline_at = keep_until
  db.session.flush()
  queue_hold_event(hold, HOLD_ACTION_MEETUP_CONFIRMED, meetup_id=meetup.id)
  notify(
    meetup.proposer_id,
    KIND_MEETUP_CONFIRMED,
    {**hold_payload(post, user, hold), **meetup_payload(meetup)},
  )
  db.session.commit()
  return hold


# --- Ending a hold without a sale ------------------------------------------------------------


def release_hold(hold_id, user):
  """The buyer gives the post up: their dib is cancelled, the next buyer's turn comes."""
  hold, post = lock_hold(hold_id, user)
  if user.id != hold.buyer_id:
    raise ApiError(403, message='Only the buyer can release a hold.')
  require_active(hold)
  dib = reread(Dib, hold.dib_id)
  release_dib(post, dib, DIB_CANCELLED, HOLD_RELEASED)
  queue_dib_events(post, dib, DIB_ACTION_CANCELLED)
  announce_reopened(post, hold, 'released by the buyer')
  db.session.commit()
  return hold


def report_no_show(hold_id, user):
  """The seller reports that the buyer missed the confirmed meet-up: the hold ends, the no-show
  is recorded on the buyer, the next buyer's turn comes."""
  hold, post = lock_hold(hold_id, user)
  if user.id != hold.seller_id:
    raise ApiError(403, message='Only the seller can report a no-show.')
  require_active(hold)
  confirmed = db.session.execute(
    select(Meetup).where(Meetup.hold_id == hold.id, Meetup.status == MEETUP_CONFIRMED)
  ).scalar_one_or_none()
  if confirmed is None:
    raise ApiError(409, message='No meet-up was confirmed: decline the dib instead.')
  if as_utc(confirmed.meet_at) > hold_now():
    raise ApiError(409, message='The meet-up has not happened yet.')
  dib = reread(Dib, hold.dib_id)
  release_dib(post, dib, DIB_DECLINED, HOLD_NO_SHOW)
  # end_active_hold queued the generic end; say which end it was.
  queue_hold_event(hold, HOLD_ACTION_NO_SHOW)
  queue_dib_events(post, dib, DIB_ACTION_DECLINED)
  notify(hold.buyer_id, KIND_NO_SHOW, hold_payload(post, user, hold))
  announce_reopened(post, hold, 'no-show', tell_seller=False)
  db.session.commit()
  return hold


def lapse_hold(hold_id, now):
  """Lapse one hold whose deadline has passed, if it is still active under the post's lock;
  returns whether it lapsed (False: a sale, release or lapse got there first)."""
  hold, post = lock_hold(hold_id)
  if hold.status != HOLD_ACTIVE or as_utc(hold.deadline_at) > now:
    db.session.rollback()
    return False
  dib = reread(Dib, hold.dib_id)
  release_dib(post, dib, DIB_DECLINED, HOLD_LAPSED)
  queue_hold_event(hold, HOLD_ACTION_LAPSED)
  queue_dib_events(post, dib, DIB_ACTION_DECLINED)
  buyer = db.session.get(User, hold.buyer_id)
  notify(hold.buyer_id, KIND_HOLD_LAPSED, hold_payload(post, buyer, hold))
  announce_reopened(post, hold, 'lapsed')
  db.session.commit()
  return True


def overdue_hold_ids(now):
  """Ids of the active holds whose deadline has passed, oldest deadline first."""
  return (
    db.session.execute(
      select(Hold.id)
      .where(Hold.status == HOLD_ACTIVE, Hold.deadline_at <= now)
      .order_by(Hold.deadline_at, Hold.id)
    )
    .scalars()
    .all()
  )


# --- Reminders -------------------------------------------------------------------------------


def due_reminders(column, earliest, latest):
  """Ids of confirmed meet-ups of active holds between `earliest` and `latest` whose reminder
  `column` is not claimed yet."""
  statement = (
    select(Meetup.id)
    .join(Hold, Hold.id == Meetup.hold_id)
    .where(
      Meetup.status == MEETUP_CONFIRMED,
      Hold.status == HOLD_ACTIVE,
      Meetup.meet_at > earliest,
      Meetup.meet_at <= latest,
      column.is_(None),
    )
    .order_by(Meetup.meet_at)
  )
  return db.session.execute(statement).scalars().all()


def send_reminder(meetup_id, column_name, now):
  """Claim one reminder (a conditional UPDATE: only one worker, one retry, wins it) and
  notify both sides in the claim's transaction; returns whether this call sent it."""
  column = getattr(Meetup, column_name)
  claimed = db.session.execute(
    update(Meetup)
    .where(Meetup.id == meetup_id, column.is_(None))
    .values({column_name: now})
    .execution_options(synchronize_session=False)
  )
  if claimed.rowcount != 1:
    db.session.rollback()
    return False
  meetup = reread(Meetup, meetup_id)
  hold = db.session.get(Hold, meetup.hold_id)
  post = db.session.get(Post, hold.post_id)
  for user_id, actor_id in ((hold.buyer_id, hold.seller_id), (hold.seller_id, hold.buyer_id)):
    actor = db.session.get(User, actor_id)
    notify(
      user_id,
      KIND_MEETUP_REMINDER,
      {**hold_payload(post, actor, hold), **meetup_payload(meetup), 'reminder': column_name},
    )
  db.session.commit()
  return True
