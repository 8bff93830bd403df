"""Search: full-text search of posts, open to anonymous visitors."""

from flask import request

from app.api import api_blueprint
from app.api.ApiViewer import with_viewer
from app.common.CommonCache import cached_read
from app.common.CommonResponses import json_response
from app.search import SearchHelpers
from app.search.SearchForms import read_search_query, search_cache_query, search_cache_tags
from app.users.UserHelpers import public_endpoint


@api_blueprint.get('/search/posts')
@public_endpoint
@cached_read(query=search_cache_query, tags=search_cache_tags)
def search_posts():
  query = read_search_query(request.args)
  page = SearchHelpers.search_posts(
    query.text, with_viewer(query.filters), query.page, query.per_page, query.sort
  )
  return json_response(page)
