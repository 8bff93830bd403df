"""Constants of the events area: event types, buffer sizes, timings and Redis names."""

EVENT_MESSAGE = 'message'
EVENT_UNREAD = 'unread'
EVENT_DIB = 'dib'
EVENT_POST = 'post'
EVENT_NOTIFICATION = 'notification'
EVENT_HOLD = 'hold'
EVENT_TYPES = (
  EVENT_MESSAGE,
  EVENT_UNREAD,
  EVENT_DIB,
  EVENT_POST,
  EVENT_NOTIFICATION,
  EVENT_HOLD,
)

# What a `hold` event says happened: to both sides of a hold, or (`your_turn`) to the next
# buyer in the queue when a hold ended without a sale.
HOLD_ACTION_STARTED = 'started'
HOLD_ACTION_MEETUP_PROPOSED = 'meetup_proposed'
HOLD_ACTION_MEETUP_CONFIRMED = 'meetup_confirmed'
HOLD_ACTION_SOLD = 'sold'
HOLD_ACTION_LAPSED = 'lapsed'
HOLD_ACTION_RELEASED = 'released'
HOLD_ACTION_NO_SHOW = 'no_show'
HOLD_ACTION_ENDED = 'ended'
HOLD_ACTION_YOUR_TURN = 'your_turn'
HOLD_ACTIONS = (
  HOLD_ACTION_STARTED,
  HOLD_ACTION_MEETUP_PROPOSED,
  HOLD_ACTION_MEETUP_CONFIRMED,
  HOLD_ACTION_SOLD,
  HOLD_ACTION_LAPSED,
  HOLD_ACTION_RELEASED,
  HOLD_ACTION_NO_SHOW,
  HOLD_ACTION_ENDED,
  HOLD_ACTION_YOUR_TURN,
)

# What a `dib` event says happened to the dib it names.
DIB_ACTION_CALLED = 'called'
DIB_ACTION_CANCELLED = 'cancelled'
DIB_ACTION_ACCEPTED = 'accepted'
DIB_ACTION_DECLINED = 'declined'
DIB_ACTION_POSITION = 'position'
DIB_ACTIONS = (
  DIB_ACTION_CALLED,
  DIB_ACTION_CANCELLED,
  DIB_ACTION_ACCEPTED,
  DIB_ACTION_DECLINED,
  DIB_ACTION_POSITION,
)

# Each user's replay buffer: a reconnect within this many events loses nothing.
USER_BUFFER_LENGTH = 500
# A user's Redis stream expires this long after their last event.
USER_BUFFER_TTL_SECONDS = 24 * 3600
HEARTBEAT_SECONDS = 15
# A stream ends after this long and the browser reconnects with Last-Event-ID (nothing lost):
# it bounds how long a process holds a client across a deploy.
MAX_STREAM_SECONDS = 3600
# The browser waits this long before reconnecting a dropped stream.
RECONNECT_MILLISECONDS = 2000
# One stream more than EVENTS_MAX_STREAMS_PER_USER (app/config.py) closes the user's oldest,
# with a `replaced` event telling its client not to reconnect.
STREAM_REPLACED_EVENT = 'replaced'
STREAM_REPLACED_REASON = 'too_many_streams'
# Events waiting for one slow client beyond this are dropped; it catches up from the buffer.
SUBSCRIBER_QUEUE_LENGTH = 1000

# After Redis fails, publishing skips it for this long, so a dead Redis costs one timeout
# per process now and then instead of one per request.
REDIS_RETRY_AFTER_SECONDS = 5
# A process exiting with held events tries Redis this often, for EVENTS_EXIT_FLUSH_SECONDS.
EXIT_FLUSH_POLL_SECONDS = 0.5
# The fan-out listener waits this long for a message before checking that it should go on.
LISTENER_POLL_SECONDS = 1.0
LISTENER_SOCKET_TIMEOUT_SECONDS = 5

REDIS_STREAM_KEY_PREFIX = 'dibz:events:user:'
REDIS_CHANNEL = 'dibz:events'
# Each user's open streams (a sorted set: token by opening time), and the channel that tells
# the process holding one that it must close.
REDIS_STREAMS_KEY_PREFIX = 'dibz:events:streams:'
REDIS_CONTROL_CHANNEL = 'dibz:events:control'
BROKER_EXTENSION_KEY = 'dibz_events'
