"""Holds and meet-ups: the accepted dib's hold on a post (with a deadline) and the meet-ups
its buyer and seller propose and confirm (docs/HANDOVER.md).

holds: one active hold per post (a partial unique index, like the dibs' accepted index), one
hold per dib; meetups: the proposals of a hold, superseded by newer ones, with the times the
two reminders were claimed. Dibs accepted before this migration get no hold: they stay held
until the seller sells, declines or the buyer cancels, as before.

Revision ID: 0011_holds_meetups
Revises: 0011_idempotency_keys
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = '0011_holds_meetups'
down_revision = '0011_idempotency_keys'
branch_labels = None
depends_on = None

ACTIVE_HOLD_CONDITION = sa.text("status = 'active'")


def upgrade():
  op.create_table(
    'holds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dib_id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('buyer_id', sa.Integer(), nullable=False),
    sa.Column('seller_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('deadline_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint(
      "status IN ('active', 'sold', 'lapsed', 'released', 'no_show', 'ended')",
      name=op.f('ck_holds_status_known'),
    ),
    sa.ForeignKeyConstraint(
      ['buyer_id'], ['users.id'], name=op.f('fk_holds_buyer_id_users'), ondelete='CASCADE'
    ),
    sa.ForeignKeyConstraint(
      ['dib_id'], ['dibs.id'], name=op.f('fk_holds_dib_id_dibs'), ondelete='CASCADE'
    ),
    sa.ForeignKeyConstraint(
      ['post_id'], ['posts.id'], name=op.f('fk_holds_post_id_posts'), ondelete='CASCADE'
    ),
    sa.ForeignKeyConstraint(
      ['seller_id'], ['users.id'], name=op.f('fk_holds_seller_id_users'), ondelete='CASCADE'
    ),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_holds')),
    sa.UniqueConstraint('dib_id', name=op.f('uq_holds_dib_id')),
  )
  with op.batch_alter_table('holds', schema=None) as batch_op:
    batch_op.create_index('ix_holds_buyer_id_id', ['buyer_id', 'id'], unique=False)
    batch_op.create_index('ix_holds_post_id_id', ['post_id', 'id'], unique=False)
    batch_op.create_index('ix_holds_seller_id_id', ['seller_id', 'id'], unique=False)
    batch_op.create_index('ix_holds_status_deadline_at', ['status', 'deadline_at'], unique=False)
    batch_op.create_index(
      'uq_holds_active_post',
      ['post_id'],
      unique=True,
      postgresql_where=ACTIVE_HOLD_CONDITION,
      sqlite_where=ACTIVE_HOLD_CONDITION,
    )

  op.create_table(
    'meetups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('hold_id', sa.Integer(), nullable=False),
    sa.Column('proposer_id', sa.Integer(), nullable=False),
    sa.Column('meet_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reminded_day_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reminded_hour_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint(
      "status IN ('proposed', 'confirmed', 'superseded')", name=op.f('ck_meetups_status_known')
    ),
    sa.ForeignKeyConstraint(
      ['hold_id'], ['holds.id'], name=op.f('fk_meetups_hold_id_holds'), ondelete='CASCADE'
    ),
    sa.ForeignKeyConstraint(
      ['proposer_id'], ['users.id'], name=op.f('fk_meetups_proposer_id_users'), ondelete='CASCADE'
    ),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meetups')),
  )
  with op.batch_alter_table('meetups', schema=None) as batch_op:
    batch_op.create_index('ix_meetups_hold_id_id', ['hold_id', 'id'], unique=False)
    batch_op.create_index('ix_meetups_status_meet_at', ['status', 'meet_at'], unique=False)


def downgrade():
  op.drop_table('meetups')
  op.drop_table('holds')
