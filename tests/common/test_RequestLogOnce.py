"""Each request is logged once, as the app's JSON line: the development server's own access
line (`make run`) is dropped, while its other messages stay."""

import logging
import threading
import urllib.request

from werkzeug.serving import make_server

from tests.base import ApiTestCase


class RecordCollector(logging.Handler):
  """Keeps the records that reach it."""

  def __init__(self):
    super().__init__(logging.DEBUG)
    self.records = []

  def emit(self, record):
    self.records.append(record)


class RequestLogOnceTest(ApiTestCase):
  def setUp(self):
    super().setUp()
    self.collector = RecordCollector()
    self.loggers = [logging.getLogger('werkzeug'), logging.getLogger('app.request')]
    self.levels = [logger.level for logger in self.loggers]
    for logger in self.loggers:
      logger.addHandler(self.collector)
      logger.setLevel(logging.INFO)

  def tearDown(self):
    for logger, level in zip(self.loggers, self.levels, strict=True):
      logger.removeHandler(self.collector)
      logger.setLevel(level)
    super().tearDown()

  def lines_naming(self, text):
    """The collected messages that contain `text`, with their logger's name."""
    return [
      (record.name, record.getMessage())
      for record in self.collector.records
      if text in record.getMessage()
    ]

  def test_the_development_server_logs_a_request_once(self):
    server = make_server('127.0.0.1', 0, self.app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
      url = f'http://127.0.0.1:{server.server_port}/api/health'
      with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 # a local server
        self.assertEqual(response.status, 200)
    finally:
      server.shutdown()
      thread.join(timeout=10)
    self.assertEqual(self.lines_naming('/api/health'), [('app.request', 'GET /api/health 200')])

  def test_the_development_server_still_says_where_it_serves(self):
    logging.getLogger('werkzeug').info(' * Running on http://127.0.0.1:5000')
    self.assertEqual(len(self.lines_naming('Running on')), 1)
