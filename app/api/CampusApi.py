"""Campuses: the list and one campus with its pickup spots (anyone), and the operators'
changes under /api/admin/campuses (admins only)."""

from flask_login import current_user

from app.api import api_blueprint
from app.campuses import CampusHelpers
from app.campuses.CampusConstants import CAMPUS_ADMIN_WRITE_LIMIT
from app.campuses.CampusForms import CampusCreateForm, CampusUpdateForm, PickupSpotForm
from app.campuses.CampusSerializers import campus_to_json, campuses_to_json, spot_to_json
from app.common.CommonCache import cached_read
from app.common.CommonForms import validate_form
from app.common.CommonHelpers import get_json_body, get_optional_json_body
from app.common.CommonRateLimits import user_rate_limit_key
from app.common.CommonResponses import json_response, no_content
from app.extensions import limiter
from app.users.UserHelpers import public_endpoint


@api_blueprint.get('/campuses')
@public_endpoint
@cached_read()
def list_campuses():
  """Every campus with its time zone and pickup spots, by name (anyone)."""
  return json_response({'items': campuses_to_json(CampusHelpers.all_campuses())})


@api_blueprint.get('/campuses/<slug>')
@public_endpoint
@cached_read()
def get_campus(slug):
  """One campus with its pickup spots (anyone)."""
  return json_response({'campus': campus_to_json(CampusHelpers.get_campus(slug))})


@api_blueprint.post('/admin/campuses')
@limiter.limit(CAMPUS_ADMIN_WRITE_LIMIT, key_func=user_rate_limit_key)
def create_campus():
  """Add a campus; students of its email domains join it (admins)."""
  CampusHelpers.require_admin(current_user)
  form = validate_form(CampusCreateForm, get_json_body())
  campus = CampusHelpers.create_campus(form.present_data())
  return json_response({'campus': campus_to_json(campus)}, 201)


@api_blueprint.patch('/admin/campuses/<slug>')
@limiter.limit(CAMPUS_ADMIN_WRITE_LIMIT, key_func=user_rate_limit_key)
def update_campus(slug):
  """Change a campus's slug, name, email domains or time zone (admins)."""
  CampusHelpers.require_admin(current_user)
  form = validate_form(CampusUpdateForm, get_json_body())
  campus = CampusHelpers.update_campus(slug, form.present_data())
  return json_response({'campus': campus_to_json(campus)})


@api_blueprint.delete('/admin/campuses/<slug>')
@limiter.limit(CAMPUS_ADMIN_WRITE_LIMIT, key_func=user_rate_limit_key)
def delete_campus(slug):
  """Remove a campus and its spots; its students and posts keep no campus (admins)."""
  CampusHelpers.require_admin(current_user)
  CampusHelpers.delete_campus(slug)
  return no_content()


@api_blueprint.post('/admin/campuses/<slug>/spots')
@limiter.limit(CAMPUS_ADMIN_WRITE_LIMIT, key_func=user_rate_limit_key)
def add_pickup_spot(slug):
  """Add a pickup spot to a campus (admins)."""
  CampusHelpers.require_admin(current_user)
  form = validate_form(PickupSpotForm, get_json_body())
  spot = CampusHelpers.add_spot(slug, form.name.data, form.notes.data or '')
  return json_response({'pickup_spot': spot_to_json(spot)}, 201)


@api_blueprint.delete('/admin/campuses/<slug>/spots/<row_id:spot_id>')
@limiter.limit(CAMPUS_ADMIN_WRITE_LIMIT, key_func=user_rate_limit_key)
def remove_pickup_spot(slug, spot_id):
  """Remove a pickup spot of a campus (admins)."""
  CampusHelpers.require_admin(current_user)
  get_optional_json_body()
  CampusHelpers.remove_spot(slug, spot_id)
  return no_content()
