"""Safe retries: a POST with an `Idempotency-Key` header is answered once, and a retry with
the same key and the same request gets that first answer again (docs/IDEMPOTENCY.md).

Every POST of the api blueprint takes the header, unless its view is marked with
`idempotency_exempt(reason)`. `begin_idempotent_request` runs after the login and CSRF
checks: it claims the key (a committed row without an answer) or answers from the row;
`finish_idempotent_request` stores the answer on the claim, or gives the key up when the
answer must not be kept (5xx, 429), so a retry runs again.
"""

import hashlib
import hmac
import json
import re
from datetime import timedelta

from flask import current_app, g, has_request_context, request, session
from flask_login import current_user
from sqlalchemy import delete, event, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from app.common.CommonErrors import ApiError
from app.common.CommonHelpers import as_utc, utc_now
from app.extensions import db
from app.idempotency.IdempotencyConstants import (
  IDEMPOTENCY_ABANDONED_AFTER_SECONDS,
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENCY_KEY_LIFETIME_SECONDS,
  IDEMPOTENCY_KEY_MAX_LENGTH,
  IDEMPOTENCY_KEY_PATTERN,
  IN_PROGRESS_RETRY_AFTER_SECONDS,
  REPLAYED_HEADER,
  REPLAYED_RESPONSE_HEADERS,
)
from app.idempotency.IdempotencyModels import IdempotencyKey

CLAIM_KEY = 'idempotency_claim_id'
WORK_MARKED_KEY = 'idempotency_work_marked'
KEY_FORMAT = re.compile(IDEMPOTENCY_KEY_PATTERN)
# Flask-WTF keeps the session's CSRF secret under this name (WTF_CSRF_FIELD_NAME).
CSRF_SECRET_NAME = 'csrf_token'  # nosec B105 # the name of a session key, not a password


def idempotency_exempt(reason):
  """Mark a POST view that must not replay answers (it creates nothing a retry could double,
  or its answer only makes sense fresh); `reason` says which, for the reader and the test."""

  def mark(view):
    view.idempotency_exempt = reason
    return view

  return mark


def on_idempotent_replay(hook):
  """Mark a view whose replay must redo something besides the answer: `hook(status, body)`
  runs before a replayed answer is sent (sign-up logs the browser in again)."""

  def mark(view):
    view.idempotent_replay_hook = hook
    return view

  return mark


def takes_idempotency_key(view):
  """Whether a POST to `view` honours Idempotency-Key."""
  return view is not None and not getattr(view, 'idempotency_exempt', None)


def begin_idempotent_request():
  """Before a POST view: claim its key, or answer from the key's row. No header, no work."""
  if request.method != 'POST':
    return None
  key = request.headers.get(IDEMPOTENCY_KEY_HEADER)
  view = current_app.view_functions.get(request.endpoint)
  if key is None or not takes_idempotency_key(view):
    return None
  check_key_format(key)
  scope = request_scope()
  fingerprint = request_fingerprint()
  record = find_live_record(scope, key)
  if record is None:
    record = claim_key(scope, key, fingerprint)
    if record is None:
      return None
  return answer_from_record(record, fingerprint, view)


def check_key_format(key):
  """A key is 1 to 255 visible ASCII characters; anything else is a 422."""
  if len(key) > IDEMPOTENCY_KEY_MAX_LENGTH or not KEY_FORMAT.match(key):
    raise ApiError(
      422,
      'idempotency_key_invalid',
      f'The {IDEMPOTENCY_KEY_HEADER} header must be 1 to {IDEMPOTENCY_KEY_MAX_LENGTH} visible '
      'ASCII characters (a UUID is best).',
    )


def request_scope():
  """Whose keys these are: the logged-in user's, or an anonymous browser's (a keyed digest of
  the CSRF secret its session cookie holds), so nobody else can replay its answers."""
  if current_user.is_authenticated:
    return f'user:{current_user.id}'
  secret = session.get(CSRF_SECRET_NAME) or '-'
  return f'anonymous:{keyed_digest(str(secret).encode())[:40]}'


def keyed_digest(data):
  """HMAC-SHA256 of `data` under the app's SECRET_KEY, in hex."""
  secret = current_app.config['SECRET_KEY']
  if isinstance(secret, str):
    secret = secret.encode()
  return hmac.new(secret, data, hashlib.sha256).hexdigest()


