"""The shell commands the fab tasks run on a server, built from settings (pure: no SSH here).

Layout on each server, under the `root` setting:
  releases/<timestamp>/   one folder per deploy, from `git archive`, with RELEASE and .venv
  venvs/<hash>/           one virtualenv per distinct requirements.txt, shared by releases
  shared/env              the app's environment (APP_ENV, SECRET_KEY, DATABASE_URL, ...)
  shared/log/, shared/uploads/
  current -> releases/<timestamp>   switched atomically (ln -s to a temporary name, mv -T)
"""

import re
from shlex import quote

RELEASE_NAME_PATTERN = re.compile(r'\d{14}')
RELEASE_NAME_FORMAT = '%Y%m%d%H%M%S'
VENV_DONE_MARKER = '.dibz-complete'


def with_env(settings, command):
  """Run `command` with the variables of shared/env exported, as systemd would."""
  return f'set -a && . {quote(settings.env_file)} && set +a && {command}'


def sudo_prefix(settings):
  """`sudo ` when the settings ask for it, else nothing."""
  return 'sudo ' if settings.use_sudo else ''


def prepare_folders_command(settings):
  """Create the folders a deploy writes to (harmless when they exist)."""
  folders = [settings.releases_folder, settings.venvs_folder, f'{settings.shared_folder}/log']
  return 'mkdir -p ' + ' '.join(quote(folder) for folder in folders)


def env_file_check_command(settings):
  """Succeeds when the app's environment file exists on the server."""
  return f'test -f {quote(settings.env_file)}'


def unpack_command(settings, name, commit, remote_archive):
  """Unpack an uploaded archive into a new release folder and record what it is."""
  release = quote(settings.release_path(name))
  return (
    f'mkdir {release} && tar -xzf {quote(remote_archive)} -C {release} '
    f'&& rm -f {quote(remote_archive)} '
    f"&& printf '%s %s\\n' {quote(name)} {quote(commit)} > {release}/RELEASE"
  )


def venv_path(settings, requirements_hash):
  """The folder of the virtualenv built for one requirements.txt."""
  return f'{settings.venvs_folder}/{requirements_hash}'


def venv_command(settings, name, requirements_hash):
  """Build the virtualenv for this requirements.txt unless a finished one exists; link it."""
  venv = quote(venv_path(settings, requirements_hash))
  release = settings.release_path(name)
  python = quote(settings.python)
  if settings.seed_site_packages:
    # The seed folder brings pip along with the packages, so no pip is installed here.
    purelib = (
      f'$({venv}/bin/python -c \'import sysconfig; print(sysconfig.get_paths()["purelib"])\')'
    )
    steps = [
      f'rm -rf {venv}',
      f'{python} -m venv --without-pip {venv}',
      f'echo {quote(settings.seed_site_packages)} > "{purelib}/dibz-seed.pth"',
    ]
  else:
    steps = [f'rm -rf {venv}', f'{python} -m venv {venv}']
  pip_args = f' {settings.pip_args}' if settings.pip_args else ''
  steps.append(
    f'{venv}/bin/python -m pip install --quiet --disable-pip-version-check{pip_args} '
    f'-r {quote(release + "/requirements.txt")}'
  )
  # The marker is written last, so a half-built virtualenv is rebuilt rather than trusted.
  steps.append(f'touch {venv}/{VENV_DONE_MARKER}')
  build = ' && '.join(steps)
  return (
    f'(test -f {venv}/{VENV_DONE_MARKER} || ({build})) '
    f'&& ln -sfn {venv} {quote(release + "/.venv")}'
  )


def migrate_command(settings, release_path):
  """Upgrade the database to the newest migration with the code of `release_path`, then
  invalidate the cached answers (a migration may rewrite rows outside the ORM)."""
  release = quote(release_path)
  python = f'{release}/.venv/bin/python'
  return with_env(
    settings, f'cd {release} && {python} manage.py db upgrade && {python} manage.py cache clear'
  )


def cache_clear_command(settings, release_path):
  """Invalidate the cached answers with the code of `release_path` (docs/CACHE.md): after a
  switch, answers stored by the release before (another JSON shape, perhaps) are not served."""
  release = quote(release_path)
  return with_env(settings, f'cd {release} && {release}/.venv/bin/python manage.py cache clear')


def switch_command(settings, name):
  """Point `current` at a release in one rename, so no request sees a missing link."""
  temporary = quote(f'{settings.current_link}.tmp')
  return (
    f'ln -sfn {quote(settings.release_path(name))} {temporary} '
    f'&& mv -T {temporary} {quote(settings.current_link)}'
  )


def read_link_command(path):
  """Print where a symbolic link points (fails when it does not exist)."""
  return f'readlink {quote(path)}'


