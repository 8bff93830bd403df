// Messages: my conversations with unread badges, and a thread that polls for new messages
// while it is on screen and visible and the live stream (events.js) is down.

import {api, isAbort} from '../api.js';
import {h, replaceChildren, emptyState, loadingState} from '../dom.js';
import {field, handleSubmit} from '../forms.js';
import {LIMITS, displayName, relativeTime, time, price} from '../format.js';
import {getUser} from '../session.js';
import {pageHeader, pagedList, postThumb} from '../components.js';
import {isLive} from '../events.js';
import {holdSection} from '../handover.js';
import {blockButton, reportButton} from '../safety.js';

const POLL_INTERVAL_MS = 3000;

function conversationRow(conversation) {
  const unread = conversation.unread_count;
  const last = conversation.last_message;
  return h('li', {class: `card conversation${unread ? ' conversation--unread' : ''}`, dataset: {conversationId: conversation.id}},
    h('a', {class: 'conversation__link', href: `/conversations/${conversation.id}`},
      postThumb(conversation.post, 'small'),
      h('div', {class: 'conversation__body'},
        h('div', {class: 'conversation__top'},
          h('strong', {text: displayName(conversation.other_user)}),
          h('span', {class: 'muted small', text: relativeTime(conversation.last_activity_at)})),
        h('p', {class: 'conversation__post', text: conversation.post.title}),
        h('p', {class: 'muted conversation__last', text: last ? last.body : 'No messages yet.'})),
      unread ? h('span', {class: 'count-badge', dataset: {testid: 'conversation-unread'}, 'aria-label': `${unread} unread`, text: String(unread)}) : null));
}

export async function renderConversations({view, signal, setTitle}) {
  setTitle('Messages');
  const results = h('div', {class: 'results'});
  view.append(pageHeader('Messages'), results);
  const list = pagedList(results, {
    listClass: 'stack',
    fetchPage: (page) => api('GET', '/api/conversations', {signal, query: {page, per_page: 20}}),
    renderItem: conversationRow,
    empty: () => emptyState('No conversations yet.', 'Open a post and message its seller to start one.',
      h('a', {class: 'btn btn--primary', href: '/', text: 'Browse posts'})),
  });
  // A new message moves its conversation up and changes its unread count.
  document.addEventListener('dibz:message', () => list.reload(), {signal});
  await list.reload();
}

/** One message; another person's carries a Report button (`other` names them). */
function messageBubble(message, other) {
  const mine = message.sender_id === getUser().id;
  return h('li', {class: `message${mine ? ' message--mine' : ''}`, dataset: {messageId: message.id}},
    h('p', {class: 'message__body', text: message.body}),
    h('span', {class: 'message__time', text: time(message.created_at)}),
    mine ? null : reportButton({targetType: 'message', targetId: message.id,
      name: `what ${other} wrote at ${time(message.created_at)}`, testid: 'report-message'}));
}

/** Why the composer is gone: a block either way (only the blocker learns it is theirs), or
 * the post was withdrawn. */
function cannotSendNotice(conversation, other) {
  let text;
  if (conversation.blocked_by_me) text = `You blocked ${other}. Unblock them to message each other again.`;
  else if (conversation.post.status === 'withdrawn') text = 'The post was withdrawn: you can no longer message about it.';
  else text = `You can no longer message ${other}.`;
  return h('p', {class: 'chat-closed', role: 'status', dataset: {testid: 'chat-closed'}, text});
}

