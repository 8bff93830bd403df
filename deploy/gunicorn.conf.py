"""gunicorn settings for Dibz, read from the environment (shared/env or the systemd unit).

Loaded by the gunicorn master and again on every HUP, so it imports nothing from the app.
"""

import multiprocessing
import os


def env_int(name, default):
  """A whole-number setting from the environment."""
  value = os.environ.get(name, '')
  return int(value) if value.strip() else default


def worker_count():
  """2 × CPUs + 1 (gunicorn's advice for sync workers), capped by GUNICORN_MAX_WORKERS."""
  if os.environ.get('GUNICORN_WORKERS', '').strip():
    return env_int('GUNICORN_WORKERS', 1)
  return max(1, min(2 * multiprocessing.cpu_count() + 1, env_int('GUNICORN_MAX_WORKERS', 8)))


bind = os.environ.get('GUNICORN_BIND', '127.0.0.1:8000')
workers = worker_count()
worker_class = 'sync'
# A worker silent for this long is killed and replaced.
timeout = env_int('GUNICORN_TIMEOUT', 30)
# On HUP or TERM, workers get this long to finish the requests they hold.
graceful_timeout = env_int('GUNICORN_GRACEFUL_TIMEOUT', 30)
keepalive = env_int('GUNICORN_KEEPALIVE', 5)
# Recycling workers now and then bounds the damage of a slow leak.
max_requests = env_int('GUNICORN_MAX_REQUESTS', 1000)
max_requests_jitter = env_int('GUNICORN_MAX_REQUESTS_JITTER', 100)
# Workers import the app after forking, so a HUP loads the release `current` points at now.
preload_app = False
# Off unless asked for: the app already logs each request once, as a JSON line with the user,
# status, duration and request id.
accesslog = os.environ.get('GUNICORN_ACCESS_LOG') or None
errorlog = os.environ.get('GUNICORN_ERROR_LOG', '-')
loglevel = os.environ.get('GUNICORN_LOG_LEVEL', 'info')
# When turned on: %(U)s is the path without its query string, which may carry a reset token.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms rid=%({x-request-id}i)s'
proc_name = os.environ.get('GUNICORN_PROC_NAME', 'dibz')
# gunicorn's control socket defaults to a path under $HOME, which the dibz user lacks and which
# two instances on one host would share; reloads use HUP, so it is off.
control_socket_disable = True


def on_starting(server):
  """Empty the Prometheus multiprocess folder when the master starts (not on HUP): files of
  workers of an earlier master would otherwise be counted forever."""
  folder = os.environ.get('PROMETHEUS_MULTIPROC_DIR', '').strip()
  if not folder:
    return
  os.makedirs(folder, exist_ok=True)
  for name in os.listdir(folder):
    if name.endswith('.db'):
      os.remove(os.path.join(folder, name))


def child_exit(server, worker):
  """Drop a dead worker's live gauges (pool use) from /metrics; its counters stay counted."""
  if os.environ.get('PROMETHEUS_MULTIPROC_DIR', '').strip():
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
