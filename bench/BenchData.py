"""Build a benchmark database: the project's migrations, then bulk inserts of generated rows.

Rows go in as plain dicts through executemany (SQLite) or COPY (PostgreSQL), never one ORM
object at a time, so 200,000 posts take seconds. Only tables and columns the migrated schema
has are written, so the builder follows the app as areas (search, chat) are merged in.
"""

import io
import os
import random
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import text

from bench.BenchVocabulary import (
  ADJECTIVES,
  CAMPUSES,
  CONDITIONS,
  DESCRIPTION_EXTRAS,
  ITEMS_BY_CATEGORY,
  MESSAGE_LINES,
)

BENCH_USERNAME = 'bench_user'
BENCH_EMAIL = 'bench_user@bench.test'
BENCH_PASSWORD = 'bench-password-not-a-secret'
BENCH_SECRET_KEY = 'bench-only-secret-key-not-for-production'
# Timestamps are fixed, so two builds of the same size serve the same bytes.
TIME_ORIGIN = datetime(2026, 1, 1, tzinfo=UTC)
BUYER_CONVERSATIONS = 15
SELLER_CONVERSATIONS = 5
MESSAGES_PER_CONVERSATION = 20
POLLED_CONVERSATION_MESSAGES = 200
# The poll asks for the messages after this many from the end of the polled conversation.
POLL_WINDOW = 20
INSERT_CHUNK = 5000


@dataclass
class BenchDataset:
  """What the load needs to know about a built database."""

  database_url: str
  post_count: int
  user_count: int
  post_id: int
  polled_conversation_id: int | None
  messages_after_id: int | None
  posted_conversation_id: int | None
  row_counts: dict

  def to_json(self):
    return asdict(self)


def server_environment(database_url, rate_limits=False):
  """The environment of a production-config app on `database_url`, rate limits off unless
  asked for (the log level stays production's, so the per-request log line is measured)."""
  environment = {
    'APP_ENV': 'prod',
    'SECRET_KEY': BENCH_SECRET_KEY,
    'DATABASE_URL': database_url,
    'TRUSTED_HOSTS': '127.0.0.1',
  }
  if not rate_limits:
    environment['RATELIMIT_ENABLED'] = 'false'
  return environment


@contextmanager
def environment_overrides(values):
  """Set environment variables for the duration of the block, then restore them."""
  saved = {name: os.environ.get(name) for name in values}
  os.environ.update(values)
  try:
    yield
  finally:
    for name, value in saved.items():
      if value is None:
        os.environ.pop(name, None)
      else:
        os.environ[name] = value


def create_bench_app(database_url, rate_limits=True):
  """The Dibz app under the production config, on `database_url`, in this process.

  The limiter is one object shared by every app of the process, and creating an app with
  RATELIMIT_ENABLED=false turns it off for all of them: only a process of its own (the
  profiler's) may ask for `rate_limits=False`.
  """
  from app import create_app

  with environment_overrides(server_environment(database_url, rate_limits)):
    return create_app('prod')


