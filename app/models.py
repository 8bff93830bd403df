"""One place that imports every area's models, so the metadata (and Alembic) sees them all."""

from app.campuses import CampusModels
from app.chat import ChatModels
from app.common import CommonModels
from app.idempotency import IdempotencyModels
from app.moderation import ModerationModels
from app.notifications import NotificationModels
from app.posts import PostHoldModels, PostModels, PostWatchModels
from app.reviews import ReviewModels
from app.search import SavedSearchModels
from app.users import UserModels

MODEL_MODULES = (
  CampusModels,
  ChatModels,
  CommonModels,
  IdempotencyModels,
  ModerationModels,
  NotificationModels,
  PostHoldModels,
  PostModels,
  PostWatchModels,
  ReviewModels,
  SavedSearchModels,
  UserModels,
)


def import_all_models():
  """The model modules of every area (importing this module registered their classes on
  db.metadata)."""
  return MODEL_MODULES
