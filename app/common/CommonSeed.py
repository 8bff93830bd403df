"""Demo data for a newcomer's local database. Every step is idempotent."""

from app.posts.PostSeed import seed_posts
from app.users.UserSeed import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD, seed_users


def seed_demo_data(post_count=300):
  """Create each area's demo data; return a line per area for the CLI."""
  users = seed_users()
  return [
    f'users: {len(users)} demo accounts, e.g. alice@{DEMO_EMAIL_DOMAIN} / {DEMO_PASSWORD}',
    seed_posts(users, post_count),
  ]
