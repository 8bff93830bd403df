"""The live events of the logged-in user, as a Server-Sent Events stream."""

from flask import current_app, request
from flask_login import current_user

from app.api import api_blueprint
from app.events.EventStream import parse_last_event_id, stream_response


@api_blueprint.get('/events')
def event_stream():
  """text/event-stream of my events; resumes after `Last-Event-ID` from my buffer."""
  last_event_id = parse_last_event_id(request)
  return stream_response(
    current_app._get_current_object(), current_user._get_current_object(), last_event_id
  )
