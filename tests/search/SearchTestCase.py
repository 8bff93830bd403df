"""Helpers shared by the tests of the search area."""

from urllib.parse import urlencode

from tests.base import ApiTestCase


class SearchTestCase(ApiTestCase):
  """ApiTestCase plus a search request and readers of its answer."""

  def search(self, q=None, client=None, **params):
    """GET /api/search/posts with `q` and the other query arguments."""
    if q is not None:
      params['q'] = q
    return (client or self.client).get(f'/api/search/posts?{urlencode(params)}')

  def search_ok(self, q, **params):
    """The JSON body of a search that must succeed."""
    response = self.search(q, **params)
    self.assertEqual(response.status_code, 200, response.get_data(as_text=True))
    return response.get_json()

  def found_titles(self, q, **params):
    """The titles a search finds, in the order it ranks them."""
    return [item['title'] for item in self.search_ok(q, **params)['items']]
