"""Helpers every area uses: reading JSON bodies, fetching rows (404), paginating, times."""

from datetime import UTC, datetime

from flask import current_app, request
from sqlalchemy import bindparam, func, select

from app.common.CommonErrors import ApiError
from app.common.CommonForms import PageQueryForm, read_query
from app.common.CommonJson import JsonBoundsError
from app.extensions import db


def utc_now():
  """The current time, timezone-aware, in UTC."""
  return datetime.now(UTC)


def as_utc(moment):
  """Treat a naive datetime (SQLite returns those) as UTC."""
  if moment is None:
    return None
  if moment.tzinfo is None:
    return moment.replace(tzinfo=UTC)
  return moment.astimezone(UTC)


def to_iso(moment):
  """An ISO 8601 UTC string such as 2026-11-29T05:10:22Z, or None."""
  if moment is None:
    return None
  return as_utc(moment).strftime('%Y-%m-%dT%H:%M:%S.%fZ')


def get_json_body():
  """The request's JSON object: 415 when it is not JSON, 400 when malformed or not an object."""
  if not request.is_json:
    raise ApiError(415, message='The request body must be JSON (Content-Type: application/json).')
  try:
    payload = current_app.json.loads(request.get_data(cache=True))
  except JsonBoundsError as error:
    raise ApiError(400, message=str(error)) from None
  except ValueError:
    raise ApiError(400, message='The request body is not valid JSON.') from None
  if not isinstance(payload, dict):
    raise ApiError(400, message='The request body must be a JSON object.')
  return payload


def get_optional_json_body():
  """A JSON object when the request carries a body, else an empty dict (for optional bodies)."""
  if not request.get_data(cache=True):
    return {}
  return get_json_body()


def apply_changes(row, changes, null_values=None):
  """Set each field the client sent on `row`; an empty or null value of a field named in
  `null_values` is stored as that field's entry there (so '' and null clear it alike)."""
  null_values = null_values or {}
  for name, value in changes.items():
    if name in null_values and not value:
      value = null_values[name]
    setattr(row, name, value)


def get_or_404(model, *conditions, for_update=False, options=(), **columns):
  """The one row of `model` whose columns equal `columns` and that meets `conditions`, else
  a 404 with the model's `not_found_message`; `for_update` locks the row until the commit."""
  statement = select(model).filter_by(**columns).where(*conditions).options(*options)
  if for_update:
    # Concurrent changes of one row queue up behind this lock (PostgreSQL; SQLite serializes
    # writers anyway and ignores it), and the row is read afresh under it.
    statement = statement.with_for_update().execution_options(populate_existing=True)
  row = db.session.execute(statement).scalar_one_or_none()
  if row is None:
    raise ApiError(404, message=model.not_found_message)
  return row


# The LIMIT and OFFSET of a statement built once and run for any page (`with_page_limits`).
PAGE_LIMIT = bindparam('page_limit')
PAGE_OFFSET = bindparam('page_offset')


def with_page_limits(statement):
  """`statement` with its LIMIT and OFFSET bound when it runs: a statement kept and reused for
  every page (SQLAlchemy then computes its cache key once, not at each run)."""
  return statement.limit(PAGE_LIMIT).offset(PAGE_OFFSET)


def paginate(
  statement,
  serialize_all,
  count_statement=None,
  args=None,
  total=None,
  keyset=False,
  plain_rows=False,
  paged=False,
):
  """Run `statement` for one page and answer the list envelope {items, page, per_page, total};
  `serialize_all` turns the page's rows into JSON at once (batch-loading what they share).

  `total`, when given, is not counted again (a cached count); `plain_rows` hands the serializer
  Core rows instead of entities (a statement of columns); `keyset` means `statement` already
  starts after the client's cursor, so the page is its first rows (`page` absent or 1);
  `paged` means `statement` came from `with_page_limits`.
  """
  page_query = read_query(PageQueryForm, request.args if args is None else args)
  page, per_page = page_query.page.data, page_query.per_page.data
  if keyset and page != 1:
    raise ApiError(422, fields={'page': ['Give either page or after, not both.']})
  if total is None:
    if count_statement is None:
      count_statement = select(func.count()).select_from(statement.order_by(None).subquery())
    total = db.session.execute(count_statement).scalar_one()
  if paged:
    limits = {'page_limit': per_page, 'page_offset': (page - 1) * per_page}
    result = db.session.execute(statement, limits)
  else:
    result = db.session.execute(statement.limit(per_page).offset((page - 1) * per_page))
  rows = result.all() if plain_rows else list(result.scalars().unique())
  return {
    'items': serialize_all(rows),
    'page': page,
    'per_page': per_page,
    'total': total,
  }
