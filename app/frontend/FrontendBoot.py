"""What the shell carries so the first page draws without waiting on the API.

On a slow link every request the client makes before drawing costs a round trip: asking who
is logged in, then the first page of posts. The shell answers both in a JSON data block
(`<script type="application/json" id="dibz-boot">`, never executed, so the CSP allows it):
the session's user (or null) always, and on `/` without a query the browse page's first
page of available posts, exactly as `GET /api/posts?status=available&per_page=12` answers.
"""

from flask_login import current_user
from werkzeug.datastructures import MultiDict

from app.common.CommonHelpers import paginate
from app.notifications.NotificationProfile import private_profile_to_json
from app.posts.PostConstants import SORT_NEWEST, STATUS_AVAILABLE
from app.posts.PostHelpers import list_posts_statement
from app.posts.PostSerializers import posts_to_json

# The browse page's first request, which the client reads from the boot data instead.
BROWSE_PAGE_SIZE = 12
BROWSE_BOOT_QUERY = {'status': STATUS_AVAILABLE, 'page': '1', 'per_page': str(BROWSE_PAGE_SIZE)}


def boot_data(path, query_string):
  """The JSON-ready boot data of the shell for this request."""
  user = private_profile_to_json(current_user) if current_user.is_authenticated else None
  data = {'user': user}
  if path == '/' and not query_string:
    statement = list_posts_statement({'status': STATUS_AVAILABLE}, SORT_NEWEST)
    data['browse'] = {
      'query': BROWSE_BOOT_QUERY,
      'body': paginate(statement, posts_to_json, args=MultiDict(BROWSE_BOOT_QUERY)),
    }
  return data
