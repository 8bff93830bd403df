"""Held for review: a new post whose title or description holds a prohibited term
(MODERATION_PROHIBITED_TERMS), or beyond the third of an account younger than a day, waits
for a moderator (`moderation_state = 'in_review'`); so does an edit that adds a prohibited
term. Such a post leaves every list like a hidden one (PostHelpers.post_visibility_conditions)
and only its seller and moderators read it. Moderators decide in ModerationHeldHelpers."""

import re
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from app.common.CommonHelpers import as_utc, utc_now
from app.extensions import db
from app.posts.PostConstants import POST_IN_REVIEW, YOUNG_ACCOUNT_FREE_POSTS, YOUNG_ACCOUNT_HOURS
from app.posts.PostModels import Post

YOUNG_ACCOUNT_REASON = (
  f'new accounts post {YOUNG_ACCOUNT_FREE_POSTS} things in their first {YOUNG_ACCOUNT_HOURS} '
  'hours before a moderator looks at the next'
)


def prohibited_terms_in(*texts):
  """The configured prohibited terms found in `texts` as whole words, any case, sorted."""
  terms = current_app.config['MODERATION_PROHIBITED_TERMS']
  if not terms:
    return []
  pattern = re.compile(
    r'(?<!\w)(' + '|'.join(re.escape(term) for term in terms) + r')(?!\w)', re.IGNORECASE
  )
  return sorted({match.lower() for text in texts for match in pattern.findall(text or '')})


def prohibited_terms_reason(terms):
  """Why a post with these terms waits for review."""
  return 'it mentions ' + ', '.join(terms)


def is_young_account_beyond_free_posts(seller):
  """Whether `seller` signed up less than YOUNG_ACCOUNT_HOURS ago and already has
  YOUNG_ACCOUNT_FREE_POSTS posts."""
  if as_utc(seller.created_at) <= utc_now() - timedelta(hours=YOUNG_ACCOUNT_HOURS):
    return False
  posted = db.session.execute(
    select(func.count()).select_from(Post).where(Post.seller_id == seller.id)
  ).scalar_one()
  return posted >= YOUNG_ACCOUNT_FREE_POSTS


def new_post_hold_reason(seller, title, description):
  """Why a new post by `seller` waits for review, or None when it may be listed at once."""
  terms = prohibited_terms_in(title, description)
  if terms:
    return prohibited_terms_reason(terms)
  if is_young_account_beyond_free_posts(seller):
    return YOUNG_ACCOUNT_REASON
  return None


def hold_for_review(post, reason):
  """Hold `post` for a moderator (no commit); a post hidden or removed stays so."""
  if post.moderation_state is None:
    post.moderation_state = POST_IN_REVIEW
    post.moderation_reason = reason


def hold_edit_for_review(post, terms_before):
  """After an edit: hold the post again when it now holds a prohibited term it did not."""
  added = sorted(set(prohibited_terms_in(post.title, post.description)) - set(terms_before))
  if added:
    hold_for_review(post, prohibited_terms_reason(added))


def is_in_review(post):
  """Whether the post waits for a moderator's review."""
  return post.moderation_state == POST_IN_REVIEW


def my_moderated_posts_statement(user):
  """The user's posts held back by moderation (waiting for review, hidden, removed), newest
  first: the public lists leave them out, so the seller reads them here."""
  return (
    select(Post)
    .where(Post.seller_id == user.id, Post.moderation_state.is_not(None))
    .order_by(Post.id.desc())
  )
