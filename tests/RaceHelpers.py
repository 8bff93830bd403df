"""Racing requests or jobs against each other: the one harness of the concurrency tests
(dibs, holds, Idempotency-Key), which run on PostgreSQL only (SQLite serializes writers)."""

import threading


def race_in_threads(senders):
  """Fire every sender at the same instant, each from its own thread; their results in the
  order of `senders`. A sender that raised fails the test, naming the exception."""
  barrier = threading.Barrier(len(senders))
  results = [None] * len(senders)

  def run(index, send):
    try:
      barrier.wait(timeout=30)
      results[index] = send()
    except Exception as error:  # a failure must show in the assertion, not vanish
      results[index] = error

  threads = [threading.Thread(target=run, args=pair) for pair in enumerate(senders)]
  for thread in threads:
    thread.start()
  for thread in threads:
    thread.join(timeout=60)
  for result in results:
    assert not isinstance(result, Exception), repr(result)
  return results
