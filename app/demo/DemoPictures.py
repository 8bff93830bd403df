"""Pictures for demo posts that look like the thing: flat illustrations drawn with Pillow.

The title picks a drawing (a calculator, a desk, a bike, a book…) by its words; the colours
vary per title, reproducibly. Nothing is shipped in the repository and no text is drawn on
the picture (the card already shows the title).
"""

import hashlib
import random

from PIL import Image, ImageDraw

from app.demo.DemoDrawings import (
  PALETTE,
  appliance,
  backpack,
  ball,
  bicycle,
  blob_seat,
  board,
  book,
  bookshelf,
  boxes,
  calculator,
  chair,
  circuit_board,
  clothing_top,
  desk,
  dumbbell,
  guitar,
  headphones,
  helmet,
  kettle,
  keyboard,
  lamp,
  lock,
  mattress,
  microwave,
  mouse,
  parcel,
  plant,
  pot,
  racket,
  rolled_mat,
  screen,
  shade,
  shoe,
  speaker,
  tablet,
  tent,
  ticket,
  trousers,
  whiteboard,
)

PICTURE_SIZE = (640, 480)

# The first drawing whose word appears in the title (lower-cased) is used.
DRAWINGS_BY_WORD = (
  ('calculator', calculator),
  ('monitor', screen),
  ('drawing tablet', tablet),
  ('ipad', tablet),
  ('headphones', headphones),
  ('keyboard', keyboard),
  ('speaker', speaker),
  ('mouse', mouse),
  ('raspberry', circuit_board),
  ('hub', circuit_board),
  ('dumbbell', dumbbell),
  ('desk plant', plant),
  ('plant', plant),
  ('desk', desk),
  ('table', desk),
  ('bean bag', blob_seat),
  ('chair', chair),
  ('mattress', mattress),
  ('futon', mattress),
  ('bookshelf', bookshelf),
  ('lamp', lamp),
  ('mirror', tablet),
  ('fridge', appliance),
  ('microwave', microwave),
  ('kettle', kettle),
  ('coffee', kettle),
  ('pot', pot),
  ('rice cooker', pot),
  ('toaster', microwave),
  ('blender', appliance),
  ('knife', boxes),
  ('dish rack', boxes),
  ('jeans', trousers),
  ('shoes', shoe),
  ('boots', shoe),
  ('cleats', shoe),
  ('backpack', backpack),
  ('jacket', clothing_top),
  ('parka', clothing_top),
  ('hoodie', clothing_top),
  ('suit', clothing_top),
  ('gown', clothing_top),
  ('lab coat', clothing_top),
  ('yoga', rolled_mat),
  ('bands', rolled_mat),
  ('racket', racket),
  ('basketball (', ball),
  ('snowboard', board),
  ('tent', tent),
  ('u-lock', lock),
  ('helmet', helmet),
  ('lights', lamp),
  ('pump', kettle),
  ('bike', bicycle),
  ('ticket', ticket),
  ('pass', ticket),
  ('guitar', guitar),
  ('board games', boxes),
  ('bins', boxes),
  ('caddy', boxes),
  ('paints', whiteboard),
  ('whiteboard', whiteboard),
)
CATEGORY_DRAWINGS = {'textbooks': book, 'tickets': ticket, 'bikes': bicycle}


def drawing_for(title, category):
  """The drawing function for a post: a book or a ticket by its category, else by a word of
  its title, else a parcel."""
  if category in ('textbooks', 'tickets'):
    return CATEGORY_DRAWINGS[category]
  lowered = title.lower()
  for word, drawing in DRAWINGS_BY_WORD:
    if word in lowered:
      return drawing
  return CATEGORY_DRAWINGS.get(category, parcel)


def demo_picture(title, category):
  """A 640×480 illustration of the thing a post sells, the same for the same title."""
  digest = hashlib.sha256(title.encode()).digest()
  rng = random.Random(digest)  # nosec B311 # reproducible demo pictures, not security
  color = rng.choice(PALETTE)
  image = Image.new('RGB', PICTURE_SIZE, shade(color, 175))
  draw = ImageDraw.Draw(image)
  draw.ellipse((110, 400, 530, 460), fill=shade(color, 140))  # the floor under it
  drawing_for(title, category)(draw, color, rng)
  return image
