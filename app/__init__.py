"""The Dibz application factory."""

from flask import Flask
from sqlalchemy import event
from werkzeug.middleware.proxy_fix import ProxyFix

from app.api import RowIdConverter, api_blueprint
from app.api.ApiControllers import register_controllers
from app.api.MetricsApi import metrics_blueprint
from app.campuses.CampusCommands import register_campus_commands
from app.common.CommonCache import configure_response_cache
from app.common.CommonCommands import register_commands
from app.common.CommonErrors import close_session_quietly, register_error_handlers
from app.common.CommonFront import install_light_front
from app.common.CommonHealth import MIGRATIONS_FOLDER
from app.common.CommonJson import OrjsonProvider
from app.common.CommonLogging import configure_request_logging
from app.common.CommonMetrics import configure_metrics
from app.common.CommonSecurity import refuse_oversized_body, register_security
from app.common.CommonTransaction import register_transaction_hooks
from app.config import INSTANCE_PATH, load_config
from app.demo.DemoSeed import register_seed_command
from app.extensions import csrf, db, limiter, login_manager, migrate
from app.frontend.FrontendBundleBuild import register_frontend_commands
from app.frontend.FrontendViews import ClientRouteConverter, frontend_blueprint
from app.idempotency.IdempotencyHelpers import register_work_committed_hook
from app.jobs import import_all_jobs
from app.models import import_all_models
from app.moderation.ModerationCommands import register_moderation_commands
from app.posts.PostStorageCommands import register_storage_commands
from app.users.UserCommands import register_user_commands


def create_app(config_name=None):
  """Build a configured Dibz app; `config_name` overrides APP_ENV (local by default)."""
  app = Flask(__name__, instance_path=str(INSTANCE_PATH))
  configure_app(app, config_name)
  # orjson: the same documents, a list page's JSON many times faster (bench/RESULTS.md).
  app.json = OrjsonProvider(app)
  configure_request_logging(app)
  # Before the extensions: their hooks (the limiter's key functions) may read the body.
  app.before_request(refuse_oversized_body)
  configure_extensions(app)
  register_blueprints(app)
  register_security(app)
  # Counts and times requests for /metrics (Prometheus), unless METRICS_ENABLED is false.
  configure_metrics(app)
  # After the security headers and metrics: its 304 on a miss gets their headers and counts.
  configure_response_cache(app, db.session)
  register_error_handlers(app)
  register_commands(app)
  register_user_commands(app)
  register_seed_command(app)
  register_storage_commands(app)
  register_frontend_commands(app)
  register_moderation_commands(app)
  register_campus_commands(app)
  # Last: it reads the views' marks, and answers light and cached reads before Flask does.
  install_light_front(app)
  return app


def configure_app(app, config_name):
  """Load the config class for the environment; staging and prod refuse missing secrets."""
  app.config.from_object(load_config(config_name))
  app.json.sort_keys = False
  if app.config['ENV_NAME'] == 'prod':
    app.config['DEBUG'] = False
  if app.config['SQLALCHEMY_DATABASE_URI'].startswith('sqlite:///'):
    INSTANCE_PATH.mkdir(parents=True, exist_ok=True)
  proxy_count = app.config['TRUSTED_PROXY_COUNT']
  if proxy_count:
    app.wsgi_app = ProxyFix(
      app.wsgi_app, x_for=proxy_count, x_proto=proxy_count, x_host=proxy_count
    )


def configure_extensions(app):
  """Bind the extensions declared in app/extensions.py, with every area's models imported."""
  import_all_models()
  import_all_jobs()
  db.init_app(app)
  # Registered after Flask-SQLAlchemy's own teardown, so it runs first (teardowns run in reverse).
  app.teardown_appcontext(close_session_quietly)
  migrate.init_app(app, db, directory=str(MIGRATIONS_FOLDER))
  login_manager.init_app(app)
  csrf.init_app(app)
  limiter.init_app(app)
  # Work queued with after_commit (events, notification mail) runs once the transaction commits.
  register_transaction_hooks()
  # A claimed Idempotency-Key is marked in the view's first commit (app/idempotency).
  register_work_committed_hook()
  if app.config['SQLALCHEMY_DATABASE_URI'].startswith('sqlite'):
    with app.app_context():
      enable_sqlite_foreign_keys(db.engine)


def enable_sqlite_foreign_keys(engine):
  """SQLite ignores foreign keys (and ON DELETE) unless every connection asks for them."""

  @event.listens_for(engine, 'connect')
  def on_connect(dbapi_connection, connection_record):
    cursor = dbapi_connection.cursor()
    cursor.execute('PRAGMA foreign_keys=ON')
    cursor.execute('PRAGMA busy_timeout=5000')
    cursor.close()


def register_blueprints(app):
  """Register the api blueprint (with its controllers) and the frontend blueprint."""
  register_controllers()
  # Werkzeug would answer //api//posts with a redirect built from the Host header; an unknown
  # path is a plain 404 instead (must be set before the rules are added).
  app.url_map.merge_slashes = False
  app.url_map.converters['row_id'] = RowIdConverter
  app.register_blueprint(api_blueprint)
  app.register_blueprint(metrics_blueprint)
  app.url_map.converters['client_route'] = ClientRouteConverter
  app.register_blueprint(frontend_blueprint)
