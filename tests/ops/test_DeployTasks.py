"""The fab tasks' logic, against invoke's MockContext: which commands run, on which host."""

import re
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path
from unittest.mock import Mock

from fabric import Config
from invoke import MockContext, Result
from invoke.exceptions import Exit

import fabfile
from deploy import DeployCommands
from deploy.DeploySettings import DeploySettingsError, require_settings, settings_from_config
from deploy.DeploySetup import setup_host
from deploy.DeployTasks import (
  DeployError,
  DeployRun,
  build_release,
  cleanup_releases,
  deploy_host,
  rollback_host,
  status_lines,
)

ROOT = '/srv/dibz'
OLD = '20260101000000'
PREVIOUS = '20260102000000'
NEW = '20260103000000'
VENV = f'{ROOT}/venvs/aaaa'


def mock_connection(host='web1', answers=()):
  """A MockContext posing as a Connection: `answers` are (regex, Result) tried in order,
  and any other command succeeds with no output."""
  rules = {re.compile(pattern, re.S): result for pattern, result in answers}
  rules[re.compile('.*', re.S)] = Result(stdout='')
  c = MockContext(run=rules)
  c._set('host', host)
  c._set('put', Mock())
  return c


def commands_run(c):
  return [call.args[0] for call in c.run.call_args_list]


def settings(**values):
  base = {'root': ROOT, 'ref': 'main', 'reload_with': 'pidfile', 'use_sudo': False}
  base.update(values)
  return settings_from_config(base)


def built_run(name=NEW):
  return DeployRun(
    name=name, commit='c0ffee', archive_path='/tmp/r.tar.gz', requirements_hash='aaaa'
  )


def server_with_current(current=PREVIOUS, host='web1', probe_fails_for=None):
  """A server where `current` points at `current`, every release uses VENV, and the
  readiness probe fails for release `probe_fails_for`."""
  answers = [
    (r'readlink /srv/dibz/current$', Result(stdout=f'{ROOT}/releases/{current}\n')),
    (r'readlink \S+/\.venv$', Result(stdout=f'{VENV}\n')),
    (r'ls -1 /srv/dibz/releases$', Result(stdout=f'{OLD}\n{PREVIOUS}\n{NEW}\n')),
  ]
  if probe_fails_for:
    answers.append((rf'.*DeployProbe\.py .*--release {probe_fails_for}', Result(exited=1)))
  return mock_connection(host, answers)


def index_of(commands, pattern):
  """The position of the first command matching `pattern` (fails the test when none does)."""
  for index, command in enumerate(commands):
    if re.search(pattern, command):
      return index
  raise AssertionError(f'No command matches {pattern!r}:\n' + '\n'.join(commands))


class DeploySettingsTest(unittest.TestCase):
  def test_a_missing_setting_is_named_in_a_sentence(self):
    with self.assertRaises(DeploySettingsError) as raised:
      require_settings(settings_from_config({'ref': 'main'}), 'deploy')
    message = str(raised.exception)
    self.assertIn('missing setting dibz.root', message)
    self.assertIn('No server was touched', message)
    self.assertNotIn('dibz.ref', message)

  def test_command_line_values_override_the_config(self):
    loaded = settings_from_config({'root': '/a', 'ref': 'main'}, {'ref': 'v2', 'root': None})
    self.assertEqual((loaded.root, loaded.ref), ('/a', 'v2'))

  def test_unknown_or_malformed_settings_are_refused(self):
    with self.assertRaisesRegex(DeploySettingsError, 'Unknown setting dibz.rooot'):
      settings_from_config({'rooot': '/srv'})
    with self.assertRaisesRegex(DeploySettingsError, 'dibz.keep must be at least 1'):
      settings_from_config({'root': '/srv', 'keep': '0'})
    with self.assertRaisesRegex(DeploySettingsError, 'dibz.reload_with must be one of'):
      settings_from_config({'root': '/srv', 'reload_with': 'magic'})

  def test_a_task_with_a_missing_setting_stops_before_running_anything(self):
    for task, arguments in [
      (fabfile.deploy, {'ref': 'main'}),
      (fabfile.rollback, {}),
      (fabfile.releases, {'cleanup': True}),
      (fabfile.setup, {'root': ROOT}),
    ]:
      c = mock_connection()
      with self.assertRaises(Exit) as raised:
        task(c, **arguments)
      self.assertIn('missing setting', str(raised.exception.message))
      self.assertEqual(c.run.call_count, 0)
      self.assertEqual(c.put.call_count, 0)

  def test_fab_refuses_before_connecting(self):
    completed = subprocess.run(
      [sys.executable, '-m', 'fabric', '-H', 'nowhere.invalid', 'deploy', '--ref=main'],
      cwd=Path(fabfile.__file__).parent,
      capture_output=True,
      text=True,
    )
    self.assertEqual(completed.returncode, 2, completed.stderr)
    self.assertIn('missing setting dibz.root', completed.stderr)
    self.assertNotIn('nowhere.invalid', completed.stderr)


