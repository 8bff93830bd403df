"""`manage.py` commands that move photo files between storages: folder → store, and the
photo half of `fab backup` / `fab restore` (store → folder, folder → store)."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from app.extensions import db
from app.posts.PostModels import PostImage
from app.posts.PostStorage import LocalFolderStorage, get_storage


def copy_photos(source, target, remove_source=False):
  """Copy every key of `source` that `target` lacks; returns counts (idempotent: a second
  run copies nothing). With `remove_source`, a key is deleted from `source` once `target`
  has it."""
  present = set(target.keys())
  counts = {'copied': 0, 'already_there': 0, 'removed_from_source': 0}
  for key in source.keys():
    if key in present:
      counts['already_there'] += 1
    else:
      target.save(key, source.read(key))
      counts['copied'] += 1
    if remove_source:
      source.delete(key)
      counts['removed_from_source'] += 1
  return counts


def keys_missing_from(storage):
  """Keys the database names that `storage` does not hold (photos that would 404)."""
  named = set()
  for storage_key, thumb_key in db.session.execute(
    select(PostImage.storage_key, PostImage.thumb_key)
  ):
    named.update((storage_key, thumb_key))
  return sorted(named - set(storage.keys()))


def report(counts, storage):
  """Print the counts and what the database names that is still missing."""
  click.echo(
    f'copied {counts["copied"]}, already there {counts["already_there"]}, '
    f'removed from the source {counts["removed_from_source"]}'
  )
  missing = keys_missing_from(storage)
  click.echo(
    f'photos named by the database and missing from the {storage.name} storage: {len(missing)}'
  )
  for key in missing[:20]:
    click.echo(f'  - {key}')


@click.command('move-photos-to-store')
@click.option(
  '--delete-local', is_flag=True, help='Delete each file from UPLOAD_FOLDER once the store has it.'
)
@with_appcontext
def move_photos_to_store_command(delete_local):
  """Copy the photos of UPLOAD_FOLDER into the object store (STORAGE_BACKEND=s3)."""
  store = get_storage()
  if store.name == 'local':
    raise click.ClickException(
      'STORAGE_BACKEND is local: set STORAGE_BACKEND=s3 and the S3_* variables first.'
    )
  folder = LocalFolderStorage(current_app.config['UPLOAD_FOLDER'])
  report(copy_photos(folder, store, remove_source=delete_local), store)


@click.command('export-photos')
@click.argument('folder', type=click.Path(file_okay=False))
@with_appcontext
def export_photos_command(folder):
  """Copy every photo of the configured storage into FOLDER (a backup)."""
  # Made even when there is no photo, so a restore of this backup finds its folder.
  Path(folder).mkdir(parents=True, exist_ok=True)
  counts = copy_photos(get_storage(), LocalFolderStorage(folder))
  click.echo(
    f'exported to {folder}: copied {counts["copied"]}, already there {counts["already_there"]}'
  )


@click.command('import-photos')
@click.argument('folder', type=click.Path(exists=True, file_okay=False))
@with_appcontext
def import_photos_command(folder):
  """Copy every photo of FOLDER into the configured storage (a restore)."""
  store = get_storage()
  report(copy_photos(LocalFolderStorage(folder), store), store)


def register_storage_commands(app):
  """Attach the photo commands to the app's CLI."""
  for command in (move_photos_to_store_command, export_photos_command, import_photos_command):
    app.cli.add_command(command)
