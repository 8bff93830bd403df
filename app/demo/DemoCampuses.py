"""Demo campuses: two, each with its pickup spots (idempotent: what exists is kept)."""

from app.campuses import CampusHelpers
from app.demo.DemoUsers import DEMO_EMAIL_DOMAIN

# (slug, name, email domains, time zone, [(spot name, notes)])
DEMO_CAMPUSES = (
  (
    'north',
    'North Campus',
    [DEMO_EMAIL_DOMAIN],
    'America/Los_Angeles',
    [
      ('Main library steps', 'By the bike racks, staffed until 22:00.'),
      ('Student union lobby', 'Inside, next to the information desk.'),
      ('Campus police front desk', 'Open day and night; there is a camera.'),
    ],
  ),
  (
    'south',
    'South Campus',
    [f'south.{DEMO_EMAIL_DOMAIN}'],
    'America/Los_Angeles',
    [
      ('Engineering quad fountain', ''),
      ('South dining hall entrance', 'Busy at lunch time.'),
    ],
  ),
)


def seed_campuses():
  """Create the demo campuses and spots that are missing; return them by slug."""
  campuses = {}
  for slug, name, domains, timezone, spots in DEMO_CAMPUSES:
    campus = CampusHelpers.find_campus(slug)
    if campus is None:
      fields = {'slug': slug, 'name': name, 'email_domains': domains, 'timezone': timezone}
      campus = CampusHelpers.create_campus(fields)
    for spot_name, notes in spots:
      if CampusHelpers.find_spot(campus, spot_name) is None:
        CampusHelpers.add_spot(slug, spot_name, notes)
    campuses[slug] = CampusHelpers.find_campus(slug)
  return campuses


def campus_seed_line(campuses):
  """The CLI's line for the demo campuses."""
  spots = sum(len(campus.spots) for campus in campuses.values())
  return f'campuses: {", ".join(sorted(campuses))} with {spots} pickup spots'
