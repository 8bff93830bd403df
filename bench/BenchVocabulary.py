"""Words the bench data builder composes posts and messages from.

Each item appears in about one post in sixty, so a search for an item matches a steady
share of the posts at every size, as a real query would.
"""

ITEMS_BY_CATEGORY = {
  'textbooks': (
    'calculus textbook',
    'organic chemistry textbook',
    'linear algebra book',
    'intro to psychology book',
    'microeconomics textbook',
    'physics lab manual',
  ),
  'electronics': (
    'graphing calculator',
    'bluetooth headphones',
    'usb charger',
    'laptop stand',
    'mechanical keyboard',
    'wireless mouse',
    'computer monitor',
  ),
  'furniture': ('desk lamp', 'study desk', 'office chair', 'bookshelf', 'futon', 'bean bag'),
  'clothing': ('winter jacket', 'rain boots', 'college hoodie', 'running shoes'),
  'kitchen': ('rice cooker', 'electric kettle', 'mini fridge', 'coffee maker', 'microwave'),
  'sports': ('yoga mat', 'tennis racket', 'dumbbell set', 'climbing shoes', 'soccer ball'),
  'bikes': ('road bike', 'bike lock', 'bike helmet', 'mountain bike'),
  'tickets': ('concert ticket', 'football ticket', 'theater ticket'),
  'other': ('board game', 'acoustic guitar', 'plant pot', 'poster frame', 'shower caddy'),
}

ADJECTIVES = (
  'used',
  'barely used',
  'vintage',
  'cheap',
  'sturdy',
  'compact',
  'classic',
  'red',
  'blue',
  'black',
  'white',
  'large',
  'small',
)

CONDITIONS = (
  ('new', 'Still in the box.'),
  ('like_new', 'Used twice, no marks.'),
  ('good', 'Works perfectly, a few scratches.'),
  ('fair', 'Shows its age but does the job.'),
  ('for_parts', 'Does not turn on any more, good for parts.'),
)

CAMPUSES = ('North Campus', 'South Campus', 'Downtown', 'Medical Campus')

DESCRIPTION_EXTRAS = (
  'Cash or transfer, price is firm.',
  'Can deliver on campus on weekends.',
  'Open to offers, message me.',
  'Smoke-free and pet-free dorm.',
  'Comes with the original receipt and manual.',
  'First come, first served: call dibs!',
)

MESSAGE_LINES = (
  'Hi! Is this still available?',
  'Yes it is, when would you like to pick it up?',
  'Could you do a little less on the price?',
  'I can meet at the library at five.',
  'Great, see you there.',
  'Does it come with the charger?',
  'Sorry, running ten minutes late.',
  'Thanks, it works great!',
)
