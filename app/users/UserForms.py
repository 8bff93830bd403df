"""Input forms of the users area."""

import re
import unicodedata

from wtforms.validators import Email, Length, NoneOf, Regexp, ValidationError

from app.common.CommonForms import (
  IfPresent,
  JsonBooleanField,
  JsonForm,
  JsonStringField,
  OneLine,
  Required,
)
from app.users.UserConstants import (
  BIO_MAX_LENGTH,
  DISPLAY_NAME_MAX_LENGTH,
  DISPLAY_NAME_REFUSED_CHARACTERS,
  DISPLAY_NAME_REFUSED_MARKS,
  DISPLAY_NAME_RESERVED_WORDS,
  EMAIL_MAX_LENGTH,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  RESERVED_USERNAMES,
  RESET_TOKEN_MAX_LENGTH,
  USERNAME_PATTERN,
)

PASSWORD_LENGTH_MESSAGE = (
  f'Must be between {PASSWORD_MIN_LENGTH} and {PASSWORD_MAX_LENGTH} characters.'
)


REFUSED_CHARACTER_PATTERN = re.compile(f'[{DISPLAY_NAME_REFUSED_CHARACTERS}]')
REFUSED_MARK_PATTERN = re.compile(f'[{DISPLAY_NAME_REFUSED_MARKS}]')
RESERVED_WORD_PATTERN = re.compile(
  r'\b(?:' + '|'.join(DISPLAY_NAME_RESERVED_WORDS) + r')\b', re.IGNORECASE
)


def to_nfc(value):
  """One spelling per text: composed (NFC), so é typed either way is the same name."""
  return unicodedata.normalize('NFC', value) if isinstance(value, str) else value


def is_visible(character):
  """True for a character that draws something: not a space, control, format or mark."""
  return unicodedata.category(character)[0] not in 'ZCM'


class DisplayNameRules:
  """No bidi controls or invisible characters, at least one visible character, and no
  pretending to be Dibz or verified."""

  def __call__(self, form, field):
    name = field.data or ''
    if REFUSED_CHARACTER_PATTERN.search(name):
      raise ValidationError('Must not contain direction controls or invisible characters.')
    if not any(is_visible(character) for character in name):
      raise ValidationError('Must contain a visible character.')
    folded = unicodedata.normalize('NFKC', name)
    if REFUSED_MARK_PATTERN.search(folded) or RESERVED_WORD_PATTERN.search(folded):
      raise ValidationError('Must not look like an official or verified Dibz account.')


def display_name_field():
  return JsonStringField(
    filters=[to_nfc],
    validators=[
      IfPresent(),
      OneLine(),
      Length(min=1, max=DISPLAY_NAME_MAX_LENGTH),
      DisplayNameRules(),
    ],
  )


def email_field():
  return JsonStringField(
    validators=[
      Required(),
      Length(max=EMAIL_MAX_LENGTH),
      Email(message='Must be a valid email address.'),
    ]
  )


def new_password_field():
  # Passwords are not stripped: spaces a user typed are part of the password.
  return JsonStringField(
    strip=False,
    validators=[
      Required(),
      Length(min=PASSWORD_MIN_LENGTH, max=PASSWORD_MAX_LENGTH, message=PASSWORD_LENGTH_MESSAGE),
    ],
  )


class SignupForm(JsonForm):
  email = email_field()
  username = JsonStringField(
    validators=[
      Required(),
      Regexp(USERNAME_PATTERN, message='Must be 3 to 30 lower-case letters, digits or _.'),
      NoneOf(RESERVED_USERNAMES, message='That username is reserved.'),
    ]
  )
  password = new_password_field()
  display_name = display_name_field()


class LoginForm(JsonForm):
  email = JsonStringField(validators=[Required(), Length(max=EMAIL_MAX_LENGTH)])
  password = JsonStringField(strip=False, validators=[Required(), Length(max=PASSWORD_MAX_LENGTH)])
  remember = JsonBooleanField(validators=[IfPresent()])


class PasswordResetRequestForm(JsonForm):
  email = email_field()


class PasswordResetConfirmForm(JsonForm):
  token = JsonStringField(validators=[Required(), Length(max=RESET_TOKEN_MAX_LENGTH)])
  new_password = new_password_field()


class EmailVerificationForm(JsonForm):
  token = JsonStringField(validators=[Required(), Length(max=RESET_TOKEN_MAX_LENGTH)])


class ProfileForm(JsonForm):
  display_name = display_name_field()
  bio = JsonStringField(validators=[IfPresent(nullable=True), Length(max=BIO_MAX_LENGTH)])


class PasswordChangeForm(JsonForm):
  current_password = JsonStringField(
    strip=False, validators=[Required(), Length(max=PASSWORD_MAX_LENGTH)]
  )
  new_password = new_password_field()
