"""The drawings of demo pictures (DemoPictures): flat shapes on a 640×480 canvas, each
function drawing one kind of thing with `draw` (a Pillow ImageDraw) in `color`; `rng` varies
details reproducibly."""

INK = (45, 52, 70)
PALETTE = (
  (79, 70, 229),
  (14, 116, 144),
  (190, 18, 60),
  (21, 128, 61),
  (180, 83, 9),
  (88, 28, 135),
  (30, 64, 175),
  (55, 65, 81),
)


def shade(color, amount):
  """`color` lighter (amount > 0) or darker (amount < 0)."""
  return tuple(max(0, min(255, channel + amount)) for channel in color)


def calculator(draw, color, rng):
  """Draw a calculator, in `color`."""
  draw.rounded_rectangle((220, 60, 420, 420), 24, fill=INK)
  draw.rounded_rectangle((240, 85, 400, 160), 8, fill=(190, 214, 170))
  for row in range(5):
    for column in range(4):
      x, y = 245 + column * 40, 180 + row * 45
      key = color if (row, column) == (4, 3) else (225, 228, 235)
      draw.rounded_rectangle((x, y, x + 30, y + 32), 6, fill=key)


def screen(draw, color, rng):
  """Draw a screen, in `color`."""
  draw.rounded_rectangle((120, 70, 520, 330), 14, fill=INK)
  draw.rectangle((138, 88, 502, 312), fill=shade(color, 90))
  draw.polygon([(138, 312), (330, 150), (502, 312)], fill=shade(color, 40))
  draw.rectangle((300, 330, 340, 390), fill=INK)
  draw.rounded_rectangle((230, 388, 410, 408), 8, fill=INK)


def tablet(draw, color, rng):
  """Draw a tablet, in `color`."""
  draw.rounded_rectangle((190, 60, 450, 420), 26, fill=INK)
  draw.rectangle((208, 84, 432, 396), fill=shade(color, 100))
  draw.line((470, 90, 500, 400), fill=(240, 240, 240), width=10)


def headphones(draw, color, rng):
  """Draw a headphones, in `color`."""
  draw.arc((170, 70, 470, 370), 180, 360, fill=INK, width=26)
  for x in (150, 410):
    draw.rounded_rectangle((x, 210, x + 80, 350), 30, fill=color)


def keyboard(draw, color, rng):
  """Draw a keyboard, in `color`."""
  draw.rounded_rectangle((70, 170, 570, 340), 18, fill=INK)
  for row in range(4):
    for column in range(12):
      x, y = 90 + column * 39, 188 + row * 36
      draw.rounded_rectangle((x, y, x + 31, y + 28), 5, fill=(235, 236, 240))
  draw.rounded_rectangle((200, 296, 440, 324), 5, fill=shade(color, 60))


def speaker(draw, color, rng):
  """Draw a speaker, in `color`."""
  draw.rounded_rectangle((150, 170, 490, 350), 90, fill=color)
  for x in (240, 400):
    draw.ellipse((x - 55, 205, x + 55, 315), fill=shade(color, -50))
    draw.ellipse((x - 20, 240, x + 20, 280), fill=INK)


def mouse(draw, color, rng):
  """Draw a mouse, in `color`."""
  draw.ellipse((240, 90, 400, 390), fill=color)
  draw.line((320, 90, 320, 200), fill=shade(color, -60), width=6)
  draw.rounded_rectangle((312, 130, 328, 170), 6, fill=INK)


def circuit_board(draw, color, rng):
  """Draw a circuit board, in `color`."""
  draw.rounded_rectangle((120, 120, 520, 380), 16, fill=(22, 120, 70))
  draw.rectangle((170, 170, 270, 270), fill=INK)
  draw.rectangle((320, 160, 480, 210), fill=(200, 200, 200))
  for index in range(8):
    draw.rectangle((300 + index * 24, 300, 316 + index * 24, 340), fill=(230, 200, 80))


def book(draw, color, rng):
  """Draw a book, in `color`."""
  draw.rectangle((200, 70, 460, 420), fill=color)
  draw.rectangle((200, 70, 230, 420), fill=shade(color, -50))
  draw.rectangle((255, 130, 430, 200), fill=(250, 250, 245))
  for y in (150, 175):
    draw.line((275, y, 410, y), fill=shade(color, -30), width=6)
  draw.ellipse((300, 260, 390, 350), outline=shade(color, 80), width=8)
  draw.rectangle((460, 80, 474, 410), fill=(245, 243, 235))


