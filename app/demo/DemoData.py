"""The demo catalogue: things students really sell, per category, with a price range in dollars.

The first entry is the post a newcomer searches for (`calc` finds the calculator), so it is
seeded even when only a handful of posts are asked for.
"""

CATALOG = {
  'electronics': (
    (
      'TI-84 Plus graphing calculator',
      'Used for Calc I and II, works perfectly. New AAA batteries and the slide cover. '
      'Exam-approved, a few scratches on the back.',
      40,
      70,
    ),
    (
      'Casio fx-991EX scientific calculator',
      'Solar plus battery, allowed in most engineering exams. Barely used since I switched '
      'to the TI.',
      12,
      20,
    ),
    (
      'Dell 24" monitor (P2419H)',
      '1080p IPS monitor with HDMI and DisplayPort cables. Height-adjustable stand, no dead '
      'pixels.',
      60,
      110,
    ),
    (
      'Noise-cancelling headphones (Sony WH-1000XM4)',
      'Great for the library. Comes with the case and charging cable; ear pads replaced '
      'last spring.',
      120,
      180,
    ),
    (
      'Mechanical keyboard, brown switches',
      'Tenkeyless, USB-C, white backlight. Quiet enough for a shared room.',
      35,
      60,
    ),
    (
      'iPad 9th gen 64GB with pencil',
      'Took all my notes on it. Screen protector since day one, battery health 91%.',
      180,
      260,
    ),
    (
      'Bluetooth speaker (JBL Flip 5)',
      'Waterproof, loud, lasts a whole afternoon at the quad.',
      45,
      70,
    ),
    (
      'Raspberry Pi 4 (4GB) starter kit',
      'Case, fan, 32GB SD card and power supply. Used for one CS project.',
      50,
      80,
    ),
    ('Wireless mouse (Logitech MX Anywhere)', 'Works on glass, USB receiver included.', 20, 35),
    (
      'USB-C hub with HDMI and SD reader',
      'Seven ports, works with MacBooks and most Windows laptops.',
      15,
      25,
    ),
  ),
  'textbooks': (
    (
      'Calculus: Early Transcendentals (Stewart, 8th ed.)',
      'Some highlighting in chapters 2 to 5, otherwise clean. Covers Calc I to III.',
      40,
      75,
    ),
    (
      'Campbell Biology, 12th edition',
      'Hardcover, no writing inside. Access code already used.',
      50,
      90,
    ),
    (
      'Organic Chemistry (Klein), with solutions manual',
      'Both books, solutions manual has a few pencil notes.',
      60,
      100,
    ),
    (
      'Introduction to Algorithms (CLRS), 3rd ed.',
      'The classic. Spine is a bit worn, pages are fine.',
      35,
      60,
    ),
    (
      'Principles of Economics (Mankiw)',
      'Used for ECON 101 and 102. Light highlighting.',
      25,
      50,
    ),
    (
      'Physics for Scientists and Engineers (Serway)',
      'Volume 1 and 2. Great for the intro physics sequence.',
      45,
      80,
    ),
    (
      'Psychology (Myers), 13th edition',
      'Paperback, like new; I dropped the course in week two.',
      30,
      55,
    ),
    (
      'Linear Algebra and Its Applications (Lay)',
      'Clean copy, a few sticky notes I can remove.',
      30,
      55,
    ),
    (
      'The Norton Anthology of English Literature, Vol. 1',
      'Required for ENGL 210. Some margin notes in pencil.',
      20,
      40,
    ),
    ('Spanish 101 workbook (Vistas)', 'Unused workbook, the class went online.', 15, 30),
  ),
  'furniture': (
    (
      'IKEA Malm desk, white',
      'Disassembled for moving, all screws in a bag. Pick up only.',
      35,
      60,
    ),
    ('Ergonomic office chair', 'Adjustable height and lumbar support, mesh back.', 40, 90),
    ('Twin XL mattress topper', 'Memory foam, 3 inches. Washed cover.', 20, 40),
    (
      'Bookshelf, 5 shelves (walnut look)',
      'Sturdy, a small chip on one corner. Fits a dorm wall.',
      25,
      45,
    ),
    ('Floor lamp with reading arm', 'LED bulb included, warm light.', 15, 30),
    ('Mini fridge, 3.1 cu ft', 'Cold, quiet, has a small freezer section. Cleaned.', 60, 100),
    ('Futon with grey cover', 'Folds into a bed for guests. Frame is metal.', 70, 130),
    ('Bedside table with drawer', 'Solid pine, light scratches on top.', 15, 30),
    ('Bean bag chair, XL', 'Very comfortable, removable washable cover.', 20, 45),
    ('Full-length mirror', 'Over-the-door or leaning, no cracks.', 10, 25),
  ),
  'clothing': (
    (
      'Patagonia fleece jacket, size M',
      'Navy, warm and light, no pilling. Worn one winter.',
      40,
      70,
    ),
    ('Winter parka, size L', 'Waterproof shell, rated to -20 °C. Hood with faux fur.', 60, 110),
    ('University hoodie, size S', 'Official campus store hoodie, grey, like new.', 15, 30),
    ('Running shoes (Nike Pegasus), size 10', 'About 100 km on them, clean insoles.', 35, 60),
    ('Rain boots, size 8', 'Black Hunter-style boots, no leaks.', 20, 40),
    ('Formal suit, 40R, charcoal', 'Worn to two career fairs. Dry-cleaned.', 70, 130),
    ('Graduation gown and cap (bachelor, 5\'9")', 'Used once, with the tassel.', 20, 35),
    ("Levi's 511 jeans, 32x32", 'Dark wash, barely worn.', 20, 35),
    ('Hiking backpack, 40 L', 'Adjustable frame, rain cover in the pocket.', 35, 65),
  ),
  'kitchen': (
    ('Instant Pot Duo, 6 quart', 'Makes rice, soups and beans in no time. All parts.', 40, 65),
    ('Electric kettle, 1.7 L', 'Boils fast, auto shut-off. Descaled.', 10, 20),
    ('Microwave, 700 W', 'Works great, turntable included. Pick up only.', 25, 45),
    ('Rice cooker (Zojirushi), 3 cups', 'Perfect rice every time, keep-warm mode.', 35, 60),
    ('Set of pots and pans (8 pieces)', 'Non-stick, a bit of wear on the frying pan.', 30, 55),
    ('Coffee maker with thermal carafe', '10 cups, programmable timer.', 20, 40),
    ('Knife block set', 'Six knives and scissors, sharpened recently.', 20, 40),
    ('Blender (Ninja), 1000 W', 'Crushes ice for smoothies, one jug.', 30, 50),
    ('Toaster, 2 slots', 'Wide slots for bagels. Crumb tray cleaned.', 8, 15),
    ('Dish rack and drying mat', 'Stainless steel rack, fits a small counter.', 8, 15),
  ),
  'sports': (
    ('Yoga mat, 6 mm, with strap', 'Non-slip, cleaned and disinfected.', 10, 20),
    ('Adjustable dumbbells, 2 x 25 lb', 'Quick-change plates, great for a dorm.', 60, 110),
    ('Tennis racket (Wilson), with cover', 'Restrung last fall, grip size 3.', 30, 60),
    ('Basketball (Spalding, size 7)', 'Indoor/outdoor, holds air well.', 10, 20),
    ('Climbing shoes, size 41', 'Resoled once, still sticky.', 30, 55),
    ('Snowboard 152 cm with bindings', 'All-mountain board, waxed in December.', 110, 200),
    ('Soccer cleats, size 9', 'Firm ground, worn one season.', 20, 40),
    ('Resistance bands set', 'Five bands, handles, door anchor.', 10, 20),
    ('Camping tent, 2 person', 'Easy setup, no holes, rain fly included.', 40, 75),
  ),
  'bikes': (
    (
      'Trek FX 2 hybrid bike, medium frame',
      'Tuned up in August, new brake pads. Lock not included.',
      250,
      400,
    ),
    ('Single-speed commuter bike', 'Light steel frame, fenders and a rear rack.', 120, 200),
    ('Road bike (Giant Contend), 54 cm', 'Shimano Claris, great for weekend rides.', 350, 550),
    ('U-lock with cable (Kryptonite)', 'Two keys, mounting bracket.', 20, 40),
    ('Bike helmet, size M', 'No crashes, adjustable fit.', 15, 30),
    ('Front and rear bike lights (USB)', 'Bright, rechargeable, rubber mounts.', 10, 20),
    ('Foldable bike (Dahon), 20" wheels', 'Folds in seconds, fits under a desk.', 200, 320),
    ('Bike pump with gauge', 'Presta and Schrader heads.', 10, 20),
  ),
  'tickets': (
    (
      '2 tickets: homecoming football game',
      'Student section, row 12. Transfer through the app.',
      20,
      45,
    ),
    ('Spring formal ticket', "Can't make it anymore, includes dinner.", 30, 50),
    ('Concert ticket: indie night at the student union', 'General admission.', 15, 30),
    ('Basketball season pass (student)', 'All home games left this season.', 60, 100),
    ("Theatre: A Midsummer Night's Dream, Friday", 'Two seats together, orchestra.', 15, 30),
    ('Comedy show ticket, Saturday 8 pm', 'Front half of the hall.', 10, 25),
    ('Bus pass for the rest of the semester', 'Monthly pass, transfer at the office.', 25, 45),
  ),
  'other': (
    ('Acoustic guitar (Yamaha F310)', 'Great starter guitar, new strings, soft case.', 70, 120),
    ('Desk plant (pothos) with pot', 'Very hard to kill. Ceramic pot included.', 5, 15),
    ('Board games bundle: Catan and Codenames', 'All pieces counted.', 25, 45),
    ('Lab coat and safety goggles', 'Required for CHEM labs. Size M.', 15, 25),
    ('Art supplies: acrylic paints and brushes', 'Twenty tubes, most barely used.', 15, 30),
    ('Storage bins, set of 4', 'Under-bed size, with lids.', 10, 20),
    ('Drawing tablet (Wacom Intuos)', 'Small, with pen and spare nibs.', 35, 60),
    ('Shower caddy and towel set', 'Caddy plus two bath towels, washed.', 8, 15),
    ('Whiteboard, 60 x 90 cm, with markers', 'Wall-mountable, erases clean.', 12, 25),
  ),
}

CONDITION_WEIGHTS = (('new', 1), ('like_new', 3), ('good', 4), ('fair', 2), ('for_parts', 0.3))
