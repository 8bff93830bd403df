"""The rules of the chat area: who may talk, sending, reading, unread counts.

Unread counts are derived, never stored: a message is unread by a participant when the
other one sent it and its id is above that participant's read marker.
"""

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app.chat.ChatConstants import DEFAULT_MESSAGE_PAGE_SIZE
from app.chat.ChatModels import Conversation, Message
from app.chat.ChatQueries import involves_user, unread_by
from app.chat.ChatSerializers import message_to_json
from app.common.CommonErrors import ApiError
from app.common.CommonHelpers import get_or_404, utc_now
from app.events.EventConstants import EVENT_MESSAGE, EVENT_UNREAD
from app.events.EventHelpers import queue_user_event
from app.extensions import db
from app.posts.PostConstants import STATUS_WITHDRAWN
from app.posts.PostModels import Dib, Post
from app.users.UserBlockHelpers import require_no_block
from app.users.UserModels import User


def with_details():
  """Loader options for everything a serialized conversation shows."""
  return (
    joinedload(Conversation.post).joinedload(Post.seller),
    joinedload(Conversation.buyer),
  )


def get_conversation(conversation_id, user, details=False):
  """The conversation when `user` takes part in it; 404 otherwise, for admins too. With
  `details`, loaded with everything its JSON shows."""
  return get_or_404(
    Conversation,
    involves_user(user.id),
    id=conversation_id,
    options=with_details() if details else (),
  )


def find_conversation(post_id, buyer_id):
  """The conversation of this buyer about this post (loaded for serializing), or None."""
  return db.session.execute(
    select(Conversation)
    .where(Conversation.post_id == post_id, Conversation.buyer_id == buyer_id)
    .options(*with_details())
  ).scalar_one_or_none()


def open_conversation(post_id, user, buyer_id=None):
  """Return (conversation, created): the conversation about the post between its seller and a
  buyer, made if new. A buyer opens their own; the seller names a buyer (`buyer_id`) who
  called dibs on the post, to write to someone in the queue."""
  post = get_or_404(Post, id=post_id)
  buyer = user if buyer_id is None else queued_buyer(post, user, buyer_id)
  if post.seller_id == buyer.id:
    raise ApiError(409, message='You cannot start a conversation about your own post.')
  conversation = find_conversation(post.id, buyer.id)
  if conversation is not None:
    return conversation, False
  other_id = buyer.id if user.id == post.seller_id else post.seller_id
  require_no_block(user, other_id, 'conversation')
  if post.status == STATUS_WITHDRAWN:
    raise ApiError(409, message='This post has been withdrawn.')
  db.session.add(Conversation(post_id=post.id, buyer_id=buyer.id, seller_id=post.seller_id))
  try:
    db.session.commit()
  except IntegrityError:
    # A concurrent request of the same buyer won the unique constraint: answer with its row.
    db.session.rollback()
    conversation = find_conversation(post.id, buyer.id)
    if conversation is None:
      # Not the unique constraint, then: the post went away while we inserted.
      raise ApiError(404, message=Post.not_found_message) from None
    return conversation, False
  return find_conversation(post.id, buyer.id), True


def queued_buyer(post, seller, buyer_id):
  """The user `buyer_id` when `seller` sells `post` and that user called dibs on it."""
  if post.seller_id != seller.id:
    raise ApiError(403, message='Only the seller can write to someone in the queue.')
  buyer = (
    db.session.execute(
      select(User)
      .join(Dib, Dib.user_id == User.id)
      .where(Dib.post_id == post.id, User.id == buyer_id)
    )
    .scalars()
    .first()
  )
  if buyer is None:
    raise ApiError(422, fields={'buyer_id': ['Must be someone who called dibs on this post.']})
  return buyer


def send_message(conversation_id, sender, body):
  """Add a message to one of the sender's conversations and move it up the inboxes, in one
  transaction."""
  conversation = get_conversation(conversation_id, sender)
  post_status = db.session.execute(
    select(Post.status).where(Post.id == conversation.post_id)
  ).scalar_one()
  if post_status == STATUS_WITHDRAWN:
    raise ApiError(409, message='This post has been withdrawn; the conversation is read-only.')
  require_no_block(sender, other_participant_id(conversation, sender.id), 'message')
  now = utc_now()
  message = Message(conversation_id=conversation.id, sender_id=sender.id, body=body, created_at=now)
  db.session.add(message)
  conversation.last_activity_at = now
  db.session.flush()
  queue_message_events(conversation, message)
  # Committing expires what the session holds, and the answer would read the message back;
  # flushed, it is complete, so it leaves the session before the commit instead.
  db.session.expunge(message)
  db.session.commit()
  return message