def desk(draw, color, rng):
  """Draw a desk, in `color`."""
  wood = shade(color, 120)
  draw.rectangle((90, 190, 550, 220), fill=wood)
  draw.rectangle((110, 220, 130, 410), fill=shade(wood, -40))
  draw.rectangle((400, 220, 530, 410), fill=shade(wood, -20))
  for y in (250, 310, 370):
    draw.line((420, y, 510, y), fill=shade(wood, -70), width=5)
  draw.rectangle((180, 120, 280, 190), fill=INK)  # a laptop on it


def chair(draw, color, rng):
  """Draw a chair, in `color`."""
  draw.rounded_rectangle((230, 70, 410, 250), 30, fill=color)
  draw.rounded_rectangle((210, 250, 430, 300), 20, fill=shade(color, -30))
  draw.rectangle((310, 300, 330, 370), fill=INK)
  draw.line((230, 400, 410, 400), fill=INK, width=10)
  for x in (230, 320, 410):
    draw.ellipse((x - 14, 396, x + 14, 424), fill=INK)


def blob_seat(draw, color, rng):
  """Draw a blob seat, in `color`."""
  draw.ellipse((150, 150, 490, 420), fill=color)
  draw.ellipse((210, 110, 430, 300), fill=shade(color, 30))


def mattress(draw, color, rng):
  """Draw a mattress, in `color`."""
  draw.rounded_rectangle((90, 220, 550, 330), 30, fill=(240, 240, 248))
  draw.rounded_rectangle((90, 290, 550, 360), 30, fill=color)
  for x in range(140, 520, 60):
    draw.ellipse((x - 5, 250, x + 5, 260), fill=(200, 200, 215))


def bookshelf(draw, color, rng):
  """Draw a bookshelf, in `color`."""
  wood = shade(color, 110)
  draw.rectangle((190, 40, 450, 440), fill=shade(wood, -50))
  for shelf in range(5):
    y = 60 + shelf * 76
    draw.rectangle((205, y, 435, y + 60), fill=shade(wood, 30))
    x = 212
    while x < 410:
      width = rng.randint(12, 24)
      height = rng.randint(38, 58)
      draw.rectangle((x, y + 60 - height, x + width, y + 60), fill=rng.choice(PALETTE))
      x += width + 3


def lamp(draw, color, rng):
  """Draw a lamp, in `color`."""
  draw.polygon([(240, 90), (400, 90), (440, 190), (200, 190)], fill=color)
  draw.rectangle((314, 190, 326, 400), fill=INK)
  draw.ellipse((250, 390, 390, 430), fill=INK)
  draw.polygon([(210, 195), (430, 195), (520, 380), (120, 380)], fill=(255, 244, 200))


def appliance(draw, color, rng):
  """Draw an appliance, in `color`."""
  body = shade(color, 140)
  draw.rounded_rectangle((210, 60, 430, 420), 18, fill=body)
  draw.line((210, 170, 430, 170), fill=shade(body, -60), width=5)
  draw.rectangle((395, 90, 407, 150), fill=INK)
  draw.rectangle((395, 200, 407, 300), fill=INK)


def microwave(draw, color, rng):
  """Draw a microwave, in `color`."""
  draw.rounded_rectangle((110, 130, 530, 370), 18, fill=shade(color, 130))
  draw.rounded_rectangle((135, 155, 420, 345), 10, fill=INK)
  for y in range(180, 330, 40):
    draw.ellipse((455, y, 485, y + 22), fill=shade(color, -20))


def kettle(draw, color, rng):
  """Draw a kettle, in `color`."""
  draw.polygon([(230, 150), (410, 150), (440, 380), (200, 380)], fill=color)
  draw.arc((250, 60, 390, 220), 180, 360, fill=INK, width=16)
  draw.polygon([(200, 210), (140, 180), (150, 200), (205, 250)], fill=color)
  draw.rectangle((190, 380, 450, 400), fill=INK)


