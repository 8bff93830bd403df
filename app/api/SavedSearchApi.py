"""Saved searches: save the current search with an alert, list, change the alert, delete."""

from flask_login import current_user

from app.api import api_blueprint
from app.common.CommonForms import validate_form
from app.common.CommonHelpers import get_json_body, paginate
from app.common.CommonResponses import json_response, no_content
from app.search import SavedSearchHelpers
from app.search.SavedSearchForms import SavedSearchAlertForm, SavedSearchForm
from app.search.SavedSearchSerializers import saved_search_to_json, saved_searches_to_json


@api_blueprint.post('/users/me/saved-searches')
def create_saved_search():
  """Save a search (words, category, campus, price range) with its alert."""
  form = validate_form(SavedSearchForm, get_json_body())
  saved = SavedSearchHelpers.create_saved_search(current_user, form.present_data())
  return json_response({'saved_search': saved_search_to_json(saved)}, 201)


@api_blueprint.get('/users/me/saved-searches')
def list_saved_searches():
  """My saved searches, newest first."""
  statement = SavedSearchHelpers.my_saved_searches_statement(current_user)
  return json_response(paginate(statement, saved_searches_to_json))


@api_blueprint.patch('/saved-searches/<row_id:saved_search_id>')
def update_saved_search(saved_search_id):
  """Change the alert of one of my saved searches."""
  SavedSearchHelpers.get_my_saved_search(saved_search_id, current_user)
  form = validate_form(SavedSearchAlertForm, get_json_body())
  saved = SavedSearchHelpers.update_alert(saved_search_id, current_user, form.alert.data)
  return json_response({'saved_search': saved_search_to_json(saved)})


@api_blueprint.delete('/saved-searches/<row_id:saved_search_id>')
def delete_saved_search(saved_search_id):
  """Delete one of my saved searches."""
  SavedSearchHelpers.delete_saved_search(saved_search_id, current_user)
  return no_content()
