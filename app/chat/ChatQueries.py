"""SQL conditions over conversations and messages that the chat's rules and its JSON share."""

from sqlalchemy import and_, case, func, or_

from app.chat.ChatModels import Conversation, Message


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
