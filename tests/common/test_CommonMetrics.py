"""/metrics: Prometheus text with request counts, latency and pool use, for allowed callers."""

import re

from prometheus_client.core import GaugeMetricFamily

from app.common import CommonMetrics
from app.config import ConfigError
from tests.base import ApiTestCase
from tests.hardening.HardeningHelpers import separate_app

STRANGER = {'REMOTE_ADDR': '203.0.113.9'}


def sample(text, name, **labels):
  """The value of one sample in exposition text (0 when absent)."""
  for line in text.splitlines():
    if line.startswith('#') or not line.startswith(name):
      continue
    match = re.fullmatch(r'([a-zA-Z_:]+)(?:\{(.*)\})? (\S+)', line)
    if not match or match.group(1) != name:
      continue
    found = dict(re.findall(r'(\w+)="([^"]*)"', match.group(2) or ''))
    if found == {key: str(value) for key, value in labels.items()}:
      return float(match.group(3))
  return 0.0


class MetricsTest(ApiTestCase):
  def setUp(self):
    super().setUp()
    self.saved_token = self.app.config['METRICS_TOKEN']
    self.addCleanup(self.app.config.update, {'METRICS_TOKEN': self.saved_token})

  def scrape(self, **kwargs):
    response = self.client.get('/metrics', **kwargs)
    self.assertEqual(response.status_code, 200, response.get_data(as_text=True))
    self.assertTrue(response.content_type.startswith('text/plain; version=0.0.4'))
    return response.get_data(as_text=True)

  def test_counts_and_times_requests_by_endpoint_and_status(self):
    labels = {'method': 'GET', 'endpoint': 'api.health', 'status': 200}
    before = self.scrape()
    for _ in range(3):
      self.assertEqual(self.client.get('/api/health').status_code, 200)
    self.client.get('/api/no-such-thing')
    after = self.scrape()
    name = 'dibz_http_requests_total'
    self.assertEqual(sample(after, name, **labels) - sample(before, name, **labels), 3)
    histogram = 'dibz_http_request_duration_seconds_count'
    self.assertEqual(sample(after, histogram, **labels) - sample(before, histogram, **labels), 3)
    self.assertGreaterEqual(
      sample(after, 'dibz_http_request_duration_seconds_bucket', le='+Inf', **labels), 3
    )
    unmatched = {'method': 'GET', 'endpoint': '<unmatched>', 'status': 404}
    self.assertEqual(sample(after, name, **unmatched) - sample(before, name, **unmatched), 1)

  def test_unknown_methods_share_one_label(self):
    name = 'dibz_http_requests_total'
    odd_methods = ('FOOBAR', 'X-ODD-1', 'PROPFIND', 'BREW')
    before = self.scrape()
    for method in odd_methods:
      self.assertEqual(self.client.open('/api/health', method=method).status_code, 405)
    self.assertEqual(self.client.open('/api/no-such-thing', method='ZZTOP').status_code, 404)
    self.client.open('/api/health', method='OPTIONS')
    after = self.scrape()
    labelled_methods = set(re.findall(r'method="([^"]*)"', after))
    # Other tests of this process add their own standard methods; no odd one is a label.
    standard = {'GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'}
    self.assertLessEqual(labelled_methods, standard | {'OTHER'})
    for endpoint, status, count in (('<unmatched>', 405, 4), ('<unmatched>', 404, 1)):
      labels = {'method': 'OTHER', 'endpoint': endpoint, 'status': status}
      self.assertEqual(sample(after, name, **labels) - sample(before, name, **labels), count)

  def test_reports_database_pool_use(self):
    self.client.get('/api/health/ready')
    text = self.scrape()
    self.assertGreaterEqual(sample(text, 'dibz_db_pool_connections_open'), 1)
    self.assertIn('dibz_db_pool_connections_in_use', text)
    self.assertIn('dibz_db_pool_capacity', text)

  def test_strangers_get_a_403_envelope_and_the_token_opens_it(self):
    self.assert_error(self.client.get('/metrics', environ_base=STRANGER), 403, 'forbidden')
    self.app.config['METRICS_TOKEN'] = 'scrape-secret-for-tests'
    wrong = {'Authorization': 'Bearer not-it'}
    self.assert_error(
      self.client.get('/metrics', environ_base=STRANGER, headers=wrong), 403, 'forbidden'
    )
    right = {'Authorization': 'Bearer scrape-secret-for-tests'}
    self.assertIn('dibz_http_requests_total', self.scrape(environ_base=STRANGER, headers=right))

  def test_registered_collectors_are_read_at_each_scrape(self):
    queue = {'length': 4}

    class QueueCollector:
      def collect(self):
        yield GaugeMetricFamily('dibz_test_queue_length', 'Jobs waiting.', value=queue['length'])

    collector = CommonMetrics.register_collector(QueueCollector())
    self.addCleanup(CommonMetrics._SCRAPE_COLLECTORS.remove, collector)
    self.assertEqual(sample(self.scrape(), 'dibz_test_queue_length'), 4)
    queue['length'] = 7
    self.assertEqual(sample(self.scrape(), 'dibz_test_queue_length'), 7)


class MetricsSettingsTest(ApiTestCase):
  def test_disabled_metrics_answer_a_json_404(self):
    with separate_app('testing', METRICS_ENABLED='false') as app:
      self.assert_error(app.test_client().get('/metrics'), 404, 'not_found')

  def test_a_bad_allowed_address_stops_start_up_naming_the_variable(self):
    with self.assertRaisesRegex(ConfigError, 'METRICS_ALLOWED_ADDRESSES'):
      with separate_app('testing', METRICS_ALLOWED_ADDRESSES='10.0.0.0/8, not-an-address'):
        pass

  def test_allowed_networks_admit_their_addresses_only(self):
    with separate_app('testing', METRICS_ALLOWED_ADDRESSES='198.51.100.0/24') as app:
      client = app.test_client()
      inside = client.get('/metrics', environ_base={'REMOTE_ADDR': '198.51.100.7'})
      self.assertEqual(inside.status_code, 200)
      self.assert_error(client.get('/metrics'), 403, 'forbidden')
