"""The JSON of conversations (as one participant sees them) and messages."""

from sqlalchemy import func, select

from app.chat.ChatModels import Conversation, Message
from app.chat.ChatQueries import unread_by
from app.common.CommonHelpers import to_iso
from app.extensions import db
from app.posts.PostConstants import STATUS_WITHDRAWN
from app.posts.PostSerializers import covers_by_post
from app.users.UserBlockHelpers import block_sides
from app.users.UserSerializers import user_summary_to_json


def message_to_json(message):
  """The message as the API shows it; the sender is one of the two participants by id."""
  return {
    'id': message.id,
    'conversation_id': message.conversation_id,
    'sender_id': message.sender_id,
    'body': message.body,
    'created_at': to_iso(message.created_at),
  }


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


def conversations_to_json(conversations, user):
  """JSON for conversations loaded with `with_details()`, as seen by `user` (the user itself,
  not a proxy: each conversation reads it a dozen times): three queries for the whole batch
  (last messages, unread counts, the posts' covers) and the user's blocks, whatever its size."""
  ids = [conversation.id for conversation in conversations]
  blocked_by_me, blocking_me = block_sides(user) if conversations else (set(), set())
  last_messages = last_messages_by_conversation(ids)
  unread_counts = unread_counts_by_conversation(ids, user)
  covers = covers_by_post({conversation.post_id for conversation in conversations})
  return [
    conversation_with_extras_to_json(
      conversation,
      user,
      last_messages.get(conversation.id),
      unread_counts.get(conversation.id, 0),
      covers.get(conversation.post_id),
      blocks=(blocked_by_me, blocking_me),
    )
    for conversation in conversations
  ]


def conversation_to_json(conversation, user):
  """JSON for one conversation loaded with `with_details()`."""
  return conversations_to_json([conversation], user)[0]


def conversation_with_extras_to_json(
  conversation, user, last_message, unread_count, cover=None, blocks=(frozenset(), frozenset())
):
  """One conversation as `user` sees it; `cover` is the post's cover image JSON, if any;
  `blocks` is (ids the user blocked, ids who blocked the user). `can_send` is false once the
  post is withdrawn or a block stands either way; only the blocker learns it is theirs
  (`blocked_by_me`)."""
  seller = conversation.post.seller
  buyer = conversation.buyer
  other_user = buyer if user.id == seller.id else seller
  blocked_by_me, blocking_me = blocks
  is_blocked = other_user.id in blocked_by_me or other_user.id in blocking_me
  return {
    'id': conversation.id,
    'post': post_summary_to_json(conversation.post, cover),
    'buyer': user_summary_to_json(buyer),
    'seller': user_summary_to_json(seller),
    'other_user': user_summary_to_json(other_user),
    'last_message': message_to_json(last_message) if last_message else None,
    'unread_count': unread_count,
    'can_send': conversation.post.status != STATUS_WITHDRAWN and not is_blocked,
    'blocked_by_me': other_user.id in blocked_by_me,
    'last_read_message_id': conversation.last_read_message_id_of(user) or None,
    'created_at': to_iso(conversation.created_at),
    'last_activity_at': to_iso(conversation.last_activity_at),
  }


def post_summary_to_json(post, cover=None):
  """The few fields of a post shown beside a conversation (its seller loaded), with the
  cover photo's thumbnail (null without a photo)."""
  return {
    'id': post.id,
    'title': post.title,
    'price_cents': post.price_cents,
    'status': post.status,
    'seller': user_summary_to_json(post.seller),
    'cover': cover,
  }
