"""WTForms for every input: JSON bodies (fields that keep JSON types), query strings (blank
means absent, whole numbers within bounds), and the 422 for a failed form.

CSRF is checked for the whole app by Flask-WTF's CSRFProtect (the X-CSRFToken header), so
these forms carry no token field of their own.
"""

import re

from werkzeug.datastructures import MultiDict
from wtforms import Field, Form, StringField
from wtforms.validators import StopValidation

from app.common.CommonConstants import (
  DEFAULT_PAGE_SIZE,
  LINE_BREAKING_CHARACTERS,
  MAX_PAGE_NUMBER,
  MAX_PAGE_SIZE,
)
from app.common.CommonErrors import ApiError

NUL_MESSAGE = 'Must not contain NUL characters.'
SURROGATE_MESSAGE = 'Must be valid Unicode text (no lone surrogates).'
LONE_SURROGATE = re.compile('[\ud800-\udfff]')
LINE_BREAKING = re.compile(f'[{LINE_BREAKING_CHARACTERS}]')
ONE_LINE_MESSAGE = 'Must be one line: no line breaks, tabs or other control characters.'


class JsonField(Field):
  """A field whose raw value is the JSON value itself, checked against one Python type."""

  type_message = 'Has the wrong type.'

  def convert(self, value):
    """Return the Python value for a JSON value, or raise ValueError."""
    raise NotImplementedError

  def process_formdata(self, valuelist):
    if not valuelist:
      return
    value = valuelist[0]
    if value is None:
      self.data = None
      return
    try:
      self.data = self.convert(value)
    except ValueError as error:
      self.data = None
      raise ValueError(str(error) or self.type_message) from None

  def pre_validate(self, form):
    # A value of the wrong type makes the remaining validators meaningless.
    if self.process_errors:
      raise StopValidation()


class JsonStringField(JsonField):
  """A JSON string, stripped of surrounding white space."""

  type_message = 'Must be a string.'

  def __init__(self, label=None, validators=None, strip=True, **kwargs):
    super().__init__(label, validators, **kwargs)
    self.strip = strip

  def convert(self, value):
    if not isinstance(value, str):
      raise ValueError
    # PostgreSQL cannot store NUL in text: refused here, it is a 422, not a 500 at commit.
    if '\x00' in value:
      raise ValueError(NUL_MESSAGE)
    # JSON may escape half of a surrogate pair ("\\ud800"); no database or encoder takes it.
    if LONE_SURROGATE.search(value):
      raise ValueError(SURROGATE_MESSAGE)
    return value.strip() if self.strip else value

  def _value(self):
    return self.data or ''


class JsonIntegerField(JsonField):
  """A JSON integer (not a boolean, a float or a numeric string)."""

  type_message = 'Must be a whole number.'

  def convert(self, value):
    if isinstance(value, bool) or not isinstance(value, int):
      raise ValueError
    return value


class JsonBooleanField(JsonField):
  """A JSON true or false."""

  type_message = 'Must be true or false.'

  def convert(self, value):
    if not isinstance(value, bool):
      raise ValueError
    return value


class Required:
  """The key must be present and hold a value (a blank string counts as missing)."""

  field_flags = {'required': True}

  def __init__(self, message='This field is required.'):
    self.message = message

  def __call__(self, form, field):
    value = field.raw_data[0] if field.raw_data else None
    if value is None or (isinstance(value, str) and not value.strip()):
      field.errors[:] = []
      raise StopValidation(self.message)


class IfPresent:
  """Skip the other validators when the key is absent (optional and PATCH fields).

  A null value is skipped too when the field is `nullable`, and refused otherwise.
  """

  field_flags = {'optional': True}

  def __init__(self, nullable=False):
    self.nullable = nullable

  def __call__(self, form, field):
    if not field.raw_data:
      field.errors[:] = []
      raise StopValidation()
    if field.raw_data[0] is None:
      field.errors[:] = []
      raise StopValidation(None if self.nullable else 'Must not be null.')


class OneLine:
  """A text shown inline and put into mails (a name, a title): no control character or line
  separator, so it can add no line to a mail and hide none from a reader."""

  def __call__(self, form, field):
    if isinstance(field.data, str) and LINE_BREAKING.search(field.data):
      raise StopValidation(ONE_LINE_MESSAGE)


class JsonForm(Form):
  """A form built from a JSON object; keys the form does not declare are ignored."""

  def __init__(self, payload, **kwargs):
    self.payload = payload
    super().__init__(formdata=MultiDict(list(payload.items())), **kwargs)

  def present_data(self):
    """The cleaned values of the fields the client sent, for partial updates."""
    return {name: field.data for name, field in self._fields.items() if name in self.payload}


class BlankIsAbsent:
  """Skip a query argument that is missing or empty (`?category=` means no filter)."""

  field_flags = {'optional': True}

  def __call__(self, form, field):
    if not field.raw_data or not field.raw_data[0].strip():
      field.errors[:] = []
      raise StopValidation()


class QueryIntegerField(StringField):
  """A whole number written in the query string; missing or blank, it is the `default`."""

  def process_formdata(self, valuelist):
    text = valuelist[0].strip() if valuelist else ''
    if not text:
      self.data = self.default
      return
    try:
      self.data = int(text)
    except ValueError:
      self.data = None
      raise ValueError('Must be a whole number.') from None

  def pre_validate(self, form):
    # A value that is no number makes the bounds meaningless.
    if self.process_errors:
      raise StopValidation()


class Bounds:
  """A number from `minimum` to `maximum` (either may be None), told which bound it breaks."""

  def __init__(self, minimum=None, maximum=None):
    self.minimum = minimum
    self.maximum = maximum

  def __call__(self, form, field):
    if self.minimum is not None and field.data < self.minimum:
      raise StopValidation(f'Must be at least {self.minimum}.')
    if self.maximum is not None and field.data > self.maximum:
      raise StopValidation(f'Must be at most {self.maximum}.')


class PageQueryForm(Form):
  """`page` and `per_page` of every list endpoint."""

  page = QueryIntegerField(default=1, validators=[BlankIsAbsent(), Bounds(1, MAX_PAGE_NUMBER)])
  per_page = QueryIntegerField(
    default=DEFAULT_PAGE_SIZE, validators=[BlankIsAbsent(), Bounds(1, MAX_PAGE_SIZE)]
  )


def validate_form(form_class, payload, **kwargs):
  """Build `form_class` from `payload` and validate it, raising a 422 with `fields` on failure."""
  return validated(form_class(payload, **kwargs))


def read_query(form_class, args, allowed=None):
  """Validate a query-string form from `args` (only the fields named in `allowed`, when
  given), raising a 422 with `fields` on failure."""
  form = form_class(formdata=args)
  if allowed is not None:
    for name in [name for name in form._fields if name not in allowed]:
      del form[name]
  return validated(form)


def validated(form):
  """The form when it validates, else the 422 naming each bad field."""
  if not form.validate():
    raise ApiError(422, message=first_error_sentence(form.errors), fields=form.errors)
  return form


def first_error_sentence(errors):
  """A human sentence for the envelope's message: the first failing field and why."""
  for field_name, messages in errors.items():
    if messages:
      return f'{field_name}: {messages[0]}'
  return 'Some fields are not valid.'


def page_cache_query(args):
  """The page arguments a paged answer depends on (the response cache's key, CommonCache)."""
  return read_query(PageQueryForm, args).data
