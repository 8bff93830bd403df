"""What the chaos run checks once the faults are over and the queue has drained, and the table
it prints. Each check returns a list of violations (sentences); the run fails on any."""

from collections import Counter

# 5xx are expected inside a fault's window and this long after it.
GRACE_SECONDS = 5
NOTIFICATION_MAIL_PREFIX = 'notification:'
VERIFY_SUBJECT = 'Verify your Dibz email address'


def in_window(attempt, windows, names=None):
  """Whether the attempt overlaps one of the windows (+ grace), or one of those named: a
  request started just before a fault may meet it."""
  return any(
    attempt.ended >= window.began and attempt.started <= window.ended + GRACE_SECONDS
    for window in windows
    if names is None or any(name in window.name for name in names)
  )


def first_success_after(attempts, moment):
  """Seconds from `moment` to the first 2xx answer of a request started after it."""
  times = [each.ended for each in attempts if each.started >= moment and 200 <= each.status < 300]
  return round(min(times) - moment, 1) if times else None


def fault_table(attempts, windows):
  """Rows: fault, requests in its window (+ grace), 5xx, no answer, first success after it
  began, after it ended (seconds)."""
  rows = []
  for window in windows:
    inside = [
      each for each in attempts if window.began <= each.started <= window.ended + GRACE_SECONDS
    ]
    rows.append(
      (
        window.name,
        len(inside),
        sum(1 for each in inside if each.status >= 500),
        sum(1 for each in inside if each.status == 0),
        first_success_after(attempts, window.began),
        first_success_after(attempts, window.ended),
      )
    )
  return rows


def format_table(rows):
  header = '| fault | requests | 5xx | no answer | first 2xx after start (s) | after end (s) |'
  lines = [header, '|---|---:|---:|---:|---:|---:|']
  for name, requests, errors, silent, after_begin, after_end in rows:
    lines.append(f'| {name} | {requests} | {errors} | {silent} | {after_begin} | {after_end} |')
  return '\n'.join(lines)


def check_5xx(attempts, windows):
  """5xx only inside a fault's window (+ grace); public reads never 5xx while PostgreSQL is up."""
  violations = []
  for each in attempts:
    if each.status < 500:
      continue
    where = f'{each.method} {each.route} -> {each.status} at {each.started:.1f}'
    if not in_window(each, windows):
      violations.append(f'5xx outside every fault window: {where}')
    elif each.public and not in_window(each, windows, ('postgresql stopped',)):
      violations.append(f'public read 5xx while PostgreSQL was up: {where}')
  return violations


def scalar(database, statement, parameters=None):
  return database.query(statement, parameters)[0][0]


def check_writes(database, acknowledged):
  """Every acknowledged write is in the database, exactly once."""
  violations = []
  tables = {
    'signups': ('users', 1),
    'posts': ('posts', 0),
    'photos': ('post_images', 1),
    'dibs': ('dibs', 0),
    'messages': ('messages', 0),
  }
  for kind, (table, id_index) in tables.items():
    ids = [detail[id_index] for detail in acknowledged.get(kind)]
    if not ids:
      continue
    found = scalar(database, f'SELECT count(*) FROM {table} WHERE id = ANY(%s)', (ids,))  # nosec B608 # fixed names
    if found != len(set(ids)):
      violations.append(f'{kind}: {len(set(ids))} acknowledged, {found} in the database')
  duplicates = {
    'posts': 'SELECT title, count(*) FROM posts GROUP BY seller_id, title HAVING count(*) > 1',
    'messages': (
      'SELECT body, count(*) FROM messages GROUP BY conversation_id, body HAVING count(*) > 1'
    ),
    'dibs': 'SELECT post_id, user_id, count(*) FROM dibs GROUP BY 1, 2 HAVING count(*) > 1',
    'photos': 'SELECT post_id, count(*) FROM post_images GROUP BY 1 HAVING count(*) > 1',
    'signups': 'SELECT email, count(*) FROM users GROUP BY 1 HAVING count(*) > 1',
    'conversations': (
      'SELECT post_id, buyer_id, count(*) FROM conversations GROUP BY 1, 2 HAVING count(*) > 1'
    ),
  }
  for kind, statement in duplicates.items():
    for row in database.query(statement):
      violations.append(f'duplicate {kind}: {row}')
  for dib_id, _post_id in acknowledged.get('accepts'):
    status = scalar(database, 'SELECT status FROM dibs WHERE id = %s', (dib_id,))
    if status != 'accepted':
      violations.append(f'dib {dib_id} accepted (acknowledged) but is {status}')
  for (post_id,) in acknowledged.get('sold'):
    status = scalar(database, 'SELECT status FROM posts WHERE id = %s', (post_id,))
    if status != 'sold':
      violations.append(f'post {post_id} sold (acknowledged) but is {status}')
  return violations


def check_dib_queues(database):
  """At most one accepted dib a post; a pending or sold post has its accepted buyer; live
  positions run 1..n."""
  violations = []
  for row in database.query(
    "SELECT post_id, count(*) FROM dibs WHERE status = 'accepted' GROUP BY 1 HAVING count(*) > 1"
  ):
    violations.append(f'post {row[0]}: {row[1]} accepted dibs')
  for post_id, status in database.query(
    "SELECT p.id, p.status FROM posts p WHERE p.status IN ('pending', 'sold') AND NOT EXISTS "
    "(SELECT 1 FROM dibs d WHERE d.post_id = p.id AND d.status = 'accepted')"
  ):
    violations.append(f'post {post_id} is {status} without an accepted buyer')
  for post_id, positions in database.query(
    'SELECT post_id, array_agg(position ORDER BY position) FROM (SELECT post_id, row_number() '
    'OVER (PARTITION BY post_id ORDER BY id) AS position FROM dibs '
    "WHERE status IN ('waiting', 'accepted')) ranked GROUP BY post_id"
  ):
    if positions != list(range(1, len(positions) + 1)):
      violations.append(f'post {post_id}: live positions {positions}')
  return violations


