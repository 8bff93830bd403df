"""Campuses as data (issue 24.1): campuses, their email domains and pickup spots, and the
campus of users, posts and saved searches as a reference instead of free text.

The data move (docs/CAMPUSES.md):
- CAMPUS_EMAIL_DOMAINS, when set in the environment the migration runs in, becomes one
  campus: its slug is the first label of the first domain (`berkeley.edu` -> `berkeley`), its
  name that label capitalised, its domains the listed ones, its time zone CAMPUS_TIMEZONE
  (else UTC). Operators rename it afterwards (`manage.py campus edit`).
- The old free-text `campus` column of users, posts and saved_searches is renamed
  `legacy_campus` and keeps its text. `campus_id` is set where the text, trimmed and in any
  letter case, equals a campus's slug, name or one of its email domains; text that matches
  nothing leaves `campus_id` null: "no campus" (a saved search without a campus filters on
  none).
- A user whose address is in a campus's domains (or a subdomain) belongs to it first,
  whatever their text said (as sign-up and verification decide it from now on).

Down: the text comes back as `campus`: the legacy text where there is one, else the name of
the row's campus; the three tables go.

Revision ID: 0020_campuses
Revises: 0019_held_for_review
Create Date: 2026-12-04
"""

import os

import sqlalchemy as sa
from alembic import op

revision = '0020_campuses'
down_revision = '0019_held_for_review'
branch_labels = None
depends_on = None

CAMPUS_TABLES = ('users', 'posts', 'saved_searches')
INDEXED_TABLES = ('users', 'posts')


def create_tables():
  op.create_table(
    'campuses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name='pk_campuses'),
    sa.UniqueConstraint('name', name='uq_campuses_name'),
    sa.UniqueConstraint('slug', name='uq_campuses_slug'),
  )
  op.create_table(
    'campus_domains',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campus_id', sa.Integer(), nullable=False),
    sa.Column('domain', sa.String(length=253), nullable=False),
    sa.ForeignKeyConstraint(
      ['campus_id'],
      ['campuses.id'],
      name='fk_campus_domains_campus_id_campuses',
      ondelete='CASCADE',
    ),
    sa.PrimaryKeyConstraint('id', name='pk_campus_domains'),
    sa.UniqueConstraint('domain', name='uq_campus_domains_domain'),
  )
  op.create_index('ix_campus_domains_campus_id', 'campus_domains', ['campus_id'])
  op.create_table(
    'pickup_spots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campus_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(
      ['campus_id'], ['campuses.id'], name='fk_pickup_spots_campus_id_campuses', ondelete='CASCADE'
    ),
    sa.PrimaryKeyConstraint('id', name='pk_pickup_spots'),
    sa.UniqueConstraint('campus_id', 'name', name='uq_pickup_spots_campus_id_name'),
  )


def add_campus_columns(bind):
  for table_name in CAMPUS_TABLES:
    op.execute(f'ALTER TABLE {table_name} RENAME COLUMN campus TO legacy_campus')
    foreign_key = f'fk_{table_name}_campus_id_campuses'
    if bind.dialect.name == 'postgresql':
      op.add_column(table_name, sa.Column('campus_id', sa.Integer(), nullable=True))
      op.create_foreign_key(foreign_key, table_name, 'campuses', ['campus_id'], ['id'])
    else:
      # SQLite adds a column with its reference in place (no table copy: the search
      # triggers of posts stay); Alembic would ask for batch mode.
      op.execute(
        f'ALTER TABLE {table_name} ADD COLUMN campus_id INTEGER CONSTRAINT {foreign_key} '
        'REFERENCES campuses (id)'
      )
  for table_name in INDEXED_TABLES:
    op.create_index(f'ix_{table_name}_campus_id', table_name, ['campus_id'])


