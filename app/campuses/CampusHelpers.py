"""The rules of campuses: which campus an email address belongs to, the `campus` filter of
browse and search, and the operators' changes (the CLI and the admin endpoints call the same
functions, each one transaction)."""

from zoneinfo import ZoneInfo

from sqlalchemy import column, func, or_, select, table, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app.campuses.CampusConstants import ALL_CAMPUSES, DEFAULT_TIMEZONE, MAX_SPOTS_PER_CAMPUS
from app.campuses.CampusModels import Campus, CampusDomain, PickupSpot
from app.common.CommonErrors import ApiError
from app.common.CommonHelpers import get_or_404
from app.extensions import db

# Campuses sit below users in the layers (users import them), so the one write this area makes
# to users (who belongs where, after an operator changes a campus's domains) names the columns
# it needs instead of importing the model.
USERS_TABLE = table('users', column('id'), column('email'), column('campus_id'))
# The rows that name a campus. Their reference has no ON DELETE (SQLite adds such a column in
# place only with a plain reference, 0020_campuses): removing a campus clears them first.
REFERRING_TABLES = tuple(
  table(table_name, column('campus_id')) for table_name in ('users', 'posts', 'saved_searches')
)
DUPLICATE_CAMPUS_MESSAGE = 'Another campus already has that slug, name or one of those domains.'


# --- Reading ---------------------------------------------------------------------------------


def campuses_statement():
  """Every campus with its domains and spots, by name."""
  return (
    select(Campus)
    .options(selectinload(Campus.domains), selectinload(Campus.spots))
    .order_by(Campus.name, Campus.id)
  )


def all_campuses():
  """Every campus (domains and spots loaded), by name."""
  return list(db.session.execute(campuses_statement()).scalars())


def find_campus(slug):
  """The campus with this slug (domains and spots loaded), or None."""
  return db.session.execute(
    campuses_statement().where(Campus.slug == (slug or '').strip().lower())
  ).scalar_one_or_none()


def get_campus(slug, for_update=False):
  """The campus with this slug (domains and spots loaded), else a 404."""
  return get_or_404(
    Campus,
    for_update=for_update,
    options=(selectinload(Campus.domains), selectinload(Campus.spots)),
    slug=(slug or '').strip().lower(),
  )


def parent_domains(domain):
  """`cs.berkeley.edu` -> ['cs.berkeley.edu', 'berkeley.edu', 'edu']: a domain and the
  domains it is a subdomain of."""
  labels = domain.lower().split('.')
  return ['.'.join(labels[index:]) for index in range(len(labels))]


def campus_id_for_domain(domain):
  """The id of the campus an address at `domain` belongs to (its domain, or the nearest
  parent domain a campus lists), or None."""
  if not domain:
    return None
  return db.session.execute(
    select(CampusDomain.campus_id)
    .where(CampusDomain.domain.in_(parent_domains(domain)))
    .order_by(func.length(CampusDomain.domain).desc())
    .limit(1)
  ).scalar_one_or_none()


def any_campus_domains():
  """The email domains of every campus, sorted (empty: posting and dibs are open to all)."""
  return list(
    db.session.execute(select(CampusDomain.domain).order_by(CampusDomain.domain)).scalars()
  )


def campus_filter_id(slug):
  """The campus id a `campus` query value filters on: None for absent or `all` (every
  campus), else the campus's id; a slug no campus has is a 422 naming the field."""
  if not slug or slug == ALL_CAMPUSES:
    return None
  return campus_id_for_slug(slug)


def campus_id_for_slug(slug):
  """The id of the campus named by `slug` (None for null or blank), else a 422 naming the
  `campus` field."""
  if not slug:
    return None
  campus_id = db.session.execute(
    select(Campus.id).where(Campus.slug == slug.strip().lower())
  ).scalar_one_or_none()
  if campus_id is None:
    raise ApiError(422, fields={'campus': ['No campus with that slug.']})
  return campus_id


def timezones_by_campus():
  """{campus_id: ZoneInfo} of every campus."""
  rows = db.session.execute(select(Campus.id, Campus.timezone))
  return {campus_id: ZoneInfo(name or DEFAULT_TIMEZONE) for campus_id, name in rows}


def spot_of_campus(campus_id, spot_id):
  """The pickup spot `spot_id` of campus `campus_id`; another campus's (or no campus) is a
  422 naming the field."""
  spot = db.session.execute(
    select(PickupSpot).where(PickupSpot.id == spot_id, PickupSpot.campus_id == campus_id)
  ).scalar_one_or_none()
  if campus_id is None or spot is None:
    raise ApiError(
      422, fields={'pickup_spot_id': ["Must be one of the pickup spots of the post's campus."]}
    )
  return spot


