"""The JSON of saved searches."""

from app.common.CommonHelpers import to_iso


def saved_searches_to_json(saved_searches):
  """Saved searches as the API shows them."""
  return [
    {
      'id': saved.id,
      'q': saved.query,
      'category': saved.category,
      # The campus filter as the client gives it: a slug, or null for every campus.
      'campus': saved.campus.slug if saved.campus is not None else None,
      'min_price': saved.min_price,
      'max_price': saved.max_price,
      'alert': saved.alert,
      'created_at': to_iso(saved.created_at),
    }
    for saved in saved_searches
  ]


def saved_search_to_json(saved):
  """One saved search."""
  return saved_searches_to_json([saved])[0]
