"""Search pages in the response cache (docs/CACHE.md): a post's write empties only the searches
whose words start with the first three characters of one of its words (two, or one, when a
stemmer may change the third), before and after the write, and a search the tags cannot
describe is never stored."""

import bisect
import itertools
import re
import unittest
from pathlib import Path

from sqlalchemy import text as sql_text

from app.extensions import db
from app.posts.PostCacheTags import search_page_tags, search_text_tags
from tests.base import ApiTestCase, is_postgresql
from tests.factories import make_post
from tests.posts.PostTestCase import PostTestCase


class SearchCacheTest(PostTestCase):
  def setUp(self):
    super().setUp()
    self.seller, self.post = self.make_post_with_seller(
      title='Desk lamp', description='Brass and green.', category='furniture'
    )
    # Three results or more each: a search with fewer tries a correction, never stored.
    for title in ('Study desk', 'Standing desk', 'Electric kettle', 'Glass kettle', 'Tea kettle'):
      make_post(seller=self.seller, title=title, description='Good.')

  def search(self, text):
    return self.client.get('/api/search/posts', query_string={'q': text})

  def titles(self, text):
    answer = self.search(text)
    self.assertEqual(answer.status_code, 200, answer.get_json())
    return [item['title'] for item in answer.get_json()['items']]

  def served_from_cache(self, text):
    """Whether the search answers with its tokens' one query only."""
    with self.count_queries() as queries:
      self.assertEqual(self.search(text).status_code, 200)
    return len(queries) == 1

  def create(self, title, description):
    """A new post, written through the session like the API's (whose young-account rule would
    hold a seventh post of this seller for review)."""
    return make_post(seller=self.seller, title=title, description=description)

  def test_a_new_post_empties_only_the_searches_of_its_words_first_three_characters(self):
    for text in ('desk', 'kettle'):
      self.titles(text)
      self.assertTrue(self.served_from_cache(text))
    # ric, coo, wor, fin, dar, boa, den: neither "des" nor "ket". The order of a page is
    # decided by each post's own text, so a new post elsewhere cannot move it.
    self.create('Rice cooker', 'Works fine.')
    self.create('Dart board', 'Barely used.')
    self.create('Dented pot', 'Cooks.')
    self.assertTrue(self.served_from_cache('desk'))
    self.assertTrue(self.served_from_cache('kettle'))
    self.create('Travel kettle', 'Folds flat.')
    self.assertFalse(self.served_from_cache('kettle'))
    self.assertIn('Travel kettle', self.titles('kettle'))
    self.assertTrue(self.served_from_cache('desk'))
    # "Designer" shares "des" with "desk" (it could be a stem or a prefix of a "des" word).
    self.create('Designer pot', 'Cooks.')
    self.assertFalse(self.served_from_cache('desk'))

  def test_a_price_change_empties_only_the_searches_of_its_words_first_three_characters(self):
    for text in ('desk', 'kettle'):
      self.titles(text)
    self.api('patch', f'/api/posts/{self.post.id}', json={'price_cents': 1234})
    self.assertFalse(self.served_from_cache('desk'))
    self.assertTrue(self.served_from_cache('kettle'))
    prices = {
      item['title']: item['price_cents'] for item in self.search('desk').get_json()['items']
    }
    self.assertEqual(prices['Desk lamp'], 1234)

  def test_a_post_renamed_leaves_the_searches_of_its_old_words(self):
    self.assertIn('Desk lamp', self.titles('desk'))
    self.assertTrue(self.served_from_cache('desk'))
    # The new text has no word starting with "des": only the old one empties "desk".
    self.api('patch', f'/api/posts/{self.post.id}', json={'title': 'Floor light'})
    self.assertEqual(sorted(self.titles('desk')), ['Standing desk', 'Study desk'])

  def dibs_counts(self, text):
    return {item['title']: item['dibs_count'] for item in self.search(text).get_json()['items']}

  def test_a_dib_is_seen_in_the_searches_that_show_its_post(self):
    self.assertEqual(self.dibs_counts('desk')['Desk lamp'], 0)
    self.assertTrue(self.served_from_cache('desk'))
    _, buyer_client = self.make_buyer()
    self.call_dibs(self.post.id, buyer_client)
    self.assertEqual(self.dibs_counts('desk')['Desk lamp'], 1)

  def test_a_prefix_search_sees_a_new_word_it_starts(self):
    self.create('Lamp shade', 'Linen.')
    self.create('Floor lamp', 'Tall.')
    self.assertEqual(sorted(self.titles('la')), ['Desk lamp', 'Floor lamp', 'Lamp shade'])
    self.assertTrue(self.served_from_cache('la'))
    self.create('Lava lamp', 'Glows.')
    self.assertIn('Lava lamp', self.titles('la'))

  def test_a_stemmed_match_is_seen(self):
    self.create('Lamp shade', 'Linen.')
    self.create('Floor lamp', 'Tall.')
    if is_postgresql():
      # "lamps" finds "lamp" by its stem: three results, so the page is stored.
      self.assertEqual(len(self.titles('lamps')), 3)
      self.assertTrue(self.served_from_cache('lamps'))
    self.create('Reading lamp', 'Clamps on.')
    self.assertIn('Reading lamp', self.titles('lamps'))

  def test_text_beyond_plain_ascii_empties_every_search(self):
    self.titles('kettle')
    self.assertTrue(self.served_from_cache('kettle'))
    self.api('patch', f'/api/posts/{self.post.id}', json={'description': 'Brass, à la française.'})
    self.assertFalse(self.served_from_cache('kettle'))

  def test_searches_the_tags_cannot_describe_are_never_stored(self):
    # A word starting beyond ASCII, and a misspelling (its correction reads every title).
    for text in ('éclair', 'lmap'):
      first = self.search(text)
      self.assertFalse(self.served_from_cache(text), text)
      # Answered like any search all the same: its ETag, and 304 when the client holds it.
      again = self.client.get(
        '/api/search/posts',
        query_string={'q': text},
        headers={'If-None-Match': first.headers['ETag']},
      )
      self.assertEqual(again.status_code, 304, text)


