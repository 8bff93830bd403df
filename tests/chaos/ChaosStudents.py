"""A few hundred students using Dibz through nginx: browse, search, sign up, post with a photo,
call dibs, accept, mark sold, message, read notifications; some keep a live stream open.

Each student is a SpaClient (tests/chaos/ChaosHttp.py). A pool of threads takes turns acting
for them, each action followed by a pause (students think), so the load is a few hundred
people, not a benchmark. Every write acknowledged (2xx) is kept in `Acknowledged`, which the
checks look for in the database afterwards.
"""

import io
import random
import threading
import time
from collections import defaultdict

from PIL import Image

from tests.chaos.ChaosHttp import SpaClient
from tests.chaos.ChaosStreams import LiveStream

WORDS = ('lamp', 'desk', 'bike', 'chair', 'kettle', 'monitor', 'textbook', 'guitar', 'fan', 'rug')
CATEGORIES = ('furniture', 'electronics', 'textbooks', 'other')
PASSWORD = 'chaos-run-password-1'
# (action, weight): most of a student's time is reading.
ACTIONS = (
  ('browse', 30),
  ('search', 15),
  ('read_post', 15),
  ('notifications', 10),
  ('post', 6),
  ('dibs', 10),
  ('answer_dibs', 6),
  ('message', 8),
)


def photo_bytes():
  """A small JPEG, as a phone's photo is (smaller)."""
  image = Image.new('RGB', (320, 240), (random.randint(0, 255), 120, 80))  # nosec B311
  buffer = io.BytesIO()
  image.save(buffer, 'JPEG', quality=80)
  return buffer.getvalue()


class Acknowledged:
  """Writes a client saw succeed: {kind: [(detail...), ...]}."""

  def __init__(self):
    self.writes = defaultdict(list)
    self.lock = threading.Lock()

  def add(self, kind, *detail):
    with self.lock:
      self.writes[kind].append(detail)

  def get(self, kind):
    with self.lock:
      return list(self.writes[kind])


class Student:
  """One student: a client, an account once signed up, their posts and conversations."""

  def __init__(self, number, host, port, log):
    self.number = number
    self.username = f'chaos_student{number}'
    self.client = SpaClient(host, port, log)
    self.user_id = None
    self.posts = []
    self.conversations = {}
    self.sequence = 0
    self.stream = None
    self.busy = threading.Lock()

  def next_label(self):
    self.sequence += 1
    return f'{self.username}-{self.sequence}'


