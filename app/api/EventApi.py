"""The live events of the logged-in user, as a Server-Sent Events stream."""

from flask import current_app, request
from flask_login import current_user
from werkzeug.datastructures import CombinedMultiDict, MultiDict

from app.api import api_blueprint
from app.common.CommonForms import read_query
from app.events.EventForms import LAST_EVENT_ID_HEADER, EventStreamForm
from app.events.EventStream import stream_response


@api_blueprint.get('/events')
def event_stream():
  """text/event-stream of my events; resumes after `Last-Event-ID` from my buffer."""
  header = MultiDict({LAST_EVENT_ID_HEADER: request.headers.get(LAST_EVENT_ID_HEADER, '')})
  form = read_query(EventStreamForm, CombinedMultiDict([header, request.args]))
  return stream_response(
    current_app._get_current_object(), current_user._get_current_object(), form.resume_after()
  )
