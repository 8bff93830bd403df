"""Input forms of the posts area: post bodies, and the query string of post lists."""

from wtforms import Form, StringField
from wtforms.validators import AnyOf, Length, NumberRange, Regexp, StopValidation

from app.campuses.CampusConstants import SLUG_PATTERN
from app.common.CommonConstants import MAX_ROW_ID
from app.common.CommonForms import (
  BlankIsAbsent,
  Bounds,
  IfPresent,
  JsonForm,
  JsonIntegerField,
  JsonStringField,
  OneLine,
  QueryIntegerField,
  Required,
  page_cache_query,
  read_query,
)
from app.posts.PostCacheTags import LISTS_TAG, list_tag, price_tags
from app.posts.PostConstants import (
  CAMPUS_MAX_LENGTH,
  CATEGORIES,
  CONDITIONS,
  DESCRIPTION_MAX_LENGTH,
  FILTER_NAMES,
  POST_SORTS,
  POST_STATUSES,
  PRICE_MAX_CENTS,
  PRICE_MAX_DOLLARS,
  SORT_NEWEST,
  TITLE_MAX_LENGTH,
)
from app.users.UserConstants import USERNAME_PATTERN


def one_of_message(choices):
  """The error sentence for a value outside a fixed list."""
  return f'Must be one of: {", ".join(choices)}.'


# The API counts cents, but people type dollars: every price error speaks dollars.
PRICE_RANGE_MESSAGE = f'Must be between $0 and ${PRICE_MAX_DOLLARS:,}.'
PRICE_TYPE_MESSAGE = 'Must be a price in dollars with at most two decimals, like 12 or 12.50.'


class PriceCentsField(JsonIntegerField):
  """A price in whole cents, as the client sends it after reading the dollars typed."""

  type_message = PRICE_TYPE_MESSAGE


class QueryPriceField(QueryIntegerField):
  """A price filter in the query string, in whole cents; its errors speak dollars too."""

  def process_formdata(self, valuelist):
    try:
      super().process_formdata(valuelist)
    except ValueError:
      raise ValueError(PRICE_TYPE_MESSAGE) from None


class RequiredWhenNew:
  """Required in the body of a new post; in an edit, checked only when sent (IfPresent)."""

  def __call__(self, form, field):
    (Required() if form.is_new else IfPresent())(form, field)


class PostUpdateForm(JsonForm):
  """Every editable field, each optional; the status changes through its own endpoints."""

  is_new = False
  title = JsonStringField(
    validators=[RequiredWhenNew(), OneLine(), Length(min=1, max=TITLE_MAX_LENGTH)]
  )
  description = JsonStringField(validators=[RequiredWhenNew(), Length(max=DESCRIPTION_MAX_LENGTH)])
  price_cents = PriceCentsField(
    validators=[RequiredWhenNew(), NumberRange(0, PRICE_MAX_CENTS, message=PRICE_RANGE_MESSAGE)]
  )
  category = JsonStringField(
    validators=[RequiredWhenNew(), AnyOf(CATEGORIES, message=one_of_message(CATEGORIES))]
  )
  condition = JsonStringField(
    validators=[RequiredWhenNew(), AnyOf(CONDITIONS, message=one_of_message(CONDITIONS))]
  )
  # A campus's slug (null: the seller's campus); PostHelpers turns it into the campus's id.
  campus = JsonStringField(validators=[IfPresent(nullable=True), Length(max=CAMPUS_MAX_LENGTH)])


class PostCreateForm(PostUpdateForm):
  """The body of POST /api/posts: the same fields, every one but campus required."""

  is_new = True


class PostListQueryForm(Form):
  """The filters and sort of a post list, read from the query string (page args aside)."""

  category = StringField(
    validators=[BlankIsAbsent(), AnyOf(CATEGORIES, message=one_of_message(CATEGORIES))]
  )
  min_price = QueryPriceField(
    validators=[BlankIsAbsent(), NumberRange(0, PRICE_MAX_CENTS, message=PRICE_RANGE_MESSAGE)]
  )
  max_price = QueryPriceField(
    validators=[BlankIsAbsent(), NumberRange(0, PRICE_MAX_CENTS, message=PRICE_RANGE_MESSAGE)]
  )
  status = StringField(
    validators=[BlankIsAbsent(), AnyOf(POST_STATUSES, message=one_of_message(POST_STATUSES))]
  )
  seller = StringField(
    validators=[BlankIsAbsent(), Regexp(USERNAME_PATTERN, message='Must be a username.')]
  )
  # A campus's slug, or `all` (the same as none): docs/CAMPUSES.md.
  campus = StringField(
    validators=[
      BlankIsAbsent(),
      Length(max=CAMPUS_MAX_LENGTH),
      Regexp(SLUG_PATTERN, message='Must be a campus slug, or all.'),
    ]
  )
  sort = StringField(
    validators=[BlankIsAbsent(), AnyOf(POST_SORTS, message=one_of_message(POST_SORTS))]
  )

  def validate_max_price(self, field):
    minimum = self.min_price.data if self.min_price is not None else None
    if field.data is not None and isinstance(minimum, int) and field.data < minimum:
      raise StopValidation('Must not be less than min_price.')


class PostCursorForm(Form):
  """`after`: keyset paging of a post list, the id of the last post the client has."""

  after = QueryIntegerField(validators=[BlankIsAbsent(), Bounds(1, MAX_ROW_ID)])


# The list filters of one user's posts (GET /api/users/<username>/posts): all but `seller`.
USER_POST_LIST_QUERY_NAMES = ('category', 'min_price', 'max_price', 'status', 'sort')


def read_post_list_query(args, allowed=FILTER_NAMES + ('sort',), defaults=None):
  """Validate the list query args named in `allowed`; return (filters, sort) or raise a 422."""
  return post_list_filters(read_query(PostListQueryForm, args, allowed=allowed), defaults)


def post_list_filters(form, defaults=None):
  """(filters, sort) of a validated PostListQueryForm (or a form built on it): `filters` holds
  the filters the client gave (plus `defaults` for the missing ones), ready for
  PostHelpers.apply_post_filters; `sort` defaults to newest."""
  filters = dict(defaults or {})
  for name in FILTER_NAMES:
    if name in form._fields and form[name].data not in (None, ''):
      value = form[name].data
      filters[name] = value.strip() if isinstance(value, str) else value
  sort = SORT_NEWEST
  if 'sort' in form._fields and form.sort.data:
    sort = form.sort.data.strip()
  return filters, sort


def post_list_cache_query(args, allowed=FILTER_NAMES + ('sort',)):
  """What a post list's answer depends on in its query, parsed as the view parses it: filters,
  sort, page and cursor (the response cache's key, CommonCache)."""
  filters, sort = read_post_list_query(args, allowed=allowed)
  after = read_query(PostCursorForm, args).after.data
  return {'filters': filters, 'sort': sort, 'page': page_cache_query(args), 'after': after}


def user_post_list_cache_query(args):
  """post_list_cache_query for one user's posts (no `seller` filter)."""
  return post_list_cache_query(args, allowed=USER_POST_LIST_QUERY_NAMES)


def post_list_cache_tags(view_args, query):
  """A list of one category depends on that category's posts, any other list on all posts
  (and on prices when it filters or orders by them); each page on the posts it shows too."""
  filters = query['filters']
  return (list_tag(filters.get('category')), *price_tags(filters, query['sort']))


def user_post_list_cache_tags(view_args, query):
  """One user's posts depend on every list's tag (and on prices, like any list)."""
  return (LISTS_TAG, *price_tags(query['filters'], query['sort']))
