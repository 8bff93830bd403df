"""Conversations between a buyer and a post's seller, their messages and unread counts."""

from flask import request
from flask_login import current_user

from app.api import api_blueprint
from app.chat import ChatHelpers
from app.chat.ChatConstants import CONVERSATION_OPEN_LIMIT, MESSAGE_SEND_LIMIT
from app.chat.ChatForms import MessageForm, MessageQueryForm, OpenConversationForm, ReadForm
from app.chat.ChatSerializers import conversation_to_json, conversations_to_json, message_to_json
from app.common.CommonForms import read_query, validate_form
from app.common.CommonHelpers import get_json_body, get_optional_json_body, paginate
from app.common.CommonRateLimits import is_anonymous_request, user_rate_limit_key
from app.common.CommonResponses import json_response, no_content
from app.extensions import limiter


@api_blueprint.post('/posts/<row_id:post_id>/conversations')
@limiter.limit(
  CONVERSATION_OPEN_LIMIT, key_func=user_rate_limit_key, exempt_when=is_anonymous_request
)
def open_conversation(post_id):
  """201 with a new conversation, or 200 with the one that already exists; the seller sends
  `buyer_id` to write to someone in the queue."""
  form = validate_form(OpenConversationForm, get_optional_json_body())
  user = current_user._get_current_object()
  conversation, created = ChatHelpers.open_conversation(
    post_id, user, form.present_data().get('buyer_id')
  )
  return json_response(
    {'conversation': conversation_to_json(conversation, user)}, 201 if created else 200
  )


@api_blueprint.get('/conversations')
def list_conversations():
  user = current_user._get_current_object()
  return json_response(
    paginate(
      ChatHelpers.inbox_statement(user),
      lambda conversations: conversations_to_json(conversations, user),
      count_statement=ChatHelpers.inbox_count_statement(user),
    )
  )


@api_blueprint.get('/conversations/<row_id:conversation_id>')
def get_conversation(conversation_id):
  user = current_user._get_current_object()
  conversation = ChatHelpers.get_conversation(conversation_id, user, details=True)
  return json_response({'conversation': conversation_to_json(conversation, user)})


@api_blueprint.get('/conversations/<row_id:conversation_id>/messages')
def list_messages(conversation_id):
  """Poll with `after` (the newest id the client holds); scroll back with `before`."""
  query = read_query(MessageQueryForm, request.args)
  messages = ChatHelpers.list_messages(
    conversation_id,
    current_user,
    after=query.after.data,
    before=query.before.data,
    limit=query.limit.data,
  )
  return json_response({'items': [message_to_json(message) for message in messages]})


@api_blueprint.post('/conversations/<row_id:conversation_id>/messages')
@limiter.limit(MESSAGE_SEND_LIMIT, key_func=user_rate_limit_key, exempt_when=is_anonymous_request)
def send_message(conversation_id):
  form = validate_form(MessageForm, get_json_body())
  message = ChatHelpers.send_message(conversation_id, current_user, form.body.data)
  return json_response({'message': message_to_json(message)}, 201)


@api_blueprint.post('/conversations/<row_id:conversation_id>/read')
def mark_conversation_read(conversation_id):
  """Move my read marker to `up_to`, or to the newest message when it is absent."""
  form = validate_form(ReadForm, get_optional_json_body())
  ChatHelpers.mark_read(conversation_id, current_user, form.up_to.data)
  return no_content()


@api_blueprint.get('/users/me/unread')
def my_unread_count():
  return json_response({'unread': ChatHelpers.count_unread(current_user)})
