"""The JSON of holds and their current meet-up, with countdowns, in a constant number of
queries per batch."""

from collections import Counter

from sqlalchemy import func, select

from app.campuses.CampusModels import PickupSpot
from app.common.CommonHelpers import as_utc, to_iso
from app.extensions import db
from app.posts.PostHoldConstants import CURRENT_MEETUP_STATUSES, HOLD_ACTIVE, HOLD_NO_SHOW
from app.posts.PostHoldModels import Hold, Meetup
from app.posts.PostHoldState import hold_now
from app.posts.PostModels import Post
from app.posts.PostSerializers import users_by_id
from app.users.UserSerializers import user_summary_to_json


def seconds_until(moment, now):
  """Whole seconds from `now` to `moment`, never below 0 (a countdown)."""
  return max(0, int((as_utc(moment) - now).total_seconds()))


def meetup_to_json(meetup, now):
  """A meet-up proposal and the seconds left until it."""
  return {
    'id': meetup.id,
    'proposer_id': meetup.proposer_id,
    'meet_at': to_iso(meetup.meet_at),
    'place': meetup.place,
    'status': meetup.status,
    'confirmed_at': to_iso(meetup.confirmed_at),
    'seconds_until': seconds_until(meetup.meet_at, now),
  }


def current_meetups(hold_ids):
  """{hold_id: its newest proposed or confirmed meet-up} in one query."""
  if not hold_ids:
    return {}
  meetups = db.session.execute(
    select(Meetup)
    .where(Meetup.hold_id.in_(hold_ids), Meetup.status.in_(CURRENT_MEETUP_STATUSES))
    .order_by(Meetup.id)
  ).scalars()
  return {meetup.hold_id: meetup for meetup in meetups}


def no_show_counts(buyer_ids):
  """{buyer_id: how many of their holds ended in a no-show} in one query."""
  if not buyer_ids:
    return Counter()
  rows = db.session.execute(
    select(Hold.buyer_id, func.count())
    .where(Hold.buyer_id.in_(buyer_ids), Hold.status == HOLD_NO_SHOW)
    .group_by(Hold.buyer_id)
  )
  return Counter(dict(rows.all()))


def pickup_spots_by_campus(campus_ids):
  """{campus_id: [{id, name}] of its pickup spots, by name} in one query (what a meet-up may
  pick by pickup_spot_id)."""
  campus_ids = {campus_id for campus_id in campus_ids if campus_id is not None}
  spots = {campus_id: [] for campus_id in campus_ids}
  if campus_ids:
    rows = db.session.execute(
      select(PickupSpot.id, PickupSpot.name, PickupSpot.campus_id)
      .where(PickupSpot.campus_id.in_(campus_ids))
      .order_by(PickupSpot.name, PickupSpot.id)
    )
    for row in rows:
      spots[row.campus_id].append({'id': row.id, 'name': row.name})
  return spots


def holds_to_json(holds):
  """Holds with their post, buyer, seller, current meet-up and countdowns."""
  holds = list(holds)
  now = hold_now()
  hold_ids = [hold.id for hold in holds]
  users = users_by_id({hold.buyer_id for hold in holds} | {hold.seller_id for hold in holds})
  posts = {}
  if holds:
    rows = db.session.execute(
      select(Post.id, Post.title, Post.status, Post.campus_id).where(
        Post.id.in_({h.post_id for h in holds})
      )
    )
    posts = {row.id: row for row in rows}
  spots = pickup_spots_by_campus(row.campus_id for row in posts.values())
  meetups = current_meetups(hold_ids)
  no_shows = no_show_counts({hold.buyer_id for hold in holds})
  items = []
  for hold in holds:
    meetup = meetups.get(hold.id)
    active = hold.status == HOLD_ACTIVE
    items.append(
      {
        'id': hold.id,
        'post_id': hold.post_id,
        'post': {
          'id': hold.post_id,
          'title': posts[hold.post_id].title,
          'status': posts[hold.post_id].status,
        },
        # The pickup spots of the post's campus, for the meet-up form (docs/CAMPUSES.md).
        'pickup_spots': spots.get(posts[hold.post_id].campus_id, []),
        'dib_id': hold.dib_id,
        'buyer': user_summary_to_json(users[hold.buyer_id]),
        'seller': user_summary_to_json(users[hold.seller_id]),
        'status': hold.status,
        'deadline_at': to_iso(hold.deadline_at),
        'seconds_left': seconds_until(hold.deadline_at, now) if active else 0,
        'buyer_no_shows': no_shows[hold.buyer_id],
        'meetup': meetup_to_json(meetup, now) if meetup is not None else None,
        'created_at': to_iso(hold.created_at),
        'ended_at': to_iso(hold.ended_at),
      }
    )
  return items


def hold_to_json(hold):
  """One hold, like holds_to_json."""
  return holds_to_json([hold])[0]
