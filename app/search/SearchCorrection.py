"""Typo tolerance: the words a searcher probably meant, taken from the titles of posts.

Each word is compared with the words of titles that share trigrams with it, using pg_trgm's
measure (the share of three-letter pieces in common, the word padded with two spaces before
and one after). The database only finds candidate titles, through a trigram index
(0010_photos_campus): PostgreSQL's `<%` operator over a pg_trgm GIN index, SQLite's FTS5
`trigram` table; the comparison runs here, on a few dozen titles, the same on both.
"""

from sqlalchemy import Integer, bindparam, column, func, literal_column, select, table

from app.extensions import db
from app.posts.PostHelpers import apply_post_filters
from app.posts.PostModels import Post
from app.search.SearchConstants import (
  CORRECTION_CANDIDATES,
  CORRECTION_MIN_SIMILARITY,
  CORRECTION_MIN_WORD_LENGTH,
  SEARCH_WORD_PATTERN,
)

POSTS_TRIGRAM = table('posts_trigram', column('rowid', Integer))
POSTS_TRIGRAM_HIDDEN_COLUMN = literal_column('posts_trigram')


def trigrams(word):
  """The set of three-character pieces of `word`, padded as pg_trgm pads it."""
  padded = f'  {word.casefold()} '
  return {padded[index : index + 3] for index in range(len(padded) - 2)}


def similarity(word, other_word):
  """pg_trgm's similarity: trigrams in common over trigrams in either (0 to 1)."""
  mine, theirs = trigrams(word), trigrams(other_word)
  return len(mine & theirs) / len(mine | theirs)


def fts5_trigram_query(word):
  """FTS5 query text: any of the word's (unpadded) trigrams, each a quoted phrase."""
  lowered = word.casefold()
  pieces = sorted({lowered[index : index + 3] for index in range(len(lowered) - 2)})
  return ' OR '.join('"' + piece.replace('"', '""') + '"' for piece in pieces)


def candidate_titles(word, filters):
  """Titles of listed posts that share the most trigrams with `word`, from the index."""
  if db.session.get_bind().dialect.name == 'postgresql':
    lowered_title = func.lower(Post.title)
    word_parameter = bindparam('correction_word', word.lower())
    statement = (
      select(Post.title)
      .where(word_parameter.op('<%')(lowered_title))
      .order_by(func.word_similarity(word_parameter, lowered_title).desc())
    )
  else:
    match = POSTS_TRIGRAM_HIDDEN_COLUMN.op('MATCH')(
      bindparam('correction_match', fts5_trigram_query(word))
    )
    statement = (
      select(Post.title)
      .select_from(POSTS_TRIGRAM)
      .join(Post, Post.id == POSTS_TRIGRAM.c.rowid)
      .where(match)
      .order_by(literal_column('posts_trigram.rank'))
    )
  statement = apply_post_filters(statement, filters).limit(CORRECTION_CANDIDATES)
  return db.session.execute(statement).scalars().all()


def closest_title_word(word, filters):
  """The title word most similar to `word`, or None when none is similar enough."""
  best_word, best_similarity = None, CORRECTION_MIN_SIMILARITY
  for title in candidate_titles(word, filters):
    for title_word in SEARCH_WORD_PATTERN.findall(title):
      score = similarity(word, title_word)
      if score > best_similarity or (score == best_similarity and best_word is None):
        best_word, best_similarity = title_word.lower(), score
  return best_word


def corrected_search_words(words, filters):
  """The words with each misspelt one replaced by the closest title word; None when nothing
  changes (every word is fine, or none has a close enough match)."""
  corrected = []
  for word in words:
    replacement = None
    if len(word) >= CORRECTION_MIN_WORD_LENGTH:
      replacement = closest_title_word(word, filters)
    corrected.append(replacement or word)
  if [word.casefold() for word in corrected] == [word.casefold() for word in words]:
    return None
  return corrected