def pot(draw, color, rng):
  """Draw a pot, in `color`."""
  draw.rounded_rectangle((170, 180, 470, 380), 30, fill=color)
  draw.rectangle((150, 170, 490, 200), fill=shade(color, -40))
  draw.rounded_rectangle((290, 130, 350, 170), 10, fill=INK)
  for x in (110, 470):
    draw.rounded_rectangle((x, 220, x + 60, 245), 10, fill=INK)


def clothing_top(draw, color, rng):
  """Draw a clothing top, in `color`."""
  draw.polygon(
    [
      (250, 80),
      (390, 80),
      (520, 170),
      (470, 230),
      (430, 200),
      (430, 420),
      (210, 420),
      (210, 200),
      (170, 230),
      (120, 170),
    ],
    fill=color,
  )
  draw.polygon([(280, 80), (320, 130), (360, 80)], fill=shade(color, -50))
  draw.line((320, 130, 320, 420), fill=shade(color, -40), width=6)


def trousers(draw, color, rng):
  """Draw a trousers, in `color`."""
  draw.polygon(
    [(220, 70), (420, 70), (450, 420), (350, 420), (320, 170), (290, 420), (190, 420)], fill=color
  )
  draw.rectangle((220, 70, 420, 100), fill=shade(color, -40))


def shoe(draw, color, rng):
  """Draw a shoe, in `color`."""
  draw.polygon([(130, 250), (260, 210), (330, 280), (510, 300), (520, 360), (130, 360)], fill=color)
  draw.rectangle((120, 350, 530, 380), fill=(240, 240, 240))
  for x in (230, 260, 290):
    draw.line((x, 240, x + 20, 270), fill=(250, 250, 250), width=5)


def backpack(draw, color, rng):
  """Draw a backpack, in `color`."""
  draw.rounded_rectangle((200, 90, 440, 420), 60, fill=color)
  draw.rounded_rectangle((240, 260, 400, 390), 24, fill=shade(color, -40))
  draw.arc((270, 50, 370, 140), 180, 360, fill=INK, width=14)


def rolled_mat(draw, color, rng):
  """Draw a rolled mat, in `color`."""
  draw.rectangle((140, 190, 500, 310), fill=color)
  draw.ellipse((450, 190, 550, 310), fill=shade(color, -40))
  draw.ellipse((480, 225, 520, 275), fill=shade(color, 40))
  draw.ellipse((90, 190, 190, 310), fill=color)


def dumbbell(draw, color, rng):
  """Draw a dumbbell, in `color`."""
  draw.rectangle((190, 230, 450, 250), fill=INK)
  for x in (130, 160, 450, 480):
    draw.rounded_rectangle((x, 150, x + 30, 330), 8, fill=color)


def racket(draw, color, rng):
  """Draw a racket, in `color`."""
  draw.ellipse((210, 50, 430, 310), outline=color, width=18)
  for x in range(250, 400, 24):
    draw.line((x, 70, x, 290), fill=(220, 220, 220), width=3)
  for y in range(90, 290, 24):
    draw.line((230, y, 410, y), fill=(220, 220, 220), width=3)
  draw.rounded_rectangle((305, 300, 335, 440), 10, fill=INK)


def ball(draw, color, rng):
  """Draw a ball, in `color`."""
  draw.ellipse((180, 100, 460, 380), fill=(230, 110, 30))
  draw.line((320, 100, 320, 380), fill=INK, width=6)
  draw.line((180, 240, 460, 240), fill=INK, width=6)
  draw.arc((120, 100, 300, 380), 300, 60, fill=INK, width=6)
  draw.arc((340, 100, 520, 380), 120, 240, fill=INK, width=6)


def board(draw, color, rng):
  """Draw a board, in `color`."""
  draw.rounded_rectangle((80, 200, 560, 290), 45, fill=color)
  for x in (220, 420):
    draw.rounded_rectangle((x - 30, 215, x + 30, 275), 10, fill=INK)


def tent(draw, color, rng):
  """Draw a tent, in `color`."""
  draw.polygon([(320, 90), (540, 380), (100, 380)], fill=color)
  draw.polygon([(320, 200), (380, 380), (260, 380)], fill=shade(color, -60))
  draw.line((60, 382, 580, 382), fill=INK, width=6)


