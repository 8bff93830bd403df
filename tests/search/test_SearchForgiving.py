"""Issue 15, item 11: typo tolerance ("calculater" finds calculators, saying so), the head
noun of a title ranks first, and search takes the campus filter and a sort."""

from tests.factories import make_campus, make_post
from tests.search.SearchTestCase import SearchTestCase


class SearchForgivingTest(SearchTestCase):
  def setUp(self):
    super().setUp()
    north, south = make_campus('north').id, make_campus('south').id
    self.calculator = make_post(
      title='Graphing calculator TI-84', price_cents=4000, campus_id=north
    )
    make_post(title='Scientific calculator', price_cents=1500, campus_id=south)
    make_post(title='Desk plant', price_cents=500, campus_id=north)
    make_post(title='IKEA Malm desk', price_cents=5000, campus_id=south)
    make_post(title='Two standing desks', price_cents=9000)

  def test_a_misspelt_word_finds_what_was_meant_and_says_so(self):
    body = self.search_ok('calculater')
    self.assertEqual(body['corrected_query'], 'calculator')
    self.assertEqual(
      sorted(item['title'] for item in body['items']),
      ['Graphing calculator TI-84', 'Scientific calculator'],
    )
    self.assertIn('<mark>', body['items'][0]['highlight'])
    body = self.search_ok('graphng calculater')
    self.assertEqual(body['corrected_query'], 'graphing calculator')
    self.assertEqual([item['id'] for item in body['items']], [self.calculator.id])

  def test_correct_words_and_nonsense_are_left_alone(self):
    body = self.search_ok('calculator')
    self.assertIsNone(body['corrected_query'])
    self.assertEqual(body['total'], 2)
    body = self.search_ok('xqzvw')
    self.assertEqual((body['total'], body['corrected_query']), (0, None))
    # Too short to compare: left as typed.
    self.assertIsNone(self.search_ok('dsk')['corrected_query'])

  def test_the_correction_respects_the_filters(self):
    body = self.search_ok('calculater', campus='south')
    self.assertEqual([item['title'] for item in body['items']], ['Scientific calculator'])
    body = self.search_ok('calculater', max_price=100)
    self.assertEqual((body['total'], body['corrected_query']), (0, None))

  def test_the_head_noun_ranks_first(self):
    titles = self.found_titles('desk')
    self.assertEqual(titles[:2], ['IKEA Malm desk', 'Two standing desks'])
    self.assertEqual(titles[-1], 'Desk plant')

  def test_sort_and_campus(self):
    self.assertEqual(
      self.found_titles('desk', sort='price_asc'),
      ['Desk plant', 'IKEA Malm desk', 'Two standing desks'],
    )
    self.assertEqual(self.found_titles('desk', sort='price_desc')[0], 'Two standing desks')
    self.assertEqual(len(self.found_titles('desk', sort='newest')), 3)
    self.assertEqual(self.found_titles('desk', campus='north'), ['Desk plant'])
    response = self.search('desk', sort='cheapest')
    self.assert_error(response, 422, 'validation_error', fields=['sort'])
