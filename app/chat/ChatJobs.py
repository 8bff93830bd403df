"""Jobs of the chat area: the periodic look for messages left unread, which notifies their
recipients."""

from datetime import timedelta

from sqlalchemy import func, select

from app.chat.ChatConstants import (
  UNREAD_MESSAGE_DELAY_SECONDS,
  UNREAD_MESSAGE_INTERVAL_SECONDS,
  UNREAD_MESSAGE_LOOKBACK_SECONDS,
)
from app.chat.ChatModels import Conversation, Message
from app.common.CommonHelpers import as_utc, utc_now
from app.common.CommonJobs import periodic_job
from app.extensions import db
from app.notifications.NotificationConstants import KIND_NEW_MESSAGE
from app.notifications.NotificationHelpers import notify
from app.notifications.NotificationModels import Notification
from app.posts.PostModels import Post
from app.users.UserModels import User


def unread_message_candidates(now):
  """(conversation id, sender id, newest message id) of messages sent between the lookback
  and the delay ago: one grouped query over the messages' time index."""
  return db.session.execute(
    select(Message.conversation_id, Message.sender_id, func.max(Message.id))
    .where(
      Message.created_at >= now - timedelta(seconds=UNREAD_MESSAGE_LOOKBACK_SECONDS),
      Message.created_at <= now - timedelta(seconds=UNREAD_MESSAGE_DELAY_SECONDS),
    )
    .group_by(Message.conversation_id, Message.sender_id)
  ).all()


def last_message_notification(user_id, conversation_id):
  """The user's newest new-message notification about the conversation, or None."""
  return db.session.execute(
    select(Notification)
    .where(
      Notification.user_id == user_id,
      Notification.kind == KIND_NEW_MESSAGE,
      Notification.subject_key == f'conversation:{conversation_id}',
    )
    .order_by(Notification.id.desc())
    .limit(1)
  ).scalar_one_or_none()


def is_due(previous, message_id, now):
  """A conversation is notified again only about newer messages, and after the interval."""
  if previous is None:
    return True
  if previous.payload.get('message_id', 0) >= message_id:
    return False
  return as_utc(previous.created_at) <= now - timedelta(seconds=UNREAD_MESSAGE_INTERVAL_SECONDS)


@periodic_job
def notify_unread_messages():
  """Tell each participant about messages they have left unread for the delay."""
  now = utc_now()
  sent = 0
  for conversation_id, sender_id, message_id in unread_message_candidates(now):
    conversation = db.session.get(Conversation, conversation_id)
    recipient_id = (
      conversation.seller_id if sender_id == conversation.buyer_id else conversation.buyer_id
    )
    if conversation.last_read_message_id_of(db.session.get(User, recipient_id)) >= message_id:
      continue
    if not is_due(last_message_notification(recipient_id, conversation_id), message_id, now):
      continue
    post = db.session.get(Post, conversation.post_id)
    sender = db.session.get(User, sender_id)
    payload = {
      'post_id': post.id,
      'post_title': post.title,
      'actor': sender.username,
      'conversation_id': conversation_id,
      'message_id': message_id,
    }
    notify(recipient_id, KIND_NEW_MESSAGE, payload, subject_key=f'conversation:{conversation_id}')
    sent += 1
  # One commit for the whole run: the notifications, their events and their mail go together.
  db.session.commit()
  return sent
