"""Conversations between a buyer and a seller about a post, and their messages.

Unread counts are never stored: each participant has a read marker (the id of the last
message they have read), and unread messages are counted from the (conversation_id, id)
index. `last_activity_at` only orders the inbox; it is written in the same transaction as
the message that moves it.
"""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.common.CommonHelpers import utc_now
from app.extensions import db
from app.posts.PostModels import Post
from app.users.UserModels import User


class Conversation(db.Model):
  """The thread between one buyer and a post's seller; the seller is copied from the post so
  a user's inbox is found from an index on this table alone."""

  __tablename__ = 'conversations'
  not_found_message = 'No conversation with that id.'
  __table_args__ = (
    UniqueConstraint('post_id', 'buyer_id', name='uq_conversations_post_id_buyer_id'),
    Index('ix_conversations_buyer_id_last_activity_at', 'buyer_id', 'last_activity_at'),
    Index('ix_conversations_seller_id_last_activity_at', 'seller_id', 'last_activity_at'),
  )

  id: Mapped[int] = mapped_column(primary_key=True)
  post_id: Mapped[int] = mapped_column(ForeignKey('posts.id', ondelete='CASCADE'))
  buyer_id: Mapped[int] = mapped_column(ForeignKey('users.id', ondelete='CASCADE'))
  seller_id: Mapped[int] = mapped_column(ForeignKey('users.id', ondelete='CASCADE'))
  # Read markers: the highest message id each participant has read (null: none yet).
  buyer_last_read_message_id: Mapped[int | None] = mapped_column(Integer)
  seller_last_read_message_id: Mapped[int | None] = mapped_column(Integer)
  created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utc_now)
  last_activity_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utc_now)

  post: Mapped[Post] = relationship(lazy='raise_on_sql')
  buyer: Mapped[User] = relationship(foreign_keys=[buyer_id], lazy='raise_on_sql')
  seller: Mapped[User] = relationship(foreign_keys=[seller_id], lazy='raise_on_sql')

  def last_read_message_id_of(self, user):
    """The read marker of `user`, a participant (0 when they have read nothing)."""
    if user.id == self.buyer_id:
      return self.buyer_last_read_message_id or 0
    return self.seller_last_read_message_id or 0

  def __repr__(self):
    return f'<Conversation {self.id} post={self.post_id} buyer={self.buyer_id}>'


class Message(db.Model):
  """One message; ids grow with time, so they are the polling cursor and the read marker."""

  __tablename__ = 'messages'
  __table_args__ = (
    Index('ix_messages_conversation_id_id', 'conversation_id', 'id'),
    # The periodic unread-message job reads messages of a time window (ChatJobs).
    Index('ix_messages_created_at', 'created_at'),
  )

  id: Mapped[int] = mapped_column(primary_key=True)
  conversation_id: Mapped[int] = mapped_column(ForeignKey('conversations.id', ondelete='CASCADE'))
  sender_id: Mapped[int] = mapped_column(ForeignKey('users.id', ondelete='CASCADE'), index=True)
  body: Mapped[str] = mapped_column(Text)
  created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utc_now)

  def __repr__(self):
    return f'<Message {self.id} conversation={self.conversation_id}>'
