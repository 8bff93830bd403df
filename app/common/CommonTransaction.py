"""After-commit work: the one way to do something once a change is committed.

`after_commit(callback, *args)` runs `callback(*args)` once the current transaction of
`db.session` commits, and never if it rolls back. Events and notification mail go through it
(the cache's generations are bumped inside the transaction instead: docs/CACHE.md), so
nothing leaves the process about a change that did not happen, and no helper commits on its
caller's behalf: a helper adds its rows and queues its after-commit work; the operation that
began the transaction commits once, at its end.

The rules:
- Callbacks run after the outermost commit, in the order they were queued, each at most once.
  They run when the committed transaction has ended, so a callback may read or write the
  database: its queries begin a new transaction (a callback that writes commits it itself).
- A rollback drops the callbacks of what it undid: rolling back the transaction drops all of
  them; rolling back a savepoint (`begin_nested`) drops only those queued inside it. A released
  savepoint keeps its callbacks: they wait for the outer commit. A transaction that ends
  without a commit (the session closed at the end of the request) drops them too.
- Queued outside a transaction, a callback joins the next one the session begins.
- A callback that raises is logged (with its traceback) and rolled back; the request has
  already committed, so it never fails, and the callbacks after it still run.
"""

import logging

from sqlalchemy import event

from app.extensions import db

logger = logging.getLogger(__name__)

PENDING_KEY = 'dibz_after_commit'
COMMITTED_KEY = 'dibz_after_commit_committed'


def current_transaction(session):
  """The innermost transaction of the session (a savepoint, or the outer one), or None."""
  return session.get_nested_transaction() or session.get_transaction()


def after_commit(callback, *args):
  """Run `callback(*args)` once after the current transaction commits (never if it rolls back)."""
  session = db.session()
  pending = session.info.setdefault(PENDING_KEY, [])
  pending.append((current_transaction(session), callback, args))


def note_commit(session):
  """after_commit (SQLAlchemy calls it for a released savepoint too): remember which one."""
  session.info[COMMITTED_KEY] = current_transaction(session)


def is_inside(owner, transaction):
  """Whether callbacks queued in `owner` belong to `transaction` (it or one of its parents)."""
  while owner is not None:
    if owner is transaction:
      return True
    owner = owner.parent
  return False


def finish_transaction(session, transaction):
  """after_transaction_end: run the callbacks of a committed outer transaction, or drop the
  callbacks of what a rollback undid."""
  committed = session.info.get(COMMITTED_KEY) is transaction
  if committed:
    session.info.pop(COMMITTED_KEY)
  pending = session.info.get(PENDING_KEY)
  if not pending:
    return
  if transaction.parent is not None:
    if not committed:
      kept = [entry for entry in pending if not is_inside(entry[0], transaction)]
      session.info[PENDING_KEY] = kept
    return
  session.info.pop(PENDING_KEY)
  if committed:
    run_callbacks(session, pending)


def run_callbacks(session, pending):
  """Run each callback; a failure is logged and rolled back, and the next one still runs."""
  for _, callback, args in pending:
    try:
      callback(*args)
    except Exception:
      logger.exception('After commit: %s failed.', getattr(callback, '__name__', callback))
      session.rollback()


def register_transaction_hooks(session=None):
  """Listen to the app session's commits and transaction ends (once per process)."""
  session = db.session if session is None else session
  hooks = (('after_commit', note_commit), ('after_transaction_end', finish_transaction))
  for name, hook in hooks:
    if not event.contains(session, name, hook):
      event.listen(session, name, hook)