def request_fingerprint():
  """A keyed digest of the method, path, query and body. A multipart body is read as its
  fields and files, since a browser draws a new boundary each time it sends the same form."""
  parts = [request.method.encode(), request.path.encode(), request.query_string]
  if request.mimetype == 'multipart/form-data':
    parts.extend(multipart_parts())
  else:
    parts.append(request.get_data(cache=True))
  digest = hashlib.sha256()
  for part in parts:
    digest.update(len(part).to_bytes(8, 'big'))
    digest.update(part)
  return keyed_digest(digest.digest())


def multipart_parts():
  """The fields and files of a multipart body, in a stable order; each file stream is
  rewound for the view."""
  parts = []
  # A part without a name (a bare `Content-Disposition: form-data`) comes as None: it sorts and
  # encodes as the empty name, not as a TypeError.
  fields = [(name or '', value) for name, value in request.form.items(multi=True)]
  for name, value in sorted(fields):
    parts.extend([b'field', name.encode(), value.encode('utf-8', 'surrogatepass')])
  files = [(name or '', storage) for name, storage in request.files.items(multi=True)]
  for name, storage in sorted(files, key=lambda item: item[0]):
    content = storage.stream.read()
    storage.stream.seek(0)
    parts.extend(
      [
        b'file',
        name.encode(),
        (storage.filename or '').encode('utf-8', 'surrogatepass'),
        hashlib.sha256(content).digest(),
      ]
    )
  return parts


def find_live_record(scope, key):
  """The row of this key, unless it expired or its request was abandoned (then it goes, and
  the key is new again)."""
  record = db.session.execute(
    select(IdempotencyKey).where(
      IdempotencyKey.scope == scope, IdempotencyKey.idempotency_key == key
    )
  ).scalar_one_or_none()
  if record is None or not (is_expired(record) or is_abandoned(record)):
    return record
  if not is_expired(record) and record.work_committed_at is not None:
    return record  # its work is done: answer_from_record says the answer was lost
  db.session.execute(delete(IdempotencyKey).where(IdempotencyKey.id == record.id))
  db.session.commit()
  return None


def is_expired(record, now=None):
  """Whether the key outlived IDEMPOTENCY_KEY_LIFETIME_SECONDS."""
  now = now or utc_now()
  lifetime = timedelta(seconds=IDEMPOTENCY_KEY_LIFETIME_SECONDS)
  return as_utc(record.created_at) <= now - lifetime


def is_abandoned(record):
  """Whether the key's request started long ago and never answered (its worker died)."""
  abandoned_after = timedelta(seconds=IDEMPOTENCY_ABANDONED_AFTER_SECONDS)
  return record.response_status is None and as_utc(record.created_at) <= utc_now() - abandoned_after


def claim_key(scope, key, fingerprint):
  """Insert and commit the key's row without an answer: this request runs. Returns None, or
  the row a concurrent request committed first."""
  record = IdempotencyKey(
    scope=scope,
    idempotency_key=key,
    request_fingerprint=fingerprint,
    method=request.method,
    path=request.path,
  )
  db.session.add(record)
  try:
    db.session.commit()
  except IntegrityError:
    db.session.rollback()
    taken = find_live_record(scope, key)
    if taken is None:
      raise_in_progress()
    return taken
  setattr(g, CLAIM_KEY, record.id)
  return None


def register_work_committed_hook():
  """Listen to the app session's commits (once per process), for `mark_work_committed`."""
  if not event.contains(db.session, 'before_commit', mark_work_committed):
    event.listen(db.session, 'before_commit', mark_work_committed)


def mark_work_committed(session):
  """The view's first commit also marks its claim, in the same transaction: if the worker
  dies before the answer is stored, a retry learns the work was done instead of redoing it."""
  if not has_request_context():
    return
  claim_id = g.get(CLAIM_KEY)
  if claim_id is None or g.get(WORK_MARKED_KEY) == claim_id:
    return
  session.execute(
    update(IdempotencyKey)
    .where(IdempotencyKey.id == claim_id, IdempotencyKey.work_committed_at.is_(None))
    .values(work_committed_at=utc_now())
  )
  setattr(g, WORK_MARKED_KEY, claim_id)


