"""Demo data of held for review: one post of carmen's waiting for a moderator (it mentions a
prohibited term), so the demo admin finds it on the held-posts page and carmen sees it waiting.
Idempotent."""

from sqlalchemy import select

from app.extensions import db
from app.posts.PostConstants import POST_IN_REVIEW
from app.posts.PostModels import Post
from app.posts.PostReviewHelpers import prohibited_terms_in, prohibited_terms_reason

HELD_SELLER = 'carmen'
HELD_TITLE = 'Camping stove with alcohol burner'
HELD_DESCRIPTION = 'Brass spirit stove, windscreen and pot stand; used on two trips.'


def seed_held_posts(users):
  """Carmen's camping stove, held for review; a line for the CLI."""
  seller = next((user for user in users if user.username == HELD_SELLER), None)
  if seller is None:
    return 'held for review: nothing to do'
  exists = db.session.execute(
    select(Post.id).where(Post.seller_id == seller.id, Post.title == HELD_TITLE)
  ).first()
  if exists is not None:
    return 'held for review: already seeded'
  terms = prohibited_terms_in(HELD_TITLE, HELD_DESCRIPTION) or ['alcohol']
  db.session.add(
    Post(
      seller_id=seller.id,
      title=HELD_TITLE,
      description=HELD_DESCRIPTION,
      price_cents=2500,
      category='sports',
      condition='good',
      campus_id=seller.campus_id,
      moderation_state=POST_IN_REVIEW,
      moderation_reason=prohibited_terms_reason(terms),
    )
  )
  db.session.commit()
  return f'held for review: 1 post of {HELD_SELLER} waiting for a moderator'
