"""The auth and users operations of the OpenAPI document, as tables."""

from app.api.openapi.OpenApiComponents import (
  INTEGER_ID,
  NOTIFICATION_SETTINGS,
  STRING,
  TIMESTAMP,
  USERNAME,
  obj,
  ref,
)
from app.api.openapi.OpenApiOperations import (
  AFTER_QUERY,
  PAGE_QUERY,
  json_body,
  paths_from_table,
  wrapped,
)
from app.users.UserConstants import (
  BIO_MAX_LENGTH,
  DISPLAY_NAME_MAX_LENGTH,
  EMAIL_MAX_LENGTH,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  RESET_TOKEN_MAX_LENGTH,
  USERNAME_PATTERN,
)

TAG_AUTH = 'auth'
TAG_USERS = 'users'
# Required strings are stripped by the forms: one that is only white space counts as missing.
NOT_BLANK = r'\S'

EMAIL = {'type': 'string', 'format': 'email', 'maxLength': EMAIL_MAX_LENGTH}
TYPED_EMAIL = {'type': 'string', 'pattern': NOT_BLANK, 'maxLength': EMAIL_MAX_LENGTH}
NEW_PASSWORD = {
  'type': 'string',
  'minLength': PASSWORD_MIN_LENGTH,
  'maxLength': PASSWORD_MAX_LENGTH,
  'pattern': NOT_BLANK,
}
TYPED_PASSWORD = {'type': 'string', 'pattern': NOT_BLANK, 'maxLength': PASSWORD_MAX_LENGTH}
NEW_USERNAME = {
  'type': 'string',
  'pattern': USERNAME_PATTERN,
  'not': ref('ReservedUsername'),
}
# Refused with a 422 on input (CommonForms.OneLine): the name goes into mails.
ONE_LINE = 'One line: a control character (newline, CR, tab, C1, DEL) or U+2028/U+2029 is a 422.'
DISPLAY_NAME = {
  'type': 'string',
  'pattern': NOT_BLANK,
  'maxLength': DISPLAY_NAME_MAX_LENGTH,
  'description': ONE_LINE,
}
RESET_TOKEN = {'type': 'string', 'pattern': NOT_BLANK, 'maxLength': RESET_TOKEN_MAX_LENGTH}
USER_RESPONSE = wrapped('user', 'UserPrivate')
ME_RESPONSE = wrapped('user', 'UserMe')
ACCEPTED = obj({'status': {'const': 'accepted'}})
USERNAME_PATH = (('username', USERNAME),)
LOGIN_SESSION = obj(
  {
    'id': INTEGER_ID,
    'created_at': TIMESTAMP,
    'last_seen_at': TIMESTAMP,
    'user_agent': STRING,
    'address': {'type': 'string', 'description': 'The /24 (IPv4) or /48 (IPv6) network.'},
    'remember': {'type': 'boolean'},
    'current': {'type': 'boolean', 'description': 'The session making this request.'},
  }
)
SIGNUP_BODY = json_body(
  {
    'email': EMAIL,
    'username': NEW_USERNAME,
    'password': NEW_PASSWORD,
    'display_name': DISPLAY_NAME,
  },
  required=('email', 'username', 'password'),
)
LOGIN_BODY = json_body(
  {'email': TYPED_EMAIL, 'password': TYPED_PASSWORD, 'remember': {'type': 'boolean'}},
  required=('email', 'password'),
)
PROFILE_BODY = json_body(
  {
    'display_name': DISPLAY_NAME,
    'bio': {'type': ['string', 'null'], 'maxLength': BIO_MAX_LENGTH},
    'notification_settings': NOTIFICATION_SETTINGS,
  }
)
PUBLIC = {'public': True}

