"""One place that imports every area's models, so the metadata (and Alembic) sees them all."""


def import_all_models():
  """Import the model modules of every area; their classes register on db.metadata."""
  from app.chat import ChatModels  # noqa: F401
  from app.common import CommonModels  # noqa: F401
  from app.moderation import ModerationModels  # noqa: F401
  from app.notifications import NotificationModels  # noqa: F401
  from app.posts import PostModels  # noqa: F401
  from app.users import UserModels  # noqa: F401