class HostsTest(unittest.TestCase):
  def test_hosts_come_from_the_config_when_no_h_is_given(self):
    c = MockContext(Config(overrides={'dibz': {'root': ROOT, 'hosts': 'web1, web2'}}))
    loaded = fabfile.load_settings(c, 'status')
    self.assertEqual([each.host for each in fabfile.connections(c, loaded)], ['web1', 'web2'])

  def test_no_host_at_all_is_refused(self):
    c = MockContext(Config(overrides={'dibz': {'root': ROOT}}))
    with self.assertRaisesRegex(Exit, 'No host to work on'):
      fabfile.status(c)


class DeployHostTest(unittest.TestCase):
  def test_deploy_runs_the_steps_in_order(self):
    c = server_with_current()
    run = built_run()
    self.assertEqual(deploy_host(c, settings(), run), NEW)
    commands = commands_run(c)
    steps = [
      r'^test -f /srv/dibz/shared/env$',
      r'^mkdir -p /srv/dibz/releases /srv/dibz/venvs',
      rf'^mkdir /srv/dibz/releases/{NEW} && tar -xzf \S+\.upload-{NEW}\.tar\.gz',
      r'venvs/aaaa/bin/python -m pip install .*-r \S+/requirements.txt',
      rf'cd /srv/dibz/releases/{NEW} && \S+/\.venv/bin/python manage.py db upgrade',
      rf'^ln -sfn /srv/dibz/releases/{NEW} /srv/dibz/current.tmp && mv -T /srv/dibz/current.tmp /srv/dibz/current$',
      r'kill -HUP',
      rf'DeployProbe\.py --url http://127.0.0.1:8000/api/health/ready --release {NEW}',
    ]
    positions = [index_of(commands, step) for step in steps]
    self.assertEqual(positions, sorted(positions))
    c.put.assert_called_once_with('/tmp/r.tar.gz', remote=f'{ROOT}/releases/.upload-{NEW}.tar.gz')
    self.assertIn("printf '%s %s\\n' 20260103000000 c0ffee", commands[positions[2]])
    self.assertIn('shared/env', commands[positions[4]])
    self.assertEqual(run.deployed_hosts, ['web1'])

  def test_migrations_run_on_the_first_host_only(self):
    run = built_run()
    web1, web2 = server_with_current(host='web1'), server_with_current(host='web2')
    deploy_host(web1, settings(), run)
    deploy_host(web2, settings(), run)
    self.assertEqual(sum('manage.py db upgrade' in each for each in commands_run(web1)), 1)
    self.assertFalse(any('manage.py db upgrade' in each for each in commands_run(web2)))
    self.assertEqual(run.migrated_on, 'web1')
    self.assertEqual(run.deployed_hosts, ['web1', 'web2'])
    index_of(commands_run(web2), r'mv -T /srv/dibz/current.tmp /srv/dibz/current')

  def test_systemd_hosts_reload_gracefully(self):
    c = server_with_current()
    deploy_host(c, settings(reload_with='systemd', use_sudo=True), built_run())
    index_of(commands_run(c), r'^sudo systemctl reload-or-restart dibz dibz-events$')

  def test_deploy_and_rollback_restart_the_job_workers_after_the_app(self):
    c = server_with_current()
    deploy_host(c, settings(reload_with='systemd', use_sudo=True), built_run())
    commands = commands_run(c)
    reload_at = index_of(commands, r'^sudo systemctl reload-or-restart dibz dibz-events$')
    workers_at = index_of(
      commands, r'^sudo systemctl restart dibz-worker && sudo systemctl start dibz-periodic.timer$'
    )
    self.assertLess(reload_at, workers_at)
    rolled_back = server_with_current(current=NEW)
    rollback_host(rolled_back, settings(reload_with='systemd'))
    index_of(commands_run(rolled_back), r'^systemctl restart dibz-worker')
    # Without systemd the operator supervises workers: nothing is restarted for them.
    pidfile_host = server_with_current()
    deploy_host(pidfile_host, settings(), built_run())
    self.assertFalse(any('dibz-worker' in command for command in commands_run(pidfile_host)))

  def test_status_shows_the_queue(self):
    c = mock_connection(
      answers=[
        (r'readlink /srv/dibz/current$', Result(stdout=f'{ROOT}/releases/{NEW}\n')),
        (
          r'.*manage.py jobs --limit 10$',
          Result(stdout='queued: 3, started: 1, scheduled: 0, failed: 2\n'),
        ),
      ]
    )
    lines = status_lines(c, settings())
    self.assertIn('web1: jobs queued: 3, started: 1, scheduled: 0, failed: 2', lines)

  def test_a_new_virtualenv_means_a_restart_not_a_reload(self):
    c = mock_connection(
      answers=[
        (r'readlink /srv/dibz/current$', Result(stdout=f'{ROOT}/releases/{PREVIOUS}\n')),
        (rf'readlink \S+/{PREVIOUS}/\.venv$', Result(stdout=f'{ROOT}/venvs/old\n')),
        (rf'readlink \S+/{NEW}/\.venv$', Result(stdout=f'{VENV}\n')),
      ]
    )
    deploy_host(c, settings(reload_with='systemd'), built_run())
    index_of(commands_run(c), r'^systemctl restart dibz dibz-events$')

  def test_an_unready_release_is_rolled_back_automatically(self):
    c = server_with_current(probe_fails_for=NEW)
    run = built_run()
    with self.assertRaises(DeployError) as raised:
      deploy_host(c, settings(), run)
    self.assertIn(f'rolled back to {PREVIOUS} (ready)', str(raised.exception))
    self.assertIn('Migrations ran on web1', str(raised.exception))
    commands = commands_run(c)
    to_new = index_of(commands, rf'^ln -sfn /srv/dibz/releases/{NEW} ')
    back = index_of(commands, rf'^ln -sfn /srv/dibz/releases/{PREVIOUS} ')
    self.assertLess(to_new, back)
    index_of(commands[back:], rf'DeployProbe\.py .*--release {PREVIOUS}')
    self.assertEqual(run.deployed_hosts, [])

  def test_a_failed_install_leaves_current_alone(self):
    c = mock_connection(answers=[(r'\(test -f \S+\.dibz-complete', Result(exited=1))])
    with self.assertRaisesRegex(DeployError, 'Installing packages failed on web1'):
      deploy_host(c, settings(), built_run())
    commands = commands_run(c)
    self.assertFalse(any('mv -T' in each for each in commands))
    index_of(commands, rf'^rm -rf /srv/dibz/releases/{NEW}$')

  def test_a_server_without_its_env_file_is_refused_before_upload(self):
    c = mock_connection(answers=[(r'test -f /srv/dibz/shared/env', Result(exited=1))])
    with self.assertRaisesRegex(DeployError, 'shared/env'):
      deploy_host(c, settings(), built_run())
    self.assertEqual(c.put.call_count, 0)


