"""Input of the events area: where a stream resumes."""

from wtforms import StringField
from wtforms.form import BaseForm
from wtforms.validators import Regexp

from app.common.CommonForms import BlankIsAbsent

LAST_EVENT_ID_HEADER = 'Last-Event-ID'
LAST_EVENT_ID_PARAMETER = 'last_event_id'
# Redis stream ids, `<milliseconds>-<sequence>`, each part short enough for Redis to read.
EVENT_ID_PATTERN = r'^\d{1,15}-\d{1,15}$'
BAD_EVENT_ID_MESSAGE = 'Must be an event id this stream sent, like 1700000000000-0.'


def event_id_field():
  return StringField(
    validators=[BlankIsAbsent(), Regexp(EVENT_ID_PATTERN, message=BAD_EVENT_ID_MESSAGE)]
  )


class EventStreamForm(BaseForm):
  """The `Last-Event-ID` header a browser sends when it reconnects (a field named like the
  header, so a 422 names it), or the `last_event_id` parameter of a client reopening by hand."""

  def __init__(self, formdata):
    super().__init__(
      [(LAST_EVENT_ID_HEADER, event_id_field()), (LAST_EVENT_ID_PARAMETER, event_id_field())]
    )
    self.process(formdata)

  def resume_after(self):
    """The id to resume after, or None for a first connection."""
    for name in (LAST_EVENT_ID_HEADER, LAST_EVENT_ID_PARAMETER):
      value = (self[name].data or '').strip()
      if value:
        return value
    return None
