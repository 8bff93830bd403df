"""The chat operations of the OpenAPI document: conversations about a post, and messages."""

from app.api.openapi.OpenApiComponents import INTEGER_ID, ref
from app.api.openapi.OpenApiOperations import (
  PAGE_QUERY,
  json_body,
  json_content,
  operation,
  query_parameter,
  success_response,
  wrapped,
)
from app.api.openapi.OpenApiUsers import NOT_BLANK

TAG_CHAT = 'chat'
MESSAGE_BODY_MAX_LENGTH = 2000
MAX_MESSAGE_PAGE_SIZE = 100

CONVERSATION_ID = (('conversation_id', INTEGER_ID),)
CONVERSATION_RESPONSE = wrapped('conversation', 'Conversation')


def chat_paths():
  """/api/conversations/... and the unread counter."""
  return {
    '/api/posts/{post_id}/conversations': {
      'post': operation(
        'post',
        'openConversation',
        'Open (or find) my conversation with the seller of a post.',
        TAG_CHAT,
        {
          201: success_response('A new conversation.', CONVERSATION_RESPONSE),
          200: success_response('The conversation that already existed.', CONVERSATION_RESPONSE),
        },
        path=(('post_id', INTEGER_ID),),
        body={
          'required': False,
          'content': json_content(
            {'type': 'object', 'properties': {'buyer_id': INTEGER_ID}},
          ),
        },
        errors=(403, 409),
        description=(
          'A buyer opens their own conversation (no body). The seller sends `buyer_id`, someone '
          'who called dibs on the post (else 422), to write to them; without it the seller '
          'gets 409.'
        ),
      )
    },
    '/api/conversations': {
      'get': operation(
        'get',
        'listConversations',
        'My conversations, newest activity first.',
        TAG_CHAT,
        {200: success_response('A page of conversations.', ref('ConversationList'))},
        query=PAGE_QUERY,
      )
    },
    '/api/conversations/{conversation_id}': {
      'get': operation(
        'get',
        'getConversation',
        'One of my conversations (others get 404).',
        TAG_CHAT,
        {200: success_response('The conversation.', CONVERSATION_RESPONSE)},
        path=CONVERSATION_ID,
      )
    },
    '/api/conversations/{conversation_id}/messages': {
      'get': operation(
        'get',
        'listMessages',
        'Messages of a conversation, oldest first, after a message id.',
        TAG_CHAT,
        {
          200: success_response(
            'The messages.',
            {
              'type': 'object',
              'properties': {'items': {'type': 'array', 'items': ref('Message')}},
              'required': ['items'],
            },
          )
        },
        path=CONVERSATION_ID,
        query=[
          query_parameter('after', INTEGER_ID, description='Only messages after this id.'),
          query_parameter(
            'limit', {'type': 'integer', 'minimum': 1, 'maximum': MAX_MESSAGE_PAGE_SIZE}
          ),
        ],
      ),
      'post': operation(
        'post',
        'sendMessage',
        'Send a message in one of my conversations.',
        TAG_CHAT,
        {201: success_response('The message.', wrapped('message', 'Message'))},
        path=CONVERSATION_ID,
        body=json_body(
          {'body': {'type': 'string', 'pattern': NOT_BLANK, 'maxLength': MESSAGE_BODY_MAX_LENGTH}},
          required=('body',),
        ),
        rate_limited=True,
      ),
    },
    '/api/conversations/{conversation_id}/read': {
      'post': operation(
        'post',
        'markConversationRead',
        'Mark messages read, up to a message id (all when omitted).',
        TAG_CHAT,
        {204: success_response('Marked read.')},
        path=CONVERSATION_ID,
        body={
          'required': False,
          'content': {
            'application/json': {
              'schema': {'type': 'object', 'properties': {'up_to': INTEGER_ID}},
            }
          },
        },
        errors=(400, 413, 415, 422),
      )
    },
    '/api/users/me/unread': {
      'get': operation(
        'get',
        'countUnread',
        'How many messages I have not read.',
        TAG_CHAT,
        {
          200: success_response(
            'The count.',
            {
              'type': 'object',
              'properties': {'unread': {'type': 'integer', 'minimum': 0}},
              'required': ['unread'],
            },
          )
        },
      )
    },
  }