class SearchTagRulesTest(unittest.TestCase):
  """The rule that ties a post's words to the search pages they may appear on: a page is
  tagged by its words' first three characters (two, or one, when a stemmer may change the
  third), a text bumps each word's first one, two and three."""

  def test_a_page_is_tagged_by_its_words_first_three_characters(self):
    self.assertEqual(search_page_tags(['Desk', 'lamp']), ('search', 'search:des', 'search:lam'))
    self.assertEqual(
      search_text_tags('Desk lamp'),
      {'search:d', 'search:de', 'search:des', 'search:l', 'search:la', 'search:lam'},
    )

  def test_a_word_a_stemmer_may_cut_to_two_characters_is_tagged_by_them(self):
    # Porter2's later steps change only what follows a vowel and a consonant, which may be
    # the third character of `awful` (`aw`); step 1 cuts `doing` to `do` and `ois` to `oi`.
    for word, tag in (('awful', 'search:aw'), ('doing', 'search:do'), ('ois', 'search:oi')):
      self.assertEqual(search_page_tags([word]), ('search', tag), word)
      self.assertIn(tag, search_text_tags(f'{word} islands'))

  def test_a_word_a_stemmer_may_cut_to_one_character_is_tagged_by_it(self):
    # `is` and `aing` stem to `i` and `a` (Porter), whose prefix search finds every i or a word.
    for word, tag in (
      ('is', 'search:i'),
      ('x', 'search:x'),
      ('ies', 'search:i'),
      ('aing', 'search:a'),
    ):
      self.assertEqual(search_page_tags([word]), ('search', tag), word)
      self.assertIn(tag, search_text_tags(f'{word} islands'))
    self.assertIn('search:i', search_text_tags('Ink'))

  def test_a_y_the_stemmer_turns_into_i_is_tagged_both_ways(self):
    # PostgreSQL stems "dying" to "die" and "cry" to "cri": "diet" matches `dying:*`.
    self.assertEqual(search_page_tags(['dying']), ('search', 'search:di', 'search:dy'))
    self.assertEqual(search_page_tags(['cry']), ('search', 'search:cri', 'search:cry'))
    self.assertIn('search:di', search_text_tags('Diet book'))
    self.assertIn('search:cri', search_text_tags('Crying baby'))
    # The stem of an exceptional form: "dying" is "die", which a search for "dies" finds.
    self.assertIn('search:die', search_text_tags('Dying plant'))

  def test_text_beyond_plain_ascii_bumps_every_search(self):
    self.assertEqual(search_text_tags('Desk', 'Crème brûlée'), {'search'})


# Words stemmers treat unusually (Porter2's exceptions, step 1's cuts, y turned i), with the
# words of this repository's code and documents: the corpus the PostgreSQL check runs over.
TRICKY_WORDS = (
  'dying lying tying dies died die lie lies tie ties tied skies sky ski skis cry cries cried '
  'crying doing do done going go being be using use used toed toe its it ois awful aw eye eyes '
  'eyed ugly early only singly gently idly news atlas bias cosmos andes howe inning outing '
  'canning herring earring proceed exceed succeed seeing see agreed agree feed fed bed beds '
  'dyed dye dyes'
).split()


def repository_words():
  """Every lowercase ASCII word of the app's code and the documents, with TRICKY_WORDS."""
  root = Path(__file__).resolve().parents[2]
  words = set(TRICKY_WORDS)
  for path in [*root.glob('app/**/*.py'), *root.glob('docs/*.md'), root / 'README.md']:
    words |= {word.lower() for word in re.findall(r'[A-Za-z][a-z]+', path.read_text())}
  return sorted(words)


class SearchTagStemmingTest(ApiTestCase):
  """The tag rule against PostgreSQL's own matching: for each search word (the last, a prefix)
  and each one-word post it finds, the page's tags and the post's bumps share a tag."""

  def test_every_post_a_search_finds_bumps_one_of_its_tags(self):
    if not is_postgresql():
      self.skipTest('SQLite does not stem: a match is the word or a word it starts')
    words = repository_words()
    rows = db.session.execute(
      sql_text(
        "SELECT w, ARRAY(SELECT lexeme FROM unnest(to_tsvector('english', w) || "
        "to_tsvector('simple', w))), to_tsquery('english', quote_literal(w) || ':*')::text "
        "|| ' ' || to_tsquery('simple', quote_literal(w) || ':*')::text "
        'FROM unnest(CAST(:words AS text[])) AS w'
      ),
      {'words': words},
    ).all()
    # Every (lexeme, one-word post) in lexeme order: a prefix's posts are one run of it.
    lexemes = sorted((lexeme, word) for word, post_lexemes, _ in rows for lexeme in post_lexemes)
    checked, missed = 0, []
    for word, _, queries in rows:
      page_tags = set(search_page_tags([word]))
      for prefix in set(re.findall(r"'([^']*)':\*", queries)):
        start = bisect.bisect_left(lexemes, (prefix, ''))
        for lexeme, post_word in itertools.takewhile(
          lambda pair, prefix=prefix: pair[0].startswith(prefix),
          itertools.islice(lexemes, start, None),
        ):
          checked += 1
          if not page_tags & search_text_tags(post_word):
            missed.append((word, lexeme, post_word))
    self.assertGreater(checked, 10_000)
    self.assertEqual(missed, [])
