"""The faults of the chaos run and their schedule: one every SLOT_SECONDS, each lasting
10-20 s, two at once near the end, then a quiet stretch in which everything must heal.

A fault is a (begin, end) pair of actions on the cluster (tests/chaos/ChaosCluster.py); a
crash's end does nothing, since the supervisor restarts the process as systemd would.
"""

import os
import threading
import time
from dataclasses import dataclass, field

SLOT_SECONDS = 30
QUIET_SECONDS_AT_END = 60


@dataclass
class FaultWindow:
  """When a fault began and ended (time.time()), filled in as it happens."""

  name: str
  began: float = 0.0
  ended: float = 0.0
  notes: list = field(default_factory=list)


def redis_killed(cluster):
  cluster.redis.kill()
  return cluster.redis.restart


def redis_hung(cluster):
  cluster.redis.hang()
  return cluster.redis.resume


def smtp_hung(cluster):
  cluster.smtp.hang()
  return cluster.smtp.resume


def worker_killed(cluster):
  cluster.worker.kill()
  return None


def events_killed(cluster):
  cluster.events.kill()
  return None


def app_host_killed(cluster, index=0):
  cluster.apps[index].kill()
  return None


def second_app_host_killed(cluster):
  return app_host_killed(cluster, 1)


def database_connections_terminated(cluster):
  cluster.postgresql.terminate_connections()
  return None


def postgresql_stopped(cluster):
  cluster.postgresql.stop('fast')
  return cluster.postgresql.start


def uploads_refused(cluster):
  """The upload folder becomes a file: every write (and read) of a photo fails."""
  away = cluster.uploads.with_name('uploads.away')
  os.rename(cluster.uploads, away)
  cluster.uploads.write_text('not a folder: the chaos run refuses uploads\n')

  def restore():
    cluster.uploads.unlink()
    os.rename(away, cluster.uploads)

  return restore


# name: (begin, seconds it lasts)
FAULTS = {
  'redis killed': (redis_killed, 15),
  'redis hung': (redis_hung, 15),
  'smtp hung': (smtp_hung, 20),
  'worker SIGKILL': (worker_killed, 10),
  'events SIGKILL': (events_killed, 10),
  'app1 gunicorn SIGKILL': (app_host_killed, 10),
  'db connections terminated': (database_connections_terminated, 10),
  'postgresql stopped': (postgresql_stopped, 10),
  'uploads refused': (uploads_refused, 15),
}
SINGLE_ORDER = list(FAULTS)
DOUBLES = (
  ('redis hung', 'app1 gunicorn SIGKILL'),
  ('postgresql stopped', 'worker SIGKILL'),
)
SHORT_SCHEDULE = (
  ('redis killed',),
  ('app1 gunicorn SIGKILL',),
  ('postgresql stopped',),
  ('smtp hung', 'events SIGKILL'),
)


def full_schedule(run_seconds):
  """[(offset, (names...))]: a fault every SLOT_SECONDS from the first slot to the quiet end;
  the singles in turn, and the last two slots two at once."""
  offsets = list(range(SLOT_SECONDS, int(run_seconds - QUIET_SECONDS_AT_END), SLOT_SECONDS))
  schedule = []
  for index, offset in enumerate(offsets):
    from_end = len(offsets) - index
    if from_end <= len(DOUBLES):
      names = DOUBLES[len(DOUBLES) - from_end]
    else:
      names = (SINGLE_ORDER[index % len(SINGLE_ORDER)],)
    schedule.append((offset, names))
  return schedule


def short_schedule(run_seconds):
  """The CI version: fewer faults, one every 20 s after a 15 s warm-up."""
  return [(15 + 20 * index, names) for index, names in enumerate(SHORT_SCHEDULE)]


class FaultRunner(threading.Thread):
  """Plays the schedule from `started`; `windows` records each fault as it happens."""

  def __init__(self, cluster, schedule, started, stopping):
    super().__init__(daemon=True)
    self.cluster = cluster
    self.schedule = schedule
    self.started = started
    self.stopping = stopping
    self.windows = []
    self.errors = []

  def run(self):
    for offset, names in self.schedule:
      if self.stopping.wait(max(0.0, self.started + offset - time.time())):
        return
      self.play(names)

  def play(self, names):
    label = ' + '.join(names)
    window = FaultWindow(label, began=time.time())
    self.windows.append(window)
    print(f'chaos: {time.strftime("%H:%M:%S")} fault begins: {label}', flush=True)
    ends = []
    for name in names:
      try:
        ends.append(FAULTS[name][0](self.cluster))
      except Exception as error:  # noqa: BLE001 # reported; the run goes on
        self.errors.append(f'{name}: could not begin: {error}')
    lasts = max(FAULTS[name][1] for name in names)
    time.sleep(lasts)
    for end in ends:
      if end is None:
        continue
      try:
        end()
      except Exception as error:  # noqa: BLE001
        self.errors.append(f'{label}: could not end: {error}')
    window.ended = time.time()
    print(f'chaos: {time.strftime("%H:%M:%S")} fault ends: {label}', flush=True)
