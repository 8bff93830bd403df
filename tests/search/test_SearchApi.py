"""GET /api/search/posts: ranking, prefixes, filters, status, pages, highlights, refusals."""

import html
import re

from app.extensions import db
from app.posts.PostModels import PostImage
from tests.base import is_postgresql
from tests.factories import make_dib, make_post, make_user
from tests.search.SearchTestCase import SearchTestCase

MARK_TAGS = re.compile('</?mark>')


def without_marks(highlight_html):
  """The text of a highlight: its <mark> tags dropped and its entities decoded."""
  return html.unescape(MARK_TAGS.sub('', highlight_html))


class SearchRankingTest(SearchTestCase):
  def setUp(self):
    super().setUp()
    self.seller = make_user(username='sam')

  def test_a_title_match_ranks_above_a_description_match(self):
    make_post(self.seller, title='Desk lamp', description='Bright LED, adjustable arm.')
    # Newer, so only the ranking can put it second.
    make_post(self.seller, title='Bookshelf', description='Sturdy pine shelf, free lamp with it.')
    make_post(self.seller, title='Desk chair', description='Comfortable, adjustable.')
    self.assertEqual(self.found_titles('lamp'), ['Desk lamp', 'Bookshelf'])

  def test_the_last_word_matches_as_a_prefix(self):
    make_post(self.seller, title='Graphing calculator', description='Solar powered.')
    make_post(self.seller, title='Calculus textbook', description='Stewart, 8th edition.')
    self.assertEqual(
      sorted(self.found_titles('calcu')), ['Calculus textbook', 'Graphing calculator']
    )
    self.assertEqual(
      sorted(self.found_titles('calc')), ['Calculus textbook', 'Graphing calculator']
    )
    self.assertEqual(self.found_titles('graphing calc'), ['Graphing calculator'])
    self.assertEqual(self.found_titles('solar calculator'), ['Graphing calculator'])

  def test_every_prefix_of_a_word_finds_it(self):
    # The SPA searches as the user types: no prefix may lose the post on the way. PostgreSQL's
    # English stemmer indexes "calculator" as `calcul`, which `calcula` is no prefix of.
    make_post(self.seller, title='TI-84 Plus graphing calculator', description='Exam-approved.')
    make_post(self.seller, title='Desk lamp', description='Bright LED.')
    for length in range(2, len('calculator') + 1):
      prefix = 'calculator'[:length]
      with self.subTest(prefix=prefix):
        self.assertEqual(self.found_titles(prefix), ['TI-84 Plus graphing calculator'])
        self.assertEqual(self.found_titles(f'ti {prefix}'), ['TI-84 Plus graphing calculator'])
        self.assertIn('<mark>calculator</mark>', self.search_ok(prefix)['items'][0]['highlight'])

  def test_a_prefix_match_in_the_title_ranks_above_one_in_the_description(self):
    make_post(self.seller, title='Graphing calculator', description='Solar powered.')
    make_post(self.seller, title='Math kit', description='Ruler, compass, calculator.')
    self.assertEqual(self.found_titles('calcula'), ['Graphing calculator', 'Math kit'])

  def test_a_full_word_also_finds_its_other_forms(self):
    if not is_postgresql():
      self.skipTest('SQLite (FTS5 unicode61) does not stem: only PostgreSQL finds other forms')
    make_post(self.seller, title='Road bike', description='Steel frame, two wheels.')
    self.assertEqual(self.found_titles('bikes'), ['Road bike'])
    self.assertEqual(self.found_titles('bikes road'), ['Road bike'])
    self.assertEqual(self.found_titles('wheel frames'), ['Road bike'])

  def test_a_stopword_is_searched_as_typed(self):
    # PostgreSQL's English configuration drops stopwords; the unstemmed words keep them, so a
    # query of stopwords finds posts (as on SQLite) and one more word only narrows a search.
    make_post(self.seller, title='The Hobbit', description='Paperback.')
    make_post(self.seller, title='Desk lamp', description='Bright LED.')
    make_post(self.seller, title='Lamp for a desk', description='Bright LED.')
    self.assertEqual(self.found_titles('the'), ['The Hobbit'])
    self.assertEqual(self.found_titles('for'), ['Lamp for a desk'])
    self.assertEqual(self.found_titles('lamp for'), ['Lamp for a desk'])
    self.assertEqual(self.found_titles('lamp for a desk'), ['Lamp for a desk'])

  def test_only_the_last_word_is_a_prefix(self):
    make_post(self.seller, title='Graphing calculator', description='Solar powered.')
    self.assertEqual(self.found_titles('calc graphing'), [])
    # One letter is too short to be a prefix: it is searched as a whole word.
    self.assertEqual(self.found_titles('graphing c'), [])

  def test_model_numbers_are_found_by_their_parts(self):
    make_post(self.seller, title='TI-84 Plus graphing calculator', description='Exam-approved.')
    self.assertEqual(self.found_titles('ti 84'), ['TI-84 Plus graphing calculator'])
    self.assertEqual(self.found_titles('TI-84 plus'), ['TI-84 Plus graphing calculator'])
    self.assertEqual(self.found_titles('84 calc'), ['TI-84 Plus graphing calculator'])

  def test_every_word_must_match(self):
    make_post(self.seller, title='Desk lamp', description='Bright LED.')
    make_post(self.seller, title='Floor lamp', description='Tall.')
    self.assertEqual(self.found_titles('desk lamp'), ['Desk lamp'])
    self.assertEqual(self.found_titles('LAMP desk'), ['Desk lamp'])
    self.assertEqual(self.found_titles('desk lamp bicycle'), [])

  def test_case_and_accents_of_the_query_follow_the_text(self):
    make_post(self.seller, title='Café crème machine', description='Makes two cups.')
    self.assertEqual(self.found_titles('CAFÉ'), ['Café crème machine'])
    self.assertEqual(self.found_titles('crème machine'), ['Café crème machine'])

  def test_a_query_without_any_word_finds_nothing(self):
    make_post(self.seller, title='Graphing calculator', description='Solar powered.')
    body = self.search_ok('?!* -- ""')
    self.assertEqual((body['items'], body['total']), ([], 0))


