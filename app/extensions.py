"""The Flask extensions, declared once and unbound; `create_app` binds them with init_app."""

from flask import current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData

# Named constraints let Alembic create and drop them the same way on SQLite and PostgreSQL.
NAMING_CONVENTION = {
  'ix': 'ix_%(column_0_label)s',
  'uq': 'uq_%(table_name)s_%(column_0_name)s',
  'ck': 'ck_%(table_name)s_%(constraint_name)s',
  'fk': 'fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s',
  'pk': 'pk_%(table_name)s',
}


class HeaderCsrfProtect(CSRFProtect):
  """CSRFProtect reading the token from the X-CSRFToken header only.

  The API never takes it from a form field; Flask-WTF's form scan would parse a multipart
  body before the login check, and crashes (a 500) on a part whose name is not valid UTF-8.
  """

  def _get_csrf_token(self):
    for header_name in current_app.config['WTF_CSRF_HEADERS']:
      token = request.headers.get(header_name)
      if token:
        return token
    return None


db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING_CONVENTION))
migrate = Migrate()
login_manager = LoginManager()
csrf = HeaderCsrfProtect()
limiter = Limiter(key_func=get_remote_address)
