"""The JSON of reviews: a published review as a profile lists it, and a review window as its
buyer or seller sees it. Lists load what their rows share in a constant number of queries."""

from sqlalchemy import select

from app.common.CommonCache import answer_shows
from app.common.CommonHelpers import to_iso
from app.extensions import db
from app.posts.PostCacheTags import post_tag
from app.posts.PostModels import Post
from app.posts.PostSerializers import users_by_id, with_post_token
from app.reviews.ReviewHelpers import is_closed
from app.reviews.ReviewModels import ReviewWindow
from app.users.UserSerializers import user_summary_to_json


def post_titles_by_window(window_ids):
  """{window_id: (post_id, post title)} in one query; a cached answer showing them depends on
  each post's tag (read with the titles)."""
  if not window_ids:
    return {}
  statement = (
    select(ReviewWindow.id, Post.id, Post.title)
    .join(Post, Post.id == ReviewWindow.post_id)
    .where(ReviewWindow.id.in_(set(window_ids)))
  )
  rows = db.session.execute(with_post_token(statement)).all()
  answer_shows({post_tag(row[1]): row[3] for row in rows})
  return {row[0]: (row[1], row[2]) for row in rows}


def reviews_to_json(reviews):
  """Reviews with their reviewer and post, in two queries however many."""
  reviews = list(reviews)
  reviewers = users_by_id([review.reviewer_id for review in reviews])
  posts = post_titles_by_window([review.window_id for review in reviews])
  return [
    {
      'id': review.id,
      'stars': review.stars,
      'text': review.text,
      'tags': list(review.tags or []),
      'role': review.role,
      'reviewer': user_summary_to_json(reviewers[review.reviewer_id]),
      'post': {'id': posts[review.window_id][0], 'title': posts[review.window_id][1]},
      'created_at': to_iso(review.created_at),
      'published_at': to_iso(review.published_at),
    }
    for review in reviews
  ]


def review_to_json(review):
  """One review like reviews_to_json."""
  return reviews_to_json([review])[0]


def window_to_json(window, user, reviews, now):
  """The window as `user` (its buyer or seller) sees it: my review, and theirs only once
  published (double-blind); `reviews` is {reviewer_id: Review} of the window."""
  other_id = window.seller_id if user.id == window.buyer_id else window.buyer_id
  users = users_by_id([other_id])
  post = db.session.get(Post, window.post_id)
  mine, theirs = reviews.get(user.id), reviews.get(other_id)
  published = window.published_at is not None
  return {
    'id': window.id,
    'post': {'id': post.id, 'title': post.title},
    'role': 'buyer' if user.id == window.buyer_id else 'seller',
    'other_user': user_summary_to_json(users[other_id]),
    'opened_at': to_iso(window.opened_at),
    'closes_at': to_iso(window.closes_at),
    'can_review': mine is None and not is_closed(window, now),
    'published': published,
    'my_review': review_to_json(mine) if mine is not None else None,
    'other_has_reviewed': theirs is not None,
    'their_review': review_to_json(theirs) if theirs is not None and published else None,
  }