export async function renderConversation({view, params, signal, setTitle}) {
  view.append(loadingState('Loading the conversation…'));
  const id = encodeURIComponent(params.id);
  const {conversation} = await api('GET', `/api/conversations/${id}`, {signal});
  const other = displayName(conversation.other_user);
  setTitle(`Chat with ${other}`);
  view.classList.add('page--chat');

  const thread = h('ol', {class: 'thread', 'aria-live': 'polite', dataset: {testid: 'thread'}});
  const threadBox = h('div', {class: 'thread-box'}, loadingState('Loading messages…'));
  const form = h('form', {class: 'composer', novalidate: true, dataset: {testid: 'composer'}},
    field('body', 'Message', {kind: 'textarea', rows: '2', maxlength: LIMITS.message_body_max_length, required: true,
      placeholder: `Write to ${other}…`}),
    h('button', {class: 'btn btn--primary', type: 'submit', text: 'Send'}));
  const post = conversation.post;
  // The hand-over, when the post's hold is between the two of us (not the seller's with another buyer).
  const hold = holdSection(post.id, signal, {label: `Hand-over of ${post.title}`,
    accept: (found) => [found.buyer.id, found.seller.id].includes(conversation.other_user.id)});
  const headerActions = h('div', {class: 'chat-header__actions'});
  const composerBox = h('div', {class: 'composer-box'});

  /** The composer while messages may be sent; else why not, and the block button to match. */
  function drawSendState(fresh) {
    Object.assign(conversation, fresh);
    replaceChildren(headerActions, blockButton(conversation.other_user, {blocked: conversation.blocked_by_me, name: other,
      afterChange: refreshSendState}));
    replaceChildren(composerBox, conversation.can_send ? form : cannotSendNotice(conversation, other));
  }
  async function refreshSendState() {
    drawSendState((await api('GET', `/api/conversations/${id}`, {signal})).conversation);
  }
  drawSendState(conversation);
  replaceChildren(view,
    h('p', {class: 'breadcrumb'}, h('a', {href: '/conversations', text: '← Messages'})),
    h('div', {class: 'chat-header card'},
      postThumb(post, 'small'),
      h('div', {class: 'chat-header__text'},
        h('h1', {class: 'chat-header__title', text: other}),
        h('a', {href: `/posts/${post.id}`, class: 'muted'}, `${post.title} · ${price(post.price_cents)}`)),
      headerActions),
    hold.element, threadBox, composerBox);
  hold.reload();

  let lastId = 0;
  let readUpTo = 0;
  let timer = null;
  let polling = false;

  function addMessages(messages) {
    const fresh = messages.filter((message) => message.id > lastId);
    if (!fresh.length) return;
    if (!thread.isConnected) replaceChildren(threadBox, thread);
    thread.append(...fresh.map((message) => messageBubble(message, other)));
    lastId = fresh[fresh.length - 1].id;
    thread.lastElementChild.scrollIntoView({block: 'end'});
  }

  async function markRead() {
    if (lastId <= readUpTo || document.visibilityState !== 'visible') return;
    readUpTo = lastId;
    try {
      await api('POST', `/api/conversations/${id}/read`, {json: {up_to: lastId}});
      document.dispatchEvent(new CustomEvent('dibz:unread-changed'));
    } catch {
      readUpTo = 0; // tried again after the next poll
    }
  }

  async function poll() {
    if (polling || signal.aborted) return;
    polling = true;
    threadBox.setAttribute('aria-busy', 'true');
    try {
      const {items} = await api('GET', `/api/conversations/${id}/messages`, {signal, query: {after: lastId || undefined, limit: LIMITS.max_message_page_size}});
      addMessages(items);
      if (!lastId && !thread.isConnected) {
        replaceChildren(threadBox, emptyState('No messages yet.', `Say hello to ${other}.`));
      }
      await markRead();
    } catch (error) {
      if (isAbort(error)) return;
      console.warn('Polling for messages failed', error);
    } finally {
      polling = false;
      threadBox.removeAttribute('aria-busy');
    }
  }

  function startPolling() {
    stopPolling();
    // The first poll is awaited: the page may have been left meanwhile. While the live
    // stream is up it brings each message, so there is nothing to poll for.
    if (!signal.aborted && document.visibilityState === 'visible' && !isLive()) timer = setInterval(poll, POLL_INTERVAL_MS);
  }
  function stopPolling() {
    clearInterval(timer);
    timer = null;
  }
  function onVisibilityChange() {
    if (document.visibilityState === 'visible') {
      if (!isLive()) poll();
      startPolling();
      markRead();
    } else stopPolling();
  }
  function onLiveMessage(event) {
    if (String(event.detail.conversation_id) !== String(params.id)) return;
    addMessages([event.detail.message]);
    markRead();
  }
  function onLiveChanged() {
    // Back from polling, catch up once; down, start polling.
    if (isLive()) poll();
    startPolling();
  }
  document.addEventListener('visibilitychange', onVisibilityChange, {signal});
  document.addEventListener('dibz:message', onLiveMessage, {signal});
  document.addEventListener('dibz:live-changed', onLiveChanged, {signal});
  document.addEventListener('dibz:hold', (event) => {
    if (event.detail.post_id === post.id) hold.reload();
  }, {signal});
  signal.addEventListener('abort', stopPolling);

  const textarea = form.querySelector('textarea');
  textarea.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit();
    }
  }, {signal});
  handleSubmit(form, async (data) => {
    const body = String(data.get('body') || '').trim();
    let message;
    try {
      ({message} = await api('POST', `/api/conversations/${id}/messages`, {json: {body}}));
    } catch (error) {
      // Blocked (either way) or the post withdrawn since the page was drawn: say so instead.
      if (error.status === 403 || error.status === 409) await refreshSendState();
      throw error;
    }
    form.reset();
    addMessages([message]);
    readUpTo = Math.max(readUpTo, message.id);
    textarea.focus();
  });

  await poll();
  startPolling();
}
