"""The JSON of posts, their images and dibs. Each serializer takes a batch of rows and loads
what they share in a constant number of queries, however many rows there are; the one-row
forms call the batch ones."""

from collections import defaultdict

from sqlalchemy import bindparam, func, select

from app.campuses.CampusModels import Campus
from app.common.CommonCache import answer_shows, with_tag_token
from app.common.CommonHelpers import to_iso
from app.extensions import db
from app.posts.PostCacheTags import post_tag, post_tag_expression
from app.posts.PostConstants import LIVE_DIB_STATUSES
from app.posts.PostModels import Dib, Post, PostImage
from app.posts.PostStorage import get_storage
from app.users.UserModels import User, verified_domain
from app.users.UserSerializers import rating_to_json, user_summary_to_json

# --- Posts ---------------------------------------------------------------------------------


def users_by_id(user_ids):
  """{user_id: User} for these ids, in one query."""
  if not user_ids:
    return {}
  users = db.session.execute(select(User).where(User.id.in_(set(user_ids)))).scalars()
  return {user.id: user for user in users}


# Plain rows, not entities: serializing reads four columns and needs no identity map. Built
# once: SQLAlchemy computes its cache key once, the ids are bound when it runs.
IMAGES_STATEMENT = (
  select(PostImage.id, PostImage.post_id, PostImage.storage_key, PostImage.thumb_key)
  .where(PostImage.post_id.in_(bindparam('post_ids', expanding=True)))
  .order_by(PostImage.position, PostImage.id)
)


def images_by_post(post_ids):
  """{post_id: [image row (id, post_id, storage_key, thumb_key), ...] in the seller's order,
  cover first} for these posts, in one query."""
  grouped = defaultdict(list)
  if not post_ids:
    return grouped
  images = db.session.execute(IMAGES_STATEMENT, {'post_ids': list(post_ids)})
  for image in images:
    grouped[image.post_id].append(image)
  return grouped


def image_to_json(image, storage=None):
  """An image as the API shows it: id and the URLs of the file and its thumbnail."""
  storage = storage or get_storage()
  return {
    'id': image.id,
    'url': storage.url(image.storage_key),
    'thumb_url': storage.url(image.thumb_key),
  }


def covers_by_post(post_ids):
  """{post_id: the cover image's JSON} for these posts (absent when a post has no photo)."""
  storage = get_storage()
  return {
    post_id: image_to_json(images[0], storage)
    for post_id, images in images_by_post(post_ids).items()
    if images
  }


def seller_columns():
  """The columns of a post's seller summary, live dib count and campus, labelled (a query adds
  them to its posts with `with_seller`): what `extras_of` reads."""
  live_dibs = (
    select(func.count(Dib.id))
    .where(Dib.post_id == Post.id, Dib.status.in_(LIVE_DIB_STATUSES))
    .scalar_subquery()
  )
  return (
    User.username.label('seller_username'),
    User.display_name.label('seller_display_name'),
    User.email.label('seller_email'),
    User.email_verified_at.label('seller_email_verified_at'),
    User.review_count.label('seller_review_count'),
    User.review_stars_total.label('seller_review_stars_total'),
    live_dibs.label('live_dibs'),
    Campus.slug.label('campus_slug'),
    Campus.name.label('campus_name'),
  )


def with_seller(statement):
  """A select of posts joined with what `seller_columns` reads."""
  return statement.join(User, User.id == Post.seller_id).outerjoin(
    Campus, Campus.id == Post.campus_id
  )


def extras_of(row):
  """(seller summary JSON with verified_campus and rating, live dibs, campus or None) of a row
  with `seller_columns` (the email is read only to name its verified domain)."""
  seller = {
    'id': row.seller_id,
    'username': row.seller_username,
    'display_name': row.seller_display_name,
    'verified_campus': verified_domain(row.seller_email, row.seller_email_verified_at),
    # The seller's published reviews (app/reviews), read with the seller: no extra query.
    'rating': rating_to_json(row.seller_review_count, row.seller_review_stars_total),
  }
  campus = {'slug': row.campus_slug, 'name': row.campus_name} if row.campus_slug else None
  return seller, row.live_dibs, campus


def sellers_and_dib_counts(post_ids):
  """{post_id: extras_of(its row)} for these posts, in one query."""
  if not post_ids:
    return {}
  statement = select(Post.id, Post.seller_id, *seller_columns()).where(Post.id.in_(post_ids))
  return {row.id: extras_of(row) for row in db.session.execute(with_seller(statement))}


