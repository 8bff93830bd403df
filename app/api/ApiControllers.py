"""Every controller module of the api blueprint, imported in one place: their decorators add
the routes to the blueprint (app/api/__init__.py), which they import, so that package cannot
import them itself without a cycle. A new controller is one more line here."""

from app.api import (
  AuthApi,
  CampusApi,
  ChatApi,
  DibApi,
  EventApi,
  HealthApi,
  HeldPostApi,
  HoldApi,
  ModerationApi,
  NotificationApi,
  OpenApi,
  PostApi,
  PostExpiryApi,
  PostImageApi,
  PostWatchApi,
  PrivacyApi,
  ReviewApi,
  SavedSearchApi,
  SearchApi,
  UserApi,
  UserBlockApi,
)

CONTROLLER_MODULES = (
  AuthApi,
  CampusApi,
  ChatApi,
  DibApi,
  EventApi,
  HealthApi,
  HeldPostApi,
  HoldApi,
  ModerationApi,
  NotificationApi,
  OpenApi,
  PostApi,
  PostExpiryApi,
  PostImageApi,
  PostWatchApi,
  PrivacyApi,
  ReviewApi,
  SavedSearchApi,
  SearchApi,
  UserApi,
  UserBlockApi,
)


def register_controllers():
  """The controller modules (importing this module added their routes to the blueprint)."""
  return CONTROLLER_MODULES