# (METHOD /path, operationId, summary, {status: (description, schema)}, other arguments)
AUTH_OPERATIONS = (
  (
    'GET /api/auth/csrf',
    'getCsrfToken',
    'A CSRF token for the X-CSRFToken header of unsafe requests.',
    {
      200: (
        'The token, bound to this session.',
        obj({'csrf_token': {'type': 'string', 'minLength': 1}}),
      )
    },
    PUBLIC,
  ),
  (
    'GET /api/auth/session',
    'getSession',
    'Who is logged in: the user, or null for a visitor (200 either way, never 401).',
    {
      200: (
        'The logged-in user, or null.',
        obj({'user': {'oneOf': [ref('UserPrivate'), {'type': 'null'}]}}),
      )
    },
    PUBLIC,
  ),
  (
    'POST /api/auth/signup',
    'signup',
    'Create an account and log in.',
    {201: ('The new account, now logged in.', USER_RESPONSE)},
    {**PUBLIC, 'body': SIGNUP_BODY, 'errors': (409,), 'rate_limited': True},
  ),
  (
    'POST /api/auth/login',
    'login',
    'Log in with email and password.',
    {200: ('The logged-in user.', USER_RESPONSE)},
    {**PUBLIC, 'body': LOGIN_BODY, 'errors': (401,), 'rate_limited': True, 'idempotent': False},
  ),
  (
    'POST /api/auth/logout',
    'logout',
    'End the session (harmless when logged out).',
    {204: ('Logged out.',)},
    {**PUBLIC, 'errors': (415,), 'idempotent': False},
  ),
  (
    'POST /api/auth/password-reset',
    'requestPasswordReset',
    'Mail a reset link when the account exists.',
    {
      202: (
        'Always, at once, whether or not the account exists: a job looks it up and mails.',
        ACCEPTED,
      )
    },
    {**PUBLIC, 'body': json_body({'email': EMAIL}, required=('email',)), 'rate_limited': True},
  ),
  (
    'POST /api/auth/password-reset/confirm',
    'confirmPasswordReset',
    'Set a new password with the token of a reset link.',
    {204: ('The password is changed; every other session ends.',)},
    {
      **PUBLIC,
      'body': json_body(
        {'token': RESET_TOKEN, 'new_password': NEW_PASSWORD}, required=('token', 'new_password')
      ),
      'rate_limited': True,
      'description': 'An unknown, used or expired token is a 422 on the `token` field.',
    },
  ),
  (
    'POST /api/auth/verify-email',
    'verifyEmail',
    'Verify my email address with the token of the link mailed at sign-up, logged in as me.',
    {
      200: (
        'Verified; the domain now shown as verified_campus.',
        obj({'verified_campus': {'type': ['string', 'null']}}),
      )
    },
    {
      'errors': (403,),
      'body': json_body({'token': RESET_TOKEN}, required=('token',)),
      'rate_limited': True,
      'description': (
        'The link verifies only for the logged-in owner of the account it was mailed for: '
        'without a login it is a 401 (log in, then open the link again); a live token of '
        'another account is a 403 and changes nothing (someone who signed up with your address '
        'cannot have you verify it). An unknown, used or expired token is a 422 on the `token` '
        'field.'
      ),
    },
  ),
  (
    'POST /api/auth/verify-email/resend',
    'resendVerificationEmail',
    'Mail me a new verification link.',
    {202: ('A job mails the link.', ACCEPTED)},
    {
      'errors': (409, 415),
      'rate_limited': True,
      'description': '409 when the address is already verified.',
    },
  ),
  (
    'GET /api/auth/sessions',
    'listMySessions',
    'Where I am logged in: my live sessions, most recently used first.',
    {200: ('My sessions.', obj({'items': {'type': 'array', 'items': LOGIN_SESSION}}))},
    {},
  ),
  (
    'DELETE /api/auth/sessions/{session_id}',
    'endMySession',
    'End one of my sessions (ending the current one logs this client out).',
    {204: ('The session is ended.',)},
    {'path': (('session_id', INTEGER_ID),)},
  ),
  (
    'POST /api/auth/sessions/revoke-others',
    'endMyOtherSessions',
    'End every session of mine except this one.',
    {200: ('How many sessions ended.', obj({'ended': {'type': 'integer', 'minimum': 0}}))},
    {'errors': (415,)},
  ),
)

USERS_OPERATIONS = (
  (
    'GET /api/users/me',
    'getMe',
    'My profile (private view, with email, role and unread notifications).',
    {200: ('The current user.', ME_RESPONSE)},
    {
      'cached': True,
      'description': 'Cached per login session (`Cache-Control: private, no-cache`, `Vary: '
      'Cookie`); any change to me, my sessions or my notifications is in the next answer.',
    },
  ),
  (
    'PATCH /api/users/me',
    'updateMe',
    'Change my display name, bio (null clears it) or which notifications are mailed to me; '
    'the campus follows the email address.',
    {200: ('The updated user.', ME_RESPONSE)},
    {'body': PROFILE_BODY},
  ),
  (
    'PUT /api/users/me/password',
    'changeMyPassword',
    'Change my password; this session stays, every other one ends.',
    {204: ('The password is changed.',)},
    {
      'body': json_body(
        {'current_password': TYPED_PASSWORD, 'new_password': NEW_PASSWORD},
        required=('current_password', 'new_password'),
      ),
      'description': 'A wrong current password is a 422 on the `current_password` field.',
    },
  ),
  (
    'GET /api/users/{username}',
    'getUser',
    "A user's public profile (no email).",
    {200: ('The user.', wrapped('user', 'UserPublic'))},
    {**PUBLIC, 'cached': True, 'path': USERNAME_PATH},
  ),
  (
    'GET /api/users/{username}/posts',
    'listUserPosts',
    "A user's posts, newest first.",
    {200: ('A page of posts.', ref('PostList'))},
    {**PUBLIC, 'cached': True, 'path': USERNAME_PATH, 'query': (*PAGE_QUERY, AFTER_QUERY)},
  ),
)


def auth_paths():
  """/api/auth/...: CSRF token, signup, login, logout, password resets and my sessions."""
  return paths_from_table(TAG_AUTH, AUTH_OPERATIONS)


def users_paths():
  """/api/users/...: my profile and password, and other users' public profiles."""
  return paths_from_table(TAG_USERS, USERS_OPERATIONS)