class RollbackTest(unittest.TestCase):
  def test_previous_release_is_the_one_before_current(self):
    releases = [OLD, PREVIOUS, NEW]
    self.assertEqual(DeployCommands.previous_release(releases, NEW), PREVIOUS)
    self.assertEqual(DeployCommands.previous_release(releases, PREVIOUS), OLD)
    self.assertIsNone(DeployCommands.previous_release(releases, OLD))
    self.assertIsNone(DeployCommands.previous_release(releases, None))

  def test_rollback_switches_to_the_previous_release_and_checks_it(self):
    c = server_with_current(current=NEW)
    self.assertEqual(rollback_host(c, settings()), PREVIOUS)
    commands = commands_run(c)
    switch = index_of(commands, rf'^ln -sfn /srv/dibz/releases/{PREVIOUS} /srv/dibz/current.tmp')
    reload = index_of(commands, r'kill -HUP')
    probe = index_of(commands, rf'DeployProbe\.py .*--release {PREVIOUS}')
    self.assertLess(switch, reload)
    self.assertLess(reload, probe)

  def test_rollback_to_a_named_release(self):
    c = server_with_current(current=NEW)
    self.assertEqual(rollback_host(c, settings(), to=OLD), OLD)
    index_of(commands_run(c), rf'^ln -sfn /srv/dibz/releases/{OLD} ')

  def test_rollback_refuses_without_an_earlier_or_known_release(self):
    with self.assertRaisesRegex(DeployError, f'No earlier release than {OLD}'):
      rollback_host(server_with_current(current=OLD), settings())
    c = server_with_current(current=NEW)
    with self.assertRaisesRegex(DeployError, 'There is no release 19990101000000'):
      rollback_host(c, settings(), to='19990101000000')
    self.assertFalse(any('mv -T' in each for each in commands_run(c)))


