"""Two app hosts behind nginx: `fab -H app1,app2 deploy` under load loses nothing, and nginx
routes around a host whose gunicorn dies.

Hosts are network namespaces with their own sshd and deploy root (tests/ops/OpsNetwork.py);
nginx on 127.0.0.1 balances over them with the site of deploy/templates; one PostgreSQL
database and one Redis (database 7) serve both. wrk reads and a client writes (posts and
messages) through nginx for the whole deploy. The test prints its figures. PostgreSQL only:
the hosts share one database, as real ones do.
"""

import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
import unittest
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from deploy.DeploySettings import settings_from_config
from deploy.DeploySetup import render_template
from tests.ops.OpsDatabases import ScratchDatabase, require_postgresql_and
from tests.ops.OpsFab import release_answer, run_fab, write_fab_config
from tests.ops.OpsFigures import report_figure
from tests.ops.OpsLoad import Browser, ReadLoad, WriteLoad
from tests.ops.OpsNetwork import Forwarder, NamespaceHost, Nginx, new_subnet_octet
from tests.ops.OpsSshServer import find_sshd, free_port
from tests.ops.test_DeployEndToEnd import copy_project_into_repository

FAB_TIMEOUT_SECONDS = 240
REDIS_PORT = 6379
REDIS_DATABASE = 7
WRK_CONNECTIONS = 4
BUYERS = 4
# The app allows a user 20 new posts an hour and an address 10 sign-ups an hour: the load
# spreads its posts over 5 sellers, and 5 + 4 sign-ups stay under the sign-up limit.
SELLERS = 5


