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

DEMO_USERS = (
  ('admin', 'Dibz Admin', 'North Campus', ROLE_ADMIN),
  ('alice', 'Alice Nguyen', 'North Campus', ROLE_USER),
  ('bob', 'Bob Okafor', 'North Campus', ROLE_USER),
  ('carmen', 'Carmen Ruiz', 'South Campus', ROLE_USER),
  ('dev', 'Dev Patel', 'South Campus', ROLE_USER),
  ('emma', 'Emma Schmidt', 'Downtown', ROLE_USER),
  ('farid', 'Farid Haddad', 'Downtown', ROLE_USER),
  ('grace', 'Grace Kim', 'North Campus', ROLE_USER),
  ('hiro', 'Hiro Tanaka', 'South Campus', ROLE_USER),
)


def seed_users():
  """The demo accounts, created when missing and verified: `username@dibz.example.edu` with
  DEMO_PASSWORD (accounts seeded earlier as @dibz.test move to the new domain)."""
  users = []
  for username, display_name, campus, role in DEMO_USERS:
    email = f'{username}@{DEMO_EMAIL_DOMAIN}'
    user = find_user_by_username(username)
    if user is None:
      user = create_user(email, username, DEMO_PASSWORD, display_name, role)
      user.campus = campus
    elif user.email == f'{username}@{OLD_DEMO_EMAIL_DOMAIN}':
      user.email = email
    if user.email == email and user.email_verified_at is None:
      user.email_verified_at = utc_now()
    db.session.commit()
    users.append(user)
  return users
