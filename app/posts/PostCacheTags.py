"""The response cache's tags of posts (docs/CACHE.md, rules 5 and 7): a post's page, which every
page showing it carries too, the lists, the prices, and the search pages of its words (a page is
tagged by its words' first two characters; a post's write bumps those of its texts' words)."""

import re

from sqlalchemy import String, cast, literal

from app.posts.PostConstants import SORT_PRICE_ASC, SORT_PRICE_DESC

LISTS_TAG = 'lists'
# Carried by list and search pages filtered or ordered by price; bumped by any price change.
PRICES_TAG = 'prices'
SEARCH_TAG = 'search'
# The words of a plain ASCII text as both search engines split it.
ASCII_WORD_RUN = re.compile(r'[A-Za-z0-9]+')
# Words a stemmer may cut to their first character: one or two characters, `ies`, and a vowel
# before `ed` or `ing` (`aing` is `a`): their pages are tagged by that character alone.
SHORT_STEM_WORD = re.compile(r'.{1,2}|ies|[aeiouy](?:ed|ing)s?|[aeiouy](?:ed|ing)ly')


def post_tag(post_id):
  return f'post:{post_id}'


def post_tag_expression(post_id):
  """`post_tag` in SQL, of `post_id`, a SQL expression (Post.id)."""
  return literal('post:', String).concat(cast(post_id, String))


def list_tag(category=None):
  """The tag of a list page: its category's, or LISTS_TAG for a list of every category."""
  return f'list:{category}' if category else LISTS_TAG


def price_tags(filters, sort=None):
  """(PRICES_TAG,) for a page filtered or ordered by price, whose posts a price change moves."""
  by_price = sort in (SORT_PRICE_ASC, SORT_PRICE_DESC) or any(
    filters.get(name) is not None for name in ('min_price', 'max_price')
  )
  return (PRICES_TAG,) if by_price else ()


def search_word_tags(word):
  """The tags of the search pages for a word (lowercase ASCII at its start): `search:` and its
  first two characters, or its first alone when a stemmer may cut it to one (`is`, `aing`).

  A page for a word shows the posts with a word that is it, starts with it (the last word is a
  prefix), or shares its stem (PostgreSQL's English stemmer). Stemmers change endings only: a
  stem of two characters or more keeps the word's first two, except `y` turned `i` (`eying`
  is `ei`, `dying` is `die`), which both spellings' tags cover."""
  if SHORT_STEM_WORD.fullmatch(word):
    return {f'search:{word[0]}'}
  tags = {f'search:{word[:2]}'}
  if word[1] == 'y':
    tags.add(f'search:{word[0]}i')
  return tags


def search_text_tags(*texts):
  """The tags a post with these texts (its title and description, before and after a write)
  invalidates among search pages: each word's first character and first two (see
  search_word_tags). Text with any character beyond plain ASCII may be folded in ways this
  cannot follow, and bumps SEARCH_TAG, which every search page carries."""
  tags = set()
  for text in texts:
    if text and not text.isascii():
      return {SEARCH_TAG}
    for word in ASCII_WORD_RUN.findall((text or '').lower()):
      tags.add(f'search:{word[0]}')
      tags |= search_word_tags(word)
  return tags


def search_words_are_tagged(words):
  """Whether the tags describe a search for these words: not when a word's first two
  characters go beyond plain ASCII, which a search engine may fold in ways the tags cannot
  follow (such a search is answered, never stored: `answer_is_not_stored`)."""
  return all(word[:2].isascii() for word in words)


def search_page_tags(words):
  """The tags of a search page for its words: SEARCH_TAG and each word's (those of a search
  whose words are not all tagged go unused: it is never stored)."""
  tags = set()
  for word in words:
    if search_words_are_tagged([word]):
      tags |= search_word_tags(word.lower())
  return (SEARCH_TAG, *sorted(tags))
