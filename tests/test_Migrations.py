"""The migrations build the schema the models describe, and go down and up cleanly."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from app.common.CommonHealth import script_heads
from app.common.CommonMigrations import include_object
from app.extensions import db
from tests.base import ApiTestCase


class MigrationTest(ApiTestCase):
  def current_heads(self):
    with db.engine.connect() as connection:
      return set(MigrationContext.configure(connection).get_current_heads())

  def test_downgrade_to_base_and_upgrade_again(self):
    db.session.remove()
    downgrade(revision='base')
    self.assertEqual(self.current_heads(), set())
    remaining = set(inspect(db.engine).get_table_names()) - {'alembic_version'}
    self.assertEqual(remaining, set())
    upgrade()
    self.assertEqual(self.current_heads(), set(script_heads()))
    self.assertIn('users', inspect(db.engine).get_table_names())

  def test_models_and_migrations_agree(self):
    with db.engine.connect() as connection:
      context = MigrationContext.configure(
        connection, opts={'compare_type': True, 'include_object': include_object}
      )
      differences = compare_metadata(context, db.metadata)
    self.assertEqual(differences, [])

  def test_readiness_reports_a_database_behind_head(self):
    db.session.remove()
    downgrade(revision='0001_users')
    try:
      response = self.client.get('/api/health/ready')
      self.assertEqual(response.status_code, 503)
      self.assertEqual(response.get_json()['migrations'], 'behind')
    finally:
      upgrade()
