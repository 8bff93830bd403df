"""Prometheus metrics: requests by endpoint and status, their latency, the database pool.

Under gunicorn every worker is a process, so metrics use prometheus-client's multiprocess mode
when PROMETHEUS_MULTIPROC_DIR is set (deploy/gunicorn.conf.py prepares the folder and marks
dead workers); /metrics then adds up the files of every worker. Without it (tests, `make
run`), the process's own registry is read.

Metrics are created on the first request, not at import or app creation: a `manage.py`
command never leaves files in the multiprocess folder.

Other parts of the app add their own metrics with `register_collector` (values read when
/metrics is scraped, e.g. a job queue's length) or by creating prometheus-client Counters
themselves (counted where they happen, e.g. failed jobs): see docs/OPERATIONS.md.
"""

import hmac
import ipaddress
import os
import threading
import time

from flask import current_app, request

from app.common.CommonErrors import ConfigError
from app.common.CommonLogging import REQUEST_STARTED_KEY
from app.extensions import db

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
# 404s of unknown paths share one label, so a scanner cannot grow the series without bound.
UNMATCHED_ENDPOINT = '<unmatched>'
METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8'
# gunicorn accepts any method token; the standard methods keep their own label, every other one
# shares OTHER, so a client sending odd methods cannot grow the series without bound either.
KNOWN_METHODS = frozenset(('GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'))
OTHER_METHOD = 'OTHER'

_METRICS = {}
_METRICS_LOCK = threading.Lock()
_SCRAPE_COLLECTORS = []
# Label combinations are bounded: endpoints × methods × the statuses the app answers.
_SERIES = {}


def register_collector(collector):
  """Add a prometheus-client collector (an object with `collect()` yielding metric families)
  whose values are read at each scrape, e.g. a job queue's length. Idempotent."""
  if collector not in _SCRAPE_COLLECTORS:
    _SCRAPE_COLLECTORS.append(collector)
  return collector


def metrics():
  """The process's metric objects, created once."""
  if not _METRICS:
    with _METRICS_LOCK:
      if not _METRICS:
        _METRICS.update(create_metrics())
  return _METRICS


def create_metrics():
  """Define the app's metrics (in prometheus-client's default registry)."""
  from prometheus_client import Counter, Gauge, Histogram

  labels = ('method', 'endpoint', 'status')
  return {
    'requests': Counter('dibz_http_requests', 'HTTP requests answered.', labels),
    'latency': Histogram(
      'dibz_http_request_duration_seconds',
      'Time from the first request hook to the response, in seconds.',
      labels,
      buckets=LATENCY_BUCKETS,
    ),
    'cache': Counter('dibz_response_cache', 'Cached reads looked up, by result.', ('result',)),
    'pool_in_use': Gauge(
      'dibz_db_pool_connections_in_use',
      'Database connections checked out of the pool (all workers).',
      multiprocess_mode='livesum',
    ),
    'pool_open': Gauge(
      'dibz_db_pool_connections_open',
      'Database connections open, idle or in use (all workers).',
      multiprocess_mode='livesum',
    ),
    'pool_capacity': Gauge(
      'dibz_db_pool_capacity',
      'Most connections the pools may open: size + max overflow (all workers).',
      multiprocess_mode='livesum',
    ),
  }


def instrument_pool(engine):
  """Count the pool's connections through its events (cheap: no query, no lock of ours)."""
  from sqlalchemy import event

  values = metrics()
  pool = engine.pool
  if hasattr(pool, 'size') and hasattr(pool, '_max_overflow'):
    values['pool_capacity'].inc(pool.size() + max(pool._max_overflow, 0))
  event.listen(engine, 'checkout', lambda *args: values['pool_in_use'].inc())
  event.listen(engine, 'checkin', lambda *args: values['pool_in_use'].dec())
  event.listen(engine, 'connect', lambda *args: values['pool_open'].inc())
  event.listen(engine, 'close', lambda *args: values['pool_open'].dec())
  event.listen(engine, 'close_detached', lambda *args: values['pool_open'].dec())


