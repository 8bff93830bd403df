"""The rules of the chat area: who may talk, sending, reading, unread counts, serializing.

Unread counts are derived, never stored: a message is unread by a participant when the
other one sent it and its id is above that participant's read marker.
"""

from flask_login import current_user
from sqlalchemy import and_, case, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app.chat.ChatConstants import DEFAULT_MESSAGE_PAGE_SIZE
from app.chat.ChatModels import Conversation, Message
from app.common.CommonErrors import ApiError
from app.common.CommonHelpers import to_iso, utc_now
from app.extensions import db
from app.posts.PostConstants import STATUS_WITHDRAWN
from app.posts.PostHelpers import covers_by_post
from app.posts.PostModels import Dib, Post
from app.users.UserModels import User

CONVERSATION_NOT_FOUND_MESSAGE = 'No conversation with that id.'


def involves_user(user_id):
  """The SQL condition: the user is the buyer or the seller of the conversation."""
  return or_(Conversation.buyer_id == user_id, Conversation.seller_id == user_id)


def read_marker_of(user_id):
  """The SQL expression for the user's read marker on the joined conversation."""
  return case(
    (Conversation.buyer_id == user_id, func.coalesce(Conversation.buyer_last_read_message_id, 0)),
    else_=func.coalesce(Conversation.seller_last_read_message_id, 0),
  )


def unread_by(user_id):
  """The SQL condition: the joined message is unread by the user."""
  return and_(Message.sender_id != user_id, Message.id > read_marker_of(user_id))


def with_details():
  """Loader options for everything a serialized conversation shows."""
  return (
    joinedload(Conversation.post).joinedload(Post.seller),
    joinedload(Conversation.buyer),
  )


def get_conversation_or_404(conversation_id, user, details=False):
  """The conversation when `user` takes part in it; 404 otherwise, for admins too."""
  statement = select(Conversation).where(Conversation.id == conversation_id, involves_user(user.id))
  if details:
    statement = statement.options(*with_details())
  conversation = db.session.execute(statement).scalar_one_or_none()
  if conversation is None:
    raise ApiError(404, message=CONVERSATION_NOT_FOUND_MESSAGE)
  return conversation


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
  post = db.session.get(Post, post_id)
  if post is None:
    raise ApiError(404, message='No post with that id.')
  buyer = user if buyer_id is None else queued_buyer(post, user, buyer_id)
  if post.seller_id == buyer.id:
    raise ApiError(409, message='You cannot start a conversation about your own post.')
  conversation = find_conversation(post.id, buyer.id)
  if conversation is not None:
    return conversation, False
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
      raise ApiError(404, message='No post with that id.') from None
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


def send_message(conversation, sender, body):
  """Add a message and move the conversation up the inboxes, in one transaction."""
  post_status = db.session.execute(
    select(Post.status).where(Post.id == conversation.post_id)
  ).scalar_one()
  if post_status == STATUS_WITHDRAWN:
    raise ApiError(409, message='This post has been withdrawn; the conversation is read-only.')
  now = utc_now()
  message = Message(conversation_id=conversation.id, sender_id=sender.id, body=body, created_at=now)
  db.session.add(message)
  conversation.last_activity_at = now
  db.session.flush()
  # Committing expires what the session holds, and the answer would read the message back;
  # flushed, it is complete, so it leaves the session before the commit instead.
  db.session.expunge(message)
  db.session.commit()
  return message


def list_messages(conversation, after=None, before=None, limit=DEFAULT_MESSAGE_PAGE_SIZE):
  """Messages oldest first: the first `limit` after `after`, else the last `limit` (before
  `before` when given)."""
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


def mark_read(conversation, user, up_to=None):
  """Move the user's read marker to `up_to` (default: the newest message); never backwards."""
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
  db.session.commit()


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
  return db.session.execute(
    select(func.count())
    .select_from(Message)
    .join(Conversation, Conversation.id == Message.conversation_id)
    .where(involves_user(user.id), unread_by(user.id))
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


def last_messages_by_conversation(conversation_ids):
  """The newest message of each conversation, in one query over the index."""
  if not conversation_ids:
    return {}
  newest_ids = (
    select(func.max(Message.id))
    .where(Message.conversation_id.in_(conversation_ids))
    .group_by(Message.conversation_id)
  )
  messages = db.session.execute(select(Message).where(Message.id.in_(newest_ids))).scalars()
  return {message.conversation_id: message for message in messages}


def unread_counts_by_conversation(conversation_ids, user):
  """The user's unread count in each conversation, in one query (absent means zero)."""
  if not conversation_ids:
    return {}
  rows = db.session.execute(
    select(Message.conversation_id, func.count())
    .join(Conversation, Conversation.id == Message.conversation_id)
    .where(Message.conversation_id.in_(conversation_ids), unread_by(user.id))
    .group_by(Message.conversation_id)
  )
  return {conversation_id: count for conversation_id, count in rows}


def serialize_conversations(conversations, user=None):
  """JSON for conversations loaded with `with_details()`, as seen by `user`: three queries
  for the whole batch, whatever its size."""
  # The user itself, not the current_user proxy: each conversation reads it a dozen times.
  user = current_user._get_current_object() if user is None else user
  ids = [conversation.id for conversation in conversations]
  last_messages = last_messages_by_conversation(ids)
  unread_counts = unread_counts_by_conversation(ids, user)
  covers = covers_by_post({conversation.post_id for conversation in conversations})
  return [
    conversation_json(
      conversation,
      user,
      last_messages.get(conversation.id),
      unread_counts.get(conversation.id, 0),
      covers.get(conversation.post_id),
    )
    for conversation in conversations
  ]


def serialize_conversation(conversation, user=None):
  """JSON for one conversation loaded with `with_details()`."""
  return serialize_conversations([conversation], user)[0]


def conversation_json(conversation, user, last_message, unread_count, cover=None):
  """One conversation as `user` sees it; `cover` is the post's cover image JSON, if any."""
  seller = conversation.post.seller
  buyer = conversation.buyer
  other_user = buyer if user.id == seller.id else seller
  return {
    'id': conversation.id,
    'post': post_summary_json(conversation.post, cover),
    'buyer': buyer.to_summary_json(),
    'seller': seller.to_summary_json(),
    'other_user': other_user.to_summary_json(),
    'last_message': last_message.to_json() if last_message else None,
    'unread_count': unread_count,
    'last_read_message_id': conversation.last_read_message_id_of(user) or None,
    'created_at': to_iso(conversation.created_at),
    'last_activity_at': to_iso(conversation.last_activity_at),
  }


def post_summary_json(post, cover=None):
  """The few fields of a post shown beside a conversation (its seller loaded), with the
  cover photo's thumbnail (null without a photo)."""
  return {
    'id': post.id,
    'title': post.title,
    'price_cents': post.price_cents,
    'status': post.status,
    'seller': post.seller.to_summary_json(),
    'cover': cover,
  }


def sender_rate_limit_key():
  """The rate-limit key for sending: the logged-in user, wherever they connect from."""
  return f'user:{current_user.id}'


def is_anonymous_request():
  """Anonymous requests skip the per-user limit; the login check answers them with 401."""
  return not current_user.is_authenticated
