"""A small mail sender: logs mail locally, sends it over SMTP in staging and prod.

Mail is sent only from jobs (CommonJobs), never inside a request; `send_mail_once` makes a
mail job idempotent.
"""

import re
import smtplib
from contextvars import ContextVar
from datetime import timedelta
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from app.common.CommonConstants import LINE_BREAKING_CHARACTERS
from app.common.CommonHelpers import utc_now
from app.common.CommonModels import SentMail
from app.extensions import db

# A mail the after-commit enqueue should have sent (lost when Redis was away or the process
# died between commit and enqueue) is queued again by a periodic job once it is
# OWED_MAIL_AFTER_SECONDS late (config; default in CommonConstants), and only while it is this
# recent (older rows predate the mail log or were given up).
OWED_MAIL_WITHIN_SECONDS = 2 * 24 * 3600
# Owed mails one periodic run queues at most (the next run takes the rest).
OWED_MAIL_BATCH = 500

# The sent_mails key of the mail send_mail_once is sending (send_mail keeps its three arguments).
SENDING_MAIL_KEY = ContextVar('dibz_sending_mail_key', default=None)

LINE_BREAKING_RUN = re.compile(f'[{LINE_BREAKING_CHARACTERS}]+')


def mail_line(text):
  """User text (a name, a title) made safe to put inside a line of a mail: each run of
  control characters or line separators becomes one space. Forms refuse them already; this
  covers rows stored before they did."""
  return LINE_BREAKING_RUN.sub(' ', text or '')


def owed_mail_window():
  """(oldest, newest) creation times of rows whose mail is owed and still worth sending."""
  now = utc_now()
  late = current_app.config['OWED_MAIL_AFTER_SECONDS']
  return now - timedelta(seconds=OWED_MAIL_WITHIN_SECONDS), now - timedelta(seconds=late)


def send_mail(recipient, subject, body):
  """Send a plain-text mail with the backend that the config names."""
  message = EmailMessage()
  message['From'] = current_app.config['MAIL_DEFAULT_SENDER']
  message['To'] = recipient
  message['Subject'] = subject
  mail_key = SENDING_MAIL_KEY.get()
  if mail_key:
    # Names the mail for whoever audits delivery (the chaos run counts each key once).
    message['X-Dibz-Mail-Key'] = mail_key
  message.set_content(body)
  if current_app.config['MAIL_BACKEND'] == 'smtp':
    send_over_smtp(message)
  else:
    current_app.logger.info('Mail to %s: %s\n%s', recipient, subject, body)


def send_mail_once(mail_key, recipient, subject, body):
  """Send the mail unless one with `mail_key` was already sent; True when it was sent now.

  The key is claimed in the database before the SMTP call and released when the call fails,
  so a retry sends it again; only a worker dying between delivery and the claim's commit
  could lose a mail, and nothing can make a job send twice."""
  db.session.add(SentMail(mail_key=mail_key))
  try:
    db.session.commit()
  except IntegrityError:
    db.session.rollback()
    current_app.logger.info('Mail %s was already sent; not sending it again.', mail_key)
    return False
  try:
    token = SENDING_MAIL_KEY.set(mail_key)
    try:
      send_mail(recipient, subject, body)
    finally:
      SENDING_MAIL_KEY.reset(token)
  except Exception:
    db.session.rollback()
    db.session.execute(delete(SentMail).where(SentMail.mail_key == mail_key))
    db.session.commit()
    raise
  db.session.execute(
    SentMail.__table__.update().where(SentMail.mail_key == mail_key).values(sent_at=utc_now())
  )
  db.session.commit()
  return True


def send_over_smtp(message):
  """Deliver through the SMTP server configured by MAIL_SERVER and friends."""
  config = current_app.config
  if not config.get('MAIL_SERVER'):
    raise RuntimeError(f'MAIL_SERVER is not set; mail to {message["To"]} was not sent.')
  timeout = config['MAIL_TIMEOUT_SECONDS']
  with smtplib.SMTP(config['MAIL_SERVER'], config['MAIL_PORT'], timeout=timeout) as connection:
    if config['MAIL_USE_TLS']:
      connection.starttls()
    if config.get('MAIL_USERNAME'):
      connection.login(config['MAIL_USERNAME'], config['MAIL_PASSWORD'])
    connection.send_message(message)
