"""The JSON of campuses and their pickup spots."""


def spot_to_json(spot):
  """A pickup spot: id, name and notes."""
  return {'id': spot.id, 'name': spot.name, 'notes': spot.notes or ''}


def campus_to_json(campus):
  """A campus with its email domains, time zone and pickup spots (loaded with it)."""
  return {
    'slug': campus.slug,
    'name': campus.name,
    'timezone': campus.timezone,
    'email_domains': [row.domain for row in campus.domains],
    'pickup_spots': [spot_to_json(spot) for spot in campus.spots],
  }


def campuses_to_json(campuses):
  """Campuses loaded by CampusHelpers.campuses_statement (no further query)."""
  return [campus_to_json(campus) for campus in campuses]


def campus_summary_to_json(campus):
  """What a post or a profile shows of its campus: slug and name, or None."""
  if campus is None:
    return None
  return {'slug': campus.slug, 'name': campus.name}
