"""PostgreSQL helpers for the end-to-end operations tests (backup/restore, rolling deploy).

Their databases are named after the suite's (TEST_DATABASE_URL) plus a suffix, e.g.
test_i17_backup, created fresh and dropped afterwards; the suite's own database is untouched.
These tests need PostgreSQL (pg_dump, several hosts sharing one database): on the SQLite pass
they skip, and under CI=true a missing prerequisite on the PostgreSQL pass is a failure.
"""

import hashlib
import os
import shutil
import unittest
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2
from psycopg2 import sql


def suite_database_url():
  """TEST_DATABASE_URL when it names PostgreSQL (libpq spelling), else None."""
  url = os.environ.get('TEST_DATABASE_URL', '')
  if not url.startswith(('postgresql://', 'postgres://', 'postgresql+psycopg2://')):
    return None
  return 'postgresql://' + url.split('://', 1)[1]


def require_postgresql_and(test_case, programs=()):
  """Skip (or fail under CI=true) unless the suite runs on PostgreSQL and `programs` exist."""
  missing = [program for program in programs if shutil.which(program) is None]
  if suite_database_url() is None:
    raise unittest.SkipTest('needs PostgreSQL: runs in the PostgreSQL pass (TEST_DATABASE_URL)')
  if missing:
    reason = f'missing programs: {", ".join(missing)} (.ci/run installs them)'
    if os.environ.get('CI') == 'true':
      test_case.fail(reason)
    raise unittest.SkipTest(reason)


def url_with_database(url, name):
  """`url` pointing at database `name` instead."""
  parts = urlsplit(url)
  return urlunsplit(parts._replace(path=f'/{name}'))


class ScratchDatabase:
  """A database `<suite database>_<suffix>`, made empty on `create` and dropped on `drop`."""

  def __init__(self, suffix):
    base = suite_database_url()
    self.name = f'{urlsplit(base).path.lstrip("/")}_{suffix}'
    self.url = url_with_database(base, self.name)
    self.admin_url = url_with_database(base, 'postgres')

  def admin(self, statement):
    connection = psycopg2.connect(self.admin_url)
    connection.autocommit = True
    try:
      with connection.cursor() as cursor:
        cursor.execute(statement)
    finally:
      connection.close()

  def create(self):
    """(Re)create the database, empty."""
    self.drop()
    self.admin(sql.SQL('CREATE DATABASE {}').format(sql.Identifier(self.name)))
    return self

  def drop(self):
    """Drop the database, closing its sessions first (FORCE, PostgreSQL 13+)."""
    self.admin(sql.SQL('DROP DATABASE IF EXISTS {} WITH (FORCE)').format(sql.Identifier(self.name)))

  def query(self, statement, parameters=None):
    """Rows of one statement, in a short connection."""
    connection = psycopg2.connect(self.url)
    try:
      with connection.cursor() as cursor:
        cursor.execute(statement, parameters)
        return cursor.fetchall()
    finally:
      connection.close()

  def fingerprint(self):
    """{table: (row count, md5 of every row in order)} of the public schema, plus sequences."""
    tables = [
      row[0]
      for row in self.query(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
      )
    ]
    result = {}
    for table in tables:
      statement = sql.SQL(
        "SELECT count(*), coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM {} AS t"
      ).format(sql.Identifier(table))
      result[table] = tuple(self.query(statement)[0])
    for (sequence,) in self.query(
      "SELECT sequencename FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1"
    ):
      statement = sql.SQL('SELECT last_value FROM {}').format(sql.Identifier(sequence))
      result[f'sequence {sequence}'] = self.query(statement)[0][0]
    return result


def folder_fingerprint(folder):
  """{file name: sha256} of every file in a folder."""
  folder = Path(folder)
  if not folder.is_dir():
    return {}
  return {
    path.name: hashlib.sha256(path.read_bytes()).hexdigest()
    for path in sorted(folder.iterdir())
    if path.is_file()
  }
