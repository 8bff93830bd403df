"""Conversations between a buyer and a post's seller, their messages and unread counts."""

from flask import request
from flask_login import current_user

from app.api import api_blueprint
from app.chat import ChatHelpers
from app.chat.ChatConstants import MESSAGE_SEND_LIMIT
from app.chat.ChatForms import (
  MessageForm,
  OpenConversationForm,
  ReadForm,
  parse_message_query,
)
from app.common.CommonForms import validate_form
from app.common.CommonHelpers import get_json_body, get_optional_json_body, paginate
from app.common.CommonResponses import json_response, no_content
from app.extensions import limiter


@api_blueprint.post('/posts/<row_id:post_id>/conversations')
def open_conversation(post_id):
  """201 with a new conversation, or 200 with the one that already exists; the seller sends
  `buyer_id` to write to someone in the queue."""
  form = validate_form(OpenConversationForm, get_optional_json_body())
  conversation, created = ChatHelpers.open_conversation(
    post_id, current_user, form.present_data().get('buyer_id')
  )
  return json_response(
    {'conversation': ChatHelpers.serialize_conversation(conversation)}, 201 if created else 200
  )


@api_blueprint.get('/conversations')
def list_conversations():
  return json_response(
    paginate(
      ChatHelpers.inbox_statement(current_user),
      count_statement=ChatHelpers.inbox_count_statement(current_user),
      serialize_all=ChatHelpers.serialize_conversations,
    )
  )


@api_blueprint.get('/conversations/<row_id:conversation_id>')
def get_conversation(conversation_id):
  conversation = ChatHelpers.get_conversation_or_404(conversation_id, current_user, details=True)
  return json_response({'conversation': ChatHelpers.serialize_conversation(conversation)})


@api_blueprint.get('/conversations/<row_id:conversation_id>/messages')
def list_messages(conversation_id):
  """Poll with `after` (the newest id the client holds); scroll back with `before`."""
  after, before, limit = parse_message_query(request.args)
  conversation = ChatHelpers.get_conversation_or_404(conversation_id, current_user)
  messages = ChatHelpers.list_messages(conversation, after=after, before=before, limit=limit)
  return json_response({'items': [message.to_json() for message in messages]})


@api_blueprint.post('/conversations/<row_id:conversation_id>/messages')
@limiter.limit(
  MESSAGE_SEND_LIMIT,
  key_func=ChatHelpers.sender_rate_limit_key,
  exempt_when=ChatHelpers.is_anonymous_request,
)
def send_message(conversation_id):
  form = validate_form(MessageForm, get_json_body())
  conversation = ChatHelpers.get_conversation_or_404(conversation_id, current_user)
  message = ChatHelpers.send_message(conversation, current_user, form.body.data)
  return json_response({'message': message.to_json()}, 201)


@api_blueprint.post('/conversations/<row_id:conversation_id>/read')
def mark_conversation_read(conversation_id):
  """Move my read marker to `up_to`, or to the newest message when it is absent."""
  form = validate_form(ReadForm, get_optional_json_body())
  conversation = ChatHelpers.get_conversation_or_404(conversation_id, current_user)
  ChatHelpers.mark_read(conversation, current_user, form.up_to.data)
  return no_content()


@api_blueprint.get('/users/me/unread')
def my_unread_count():
  return json_response({'unread': ChatHelpers.count_unread(current_user)})
