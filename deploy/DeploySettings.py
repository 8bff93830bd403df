"""Deployment settings: read from the `dibz` section of Fabric's config, checked before any SSH.

Nothing here is a host name or a path of a real server: those come from the command line
(`fab -H web1,web2 deploy --ref=v1.2`) or a config file (`fab -f deploy.yaml deploy`).
"""

import ipaddress
from dataclasses import dataclass, field, fields

# What each setting means, for the sentence a task prints when one is missing.
SETTING_HELP = {
  'root': 'the folder on the servers that holds releases/, shared/ and current',
  'ref': 'the git ref (branch, tag or commit) to deploy',
  'server_name': 'the host name nginx answers for',
  'backup_name': 'the backup to restore (a folder name that `fab backups` lists)',
}
REQUIRED_BY_TASK = {
  'setup': ('root', 'server_name'),
  'deploy': ('root', 'ref'),
  'rollback': ('root',),
  'migrate': ('root',),
  'status': ('root',),
  'logs': ('root',),
  'releases': ('root',),
  'backup': ('root',),
  'nginx_site': ('root', 'server_name'),
  'backups': ('root',),
  'restore': ('root', 'backup_name'),
}
RELOAD_MODES = ('systemd', 'pidfile')
# Hosts of a bind address that mean "every interface".
WILDCARD_HOSTS = ('', '0.0.0.0', '::', '[::]', '*')
FIREWALL_FILE = '/etc/{service}-firewall.nft'


class DeploySettingsError(ValueError):
  """A setting is missing or malformed; the message is a sentence for the operator."""


@dataclass
class DeploySettings:
  """Every knob of the fab tasks, with defaults for the optional ones."""

  root: str = ''
  ref: str = ''
  hosts: list = field(default_factory=list)
  repo: str = '.'
  python: str = 'python3'
  pip_args: str = ''
  # Packages already installed elsewhere on the host that new virtualenvs may reuse (a .pth
  # line): pip then finds the pinned versions present and downloads nothing.
  seed_site_packages: str = ''
  reload_with: str = 'systemd'
  service: str = 'dibz'
  user: str = 'dibz'
  use_sudo: bool = True
  server_name: str = ''
  bind: str = '127.0.0.1:8000'
  # The event-stream process (deploy/gunicorn_events.conf.py), where nginx sends /api/events.
  events_bind: str = '127.0.0.1:8001'
  health_url: str = ''
  health_timeout: int = 30
  keep: int = 5
  log_lines: int = 200
  # nginx: the app servers of the upstream (default: bind, i.e. nginx on each app server),
  # where nginx listens, and who may read /metrics through it.
  upstreams: list = field(default_factory=list)
  listen: str = '80'
  metrics_allowed: list = field(default_factory=lambda: ['127.0.0.1'])
  # The load balancers' addresses or networks: when set, `setup` writes a firewall (nftables)
  # letting only them and the server itself reach the gunicorn ports, and bind may then be
  # on every interface. gunicorn trusts X-Forwarded-For (TRUSTED_PROXY_COUNT), so nobody else
  # may reach it directly.
  app_allowed_from: list = field(default_factory=list)
  nginx_log_folder: str = '/var/log/nginx'
  # Backups: where on the first host, how many to keep, and which one `restore` reads.
  backup_folder: str = ''
  backup_keep: int = 7
  backup_name: str = ''
  restore_database_url: str = ''

  @property
  def releases_folder(self):
    """One folder per release."""
    return f'{self.root}/releases'

  @property
  def venvs_folder(self):
    """One virtualenv per distinct requirements.txt."""
    return f'{self.root}/venvs'

  @property
  def shared_folder(self):
    """What every release shares: env, logs, uploads, pid file."""
    return f'{self.root}/shared'

  @property
  def current_link(self):
    """The link to the live release."""
    return f'{self.root}/current'

  @property
  def env_file(self):
    """The app's environment, sourced by systemd and by migrate."""
    return f'{self.shared_folder}/env'

  @property
  def pid_file(self):
    """The gunicorn master pid, in pidfile mode."""
    return f'{self.shared_folder}/gunicorn.pid'

  @property
  def log_file(self):
    """gunicorn's log, in pidfile mode."""
    return f'{self.shared_folder}/log/gunicorn.log'

  @property
  def readiness_url(self):
    """What the deploy probes on each server."""
    return self.health_url or f'http://{self.bind}/api/health/ready'

  @property
  def backups_folder(self):
    """Where `fab backup` writes, one timestamped folder per backup."""
    return self.backup_folder.rstrip('/') or f'{self.root}/backups'

  @property
  def upstream_servers(self):
    """The app servers nginx balances over."""
    return self.upstreams or [self.bind]

  @property
  def firewall_file(self):
    """The nftables rules `setup` writes when app_allowed_from is set."""
    return FIREWALL_FILE.format(service=self.service)

  @property
  def firewall_ports(self):
    """The TCP ports of bind and events_bind (unix sockets have none)."""
    ports = []
    for address in (self.bind, self.events_bind):
      host, separator, port = address.rpartition(':')
      if separator and not address.startswith('unix:') and port.isdigit() and port not in ports:
        ports.append(port)
    return ports

  def allowed_networks(self, version):
    """app_allowed_from's networks of IP `version` (4 or 6), as strings."""
    networks = [ipaddress.ip_network(each, strict=False) for each in self.app_allowed_from]
    return [str(network) for network in networks if network.version == version]

  def release_path(self, name):
    """The folder of the release called `name`."""
    return f'{self.releases_folder}/{name}'


