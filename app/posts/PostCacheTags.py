"""The response cache's tags of posts (docs/CACHE.md, rules 5 and 7): a post's page, which every
page showing it carries too, the lists, the prices, and the search pages of its words (a page is
tagged by its words' first three characters; a post's write bumps those of its texts' words)."""

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
VOWELS = 'aeiou'
# The ends Porter2's step 1 removes from a word's third character on, leaving two: -ed, -ing
# (-edly, -ings...) and -s (`ois` is `oi`).
CUT_TO_TWO = re.compile(r'(?:ed|ing)(?:ly|s)?|s')
# Porter2's exceptional forms whose stem changes one of the first three characters.
STEM_EXCEPTIONS = {'dying': 'die', 'lying': 'lie', 'tying': 'tie'}


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
  first three characters when a stemmer keeps them (`stem_keeps_three`), else its first two, or
  its first alone when a stemmer may cut it to one (`is`, `aing`).

  A page for a word shows the posts with a word that is it, starts with it (the last word is a
  prefix), or whose stem starts with its stem (PostgreSQL's English stemmer, Porter2). Stemmers
  change endings only, except a `y` turned `i` (`cry` is `cri`, `dying` is `die`), which both
  spellings' tags cover."""
  if SHORT_STEM_WORD.fullmatch(word):
    return {f'search:{word[0]}'}
  return spellings(word[:3] if stem_keeps_three(word) else word[:2])


def stem_keeps_three(word):
  """Whether Porter2 keeps the word's first three characters (but a `y` turned `i`): it starts
  with a consonant or two vowels, so the region its steps 2 to 5 change starts at the fourth
  character at the earliest, and step 1 does not cut it to two (`doing` is `do`)."""
  return (
    len(word) >= 3
    and not (word[0] in VOWELS and word[1] not in VOWELS)
    and not CUT_TO_TWO.fullmatch(word[2:])
  )


def spellings(prefix):
  """The tags of a prefix: as written, and with each `y` after its first character as `i`."""
  tags = {prefix}
  for index in range(1, len(prefix)):
    if prefix[index] == 'y':
      tags |= {tag[:index] + 'i' + tag[index + 1 :] for tag in tags}
  return {f'search:{tag}' for tag in tags}


def search_text_tags(*texts):
  """The tags a post with these texts (its title and description, before and after a write)
  invalidates among search pages: each word's first character, first two and first three (and
  a stem exception's, `dying` is `die`; see search_word_tags). Text with any character beyond
  plain ASCII may be folded in ways this cannot follow, and bumps SEARCH_TAG, which every search
  page carries."""
  tags = set()
  for text in texts:
    if text and not text.isascii():
      return {SEARCH_TAG}
    for word in ASCII_WORD_RUN.findall((text or '').lower()):
      # search_word_tags(word) is one of these: its first character, two or three.
      tags.add(f'search:{word[0]}')
      tags |= spellings(word[:2]) | spellings(word[:3])
      if word in STEM_EXCEPTIONS:
        tags |= spellings(STEM_EXCEPTIONS[word])
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
