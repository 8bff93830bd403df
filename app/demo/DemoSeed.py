"""`manage.py seed`: the demo accounts and posts, composed (this package sits above the areas
it fills, so it may import any of them). Every step is idempotent."""

import click
from flask.cli import with_appcontext

from app.demo.DemoCampuses import campus_seed_line, seed_campuses
from app.demo.DemoHandover import seed_handover
from app.demo.DemoHeldPosts import seed_held_posts
from app.demo.DemoModeration import seed_moderation
from app.demo.DemoPosts import seed_posts
from app.demo.DemoReviews import seed_reviews
from app.demo.DemoUsers import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD, seed_users


def seed_demo_data(post_count=300):
  """Create each area's demo data; return a line per area for the CLI."""
  campuses = seed_campuses()
  users = seed_users({slug: campus.id for slug, campus in campuses.items()})
  return [
    campus_seed_line(campuses),
    f'users: {len(users)} demo accounts, e.g. alice@{DEMO_EMAIL_DOMAIN} / {DEMO_PASSWORD}',
    seed_posts(users, post_count),
    seed_handover(users),
    seed_moderation(users),
    seed_reviews(users),
    seed_held_posts(users),
  ]


@click.command('seed')
@click.option('--posts', default=300, show_default=True, help='How many demo posts to create.')
@with_appcontext
def seed_command(posts):
  """Fill the database with demo data (idempotent: a second run changes nothing)."""
  for line in seed_demo_data(post_count=posts):
    click.echo(line)


def register_seed_command(app):
  """Attach `seed` to the app's CLI."""
  app.cli.add_command(seed_command)
