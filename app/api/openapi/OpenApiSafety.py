"""The trust-and-safety operations of the OpenAPI document, as a table: blocks, reports and
moderation."""

from app.api.openapi.OpenApiComponents import (
  INTEGER_ID,
  STRING,
  TIMESTAMP,
  list_of,
  nullable,
  obj,
  or_blank,
  ref,
)
from app.api.openapi.OpenApiOperations import (
  PAGE_QUERY,
  json_body,
  json_content,
  paths_from_table,
  query_parameter,
  wrapped,
)
from app.api.openapi.OpenApiUsers import USERNAME_PATH
from app.moderation.ModerationConstants import (
  DECISION_REASON_MAX_LENGTH,
  REPORT_NOTE_MAX_LENGTH,
  SUSPENSION_MAX_DAYS,
)

TAG_SAFETY = 'safety'
SAFETY_TAG = {
  'name': TAG_SAFETY,
  'description': 'Blocks, reports and moderation (docs/TRUST_AND_SAFETY.md).',
}

USER_BLOCK = obj({'user': ref('UserSummary'), 'created_at': TIMESTAMP})
TARGET_TYPE = ref('ReportTargetType')
REASON = ref('ReportReason')
REPORT = obj(
  {
    'id': INTEGER_ID,
    'target_type': TARGET_TYPE,
    'target_id': INTEGER_ID,
    'reason': REASON,
    'note': STRING,
    'status': ref('ReportStatus'),
    'decision': nullable(ref('ModerationDecision')),
    'created_at': TIMESTAMP,
    'decided_at': nullable(TIMESTAMP),
  }
)
QUEUE_ITEM = obj(
  {
    'target_type': TARGET_TYPE,
    'target_id': INTEGER_ID,
    'target_user': ref('UserSummary'),
    'report_count': {'type': 'integer', 'minimum': 1},
    'reasons': {
      'type': 'object',
      'description': 'How many open reports give each reason.',
      'additionalProperties': {'type': 'integer', 'minimum': 1},
    },
    'snapshot': {'type': 'object', 'description': 'The target as first reported.'},
    'reports': {
      'type': 'array',
      'items': obj(
        {
          'id': INTEGER_ID,
          'reporter': ref('UserSummary'),
          'reason': REASON,
          'note': STRING,
          'created_at': TIMESTAMP,
        }
      ),
    },
    'context': {
      **nullable({'type': 'array', 'items': ref('Message')}),
      'description': 'For a message: it and up to five messages before and after it.',
    },
  }
)
AUDIT_ENTRY = obj(
  {
    'id': INTEGER_ID,
    'moderator_id': nullable(INTEGER_ID),
    'action': ref('ModerationAction'),
    'target_type': TARGET_TYPE,
    'target_id': INTEGER_ID,
    'reason': STRING,
    'created_at': TIMESTAMP,
  }
)
ACCOUNT = obj(
  {
    'id': INTEGER_ID,
    'username': STRING,
    'suspended': {'type': 'boolean'},
    'suspended_until': {**nullable(TIMESTAMP), 'description': 'Null with suspended: a ban.'},
    'suspension_reason': nullable(STRING),
  }
)
REASON_TEXT = {'type': 'string', 'minLength': 1, 'maxLength': DECISION_REASON_MAX_LENGTH}
REASON_BODY = json_body({'reason': REASON_TEXT}, required=('reason',))
SUSPENSION_BODY = json_body(
  {
    'days': nullable({'type': 'integer', 'minimum': 1, 'maximum': SUSPENSION_MAX_DAYS}),
    'ban': nullable({'type': 'boolean'}),
    'reason': REASON_TEXT,
  },
  required=('reason',),
)
USER_ID = (('user_id', INTEGER_ID),)
SAFETY_SCHEMAS = {
  'ModeratedAccount': ACCOUNT,
  'UserBlock': USER_BLOCK,
  'UserBlockList': list_of(ref('UserBlock')),
  'Report': REPORT,
  'ReportList': list_of(ref('Report')),
  'ModerationQueueItem': QUEUE_ITEM,
  'ModerationQueue': list_of(ref('ModerationQueueItem')),
  'AuditEntry': AUDIT_ENTRY,
  'AuditLog': list_of(ref('AuditEntry')),
  'ModeratedAccountList': list_of(ref('ModeratedAccount')),
}
REPORT_BODY = json_body(
  {
    'target_type': TARGET_TYPE,
    'target_id': INTEGER_ID,
    'reason': REASON,
    'note': nullable({'type': 'string', 'maxLength': REPORT_NOTE_MAX_LENGTH}),
  },
  required=('target_type', 'target_id', 'reason'),
)
DECISION_BODY = json_body(
  {
    'action': ref('ModerationDecision'),
    'reason': nullable({'type': 'string', 'maxLength': DECISION_REASON_MAX_LENGTH}),
  },
  required=('action',),
)
AUDIT_QUERY = (
  *PAGE_QUERY,
  query_parameter('action', or_blank(ref('ModerationAction'))),
  query_parameter('moderator_id', or_blank(INTEGER_ID)),
  query_parameter('target_type', or_blank(TARGET_TYPE)),
)
NO_BODY = {'required': False, 'content': json_content({'type': 'object'})}