def list_messages(conversation_id, user, after=None, before=None, limit=DEFAULT_MESSAGE_PAGE_SIZE):
  """Messages of one of the user's conversations, oldest first: the first `limit` after
  `after`, else the last `limit` (before `before` when given)."""
  conversation = get_conversation(conversation_id, user)
  messages = db.session.execute(
    messages_statement(conversation.id, after=after, before=before, limit=limit)
  ).scalars()
  if after is not None:
    return list(messages)
  return list(reversed(messages.all()))


def messages_statement(conversation_id, after=None, before=None, limit=DEFAULT_MESSAGE_PAGE_SIZE):
  """One range scan of the (conversation_id, id) index: ascending from `after`, otherwise
  descending from the newest (or from `before`)."""
  statement = select(Message).where(Message.conversation_id == conversation_id)
  if after is not None:
    return statement.where(Message.id > after).order_by(Message.id).limit(limit)
  if before is not None:
    statement = statement.where(Message.id < before)
  return statement.order_by(Message.id.desc()).limit(limit)


def mark_read(conversation_id, user, up_to=None):
  """Move the user's read marker to `up_to` (default: the newest message); never backwards."""
  conversation = get_conversation(conversation_id, user)
  if up_to is None:
    up_to = db.session.execute(
      select(func.max(Message.id)).where(Message.conversation_id == conversation.id)
    ).scalar()
    if up_to is None:
      return
  elif not message_belongs_to(up_to, conversation):
    raise ApiError(422, fields={'up_to': ['Is not a message of this conversation.']})
  if user.id == conversation.buyer_id:
    marker = Conversation.buyer_last_read_message_id
  else:
    marker = Conversation.seller_last_read_message_id
  # One conditional UPDATE, so two tabs marking different points cannot move it back.
  db.session.execute(
    update(Conversation)
    .where(Conversation.id == conversation.id, or_(marker.is_(None), marker < up_to))
    .values({marker: up_to})
  )
  queue_unread_event(user.id)
  db.session.commit()


def other_participant_id(conversation, user_id):
  """The id of the participant who is not `user_id`."""
  return conversation.seller_id if user_id == conversation.buyer_id else conversation.buyer_id


def queue_message_events(conversation, message):
  """After the commit: the message to both participants' streams (the sender's other tabs
  too), and the recipient's new unread count."""
  recipient_id = (
    conversation.seller_id if message.sender_id == conversation.buyer_id else conversation.buyer_id
  )
  payload = {'conversation_id': conversation.id, 'message': message_to_json(message)}
  for user_id in (recipient_id, message.sender_id):
    queue_user_event(user_id, EVENT_MESSAGE, payload)
  queue_unread_event(recipient_id)


def queue_unread_event(user_id):
  """After the commit: the user's unread count as this transaction leaves it."""
  queue_user_event(user_id, EVENT_UNREAD, {'unread': count_unread_of(user_id)})


def message_belongs_to(message_id, conversation):
  """Whether the message id is one of the conversation's messages."""
  return (
    db.session.execute(
      select(Message.id).where(Message.id == message_id, Message.conversation_id == conversation.id)
    ).scalar()
    is not None
  )


def count_unread(user):
  """How many messages in all the user's conversations they have not read: one query."""
  return count_unread_of(user.id)


def count_unread_of(user_id):
  """count_unread by user id."""
  return db.session.execute(
    select(func.count())
    .select_from(Message)
    .join(Conversation, Conversation.id == Message.conversation_id)
    .where(involves_user(user_id), unread_by(user_id))
  ).scalar_one()


def inbox_statement(user):
  """The user's conversations, newest activity first, with what the list shows."""
  return (
    select(Conversation)
    .where(involves_user(user.id))
    .options(*with_details())
    .order_by(Conversation.last_activity_at.desc(), Conversation.id.desc())
  )


def inbox_count_statement(user):
  """How many conversations the user takes part in."""
  return select(func.count()).select_from(Conversation).where(involves_user(user.id))
