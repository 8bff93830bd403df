"""Deploy Dibz with Fabric 3: `fab --list`; settings in docs/OPERATIONS.md.

Hosts come from -H (fab -H web1,web2 deploy --ref=v1.0) or `dibz.hosts` in a config file
(fab -f deploy.yaml deploy); the logic lives in deploy/ so it can be tested without SSH.
"""

from fabric import Connection, task
from invoke.exceptions import Exit

from deploy.DeploySettings import DeploySettingsError, require_settings, settings_from_config
from deploy.DeployTasks import (
  DeployError,
  DeployRun,
  build_release,
  cleanup_releases,
  deploy_host,
  list_releases,
  logs_text,
  migrate_host,
  new_release_name,
  rollback_host,
  status_lines,
)

# One `fab deploy` invocation, shared by the per-host calls Fabric makes for -H a,b: the
# release is built once and the migrations run on the first host only.
CURRENT_DEPLOY = DeployRun()
# Backups and restores concern the shared database: with -H a,b Fabric calls the task once
# per host, and only the first call works.
CURRENT_BACKUP = {}


def load_settings(c, task_name, **overrides):
  """The checked settings for `task_name`, or an Exit before any server is touched."""
  try:
    settings = settings_from_config(c.config.get('dibz'), overrides)
    require_settings(settings, task_name)
  except DeploySettingsError as error:
    raise Exit(str(error), code=2) from None
  return settings


def connections(c, settings):
  """The Connection Fabric made for -H, else one per host of `dibz.hosts`."""
  if isinstance(c, Connection):
    return [c]
  if not settings.hosts:
    raise Exit(
      'No host to work on: give them with -H host1,host2 or as dibz.hosts in the config file. '
      'No server was touched.',
      code=2,
    )
  return [Connection(host, config=c.config) for host in settings.hosts]


def on_each_host(c, settings, action):
  """Run `action(connection)` on each host; a DeployError stops the run with its message."""
  results = []
  for connection in connections(c, settings):
    try:
      results.append(action(connection))
    except DeployError as error:
      raise Exit(f'FAILED: {error}', code=1) from None
  return results


@task(help={'server-name': 'host name nginx answers for', 'root': 'deploy folder on the servers'})
def setup(c, server_name=None, root=None):
  """Prepare servers once: user, folders, env file, systemd unit, nginx site."""
  from deploy.DeploySetup import setup_host

  settings = load_settings(c, 'setup', server_name=server_name, root=root)
  for todo in sum(on_each_host(c, settings, lambda each: setup_host(each, settings)), []):
    print(f'TODO: {todo}')


@task(help={'ref': 'git ref to deploy (branch, tag, commit)', 'root': 'deploy folder'})
def deploy(c, ref=None, root=None):
  """Deploy a git ref: upload, install, migrate once, switch, reload, check or roll back."""
  settings = load_settings(c, 'deploy', ref=ref, root=root)
  if not CURRENT_DEPLOY.is_built():
    try:
      build_release(settings, CURRENT_DEPLOY)
    except DeployError as error:
      raise Exit(f'FAILED: {error}', code=1) from None
  print(f'Release {CURRENT_DEPLOY.name} from {CURRENT_DEPLOY.commit[:12]}')
  for name in on_each_host(c, settings, lambda each: deploy_host(each, settings, CURRENT_DEPLOY)):
    print(f'{CURRENT_DEPLOY.deployed_hosts[-1]}: {name} is live and ready')


@task(help={'to': 'release name to return to (default: the one before current)'})
def rollback(c, to=None, root=None):
  """Switch back to the previous release (or --to NAME), reload, check."""
  settings = load_settings(c, 'rollback', root=root)
  for name in on_each_host(c, settings, lambda each: rollback_host(each, settings, to)):
    print(f'Rolled back to {name}')


