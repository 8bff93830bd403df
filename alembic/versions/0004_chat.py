"""Conversations between buyers and sellers, their messages and read markers.

Revision ID: 0004_chat
Revises: 0003_search
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = '0004_chat'
down_revision = '0003_search'
branch_labels = None
depends_on = None


def upgrade():
  op.create_table(
    'conversations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('buyer_id', sa.Integer(), nullable=False),
    sa.Column('seller_id', sa.Integer(), nullable=False),
    sa.Column('buyer_last_read_message_id', sa.Integer(), nullable=True),
    sa.Column('seller_last_read_message_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_activity_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(
      ['buyer_id'], ['users.id'], name=op.f('fk_conversations_buyer_id_users'), ondelete='CASCADE'
    ),
    sa.ForeignKeyConstraint(
      ['post_id'], ['posts.id'], name=op.f('fk_conversations_post_id_posts'), ondelete='CASCADE'
    ),
    sa.ForeignKeyConstraint(
      ['seller_id'], ['users.id'], name=op.f('fk_conversations_seller_id_users'), ondelete='CASCADE'
    ),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conversations')),
    sa.UniqueConstraint('post_id', 'buyer_id', name='uq_conversations_post_id_buyer_id'),
  )
  with op.batch_alter_table('conversations', schema=None) as batch_op:
    batch_op.create_index(
      'ix_conversations_buyer_id_last_activity_at', ['buyer_id', 'last_activity_at'], unique=False
    )
    batch_op.create_index(
      'ix_conversations_seller_id_last_activity_at', ['seller_id', 'last_activity_at'], unique=False
    )

  op.create_table(
    'messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('sender_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(
      ['conversation_id'],
      ['conversations.id'],
      name=op.f('fk_messages_conversation_id_conversations'),
      ondelete='CASCADE',
    ),
    sa.ForeignKeyConstraint(
      ['sender_id'], ['users.id'], name=op.f('fk_messages_sender_id_users'), ondelete='CASCADE'
    ),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_messages')),
  )
  with op.batch_alter_table('messages', schema=None) as batch_op:
    batch_op.create_index('ix_messages_conversation_id_id', ['conversation_id', 'id'], unique=False)
    batch_op.create_index(batch_op.f('ix_messages_sender_id'), ['sender_id'], unique=False)


def downgrade():
  with op.batch_alter_table('messages', schema=None) as batch_op:
    batch_op.drop_index(batch_op.f('ix_messages_sender_id'))
    batch_op.drop_index('ix_messages_conversation_id_id')

  op.drop_table('messages')
  with op.batch_alter_table('conversations', schema=None) as batch_op:
    batch_op.drop_index('ix_conversations_seller_id_last_activity_at')
    batch_op.drop_index('ix_conversations_buyer_id_last_activity_at')

  op.drop_table('conversations')