# --- Operators' changes ----------------------------------------------------------------------


def require_admin(user):
  """403 unless `user` is an admin: campuses are the operators' to change."""
  if not getattr(user, 'is_admin', False):
    raise ApiError(403, message='Only an admin can change campuses.')


def commit_or_duplicate():
  """Commit; a unique index refusing a slug, name, domain or spot name is a 409."""
  try:
    db.session.commit()
  except IntegrityError:
    db.session.rollback()
    raise ApiError(409, message=DUPLICATE_CAMPUS_MESSAGE) from None


def assign_members(campus):
  """Make every student whose address is in the campus's domains (or their subdomains) a
  member of it; a student of a campus that no longer lists their domain is no member."""
  domains = [row.domain for row in campus.domains]
  db.session.execute(
    update(USERS_TABLE).where(USERS_TABLE.c.campus_id == campus.id).values(campus_id=None)
  )
  if not domains:
    return
  matches = [USERS_TABLE.c.email.like(f'%@{domain}') for domain in domains]
  matches += [USERS_TABLE.c.email.like(f'%.{domain}') for domain in domains]
  db.session.execute(update(USERS_TABLE).where(or_(*matches)).values(campus_id=campus.id))


def set_domains(campus, domains):
  """Replace the campus's email domains (each already lower-case and unique in the list)."""
  taken = (
    db.session.execute(
      select(CampusDomain.domain).where(
        CampusDomain.domain.in_(domains), CampusDomain.campus_id != (campus.id or 0)
      )
    )
    .scalars()
    .all()
  )
  if taken:
    raise ApiError(409, message=f'Another campus already lists {", ".join(sorted(taken))}.')
  kept = {row.domain: row for row in campus.domains}
  campus.domains = [kept.get(domain) or CampusDomain(domain=domain) for domain in domains]
  db.session.flush()


def create_campus(fields):
  """A new campus from the cleaned fields (slug, name, email_domains, timezone)."""
  campus = Campus(
    slug=fields['slug'], name=fields['name'], timezone=fields.get('timezone') or DEFAULT_TIMEZONE
  )
  campus.domains = []
  campus.spots = []
  db.session.add(campus)
  try:
    db.session.flush()
  except IntegrityError:
    db.session.rollback()
    raise ApiError(409, message=DUPLICATE_CAMPUS_MESSAGE) from None
  set_domains(campus, fields.get('email_domains') or [])
  assign_members(campus)
  commit_or_duplicate()
  return get_campus(campus.slug)


def update_campus(slug, changes):
  """Apply the fields given (slug, name, email_domains, timezone); new domains re-assign
  their verified students to this campus."""
  campus = get_campus(slug, for_update=True)
  for name in ('slug', 'name', 'timezone'):
    if changes.get(name):
      setattr(campus, name, changes[name])
  if 'email_domains' in changes and changes['email_domains'] is not None:
    set_domains(campus, changes['email_domains'])
    assign_members(campus)
  commit_or_duplicate()
  return get_campus(campus.slug)


def delete_campus(slug):
  """Remove a campus: its spots and domains go; its students and posts keep no campus."""
  campus = get_campus(slug, for_update=True)
  for referring in REFERRING_TABLES:
    db.session.execute(
      update(referring).where(referring.c.campus_id == campus.id).values(campus_id=None)
    )
  db.session.delete(campus)
  db.session.commit()


def add_spot(slug, name, notes=''):
  """A new pickup spot on the campus (409 when it has that name, or has too many)."""
  campus = get_campus(slug, for_update=True)
  if len(campus.spots) >= MAX_SPOTS_PER_CAMPUS:
    raise ApiError(409, message=f'A campus keeps {MAX_SPOTS_PER_CAMPUS} pickup spots at most.')
  if any(spot.name.casefold() == name.casefold() for spot in campus.spots):
    raise ApiError(409, message=f'{campus.name} already has a pickup spot named {name}.')
  spot = PickupSpot(campus_id=campus.id, name=name, notes=notes or '')
  db.session.add(spot)
  commit_or_duplicate()
  return spot


def find_spot(campus, spot_key):
  """The campus's spot by id (digits) or by name (any letter case), or None."""
  for spot in campus.spots:
    if str(spot.id) == str(spot_key) or spot.name.casefold() == str(spot_key).casefold():
      return spot
  return None


def remove_spot(slug, spot_key):
  """Remove a pickup spot of the campus (by id or name); meet-ups that named it keep its
  name as their place."""
  campus = get_campus(slug, for_update=True)
  spot = find_spot(campus, spot_key)
  if spot is None:
    raise ApiError(404, message=PickupSpot.not_found_message)
  db.session.delete(spot)
  db.session.commit()
