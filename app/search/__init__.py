"""Full-text search of posts."""
