"""What a notification says and which page of the SPA it links to (the API and mails share
them)."""

from app.common.CommonMail import mail_line
from app.notifications.NotificationConstants import (
  KIND_DIB_ACCEPTED,
  KIND_DIB_DECLINED,
  KIND_DIB_RECEIVED,
  KIND_HOLD_ENDED,
  KIND_HOLD_LAPSED,
  KIND_MEETUP_CONFIRMED,
  KIND_MEETUP_PROPOSED,
  KIND_MEETUP_REMINDER,
  KIND_NEW_MESSAGE,
  KIND_NO_SHOW,
  KIND_POST_EXPIRED,
  KIND_POST_EXPIRING,
  KIND_POST_HIDDEN,
  KIND_POST_SOLD,
  KIND_POST_WITHDRAWN,
  KIND_REPORT_DECIDED,
  KIND_REVIEW_INVITE,
  KIND_REVIEW_PUBLISHED,
  KIND_REVIEW_RECEIVED,
  KIND_REVIEW_REMINDER,
  KIND_SAVED_SEARCH_DIGEST,
  KIND_SAVED_SEARCH_MATCH,
  KIND_WARNING,
  KIND_WATCHED_AVAILABLE,
  KIND_WATCHED_PRICE_DROP,
  KIND_WATCHED_SOLD,
  KIND_WATCHED_WITHDRAWN,
  KIND_YOUR_TURN,
)

SENTENCES = {
  KIND_DIB_RECEIVED: '{actor} called dibs on “{post_title}”.',
  KIND_DIB_ACCEPTED: '{actor} accepted your dib on “{post_title}”.',
  KIND_DIB_DECLINED: 'Your dib on “{post_title}” was declined.',
  KIND_POST_SOLD: '“{post_title}”, which you called dibs on, was sold to someone else.',
  KIND_POST_WITHDRAWN: '“{post_title}”, which you called dibs on, was withdrawn.',
  KIND_NEW_MESSAGE: '{actor} wrote to you about “{post_title}”.',
  KIND_MEETUP_PROPOSED: '{actor} proposed to meet for “{post_title}” at {meet_at}, {place}.',
  KIND_MEETUP_CONFIRMED: '{actor} confirmed the meet-up for “{post_title}” at {meet_at}, {place}.',
  KIND_MEETUP_REMINDER: 'Reminder: your meet-up for “{post_title}” is at {meet_at}, {place}.',
  KIND_HOLD_LAPSED: 'Your hold on “{post_title}” lapsed: the deadline passed without a sale.',
  KIND_HOLD_ENDED: 'The hold of {actor} on “{post_title}” ended ({reason}); accept the next buyer.',
  KIND_YOUR_TURN: 'Your turn: “{post_title}” is free again and you are next in the queue.',
  KIND_NO_SHOW: '{actor} reported that you did not show up for “{post_title}”.',
  KIND_POST_EXPIRING: 'Your post “{post_title}” expires in 3 days: renew it to keep it listed.',
  KIND_POST_EXPIRED: 'Your post “{post_title}” expired and left browse and search: renew it.',
  KIND_WATCHED_PRICE_DROP: '“{post_title}”, which you watch, dropped to {price}.',
  KIND_WATCHED_AVAILABLE: '“{post_title}”, which you watch, is available again.',
  KIND_WATCHED_SOLD: '“{post_title}”, which you watch, was sold.',
  KIND_WATCHED_WITHDRAWN: '“{post_title}”, which you watch, was withdrawn.',
  KIND_SAVED_SEARCH_MATCH: 'New for your saved search: “{post_title}”.',
  KIND_SAVED_SEARCH_DIGEST: 'Today for your saved searches: {matches}.',
  KIND_POST_HIDDEN: '“{post_title}” is hidden until a moderator reviews it: {reason}.',
  KIND_REPORT_DECIDED: 'A moderator decided on your report: {reason}.',
  KIND_WARNING: 'A moderator warned you: {reason}',
  KIND_REVIEW_INVITE: 'How did “{post_title}” go? Review {actor} within 14 days.',
  KIND_REVIEW_REMINDER: 'Reminder: review {actor} for “{post_title}”; a week is left.',
  KIND_REVIEW_RECEIVED: (
    '{actor} reviewed you for “{post_title}”: it is published once you review them too, '
    'or when the 14 days are over.'
  ),
  KIND_REVIEW_PUBLISHED: 'The review {actor} wrote of you for “{post_title}” is published.',
}