def list_releases_command(settings):
  """List the release folders."""
  return f'ls -1 {quote(settings.releases_folder)}'


def gunicorn_start_command(settings):
  """Start gunicorn as a daemon from `current` (pidfile mode, for hosts without systemd); the
  app's JSON lines on stderr go to the log file with gunicorn's (--capture-output)."""
  current = settings.current_link
  # Paths go through the `current` link, so workers forked after a HUP import the new release.
  command = (
    f'cd {quote(current)} && {quote(current + "/.venv/bin/python")} -m gunicorn '
    f'-c {quote(current + "/deploy/gunicorn.conf.py")} --chdir {quote(current)} '
    f'--pid {quote(settings.pid_file)} --daemon --capture-output '
    f'--error-logfile {quote(settings.log_file)} --access-logfile {quote(settings.log_file)} '
    'wsgi:app'
  )
  return with_env(settings, command)


def pid_alive_test(settings):
  """A shell test that succeeds while the gunicorn master of the pid file runs."""
  pid_file = quote(settings.pid_file)
  return f'test -f {pid_file} && kill -0 "$(cat {pid_file})" 2>/dev/null'


def reload_command(settings, restart=False):
  """Reload gunicorn gracefully (HUP: new workers, old ones finish their requests), or
  restart it when the virtualenv changed, since the master keeps the packages it loaded."""
  if settings.reload_with == 'systemd':
    verb = 'restart' if restart else 'reload-or-restart'
    # The event-stream process runs the same release, so it reloads with the app.
    services = f'{quote(settings.service)} {quote(settings.service + "-events")}'
    return f'{sudo_prefix(settings)}systemctl {verb} {services}'
  pid_file = quote(settings.pid_file)
  if restart:
    return (
      f'if {pid_alive_test(settings)}; then kill -TERM "$(cat {pid_file})"; '
      f'for _ in $(seq 1 80); do {pid_alive_test(settings)} || break; sleep 0.5; done; fi; '
      f'{gunicorn_start_command(settings)}'
    )
  return (
    f'if {pid_alive_test(settings)}; then kill -HUP "$(cat {pid_file})"; '
    f'else {gunicorn_start_command(settings)}; fi'
  )


def worker_units(settings):
  """The systemd units of the job workers and the periodic-jobs timer."""
  return f'{settings.service}-worker', f'{settings.service}-periodic'


def worker_restart_command(settings):
  """Restart the job workers on the new release (and make sure the periodic timer runs);
  None without systemd, where workers run under the operator's own supervisor."""
  if settings.reload_with != 'systemd':
    return None
  worker, periodic = worker_units(settings)
  sudo = sudo_prefix(settings)
  return (
    f'{sudo}systemctl restart {quote(worker)} && {sudo}systemctl start {quote(periodic + ".timer")}'
  )


def queue_status_command(settings, limit=10):
  """The queue's counts and its first queued and failed jobs (`manage.py jobs`)."""
  current = settings.current_link
  return with_env(
    settings,
    f'cd {quote(current)} && {quote(current + "/.venv/bin/python")} manage.py jobs --limit {limit}',
  )


def probe_command(settings, expected_release, timeout=None):
  """Wait for /api/health/ready to answer 200 from `expected_release`, on the server itself."""
  probe = f'{settings.current_link}/deploy/DeployProbe.py'
  return (
    f'{quote(settings.python)} {quote(probe)} --url {quote(settings.readiness_url)} '
    f'--release {quote(expected_release or "")} '
    f'--timeout {timeout if timeout is not None else settings.health_timeout}'
  )


def logs_command(settings):
  """The last lines of the app's log: journald under systemd, the log file otherwise."""
  if settings.reload_with == 'systemd':
    return (
      f'{sudo_prefix(settings)}journalctl -u {quote(settings.service)} '
      f'-n {settings.log_lines} --no-pager'
    )
  return f'tail -n {settings.log_lines} {quote(settings.log_file)}'


def remove_paths_command(paths):
  """Delete folders and files."""
  return 'rm -rf ' + ' '.join(quote(path) for path in paths)


def release_names(listing):
  """The release folder names in an `ls -1` output, oldest first."""
  return sorted(
    line.strip() for line in listing.splitlines() if RELEASE_NAME_PATTERN.fullmatch(line.strip())
  )


def previous_release(releases, current):
  """The release deployed before `current`, or None when `current` is the oldest or unknown."""
  if current not in releases:
    return None
  index = releases.index(current)
  return releases[index - 1] if index > 0 else None


def releases_to_remove(releases, current, keep):
  """Old releases beyond the newest `keep`; the current one is never among them."""
  kept = set(releases[-keep:]) | {current}
  return [name for name in releases if name not in kept]
