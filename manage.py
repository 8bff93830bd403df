#!/usr/bin/env python
"""Dibz management commands, on Flask's own click CLI.

Flask-Script, the original choice, cannot be imported on Flask 3 (`No module named
'flask._compat'`); Flask's click CLI fills the same role. `python manage.py --help` lists:
run, shell, routes (Flask's), db (Flask-Migrate), initdb, seed, create-user, check, test.
"""

from flask.cli import FlaskGroup

from app import create_app

cli = FlaskGroup(
  create_app=create_app,
  help='Manage Dibz. APP_ENV picks the config (local, testing, staging, prod).',
)

if __name__ == '__main__':
  cli()
