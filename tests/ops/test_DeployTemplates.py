"""The files of deploy/: nginx site, systemd unit, gunicorn settings, example config."""

import os
import runpy
import unittest
from pathlib import Path
from unittest.mock import patch

from invoke.util import yaml

import fabfile
from app.common.CommonConstants import MAX_REQUEST_BYTES
from deploy.DeploySettings import DeploySettingsError, settings_from_config
from deploy.DeploySetup import render_template, setup_commands

DEPLOY_FOLDER = Path(fabfile.__file__).parent / 'deploy'


def settings():
  return settings_from_config(
    {'root': '/srv/dibz', 'server_name': 'dibz.example.edu', 'bind': '127.0.0.1:8123'}
  )


def gunicorn_settings(**environment):
  """The module-level names of deploy/gunicorn.conf.py under this environment."""
  clean = {key: value for key, value in os.environ.items() if not key.startswith('GUNICORN_')}
  with patch.dict(os.environ, {**clean, **environment}, clear=True):
    return runpy.run_path(str(DEPLOY_FOLDER / 'gunicorn.conf.py'))


class NginxSiteTest(unittest.TestCase):
  def setUp(self):
    self.site = render_template('nginx-site.conf.j2', settings())

  def test_body_limit_equals_the_apps(self):
    self.assertIn(f'client_max_body_size {MAX_REQUEST_BYTES};', self.site)

  def test_static_files_come_from_the_current_release(self):
    self.assertIn('location /static/ {\n    alias /srv/dibz/current/app/static/;', self.site)

  def test_proxy_headers_and_request_id_reach_the_app(self):
    for header in (
      'proxy_set_header Host $host;',
      'proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
      'proxy_set_header X-Forwarded-Proto $scheme;',
      'proxy_set_header X-Request-ID $request_id;',
    ):
      self.assertIn(header, self.site)
    self.assertIn('server 127.0.0.1:8123', self.site)
    self.assertIn('server_name dibz.example.edu;', self.site)

  def test_several_app_servers_and_retries_on_the_next_one(self):
    site = render_template(
      'nginx-site.conf.j2',
      settings_from_config(
        {'root': '/srv/dibz', 'server_name': 'x', 'upstreams': '10.0.0.2:8000, 10.0.0.3:8000'}
      ),
    )
    self.assertIn('server 10.0.0.2:8000 max_fails=1 fail_timeout=5s;', site)
    self.assertIn('server 10.0.0.3:8000 max_fails=1 fail_timeout=5s;', site)
    self.assertNotIn('127.0.0.1:8000', site)
    # Without non_idempotent: a POST that reached one server is never repeated on another.
    self.assertIn('proxy_next_upstream error timeout http_502 http_503;\n', site)

  def test_metrics_are_restricted_to_the_allowed_addresses(self):
    site = render_template(
      'nginx-site.conf.j2',
      settings_from_config(
        {'root': '/srv/dibz', 'server_name': 'x', 'metrics_allowed': '10.1.2.3, 192.0.2.0/24'}
      ),
    )
    block = site.split('location = /metrics {')[1].split('}')[0]
    self.assertIn('allow 10.1.2.3;\n    allow 192.0.2.0/24;\n    deny all;', block)

  def test_the_access_log_leaves_query_strings_out(self):
    self.assertIn('"$request_method $uri"', self.site)
    self.assertNotIn('$request ', self.site)
    self.assertNotIn('$request_uri', self.site)
    self.assertNotIn('$args', self.site)


class SystemdUnitTest(unittest.TestCase):
  def test_runs_gunicorn_from_current_and_reloads_with_hup(self):
    unit = render_template('dibz.service.j2', settings())
    self.assertIn('User=dibz', unit)
    self.assertIn('EnvironmentFile=/srv/dibz/shared/env', unit)
    self.assertIn(
      'ExecStart=/srv/dibz/current/.venv/bin/python -m gunicorn '
      '-c /srv/dibz/current/deploy/gunicorn.conf.py --chdir /srv/dibz/current wsgi:app',
      unit,
    )
    self.assertIn('ExecReload=/bin/kill -s HUP $MAINPID', unit)

  def test_the_worker_and_the_periodic_timer_run_manage_py_from_current(self):
    worker = render_template('dibz-worker.service.j2', settings())
    self.assertIn('ExecStart=/srv/dibz/current/.venv/bin/python manage.py worker', worker)
    self.assertIn('EnvironmentFile=/srv/dibz/shared/env', worker)
    self.assertIn('Restart=always', worker)
    periodic = render_template('dibz-periodic.service.j2', settings())
    self.assertIn('Type=oneshot', periodic)
    self.assertIn('ExecStart=/srv/dibz/current/.venv/bin/python manage.py periodic', periodic)
    timer = render_template('dibz-periodic.timer.j2', settings())
    self.assertIn('OnCalendar=minutely', timer)

  def test_setup_creates_the_user_and_folders(self):
    commands = setup_commands(settings())
    self.assertIn('useradd --system', commands[0])
    self.assertIn('mkdir -p /srv/dibz/releases /srv/dibz/venvs /srv/dibz/shared/log', commands[1])
    self.assertIn('chown dibz: /srv/dibz/shared/uploads /srv/dibz/shared/metrics', commands[-1])


