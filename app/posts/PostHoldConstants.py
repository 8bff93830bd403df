"""Constants of holds and meet-ups: what happens after a seller accepts a dib."""

# A hold is the accepted dib's time to hand the thing over; it ends exactly once.
HOLD_ACTIVE = 'active'
HOLD_SOLD = 'sold'
HOLD_LAPSED = 'lapsed'
HOLD_RELEASED = 'released'
HOLD_NO_SHOW = 'no_show'
# Ended another way: the seller declined the buyer or withdrew the post.
HOLD_ENDED = 'ended'
HOLD_STATUSES = (HOLD_ACTIVE, HOLD_SOLD, HOLD_LAPSED, HOLD_RELEASED, HOLD_NO_SHOW, HOLD_ENDED)
# A hold that ends in one of these puts the post back up and tells the next buyer.
HOLD_REOPENING_STATUSES = (HOLD_LAPSED, HOLD_RELEASED, HOLD_NO_SHOW)

MEETUP_PROPOSED = 'proposed'
MEETUP_CONFIRMED = 'confirmed'
# A newer proposal (a counter-proposal) replaces the one before, confirmed or not.
MEETUP_SUPERSEDED = 'superseded'
MEETUP_STATUSES = (MEETUP_PROPOSED, MEETUP_CONFIRMED, MEETUP_SUPERSEDED)
# The proposals that are still "the" meet-up of a hold.
CURRENT_MEETUP_STATUSES = (MEETUP_PROPOSED, MEETUP_CONFIRMED)

DEFAULT_HOLD_HOURS = 48
# A confirmed meet-up keeps the hold open at least this long after its time, so the seller
# can mark the sale after meeting.
MEETUP_GRACE_SECONDS = 2 * 3600
PLACE_MAX_LENGTH = 200
# Reminders before a confirmed meet-up: (name, seconds before). The day-before one is sent
# only when the meet-up was confirmed more than a day ahead.
REMINDER_DAY = 'day'
REMINDER_HOUR = 'hour'
REMINDER_DAY_SECONDS = 24 * 3600
REMINDER_HOUR_SECONDS = 3600
