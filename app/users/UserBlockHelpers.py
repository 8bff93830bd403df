"""Blocks between users: both ways at once. A block hides each one's posts from the other (lists,
search, profiles, post pages) and stops new conversations, messages and dibs between them. The
blocked user is not told: nothing notifies them, and what they are refused never says why."""

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app.common.CommonErrors import ApiError
from app.extensions import db
from app.users.UserHelpers import get_user_by_username
from app.users.UserModels import User, UserBlock
from app.users.UserSessionHelpers import has_block_of

# What each side is told when a block stops them. The blocked side's message names no block.
BLOCKER_MESSAGES = {
  'message': 'You blocked this user: unblock them to send messages.',
  'conversation': 'You blocked this user: unblock them to start a conversation.',
  'dib': 'You blocked this seller: unblock them to call dibs.',
}
BLOCKED_MESSAGES = {
  'message': 'You can no longer send messages in this conversation.',
  'conversation': 'You cannot start a conversation about this post.',
  'dib': 'You cannot call dibs on this post.',
}


def block_user(blocker, username):
  """`blocker` blocks the user named `username`; blocking twice changes nothing. Returns
  (block, created)."""
  blocked = get_user_by_username(username)
  if blocked.id == blocker.id:
    raise ApiError(422, fields={'username': ['You cannot block yourself.']})
  block = find_block(blocker.id, blocked.id)
  if block is not None:
    return block, False
  block = UserBlock(blocker_id=blocker.id, blocked_id=blocked.id)
  db.session.add(block)
  try:
    db.session.commit()
  except IntegrityError:
    # A concurrent request of the same blocker won the unique constraint.
    db.session.rollback()
    block = find_block(blocker.id, blocked.id)
    if block is None:
      raise ApiError(404, message=User.not_found_message) from None
    return block, False
  return find_block(blocker.id, blocked.id), True


def unblock_user(blocker, username):
  """Lift `blocker`'s block of `username`; lifting one that does not exist changes nothing."""
  blocked = get_user_by_username(username)
  block = find_block(blocker.id, blocked.id)
  if block is not None:
    db.session.delete(block)
    db.session.commit()


def find_block(blocker_id, blocked_id):
  """The block of `blocked_id` by `blocker_id` (with the blocked user loaded), or None."""
  return db.session.execute(
    select(UserBlock)
    .where(UserBlock.blocker_id == blocker_id, UserBlock.blocked_id == blocked_id)
    .options(joinedload(UserBlock.blocked))
  ).scalar_one_or_none()


def my_blocks_statement(user):
  """The users `user` blocked, most recent first, with who they are."""
  return (
    select(UserBlock)
    .where(UserBlock.blocker_id == user.id)
    .options(joinedload(UserBlock.blocked))
    .order_by(UserBlock.id.desc())
  )


def between(first_id, second_id):
  """The SQL condition: a block between the two users, either way."""
  return or_(
    and_(UserBlock.blocker_id == first_id, UserBlock.blocked_id == second_id),
    and_(UserBlock.blocker_id == second_id, UserBlock.blocked_id == first_id),
  )


def has_any_block(user_id):
  """Whether the user is on either side of any block."""
  return db.session.execute(select(has_block_of(user_id))).scalar_one()


def hidden_user_ids(user_id):
  """The select of the ids of users whose posts `user_id` must not see, and who must not see
  theirs: whom they blocked and who blocked them."""
  return (
    select(UserBlock.blocked_id)
    .where(UserBlock.blocker_id == user_id)
    .union(select(UserBlock.blocker_id).where(UserBlock.blocked_id == user_id))
  )


def not_hidden_from(user_id, owner_column):
  """The SQL condition: the row's owner (`owner_column`) is not blocked either way with
  `user_id`."""
  return owner_column.not_in(hidden_user_ids(user_id).scalar_subquery())


def block_sides(user):
  """(ids `user` blocked, ids who blocked `user`): one query, none when the login's loader
  found the user in no block."""
  if user.has_blocks is False:
    return set(), set()
  user_id = user.id
  rows = db.session.execute(
    select(UserBlock.blocker_id, UserBlock.blocked_id).where(
      or_(UserBlock.blocker_id == user_id, UserBlock.blocked_id == user_id)
    )
  )
  blocked_by_me, blocking_me = set(), set()
  for blocker_id, blocked_id in rows:
    if blocker_id == user_id:
      blocked_by_me.add(blocked_id)
    else:
      blocking_me.add(blocker_id)
  return blocked_by_me, blocking_me


def require_no_block(actor, other_id, action):
  """409 when a block stands between `actor` and the user `other_id`; `action` (message,
  conversation, dib) picks the words. The blocked side is not told that it is a block. No
  query when the login's loader found the actor in no block."""
  if actor.has_blocks is False:
    return
  actor_id = actor.id
  rows = db.session.execute(
    select(UserBlock.blocker_id).where(between(actor_id, other_id))
  ).scalars()
  blockers = set(rows)
  if not blockers:
    return
  if actor_id in blockers:
    raise ApiError(409, message=BLOCKER_MESSAGES[action])
  raise ApiError(409, message=BLOCKED_MESSAGES[action])


def is_hidden_between(viewer_id, owner_id):
  """Whether a block either way stands between a viewer and the owner of something."""
  if viewer_id is None or viewer_id == owner_id:
    return False
  return db.session.execute(select(exists().where(between(viewer_id, owner_id)))).scalar_one()