class SearchFiltersTest(SearchTestCase):
  def setUp(self):
    super().setUp()
    self.ana = make_user(username='ana')
    self.ben = make_user(username='ben')
    rows = (
      ('Calculus textbook', 'textbooks', 3000, 'available', self.ana),
      ('Physics textbook', 'textbooks', 1500, 'available', self.ben),
      ('Chemistry textbook', 'textbooks', 2000, 'pending', self.ana),
      ('Biology textbook', 'textbooks', 2500, 'sold', self.ben),
      ('Algebra textbook', 'textbooks', 500, 'withdrawn', self.ana),
      ('Textbook stand', 'furniture', 1200, 'available', self.ana),
    )
    for title, category, price, status, seller in rows:
      make_post(
        seller, title=title, category=category, price_cents=price, status=status, description='.'
      )

  def test_status_defaults_to_available(self):
    self.assertEqual(
      sorted(self.found_titles('textbook')),
      ['Calculus textbook', 'Physics textbook', 'Textbook stand'],
    )

  def test_each_status_on_request(self):
    self.assertEqual(self.found_titles('textbook', status='pending'), ['Chemistry textbook'])
    self.assertEqual(self.found_titles('textbook', status='sold'), ['Biology textbook'])

  def test_withdrawn_posts_are_found_only_when_asked_for(self):
    self.assertNotIn('Algebra textbook', self.found_titles('algebra'))
    self.assertEqual(self.found_titles('textbook', status='withdrawn'), ['Algebra textbook'])

  def test_each_filter(self):
    self.assertEqual(
      sorted(self.found_titles('textbook', category='textbooks')),
      ['Calculus textbook', 'Physics textbook'],
    )
    self.assertEqual(
      sorted(self.found_titles('textbook', min_price=1500)),
      ['Calculus textbook', 'Physics textbook'],
    )
    self.assertEqual(
      sorted(self.found_titles('textbook', max_price=1500)), ['Physics textbook', 'Textbook stand']
    )
    self.assertEqual(self.found_titles('textbook', seller='ben'), ['Physics textbook'])

  def test_filters_combine(self):
    self.assertEqual(
      self.found_titles(
        'textbook', category='textbooks', min_price=1000, max_price=2800, seller='ben'
      ),
      ['Physics textbook'],
    )
    self.assertEqual(
      self.found_titles('textbook', category='furniture', status='available', seller='ana'),
      ['Textbook stand'],
    )
    self.assertEqual(self.found_titles('textbook', category='bikes'), [])

  def test_blank_filters_are_no_filters(self):
    self.assertEqual(
      len(self.found_titles('textbook', category='', min_price='', status='', seller='')), 3
    )


