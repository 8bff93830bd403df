"""Input forms of the users area."""

from wtforms.validators import Email, Length, NoneOf, Regexp

from app.common.CommonForms import (
  IfPresent,
  JsonBooleanField,
  JsonForm,
  JsonStringField,
  Required,
)
from app.users.UserConstants import (
  BIO_MAX_LENGTH,
  CAMPUS_MAX_LENGTH,
  DISPLAY_NAME_MAX_LENGTH,
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
  display_name = JsonStringField(
    validators=[IfPresent(), Length(min=1, max=DISPLAY_NAME_MAX_LENGTH)]
  )


class LoginForm(JsonForm):
  email = JsonStringField(validators=[Required(), Length(max=EMAIL_MAX_LENGTH)])
  password = JsonStringField(strip=False, validators=[Required(), Length(max=PASSWORD_MAX_LENGTH)])
  remember = JsonBooleanField(validators=[IfPresent()])


class PasswordResetRequestForm(JsonForm):
  email = email_field()


class PasswordResetConfirmForm(JsonForm):
  token = JsonStringField(validators=[Required(), Length(max=RESET_TOKEN_MAX_LENGTH)])
  new_password = new_password_field()


class ProfileForm(JsonForm):
  display_name = JsonStringField(
    validators=[IfPresent(), Length(min=1, max=DISPLAY_NAME_MAX_LENGTH)]
  )
  bio = JsonStringField(validators=[IfPresent(nullable=True), Length(max=BIO_MAX_LENGTH)])
  campus = JsonStringField(validators=[IfPresent(nullable=True), Length(max=CAMPUS_MAX_LENGTH)])


class PasswordChangeForm(JsonForm):
  current_password = JsonStringField(
    strip=False, validators=[Required(), Length(max=PASSWORD_MAX_LENGTH)]
  )
  new_password = new_password_field()