class RollingDeployTest(unittest.TestCase):
  def setUp(self):
    require_postgresql_and(self, ['ip', 'nginx', 'wrk', 'socat', 'ssh-keygen', 'redis-cli'])
    if find_sshd() is None or os.geteuid() != 0:
      reason = 'needs root (network namespaces) and sshd'
      if os.environ.get('CI') == 'true':
        self.fail(reason)
      self.skipTest(reason)
    self.folder = Path(tempfile.mkdtemp(prefix='dibz-rolling-'))
    self.addCleanup(shutil.rmtree, self.folder, True)
    self.database = ScratchDatabase('rolling').create()
    self.addCleanup(self.database.drop)
    subprocess.run(
      ['redis-cli', '-n', str(REDIS_DATABASE), 'flushdb'], check=True, capture_output=True
    )
    self.root = self.folder / 'srv'
    self.root.mkdir()
    self.app_port = free_port()
    octet = new_subnet_octet()
    self.hosts = []
    for index, label in enumerate(('app1', 'app2')):
      host = NamespaceHost(label, index, octet, self.folder, str(self.root))
      self.addCleanup(host.destroy)
      self.hosts.append(host.create())
      self.write_env(host)
      host.start_sshd()
    self.nginx = Nginx(self.folder)
    self.addCleanup(self.nginx.stop)
    self.nginx.start(self.nginx_site())
    self.base_url = f'http://127.0.0.1:{self.nginx.port}'
    self.first_commit, self.second_commit = copy_project_into_repository(self.folder / 'src')
    self.config_file = self.write_fab_config()

  def forward(self, host, port):
    forwarder = Forwarder(host.address_here, port)
    self.addCleanup(forwarder.stop)
    return forwarder.start()

  def write_env(self, host):
    """The host's shared/env: PostgreSQL and Redis through forwarders on its veth."""
    parts = urlsplit(self.database.url)
    postgresql = self.forward(host, parts.port or 5432)
    redis = self.forward(host, REDIS_PORT)
    credentials = parts.netloc.rsplit('@', 1)[0] + '@' if '@' in parts.netloc else ''
    netloc = f'{credentials}{host.address_here}:{postgresql.port}'
    database_url = urlunsplit(parts._replace(netloc=netloc))
    redis_url = f'redis://{host.address_here}:{redis.port}/{REDIS_DATABASE}'
    shared = host.root_here / 'shared'
    shared.mkdir()
    (shared / 'env').write_text(
      '\n'.join(
        [
          'APP_ENV=staging',
          'SECRET_KEY=rolling-deploy-test-secret-of-32-characters',
          f'DATABASE_URL={database_url}',
          f'REDIS_URL={redis_url}',
          f'RATELIMIT_STORAGE_URI={redis_url}',
          # The writer floods from one seller on purpose (a load, not abuse): the per-user
          # limits (20 posts an hour) would refuse it; they have their own tests.
          'RATELIMIT_ENABLED=false',
          'TRUSTED_PROXY_COUNT=1',
          f'UPLOAD_FOLDER={self.root}/shared/uploads',
          f'PROMETHEUS_MULTIPROC_DIR={self.root}/shared/metrics',
          'METRICS_ALLOWED_ADDRESSES=127.0.0.1',
          f'GUNICORN_BIND=0.0.0.0:{self.app_port}',
          'GUNICORN_WORKERS=2',
          'GUNICORN_GRACEFUL_TIMEOUT=15',
          '',
        ]
      )
    )

  def settings_values(self):
    return {
      'root': str(self.root),
      'server_name': 'localhost',
      'upstreams': [f'{host.address}:{self.app_port}' for host in self.hosts],
      'listen': f'127.0.0.1:{self.nginx.port}',
      'nginx_log_folder': str(self.nginx.folder),
      'metrics_allowed': ['127.0.0.1'],
    }

  def nginx_site(self):
    return render_template('nginx-site.conf.j2', settings_from_config(self.settings_values()))

  def write_fab_config(self):
    return write_fab_config(
      self.folder,
      [host.ssh.client_key for host in self.hosts],
      [
        f'root: {self.root}',
        f'repo: {self.folder / "src"}',
        f'python: {sys._base_executable}',
        f'seed_site_packages: {sysconfig.get_paths()["purelib"]}',
        'reload_with: pidfile',
        'use_sudo: false',
        f'health_url: http://127.0.0.1:{self.app_port}/api/health/ready',
        'health_timeout: 60',
      ],
    )

  def fab(self, *arguments):
    hosts = [f'{host.ssh.user}@{host.address}:{host.ssh.port}' for host in self.hosts]
    returncode, output = run_fab(
      self.config_file, hosts, self.folder, arguments, FAB_TIMEOUT_SECONDS
    )
    if returncode != 0:
      logs = ''
      for host in self.hosts:
        log = host.root_here / 'shared' / 'log' / 'gunicorn.log'
        logs += f'\n{host.label}:\n' + (log.read_text()[-2000:] if log.exists() else 'no log')
      self.fail(f'fab {" ".join(arguments)} failed:\n{output}\n{logs}')
    return output

  def current_release(self, host):
    return Path(os.readlink(host.root_here / 'current')).name

  def make_writers(self):
    """Sellers, the first with a post, and buyers each with a conversation about it."""
    host, port = '127.0.0.1', self.nginx.port
    sellers = []
    for number in range(SELLERS):
      sellers.append(Browser(host, port))
      sellers[-1].signup(f'rolling_seller{number}')
    seller = sellers[0]
    status, answer = seller.request(
      'POST',
      '/api/posts',
      {
        'title': 'The first post',
        'description': 'Asked about by every buyer of this test.',
        'price_cents': 500,
        'category': 'other',
        'condition': 'good',
      },
    )
    self.assertEqual(status, 201, answer)
    post_id = answer['post']['id']
    buyers, conversations = [], []
    for number in range(BUYERS):
      buyer = Browser(host, port)
      buyer.signup(f'rolling_buyer{number}')
      status, answer = buyer.request('POST', f'/api/posts/{post_id}/conversations', {})
      self.assertEqual(status, 201, answer)
      buyers.append(buyer)
      conversations.append(answer['conversation']['id'])
    return sellers, buyers, conversations

  def start_load(self, writers):
    reads = ReadLoad(f'{self.base_url}/api/posts', connections=WRK_CONNECTIONS)
    writes = WriteLoad(*writers)
    reads.start()
    writes.start()
    self.addCleanup(reads.stop)
    self.addCleanup(writes.stop)
    return reads, writes

  def stop_load(self, reads, writes):
    reads.stop()
    writes.stop()
    return reads.snapshot(), writes.snapshot()

  def rows_found(self, table, ids):
    if not ids:
      return 0
    rows = self.database.query(f'SELECT count(*) FROM {table} WHERE id = ANY(%s)', (ids,))  # nosec B608 # a fixed table name
    return rows[0][0]

  def report(self, phase, reads, writes, writer):
    posts, messages = writer.acknowledged['posts'], writer.acknowledged['messages']
    found_posts, found_messages = (
      self.rows_found('posts', posts),
      self.rows_found('messages', messages),
    )
    report_figure(
      f'{phase}: reads {reads.requests} requests, {reads.failures} failed; '
      f'writes {writes.requests} requests, {writes.failures} failed; '
      f'acknowledged {len(posts)} posts + {len(messages)} messages, '
      f'found in the database {found_posts} + {found_messages}'
    )
    for detail in reads.details + writes.details:
      report_figure(f'  failure: {detail}')
    self.assertEqual((found_posts, found_messages), (len(posts), len(messages)), 'lost writes')
    self.assertGreater(len(posts), 0)
    self.assertGreater(len(messages), 0)
    self.assertGreater(reads.requests, 0)

  def test_rolling_deploy_under_load_then_a_dead_host(self):
    started = time.monotonic()
    self.fab('deploy', f'--ref={self.first_commit}')
    first = {host.label: self.current_release(host) for host in self.hosts}
    writers = self.make_writers()

    # The deploy, under load from start to end.
    reads, writes = self.start_load(writers)
    time.sleep(2)
    deploy_started = time.monotonic()
    output = self.fab('deploy', f'--ref={self.second_commit}')
    deploy_seconds = time.monotonic() - deploy_started
    time.sleep(2)
    read_figures, write_figures = self.stop_load(reads, writes)
    self.report(f'rolling deploy ({deploy_seconds:.0f} s)', read_figures, write_figures, writes)
    self.assertEqual(read_figures.failures, 0, read_figures.details)
    self.assertEqual(write_figures.failures, 0, write_figures.details)
    for host in self.hosts:
      release = self.current_release(host)
      self.assertGreater(release, first[host.label])
      self.assertIn(f'{host.address}: {release} is live and ready', output)
      ready = release_answer(f'http://{host.address}:{self.app_port}/api/health/ready')
      self.assertEqual(ready, (200, release))

    # A crash: app1's gunicorn is killed under the same load.
    reads, writes = self.start_load(writers)
    time.sleep(2)
    killed = self.hosts[0].kill_gunicorn()
    self.assertGreaterEqual(len(killed), 2)
    time.sleep(4)
    read_figures, write_figures = self.stop_load(reads, writes)
    self.report(
      f'gunicorn of app1 killed ({len(killed)} processes)', read_figures, write_figures, writes
    )
    # Only requests in flight at the kill may fail: at most one per connection.
    in_flight = WRK_CONNECTIONS + 1
    self.assertLessEqual(read_figures.failures + write_figures.failures, in_flight)
    self.assertEqual(
      release_answer(f'http://{self.hosts[0].address}:{self.app_port}/api/health'), (None, None)
    )
    answers = [release_answer(f'{self.base_url}/api/health/ready')[0] for _ in range(10)]
    self.assertEqual(answers, [200] * 10)

    metrics = urllib.request.urlopen(f'{self.base_url}/metrics', timeout=10).read().decode()
    self.assertIn('dibz_http_requests_total{endpoint="api.list_posts"', metrics)
    report_figure(f'rolling deploy test: {time.monotonic() - started:.0f} s in all')
