"""deploy/ for the event streams: nginx routes /api/events, unbuffered, to their own gunicorn
(gevent workers, psycogreen), run by its own systemd unit and reloaded with the app."""

import os
import runpy
import unittest
from unittest.mock import patch

from deploy.DeployCommands import reload_command
from deploy.DeploySetup import render_template
from tests.ops.test_DeployTemplates import DEPLOY_FOLDER, gunicorn_settings, settings


def events_gunicorn_settings(**environment):
  """The module-level names of deploy/gunicorn_events.conf.py under this environment."""
  clean = {key: value for key, value in os.environ.items() if not key.startswith('GUNICORN_')}
  with patch.dict(os.environ, {**clean, **environment}, clear=True):
    return runpy.run_path(str(DEPLOY_FOLDER / 'gunicorn_events.conf.py'))


def location_block(site, opening):
  """The text of the nginx block that starts with `opening`."""
  start = site.index(opening)
  return site[start : site.index('\n  }', start)]


class EventsDeployTest(unittest.TestCase):
  def test_nginx_sends_the_stream_unbuffered_to_the_events_process(self):
    site = render_template('nginx-site.conf.j2', settings())
    self.assertIn('upstream dibz_events {\n  server 127.0.0.1:8001 fail_timeout=0;', site)
    block = location_block(site, 'location = /api/events {')
    for line in (
      'proxy_pass http://dibz_events;',
      'proxy_buffering off;',
      'proxy_read_timeout 3700s;',
      'proxy_set_header Connection "";',
      'proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
    ):
      self.assertIn(line, block)
    # Everything else still goes to the main app.
    self.assertIn('proxy_pass http://dibz_app;', location_block(site, 'location / {'))

  def test_the_events_process_runs_gevent_with_psycogreen(self):
    loaded = events_gunicorn_settings(GUNICORN_EVENTS_BIND='127.0.0.1:9001')
    self.assertEqual(loaded['bind'], '127.0.0.1:9001')
    self.assertEqual(loaded['worker_class'], 'gevent')
    self.assertGreaterEqual(loaded['worker_connections'], 1000)
    self.assertEqual(loaded['max_requests'], 0)
    self.assertTrue(callable(loaded['post_worker_init']))
    # The main app keeps its sync workers.
    self.assertEqual(gunicorn_settings()['worker_class'], 'sync')

  def test_a_systemd_unit_runs_it_and_deploys_reload_it_with_the_app(self):
    unit = render_template('dibz-events.service.j2', settings())
    self.assertIn(
      'ExecStart=/srv/dibz/current/.venv/bin/python -m gunicorn '
      '-c /srv/dibz/current/deploy/gunicorn_events.conf.py --chdir /srv/dibz/current wsgi:app',
      unit,
    )
    self.assertIn('EnvironmentFile=/srv/dibz/shared/env', unit)
    self.assertIn('PartOf=dibz.service', unit)
    self.assertTrue(
      reload_command(settings()).endswith('systemctl reload-or-restart dibz dibz-events')
    )
    env = render_template('env.j2', settings())
    self.assertIn('GUNICORN_EVENTS_BIND=127.0.0.1:8001', env)