def with_post_token(statement):
  """A select of posts with each post's cache token (`post_cache_token`), read in the same
  statement as its row: posts_with_sellers_to_json hands them to `answer_shows`."""
  return with_tag_token(statement, post_tag_expression(Post.id), 'post_cache_token')


def posts_with_sellers_to_json(rows):
  """Serialize rows that carry `seller_columns` (a query `with_seller`): one query, the photos.
  Rows read `with_post_token` make the cached answer depend on each post's tag (a
  write to one of them empties the page)."""
  answer_shows(
    {post_tag(row.id): row.post_cache_token for row in rows if hasattr(row, 'post_cache_token')}
  )
  return posts_to_json(rows, extras={row.id: extras_of(row) for row in rows})


def posts_to_json(posts, extras=None):
  """Serialize Post rows in two queries (sellers with dib counts, then images), however many;
  one when `extras` ({post_id: extras_of(row)}) came with the rows."""
  posts = list(posts)
  post_ids = [post.id for post in posts]
  if extras is None:
    extras = sellers_and_dib_counts(post_ids)
  images = images_by_post(post_ids)
  storage = get_storage()
  return [
    {
      'id': post.id,
      'title': post.title,
      'description': post.description,
      'price_cents': post.price_cents,
      'category': post.category,
      'condition': post.condition,
      # The post's campus ({slug, name}), or null (docs/CAMPUSES.md).
      'campus': extras[post.id][2],
      'status': post.status,
      'seller': extras[post.id][0],
      'images': [image_to_json(image, storage) for image in images[post.id]],
      'dibs_count': extras[post.id][1],
      'created_at': to_iso(post.created_at),
      'updated_at': to_iso(post.updated_at),
      'expires_at': to_iso(post.expires_at),
      'expired': post.expired_at is not None,
      # Null but for a post held back by moderation (which only its seller and moderators read).
      'moderation_state': post.moderation_state,
      'moderation_reason': post.moderation_reason,
    }
    for post in posts
  ]


def post_to_json(post):
  """Serialize one Post like posts_to_json."""
  return posts_to_json([post])[0]


# --- Dibs ----------------------------------------------------------------------------------


def live_positions(dibs):
  """{dib_id: position} for the live ones among `dibs`, in one query (a window function)."""
  live_ids = [dib.id for dib in dibs if dib.status in LIVE_DIB_STATUSES]
  if not live_ids:
    return {}
  ranked = (
    select(
      Dib.id.label('dib_id'),
      func.row_number().over(partition_by=Dib.post_id, order_by=Dib.id).label('position'),
    )
    .where(
      Dib.post_id.in_({dib.post_id for dib in dibs}),
      Dib.status.in_(LIVE_DIB_STATUSES),
    )
    .subquery()
  )
  rows = db.session.execute(
    select(ranked.c.dib_id, ranked.c.position).where(ranked.c.dib_id.in_(live_ids))
  )
  return dict(rows.all())


def dibs_to_json(dibs):
  """Serialize Dib rows in a constant number of queries (buyers, positions)."""
  dibs = list(dibs)
  users = users_by_id([dib.user_id for dib in dibs])
  positions = live_positions(dibs)
  return [
    {
      'id': dib.id,
      'post_id': dib.post_id,
      'user': user_summary_to_json(users[dib.user_id]),
      'position': positions.get(dib.id),
      'status': dib.status,
      'created_at': to_iso(dib.created_at),
    }
    for dib in dibs
  ]


def dib_to_json(dib):
  """Serialize one Dib like dibs_to_json."""
  return dibs_to_json([dib])[0]


def dibs_with_posts_to_json(dibs):
  """Dibs, each with its post, in a constant number of queries."""
  dibs = list(dibs)
  items = dibs_to_json(dibs)
  post_ids = {dib.post_id for dib in dibs}
  posts = []
  if post_ids:
    posts = db.session.execute(select(Post).where(Post.id.in_(post_ids))).scalars().all()
  posts_by_id = {post['id']: post for post in posts_to_json(posts)}
  for item in items:
    item['post'] = posts_by_id[item['post_id']]
  return items


def queue_to_json(post, dibs, user):
  """The seller sees the queue (`dibs`, live, in order); anyone else its length and their own
  place in it (and the status of their dib: `accepted` once the seller picked them, and after
  the sale)."""
  if post.seller_id == user.id:
    return {'items': dibs_to_json(dibs)}
  mine = next(
    ((index, dib) for index, dib in enumerate(dibs, start=1) if dib.user_id == user.id),
    (None, None),
  )
  return {
    'count': len(dibs),
    'my_position': mine[0],
    'my_status': mine[1].status if mine[1] else None,
  }