class CleanupTest(unittest.TestCase):
  def test_keeps_the_newest_n_and_always_the_current_one(self):
    releases = [f'2026010{day}000000' for day in range(1, 8)]
    remove = DeployCommands.releases_to_remove
    self.assertEqual(remove(releases, releases[-1], 3), releases[:4])
    self.assertEqual(remove(releases, releases[0], 3), releases[1:4])
    self.assertEqual(remove(releases[:2], releases[-1], 5), [])

  def test_cleanup_removes_old_releases_and_unused_virtualenvs(self):
    c = mock_connection(
      answers=[
        (r'readlink /srv/dibz/current$', Result(stdout=f'{ROOT}/releases/{NEW}\n')),
        (r'ls -1 /srv/dibz/releases$', Result(stdout=f'{OLD}\n{PREVIOUS}\n{NEW}\nnot-a-release\n')),
        (rf'readlink \S+/{NEW}/\.venv$', Result(stdout=f'{VENV}\n')),
        (rf'readlink \S+/{PREVIOUS}/\.venv$', Result(stdout=f'{ROOT}/venvs/bbbb\n')),
        (r'ls -1 /srv/dibz/venvs$', Result(stdout='aaaa\nbbbb\ncccc\n')),
      ]
    )
    self.assertEqual(cleanup_releases(c, settings(), keep=2), [OLD])
    commands = commands_run(c)
    index_of(commands, rf'^rm -rf /srv/dibz/releases/{OLD}$')
    index_of(commands, r'^rm -rf /srv/dibz/venvs/cccc$')


class BuildReleaseTest(unittest.TestCase):
  def test_the_archive_holds_the_ref_and_nothing_uncommitted(self):
    with tempfile.TemporaryDirectory() as folder:
      git = ['git', '-c', 'user.name=T', '-c', 'user.email=t@example.edu', '-C', folder]
      subprocess.run([*git, 'init', '-q'], check=True)
      Path(folder, 'requirements.txt').write_text('Flask==3.1.3\n')
      subprocess.run([*git, 'add', '-A'], check=True)
      subprocess.run([*git, 'commit', '-qm', 'one'], check=True)
      Path(folder, 'uncommitted.txt').write_text('local only\n')
      run = build_release(settings(repo=folder, ref='HEAD'), DeployRun())
      listing = subprocess.run(
        ['tar', '-tzf', run.archive_path], capture_output=True, text=True, check=True
      ).stdout.split()
      self.assertEqual(listing, ['requirements.txt'])
      self.assertRegex(run.name, r'^\d{14}$')
      self.assertEqual(len(run.commit), 40)
      self.assertEqual(len(run.requirements_hash), 16)
      with self.assertRaisesRegex(DeployError, 'rev-parse'):
        build_release(settings(repo=folder, ref='no-such-branch'), DeployRun())


class SetupTest(unittest.TestCase):
  def test_setup_writes_the_env_template_only_when_missing_and_checks_nginx(self):
    missing_env = mock_connection(answers=[(r'test -f /srv/dibz/shared/env', Result(exited=1))])
    todo = setup_host(missing_env, settings(reload_with='systemd', server_name='dibz.example.edu'))
    self.assertEqual(len(todo), 1)
    self.assertIn('Fill in /srv/dibz/shared/env', todo[0])
    uploaded = [call.kwargs['remote'] for call in missing_env.put.call_args_list]
    self.assertEqual(
      uploaded,
      [
        '/srv/dibz/shared/env',
        '/tmp/dibz-setup-dibz.service',
        '/tmp/dibz-setup-dibz-worker.service',
        '/tmp/dibz-setup-dibz-periodic.service',
        '/tmp/dibz-setup-dibz-periodic.timer',
        '/tmp/dibz-setup-dibz-events.service',
        '/tmp/dibz-setup-dibz',
      ],
    )
    commands = commands_run(missing_env)
    index_of(commands, r'^chmod 600 /srv/dibz/shared/env$')
    index_of(
      commands, r'install -m 644 /tmp/dibz-setup-dibz.service /etc/systemd/system/dibz.service'
    )
    index_of(commands, r'systemctl enable dibz dibz-events dibz-worker dibz-periodic.timer$')
    index_of(
      commands,
      r'install -m 644 /tmp/dibz-setup-dibz-periodic.timer /etc/systemd/system/dibz-periodic.timer',
    )
    index_of(commands, r'nginx -t && systemctl reload nginx$')

    present_env = mock_connection()
    self.assertEqual(setup_host(present_env, settings(server_name='dibz.example.edu')), [])
    uploaded = [call.kwargs['remote'] for call in present_env.put.call_args_list]
    self.assertNotIn('/srv/dibz/shared/env', uploaded)