def settings_from_config(section, overrides=None):
  """Build settings from the config's `dibz` section, then command-line overrides."""
  values = dict(section or {})
  values.update({name: value for name, value in (overrides or {}).items() if value is not None})
  known = {each.name for each in fields(DeploySettings)}
  unknown = sorted(set(values) - known)
  if unknown:
    raise DeploySettingsError(
      f'Unknown setting {", ".join("dibz." + name for name in unknown)} in the config; '
      f'known settings are: {", ".join(sorted(known))}.'
    )
  settings = DeploySettings(**values)
  for name in ('hosts', 'upstreams', 'metrics_allowed', 'app_allowed_from'):
    if isinstance(getattr(settings, name), str):
      setattr(settings, name, split_list(getattr(settings, name)))
  settings.root = str(settings.root).rstrip('/')
  settings.keep = to_int('keep', settings.keep, minimum=1)
  settings.health_timeout = to_int('health_timeout', settings.health_timeout, minimum=1)
  settings.log_lines = to_int('log_lines', settings.log_lines, minimum=1)
  settings.backup_keep = to_int('backup_keep', settings.backup_keep, minimum=1)
  if settings.reload_with not in RELOAD_MODES:
    raise DeploySettingsError(
      f'dibz.reload_with must be one of {", ".join(RELOAD_MODES)}, not {settings.reload_with!r}.'
    )
  check_app_exposure(settings)
  return settings


def check_app_exposure(settings):
  """gunicorn trusts X-Forwarded-For (TRUSTED_PROXY_COUNT=1): a client reaching it directly
  would choose its own address (opening /metrics, dodging per-address login limits). So it
  listens on one address (loopback, or the private one the balancer reaches), or on every
  interface only behind the firewall that app_allowed_from makes setup write."""
  for network in settings.app_allowed_from:
    try:
      ipaddress.ip_network(network, strict=False)
    except ValueError:
      raise DeploySettingsError(
        f'dibz.app_allowed_from must list addresses or networks, not {network!r}.'
      ) from None
  if settings.app_allowed_from:
    return
  for name in ('bind', 'events_bind'):
    address = str(getattr(settings, name))
    host = address.rpartition(':')[0] if ':' in address else address
    if not address.startswith('unix:') and host in WILDCARD_HOSTS:
      raise DeploySettingsError(
        f'dibz.{name} {address} listens on every interface: anyone who reaches the server '
        'could talk to gunicorn directly and set X-Forwarded-For, which it trusts '
        '(TRUSTED_PROXY_COUNT). Bind to the private address the load balancer reaches (e.g. '
        '10.0.0.11:8000), or to 127.0.0.1 when nginx runs on the server; or list the load '
        "balancer's addresses in dibz.app_allowed_from, and setup writes a firewall letting "
        'only them in.'
      )


def split_list(value):
  """`a, b,c` as ['a', 'b', 'c']."""
  return [item.strip() for item in value.split(',') if item.strip()]


def to_int(name, value, minimum):
  """A whole-number setting, at least `minimum`."""
  try:
    number = int(value)
  except (TypeError, ValueError):
    raise DeploySettingsError(f'dibz.{name} must be a whole number, not {value!r}.') from None
  if number < minimum:
    raise DeploySettingsError(f'dibz.{name} must be at least {minimum}, not {number}.')
  return number


def require_settings(settings, task_name):
  """Stop with a sentence naming every setting `task_name` needs and did not get."""
  missing = [name for name in REQUIRED_BY_TASK[task_name] if not getattr(settings, name)]
  if not missing:
    return
  described = '; '.join(f'dibz.{name} ({SETTING_HELP[name]})' for name in missing)
  flags = ' '.join(f'--{name.replace("_", "-")}=...' for name in missing)
  raise DeploySettingsError(
    f'Cannot run {task_name}: missing setting{"s" if len(missing) > 1 else ""} {described}. Set it in the config file '
    f'(fab -f deploy.yaml {task_name}) or on the command line ({task_name} {flags}). '
    'No server was touched.'
  )
