"""A small mail sender: logs mail locally, sends it over SMTP in staging and prod."""

import smtplib
from email.message import EmailMessage

from flask import current_app


def send_mail(recipient, subject, body):
  """Send a plain-text mail with the backend that the config names."""
  message = EmailMessage()
  message['From'] = current_app.config['MAIL_DEFAULT_SENDER']
  message['To'] = recipient
  message['Subject'] = subject
  message.set_content(body)
  if current_app.config['MAIL_BACKEND'] == 'smtp':
    send_over_smtp(message)
  else:
    current_app.logger.info('Mail to %s: %s\n%s', recipient, subject, body)


def send_over_smtp(message):
  """Deliver through the SMTP server configured by MAIL_SERVER and friends."""
  config = current_app.config
  if not config.get('MAIL_SERVER'):
    current_app.logger.error('MAIL_SERVER is not set; mail to %s was not sent.', message['To'])
    return
  with smtplib.SMTP(config['MAIL_SERVER'], config['MAIL_PORT'], timeout=10) as connection:
    if config['MAIL_USE_TLS']:
      connection.starttls()
    if config.get('MAIL_USERNAME'):
      connection.login(config['MAIL_USERNAME'], config['MAIL_PASSWORD'])
    connection.send_message(message)
