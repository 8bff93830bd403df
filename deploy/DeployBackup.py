"""`fab backup`, `fab backups` and `fab restore`: the database (pg_dump, custom format) and
every photo (from whichever storage the app uses), in one timestamped folder per backup.

A backup is written to `<name>.partial` and renamed when complete, so a folder with a plain
name is always whole; SHA256SUMS lists a checksum of every file, checked before a restore.
Only the newest `backup_keep` complete backups are kept. Restores go to an empty database
(never over live data) and copy the photos back into the configured storage.

Layout: <backups_folder>/<YYYYmmddHHMMSS>/{database.dump, photos/<key>..., SHA256SUMS}
"""

from shlex import quote

from deploy import DeployCommands
from deploy.DeployTasks import DeployError, host_of, run_step, try_step

DUMP_FILE = 'database.dump'
PHOTOS_FOLDER = 'photos'
CHECKSUMS_FILE = 'SHA256SUMS'
# libpq reads postgresql:// URLs; the app also accepts SQLAlchemy's +psycopg2 spelling.
LIBPQ_URL = '"$(printf %s "$DATABASE_URL" | sed -e "s/^postgresql+psycopg2:/postgresql:/")"'


def manage_command(settings, arguments, database_url=''):
  """`manage.py ARGUMENTS` of the current release, in the app's environment."""
  current = quote(settings.current_link)
  override = f'DATABASE_URL={quote(database_url)} ' if database_url else ''
  return DeployCommands.with_env(
    settings, f'cd {current} && {override}{current}/.venv/bin/python manage.py {arguments}'
  )


def dump_command(settings, folder):
  """pg_dump the app's database (DATABASE_URL of shared/env) into `folder`."""
  target = quote(f'{folder}/{DUMP_FILE}')
  return DeployCommands.with_env(
    settings, f'pg_dump --format=custom --no-owner --no-privileges --file={target} {LIBPQ_URL}'
  )


def checksums_command(folder):
  """Write SHA256SUMS: one line per file of the backup."""
  return (
    f'cd {quote(folder)} && find . -type f ! -name {CHECKSUMS_FILE} -print0 | sort -z '
    f'| xargs -0 sha256sum > {CHECKSUMS_FILE}'
  )


def verify_command(folder):
  """Fail unless every file of the backup matches SHA256SUMS."""
  return f'cd {quote(folder)} && sha256sum --check --quiet --strict {CHECKSUMS_FILE}'


def empty_database_check_command(settings, database_url):
  """Print the number of tables in the target database's public schema."""
  url = quote(database_url) if database_url else LIBPQ_URL
  query = quote("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
  return DeployCommands.with_env(settings, f'psql --no-psqlrc -tA --dbname={url} -c {query}')


def restore_command(settings, folder, database_url):
  """pg_restore a backup's dump into the target database, stopping at the first error."""
  url = quote(database_url) if database_url else LIBPQ_URL
  dump = quote(f'{folder}/{DUMP_FILE}')
  return DeployCommands.with_env(
    settings,
    f'pg_restore --no-owner --no-privileges --exit-on-error --single-transaction '
    f'--dbname={url} {dump}',
  )


def backup_names(c, settings):
  """The complete backups on the server, oldest first."""
  listing = try_step(c, f'ls -1 {quote(settings.backups_folder)}') or ''
  return DeployCommands.release_names(listing)


def backup_host(c, settings, name):
  """Write backup `name` on this server, then keep only the newest `backup_keep`; returns
  (folder, names removed)."""
  folder = f'{settings.backups_folder}/{name}'
  partial = f'{folder}.partial'
  run_step(
    c,
    DeployCommands.env_file_check_command(settings),
    f'Looking for {settings.env_file} (the app environment)',
  )
  run_step(c, f'rm -rf {quote(partial)} && mkdir -p {quote(partial)}', 'Creating the backup folder')
  try:
    run_step(c, dump_command(settings, partial), 'Dumping the database (pg_dump)')
    run_step(
      c,
      manage_command(settings, f'export-photos {quote(partial + "/" + PHOTOS_FOLDER)}'),
      'Copying the photos',
    )
    run_step(c, checksums_command(partial), 'Writing the checksums')
    run_step(c, f'mv -T {quote(partial)} {quote(folder)}', 'Completing the backup')
  except DeployError:
    try_step(c, DeployCommands.remove_paths_command([partial]))
    raise
  names = backup_names(c, settings)
  doomed = names[: max(len(names) - settings.backup_keep, 0)]
  if doomed:
    run_step(
      c,
      DeployCommands.remove_paths_command([f'{settings.backups_folder}/{each}' for each in doomed]),
      'Removing old backups',
    )
  return folder, doomed


def restore_host(c, settings):
  """Restore backup `backup_name` into an empty database (restore_database_url, or the app's
  DATABASE_URL) and its photos into the app's storage; returns the photo report."""
  name = settings.backup_name
  if name not in backup_names(c, settings):
    raise DeployError(
      f'There is no complete backup {name} in {settings.backups_folder} on {host_of(c)}.'
    )
  folder = f'{settings.backups_folder}/{name}'
  run_step(c, verify_command(folder), f'Checking backup {name} against its SHA256SUMS')
  url = settings.restore_database_url
  tables = run_step(
    c, empty_database_check_command(settings, url), 'Looking into the target database'
  ).stdout.strip()
  if tables != '0':
    raise DeployError(
      f'The target database on {host_of(c)} already has {tables} tables: restore only into a '
      'new, empty database (createdb, then --restore-database-url or DATABASE_URL). '
      'Nothing was changed.'
    )
  run_step(c, restore_command(settings, folder, url), 'Restoring the database (pg_restore)')
  photos = run_step(
    c,
    manage_command(settings, f'import-photos {quote(folder + "/" + PHOTOS_FOLDER)}', url),
    'Copying the photos back',
  )
  return photos.stdout.strip()
