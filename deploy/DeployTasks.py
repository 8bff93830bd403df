"""What each fab task does on one server; fabfile.py only parses arguments and calls these.

Every function takes a connection `c` (a fabric Connection, or invoke's MockContext in tests)
and the DeploySettings; commands come from DeployCommands so tests can read them.
"""

import atexit
import hashlib
import io
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from deploy import DeployCommands


class DeployError(RuntimeError):
  """A step failed on a server; the message says which step, where, and what was done."""


def host_of(c):
  """The host name of a connection, for messages."""
  return getattr(c, 'host', None) or 'localhost'


def run_step(c, command, what, stdin=None):
  """Run a command; a non-zero exit becomes a DeployError naming the step and the host.
  `stdin` is text for the command's standard input: how a secret reaches the server without
  being part of a command line (which `ps` shows to every user)."""
  in_stream = io.StringIO(stdin) if stdin is not None else False
  result = c.run(command, hide=True, warn=True, in_stream=in_stream)
  if not result.ok:
    output = (result.stderr or result.stdout or '').strip().splitlines()[-5:]
    raise DeployError(
      f'{what} failed on {host_of(c)} (exit {result.exited}): {" | ".join(output) or "no output"}'
    )
  return result


def try_step(c, command):
  """Run a command whose failure is an answer (a missing link, an empty folder): stdout or None."""
  result = c.run(command, hide=True, warn=True, in_stream=False)
  return result.stdout.strip() if result.ok else None


@dataclass
class DeployRun:
  """One `fab deploy` over one or several hosts: the archive is built once, and the
  migrations run on the first host only (the database is shared by every server)."""

  name: str = ''
  commit: str = ''
  archive_path: str = ''
  requirements_hash: str = ''
  migrated_on: str = ''
  deployed_hosts: list = field(default_factory=list)

  def is_built(self):
    """True once the archive of this run exists."""
    return bool(self.archive_path)


def git_output(repo, *arguments):
  """Run git in the local repository and return its output, or fail with git's own words."""
  completed = subprocess.run(['git', '-C', repo, *arguments], capture_output=True)
  if completed.returncode != 0:
    message = completed.stderr.decode(errors='replace').strip()
    raise DeployError(f'git {" ".join(arguments)} failed in {repo}: {message}')
  return completed.stdout


def new_release_name(now=None):
  """A sortable release name: the UTC time of the deploy."""
  return (now or datetime.now(UTC)).strftime(DeployCommands.RELEASE_NAME_FORMAT)


def build_release(settings, run, now=None):
  """Archive the ref with `git archive` (tracked files only, nothing from the working tree)."""
  commit = git_output(settings.repo, 'rev-parse', '--verify', f'{settings.ref}^{{commit}}')
  run.commit = commit.decode().strip()
  requirements = git_output(settings.repo, 'show', f'{run.commit}:requirements.txt')
  run.requirements_hash = hashlib.sha256(requirements).hexdigest()[:16]
  folder = tempfile.mkdtemp(prefix='dibz-release-')
  atexit.register(shutil.rmtree, folder, True)
  run.archive_path = str(Path(folder) / 'release.tar.gz')
  git_output(settings.repo, 'archive', '--format=tar.gz', '-o', run.archive_path, run.commit)
  run.name = new_release_name(now)
  return run


def current_release(c, settings):
  """The name of the release `current` points at, or None before the first deploy."""
  target = try_step(c, DeployCommands.read_link_command(settings.current_link))
  return target.rstrip('/').rsplit('/', 1)[-1] if target else None


def venv_of(c, settings, name):
  """The virtualenv a release uses, or None."""
  if not name:
    return None
  return try_step(c, DeployCommands.read_link_command(settings.release_path(name) + '/.venv'))


def list_releases(c, settings):
  """The release names on the server, oldest first."""
  return DeployCommands.release_names(
    try_step(c, DeployCommands.list_releases_command(settings)) or ''
  )


def upload_release(c, settings, run):
  """Copy the archive to the server and unpack it into releases/<name>."""
  run_step(c, DeployCommands.prepare_folders_command(settings), 'Creating the folders')
  remote_archive = f'{settings.releases_folder}/.upload-{run.name}.tar.gz'
  c.put(run.archive_path, remote=remote_archive)
  run_step(
    c,
    DeployCommands.unpack_command(settings, run.name, run.commit, remote_archive),
    f'Unpacking release {run.name}',
  )


def switch_and_reload(c, settings, name, previous_venv):
  """Point `current` at `name` and reload gunicorn (a restart when the virtualenv changed)."""
  run_step(c, DeployCommands.switch_command(settings, name), f'Switching current to {name}')
  restart = previous_venv is not None and venv_of(c, settings, name) != previous_venv
  run_step(c, DeployCommands.reload_command(settings, restart=restart), 'Reloading gunicorn')
  worker_restart = DeployCommands.worker_restart_command(settings)
  if worker_restart:
    run_step(c, worker_restart, 'Restarting the job workers')


def check_health(c, settings, name):
  """True when /api/health/ready answers 200 from release `name` on this server."""
  result = c.run(
    DeployCommands.probe_command(settings, name), hide=True, warn=True, in_stream=False
  )
  return result.ok


