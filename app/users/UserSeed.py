"""Demo accounts for local development."""

from app.users.UserConstants import ROLE_ADMIN, ROLE_USER
from app.users.UserHelpers import create_user, find_user_by_username

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
  """The demo accounts, created when missing; `username@dibz.test` with DEMO_PASSWORD."""
  from app.extensions import db

  users = []
  for username, display_name, campus, role in DEMO_USERS:
    user = find_user_by_username(username)
    if user is None:
      user = create_user(f'{username}@dibz.test', username, DEMO_PASSWORD, display_name, role)
      user.campus = campus
      db.session.commit()
    users.append(user)
  return users
