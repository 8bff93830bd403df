"""Search pages in the response cache (docs/CACHE.md): a post's write empties only the searches
whose words start with the first two characters of one of its words (before and after the
write), and a search the tags cannot describe is never stored."""

import unittest

from app.posts.PostCacheTags import search_page_tags, search_text_tags
from tests.base import is_postgresql
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

  def test_a_new_post_empties_only_the_searches_of_its_words_first_two_characters(self):
    for text in ('desk', 'kettle'):
      self.titles(text)
      self.assertTrue(self.served_from_cache(text))
    # ri, co, wo, fi, da, bo: neither "de" nor "ke". The order of a page is decided by each
    # post's own text, so a new post elsewhere cannot move it.
    self.create('Rice cooker', 'Works fine.')
    self.create('Dart board', 'Barely used.')
    self.assertTrue(self.served_from_cache('desk'))
    self.assertTrue(self.served_from_cache('kettle'))
    self.create('Travel kettle', 'Folds flat.')
    self.assertFalse(self.served_from_cache('kettle'))
    self.assertIn('Travel kettle', self.titles('kettle'))
    self.assertTrue(self.served_from_cache('desk'))
    # "Dented" shares "de" with "desk" (it could be a stem or a prefix of a "de" word).
    self.create('Dented pot', 'Cooks.')
    self.assertFalse(self.served_from_cache('desk'))

  def test_a_price_change_empties_only_the_searches_of_its_words_first_two_characters(self):
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
    # The new text has no word starting with "de": only the old one empties "desk".
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
  tagged by its words' first two characters, a text bumps each word's first one and two."""

  def test_a_page_is_tagged_by_its_words_first_two_characters(self):
    self.assertEqual(search_page_tags(['Desk', 'lamp']), ('search', 'search:de', 'search:la'))
    self.assertEqual(
      search_text_tags('Desk lamp'), {'search:d', 'search:de', 'search:l', 'search:la'}
    )

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
    # PostgreSQL stems "dying" to "die" (and Porter "eying" to "ei"): "diet" matches `dying:*`.
    self.assertEqual(search_page_tags(['dying']), ('search', 'search:di', 'search:dy'))
    self.assertIn('search:di', search_text_tags('Diet book'))
    self.assertIn('search:di', search_text_tags('Dying plant'))

  def test_text_beyond_plain_ascii_bumps_every_search(self):
    self.assertEqual(search_text_tags('Desk', 'Crème brûlée'), {'search'})
