"""`fab setup`: prepare a server once (system user, folders, env file, systemd unit, nginx)."""

import io
from pathlib import Path
from shlex import quote

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from deploy import DeployCommands
from deploy.DeployTasks import run_step, try_step

TEMPLATES_FOLDER = Path(__file__).resolve().parent / 'templates'


def max_body_bytes():
  """The app's request size limit, which nginx must enforce too."""
  from app.common.CommonConstants import MAX_REQUEST_BYTES

  return MAX_REQUEST_BYTES


def render_template(name, settings):
  """Render one of deploy/templates with the settings (a missing value is an error)."""
  environment = Environment(
    loader=FileSystemLoader(str(TEMPLATES_FOLDER)),
    undefined=StrictUndefined,
    keep_trailing_newline=True,
    autoescape=False,
  )
  values = {
    'root': settings.root,
    'service': settings.service,
    'user': settings.user,
    'server_name': settings.server_name,
    'bind': settings.bind,
    'events_bind': settings.events_bind,
    'max_body_bytes': max_body_bytes(),
    'upstreams': settings.upstream_servers,
    'listen': settings.listen,
    'metrics_allowed': settings.metrics_allowed,
    'log_folder': settings.nginx_log_folder,
    'app_allowed_from': settings.app_allowed_from,
    'firewall_file': settings.firewall_file,
    'firewall_ports': settings.firewall_ports,
    'allowed_v4': settings.allowed_networks(4),
    'allowed_v6': settings.allowed_networks(6),
  }
  return environment.get_template(name).render(**values)


def install_file(c, settings, text, destination, mode='644'):
  """Upload `text` to a temporary file, then move it into place with sudo."""
  temporary = f'/tmp/dibz-setup-{Path(destination).name}'
  c.put(io.StringIO(text), remote=temporary)
  sudo = DeployCommands.sudo_prefix(settings)
  run_step(
    c,
    f'{sudo}install -m {mode} {quote(temporary)} {quote(destination)} && rm -f {quote(temporary)}',
    f'Installing {destination}',
  )


def setup_commands(settings):
  """The system user and the folders, owned by the deploying login (gunicorn only reads)."""
  sudo = DeployCommands.sudo_prefix(settings)
  root, user = quote(settings.root), quote(settings.user)
  folders = [f'{settings.root}/{name}' for name in ('releases', 'venvs', 'shared/log')]
  # Written by gunicorn (the service user): photos, and the workers' metric files.
  uploads = ' '.join(quote(f'{settings.root}/shared/{name}') for name in ('uploads', 'metrics'))
  return [
    f'id -u {user} >/dev/null 2>&1 || {sudo}useradd --system --no-create-home '
    f'--home-dir {root} --shell /usr/sbin/nologin {user}',
    f'{sudo}mkdir -p {" ".join(quote(folder) for folder in folders)} {uploads}',
    f'{sudo}chown "$(id -un)": {root} {" ".join(quote(folder) for folder in folders)} '
    f'{quote(settings.shared_folder)}',
    f'{sudo}chown {user}: {uploads}',
  ]


def install_worker_units(c, settings):
  """The job worker's unit, and the periodic jobs' service and timer."""
  worker, periodic = DeployCommands.worker_units(settings)
  for template, unit in (
    ('dibz-worker.service.j2', f'{worker}.service'),
    ('dibz-periodic.service.j2', f'{periodic}.service'),
    ('dibz-periodic.timer.j2', f'{periodic}.timer'),
  ):
    install_file(c, settings, render_template(template, settings), f'/etc/systemd/system/{unit}')


def install_firewall(c, settings):
  """Only the load balancers (app_allowed_from) and the server reach the gunicorn ports: the
  rules are loaded now, and again by the app's units before each start (after a reboot)."""
  rules = render_template('nftables-app.nft.j2', settings)
  install_file(c, settings, rules, settings.firewall_file)
  sudo = DeployCommands.sudo_prefix(settings)
  run_step(
    c, f'{sudo}nft -f {quote(settings.firewall_file)}', 'Loading the firewall of the app ports'
  )


def setup_host(c, settings):
  """Prepare one server; returns what the operator still has to do."""
  for command in setup_commands(settings):
    run_step(c, command, 'Preparing the system user and folders')
  todo = []
  if try_step(c, DeployCommands.env_file_check_command(settings)) is None:
    c.put(io.StringIO(render_template('env.j2', settings)), remote=settings.env_file)
    run_step(c, f'chmod 600 {quote(settings.env_file)}', 'Protecting the env file')
    todo.append(f'Fill in {settings.env_file} on {c.host} (SECRET_KEY, DATABASE_URL, ...).')
  sudo = DeployCommands.sudo_prefix(settings)
  if settings.app_allowed_from:
    install_firewall(c, settings)
  if settings.reload_with == 'systemd':
    unit = f'/etc/systemd/system/{settings.service}.service'
    install_file(c, settings, render_template('dibz.service.j2', settings), unit)
    install_worker_units(c, settings)
    worker, periodic = DeployCommands.worker_units(settings)
    events_unit = f'/etc/systemd/system/{settings.service}-events.service'
    install_file(c, settings, render_template('dibz-events.service.j2', settings), events_unit)
    run_step(
      c,
      f'{sudo}systemctl daemon-reload && {sudo}systemctl enable {quote(settings.service)} '
      f'{quote(settings.service + "-events")} {quote(worker)} {quote(periodic + ".timer")}',
      'Enabling the systemd units',
    )
  site = f'/etc/nginx/sites-available/{settings.service}'
  install_file(c, settings, render_template('nginx-site.conf.j2', settings), site)
  run_step(
    c,
    f'{sudo}ln -sfn {quote(site)} /etc/nginx/sites-enabled/{quote(settings.service)} '
    f'&& {sudo}nginx -t && {sudo}systemctl reload nginx',
    'Enabling the nginx site',
  )
  return todo
