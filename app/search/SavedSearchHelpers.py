"""The rules of saved searches (docs/SAVED_SEARCHES.md): saving, listing, changing the alert,
deleting; matching a post against every saved search through the inverted index of their
words; the instant alerts and the daily digest.

Matching uses the words of search (`parse_search_terms`: letters and digits, case-folded, the
last word a prefix from PREFIX_MIN_LENGTH letters). One query finds the saved searches whose
every word is among the post's words (or, for the prefix, among the prefixes of the post's
words), however many saved searches there are: it reads the word index by the post's words,
never one query per saved search.
"""

from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from app.campuses.CampusConstants import DEFAULT_TIMEZONE
from app.campuses.CampusHelpers import campus_filter_id
from app.common.CommonErrors import ApiError
from app.common.CommonHelpers import get_or_404, utc_now
from app.extensions import db
from app.notifications.NotificationConstants import (
  KIND_SAVED_SEARCH_DIGEST,
  KIND_SAVED_SEARCH_MATCH,
)
from app.notifications.NotificationHelpers import notify
from app.posts.PostConstants import STATUS_AVAILABLE
from app.posts.PostModels import Post
from app.search.SavedSearchConstants import (
  ALERT_DAILY,
  ALERT_INSTANT,
  ALERT_OFF,
  DIGEST_HOUR,
  DIGEST_MAX_MATCHES,
  MAX_POST_WORDS,
  MAX_SAVED_SEARCHES_PER_USER,
  WORD_MAX_LENGTH,
)
from app.search.SavedSearchModels import (
  SavedSearch,
  SavedSearchDigest,
  SavedSearchMatch,
  SavedSearchWord,
)
from app.search.SearchConstants import PREFIX_MIN_LENGTH, SEARCH_WORD_PATTERN
from app.search.SearchHelpers import parse_search_terms
from app.users.UserModels import User


def saved_search_now():
  """The time the alerts' rules read (tests patch `app.search.SavedSearchHelpers.utc_now`)."""
  return utc_now()


# --- Saving ----------------------------------------------------------------------------------


def index_words(query_text):
  """[(case-folded word, is_prefix)] of a saved search's text, by the rules of search."""
  terms = parse_search_terms(query_text)
  last = len(terms.words) - 1
  words = {}
  for index, word in enumerate(terms.words):
    folded = word.casefold()[:WORD_MAX_LENGTH]
    is_prefix = index == last and terms.last_is_prefix
    # A word typed twice (once whole, once as the prefix) needs only its stricter form.
    words[folded] = words.get(folded, False) or not is_prefix
  return [(word, not whole) for word, whole in words.items()]


def create_saved_search(user, fields):
  """Save a search for `user` (at most MAX_SAVED_SEARCHES_PER_USER)."""
  # The user's row lock serializes two saves at once, so the limit holds.
  db.session.execute(select(User.id).where(User.id == user.id).with_for_update())
  count = db.session.execute(
    select(func.count()).select_from(SavedSearch).where(SavedSearch.user_id == user.id)
  ).scalar_one()
  if count >= MAX_SAVED_SEARCHES_PER_USER:
    raise ApiError(
      409, message=f'You can keep {MAX_SAVED_SEARCHES_PER_USER} saved searches: delete one first.'
    )
  words = index_words(fields.get('q') or '')
  saved = SavedSearch(
    user_id=user.id,
    query=fields.get('q') or '',
    category=fields.get('category') or None,
    campus_id=campus_filter_id(fields.get('campus')),
    min_price=fields.get('min_price'),
    max_price=fields.get('max_price'),
    alert=fields.get('alert') or ALERT_INSTANT,
    word_count=len(words),
  )
  db.session.add(saved)
  db.session.flush()
  for word, is_prefix in words:
    db.session.add(SavedSearchWord(saved_search_id=saved.id, word=word, is_prefix=is_prefix))
  db.session.commit()
  return saved


def my_saved_searches_statement(user):
  """My saved searches, newest first."""
  return select(SavedSearch).where(SavedSearch.user_id == user.id).order_by(SavedSearch.id.desc())


def get_my_saved_search(saved_search_id, user):
  """One of my saved searches; another user's answers 404."""
  return get_or_404(SavedSearch, SavedSearch.user_id == user.id, id=saved_search_id)


def update_alert(saved_search_id, user, alert):
  """Change how I hear of a saved search's new matches."""
  saved = get_my_saved_search(saved_search_id, user)
  saved.alert = alert
  db.session.commit()
  return saved


def delete_saved_search(saved_search_id, user):
  """Forget one of my saved searches (its words and matches go with it)."""
  saved = get_my_saved_search(saved_search_id, user)
  db.session.execute(
    SavedSearchWord.__table__.delete().where(SavedSearchWord.saved_search_id == saved.id)
  )
  db.session.execute(
    SavedSearchMatch.__table__.delete().where(SavedSearchMatch.saved_search_id == saved.id)
  )
  db.session.delete(saved)
  db.session.commit()


# --- Matching --------------------------------------------------------------------------------


def post_words(post):
  """The case-folded words of a post's title and description, and their prefixes."""
  words = set()
  for word in SEARCH_WORD_PATTERN.findall(f'{post.title} {post.description}'):
    words.add(word.casefold()[:WORD_MAX_LENGTH])
    if len(words) >= MAX_POST_WORDS:
      break
  prefixes = {word[:length] for word in words for length in range(PREFIX_MIN_LENGTH, len(word) + 1)}
  return words, prefixes


