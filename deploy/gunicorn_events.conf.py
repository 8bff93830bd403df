"""gunicorn settings for the Dibz event-stream process: GET /api/events only (nginx routes it
here), beside the main app of deploy/gunicorn.conf.py, which keeps its sync workers.

A stream is idle most of its life, so one gevent worker holds thousands of them on one thread
each a greenlet; bench/RESULTS.md ("Live updates") has the measurements behind this choice.
Loaded by the gunicorn master and again on every HUP, so it imports nothing from the app.
"""

import os


def env_int(name, default):
  """A whole-number setting from the environment."""
  value = os.environ.get(name, '')
  return int(value) if value.strip() else default


bind = os.environ.get('GUNICORN_EVENTS_BIND', '127.0.0.1:8001')
workers = env_int('GUNICORN_EVENTS_WORKERS', 1)
worker_class = 'gevent'
# Streams (and their heartbeat checks) one worker holds at most.
worker_connections = env_int('GUNICORN_EVENTS_CONNECTIONS', 2000)
# gevent workers tell the master they live from a greenlet of their own: idle streams are fine.
timeout = env_int('GUNICORN_TIMEOUT', 30)
# Streams never finish by themselves: on HUP or TERM they get this long, then the browsers
# reconnect (to the new workers) with Last-Event-ID and lose nothing.
graceful_timeout = env_int('GUNICORN_EVENTS_GRACEFUL_TIMEOUT', 5)
keepalive = env_int('GUNICORN_KEEPALIVE', 5)
# Recycling a worker would drop all of its streams at once.
max_requests = 0
preload_app = False
accesslog = os.environ.get('GUNICORN_ACCESS_LOG', '-')
errorlog = os.environ.get('GUNICORN_ERROR_LOG', '-')
loglevel = os.environ.get('GUNICORN_LOG_LEVEL', 'info')
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms rid=%({x-request-id}i)s'
proc_name = os.environ.get('GUNICORN_EVENTS_PROC_NAME', 'dibz-events')
control_socket_disable = True


def post_worker_init(worker):
  """psycopg2 waits for PostgreSQL (the heartbeat's login check) without blocking the other
  streams of the worker: gevent has patched the sockets by now, psycogreen patches psycopg2."""
  from psycogreen.gevent import patch_psycopg

  patch_psycopg()
