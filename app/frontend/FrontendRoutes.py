"""The client's routes, known to the server: a path that matches none answers 404.

The SPA registers the same patterns in `app/static/js/main.js` (a test keeps the two lists
equal); the shell is still sent with the 404, and the client draws its not-found page.
"""

import re

# Same syntax as the client's router: `:name` is one path segment.
CLIENT_ROUTES = (
  '/',
  '/search',
  '/login',
  '/signup',
  '/forgot-password',
  '/reset-password',
  '/posts/new',
  '/posts/:id',
  '/posts/:id/edit',
  '/my-posts',
  '/my-dibs',
  '/conversations',
  '/conversations/:id',
  '/profile',
  '/users/:username',
  '/notifications',
  '/verify-email',
  '/watchlist',
  '/saved-searches',
  '/posts/:id/review',
  '/moderation',
  '/moderation/audit',
  '/my-reports',
  '/moderation/held-posts',
)


def route_regex(pattern):
  """The regex of a client pattern, as the client's router builds it (a trailing / allowed)."""
  source = re.sub(r':\w+', '[^/]+', re.escape(pattern).replace(r'\:', ':'))
  return re.compile(f'^{source}/?$')


CLIENT_ROUTE_REGEXES = tuple(route_regex(pattern) for pattern in CLIENT_ROUTES)


def is_client_route(path):
  """True when `path` (starting with /) is a page the client draws."""
  return any(regex.match(path) for regex in CLIENT_ROUTE_REGEXES)