def filter_conditions(post):
  """The saved searches whose filters the post passes (and not the seller's own)."""
  return (
    SavedSearch.alert != ALERT_OFF,
    SavedSearch.user_id != post.seller_id,
    or_(SavedSearch.category.is_(None), SavedSearch.category == post.category),
    # A post without a campus matches only the searches of every campus.
    or_(SavedSearch.campus_id.is_(None), SavedSearch.campus_id == post.campus_id),
    or_(SavedSearch.min_price.is_(None), SavedSearch.min_price <= post.price_cents),
    or_(SavedSearch.max_price.is_(None), SavedSearch.max_price >= post.price_cents),
  )


def matching_saved_searches(post):
  """(id, user_id, alert) of every saved search the post matches, in two index reads: the
  searches with words, by the word index; those with filters only, by their word count."""
  words, prefixes = post_words(post)
  conditions = filter_conditions(post)
  rows = []
  if words:
    word_hits = (
      select(SavedSearchWord.saved_search_id, func.count().label('hits'))
      .where(
        or_(
          and_(SavedSearchWord.is_prefix.is_(False), SavedSearchWord.word.in_(words)),
          and_(SavedSearchWord.is_prefix.is_(True), SavedSearchWord.word.in_(prefixes)),
        )
      )
      .group_by(SavedSearchWord.saved_search_id)
      .subquery()
    )
    rows += db.session.execute(
      select(SavedSearch.id, SavedSearch.user_id, SavedSearch.alert)
      .join(word_hits, word_hits.c.saved_search_id == SavedSearch.id)
      .where(word_hits.c.hits == SavedSearch.word_count, *conditions)
    ).all()
  rows += db.session.execute(
    select(SavedSearch.id, SavedSearch.user_id, SavedSearch.alert).where(
      SavedSearch.word_count == 0, *conditions
    )
  ).all()
  return rows


def is_alertable(post):
  """Only posts for sale that are listed (not held back by moderation) are worth an alert."""
  return post.status == STATUS_AVAILABLE and post.expired_at is None and not post.moderation_state


def match_post(post_id):
  """Record the post's new matches (a row per saved search and post: never twice) and send
  the instant alerts, in one transaction; returns how many new matches were found."""
  post = db.session.get(Post, post_id)
  if post is None or not is_alertable(post):
    return 0
  now = saved_search_now()
  found = 0
  instant = []
  for saved_id, user_id, alert in matching_saved_searches(post):
    try:
      with db.session.begin_nested():
        db.session.add(
          SavedSearchMatch(
            saved_search_id=saved_id, post_id=post.id, user_id=user_id, alert=alert, created_at=now
          )
        )
    except IntegrityError:
      continue  # matched before (an earlier edit, or a retried run): no second alert
    found += 1
    if alert == ALERT_INSTANT:
      instant.append((saved_id, user_id))
  payload = {'post_id': post.id, 'post_title': post.title}
  for saved_id, user_id in instant:
    notify(user_id, KIND_SAVED_SEARCH_MATCH, {**payload, 'saved_search_id': saved_id})
  db.session.commit()
  return found


# --- The daily digest ------------------------------------------------------------------------


def campus_today(now, zone=None):
  """The local date and hour at `now` in `zone` (a campus's time zone; UTC without one)."""
  local = now.astimezone(zone or ZoneInfo(DEFAULT_TIMEZONE))
  return local.date(), local.hour


def users_with_pending_daily_matches():
  """(user id, campus id) of the users with daily matches no digest has named yet."""
  pending = (
    select(SavedSearchMatch.user_id)
    .where(SavedSearchMatch.alert == ALERT_DAILY, SavedSearchMatch.digested_at.is_(None))
    .distinct()
  )
  return db.session.execute(
    select(User.id, User.campus_id).where(User.id.in_(pending.scalar_subquery())).order_by(User.id)
  ).all()


def send_digest(user_id, local_date, now):
  """Claim the user's digest of the day (its row's primary key) and notify it with up to
  DIGEST_MAX_MATCHES of their new daily matches, newest first; every pending match is then
  digested. Returns whether this call sent it."""
  try:
    with db.session.begin_nested():
      db.session.add(SavedSearchDigest(user_id=user_id, local_date=local_date, created_at=now))
  except IntegrityError:
    db.session.rollback()
    return False
  pending = SavedSearchMatch.alert == ALERT_DAILY, SavedSearchMatch.digested_at.is_(None)
  newest = db.session.execute(
    select(Post.id, Post.title)
    .join(SavedSearchMatch, SavedSearchMatch.post_id == Post.id)
    .where(SavedSearchMatch.user_id == user_id, *pending)
    .group_by(Post.id, Post.title)
    .order_by(func.max(SavedSearchMatch.created_at).desc(), Post.id.desc())
    .limit(DIGEST_MAX_MATCHES)
  ).all()
  db.session.execute(
    update(SavedSearchMatch)
    .where(SavedSearchMatch.user_id == user_id, *pending)
    .values(digested_at=now)
    .execution_options(synchronize_session=False)
  )
  if newest:
    matches = [{'post_id': row.id, 'post_title': row.title} for row in newest]
    notify(
      user_id,
      KIND_SAVED_SEARCH_DIGEST,
      {
        'post_id': newest[0].id,
        'post_title': newest[0].title,
        'count': len(matches),
        'matches': matches,
      },
    )
  db.session.commit()
  return bool(newest)


def digest_due(now, zone=None):
  """The local date (in `zone`, the user's campus's) whose digests are due at `now` (from
  DIGEST_HOUR on), or None."""
  local_date, hour = campus_today(now, zone)
  return local_date if hour >= DIGEST_HOUR else None