def raise_in_progress():
  """The key's first request is still running: 409, ask again in a moment."""
  raise ApiError(
    409,
    'idempotency_request_in_progress',
    'A request with this Idempotency-Key is still running; send it again in a moment to '
    'get its answer.',
    headers={'Retry-After': str(IN_PROGRESS_RETRY_AFTER_SECONDS)},
  )


def answer_from_record(record, fingerprint, view):
  """The first answer again; 422 when the key came with another request, 409 while the first
  one runs."""
  if not hmac.compare_digest(record.request_fingerprint, fingerprint):
    raise ApiError(
      422,
      'idempotency_key_reused',
      f'This {IDEMPOTENCY_KEY_HEADER} was already used with another request (method, path or '
      'body); use a new key for a new request.',
    )
  if record.response_status is None:
    if is_abandoned(record):
      raise ApiError(
        409,
        'idempotency_answer_lost',
        'The first request with this Idempotency-Key did its work, but its answer was lost; '
        'nothing was done again. Reload to see the result.',
      )
    raise_in_progress()
  hook = getattr(view, 'idempotent_replay_hook', None)
  if hook is not None:
    hook(record.response_status, record.response_body)
  response = current_app.response_class(record.response_body, status=record.response_status)
  for name, value in json.loads(record.response_headers or '{}').items():
    response.headers[name] = value
  response.headers[REPLAYED_HEADER] = 'true'
  return response


def is_storable(response, work_committed=False):
  """Answers a retry must get again: not 5xx (a retry runs again), not 429 (a retry after the
  wait runs), not a stream. Once the view committed work, any answer is kept (a 5xx too):
  running the request again would do that work twice."""
  if response.is_streamed:
    return False
  if work_committed:
    return True
  status = response.status_code
  return status < 500 and status != 429


def finish_idempotent_request(response):
  """After a claimed POST: keep its answer on the claim, or give the key up."""
  claim_id = g.pop(CLAIM_KEY, None)
  if claim_id is None:
    return response
  try:
    store_answer(claim_id, response, work_committed=g.get(WORK_MARKED_KEY) == claim_id)
  except SQLAlchemyError:
    # The work is done (or refused) and answered; without its row, a retry runs again once
    # the claim counts as abandoned.
    db.session.rollback()
    current_app.logger.exception('Could not store the answer of idempotency claim %s.', claim_id)
  return response


def store_answer(claim_id, response, work_committed=False):
  """Keep the answer on the claim, or delete the claim when the answer must not be kept."""
  # The view committed its work (or failed): nothing of it rides along with this commit.
  db.session.rollback()
  if is_storable(response, work_committed):
    headers = {
      name: response.headers[name] for name in REPLAYED_RESPONSE_HEADERS if name in response.headers
    }
    db.session.execute(
      update(IdempotencyKey)
      .where(IdempotencyKey.id == claim_id)
      .values(
        response_status=response.status_code,
        response_headers=json.dumps(headers),
        response_body=response.get_data(),
        completed_at=utc_now(),
      )
    )
  else:
    db.session.execute(delete(IdempotencyKey).where(IdempotencyKey.id == claim_id))
  db.session.commit()


def release_unfinished_claim(error=None):
  """Teardown: a claim still held here means the answer was never stored (an exception past
  the handlers); give the key up so a retry runs again."""
  claim_id = g.pop(CLAIM_KEY, None)
  if claim_id is None or g.get(WORK_MARKED_KEY) == claim_id:
    # Work committed: the claim stays, and a retry learns the answer was lost.
    return
  try:
    db.session.rollback()
    db.session.execute(delete(IdempotencyKey).where(IdempotencyKey.id == claim_id))
    db.session.commit()
  except SQLAlchemyError:
    db.session.rollback()
    current_app.logger.exception('Could not release idempotency claim %s.', claim_id)


def purge_expired_keys(now=None):
  """Delete the keys older than their lifetime; returns how many went."""
  cutoff = (now or utc_now()) - timedelta(seconds=IDEMPOTENCY_KEY_LIFETIME_SECONDS)
  result = db.session.execute(delete(IdempotencyKey).where(IdempotencyKey.created_at <= cutoff))
  db.session.commit()
  return result.rowcount