# (METHOD /path, operationId, summary, {status: (description, schema)}, other arguments)
SAFETY_OPERATIONS = (
  (
    'GET /api/users/me/blocks',
    'listMyBlocks',
    'The users I blocked, most recent first.',
    {200: ('A page of blocks.', ref('UserBlockList'))},
    {'query': PAGE_QUERY},
  ),
  (
    'PUT /api/users/{username}/block',
    'blockUser',
    'Block a user: both ways at once, and they are not told.',
    {
      201: ('The new block.', wrapped('block', 'UserBlock')),
      200: ('The block that already existed.', wrapped('block', 'UserBlock')),
    },
    {
      'path': USERNAME_PATH,
      'body': NO_BODY,
      'errors': (422,),
      'rate_limited': True,
      'description': (
        "From then on neither user sees the other's posts (lists, search, profiles, post "
        'pages: 404), starts a conversation with, writes to, or calls dibs on the other '
        "(409). Their conversations say `can_send: false`; only the blocker's says "
        '`blocked_by_me: true`. Blocking oneself is a 422.'
      ),
    },
  ),
  (
    'DELETE /api/users/{username}/block',
    'unblockUser',
    'Lift my block of a user (204 whether or not there was one).',
    {204: ('Unblocked.',)},
    {'path': USERNAME_PATH, 'rate_limited': True},
  ),
  (
    'POST /api/reports',
    'createReport',
    'Report a post, a user or a message (a verified student; one open report per target).',
    {201: ('The report.', wrapped('report', 'Report'))},
    {
      'body': REPORT_BODY,
      'errors': (403, 404, 409),
      'rate_limited': True,
      'description': (
        '403 for an unverified address, 404 for a target I cannot see (a message of another '
        'conversation), 409 while my report of it is open, 422 for my own post, message or '
        'myself. A post reported by MODERATION_AUTO_HIDE_REPORTS distinct students is hidden '
        'until a moderator decides, and its seller told why. 20 reports a day per account.'
      ),
    },
  ),
  (
    'GET /api/users/me/reports',
    'listMyReports',
    'The reports I filed, newest first, with what was decided.',
    {200: ('A page of reports.', ref('ReportList'))},
    {'query': PAGE_QUERY},
  ),
  (
    'GET /api/moderation/queue',
    'moderationQueue',
    'Open reports grouped by target, most reported first (moderators).',
    {200: ('A page of targets.', ref('ModerationQueue'))},
    {'query': PAGE_QUERY, 'errors': (403,)},
  ),
  (
    'POST /api/moderation/targets/{target_type}/{target_id}/decision',
    'decideTarget',
    'Decide every open report about a target: dismiss, hide the post or remove it.',
    {200: ('How many reports were decided.', obj({'decided': {'type': 'integer'}}))},
    {
      'path': (('target_type', TARGET_TYPE), ('target_id', INTEGER_ID)),
      'body': DECISION_BODY,
      'errors': (403,),
      'description': (
        'Moderators only (403), never about themselves or their own content (403); 404 when '
        'the target has no open report; 422 to hide or remove what is not a post. Each '
        'reporter is told; a hidden or removed post leaves every list, and its seller sees why.'
      ),
    },
  ),
  (
    'GET /api/moderation/audit',
    'moderationAudit',
    'The append-only audit log, newest first (admins).',
    {200: ('A page of entries.', ref('AuditLog'))},
    {'query': AUDIT_QUERY, 'errors': (403,)},
  ),
  (
    'POST /api/moderation/users/{user_id}/warning',
    'warnUser',
    'Warn a user: a notification with the reason, logged (moderators).',
    {200: ('The account.', wrapped('user', 'ModeratedAccount'))},
    {'path': USER_ID, 'body': REASON_BODY, 'errors': (403,)},
  ),
  (
    'POST /api/moderation/users/{user_id}/suspension',
    'suspendUser',
    'Suspend a user for `days` days, or ban them (`ban: true`) (moderators).',
    {200: ('The account.', wrapped('user', 'ModeratedAccount'))},
    {
      'path': USER_ID,
      'body': SUSPENSION_BODY,
      'errors': (403,),
      'description': (
        'Exactly one of `days` and `ban: true` (else 422). Every session of the user ends at '
        'once; their login is refused (403) with the reason and end date; their posts leave '
        "every list. Never one's own account, nor an admin's unless an admin (403)."
      ),
    },
  ),
  (
    'GET /api/moderation/suspensions',
    'listSuspendedAccounts',
    'The accounts suspended or banned now, most recently suspended first (moderators).',
    {200: ('A page of accounts.', ref('ModeratedAccountList'))},
    {'query': PAGE_QUERY, 'errors': (403,)},
  ),
  (
    'DELETE /api/moderation/users/{user_id}/suspension',
    'liftSuspension',
    'Lift a suspension or ban (moderators); 409 when there is none.',
    {200: ('The account.', wrapped('user', 'ModeratedAccount'))},
    {
      'path': USER_ID,
      'body': {'required': False, 'content': json_content(obj({'reason': REASON_TEXT}))},
      'errors': (403, 409),
    },
  ),
)


def safety_paths():
  """Blocks, reports and moderation."""
  return paths_from_table(TAG_SAFETY, SAFETY_OPERATIONS)
