"""Constants of the moderation area: reports, their reasons, decisions and the audit log."""

from app.posts.PostConstants import POST_IN_REVIEW

TARGET_POST = 'post'
TARGET_USER = 'user'
TARGET_MESSAGE = 'message'
TARGET_TYPES = (TARGET_POST, TARGET_USER, TARGET_MESSAGE)

REASON_SCAM = 'scam'
REASON_PROHIBITED = 'prohibited_item'
REASON_HARASSMENT = 'harassment'
REASON_SPAM = 'spam'
REASON_NO_SHOW = 'no_show'
REASON_COUNTERFEIT = 'counterfeit'
REASON_OTHER = 'other'
REPORT_REASONS = (
  REASON_SCAM,
  REASON_PROHIBITED,
  REASON_HARASSMENT,
  REASON_SPAM,
  REASON_NO_SHOW,
  REASON_COUNTERFEIT,
  REASON_OTHER,
)
REPORT_NOTE_MAX_LENGTH = 1000

REPORT_OPEN = 'open'
REPORT_DECIDED = 'decided'
REPORT_STATUSES = (REPORT_OPEN, REPORT_DECIDED)

# What a moderator may decide about a target; each decision closes its open reports.
ACTION_DISMISS = 'dismiss'
ACTION_HIDE_POST = 'hide_post'
ACTION_REMOVE_POST = 'remove_post'
DECISIONS = (ACTION_DISMISS, ACTION_HIDE_POST, ACTION_REMOVE_POST)
# Written by the system, not a moderator: a post hidden by MODERATION_AUTO_HIDE_REPORTS reporters.
ACTION_AUTO_HIDE = 'auto_hide'
# What a moderator does to an account.
ACTION_WARN = 'warn'
ACTION_SUSPEND = 'suspend'
ACTION_BAN = 'ban'
ACTION_LIFT = 'lift'
SUSPENSION_MAX_DAYS = 365
DECISION_REASON_MAX_LENGTH = 500

# Moderation states of a post (PostModels.Post.moderation_state; null: none).
POST_HIDDEN = 'hidden'
POST_REMOVED = 'removed'
POST_MODERATION_STATES = (POST_HIDDEN, POST_REMOVED, POST_IN_REVIEW)

# Reports are cheap to file and expensive to read: bounded per account.
REPORT_CREATE_LIMIT = '20 per day'
# Messages shown before and after a reported message in the queue.
MESSAGE_CONTEXT_SIZE = 5

# Held for review (PostReviewHelpers): a moderator approves a held post or removes it.
HELD_APPROVE = 'approve'
HELD_REMOVE = 'remove'
HELD_DECISIONS = (HELD_APPROVE, HELD_REMOVE)
ACTION_APPROVE_POST = 'approve_post'
# Written when a student deletes their account (app/privacy): no moderator, no name.
ACTION_DELETE_ACCOUNT = 'delete_account'
AUDIT_ACTIONS = (
  *DECISIONS,
  ACTION_AUTO_HIDE,
  ACTION_WARN,
  ACTION_SUSPEND,
  ACTION_BAN,
  ACTION_LIFT,
  ACTION_APPROVE_POST,
  ACTION_DELETE_ACCOUNT,
)
