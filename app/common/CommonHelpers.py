"""Helpers every area uses: reading JSON bodies, fetching rows, paginating, times."""

from datetime import UTC, datetime

from flask import request
from sqlalchemy import func, select

from app.common.CommonConstants import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from app.common.CommonErrors import ApiError
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
  payload = request.get_json(silent=True)
  if payload is None:
    raise ApiError(400, message='The request body is not valid JSON.')
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


def get_or_404(model, object_id, message=None):
  """The row of `model` with primary key `object_id`, or a 404 ApiError."""
  row = db.session.get(model, object_id)
  if row is None:
    raise ApiError(404, message=message or f'No {model.__name__.lower()} with that id.')
  return row


def parse_int_arg(args, name, default=None, minimum=None, maximum=None, errors=None):
  """Read an integer query argument, collecting a readable error for bad values in `errors`."""
  raw_value = args.get(name)
  if raw_value is None or raw_value == '':
    return default
  try:
    value = int(raw_value)
  except ValueError:
    errors[name] = ['Must be a whole number.']
    return default
  if minimum is not None and value < minimum:
    errors[name] = [f'Must be at least {minimum}.']
  elif maximum is not None and value > maximum:
    errors[name] = [f'Must be at most {maximum}.']
  return value


def read_page_args(args, errors):
  """`page` and `per_page` from the query string, validated into `errors`."""
  page = parse_int_arg(args, 'page', 1, minimum=1, maximum=100000, errors=errors)
  per_page = parse_int_arg(
    args, 'per_page', DEFAULT_PAGE_SIZE, minimum=1, maximum=MAX_PAGE_SIZE, errors=errors
  )
  return page, per_page


def raise_if_errors(errors):
  """Turn collected field errors into one 422."""
  if errors:
    raise ApiError(422, fields=errors)


def paginate(
  statement,
  serialize=None,
  args=None,
  count_statement=None,
  serialize_all=None,
  total=None,
  keyset=False,
  plain_rows=False,
):
  """Run `statement` for one page and answer the list envelope {items, page, per_page, total}.

  `serialize` turns one row into JSON; `serialize_all` turns the page's rows at once, for
  serializers that batch-load what the rows share. `total`, when given, is not counted again
  (a cached count); `plain_rows` hands the serializer Core rows instead of entities (a
  statement of columns); `keyset` means `statement` already starts after the client's cursor, so
  the page is its first rows (`page` must then be absent or 1).
  """
  errors = {}
  page, per_page = read_page_args(args if args is not None else request.args, errors)
  if keyset and page != 1:
    errors['page'] = ['Give either page or after, not both.']
  raise_if_errors(errors)
  if total is None:
    if count_statement is None:
      count_statement = select(func.count()).select_from(statement.order_by(None).subquery())
    total = db.session.execute(count_statement).scalar_one()
  result = db.session.execute(statement.limit(per_page).offset((page - 1) * per_page))
  rows = result.all() if plain_rows else list(result.scalars().unique())
  items = serialize_all(rows) if serialize_all else [serialize(row) for row in rows]
  return {
    'items': items,
    'page': page,
    'per_page': per_page,
    'total': total,
  }