@task(help={'root': 'deploy folder on the servers'})
def migrate(c, root=None):
  """Run the migrations of the current release (once: the database is shared)."""
  settings = load_settings(c, 'migrate', root=root)
  if CURRENT_DEPLOY.migrated_on:
    print(f'Migrations already ran on {CURRENT_DEPLOY.migrated_on}: the database is shared.')
    return
  target = connections(c, settings)[0]
  try:
    print(f'{target.host}: migrated with release {migrate_host(target, settings)}')
  except DeployError as error:
    raise Exit(f'FAILED: {error}', code=1) from None
  CURRENT_DEPLOY.migrated_on = target.host


@task(help={'root': 'deploy folder on the servers'})
def status(c, root=None):
  """Show each server's current release, other releases and readiness."""
  settings = load_settings(c, 'status', root=root)
  for lines in on_each_host(c, settings, lambda each: status_lines(each, settings)):
    print('\n'.join(lines))


@task(help={'lines': 'how many lines to show', 'root': 'deploy folder on the servers'})
def logs(c, lines=None, root=None):
  """Show the last lines of the app's log on each server."""
  settings = load_settings(c, 'logs', log_lines=lines, root=root)
  for text in on_each_host(c, settings, lambda each: logs_text(each, settings)):
    print(text)


@task(
  help={
    'cleanup': 'delete all but the newest releases (never the current one)',
    'keep': 'how many releases --cleanup keeps (default: dibz.keep, 5)',
    'root': 'deploy folder on the servers',
  }
)
def releases(c, cleanup=False, keep=None, root=None):
  """List releases; with --cleanup, delete all but the newest N (--keep)."""
  settings = load_settings(c, 'releases', keep=keep, root=root)
  if cleanup:
    for removed in on_each_host(
      c, settings, lambda each: cleanup_releases(each, settings, settings.keep)
    ):
      print(f'Removed {", ".join(removed) or "nothing"}; kept the newest {settings.keep}.')
  for names in on_each_host(c, settings, lambda each: list_releases(each, settings)):
    print('\n'.join(names) or 'No release yet.')


@task(help={'root': 'deploy folder on the servers'})
def backup(c, root=None):
  """Back up the database (pg_dump) and every photo to backups/<timestamp> on the first host,
  keeping the newest dibz.backup_keep."""
  from deploy.DeployBackup import backup_host

  settings = load_settings(c, 'backup', root=root)
  target = connections(c, settings)[0]
  if CURRENT_BACKUP.get('done'):
    return
  try:
    folder, removed = backup_host(target, settings, new_release_name())
  except DeployError as error:
    raise Exit(f'FAILED: {error}', code=1) from None
  CURRENT_BACKUP['done'] = folder
  print(f'{target.host}: backup written to {folder}')
  if removed:
    print(f'Removed older backups: {", ".join(removed)}')


@task(help={'root': 'deploy folder on the servers'})
def backups(c, root=None):
  """List the complete backups on the first host, oldest first."""
  from deploy.DeployBackup import backup_names

  settings = load_settings(c, 'backups', root=root)
  print('\n'.join(backup_names(connections(c, settings)[0], settings)) or 'No backup yet.')


@task(
  help={
    'backup-name': 'the backup to restore (see fab backups)',
    'restore-database-url': 'an EMPTY database to restore into (default: DATABASE_URL)',
    'root': 'deploy folder on the servers',
  }
)
def restore(c, backup_name=None, restore_database_url=None, root=None):
  """Restore a backup into an empty database and its photos into the app's storage."""
  from deploy.DeployBackup import restore_host

  settings = load_settings(
    c,
    'restore',
    backup_name=backup_name,
    restore_database_url=restore_database_url,
    root=root,
  )
  target = connections(c, settings)[0]
  if CURRENT_BACKUP.get('restored'):
    return
  try:
    report = restore_host(target, settings)
  except DeployError as error:
    raise Exit(f'FAILED: {error}', code=1) from None
  CURRENT_BACKUP['restored'] = True
  print(f'{target.host}: restored backup {settings.backup_name}')
  print(report)


@task
def nginx_site(c):
  """Print the nginx site for these settings (all dibz.upstreams), for a separate balancer."""
  from deploy.DeploySetup import render_template

  settings = load_settings(c, 'nginx_site')
  print(render_template('nginx-site.conf.j2', settings), end='')
