"""The live-updates bench counts what it should: a stream that misses one of its events is
incomplete, and only the events of a stream's own user are expected of it. No timing here."""

import unittest
from types import SimpleNamespace

from bench.BenchStreamClient import StreamRecord
from bench.BenchStreams import event_figures, percentiles_ms, render


class BenchStreamsTest(unittest.TestCase):
  def test_delivery_counts_each_stream_against_its_own_users_messages(self):
    # (message id, buyer id, seller id, request start)
    sender = SimpleNamespace(sent=[(1, 2, 3, 10.0), (2, 4, 5, 11.0)], failures=0)
    complete = StreamRecord(2, connected=True, messages={1: (10.2, 0.05)})
    seller = StreamRecord(3, connected=True, messages={1: (10.3, 0.1)})
    missing = StreamRecord(4, connected=True, messages={})
    figures = event_figures([(sender, [complete, seller, missing])])
    self.assertEqual(figures['expected_deliveries'], 3)
    self.assertEqual(figures['received_deliveries'], 2)
    self.assertEqual(figures['incomplete_streams'], 1)
    self.assertEqual(figures['latency_max_ms'], 100.0)

  def test_percentiles_and_the_verdicts(self):
    self.assertEqual(percentiles_ms([]), (0.0, 0.0, 0.0))
    self.assertEqual(percentiles_ms([0.001 * n for n in range(1, 101)]), (51.0, 100.0, 100.0))
    figures = {
      'mode': 'separate',
      'streams': 2,
      'stream_users': 1,
      'wrk': 'wrk',
      'quiet_rps': 100.0,
      'loaded_rps': 70.0,
      'throughput_fall': 0.3,
      'quiet_p99_ms': 1,
      'loaded_p99_ms': 1,
      'list_errors': 0,
      'streams_opened': 2,
      'load_average': 1.0,
      'events_round_rps': 1.0,
      'messages_sent': 1,
      'message_failures': 0,
      'expected_deliveries': 2,
      'received_deliveries': 2,
      'incomplete_streams': 0,
      'latency_p50_ms': 1,
      'latency_p99_ms': 2,
      'latency_max_ms': 2,
      'request_to_receipt_p50_ms': 3,
      'request_to_receipt_p99_ms': 4,
    }
    text, passed = render(figures)
    self.assertFalse(passed)
    self.assertIn('FAIL  list throughput falls by at most 20%', text)
    self.assertIn('PASS  every stream gets its events', text)
    text, passed = render({**figures, 'loaded_rps': 90.0, 'throughput_fall': 0.1})
    self.assertTrue(passed)
