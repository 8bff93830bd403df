"""The search engine: full-text search of posts on SQLite (FTS5) and PostgreSQL (tsvector).

The user's text never reaches SQL as syntax. It is split here into words of letters and
digits; each word becomes a quoted FTS5 string (all of them in ONE bound parameter) or a
quoted tsquery lexeme (one bound parameter per word), so `"`, `*`, `OR`, `NEAR`, `-`, `:`,
`(` and the rest are separators, never operators. Each dialect answers a page in one
statement: the index finds and ranks the matches, a window function counts them, and
highlights are computed for the page's rows only (a page past the end costs one more
statement, to count). The page's rows carry their sellers' columns; serializing them
(PostSerializers.posts_with_sellers_to_json) reads their photos, one statement more.

PostgreSQL indexes each text twice, stemmed ('english') and as typed ('simple'): a full word
finds its other forms through its stem, and the word being typed finds every word it begins,
which the stem alone misses (`calcula` is no prefix of `calcul`, the stem of "calculator").
"""

import functools
import html
import re

from sqlalchemy import (
  Integer,
  bindparam,
  case,
  cast,
  column,
  func,
  literal_column,
  or_,
  select,
  table,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import TSQUERY

from app.common.CommonCache import answer_is_not_stored
from app.extensions import db
from app.posts.PostCacheTags import search_words_are_tagged
from app.posts.PostConstants import SORT_NEWEST, SORT_PRICE_ASC, SORT_PRICE_DESC
from app.posts.PostHelpers import STATEMENTS_LIMIT, apply_post_filters, filter_items
from app.posts.PostModels import Post
from app.posts.PostSerializers import (
  posts_with_sellers_to_json,
  seller_columns,
  with_post_token,
  with_seller,
)
from app.search.SearchConstants import (
  CORRECTION_BELOW_RESULTS,
  DESCRIPTION_WEIGHT,
  HIGHLIGHT_ELLIPSIS,
  HIGHLIGHT_START,
  HIGHLIGHT_STOP,
  MAX_SEARCH_WORDS,
  POSTGRESQL_HIGHLIGHT_CONFIG,
  POSTGRESQL_TEXT_SEARCH_CONFIG,
  POSTGRESQL_UNSTEMMED_SEARCH_CONFIG,
  PREFIX_MIN_LENGTH,
  SEARCH_WORD_PATTERN,
  SNIPPET_MIN_WORDS,
  SNIPPET_WORDS,
  SORT_RELEVANCE,
  TITLE_WEIGHT,
)
from app.search.SearchCorrection import corrected_search_words

# SQLite's snippet() cannot escape HTML, so it marks matches with two control characters,
# and render_marked_text escapes the text around them before turning them into <mark> tags.
SQLITE_MARK_START = '\x02'
SQLITE_MARK_STOP = '\x03'
SQLITE_MARK_SPLIT = re.compile(f'({SQLITE_MARK_START}|{SQLITE_MARK_STOP})')

POSTS_FTS = table('posts_fts', column('rowid', Integer))
POSTS_FTS_HIDDEN_COLUMN = literal_column('posts_fts')
POSTS_SEARCH_VECTOR = literal_column('posts.search_vector', postgresql.TSVECTOR)

# What html.escape(quote=True) replaces; & goes first so no entity is escaped twice.
HTML_ESCAPES = (('&', '&amp;'), ('<', '&lt;'), ('>', '&gt;'), ('"', '&quot;'), ("'", '&#x27;'))


class SearchTerms:
  """The words of a query and whether the last one matches as a prefix."""

  def __init__(self, words, last_is_prefix):
    self.words = words
    self.last_is_prefix = last_is_prefix

  def __bool__(self):
    return bool(self.words)


def parse_search_terms(query_text):
  """Split the user's text into searchable words: letters and digits only, no syntax."""
  typed_words = SEARCH_WORD_PATTERN.findall(query_text or '')
  if not typed_words:
    return SearchTerms([], False)
  # The last word is the one still being typed: it stays last, as the prefix term.
  last_word = typed_words[-1]
  seen = {last_word.casefold()}
  words = []
  for word in typed_words[:-1]:
    if word.casefold() not in seen:
      seen.add(word.casefold())
      words.append(word)
  words = words[: MAX_SEARCH_WORDS - 1] + [last_word]
  return SearchTerms(words, len(last_word) >= PREFIX_MIN_LENGTH)


def fts5_match_text(terms):
  """The FTS5 query: every word a quoted string (implicit AND), the last one a prefix."""
  phrases = ['"' + word.replace('"', '""') + '"' for word in terms.words]
  if terms.last_is_prefix:
    phrases[-1] += ' *'
  return ' '.join(phrases)


def tsquery_lexeme(word, is_prefix):
  """One quoted tsquery operand; a number also matches its signed form, because PostgreSQL's
  parser reads the `-84` of "TI-84" as a negative integer."""
  suffix = ':*' if is_prefix else ''
  quoted = "'" + word.replace('\\', '\\\\').replace("'", "''") + "'" + suffix
  if word.isdigit():
    return f"({quoted} | '-{word}'{suffix})"
  return quoted


def tsquery_word_texts(terms):
  """The tsquery source of each word, in order: a quoted lexeme, the last one a prefix."""
  last_index = len(terms.words) - 1
  return [
    tsquery_lexeme(word, terms.last_is_prefix and index == last_index)
    for index, word in enumerate(terms.words)
  ]


def render_marked_text(marked_text):
  """HTML-escape a SQLite snippet, turning its marker characters into balanced <mark> tags."""
  parts = []
  is_open = False
  for piece in SQLITE_MARK_SPLIT.split(marked_text or ''):
    if piece == SQLITE_MARK_START:
      if not is_open:
        parts.append(HIGHLIGHT_START)
        is_open = True
    elif piece == SQLITE_MARK_STOP:
      if is_open:
        parts.append(HIGHLIGHT_STOP)
        is_open = False
    else:
      parts.append(html.escape(piece, quote=True))
  if is_open:
    parts.append(HIGHLIGHT_STOP)
  return ''.join(parts)


def sql_html_escape(expression):
  """The SQL expression of `expression` HTML-escaped, for PostgreSQL to headline safely."""
  for character, entity in HTML_ESCAPES:
    expression = func.replace(expression, character, entity)
  return expression


def sqlite_match_condition(terms):
  """`posts_fts MATCH :fts5_match`, the quoted words bound as one parameter."""
  return POSTS_FTS_HIDDEN_COLUMN.op('MATCH')(bindparam('fts5_match', fts5_match_text(terms)))


def sqlite_matches(terms, filters):
  """(post_id, score) of the matching posts on SQLite: FTS5 finds them first, then the post
  list's filters narrow them. The score is 1 when the title has every word, else 0: a
  post's own text decides it, so a write to another post never reorders a page (bm25 would,
  by the index's statistics, and the cache could not tell which pages)."""
  title_match = bindparam('fts5_title_match', f'{{title}} : ({fts5_match_text(terms)})')
  title_hits = select(POSTS_FTS.c.rowid).where(POSTS_FTS_HIDDEN_COLUMN.op('MATCH')(title_match))
  # MATERIALIZED keeps the planner from driving the join from posts (a status index, say)
  # and probing FTS5 once per post: each probe re-reads the whole term list of the query.
  hits = (
    select(POSTS_FTS.c.rowid.label('post_id'))
    .where(sqlite_match_condition(terms))
    .cte('hits')
    .prefix_with('MATERIALIZED')
  )
  score = case((hits.c.post_id.in_(title_hits), 1), else_=0)
  statement = select(hits.c.post_id, score.label('score'), *order_columns(terms)).join(
    Post, Post.id == hits.c.post_id
  )
  return apply_post_filters(statement, filters)


def postgresql_word_tsquery(word_text, parameter_name):
  """One word's tsquery: its English stem OR the word itself, each quoted in one bound
  parameter (the same text parsed by both configurations)."""
  word_parameter = bindparam(parameter_name, word_text)
  stemmed = func.to_tsquery(POSTGRESQL_TEXT_SEARCH_CONFIG, word_parameter, type_=TSQUERY)
  unstemmed = func.to_tsquery(POSTGRESQL_UNSTEMMED_SEARCH_CONFIG, word_parameter, type_=TSQUERY)
  # Most words are their own stem: one operand then, or GIN would scan its entries twice.
  # The parameters are constants, so the planner folds this CASE before the index scan.
  return case(
    (stemmed == unstemmed, stemmed), else_=stemmed.op('||', return_type=TSQUERY)(unstemmed)
  )


def postgresql_tsquery(terms):
  """The tsquery of the search: every word must match, as its stem or as typed (`bikes`
  finds "bike"); the last word as a prefix of either (`calcula` finds "calculator", which the
  stemmer indexes as `calcul`). A stopword matches as typed, as it does on SQLite."""
  word_queries = [
    postgresql_word_tsquery(word_text, f'tsquery_word_{index}')
    for index, word_text in enumerate(tsquery_word_texts(terms))
  ]
  return functools.reduce(
    lambda left, right: left.op('&&', return_type=TSQUERY)(right), word_queries
  )


def postgresql_rank_weights():
  # ts_rank_cd takes weights for {D, C, B, A}; the title is A and the description B.
  weights = [0.1, 0.2, DESCRIPTION_WEIGHT / TITLE_WEIGHT, 1.0]
  return cast(postgresql.array(weights), postgresql.ARRAY(postgresql.REAL))


def postgresql_matches(terms, filters):
  """(post_id, score) of the matching posts on PostgreSQL: the GIN index on search_vector
  finds them, ts_rank_cd scores them."""
  query = postgresql_tsquery(terms)
  score = func.ts_rank_cd(postgresql_rank_weights(), POSTS_SEARCH_VECTOR, query)
  statement = select(Post.id.label('post_id'), score.label('score'), *order_columns(terms)).where(
    POSTS_SEARCH_VECTOR.op('@@')(query)
  )
  return apply_post_filters(statement, filters)


def head_noun_match(terms):
  """2 when the title's last word (in English its head noun: "IKEA Malm desk" is a desk,
  "Desk plant" a plant) is a searched word as typed, 1 when it is its plural, else 0."""
  title = func.lower(func.trim(Post.title))
  exact, plural = [], []
  for word in terms.words:
    word = word.lower()
    exact += [title == word, title.like(f'% {word}')]
    plural += [title == f'{word}s', title.like(f'% {word}s')]
  return case((or_(*exact), 2), (or_(*plural), 1), else_=0)


def order_columns(terms):
  """The columns every sort of the results needs, beside the post id and the score."""
  return (
    head_noun_match(terms).label('head_match'),
    Post.price_cents.label('price_cents'),
    Post.created_at.label('created_at'),
  )


def result_order(matched, sort):
  """ORDER BY of the matches for `sort`: relevance puts head-noun matches first, then the
  best score; ties go newest first."""
  if sort == SORT_PRICE_ASC:
    return (matched.c.price_cents.asc(), matched.c.post_id.desc())
  if sort == SORT_PRICE_DESC:
    return (matched.c.price_cents.desc(), matched.c.post_id.desc())
  if sort == SORT_NEWEST:
    return (matched.c.created_at.desc(), matched.c.post_id.desc())
  return (matched.c.head_match.desc(), matched.c.score.desc(), matched.c.post_id.desc())


def ranked_page(matches, limit, offset, sort=SORT_RELEVANCE):
  """The page's post ids in result order (`ordinal`) with the number of all matches.

  The window count sees every match before LIMIT, so the total costs no second pass; it sits
  one subquery above the matches (SQLite refused bm25() next to a window function).
  """
  matched = matches.subquery('matched')
  order = result_order(matched, sort)
  return (
    select(
      matched.c.post_id,
      func.count().over().label('total'),
      func.row_number().over(order_by=order).label('ordinal'),
    )
    .order_by(*order)
    .limit(limit)
    .offset(offset)
    .cte('ranked')
  )


def sqlite_page_statement(terms, filters, limit, offset, sort=SORT_RELEVANCE):
  """One statement for a page on SQLite: the ranked page, then its highlights."""
  ranked = ranked_page(sqlite_matches(terms, filters), limit, offset, sort)
  title_highlight = func.highlight(POSTS_FTS_HIDDEN_COLUMN, 0, SQLITE_MARK_START, SQLITE_MARK_STOP)
  description_highlight = func.snippet(
    POSTS_FTS_HIDDEN_COLUMN,
    1,
    SQLITE_MARK_START,
    SQLITE_MARK_STOP,
    HIGHLIGHT_ELLIPSIS,
    SNIPPET_WORDS,
  )
  # highlight() and snippet() only work in a MATCH query, so the matches are scanned once more
  # (no scoring), and only the page's rows get their snippet. `rowid + 0` hides the rowid from
  # FTS5, which would otherwise start the whole query over for every row of the page.
  marked = (
    select(
      POSTS_FTS.c.rowid.label('post_id'),
      title_highlight.label('title_highlight'),
      description_highlight.label('description_highlight'),
    )
    .where(sqlite_match_condition(terms), (POSTS_FTS.c.rowid + 0).in_(select(ranked.c.post_id)))
    .cte('marked')
    .prefix_with('MATERIALIZED')
  )
  statement = (
    select(
      *Post.__table__.columns,
      *seller_columns(),
      ranked.c.total,
      marked.c.title_highlight,
      marked.c.description_highlight,
    )
    .select_from(ranked)
    .join(marked, marked.c.post_id == ranked.c.post_id)
    .join(Post, Post.id == ranked.c.post_id)
  )
  return with_post_token(with_seller(statement)).order_by(ranked.c.ordinal)


def postgresql_headline(text_expression, terms, options):
  """ts_headline over HTML-escaped text: the only raw tags in the result are its markers."""
  return func.ts_headline(
    POSTGRESQL_HIGHLIGHT_CONFIG,
    sql_html_escape(text_expression),
    postgresql_tsquery(terms),
    f'StartSel={HIGHLIGHT_START}, StopSel={HIGHLIGHT_STOP}, {options}',
  )


def postgresql_page_statement(terms, filters, limit, offset, sort=SORT_RELEVANCE):
  """One statement for a page on PostgreSQL: the ranked page, then ts_headline for its rows
  only (ts_headline re-parses the text, far too slow to run on every match)."""
  ranked = ranked_page(postgresql_matches(terms, filters), limit, offset, sort)
  title_highlight = postgresql_headline(Post.title, terms, 'HighlightAll=true')
  description_highlight = postgresql_headline(
    Post.description,
    terms,
    # One fragment centred on the matches; ShortWord=0 keeps short words at its edges.
    f'MaxWords={SNIPPET_WORDS}, MinWords={SNIPPET_MIN_WORDS}, ShortWord=0, MaxFragments=1',
  )
  statement = select(
    *Post.__table__.columns,
    *seller_columns(),
    ranked.c.total,
    title_highlight.label('title_highlight'),
    description_highlight.label('description_highlight'),
  ).join(ranked, Post.id == ranked.c.post_id)
  return with_post_token(with_seller(statement)).order_by(ranked.c.ordinal)


def is_postgresql():
  """True when the session talks to PostgreSQL (else SQLite)."""
  return db.session.get_bind().dialect.name == 'postgresql'


def count_matches(terms, filters):
  """How many posts match, for a page past the end (where the window count has no row)."""
  find_matches = postgresql_matches if is_postgresql() else sqlite_matches
  matches = find_matches(terms, filters).subquery()
  return db.session.execute(select(func.count()).select_from(matches)).scalar_one()


@functools.lru_cache(maxsize=STATEMENTS_LIMIT)
def page_statement(on_postgresql, words, last_is_prefix, filters_key, limit, offset, sort):
  """The statement of one search page, built once per engine, words, filters (filter_items),
  page and sort: SQLAlchemy then computes its cache key once (the time is bound at each run)."""
  build_statement = postgresql_page_statement if on_postgresql else sqlite_page_statement
  terms = SearchTerms(list(words), last_is_prefix)
  return build_statement(terms, dict(filters_key), limit, offset, sort)


def search_page(terms, filters, page, per_page, sort):
  """One page of the posts matching `terms` and `filters` as the list envelope."""
  envelope = {'items': [], 'page': page, 'per_page': per_page, 'total': 0}
  statement = page_statement(
    is_postgresql(),
    tuple(terms.words),
    terms.last_is_prefix,
    filter_items(filters),
    per_page,
    (page - 1) * per_page,
    sort,
  )
  rows = db.session.execute(statement).all()
  if rows:
    envelope['total'] = rows[0].total
  elif page > 1:
    envelope['total'] = count_matches(terms, filters)
  # Core rows with the sellers' columns: one query for the page and its sellers, then photos.
  items = posts_with_sellers_to_json(rows)
  for item, row in zip(items, rows, strict=True):
    item['highlight'] = highlight_html(row.title_highlight, row.description_highlight)
  envelope['items'] = items
  return envelope


def search_posts(query_text, filters, page, per_page, sort=SORT_RELEVANCE):
  """One page of the posts matching `query_text` and `filters` in `sort` order, as the list
  envelope plus `corrected_query`; each item is the post's JSON plus `highlight` (see
  highlight_html). When the words find little, their typo-corrected form is tried (see
  SearchCorrection) and used if it finds at least as much."""
  terms = parse_search_terms(query_text)
  if not terms:
    return {'items': [], 'page': page, 'per_page': per_page, 'total': 0, 'corrected_query': None}
  if not search_words_are_tagged(terms.words):
    answer_is_not_stored()
  envelope = search_page(terms, filters, page, per_page, sort)
  envelope['corrected_query'] = None
  if envelope['total'] < CORRECTION_BELOW_RESULTS:
    # Whether a correction is found depends on every title, not only the words' own posts.
    answer_is_not_stored()
    corrected_words = corrected_search_words(terms.words, filters)
    if corrected_words:
      corrected_terms = SearchTerms(corrected_words, terms.last_is_prefix)
      corrected = search_page(corrected_terms, filters, page, per_page, sort)
      # As many or more: the corrected words are what was meant (PostgreSQL's stemmer may
      # already find "calculater" as "calcul", but the highlights and the note need the word).
      if corrected['total'] and corrected['total'] >= envelope['total']:
        envelope = corrected
        envelope['corrected_query'] = ' '.join(corrected_words)
  return envelope


def highlight_html(title_highlight, description_highlight):
  """The highlight of one result: the description snippet when the description matches, else
  the title; HTML-escaped text whose only tags are <mark> around the matches."""
  if not is_postgresql():
    title_highlight = render_marked_text(title_highlight)
    description_highlight = render_marked_text(description_highlight)
  if HIGHLIGHT_START in (description_highlight or ''):
    return description_highlight
  return title_highlight or ''
