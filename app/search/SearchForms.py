"""Input forms of the search area: the query string of GET /api/search/posts."""

from wtforms import StringField
from wtforms.validators import AnyOf, Length

from app.common.CommonForms import BlankIsAbsent, PageQueryForm, Required, read_query
from app.posts.PostCacheTags import price_tags, search_page_tags
from app.posts.PostConstants import FILTER_NAMES, STATUS_AVAILABLE
from app.posts.PostForms import PostListQueryForm, one_of_message, post_list_filters
from app.search.SearchConstants import (
  QUERY_MAX_LENGTH,
  QUERY_MIN_LENGTH,
  SEARCH_SORTS,
  SORT_RELEVANCE,
)
from app.search.SearchHelpers import parse_search_terms

# Results come best match first unless `sort` asks otherwise.
SEARCH_QUERY_NAMES = ('q', *FILTER_NAMES, 'sort', 'page', 'per_page')


def strip_text(value):
  """The value without surrounding white space (None stays None)."""
  return value.strip() if isinstance(value, str) else value


class SearchQueryForm(PostListQueryForm, PageQueryForm):
  """The search text `q` (counted after trimming white space), the post list's filters and the
  page: every mistake is reported in one 422."""

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
  sort = StringField(
    filters=[strip_text],
    validators=[BlankIsAbsent(), AnyOf(SEARCH_SORTS, message=one_of_message(SEARCH_SORTS))],
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
  form = read_query(SearchQueryForm, args, allowed=SEARCH_QUERY_NAMES)
  filters, _sort = post_list_filters(form, defaults={'status': STATUS_AVAILABLE})
  sort = form.sort.data or SORT_RELEVANCE
  return SearchQuery(form.q.data, filters, form.page.data, form.per_page.data, sort)


def search_cache_tags(view_args, query):
  """The tags of a search page: SEARCH_TAG and its words' (search_page_tags), and PRICES_TAG
  when it filters or orders by price; each page on the posts it shows too."""
  words = parse_search_terms(query['text']).words
  return (*search_page_tags(words), *price_tags(query['filters'], query['sort']))


def search_cache_query(args):
  """What a search's answer depends on in its query, parsed as the view parses it (the
  response cache's key, CommonCache)."""
  return vars(read_search_query(args))
