"""`manage.py campus …`: list, add, edit and remove campuses and their pickup spots."""

import click
from flask.cli import AppGroup

from app.campuses import CampusHelpers
from app.campuses.CampusForms import CampusCreateForm, CampusUpdateForm, PickupSpotForm
from app.common.CommonErrors import ApiError
from app.common.CommonForms import first_error_sentence

campus_commands = AppGroup('campus', help='Campuses, their email domains and pickup spots.')


def cleaned(form_class, payload):
  """The form's cleaned values for the keys given, else a ClickException naming the field."""
  form = form_class(payload)
  if not form.validate():
    raise click.ClickException(first_error_sentence(form.errors))
  return form.present_data()


def run(operation, *args):
  """Run a helper; its ApiError becomes a ClickException with the same sentence."""
  try:
    return operation(*args)
  except ApiError as error:
    detail = first_error_sentence(error.fields) if error.fields else error.message
    raise click.ClickException(detail) from None


def domain_list(text):
  """`berkeley.edu, cs.berkeley.edu` -> ['berkeley.edu', 'cs.berkeley.edu']."""
  return [item.strip() for item in (text or '').split(',') if item.strip()]


def describe(campus):
  """One campus in a few lines: slug, name, zone, domains, spots."""
  domains = ', '.join(row.domain for row in campus.domains) or 'no email domain'
  lines = [f'{campus.slug}: {campus.name} ({campus.timezone}); {domains}']
  lines += [
    f'  spot {spot.id}: {spot.name}' + (f' ({spot.notes})' if spot.notes else '')
    for spot in campus.spots
  ]
  return '\n'.join(lines)


@campus_commands.command('list')
def list_command():
  """List every campus with its domains and pickup spots."""
  campuses = CampusHelpers.all_campuses()
  if not campuses:
    click.echo('No campus yet: posting and dibs are open to every verified student.')
  for campus in campuses:
    click.echo(describe(campus))


@campus_commands.command('add')
@click.argument('slug')
@click.option('--name', required=True, help='The name students see.')
@click.option('--domains', default='', help='Comma-separated email domains, e.g. berkeley.edu.')
@click.option('--timezone', default='UTC', show_default=True, help='An IANA time zone name.')
def add_command(slug, name, domains, timezone):
  """Add a campus; verified students of its domains join it."""
  fields = cleaned(
    CampusCreateForm,
    {'slug': slug, 'name': name, 'email_domains': domain_list(domains), 'timezone': timezone},
  )
  click.echo(describe(run(CampusHelpers.create_campus, fields)))


@campus_commands.command('edit')
@click.argument('slug')
@click.option('--new-slug', default=None, help='Rename the slug.')
@click.option('--name', default=None)
@click.option('--domains', default=None, help='Replace the email domains (comma-separated).')
@click.option('--timezone', default=None)
def edit_command(slug, new_slug, name, domains, timezone):
  """Change a campus's slug, name, email domains or time zone."""
  payload = {'slug': new_slug, 'name': name, 'timezone': timezone}
  payload = {key: value for key, value in payload.items() if value is not None}
  if domains is not None:
    payload['email_domains'] = domain_list(domains)
  if not payload:
    raise click.ClickException(
      'Nothing to change: give --new-slug, --name, --domains or --timezone.'
    )
  click.echo(describe(run(CampusHelpers.update_campus, slug, cleaned(CampusUpdateForm, payload))))


@campus_commands.command('remove')
@click.argument('slug')
@click.option('--yes', is_flag=True, help='Do not ask for confirmation.')
def remove_command(slug, yes):
  """Remove a campus: its spots go; its students and posts keep no campus."""
  if not yes:
    click.confirm(f'Remove the campus {slug} and its pickup spots?', abort=True)
  run(CampusHelpers.delete_campus, slug)
  click.echo(f'Removed {slug}.')


@campus_commands.command('add-spot')
@click.argument('slug')
@click.argument('name')
@click.option('--notes', default='', help='How to find it, when it is open.')
def add_spot_command(slug, name, notes):
  """Add a pickup spot to a campus."""
  fields = cleaned(PickupSpotForm, {'name': name, 'notes': notes})
  spot = run(CampusHelpers.add_spot, slug, fields['name'], fields.get('notes') or '')
  click.echo(f'Added spot {spot.id}: {spot.name} to {slug}.')


@campus_commands.command('remove-spot')
@click.argument('slug')
@click.argument('spot')
def remove_spot_command(slug, spot):
  """Remove a pickup spot of a campus, by id or name."""
  run(CampusHelpers.remove_spot, slug, spot)
  click.echo(f'Removed the spot {spot} from {slug}.')


def register_campus_commands(app):
  """Attach `campus` to the app's CLI."""
  app.cli.add_command(campus_commands)
