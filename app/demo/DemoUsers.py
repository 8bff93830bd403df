"""Demo accounts for local development."""

from app.common.CommonHelpers import utc_now
from app.extensions import db
from app.users.UserConstants import ROLE_ADMIN, ROLE_USER
from app.users.UserHelpers import create_user, find_user_by_username

# example.edu is reserved for examples (RFC 2606) yet accepted by the sign-up validator, which
# refuses special-use names such as .test; a demo account can therefore also reset its password.
DEMO_EMAIL_DOMAIN = 'dibz.example.edu'
OLD_DEMO_EMAIL_DOMAIN = 'dibz.test'
DEMO_PASSWORD = 'dibz-demo-password'  # nosec B105 # the published password of the seeded demo accounts

# The third column is the slug of the demo campus (app/demo/DemoCampuses.py) the user is on.
DEMO_USERS = (
  ('admin', 'Dibz Admin', 'north', ROLE_ADMIN),
  ('alice', 'Alice Nguyen', 'north', ROLE_USER),
  ('bob', 'Bob Okafor', 'north', ROLE_USER),
  ('carmen', 'Carmen Ruiz', 'south', ROLE_USER),
  ('dev', 'Dev Patel', 'south', ROLE_USER),
  ('emma', 'Emma Schmidt', 'south', ROLE_USER),
  ('farid', 'Farid Haddad', 'north', ROLE_USER),
  ('grace', 'Grace Kim', 'north', ROLE_USER),
  ('hiro', 'Hiro Tanaka', 'south', ROLE_USER),
)


def seed_users(campus_ids=None):
  """The demo accounts, created when missing and verified: `username@dibz.example.edu` with
  DEMO_PASSWORD (accounts seeded earlier as @dibz.test move to the new domain). With
  `campus_ids` ({slug: id}), each is put on its demo campus: all demo addresses share one
  domain, so the demo spreads them by hand where a real address would decide."""
  users = []
  for username, display_name, campus_slug, role in DEMO_USERS:
    email = f'{username}@{DEMO_EMAIL_DOMAIN}'
    user = find_user_by_username(username)
    if user is None:
      user = create_user(email, username, DEMO_PASSWORD, display_name, role)
    elif user.email == f'{username}@{OLD_DEMO_EMAIL_DOMAIN}':
      user.email = email
    if user.email == email and user.email_verified_at is None:
      user.email_verified_at = utc_now()
    if campus_ids and campus_slug in campus_ids:
      user.campus_id = campus_ids[campus_slug]
    db.session.commit()
    users.append(user)
  return users
