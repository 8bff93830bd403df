"""Small factories: each call makes a fresh row with unique names."""

import itertools

from app.campuses.CampusHelpers import add_spot, create_campus, get_campus
from app.chat.ChatModels import Conversation, Message
from app.common.CommonHelpers import utc_now
from app.extensions import db
from app.posts.PostConstants import DIB_WAITING
from app.posts.PostModels import Dib, Post
from app.users.UserConstants import ROLE_ADMIN, ROLE_USER
from app.users.UserHelpers import create_user

DEFAULT_PASSWORD = 'correct horse battery'
_SEQUENCE = itertools.count(1)


def make_campus(slug='north', name=None, domains=(), timezone='UTC', spots=()):
  """A campus saved in the database, with these email domains and pickup spot names."""
  create_campus(
    {
      'slug': slug,
      'name': name or f'{slug.title()} Campus',
      'email_domains': list(domains),
      'timezone': timezone,
    }
  )
  for spot_name in spots:
    add_spot(slug, spot_name)
  return get_campus(slug)


def make_user(username=None, email=None, password=DEFAULT_PASSWORD, admin=False, **fields):
  """A user saved in the database; log in with DEFAULT_PASSWORD."""
  number = next(_SEQUENCE)
  username = username or f'student{number}'
  user = create_user(
    email or f'{username}@example.edu',
    username,
    password,
    fields.pop('display_name', None),
    role=ROLE_ADMIN if admin else ROLE_USER,
  )
  if fields:
    for name, value in fields.items():
      setattr(user, name, value)
    db.session.commit()
  return user


def make_post(seller=None, title=None, **fields):
  """A post saved in the database (a new seller is made when none is given)."""
  number = next(_SEQUENCE)
  post = Post(
    seller_id=(seller or make_user()).id,
    title=title or f'Demo item {number}',
    description=fields.pop('description', f'A demo item, number {number}.'),
    price_cents=fields.pop('price_cents', 1000 + number),
    category=fields.pop('category', 'other'),
    condition=fields.pop('condition', 'good'),
    **fields,
  )
  db.session.add(post)
  db.session.commit()
  return post


def make_dib(post, buyer=None, status=DIB_WAITING):
  """A dib on `post` saved in the database (a new buyer is made when none is given); the
  post's status is left as it is, so a test sets up the states it needs."""
  dib = Dib(post_id=post.id, user_id=(buyer or make_user()).id, status=status)
  db.session.add(dib)
  db.session.commit()
  return dib


def make_conversation(post, buyer=None):
  """The conversation of `buyer` (a new user when none is given) with the seller of `post`."""
  conversation = Conversation(
    post_id=post.id, buyer_id=(buyer or make_user()).id, seller_id=post.seller_id
  )
  db.session.add(conversation)
  db.session.commit()
  return conversation


def make_message(conversation, sender, body=None):
  """A message of `sender` (a participant) that moves the conversation up the inboxes, as
  sending through the API does."""
  now = utc_now()
  message = Message(
    conversation_id=conversation.id,
    sender_id=sender.id,
    body=body or f'Message {next(_SEQUENCE)}',
    created_at=now,
  )
  conversation.last_activity_at = now
  db.session.add(message)
  db.session.commit()
  return message
