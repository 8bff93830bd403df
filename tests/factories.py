"""Small factories: each call makes a fresh row with unique names."""

import itertools

from app.users.UserConstants import ROLE_ADMIN, ROLE_USER
from app.users.UserHelpers import create_user

DEFAULT_PASSWORD = 'correct horse battery'
_SEQUENCE = itertools.count(1)


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
    from app.extensions import db

    for name, value in fields.items():
      setattr(user, name, value)
    db.session.commit()
  return user


def make_post(seller=None, title=None, **fields):
  """A post saved in the database (a new seller is made when none is given)."""
  from app.extensions import db
  from app.posts.PostModels import Post

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
