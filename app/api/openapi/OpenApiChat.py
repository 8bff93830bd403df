"""The chat operations of the OpenAPI document, as a table: conversations about a post, and
messages."""

from app.api.openapi.OpenApiComponents import INTEGER_ID, obj, ref
from app.api.openapi.OpenApiOperations import (
  PAGE_QUERY,
  json_body,
  json_content,
  paths_from_table,
  query_parameter,
  wrapped,
)
from app.api.openapi.OpenApiUsers import NOT_BLANK
from app.chat.ChatConstants import (
  DEFAULT_MESSAGE_PAGE_SIZE,
  MAX_MESSAGE_PAGE_SIZE,
  MESSAGE_BODY_MAX_LENGTH,
)
from app.common.CommonConstants import MAX_ROW_ID

TAG_CHAT = 'chat'

CONVERSATION_ID = (('conversation_id', INTEGER_ID),)
CONVERSATION_RESPONSE = wrapped('conversation', 'Conversation')
MESSAGES_QUERY = (
  query_parameter(
    'after',
    {'type': 'integer', 'minimum': 0, 'maximum': MAX_ROW_ID},
    description='Only messages after this id, oldest first (polling).',
  ),
  query_parameter(
    'before',
    INTEGER_ID,
    description='The newest messages before this id (scrolling back); not with `after`.',
  ),
  query_parameter(
    'limit',
    {
      'type': 'integer',
      'minimum': 1,
      'maximum': MAX_MESSAGE_PAGE_SIZE,
      'default': DEFAULT_MESSAGE_PAGE_SIZE,
    },
  ),
)
MESSAGE_BODY = json_body(
  {'body': {'type': 'string', 'pattern': NOT_BLANK, 'maxLength': MESSAGE_BODY_MAX_LENGTH}},
  required=('body',),
)
OPEN_CONVERSATION_BODY = {
  'required': False,
  'content': json_content({'type': 'object', 'properties': {'buyer_id': INTEGER_ID}}),
}
READ_BODY = {
  'required': False,
  'content': json_content({'type': 'object', 'properties': {'up_to': INTEGER_ID}}),
}

# (METHOD /path, operationId, summary, {status: (description, schema)}, other arguments)
CHAT_OPERATIONS = (
  (
    'POST /api/posts/{post_id}/conversations',
    'openConversation',
    'Open (or find) my conversation with the seller of a post.',
    {
      201: ('A new conversation.', CONVERSATION_RESPONSE),
      200: ('The conversation that already existed.', CONVERSATION_RESPONSE),
    },
    {
      'path': (('post_id', INTEGER_ID),),
      'body': OPEN_CONVERSATION_BODY,
      'errors': (403, 409),
      'rate_limited': True,
      'description': (
        'A buyer opens their own conversation (no body). The seller sends `buyer_id`, someone '
        'who called dibs on the post (else 422), to write to them; without it the seller '
        'gets 409.'
      ),
    },
  ),
  (
    'GET /api/conversations',
    'listConversations',
    'My conversations, newest activity first.',
    {200: ('A page of conversations.', ref('ConversationList'))},
    {'query': PAGE_QUERY},
  ),
  (
    'GET /api/conversations/{conversation_id}',
    'getConversation',
    'One of my conversations (others get 404).',
    {200: ('The conversation.', CONVERSATION_RESPONSE)},
    {'path': CONVERSATION_ID},
  ),
  (
    'GET /api/conversations/{conversation_id}/messages',
    'listMessages',
    'Messages of a conversation, oldest first, after (or before) a message id.',
    {200: ('The messages.', obj({'items': {'type': 'array', 'items': ref('Message')}}))},
    {'path': CONVERSATION_ID, 'query': MESSAGES_QUERY},
  ),
  (
    'POST /api/conversations/{conversation_id}/messages',
    'sendMessage',
    'Send a message in one of my conversations.',
    {201: ('The message.', wrapped('message', 'Message'))},
    {
      'path': CONVERSATION_ID,
      'body': MESSAGE_BODY,
      'rate_limited': True,
      'errors': (409,),
      'description': 'A withdrawn post or a block either way makes it read-only (409).',
    },
  ),
  (
    'POST /api/conversations/{conversation_id}/read',
    'markConversationRead',
    'Mark messages read, up to a message id (all when omitted).',
    {204: ('Marked read.',)},
    {'path': CONVERSATION_ID, 'body': READ_BODY, 'errors': (400, 413, 415, 422)},
  ),
  (
    'GET /api/users/me/unread',
    'countUnread',
    'How many messages I have not read.',
    {200: ('The count.', obj({'unread': {'type': 'integer', 'minimum': 0}}))},
    {},
  ),
)


def chat_paths():
  """/api/conversations/... and the unread counter."""
  return paths_from_table(TAG_CHAT, CHAT_OPERATIONS)