class Campus:
  """The students, the posts they can see, and the threads acting for them."""

  def __init__(self, host, port, log, students, threads, streams):
    self.log = log
    self.students = [Student(number, host, port, log) for number in range(students)]
    self.thread_count = threads
    self.stream_count = streams
    self.acknowledged = Acknowledged()
    self.open_posts = []
    self.posts_lock = threading.Lock()
    self.stopping = threading.Event()
    # Streams outlive the traffic: events of the last writes and jobs still reach them.
    self.streams_stopping = threading.Event()
    self.threads = []
    self.photo = photo_bytes()

  def start(self, signup_spread_seconds):
    """Threads act for students; student i may act from i/N of the spread on (sign-ups
    come during the run, not all at once)."""
    self.started = time.time()
    self.signup_spread = signup_spread_seconds
    for index in range(self.thread_count):
      thread = threading.Thread(target=self.act_forever, args=(index,), daemon=True)
      thread.start()
      self.threads.append(thread)

  def stop(self):
    """Stop acting (the streams stay open until `close_streams`)."""
    self.stopping.set()
    for thread in self.threads:
      thread.join(timeout=30)

  def close_streams(self):
    self.streams_stopping.set()
    for stream in self.streams():
      stream.close()
    for stream in self.streams():
      stream.join(timeout=10)

  def streams(self):
    return [student.stream for student in self.students if student.stream is not None]

  def awake_students(self):
    elapsed = time.time() - self.started
    share = 1.0 if self.signup_spread <= 0 else min(1.0, elapsed / self.signup_spread)
    return self.students[: max(1, int(len(self.students) * share))]

  def act_forever(self, index):
    chooser = random.Random(index)  # nosec B311 # traffic, not secrets
    while not self.stopping.is_set():
      student = chooser.choice(self.awake_students())
      if not student.busy.acquire(blocking=False):
        continue
      try:
        self.act(student, chooser)
      except Exception as error:  # noqa: BLE001 # a client bug must not stop the traffic
        print(f'chaos: {student.username}: {type(error).__name__}: {error}')
      finally:
        student.busy.release()
      self.stopping.wait(chooser.uniform(0.2, 1.2))

  def act(self, student, chooser):
    if student.user_id is None:
      return self.signup(student)
    names, weights = zip(*ACTIONS, strict=True)
    action = chooser.choices(names, weights)[0]
    return getattr(self, action)(student, chooser)

  def signup(self, student):
    if not student.client.refresh_csrf():
      return
    answer = student.client.request(
      'POST',
      '/api/auth/signup',
      {
        'username': student.username,
        'email': f'{student.username}@example.edu',
        'password': PASSWORD,
        'display_name': f'Student {student.number}',
      },
      route='POST /api/auth/signup',
    )
    if answer.ok:
      student.user_id = answer.body['user']['id']
      self.acknowledged.add('signups', student.username, student.user_id)
      student.client.refresh_csrf()
      if student.number % max(1, len(self.students) // max(1, self.stream_count)) == 0:
        student.stream = LiveStream(student.client, self.streams_stopping, student.user_id)
        student.stream.start()

  def browse(self, student, chooser):
    page = chooser.randint(1, 3)
    student.client.request('GET', f'/api/posts?page={page}', route='GET /api/posts', public=True)

  def search(self, student, chooser):
    word = chooser.choice(WORDS)
    route = 'GET /api/search/posts'
    student.client.request('GET', f'/api/search/posts?q={word}', route=route, public=True)

  def read_post(self, student, chooser):
    post = self.pick_post(chooser)
    if post is not None:
      route = 'GET /api/posts/<id>'
      student.client.request('GET', f'/api/posts/{post[0]}', route=route, public=True)

  def notifications(self, student, chooser):
    answer = student.client.request('GET', '/api/notifications', route='GET /api/notifications')
    items = answer.body.get('items') if answer.ok else None
    if items and chooser.random() < 0.5:
      newest = max(item['id'] for item in items)
      route = 'POST /api/notifications/read'
      student.client.request('POST', '/api/notifications/read', {'up_to': newest}, route=route)

  def post(self, student, chooser):
    if len(student.posts) >= 8:
      return self.answer_dibs(student, chooser)
    label = student.next_label()
    answer = student.client.request(
      'POST',
      '/api/posts',
      {
        'title': f'{chooser.choice(WORDS).title()} {label}',
        'description': f'Posted during the chaos run ({label}).',
        'price_cents': chooser.randint(100, 9000),
        'category': chooser.choice(CATEGORIES),
        'condition': 'good',
      },
      route='POST /api/posts',
    )
    if not answer.ok:
      return
    post_id = answer.body['post']['id']
    self.acknowledged.add('posts', post_id, student.user_id, label)
    student.posts.append(post_id)
    with self.posts_lock:
      self.open_posts.append((post_id, student.user_id))
    photo = student.client.request(
      'POST',
      f'/api/posts/{post_id}/images',
      route='POST /api/posts/<id>/images',
      upload=('image', f'{label}.jpg', 'image/jpeg', self.photo),
    )
    if photo.ok:
      self.acknowledged.add('photos', post_id, photo.body['image']['id'])

  def pick_post(self, chooser, not_by=None):
    with self.posts_lock:
      candidates = [post for post in self.open_posts[-200:] if post[1] != not_by]
    return chooser.choice(candidates) if candidates else None

  def dibs(self, student, chooser):
    post = self.pick_post(chooser, not_by=student.user_id)
    if post is None:
      return
    route = 'POST /api/posts/<id>/dibs'
    answer = student.client.request('POST', f'/api/posts/{post[0]}/dibs', {}, route=route)
    if answer.ok:
      self.acknowledged.add('dibs', answer.body['dib']['id'], post[0], student.user_id)

  def answer_dibs(self, student, chooser):
    if not student.posts:
      return
    post_id = chooser.choice(student.posts)
    route = 'GET /api/posts/<id>/dibs'
    queue = student.client.request('GET', f'/api/posts/{post_id}/dibs', route=route)
    if not queue.ok:
      return
    dibs = queue.body.get('items') or []
    accepted = [dib for dib in dibs if dib.get('status') == 'accepted']
    waiting = [dib for dib in dibs if dib.get('status') == 'waiting']
    if accepted and chooser.random() < 0.5:
      route = 'POST /api/posts/<id>/sold'
      answer = student.client.request('POST', f'/api/posts/{post_id}/sold', {}, route=route)
      if answer.ok:
        self.acknowledged.add('sold', post_id)
        student.posts.remove(post_id)
        with self.posts_lock:
          self.open_posts = [post for post in self.open_posts if post[0] != post_id]
    elif waiting and not accepted:
      dib_id = waiting[0]['id']
      route = 'POST /api/dibs/<id>/accept'
      answer = student.client.request('POST', f'/api/dibs/{dib_id}/accept', {}, route=route)
      if answer.ok:
        self.acknowledged.add('accepts', dib_id, post_id)

  def message(self, student, chooser):
    post = self.pick_post(chooser, not_by=student.user_id)
    if post is None:
      return
    conversation_id = student.conversations.get(post[0])
    if conversation_id is None:
      route = 'POST /api/posts/<id>/conversations'
      answer = student.client.request(
        'POST', f'/api/posts/{post[0]}/conversations', {}, route=route
      )
      if not answer.ok:
        return
      conversation_id = answer.body['conversation']['id']
      student.conversations[post[0]] = conversation_id
    text = f'Is it still there? ({student.next_label()})'
    route = 'POST /api/conversations/<id>/messages'
    answer = student.client.request(
      'POST', f'/api/conversations/{conversation_id}/messages', {'body': text}, route=route
    )
    if answer.ok:
      self.acknowledged.add('messages', answer.body['message']['id'], conversation_id, text)