class GunicornSettingsTest(unittest.TestCase):
  def test_workers_follow_the_cpu_count_under_a_cap(self):
    with patch('multiprocessing.cpu_count', return_value=2):
      self.assertEqual(gunicorn_settings()['workers'], 5)
    with patch('multiprocessing.cpu_count', return_value=16):
      self.assertEqual(gunicorn_settings()['workers'], 8)
      self.assertEqual(gunicorn_settings(GUNICORN_MAX_WORKERS='12')['workers'], 12)
    self.assertEqual(gunicorn_settings(GUNICORN_WORKERS='3')['workers'], 3)

  def test_bind_timeouts_and_logs(self):
    loaded = gunicorn_settings(GUNICORN_BIND='0.0.0.0:9000', GUNICORN_TIMEOUT='45')
    self.assertEqual(loaded['bind'], '0.0.0.0:9000')
    self.assertEqual(loaded['timeout'], 45)
    self.assertEqual(loaded['graceful_timeout'], 30)
    # The app logs each request once, as JSON; gunicorn's access line only when asked for.
    self.assertIsNone(loaded['accesslog'])
    self.assertEqual(gunicorn_settings(GUNICORN_ACCESS_LOG='-')['accesslog'], '-')
    self.assertFalse(loaded['preload_app'])
    self.assertTrue(loaded['control_socket_disable'])

  def test_the_access_log_leaves_query_strings_out(self):
    log_format = gunicorn_settings()['access_log_format']
    self.assertIn('%(U)s', log_format)
    for raw in ('%(r)s', '%(q)s'):
      self.assertNotIn(raw, log_format)


class ExampleConfigTest(unittest.TestCase):
  def test_the_example_config_has_every_setting_deploy_needs(self):
    config = yaml.safe_load((DEPLOY_FOLDER / 'deploy.example.yaml').read_text())
    loaded = settings_from_config(config['dibz'])
    self.assertEqual(loaded.root, '/srv/dibz')
    self.assertEqual(len(loaded.hosts), 2)


class GunicornMetricsHooksTest(unittest.TestCase):
  def test_the_master_empties_the_metrics_folder_and_marks_dead_workers(self):
    import tempfile
    from unittest.mock import Mock

    with tempfile.TemporaryDirectory() as folder:
      stale = Path(folder) / 'counter_123.db'
      stale.write_bytes(b'old')
      hooks = gunicorn_settings(PROMETHEUS_MULTIPROC_DIR=folder)
      with patch.dict(os.environ, {'PROMETHEUS_MULTIPROC_DIR': folder}):
        hooks['on_starting'](Mock())
        self.assertFalse(stale.exists())
        with patch('prometheus_client.multiprocess.mark_process_dead') as mark_dead:
          hooks['child_exit'](Mock(), Mock(pid=77))
      mark_dead.assert_called_once_with(77)


class AppServersListenOnlyWhereTheBalancerReachesThemTest(unittest.TestCase):
  """gunicorn trusts X-Forwarded-For (TRUSTED_PROXY_COUNT=1): a client that reached it directly
  could pick its own address, open /metrics and dodge per-address login limits."""

  def config(self, **values):
    return {'root': '/srv/dibz', 'server_name': 'dibz.example.edu', **values}

  def test_a_bind_on_every_interface_is_refused_without_a_firewall(self):
    for name in ('bind', 'events_bind'):
      for address in ('0.0.0.0:8000', '[::]:8000', ':8000', '*:8000'):
        with self.subTest(name=name, address=address):
          with self.assertRaisesRegex(DeploySettingsError, f'dibz.{name} .*every interface'):
            settings_from_config(self.config(**{name: address}))
    for address in ('127.0.0.1:8000', '10.0.0.11:8000', '[fd00::11]:8000', 'unix:/run/dibz.sock'):
      self.assertEqual(settings_from_config(self.config(bind=address)).bind, address)

  def test_the_default_and_the_example_listen_on_loopback(self):
    loaded = settings_from_config(self.config())
    self.assertEqual((loaded.bind, loaded.events_bind), ('127.0.0.1:8000', '127.0.0.1:8001'))
    env = render_template('env.j2', loaded)
    self.assertIn('GUNICORN_BIND=127.0.0.1:8000\n', env)
    self.assertIn('GUNICORN_EVENTS_BIND=127.0.0.1:8001\n', env)
    self.assertEqual(gunicorn_settings()['bind'], '127.0.0.1:8000')
    example = (DEPLOY_FOLDER / 'deploy.example.yaml').read_text()
    self.assertNotIn('0.0.0.0', example)

  def test_with_the_balancers_addresses_setup_writes_a_firewall_for_the_app_ports(self):
    loaded = settings_from_config(
      self.config(bind='0.0.0.0:8000', app_allowed_from='10.0.0.5, fd00::5/128')
    )
    rules = render_template('nftables-app.nft.j2', loaded)
    self.assertIn('delete table inet dibz_app', rules)
    self.assertIn('tcp dport { 8000, 8001 } ip saddr { 10.0.0.5/32 } accept', rules)
    self.assertIn('tcp dport { 8000, 8001 } ip6 saddr { fd00::5/128 } accept', rules)
    self.assertIn('iif "lo" tcp dport { 8000, 8001 } accept', rules)
    self.assertTrue(
      rules.rstrip().splitlines()[-3].strip().startswith('tcp dport { 8000, 8001 } drop')
    )
    unit = render_template('dibz.service.j2', loaded)
    self.assertIn('ExecStartPre=+/usr/sbin/nft -f /etc/dibz-firewall.nft', unit)
    self.assertNotIn('nft', render_template('dibz.service.j2', settings()))
    with self.assertRaisesRegex(DeploySettingsError, 'dibz.app_allowed_from'):
      settings_from_config(self.config(app_allowed_from='not-an-address'))

  def test_operations_docs_no_longer_suggest_every_interface(self):
    operations = (DEPLOY_FOLDER.parent / 'docs' / 'OPERATIONS.md').read_text()
    self.assertFalse('bind: 0.0.0.0' in operations, 'docs/OPERATIONS.md suggests bind: 0.0.0.0')
    self.assertTrue('app_allowed_from' in operations, 'docs/OPERATIONS.md lacks app_allowed_from')
