"""Demo posts for a local database: a believable marketplace, created idempotently.

The plan is computed from a fixed random seed, whatever the database holds, and a post is
identified by its seller and title: a second run finds every planned post and adds nothing,
and a run asking for more posts adds only the missing ones.
"""

import random
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select

from app.common.CommonHelpers import utc_now
from app.demo.DemoData import CATALOG, CONDITION_WEIGHTS
from app.demo.DemoPictures import demo_picture
from app.extensions import db
from app.posts.PostConstants import (
  DIB_ACCEPTED,
  DIB_CANCELLED,
  DIB_DECLINED,
  DIB_WAITING,
  STATUS_AVAILABLE,
  STATUS_PENDING,
  STATUS_SOLD,
  STATUS_WITHDRAWN,
)
from app.posts.PostImageHelpers import store_image
from app.posts.PostModels import Dib, Post

RANDOM_SEED = 2026
# Share of posts in each final status; the rest stay available.
STATUS_WEIGHTS = (
  (STATUS_AVAILABLE, 70),
  (STATUS_PENDING, 12),
  (STATUS_SOLD, 12),
  (STATUS_WITHDRAWN, 6),
)
# Nearly every demo post has a picture, as on a real marketplace; one in twenty-five has none,
# so the placeholder stays visible too.
POSTS_WITHOUT_PICTURE_EVERY = 25


@dataclass
class PlannedPost:
  """One demo post to create, with its dibs as (buyer, status) in queue order."""

  seller: object
  title: str
  description: str
  category: str
  price_cents: int
  condition: str
  status: str
  age: timedelta
  with_image: bool
  dibs: list = field(default_factory=list)


def catalog_entries():
  """(category, title, description, low, high) of the catalogue, the calculator first."""
  entries = [(category, *item) for category, items in CATALOG.items() for item in items]
  first, rest = entries[:1], entries[1:]
  random.Random(RANDOM_SEED).shuffle(rest)  # nosec B311 # reproducible demo data, not security
  return first + rest


def plan_dibs(rng, status, buyers):
  """The (buyer, status) dibs of a post, in queue order, consistent with its status."""
  count = rng.choice((0, 0, 1, 1, 2, 3, 4)) if status == STATUS_AVAILABLE else rng.randint(1, 4)
  chosen = rng.sample(buyers, min(count, len(buyers)))
  dibs = []
  for index, buyer in enumerate(chosen):
    if status in (STATUS_PENDING, STATUS_SOLD) and index == 0:
      dib_status = DIB_ACCEPTED
    elif status == STATUS_WITHDRAWN or (status == STATUS_SOLD and index > 0):
      dib_status = DIB_DECLINED
    else:
      dib_status = rng.choices((DIB_WAITING, DIB_CANCELLED, DIB_DECLINED), (6, 2, 1))[0]
    dibs.append((buyer, dib_status))
  return dibs


def plan_posts(sellers, post_count):
  """The planned posts: each catalogue item once per seller pass, until `post_count`."""
  rng = random.Random(RANDOM_SEED)  # nosec B311 # reproducible demo data, not security
  entries = catalog_entries()
  conditions, condition_weights = zip(*CONDITION_WEIGHTS, strict=True)
  statuses, status_weights = zip(*STATUS_WEIGHTS, strict=True)
  plan = []
  for number in range(min(post_count, len(entries) * len(sellers))):
    seller_pass, index = divmod(number, len(entries))
    category, title, description, low, high = entries[index]
    seller = sellers[(index + seller_pass * 3) % len(sellers)]
    # The very first post is the one a newcomer looks for: keep it on sale.
    status = STATUS_AVAILABLE if number == 0 else rng.choices(statuses, status_weights)[0]
    buyers = [user for user in sellers if user.id != seller.id]
    plan.append(
      PlannedPost(
        seller=seller,
        title=title,
        description=description,
        category=category,
        price_cents=rng.randint(low, high) * 100 - rng.choice((0, 0, 1, 50)),
        condition=rng.choices(conditions, condition_weights)[0],
        status=status,
        age=timedelta(days=rng.randint(0, 59), minutes=rng.randint(0, 24 * 60)),
        with_image=number % POSTS_WITHOUT_PICTURE_EVERY != POSTS_WITHOUT_PICTURE_EVERY - 1,
        dibs=plan_dibs(rng, status, buyers),
      )
    )
  return plan


def existing_post_keys(sellers):
  """{(seller_id, title)} of the posts the demo sellers already have."""
  rows = db.session.execute(
    select(Post.seller_id, Post.title).where(Post.seller_id.in_([user.id for user in sellers]))
  )
  return set(rows.all())


def seed_posts(users, post_count):
  """Create the planned demo posts that are missing, with their dibs and some pictures;
  return a line for the CLI."""
  sellers = [user for user in users if not user.is_admin]
  if not sellers or post_count <= 0:
    return 'posts: nothing to do'
  existing = existing_post_keys(sellers)
  missing = [
    planned
    for planned in plan_posts(sellers, post_count)
    if (planned.seller.id, planned.title) not in existing
  ]
  now = utc_now()
  created = []
  for planned in missing:
    created_at = now - planned.age
    post = Post(
      seller_id=planned.seller.id,
      title=planned.title,
      description=planned.description,
      price_cents=max(0, planned.price_cents),
      category=planned.category,
      condition=planned.condition,
      campus_id=planned.seller.campus_id,
      status=planned.status,
      created_at=created_at,
      updated_at=created_at,
    )
    db.session.add(post)
    created.append((planned, post))
  db.session.flush()
  dib_count = image_count = 0
  for planned, post in created:
    for offset, (buyer, dib_status) in enumerate(planned.dibs, start=1):
      moment = post.created_at + timedelta(hours=offset)
      db.session.add(
        Dib(
          post_id=post.id,
          user_id=buyer.id,
          status=dib_status,
          created_at=moment,
          updated_at=moment,
        )
      )
      dib_count += 1
    if planned.with_image:
      store_image(post, demo_picture(planned.title, planned.category), commit=False)
      image_count += 1
  db.session.commit()
  total = db.session.execute(
    select(db.func.count(Post.id)).where(Post.seller_id.in_([user.id for user in sellers]))
  ).scalar_one()
  return (
    f'posts: {len(created)} created ({dib_count} dibs, {image_count} pictures), '
    f'{total} demo posts in all'
  )
