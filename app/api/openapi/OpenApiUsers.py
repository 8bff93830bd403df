"""The auth and users operations of the OpenAPI document."""

from app.api.openapi.OpenApiComponents import USERNAME, ref
from app.api.openapi.OpenApiOperations import (
  PAGE_QUERY,
  json_body,
  operation,
  success_response,
  wrapped,
)
from app.users.UserConstants import (
  BIO_MAX_LENGTH,
  CAMPUS_MAX_LENGTH,
  DISPLAY_NAME_MAX_LENGTH,
  EMAIL_MAX_LENGTH,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  RESERVED_USERNAMES,
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
  'not': {'enum': list(RESERVED_USERNAMES)},
}
DISPLAY_NAME = {'type': 'string', 'pattern': NOT_BLANK, 'maxLength': DISPLAY_NAME_MAX_LENGTH}
USER_RESPONSE = wrapped('user', 'UserPrivate')


def auth_paths():
  """/api/auth/...: CSRF token, signup, login, logout and password resets."""
  return {
    '/api/auth/csrf': {
      'get': operation(
        'get',
        'getCsrfToken',
        'A CSRF token for the X-CSRFToken header of unsafe requests.',
        TAG_AUTH,
        {
          200: success_response(
            'The token, bound to this session.',
            {
              'type': 'object',
              'properties': {'csrf_token': {'type': 'string', 'minLength': 1}},
              'required': ['csrf_token'],
            },
          )
        },
        public=True,
      )
    },
    '/api/auth/session': {
      'get': operation(
        'get',
        'getSession',
        'Who is logged in: the user, or null for a visitor (200 either way, never 401).',
        TAG_AUTH,
        {
          200: success_response(
            'The logged-in user, or null.',
            {
              'type': 'object',
              'properties': {'user': {'oneOf': [ref('UserPrivate'), {'type': 'null'}]}},
              'required': ['user'],
            },
          )
        },
        public=True,
      )
    },
    '/api/auth/signup': {
      'post': operation(
        'post',
        'signup',
        'Create an account and log in.',
        TAG_AUTH,
        {201: success_response('The new account, now logged in.', USER_RESPONSE)},
        public=True,
        body=json_body(
          {
            'email': EMAIL,
            'username': NEW_USERNAME,
            'password': NEW_PASSWORD,
            'display_name': DISPLAY_NAME,
          },
          required=('email', 'username', 'password'),
        ),
        errors=(409,),
        rate_limited=True,
      )
    },
    '/api/auth/login': {
      'post': operation(
        'post',
        'login',
        'Log in with email and password.',
        TAG_AUTH,
        {200: success_response('The logged-in user.', USER_RESPONSE)},
        public=True,
        body=json_body(
          {'email': TYPED_EMAIL, 'password': TYPED_PASSWORD, 'remember': {'type': 'boolean'}},
          required=('email', 'password'),
        ),
        errors=(401,),
        rate_limited=True,
      )
    },
    '/api/auth/logout': {
      'post': operation(
        'post',
        'logout',
        'End the session (harmless when logged out).',
        TAG_AUTH,
        {204: success_response('Logged out.')},
        public=True,
        errors=(415,),
      )
    },
    '/api/auth/password-reset': {
      'post': operation(
        'post',
        'requestPasswordReset',
        'Mail a reset link when the account exists.',
        TAG_AUTH,
        {
          202: success_response(
            'Always, whether or not the account exists (no enumeration).',
            {
              'type': 'object',
              'properties': {'status': {'const': 'accepted'}},
              'required': ['status'],
            },
          )
        },
        public=True,
        body=json_body({'email': EMAIL}, required=('email',)),
        rate_limited=True,
      )
    },
    '/api/auth/password-reset/confirm': {
      'post': operation(
        'post',
        'confirmPasswordReset',
        'Set a new password with the token of a reset link.',
        TAG_AUTH,
        {204: success_response('The password is changed; every other session ends.')},
        public=True,
        body=json_body(
          {
            'token': {'type': 'string', 'pattern': NOT_BLANK, 'maxLength': 200},
            'new_password': NEW_PASSWORD,
          },
          required=('token', 'new_password'),
        ),
        rate_limited=True,
        description='An unknown, used or expired token is a 422 on the `token` field.',
      )
    },
  }


def users_paths():
  """/api/users/...: my profile and password, and other users' public profiles."""
  username_path = (('username', USERNAME),)
  return {
    '/api/users/me': {
      'get': operation(
        'get',
        'getMe',
        'My profile (private view, with email and role).',
        TAG_USERS,
        {200: success_response('The current user.', USER_RESPONSE)},
      ),
      'patch': operation(
        'patch',
        'updateMe',
        'Change my display name, bio or campus (null clears bio and campus).',
        TAG_USERS,
        {200: success_response('The updated user.', USER_RESPONSE)},
        body=json_body(
          {
            'display_name': DISPLAY_NAME,
            'bio': {'type': ['string', 'null'], 'maxLength': BIO_MAX_LENGTH},
            'campus': {'type': ['string', 'null'], 'maxLength': CAMPUS_MAX_LENGTH},
          }
        ),
      ),
    },
    '/api/users/me/password': {
      'put': operation(
        'put',
        'changeMyPassword',
        'Change my password; this session stays, every other one ends.',
        TAG_USERS,
        {204: success_response('The password is changed.')},
        body=json_body(
          {'current_password': TYPED_PASSWORD, 'new_password': NEW_PASSWORD},
          required=('current_password', 'new_password'),
        ),
        description='A wrong current password is a 422 on the `current_password` field.',
      )
    },
    '/api/users/{username}': {
      'get': operation(
        'get',
        'getUser',
        "A user's public profile (no email).",
        TAG_USERS,
        {200: success_response('The user.', wrapped('user', 'UserPublic'))},
        public=True,
        path=username_path,
      )
    },
    '/api/users/{username}/posts': {
      'get': operation(
        'get',
        'listUserPosts',
        "A user's posts, newest first.",
        TAG_USERS,
        {200: success_response('A page of posts.', ref('PostList'))},
        public=True,
        path=username_path,
        query=PAGE_QUERY,
      )
    },
  }