def bicycle(draw, color, rng):
  """Draw a bicycle, in `color`."""
  for x in (190, 450):
    draw.ellipse((x - 95, 220, x + 95, 410), outline=INK, width=12)
    draw.ellipse((x - 10, 305, x + 10, 325), fill=INK)
  frame = [(190, 315), (290, 315), (420, 200), (260, 200), (190, 315)]
  draw.line(frame, fill=color, width=14, joint='curve')
  draw.line((290, 315, 260, 200), fill=color, width=14)
  draw.line((420, 200, 450, 315), fill=color, width=14)
  draw.line((250, 170, 290, 170), fill=INK, width=12)
  draw.line((400, 170, 440, 160), fill=INK, width=10)
  draw.line((420, 200, 410, 165), fill=color, width=10)


def lock(draw, color, rng):
  """Draw a lock, in `color`."""
  draw.arc((230, 60, 410, 280), 180, 360, fill=(160, 165, 175), width=30)
  draw.line((245, 170, 245, 250), fill=(160, 165, 175), width=30)
  draw.line((395, 170, 395, 250), fill=(160, 165, 175), width=30)
  draw.rounded_rectangle((200, 240, 440, 330), 20, fill=color)


def helmet(draw, color, rng):
  """Draw a helmet, in `color`."""
  draw.chord((170, 120, 470, 420), 180, 360, fill=color)
  draw.rectangle((160, 262, 480, 282), fill=INK)
  for x in (260, 320, 380):
    draw.ellipse((x - 15, 160, x + 15, 200), fill=shade(color, -50))


def ticket(draw, color, rng):
  """Draw a ticket, in `color`."""
  draw.rounded_rectangle((100, 140, 540, 340), 18, fill=color)
  for y in (240,):
    draw.ellipse((82, y - 20, 122, y + 20), fill=(246, 247, 251))
    draw.ellipse((518, y - 20, 558, y + 20), fill=(246, 247, 251))
  for y in range(155, 330, 18):
    draw.line((420, y, 420, y + 9), fill=(255, 255, 255), width=4)
  draw.rectangle((150, 190, 380, 210), fill=shade(color, 90))
  draw.rectangle((150, 240, 330, 256), fill=shade(color, 60))
  draw.rectangle((150, 280, 300, 296), fill=shade(color, 60))
  draw.regular_polygon((480, 240, 30), 5, fill=(255, 215, 90))


def guitar(draw, color, rng):
  """Draw a guitar, in `color`."""
  wood = shade(color, 100)
  draw.ellipse((180, 230, 360, 420), fill=wood)
  draw.ellipse((200, 150, 340, 290), fill=wood)
  draw.ellipse((250, 260, 290, 300), fill=INK)
  draw.line((270, 160, 470, 50), fill=shade(wood, -80), width=20)


def plant(draw, color, rng):
  """Draw a plant, in `color`."""
  green = (34, 139, 74)
  for box in ((200, 90, 320, 250), (300, 70, 440, 240), (250, 40, 350, 200)):
    draw.ellipse(box, fill=green)
  draw.polygon([(230, 250), (410, 250), (380, 410), (260, 410)], fill=color)


def boxes(draw, color, rng):
  """Draw a boxes, in `color`."""
  for index, box in enumerate(((150, 250, 330, 410), (330, 230, 500, 410), (220, 100, 420, 250))):
    tint = shade(color, 40 * index)
    draw.rectangle(box, fill=tint)
    draw.rectangle((box[0], box[1], box[2], box[1] + 26), fill=shade(tint, -40))


def whiteboard(draw, color, rng):
  """Draw a whiteboard, in `color`."""
  draw.rectangle((90, 90, 550, 380), fill=(160, 165, 175))
  draw.rectangle((105, 105, 535, 365), fill=(252, 252, 252))
  draw.line([(140, 300), (200, 180), (260, 260), (330, 150)], fill=color, width=6)
  draw.rectangle((380, 160, 500, 176), fill=INK)
  draw.rectangle((380, 200, 470, 216), fill=INK)


def parcel(draw, color, rng):
  """Draw a parcel, in `color`."""
  draw.polygon([(320, 110), (500, 180), (320, 250), (140, 180)], fill=shade(color, 120))
  draw.polygon([(140, 180), (320, 250), (320, 420), (140, 350)], fill=shade(color, 80))
  draw.polygon([(500, 180), (320, 250), (320, 420), (500, 350)], fill=shade(color, 50))
