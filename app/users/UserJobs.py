"""Jobs of the users area: the reset and verification mails, and purging spent tokens.

Each mail job is idempotent: `send_mail_once` keys the mail by the job's identity, so a retry
after a failure sends it, and a retry after a success does not send it again.
"""

from flask import current_app
from sqlalchemy import exists, select

from app.common.CommonJobs import current_job_key, enqueue, periodic_job
from app.common.CommonMail import OWED_MAIL_BATCH, mail_line, owed_mail_window, send_mail_once
from app.extensions import db
from app.users.UserModels import EmailVerificationToken, PasswordResetToken, User
from app.users.UserTokens import issue_token, purge_spent_tokens


def public_link(path):
  """An absolute link to a page of the SPA."""
  return f'{current_app.config["PUBLIC_BASE_URL"]}{path}'


def send_password_reset_mail(email):
  """Mail a single-use reset link when an account has this (normalized) address."""
  user = db.session.execute(select(User).where(User.email == email)).scalar_one_or_none()
  if user is None:
    return False
  mail_key = f'reset:{current_job_key()}'
  token = issue_token(
    PasswordResetToken, user.id, current_app.config['PASSWORD_RESET_MAX_AGE_SECONDS']
  )
  db.session.commit()
  return send_mail_once(
    mail_key,
    user.email,
    'Reset your Dibz password',
    f'Someone asked to reset the password of your Dibz account.\n\n'
    f'Open this link within an hour to choose a new one:\n'
    f'{public_link("/reset-password?token=" + token)}\n\n'
    f'If it was not you, ignore this mail.',
  )


def send_verification_mail(user_id, first=False):
  """Mail the user a single-use link that verifies their address (none when verified). The
  sign-up's mail (`first`) is keyed by the account, so the sign-up's job and the owed-mail job
  queued when it seemed lost send one mail between them; each asked-for resend is its own."""
  user = db.session.get(User, user_id)
  if user is None or user.email_verified_at is not None:
    return False
  mail_key = f'verify-first:{user_id}' if first else f'verify:{current_job_key()}'
  max_age = current_app.config['EMAIL_VERIFICATION_MAX_AGE_SECONDS']
  token = issue_token(EmailVerificationToken, user.id, max_age)
  db.session.commit()
  return send_mail_once(
    mail_key,
    user.email,
    'Verify your Dibz email address',
    f'Welcome to Dibz, {mail_line(user.display_name)}!\n\n'
    f'Open this link within {max_age // 86400} days, logged in as {user.username}, to verify '
    f'your address; other students then see you as a verified student:\n'
    f'{public_link("/verify-email?token=" + token)}\n\n'
    f'If you did not sign up for Dibz, someone else typed your address: ignore this mail. '
    f'The link works only for whoever is logged in to that account, so nobody can verify this '
    f'address with it, not even by getting you to open it.',
  )


def owed_verification_user_ids():
  """Unverified accounts made long enough ago that were never sent a verification link (no
  token was ever issued: the sign-up's job was lost before it ran)."""
  oldest, newest = owed_mail_window()
  statement = (
    select(User.id)
    .where(User.email_verified_at.is_(None), User.created_at.between(oldest, newest))
    .where(~exists().where(EmailVerificationToken.user_id == User.id))
    .order_by(User.id)
    .limit(OWED_MAIL_BATCH)
  )
  return db.session.execute(statement).scalars().all()


@periodic_job
def resend_owed_verification_mails():
  """Queue the verification mail of each new account whose sign-up job was lost (Redis away,
  or the process died right after the commit)."""
  owed = owed_verification_user_ids()
  for user_id in owed:
    enqueue(send_verification_mail, user_id, True)
  if owed:
    current_app.logger.warning('Queued %d owed verification mails again.', len(owed))
  return len(owed)


@periodic_job
def purge_spent_tokens_job():
  """Delete used or expired reset and verification tokens."""
  removed = purge_spent_tokens(PasswordResetToken) + purge_spent_tokens(EmailVerificationToken)
  current_app.logger.info('Purged %d spent tokens.', removed)
  return removed
