"""`fab backup`, `fab backups` and `fab restore`: the database (pg_dump, custom format) and
every photo (from whichever storage the app uses), in one timestamped folder per backup.

A backup is written to `<name>.partial` and renamed when complete, so a folder with a plain
name is always whole; SHA256SUMS lists a checksum of every file, checked before a restore.
Only the newest `backup_keep` complete backups are kept. Restores go to an empty database
(never over live data) and copy the photos back into the configured storage.

Layout: <backups_folder>/<YYYYmmddHHMMSS>/{database.dump, photos/<key>..., SHA256SUMS}

A backup holds emails, password hashes and chats: it is written under `umask 077` (folders
0700, files 0600). No database password is ever on a command line (`ps` shows those to every
user of the server): pg_dump, pg_restore and psql get the URL without its password and the
password in PGPASSWORD (the process environment, readable by its user and root only), and a
--restore-database-url travels to the server on the command's standard input.
"""

from shlex import quote

from deploy import DeployCommands
from deploy.DeployTasks import DeployError, host_of, run_step, try_step

DUMP_FILE = 'database.dump'
PHOTOS_FOLDER = 'photos'
CHECKSUMS_FILE = 'SHA256SUMS'
PRIVATE_UMASK = 'umask 077'
# Reads DATABASE_URL, prints shell assignments: PGPASSWORD (exported, when the URL has one)
# and DIBZ_LIBPQ_URL, the same URL without its password (libpq then takes PGPASSWORD), in
# the postgresql:// spelling libpq reads (the app also accepts SQLAlchemy's +psycopg2).
SPLIT_DATABASE_URL_SCRIPT = """
import os, shlex, urllib.parse as parse
url = os.environ["DATABASE_URL"].replace("postgresql+psycopg2:", "postgresql:", 1)
parts = parse.urlsplit(url)
user_info, at, host = parts.netloc.rpartition("@")
user, colon, password = user_info.partition(":")
query = parse.parse_qsl(parts.query, keep_blank_values=True)
password = parse.unquote(password) or dict(query).get("password", "")
query = parse.urlencode([(name, value) for name, value in query if name != "password"])
bare = parse.urlunsplit((parts.scheme, user + at + host, parts.path, query, parts.fragment))
if password:
  print("export PGPASSWORD=" + shlex.quote(password))
print("DIBZ_LIBPQ_URL=" + shlex.quote(bare))
"""
LIBPQ_URL = '"$DIBZ_LIBPQ_URL"'
# A --restore-database-url is read from standard input, never written into the command.
READ_DATABASE_URL = 'IFS= read -r DATABASE_URL && export DATABASE_URL'


def split_database_url_command(settings):
  """Set PGPASSWORD and DIBZ_LIBPQ_URL from DATABASE_URL (SPLIT_DATABASE_URL_SCRIPT)."""
  script = f'{quote(settings.python)} -c {quote(SPLIT_DATABASE_URL_SCRIPT)}'
  return f'dibz_libpq="$({script})" && eval "$dibz_libpq"'


def libpq_command(settings, command, database_url=''):
  """`command` in the app's environment with PGPASSWORD and DIBZ_LIBPQ_URL set from
  DATABASE_URL, or from `database_url` read on standard input (run_step's `stdin`)."""
  read = f'{READ_DATABASE_URL} && ' if database_url else ''
  return DeployCommands.with_env(
    settings, f'{read}{split_database_url_command(settings)} && {command}'
  )


def database_url_input(database_url):
  """The standard input that carries `database_url` to the server (None: none needed)."""
  return f'{database_url}\n' if database_url else None


def manage_command(settings, arguments, database_url=''):
  """`manage.py ARGUMENTS` of the current release, in the app's environment (DATABASE_URL
  replaced by `database_url`, read on standard input, when given)."""
  current = quote(settings.current_link)
  read = f'{READ_DATABASE_URL} && ' if database_url else ''
  return DeployCommands.with_env(
    settings,
    f'{PRIVATE_UMASK} && {read}cd {current} && {current}/.venv/bin/python manage.py {arguments}',
  )


def dump_command(settings, folder):
  """pg_dump the app's database (DATABASE_URL of shared/env) into `folder`, private."""
  target = quote(f'{folder}/{DUMP_FILE}')
  return libpq_command(
    settings,
    f'{PRIVATE_UMASK} && pg_dump --format=custom --no-owner --no-privileges --file={target} '
    f'{LIBPQ_URL}',
  )


def checksums_command(folder):
  """Write SHA256SUMS: one line per file of the backup."""
  return (
    f'{PRIVATE_UMASK} && cd {quote(folder)} && find . -type f ! -name {CHECKSUMS_FILE} -print0 | sort -z '
    f'| xargs -0 sha256sum > {CHECKSUMS_FILE}'
  )


def verify_command(folder):
  """Fail unless every file of the backup matches SHA256SUMS."""
  return f'cd {quote(folder)} && sha256sum --check --quiet --strict {CHECKSUMS_FILE}'


def empty_database_check_command(settings, database_url):
  """Print the number of tables in the target database's public schema (`database_url`, read
  on standard input, or DATABASE_URL)."""
  query = quote("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
  return libpq_command(
    settings, f'psql --no-psqlrc -tA --dbname={LIBPQ_URL} -c {query}', database_url
  )


def restore_command(settings, folder, database_url):
  """pg_restore a backup's dump into the target database (`database_url`, read on standard
  input, or DATABASE_URL), stopping at the first error."""
  dump = quote(f'{folder}/{DUMP_FILE}')
  return libpq_command(
    settings,
    f'pg_restore --no-owner --no-privileges --exit-on-error --single-transaction '
    f'--dbname={LIBPQ_URL} {dump}',
    database_url,
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
  backups = quote(settings.backups_folder)
  run_step(
    c,
    f'{PRIVATE_UMASK} && rm -rf {quote(partial)} && mkdir -p {quote(partial)} '
    f'&& chmod 0700 {backups} {quote(partial)}',
    'Creating the backup folder',
  )
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
    c,
    empty_database_check_command(settings, url),
    'Looking into the target database',
    stdin=database_url_input(url),
  ).stdout.strip()
  if tables != '0':
    raise DeployError(
      f'The target database on {host_of(c)} already has {tables} tables: restore only into a '
      'new, empty database (createdb, then --restore-database-url or DATABASE_URL). '
      'Nothing was changed.'
    )
  run_step(
    c,
    restore_command(settings, folder, url),
    'Restoring the database (pg_restore)',
    stdin=database_url_input(url),
  )
  photos = run_step(
    c,
    manage_command(settings, f'import-photos {quote(folder + "/" + PHOTOS_FOLDER)}', url),
    'Copying the photos back',
    stdin=database_url_input(url),
  )
  # The restored rows went in behind the app's back (docs/CACHE.md).
  run_step(
    c,
    manage_command(settings, 'cache clear', url),
    'Invalidating the cached answers',
    stdin=database_url_input(url),
  )
  return photos.stdout.strip()