MAIL_SUBJECTS = {
  KIND_DIB_RECEIVED: 'Someone called dibs on your post',
  KIND_DIB_ACCEPTED: 'Your dib was accepted',
  KIND_DIB_DECLINED: 'Your dib was declined',
  KIND_POST_SOLD: 'A post you called dibs on was sold',
  KIND_POST_WITHDRAWN: 'A post you called dibs on was withdrawn',
  KIND_NEW_MESSAGE: 'You have an unread message',
  KIND_MEETUP_PROPOSED: 'A meet-up was proposed',
  KIND_MEETUP_CONFIRMED: 'Your meet-up is confirmed',
  KIND_MEETUP_REMINDER: 'Your meet-up is coming up',
  KIND_HOLD_LAPSED: 'Your hold lapsed',
  KIND_HOLD_ENDED: 'A hold on your post ended',
  KIND_YOUR_TURN: 'Your turn: the thing you queued for is free',
  KIND_NO_SHOW: 'A seller reported a no-show',
  KIND_POST_EXPIRING: 'Your post expires soon',
  KIND_POST_EXPIRED: 'Your post expired',
  KIND_WATCHED_PRICE_DROP: 'A post you watch is cheaper',
  KIND_WATCHED_AVAILABLE: 'A post you watch is available again',
  KIND_WATCHED_SOLD: 'A post you watch was sold',
  KIND_WATCHED_WITHDRAWN: 'A post you watch was withdrawn',
  KIND_SAVED_SEARCH_MATCH: 'A new post matches your saved search',
  KIND_SAVED_SEARCH_DIGEST: 'New posts for your saved searches',
  KIND_POST_HIDDEN: 'Your post is hidden until a moderator reviews it',
  KIND_REPORT_DECIDED: 'Your report was decided',
  KIND_WARNING: 'A warning from the Dibz moderators',
  KIND_REVIEW_INVITE: 'Review your sale on Dibz',
  KIND_REVIEW_REMINDER: 'A week left to review your sale',
  KIND_REVIEW_RECEIVED: 'You were reviewed on Dibz',
  KIND_REVIEW_PUBLISHED: 'A review of you was published',
}


def notification_text(kind, payload):
  """The sentence shown for a notification."""
  # One line whatever was stored: a title saved before titles were one line cannot add
  # lines to the notification's mail.
  return SENTENCES[kind].format(
    actor=mail_line(payload.get('actor')) or 'Someone',
    post_title=mail_line(payload.get('post_title')) or 'a post',
    meet_at=payload.get('meet_at') or 'the agreed time',
    place=mail_line(payload.get('place')) or 'the agreed place',
    reason=mail_line(payload.get('reason')) or 'no reason given',
    price=payload.get('price') or 'a lower price',
    matches=', '.join(
      f'“{mail_line(match["post_title"])}”' for match in payload.get('matches') or []
    )
    or 'new posts',
  )


def notification_link(kind, payload):
  """The SPA path the notification is about."""
  if kind == KIND_NEW_MESSAGE:
    return f'/conversations/{payload["conversation_id"]}'
  if kind in (KIND_DIB_ACCEPTED, KIND_DIB_DECLINED, KIND_HOLD_LAPSED, KIND_NO_SHOW):
    return '/my-dibs'
  if kind == KIND_REPORT_DECIDED:
    return '/my-reports'
  if kind == KIND_WARNING:
    return '/profile'
  if kind in (KIND_REVIEW_INVITE, KIND_REVIEW_REMINDER, KIND_REVIEW_RECEIVED):
    return f'/posts/{payload["post_id"]}/review'
  if kind == KIND_REVIEW_PUBLISHED:
    return '/profile'
  return f'/posts/{payload["post_id"]}'


def notification_mail(kind, payload, base_url):
  """(subject, body) of the mail for a notification."""
  link = base_url + notification_link(kind, payload)
  body = (
    f'{notification_text(kind, payload)}\n\nSee it on Dibz: {link}\n\n'
    f'You can choose which notifications are mailed to you on your profile page: '
    f'{base_url}/profile'
  )
  return MAIL_SUBJECTS[kind], body