def deploy_host(c, settings, run):
  """Deploy the built release to one server, rolling back by itself if it is not healthy."""
  run_step(
    c,
    DeployCommands.env_file_check_command(settings),
    f'Looking for {settings.env_file} (the app environment: see docs/OPERATIONS.md)',
  )
  previous = current_release(c, settings)
  previous_venv = venv_of(c, settings, previous)
  try:
    upload_release(c, settings, run)
    run_step(
      c,
      DeployCommands.venv_command(settings, run.name, run.requirements_hash),
      'Installing packages',
    )
    if not run.migrated_on:
      release_path = settings.release_path(run.name)
      run_step(c, DeployCommands.migrate_command(settings, release_path), 'Migrating the database')
      run.migrated_on = host_of(c)
  except DeployError:
    try_step(c, DeployCommands.remove_paths_command([settings.release_path(run.name)]))
    raise
  switch_and_reload(c, settings, run.name, previous_venv)
  if check_health(c, settings, run.name):
    run.deployed_hosts.append(host_of(c))
    clear = DeployCommands.cache_clear_command(settings, settings.current_link)
    run_step(c, clear, 'Invalidating the cached answers of the release before')
    return run.name
  raise DeployError(roll_back_unhealthy_release(c, settings, run, previous))


def roll_back_unhealthy_release(c, settings, run, previous):
  """The new release did not become ready: switch this server back to `previous` (when there
  is one), check it, and return the sentence saying what happened."""
  message = f'Release {run.name} did not become ready on {host_of(c)} within '
  message += f'{settings.health_timeout} s'
  if previous:
    switch_and_reload(c, settings, previous, venv_of(c, settings, run.name))
    healthy = check_health(c, settings, previous)
    message += f'; rolled back to {previous} ({"ready" if healthy else "NOT ready either"})'
  else:
    message += '; there is no earlier release to roll back to'
  if run.deployed_hosts:
    message += (
      f'. Already on {run.name}: {", ".join(run.deployed_hosts)} '
      '(run `fab rollback` on them to return them too)'
    )
  if run.migrated_on:
    message += f'. Migrations ran on {run.migrated_on} and were not reversed'
  return message + '.'


def rollback_host(c, settings, to=None):
  """Switch back to the release before the current one (or to `to`) and check it."""
  releases = list_releases(c, settings)
  current = current_release(c, settings)
  target = to or DeployCommands.previous_release(releases, current)
  if not target:
    raise DeployError(f'No earlier release than {current} on {host_of(c)} to roll back to.')
  if target not in releases:
    raise DeployError(f'There is no release {target} on {host_of(c)}.')
  switch_and_reload(c, settings, target, venv_of(c, settings, current))
  if not check_health(c, settings, target):
    raise DeployError(f'Rolled back to {target} on {host_of(c)}, but it is not ready.')
  return target


def migrate_host(c, settings):
  """Run the migrations of the current release."""
  current = current_release(c, settings)
  if not current:
    raise DeployError(f'Nothing is deployed on {host_of(c)} yet: run deploy first.')
  run_step(
    c, DeployCommands.migrate_command(settings, settings.current_link), 'Migrating the database'
  )
  return current


def status_lines(c, settings):
  """What runs on a server: the current release, the others, and the readiness answer."""
  current = current_release(c, settings)
  releases = list_releases(c, settings)
  probe = DeployCommands.probe_command(settings, '', timeout=1)
  probe = c.run(probe, hide=True, warn=True, in_stream=False)
  queue = try_step(c, DeployCommands.queue_status_command(settings)) if current else None
  return [
    f'{host_of(c)}: current release {current or "none"}',
    f'{host_of(c)}: releases {", ".join(releases) or "none"}',
    f'{host_of(c)}: readiness {probe.stdout.strip() or probe.stderr.strip()}',
    *(f'{host_of(c)}: jobs {line}' for line in (queue or 'unavailable').splitlines()),
  ]


def logs_text(c, settings):
  """The last lines of the app's log on a server."""
  return run_step(c, DeployCommands.logs_command(settings), 'Reading the logs').stdout


def cleanup_releases(c, settings, keep):
  """Delete releases beyond the newest `keep` (never the current one) and unused virtualenvs."""
  releases = list_releases(c, settings)
  current = current_release(c, settings)
  doomed = DeployCommands.releases_to_remove(releases, current, keep)
  if doomed:
    run_step(
      c,
      DeployCommands.remove_paths_command([settings.release_path(name) for name in doomed]),
      'Removing old releases',
    )
  kept = [name for name in releases if name not in doomed]
  used_venvs = {venv_of(c, settings, name) for name in kept}
  listing = try_step(c, f'ls -1 {settings.venvs_folder}') or ''
  unused = [
    f'{settings.venvs_folder}/{name}'
    for name in listing.split()
    if f'{settings.venvs_folder}/{name}' not in used_venvs
  ]
  if unused:
    run_step(c, DeployCommands.remove_paths_command(unused), 'Removing unused virtualenvs')
  return doomed
