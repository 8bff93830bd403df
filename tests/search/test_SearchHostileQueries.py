"""Query text is never syntax: operators, quotes and odd characters are words or separators,
and no query string makes the search fail."""

import unittest

from app.search.SearchHelpers import fts5_match_text, parse_search_terms, tsquery_word_texts
from tests.factories import make_post
from tests.search.SearchTestCase import SearchTestCase

# Each of these, typed as a query, must answer 200 with the list envelope.
HOSTILE_QUERIES = (
  '"',
  '""',
  '"""',
  "'",
  "''",
  '*',
  '**',
  '-',
  '--',
  ':',
  '::',
  '(',
  ')',
  '()',
  '((',
  '\\',
  '\\\\',
  '\\"',
  '^',
  '+',
  '{',
  '}',
  '&',
  '|',
  '!',
  '<->',
  '<2>',
  '%',
  '_',
  '%_%',
  'OR',
  'AND',
  'NOT',
  'NEAR',
  'near',
  'OR OR',
  'AND NOT',
  'NEAR(',
  'NEAR()',
  'NEAR(a b, -1)',
  'a OR',
  'OR a',
  'NOT a',
  'a NOT',
  'a AND',
  'a -',
  'a:',
  ':a',
  '"a',
  'a"',
  '"a" "b',
  "a'b",
  "'a",
  'a*b',
  '*a',
  'a*',
  'a:*',
  'a & b',
  'a | b',
  '!a',
  'a <-> b',
  '(a',
  'a)',
  '(a OR b',
  'a b) OR (c',
  'title:a',
  '{title description}: a',
  '- a',
  'a\\',
  '^a',
  "'; DROP TABLE posts; --",
  '" OR 1=1 --',
  '\x00',
  'a\x00b',
  '\u200b',
  '\ufeff',
  '\U0001f389',
  '\U0001f389 \U0001f6b2 \U0001f4da',
  'bike \U0001f6b2',
  '\U0001f468\u200d\U0001f469\u200d\U0001f467',
  'é',
  'e\u0301',
  '日本語',
  'Ünïcödé',
  'ﬁ',
  '١٢٣',
  '\u202eevil',
  'x' * 200,
  'calc ' * 39 + 'calc',
  ' '.join(f'w{number}' for number in range(45)),
  '"' * 200,
  '*' * 200,
  '(' * 200,
  '\\' * 200,
  "'" * 200,
  'NOT ' * 50,
  'a' + '-' * 199,
)


class SearchHostileQueriesTest(SearchTestCase):
  def setUp(self):
    super().setUp()
    self.calculator = make_post(
      title='Graphing calculator',
      description="Near mint, not a copy: title and description say it's true.",
    )

  def test_no_query_string_makes_the_search_fail(self):
    for query in HOSTILE_QUERIES:
      with self.subTest(query=query):
        response = self.search(query)
        if '\x00' in query:
          # NUL is refused for every query string by app/common/CommonSecurity.py.
          self.assert_error(response, 400, 'bad_request')
          continue
        self.assertIn(response.status_code, (200, 422), response.get_data(as_text=True))
        body = response.get_json()
        if response.status_code == 200:
          self.assertEqual(sorted(body), ['corrected_query', 'items', 'page', 'per_page', 'total'])
        else:
          # Only a query that is blank once trimmed is refused.
          self.assertEqual(query.strip(), '')
          self.assertEqual(list(body['error']['fields']), ['q'])

  def test_operators_and_quotes_are_searched_as_words(self):
    queries = (
      '"calculator',
      'calculator"',
      '"graphing calculator"',
      'calculator*',
      'calc*',
      'calc:*',
      '-calculator',
      'graphing -calculator',
      'calculator -',
      '(calculator',
      'calculator)',
      'NOT calculator',
      'calculator NOT',
      'calculator AND',
      'NEAR(graphing calculator)',
      'NEAR(graphing calculator, near)',
      'title:calculator',
      'description:calculator',
      '{title}: calculator',
      '^calculator',
      '+calculator',
      'calculator\\',
      "calculator's",
      "'calculator'",
      'calculator & graphing',
      'calculator | graphing',
      '!calculator',
      'graphing <-> calculator',
      'calculator 🎉',
    )
    for query in queries:
      with self.subTest(query=query):
        self.assertEqual(
          [item['id'] for item in self.search_ok(query)['items']], [self.calculator.id]
        )

  def test_an_operator_does_not_widen_or_exclude(self):
    make_post(title='Office chair', description='Swivel.')
    # Were OR an operator this would find the chair; were - one, it would drop the calculator.
    self.assertEqual(self.found_titles('calculator OR chair'), [])
    self.assertEqual(self.found_titles('graphing -calculator'), ['Graphing calculator'])

  def test_queries_without_a_word_find_nothing(self):
    for query in ('"', '*', '()', '-', ':', '\U0001f389', '\u200b'):
      with self.subTest(query=query):
        self.assertEqual(
          self.search_ok(query),
          {'items': [], 'page': 1, 'per_page': 20, 'total': 0, 'corrected_query': None},
        )


class SearchTermsTest(unittest.TestCase):
  """The query builders quote every word: no user character reaches the query syntax."""

  def test_words_are_letters_and_digits(self):
    terms = parse_search_terms('"Calc" OR -foo: (bar)* a_b \\x é1 \U0001f389')
    self.assertEqual(terms.words, ['Calc', 'OR', 'foo', 'bar', 'a', 'b', 'x', 'é1'])
    self.assertTrue(terms.last_is_prefix)

  def test_repeated_words_count_once_and_the_last_stays_last(self):
    self.assertEqual(parse_search_terms('lamp desk LAMP').words, ['desk', 'LAMP'])
    self.assertEqual(len(parse_search_terms(' '.join(f'w{n}' for n in range(40))).words), 16)
    self.assertEqual(parse_search_terms(' '.join(f'w{n}' for n in range(40))).words[-1], 'w39')

  def test_a_one_letter_last_word_is_no_prefix(self):
    self.assertFalse(parse_search_terms('desk a').last_is_prefix)
    self.assertFalse(parse_search_terms('?!').last_is_prefix)
    self.assertFalse(parse_search_terms('?!'))

  def test_fts5_query_quotes_every_word(self):
    terms = parse_search_terms('NEAR(desk OR lamp')
    self.assertEqual(fts5_match_text(terms), '"NEAR" "desk" "OR" "lamp" *')

  def test_tsquery_quotes_every_lexeme(self):
    terms = parse_search_terms("desk & lamp's !x")
    self.assertEqual(tsquery_word_texts(terms), ["'desk'", "'lamp'", "'s'", "'x'"])
    self.assertEqual(tsquery_word_texts(parse_search_terms('calc')), ["'calc':*"])
    self.assertEqual(
      tsquery_word_texts(parse_search_terms('ti-84 5')), ["'ti'", "('84' | '-84')", "('5' | '-5')"]
    )
    self.assertEqual(
      tsquery_word_texts(parse_search_terms("ti 84 o'")), ["'ti'", "('84' | '-84')", "'o'"]
    )
    self.assertEqual(
      tsquery_word_texts(parse_search_terms('ti 84')), ["'ti'", "('84':* | '-84':*)"]
    )
