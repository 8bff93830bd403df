"""Constants of the search area: query limits, ranking weights and highlight markers."""

import re

QUERY_MIN_LENGTH = 1
QUERY_MAX_LENGTH = 200

# A searchable word is a run of Unicode letters and digits; everything else a user types
# (quotes, *, -, :, parentheses, operators' punctuation) separates words and is never syntax.
SEARCH_WORD_PATTERN = re.compile(r'[^\W_]+')
# More words than this narrow nothing further and only make the query slower.
MAX_SEARCH_WORDS = 16
# The last word matches as a prefix (`calc` finds "calculator") from this length on: a
# one-letter prefix matches nearly every post and would only be slow.
PREFIX_MIN_LENGTH = 2

# A title match counts this many times a description match in PostgreSQL's ts_rank_cd (SQLite
# puts posts whose title has every word first: SearchHelpers.sqlite_matches).
TITLE_WEIGHT = 4.0
DESCRIPTION_WEIGHT = 1.0

# PostgreSQL: the two text search configurations of the generated search_vector
# (0003_search). English stems words (`bikes` finds "bike") but indexes "calculator" as
# `calcul`, which `calcula:*` misses; 'simple' keeps every word as typed, so any prefix finds it.
POSTGRESQL_TEXT_SEARCH_CONFIG = 'english'
POSTGRESQL_UNSTEMMED_SEARCH_CONFIG = 'simple'
# Highlights parse the text without stemming, so the prefix being typed (`calcula`) marks
# "calculator"; a full word is marked where the text has it as typed or as its stem.
POSTGRESQL_HIGHLIGHT_CONFIG = 'simple'

HIGHLIGHT_START = '<mark>'
HIGHLIGHT_STOP = '</mark>'
HIGHLIGHT_ELLIPSIS = '…'
# How many words a description snippet keeps around the matches.
SNIPPET_WORDS = 24
SNIPPET_MIN_WORDS = 12

# Orders of search results: best match first by default.
SORT_RELEVANCE = 'relevance'
SEARCH_SORTS = (SORT_RELEVANCE, 'newest', 'price_asc', 'price_desc')

# Typo tolerance: when the words find fewer posts than this, each word is compared with the
# words of matching titles by trigram similarity (pg_trgm's measure), and the corrected words
# are searched instead if they find more.
CORRECTION_BELOW_RESULTS = 3
# Words shorter than this are left alone: two letters have too few trigrams to compare.
CORRECTION_MIN_WORD_LENGTH = 4
# Share of trigrams in common (Jaccard) from which a title word counts as what was meant:
# "calculater" and "calculator" share 8 of 14.
CORRECTION_MIN_SIMILARITY = 0.45
# How many candidate titles are compared for each word.
CORRECTION_CANDIDATES = 50
