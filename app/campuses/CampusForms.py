"""Input forms of the campuses area: a campus, a pickup spot, and the `campus` query filter."""

import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from wtforms import Form, StringField
from wtforms.validators import Length, NoneOf, Regexp, StopValidation

from app.campuses.CampusConstants import (
  DOMAIN_PATTERN,
  MAX_DOMAINS_PER_CAMPUS,
  NAME_MAX_LENGTH,
  RESERVED_SLUGS,
  SLUG_MAX_LENGTH,
  SLUG_PATTERN,
  SPOT_NAME_MAX_LENGTH,
  SPOT_NOTES_MAX_LENGTH,
  TIMEZONE_MAX_LENGTH,
)
from app.common.CommonForms import (
  BlankIsAbsent,
  IfPresent,
  JsonField,
  JsonForm,
  JsonStringField,
  OneLine,
  Required,
)

SLUG_MESSAGE = 'Must be lower-case letters and digits, words joined by single hyphens.'
DOMAIN_MESSAGE = 'Must list email domains such as berkeley.edu, each once.'
DOMAIN_REGEX = re.compile(DOMAIN_PATTERN)
RESERVED_SLUG_MESSAGE = 'Is a reserved word: choose another slug.'


def is_timezone(name):
  """Whether `name` is an IANA time zone this machine knows."""
  try:
    ZoneInfo(name)
  except (ZoneInfoNotFoundError, ValueError):
    return False
  return True


def normalize_domains(values):
  """Email domains, lower-cased and stripped (a leading '@' dropped); ValueError unless each
  is a domain and none is given twice."""
  if not isinstance(values, list) or len(values) > MAX_DOMAINS_PER_CAMPUS:
    raise ValueError(f'Must be a list of at most {MAX_DOMAINS_PER_CAMPUS} email domains.')
  domains = []
  for value in values:
    if not isinstance(value, str):
      raise ValueError(DOMAIN_MESSAGE)
    domain = value.strip().lower().lstrip('@')
    if not DOMAIN_REGEX.match(domain) or domain in domains:
      raise ValueError(DOMAIN_MESSAGE)
    domains.append(domain)
  return domains


class JsonDomainListField(JsonField):
  """A JSON list of email domains (see normalize_domains)."""

  type_message = DOMAIN_MESSAGE

  def convert(self, value):
    return normalize_domains(value)


class TimezoneName:
  """An IANA zone name such as America/Los_Angeles."""

  def __call__(self, form, field):
    if not is_timezone(field.data):
      raise StopValidation('Must be an IANA time zone name, like America/Los_Angeles.')


# What a slug must be, whether the form requires it (create) or takes it when present (update).
SLUG_RULES = (
  Length(min=1, max=SLUG_MAX_LENGTH),
  Regexp(SLUG_PATTERN, message=SLUG_MESSAGE),
  NoneOf(RESERVED_SLUGS, message=RESERVED_SLUG_MESSAGE),
)


class CampusUpdateForm(JsonForm):
  """PATCH /api/admin/campuses/<slug>: any of the fields, each optional."""

  is_new = False
  slug = JsonStringField(validators=[IfPresent(), *SLUG_RULES])
  name = JsonStringField(validators=[IfPresent(), OneLine(), Length(min=1, max=NAME_MAX_LENGTH)])
  email_domains = JsonDomainListField(validators=[IfPresent()])
  timezone = JsonStringField(
    validators=[IfPresent(), Length(min=1, max=TIMEZONE_MAX_LENGTH), TimezoneName()]
  )


class CampusCreateForm(CampusUpdateForm):
  """POST /api/admin/campuses: slug and name required; domains and time zone optional."""

  is_new = True
  slug = JsonStringField(validators=[Required(), *SLUG_RULES])
  name = JsonStringField(validators=[Required(), OneLine(), Length(min=1, max=NAME_MAX_LENGTH)])


class PickupSpotForm(JsonForm):
  """POST /api/admin/campuses/<slug>/spots: a name and optional notes."""

  name = JsonStringField(
    validators=[Required(), OneLine(), Length(min=1, max=SPOT_NAME_MAX_LENGTH)]
  )
  notes = JsonStringField(validators=[IfPresent(nullable=True), Length(max=SPOT_NOTES_MAX_LENGTH)])


class CampusQueryForm(Form):
  """`campus`: a campus's slug, or `all` (the same as leaving it out)."""

  campus = StringField(
    validators=[
      BlankIsAbsent(),
      Length(max=SLUG_MAX_LENGTH),
      Regexp(SLUG_PATTERN, message='Must be a campus slug, or all.'),
    ]
  )