class SearchPagesTest(SearchTestCase):
  def setUp(self):
    super().setUp()
    seller = make_user()
    self.post_ids = [
      make_post(seller, title=f'Road bike {number}', description='Steel frame.').id
      for number in range(5)
    ]

  def test_pages_cover_every_match_once_with_the_total(self):
    seen = []
    for page in (1, 2, 3):
      body = self.search_ok('bike', page=page, per_page=2)
      self.assertEqual((body['page'], body['per_page'], body['total']), (page, 2, 5))
      seen += [item['id'] for item in body['items']]
    self.assertEqual(sorted(seen), sorted(self.post_ids))

  def test_a_page_past_the_end_is_empty_with_the_total(self):
    body = self.search_ok('bike', page=4, per_page=2)
    self.assertEqual((body['items'], body['page'], body['total']), ([], 4, 5))

  def test_default_page_and_size(self):
    body = self.search_ok('bike')
    self.assertEqual((body['page'], body['per_page'], body['total']), (1, 20, 5))

  def test_equal_matches_come_newest_first(self):
    body = self.search_ok('bike')
    self.assertEqual([item['id'] for item in body['items']], sorted(self.post_ids, reverse=True))


class SearchItemsTest(SearchTestCase):
  def test_an_item_is_the_post_plus_its_highlight(self):
    post = make_post(title='Graphing calculator', description='Solar powered, like new.')
    item = self.search_ok('solar')['items'][0]
    highlight = item.pop('highlight')
    self.assertEqual(item, self.client.get(f'/api/posts/{post.id}').get_json()['post'])
    self.assertTrue(highlight.startswith('<mark>Solar</mark> powered, like new'), highlight)

  def test_the_highlight_is_the_title_when_only_the_title_matches(self):
    make_post(title='Desk lamp and lamp shade', description='Bulb included.')
    self.assertEqual(
      self.search_ok('desk lamp')['items'][0]['highlight'],
      '<mark>Desk</mark> <mark>lamp</mark> and <mark>lamp</mark> shade',
    )

  def test_the_highlight_is_the_description_snippet_when_it_matches(self):
    make_post(title='Desk lamp', description='A lamp for your desk. Bulb included.')
    highlight = self.search_ok('desk lamp')['items'][0]['highlight']
    self.assertIn('<mark>lamp</mark> for your <mark>desk</mark>', highlight)

  def test_a_highlighted_title_is_escaped_html_around_the_marks(self):
    title = 'Bike lock <script>alert("x")</script> & chain'
    make_post(title=title, description='Fits any frame.')
    item = self.search_ok('chain')['items'][0]
    self.assertEqual(item['title'], title)
    self.assertEqual(
      item['highlight'],
      'Bike lock &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; <mark>chain</mark>',
    )
    self.assertEqual(without_marks(item['highlight']), title)

  def test_a_description_snippet_is_escaped_html_around_the_marks(self):
    description = 'Fits <b>any</b> frame. It\'s a "heavy" lock & 2 keys > 1 key.'
    make_post(title='Bike lock', description=description)
    highlight = self.search_ok('heavy')['items'][0]['highlight']
    # The only tags are the marks, and the snippet is an excerpt of the escaped text (cut at
    # words, so a cut never splits an entity).
    self.assertNotRegex(MARK_TAGS.sub('', highlight), '[<>"]')
    self.assertIn(MARK_TAGS.sub('', highlight).strip('…'), html.escape(description))
    self.assertIn('&quot;<mark>heavy</mark>&quot; lock &amp; 2 keys &gt; 1', highlight)

  def test_a_long_description_is_cut_around_the_match(self):
    words = [f'filler{number}' for number in range(80)]
    words[60] = 'tandem'
    make_post(title='Bicycle', description=' '.join(words))
    description = self.search_ok('tandem')['items'][0]['highlight']
    self.assertIn('<mark>tandem</mark>', description)
    self.assertNotIn('filler0 ', description)
    self.assertLess(len(without_marks(description).split()), 40)


