"""Server-side login sessions, and one spelling per email.

`user_sessions` holds one row per login (the cookie carries a random id, the row its SHA-256
digest), replacing the per-user `users.session_token`. Existing emails are normalized as
UserHelpers.normalize_email does (NFC, lower-case, IDNA domain); an email whose normalized
form another account already holds is left as it was and named in the migration's output.

Revision ID: 0006_sessions
Revises: 0005_post_list_index
Create Date: 2026-11-30
"""

import unicodedata

import idna
import sqlalchemy as sa
from alembic import op

revision = '0006_sessions'
down_revision = '0005_post_list_index'
branch_labels = None
depends_on = None

EMAIL_MAX_LENGTH = 254


def normalized_email(email):
  """A frozen copy of UserHelpers.normalize_email as of this migration."""
  email = unicodedata.normalize('NFC', email.strip()).lower()
  local_part, at_sign, domain = email.rpartition('@')
  if not at_sign or domain.isascii():
    return email
  try:
    domain = idna.encode(domain, uts46=True).decode('ascii')
  except (idna.IDNAError, UnicodeError):
    return email
  return f'{local_part}@{domain}'


def normalize_existing_emails():
  connection = op.get_bind()
  users = sa.table('users', sa.column('id', sa.Integer), sa.column('email', sa.String))
  rows = connection.execute(sa.select(users.c.id, users.c.email).order_by(users.c.id)).all()
  taken = {email for _, email in rows}
  for user_id, email in rows:
    normalized = normalized_email(email)
    if normalized == email or len(normalized) > EMAIL_MAX_LENGTH:
      continue
    if normalized in taken:
      print(f'0006_sessions: user {user_id} keeps its email; its normalized form is taken.')
      continue
    connection.execute(users.update().where(users.c.id == user_id).values(email=normalized))
    taken.discard(email)
    taken.add(normalized)


def upgrade():
  op.create_table(
    'user_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('id_hash', sa.String(length=64), nullable=False),
    sa.Column('remember', sa.Boolean(), nullable=False),
    sa.Column('user_agent', sa.String(length=200), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(
      ['user_id'], ['users.id'], name=op.f('fk_user_sessions_user_id_users'), ondelete='CASCADE'
    ),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_sessions')),
    sa.UniqueConstraint('id_hash', name=op.f('uq_user_sessions_id_hash')),
  )
  op.create_index(op.f('ix_user_sessions_user_id'), 'user_sessions', ['user_id'], unique=False)
  # Every login before this migration ends: its cookie named the dropped token. A plain
  # ALTER (SQLite 3.35+): batch mode would copy and drop `users`, and dropping it with foreign
  # keys on would cascade into every table that refers to it.
  op.drop_column('users', 'session_token')
  normalize_existing_emails()


def downgrade():
  op.add_column(
    'users', sa.Column('session_token', sa.String(length=64), nullable=False, server_default='')
  )
  op.drop_index(op.f('ix_user_sessions_user_id'), table_name='user_sessions')
  op.drop_table('user_sessions')