def build_database(database_url, post_count, user_count=None, seed=8):
  """Reset the database at `database_url`, migrate it and fill it; returns a BenchDataset."""
  from app.extensions import db

  user_count = user_count or max(50, post_count // 10)
  app = create_bench_app(database_url)
  with app.app_context():
    reset_database(db.engine)
    upgrade()
    rows = generate_rows(post_count, user_count, random.Random(seed), app)
    tables = db.metadata.tables
    present = {name: batch for name, batch in rows.items() if name in tables}
    insert_all(db.engine, [(tables[name], batch) for name, batch in present.items()])
    db.engine.dispose()
  return BenchDataset(
    database_url=database_url,
    post_count=post_count,
    user_count=user_count,
    post_id=post_count // 2,
    polled_conversation_id=1 if 'conversations' in present else None,
    messages_after_id=polled_after_id() if 'messages' in present else None,
    posted_conversation_id=2 if 'conversations' in present else None,
    row_counts={name: len(batch) for name, batch in present.items()},
  )


def reset_database(engine):
  """Drop everything an earlier build left."""
  if engine.dialect.name == 'postgresql':
    with engine.begin() as connection:
      connection.execute(text('DROP SCHEMA public CASCADE'))
      connection.execute(text('CREATE SCHEMA public'))
    return
  engine.dispose()
  path = engine.url.database
  for suffix in ('', '-journal', '-wal', '-shm'):
    Path(f'{path}{suffix}').unlink(missing_ok=True)
  Path(path).parent.mkdir(parents=True, exist_ok=True)


# --- Rows --------------------------------------------------------------------------------------


def generate_rows(post_count, user_count, rng, app):
  """Every table's rows as lists of dicts, ids assigned here so rows can refer to each other."""
  users = generate_users(user_count, rng, app)
  posts = generate_posts(post_count, user_count, rng)
  conversations, messages = generate_chat(posts, user_count, rng)
  return {
    'users': users,
    'posts': posts,
    'post_images': generate_images(posts, rng),
    'dibs': generate_dibs(posts, user_count, rng),
    'conversations': conversations,
    'messages': messages,
  }


def generate_users(user_count, rng, app):
  """User 1 is the bench user; all share one password hash (hashing 20,000 would take minutes)."""
  from app.users.UserHelpers import hash_password

  with app.test_request_context():
    password_hash = hash_password(BENCH_PASSWORD)
  users = []
  for user_id in range(1, user_count + 1):
    username = BENCH_USERNAME if user_id == 1 else f'student{user_id:06d}'
    users.append(
      {
        'id': user_id,
        'email': f'{username}@bench.test',
        'username': username,
        'display_name': f'Student {user_id}' if user_id > 1 else 'Bench User',
        'bio': 'Here for the benchmark.',
        'campus': rng.choice(CAMPUSES),
        'role': 'user',
        'password_hash': password_hash,
        'created_at': TIME_ORIGIN,
      }
    )
  return users


def generate_posts(post_count, user_count, rng):
  """Posts newest last; a few belong to the bench user so it has conversations as a seller."""
  categories = list(ITEMS_BY_CATEGORY)
  step = timedelta(days=300) / max(post_count, 1)
  posts = []
  for post_id in range(1, post_count + 1):
    category = rng.choice(categories)
    item = rng.choice(ITEMS_BY_CATEGORY[category])
    campus = rng.choice(CAMPUSES)
    created_at = TIME_ORIGIN + step * post_id
    seller_id = 1 if post_id <= SELLER_CONVERSATIONS else rng.randint(2, user_count)
    roll = rng.random()
    status = 'available' if roll < 0.85 else 'pending' if roll < 0.9 else 'sold'
    if roll > 0.95:
      status = 'withdrawn'
    posts.append(
      {
        'id': post_id,
        'seller_id': seller_id,
        'title': f'{rng.choice(ADJECTIVES).capitalize()} {item}',
        'description': (
          f'Selling my {item} because I am moving out. {rng.choice(CONDITIONS)[1]} '
          f'Pick up at {campus}. {rng.choice(DESCRIPTION_EXTRAS)}'
        ),
        'price_cents': rng.randint(1, 500) * 100,
        'category': category,
        'condition': rng.choice(CONDITIONS)[0],
        'campus': campus,
        'status': status,
        'created_at': created_at,
        'updated_at': created_at,
      }
    )
  return posts


def generate_images(posts, rng):
  """One or two images on half of the posts (the files need not exist to be listed)."""
  images = []
  for post in posts:
    if rng.random() < 0.5:
      continue
    for number in range(rng.randint(1, 2)):
      stem = f'{post["id"]:016x}{number:016x}'
      images.append(
        {
          'id': len(images) + 1,
          'post_id': post['id'],
          'storage_key': f'{stem}.jpg',
          'thumb_key': f'{stem}_thumb.jpg',
          'content_type': 'image/jpeg',
          'width': 1200,
          'height': 900,
          'byte_size': 150_000,
          'created_at': post['created_at'],
        }
      )
  return images


def generate_dibs(posts, user_count, rng):
  """A short queue on a quarter of the posts; pending and sold posts have an accepted dib."""
  dibs = []
  for post in posts:
    if post['status'] == 'available' and rng.random() > 0.25:
      continue
    if post['status'] == 'withdrawn' or user_count < 5:
      continue
    buyers = rng.sample(range(2, user_count + 1), 3)
    buyers = [buyer for buyer in buyers if buyer != post['seller_id']][: rng.randint(1, 2)]
    for place, buyer_id in enumerate(buyers):
      accepted = place == 0 and post['status'] in ('pending', 'sold')
      dibs.append(
        {
          'id': len(dibs) + 1,
          'post_id': post['id'],
          'user_id': buyer_id,
          'status': 'accepted' if accepted else 'waiting',
          'created_at': post['created_at'] + timedelta(minutes=place + 1),
          'updated_at': post['created_at'] + timedelta(minutes=place + 1),
        }
      )
  return dibs


def polled_after_id():
  """The message id after which the poll of conversation 1 finds POLL_WINDOW messages."""
  return POLLED_CONVERSATION_MESSAGES - POLL_WINDOW


def generate_chat(posts, user_count, rng):
  """The bench user's inbox: conversation 1 holds a long thread (the polled one), the others
  a few messages each, as a buyer and as a seller; message ids grow with time."""
  own_posts = [post for post in posts if post['seller_id'] == 1]
  other_posts = [post for post in posts if post['seller_id'] != 1 and post['status'] != 'withdrawn']
  bought = rng.sample(other_posts, min(BUYER_CONVERSATIONS, len(other_posts)))
  pairs = [(post, 1, post['seller_id']) for post in bought]
  pairs += [(post, rng.randint(2, user_count), 1) for post in own_posts]
  conversations, messages = [], []
  for number, (post, buyer_id, seller_id) in enumerate(pairs, start=1):
    count = POLLED_CONVERSATION_MESSAGES if number == 1 else MESSAGES_PER_CONVERSATION
    first_id = len(messages) + 1
    for offset in range(count):
      message_id = first_id + offset
      messages.append(
        {
          'id': message_id,
          'conversation_id': number,
          'sender_id': buyer_id if offset % 2 == 0 else seller_id,
          'body': rng.choice(MESSAGE_LINES),
          'created_at': TIME_ORIGIN + timedelta(days=300, seconds=message_id),
        }
      )
    last = messages[-1]
    conversations.append(
      {
        'id': number,
        'post_id': post['id'],
        'buyer_id': buyer_id,
        'seller_id': seller_id,
        # Each side has a few unread messages, so the inbox counts something.
        'buyer_last_read_message_id': last['id'] - 3,
        'seller_last_read_message_id': last['id'] - 2,
        'created_at': messages[first_id - 1]['created_at'],
        'last_activity_at': last['created_at'],
      }
    )
  return conversations, messages


# --- Bulk inserts ------------------------------------------------------------------------------


def insert_all(engine, tables_and_rows):
  """Insert each table's rows in order, in bulk, then let the planner see the new sizes."""
  if engine.dialect.name == 'postgresql':
    copy_into_postgresql(engine, tables_and_rows)
    return
  with engine.begin() as connection:
    for table, rows in tables_and_rows:
      for start in range(0, len(rows), INSERT_CHUNK):
        connection.execute(table.insert(), rows[start : start + INSERT_CHUNK])
    connection.execute(text('ANALYZE'))


def copy_into_postgresql(engine, tables_and_rows):
  """COPY each table from an in-memory text stream, then move the id sequences past the rows."""
  raw_connection = engine.raw_connection()
  try:
    cursor = raw_connection.cursor()
    for table, rows in tables_and_rows:
      if not rows:
        continue
      # Only the columns the migrated table has, as the SQLite inserts do (SQLAlchemy leaves
      # out the keys a table lacks): users and posts lost `campus` in 0020_campuses.
      columns = [column for column in rows[0] if column in table.columns]
      stream = io.StringIO(''.join(copy_line(row, columns) for row in rows))
      cursor.copy_expert(f'COPY {table.name} ({", ".join(columns)}) FROM STDIN', stream)
      cursor.execute(
        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
        f'(SELECT max(id) FROM {table.name}))'
      )
    raw_connection.commit()
    # VACUUM sets the visibility map as autovacuum would on a live database, so index-only
    # scans (counts) run as they do in production; it cannot run inside a transaction.
    raw_connection.driver_connection.autocommit = True
    cursor.execute('VACUUM ANALYZE')
    raw_connection.driver_connection.autocommit = False
  finally:
    raw_connection.close()


def copy_value(value):
  """One value in COPY's text format."""
  if value is None:
    return '\\N'
  if isinstance(value, datetime):
    return value.isoformat()
  if isinstance(value, bool):
    return 't' if value else 'f'
  return (
    str(value).replace('\\', '\\\\').replace('\t', '\\t').replace('\n', '\\n').replace('\r', '\\r')
  )


def copy_line(row, columns):
  return '\t'.join(copy_value(row[column]) for column in columns) + '\n'
