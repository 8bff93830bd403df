"""What a notification says and which page of the SPA it links to (the API and mails share
them)."""

from app.notifications.NotificationConstants import (
  KIND_DIB_ACCEPTED,
  KIND_DIB_DECLINED,
  KIND_DIB_RECEIVED,
  KIND_NEW_MESSAGE,
  KIND_POST_HIDDEN,
  KIND_POST_SOLD,
  KIND_POST_WITHDRAWN,
  KIND_REPORT_DECIDED,
  KIND_WARNING,
)

SENTENCES = {
  KIND_DIB_RECEIVED: '{actor} called dibs on “{post_title}”.',
  KIND_DIB_ACCEPTED: '{actor} accepted your dib on “{post_title}”.',
  KIND_DIB_DECLINED: 'Your dib on “{post_title}” was declined.',
  KIND_POST_SOLD: '“{post_title}”, which you called dibs on, was sold to someone else.',
  KIND_POST_WITHDRAWN: '“{post_title}”, which you called dibs on, was withdrawn.',
  KIND_NEW_MESSAGE: '{actor} wrote to you about “{post_title}”.',
  KIND_POST_HIDDEN: '“{post_title}” is hidden until a moderator reviews it: {reason}.',
  KIND_REPORT_DECIDED: 'A moderator decided on your report: {reason}.',
  KIND_WARNING: 'A moderator warned you: {reason}',
}

MAIL_SUBJECTS = {
  KIND_DIB_RECEIVED: 'Someone called dibs on your post',
  KIND_DIB_ACCEPTED: 'Your dib was accepted',
  KIND_DIB_DECLINED: 'Your dib was declined',
  KIND_POST_SOLD: 'A post you called dibs on was sold',
  KIND_POST_WITHDRAWN: 'A post you called dibs on was withdrawn',
  KIND_NEW_MESSAGE: 'You have an unread message',
  KIND_POST_HIDDEN: 'Your post is hidden until a moderator reviews it',
  KIND_REPORT_DECIDED: 'Your report was decided',
  KIND_WARNING: 'A warning from the Dibz moderators',
}


def notification_text(kind, payload):
  """The sentence shown for a notification."""
  return SENTENCES[kind].format(
    actor=payload.get('actor') or 'Someone',
    post_title=payload.get('post_title') or 'a post',
    reason=payload.get('reason') or 'no reason given',
  )


def notification_link(kind, payload):
  """The SPA path the notification is about."""
  if kind == KIND_NEW_MESSAGE:
    return f'/conversations/{payload["conversation_id"]}'
  if kind in (KIND_DIB_ACCEPTED, KIND_DIB_DECLINED):
    return '/my-dibs'
  if kind == KIND_REPORT_DECIDED:
    return '/my-reports'
  if kind == KIND_WARNING:
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