def check_notifications(database, acknowledged):
  """One dib_received notification per acknowledged dib, one dib_accepted per acceptance."""
  violations = []
  owed = [('dib_received', dib_id) for dib_id, _, _ in acknowledged.get('dibs')]
  owed += [('dib_accepted', dib_id) for dib_id, _ in acknowledged.get('accepts')]
  counts = Counter(
    (kind, int(dib_id))
    for kind, dib_id in database.query(
      "SELECT kind, payload->>'dib_id' FROM notifications "
      "WHERE kind IN ('dib_received', 'dib_accepted') AND payload->>'dib_id' IS NOT NULL"
    )
  )
  for key in owed:
    if counts[key] != 1:
      violations.append(f'notification {key[0]} for dib {key[1]}: {counts[key]} (1 owed)')
  return violations


def check_mails(database, mails, acknowledged):
  """Every notification mailed once (by its key); every new account one verification mail."""
  violations = []
  keys = Counter(mail['key'] for mail in mails if mail.get('key'))
  for (notification_id,) in database.query('SELECT id FROM notifications ORDER BY id'):
    count = keys[f'{NOTIFICATION_MAIL_PREFIX}{notification_id}']
    if count != 1:
      violations.append(f'notification {notification_id}: mailed {count} times (1 owed)')
  verifications = Counter(mail['to'] for mail in mails if mail['subject'] == VERIFY_SUBJECT)
  for username, _ in acknowledged.get('signups'):
    count = verifications[f'{username}@example.edu']
    if count != 1:
      violations.append(f'{username}: {count} verification mails (1 owed)')
  return violations


# A row committed by a gunicorn worker this shortly before it was SIGKILLed may have lost its
# after-commit event with the process (events leave after the commit, from memory): counted
# and reported apart, not as a broken invariant (docs/RELIABILITY.md, "Limits").
CRASH_MARGIN_SECONDS = (2.0, 0.5)


def crash_moments(windows):
  """When an app host's gunicorn was SIGKILLed."""
  return [window.began for window in windows if 'gunicorn SIGKILL' in window.name]


def died_with_a_crash(created, crashes):
  before, after = CRASH_MARGIN_SECONDS
  return any(crash - before <= created <= crash + after for crash in crashes)


def owed_rows(database, statement, parameters, crashes):
  """{id: created (epoch)} of the rows a stream was owed, and the ids made at a crash."""
  rows = dict(database.query(statement, parameters))
  at_crash = {
    row_id for row_id, created in rows.items() if died_with_a_crash(float(created), crashes)
  }
  return set(rows) - at_crash, at_crash


def check_events(database, streams, windows, figures):
  """Every notification and message of a stream's user made after it first connected reached
  the stream, through reconnects and replays (rows committed at a gunicorn crash apart)."""
  violations = []
  crashes = crash_moments(windows)
  lost_at_crash = set()
  for stream in streams:
    if stream.first_connected is None:
      continue
    user_id = stream.user_id
    since = stream.first_connected + 1
    until = (stream.closed_at or stream.first_connected) - 2
    owed_notifications, crashed = owed_rows(
      database,
      'SELECT id, extract(epoch FROM created_at) FROM notifications WHERE user_id = %s '
      'AND created_at BETWEEN to_timestamp(%s) AND to_timestamp(%s)',
      (user_id, since, until),
      crashes,
    )
    owed_messages, crashed_messages = owed_rows(
      database,
      'SELECT m.id, extract(epoch FROM m.created_at) FROM messages m '
      'JOIN conversations c ON c.id = m.conversation_id '
      'WHERE (c.buyer_id = %s OR c.seller_id = %s) '
      'AND m.created_at BETWEEN to_timestamp(%s) AND to_timestamp(%s)',
      (user_id, user_id, since, until),
      crashes,
    )
    lost_at_crash |= {('notification', row) for row in crashed - stream.notification_ids()}
    lost_at_crash |= {('message', row) for row in crashed_messages - stream.message_ids()}
    missing_notifications = owed_notifications - stream.notification_ids()
    missing_messages = owed_messages - stream.message_ids()
    if missing_notifications or missing_messages:
      violations.append(
        f'user {user_id}: stream missed notifications {sorted(missing_notifications)[:10]} '
        f'and messages {sorted(missing_messages)[:10]} (of {len(owed_notifications)} + '
        f'{len(owed_messages)} owed)'
      )
  figures.append(
    f'events of rows committed within {CRASH_MARGIN_SECONDS} s of a gunicorn SIGKILL that '
    f'never reached a stream: {len(lost_at_crash)} {sorted(lost_at_crash)[:10]}'
  )
  return violations


def check_jobs(summary, failed_listing):
  """Nothing queued, running or waiting to retry; failed jobs only with their reasons."""
  violations = []
  for name in ('queued', 'started', 'scheduled'):
    if summary.get(name):
      violations.append(f'jobs {name}: {summary[name]}')
  if summary.get('failed'):
    violations.append(f'jobs failed: {summary["failed"]}\n{failed_listing}')
  return violations
