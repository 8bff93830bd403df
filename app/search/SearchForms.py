"""Input forms of the search area: the query string of GET /api/search/posts."""

from wtforms import Form, StringField
from wtforms.validators import AnyOf, Length, Optional

from app.common.CommonErrors import ApiError
from app.common.CommonForms import Required, first_error_sentence
from app.common.CommonHelpers import read_page_args
from app.posts.PostConstants import FILTER_NAMES, STATUS_AVAILABLE
from app.posts.PostForms import read_post_list_query
from app.search.SearchConstants import (
  QUERY_MAX_LENGTH,
  QUERY_MIN_LENGTH,
  SEARCH_SORTS,
  SORT_RELEVANCE,
)


def strip_text(value):
  return value.strip() if isinstance(value, str) else value


class SearchTextForm(Form):
  """The search text `q`, counted after trimming white space."""

  q = StringField(
    filters=[strip_text],
    validators=[
      Required(),
      Length(
        min=QUERY_MIN_LENGTH,
        max=QUERY_MAX_LENGTH,
        message=f'Must be between {QUERY_MIN_LENGTH} and {QUERY_MAX_LENGTH} characters.',
      ),
    ],
  )


class SearchSortForm(Form):
  """The order of results: best match first unless asked otherwise."""

  sort = StringField(
    filters=[strip_text],
    validators=[
      Optional(),
      AnyOf(SEARCH_SORTS, message=f'Must be one of: {", ".join(SEARCH_SORTS)}.'),
    ],
  )


class SearchQuery:
  """A validated search request: the text, the post list's filters, the order and the page."""

  def __init__(self, text, filters, page, per_page, sort=SORT_RELEVANCE):
    self.text = text
    self.filters = filters
    self.page = page
    self.per_page = per_page
    self.sort = sort


def read_search_query(args):
  """Validate `q`, the post list's filters (status defaults to available), the sort (best
  match first by default) and the page arguments; every mistake is reported in one 422."""
  errors = {}
  text_form = SearchTextForm(formdata=args)
  if not text_form.validate():
    errors.update(text_form.errors)
  filters = {}
  try:
    filters, _sort = read_post_list_query(
      args, allowed=FILTER_NAMES, defaults={'status': STATUS_AVAILABLE}
    )
  except ApiError as error:
    if error.status != 422:
      raise
    errors.update(error.fields or {})
  sort_form = SearchSortForm(formdata=args)
  if not sort_form.validate():
    errors.update(sort_form.errors)
  page, per_page = read_page_args(args, errors)
  if errors:
    raise ApiError(422, message=first_error_sentence(errors), fields=errors)
  return SearchQuery(
    text_form.q.data, filters, page, per_page, sort_form.sort.data or SORT_RELEVANCE
  )