def settings_campus():
  """(slug, name, domains, timezone) of the campus CAMPUS_EMAIL_DOMAINS described, or None."""
  domains = []
  for item in os.environ.get('CAMPUS_EMAIL_DOMAINS', '').split(','):
    domain = item.strip().lower().lstrip('@')
    if domain and domain not in domains:
      domains.append(domain)
  if not domains:
    return None
  label = ''.join(c if c.isalnum() else '-' for c in domains[0].split('.')[0]).strip('-')
  slug = (label or 'campus')[:40]
  timezone = os.environ.get('CAMPUS_TIMEZONE', '').strip() or 'UTC'
  return slug, slug.replace('-', ' ').title(), domains, timezone


def move_settings(bind):
  """The campus of CAMPUS_EMAIL_DOMAINS, as rows."""
  found = settings_campus()
  if found is None:
    return
  slug, name, domains, timezone = found
  campus_id = bind.execute(
    sa.text(
      'INSERT INTO campuses (slug, name, timezone, created_at) '
      'VALUES (:slug, :name, :timezone, CURRENT_TIMESTAMP) RETURNING id'
    ),
    {'slug': slug, 'name': name, 'timezone': timezone},
  ).scalar_one()
  for domain in domains:
    bind.execute(
      sa.text('INSERT INTO campus_domains (campus_id, domain) VALUES (:campus_id, :domain)'),
      {'campus_id': campus_id, 'domain': domain},
    )


def map_texts(bind):
  """campus_id from the address's domain (users), then from the legacy text."""
  domains = bind.execute(
    sa.text('SELECT campus_id, domain FROM campus_domains ORDER BY length(domain), domain')
  ).all()
  # Shorter domains first: a subdomain a campus lists wins over its parent's campus.
  for campus_id, domain in domains:
    bind.execute(
      sa.text(
        'UPDATE users SET campus_id = :campus_id '
        "WHERE email LIKE '%@' || :domain OR email LIKE '%.' || :domain"
      ),
      {'campus_id': campus_id, 'domain': domain},
    )
  campuses = bind.execute(sa.text('SELECT id, slug, name FROM campuses')).all()
  for campus_id, slug, name in campuses:
    words = {slug.lower(), name.strip().lower()}
    words |= {domain for owner, domain in domains if owner == campus_id}
    for table_name in CAMPUS_TABLES:
      statement = sa.text(
        f'UPDATE {table_name} SET campus_id = :campus_id '
        'WHERE campus_id IS NULL AND lower(trim(legacy_campus)) IN :words'
      ).bindparams(sa.bindparam('words', expanding=True))
      bind.execute(statement, {'campus_id': campus_id, 'words': sorted(words)})


def upgrade():
  create_tables()
  bind = op.get_bind()
  add_campus_columns(bind)
  move_settings(bind)
  map_texts(bind)


def downgrade():
  for table_name in CAMPUS_TABLES:
    op.execute(
      f'UPDATE {table_name} SET legacy_campus = '
      f'(SELECT name FROM campuses WHERE campuses.id = {table_name}.campus_id) '
      'WHERE legacy_campus IS NULL AND campus_id IS NOT NULL'
    )
  for table_name in INDEXED_TABLES:
    op.drop_index(f'ix_{table_name}_campus_id', table_name=table_name)
  bind = op.get_bind()
  for table_name in CAMPUS_TABLES:
    if bind.dialect.name == 'postgresql':
      op.drop_constraint(f'fk_{table_name}_campus_id_campuses', table_name, type_='foreignkey')
    # In place on SQLite 3.35+ too (no table copy: the search triggers of posts stay).
    op.execute(f'ALTER TABLE {table_name} DROP COLUMN campus_id')
    op.execute(f'ALTER TABLE {table_name} RENAME COLUMN legacy_campus TO campus')
  op.drop_table('pickup_spots')
  op.drop_index('ix_campus_domains_campus_id', table_name='campus_domains')
  op.drop_table('campus_domains')
  op.drop_table('campuses')