def series_of(label_values):
  """The (counter, histogram) children of one label combination, looked up once: labels()
  checks and locks on every call, a dict read does not (half the cost per request)."""
  series = _SERIES.get(label_values)
  if series is None:
    values = metrics()
    series = (
      values['requests'].labels(*label_values),
      values['latency'].labels(*label_values),
    )
    _SERIES[label_values] = series
  return series


def method_label(method):
  """The metrics label of an HTTP method: itself when standard, OTHER otherwise."""
  return method if method in KNOWN_METHODS else OTHER_METHOD


def observe_request(response):
  """Count the request and its latency under its endpoint, method and status."""
  started = request.environ.get(REQUEST_STARTED_KEY)
  counter, histogram = series_of(
    (method_label(request.method), request.endpoint or UNMATCHED_ENDPOINT, response.status_code)
  )
  counter.inc()
  if started is not None:
    histogram.observe(time.perf_counter() - started)
  return response


def observe_answer(method, endpoint, status, started):
  """Count one answer given before Flask's hooks run (the light front of CommonFront)."""
  counter, histogram = series_of((method_label(method), endpoint, status))
  counter.inc()
  histogram.observe(time.perf_counter() - started)


def observe_cache(result):
  """Count one cached read looked up by the front: `hit` or `miss` (its child looked up once)."""
  series = _SERIES.get(result)
  if series is None:
    series = _SERIES[result] = metrics()['cache'].labels(result)
  series.inc()


def allowed_networks(config):
  """METRICS_ALLOWED_ADDRESSES as networks (an address is a network of one)."""
  try:
    return tuple(
      ipaddress.ip_network(address, strict=False) for address in config['METRICS_ALLOWED_ADDRESSES']
    )
  except ValueError as error:
    raise ConfigError(f'METRICS_ALLOWED_ADDRESSES has a bad address or network: {error}.') from None


def scrape_allowed():
  """Whether this request may read /metrics: the right bearer token, or an allowed address
  (the client's, after ProxyFix when TRUSTED_PROXY_COUNT is set)."""
  config = current_app.config
  token = config['METRICS_TOKEN']
  sent = request.headers.get('Authorization', '')
  if token and hmac.compare_digest(sent.encode(), f'Bearer {token}'.encode()):
    return True
  try:
    address = ipaddress.ip_address(request.remote_addr or '')
  except ValueError:
    return False
  return any(address in network for network in current_app.extensions['dibz_metrics_networks'])


def scrape_text():
  """The exposition text of every worker's metrics plus the registered collectors."""
  from prometheus_client import REGISTRY, CollectorRegistry, generate_latest, multiprocess

  metrics()
  registry = CollectorRegistry()
  if os.environ.get('PROMETHEUS_MULTIPROC_DIR'):
    multiprocess.MultiProcessCollector(registry)
  else:
    registry.register(ProcessRegistry(REGISTRY))
  for collector in _SCRAPE_COLLECTORS:
    registry.register(collector)
  return generate_latest(registry)


class ProcessRegistry:
  """The default registry as a collector of a per-scrape registry."""

  def __init__(self, registry):
    self.registry = registry

  def collect(self):
    """Every metric of the wrapped registry."""
    return self.registry.collect()


def configure_metrics(app):
  """Time and count every request, and instrument the pool on the first request."""
  if not app.config['METRICS_ENABLED']:
    return
  app.extensions['dibz_metrics_networks'] = allowed_networks(app.config)

  def instrument_pool_once():
    """The first request of a worker (after the fork) hooks its pool."""
    if not app.extensions.get('dibz_pool_instrumented'):
      app.extensions['dibz_pool_instrumented'] = True
      instrument_pool(db.engine)

  app.before_request(instrument_pool_once)
  app.after_request(observe_request)
