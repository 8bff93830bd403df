"""The requests the bench measures, and capturing each one's real answer for the baseline."""

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote_plus

from bench.BaselineApp import request_key
from bench.BenchClient import http_request
from bench.BenchLoad import LUA_FOLDER

DEFAULT_SEARCH_QUERY = 'desk lamp'
POST_MESSAGE_SCRIPT = LUA_FOLDER / 'PostMessage.lua'
POST_MESSAGE_BODY = {'body': 'Is this still available? I can pick it up today.'}
WARM_UP_REQUESTS = 20
LIST_PATH = '/api/posts?per_page=20'
VISIBILITY_POST = {
  'title': 'Bench visibility check lamp',
  'description': 'Created by the bench to check that a write is seen by the next read.',
  'price_cents': 1200,
  'category': 'electronics',
  'condition': 'good',
}


@dataclass
class Endpoint:
  """One request the load repeats; `key` names it in targets and results."""

  key: str
  label: str
  method: str
  path: str
  body: dict | None = None
  script: Path | None = None
  # Sent without the session cookie, as a visitor who is not logged in.
  anonymous: bool = False

  @property
  def is_write(self):
    return self.method != 'GET'

  def headers(self, session):
    """The request headers of this endpoint for the logged-in `session`."""
    return {} if self.anonymous else session.headers(with_csrf=self.is_write)

  def capture_key(self):
    path, _, query = self.path.partition('?')
    return request_key(self.method, path, query)


def search_endpoint(search_query):
  return Endpoint(
    'search',
    'GET /api/search/posts?q=…',
    'GET',
    f'/api/search/posts?q={quote_plus(search_query)}',
  )


def build_endpoints(dataset, search_query=DEFAULT_SEARCH_QUERY):
  """Every measured request for `dataset`; the chat ones when the schema has chat tables."""
  endpoints = [
    Endpoint('health', 'GET /api/health', 'GET', '/api/health'),
    Endpoint('me', 'GET /api/users/me', 'GET', '/api/users/me'),
    Endpoint('user', 'GET /api/users/{username}', 'GET', '/api/users/student000002'),
    Endpoint('posts_list', 'GET /api/posts (20 per page)', 'GET', LIST_PATH),
    Endpoint(
      'posts_list_anonymous',
      'GET /api/posts (20 per page), anonymous',
      'GET',
      LIST_PATH,
      anonymous=True,
    ),
    Endpoint('post_detail', 'GET /api/posts/{id}', 'GET', f'/api/posts/{dataset.post_id}'),
    search_endpoint(search_query),
  ]
  if dataset.polled_conversation_id is not None:
    conversation_id = dataset.polled_conversation_id
    endpoints += [
      Endpoint('conversations', 'GET /api/conversations', 'GET', '/api/conversations'),
      Endpoint(
        'messages',
        'GET /api/conversations/{id}/messages?after=',
        'GET',
        f'/api/conversations/{conversation_id}/messages?after={dataset.messages_after_id}',
      ),
      Endpoint(
        'post_message',
        'POST /api/conversations/{id}/messages',
        'POST',
        f'/api/conversations/{dataset.posted_conversation_id}/messages',
        body=POST_MESSAGE_BODY,
        script=POST_MESSAGE_SCRIPT,
      ),
    ]
  return endpoints


def capture_responses(port, session, endpoints):
  """Ask the app each endpoint once; returns (captures for the baseline, {key: answer},
  {key: status of those not answered with a 2xx})."""
  captures, answers, unavailable = {}, {}, {}
  for endpoint in endpoints:
    answer = http_request(
      port, endpoint.method, endpoint.path, headers=endpoint.headers(session), body=endpoint.body
    )
    if not 200 <= answer.status < 300:
      unavailable[endpoint.key] = answer.status
      continue
    answers[endpoint.key] = answer
    captures[endpoint.capture_key()] = {
      'status': answer.status,
      'content_type': answer.content_type,
      'body': answer.body.decode(),
    }
  return captures, answers, unavailable


def warm_up(port, session, endpoints):
  """A few requests per read endpoint, so both workers have loaded and compiled what they
  need before the clock starts."""
  for endpoint in endpoints:
    if endpoint.is_write:
      continue
    for _ in range(WARM_UP_REQUESTS):
      http_request(port, endpoint.method, endpoint.path, headers=endpoint.headers(session))


def check_write_visibility(port, session):
  """Through the API, with the cache hot: create a post, edit it, withdraw it, reading the list
  and the post after each write. Returns (passed, what happened)."""
  headers = session.headers(with_csrf=True)

  def list_ids():
    return [item['id'] for item in http_request(port, 'GET', LIST_PATH).json()['items']]

  def post_title(post_id):
    return http_request(port, 'GET', f'/api/posts/{post_id}').json()['post']['title']

  list_ids()
  created = http_request(port, 'POST', '/api/posts', headers=headers, body=VISIBILITY_POST)
  if created.status != 201:
    return False, f'creating the post answered {created.status}'
  post_id = created.json()['post']['id']
  steps = [list_ids()[:1] == [post_id]]
  post_title(post_id)
  edit = {'title': 'Bench visibility check lamp, edited'}
  http_request(port, 'PATCH', f'/api/posts/{post_id}', headers=headers, body=edit)
  steps.append(post_title(post_id) == edit['title'])
  http_request(port, 'DELETE', f'/api/posts/{post_id}', headers=headers)
  steps.append(post_id not in list_ids())
  seen = ', '.join(
    f'{name} {"seen" if ok else "NOT seen"}'
    for name, ok in zip(('create', 'edit', 'withdraw'), steps, strict=True)
  )
  return all(steps), seen