class SearchAccessAndBudgetTest(SearchTestCase):
  def test_anonymous_and_logged_in_users_search(self):
    make_post(title='Graphing calculator')
    self.assertEqual(self.found_titles('calculator'), ['Graphing calculator'])
    self.login_as(make_user())
    self.assertEqual(self.found_titles('calculator'), ['Graphing calculator'])

  def test_the_number_of_statements_does_not_grow_with_the_page(self):
    sellers = [make_user() for _ in range(3)]
    buyer = make_user()
    for number in range(50):
      post = make_post(sellers[number % 3], title=f'Desk lamp {number}', description='Warm.')
      db.session.add(
        PostImage(
          post_id=post.id,
          storage_key=f'k{number}.jpg',
          thumb_key=f'k{number}-thumb.jpg',
          content_type='image/jpeg',
          width=10,
          height=10,
          byte_size=100,
        )
      )
      make_dib(post, buyer)
    db.session.commit()
    counts = {}
    for per_page in (1, 50):
      with self.count_queries() as statements:
        body = self.search_ok('lamp', per_page=per_page)
      self.assertEqual(len(body['items']), per_page)
      self.assertEqual(body['items'][-1]['dibs_count'], 1)
      self.assertEqual(len(body['items'][-1]['images']), 1)
      counts[per_page] = len(statements)
    self.assertEqual(counts[1], counts[50], statements)
    self.assertLessEqual(counts[50], 4, statements)


class SearchRefusalsTest(SearchTestCase):
  def test_q_is_required(self):
    self.assert_error(self.search(), 422, 'validation_error', fields=['q'])
    self.assert_error(self.search(''), 422, 'validation_error', fields=['q'])
    self.assert_error(self.search('   '), 422, 'validation_error', fields=['q'])

  def test_q_is_at_most_200_characters_after_trimming(self):
    self.assert_error(self.search('a' * 201), 422, 'validation_error', fields=['q'])
    self.assertEqual(self.search('a' * 200).status_code, 200)
    self.assertEqual(self.search('  ' + 'a' * 200 + '  ').status_code, 200)

  def test_bad_filters_and_pages_are_422_with_every_field(self):
    error = self.assert_error(
      self.search(category='boats', min_price='cheap', per_page=101),
      422,
      'validation_error',
      fields=['q', 'category', 'min_price', 'per_page'],
    )
    self.assertIn('Must be one of', error['fields']['category'][0])
    self.assert_error(
      self.search('bike', min_price=-1), 422, 'validation_error', fields=['min_price']
    )
    self.assert_error(
      self.search('bike', min_price=500, max_price=100),
      422,
      'validation_error',
      fields=['max_price'],
    )
    self.assert_error(
      self.search('bike', status='lost'), 422, 'validation_error', fields=['status']
    )
    self.assert_error(self.search('bike', page=0), 422, 'validation_error', fields=['page'])

  def test_only_get_is_allowed(self):
    response = self.api('post', '/api/search/posts?q=bike', json={})
    self.assert_error(response, 405, 'method_not_allowed')


class SearchDemoDataTest(SearchTestCase):
  def test_the_demo_data_is_searchable(self):
    result = self.app.test_cli_runner().invoke(args=['seed', '--posts', '5'])
    self.assertEqual(result.exit_code, 0, result.output)
    items = {item['title']: item for item in self.search_ok('calc')['items']}
    self.assertIn('TI-84 Plus graphing calculator', items)
    self.assertIn('<mark>Calc</mark>', items['TI-84 Plus graphing calculator']['highlight'])
