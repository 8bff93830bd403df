// Live updates: one EventSource for the logged-in user (GET /api/events). Each event becomes a
// DOM event on `document` — dibz:message, dibz:unread, dibz:dib, dibz:post, dibz:notification,
// dibz:hold (a hold started, a meet-up proposed or confirmed, a lapse, your turn) —
// with its JSON payload as `detail`. While the stream is down, isLive() is false and pages poll
// instead; dibz:live-changed says when that changes, and <body data-events> shows it.

const EVENT_TYPES = ['message', 'unread', 'dib', 'post', 'notification', 'hold'];
// After the server refused the stream (not a dropped connection, which the browser retries
// by itself), try again this much later.
const RETRY_AFTER_REFUSAL_MS = 30000;

let source = null;
let live = false;
let lastEventId = '';
let retryTimer = null;

export function isLive() {
  return live;
}

function setLive(value) {
  document.body.dataset.events = value ? 'live' : 'polling';
  if (live === value) return;
  live = value;
  document.dispatchEvent(new CustomEvent('dibz:live-changed', {detail: {live}}));
}

function relay(type, event) {
  if (event.lastEventId) lastEventId = event.lastEventId;
  let detail;
  try {
    detail = JSON.parse(event.data);
  } catch {
    return;
  }
  document.dispatchEvent(new CustomEvent(`dibz:${type}`, {detail}));
}

/** Open the stream; a stream reopened by us resumes after the last event we received. */
export function startEvents() {
  stopEvents();
  if (typeof EventSource === 'undefined') return;
  const url = lastEventId ? `/api/events?last_event_id=${encodeURIComponent(lastEventId)}` : '/api/events';
  const stream = new EventSource(url);
  source = stream;
  stream.addEventListener('open', () => setLive(true));
  stream.addEventListener('error', () => {
    if (source !== stream) return;
    setLive(false);
    if (stream.readyState === EventSource.CLOSED) {
      source = null;
      retryTimer = setTimeout(startEvents, RETRY_AFTER_REFUSAL_MS);
    }
  });
  for (const type of EVENT_TYPES) stream.addEventListener(type, (event) => relay(type, event));
  // This login opened more streams than the server allows (other tabs or devices) and this one
  // was the oldest: stay closed and poll, and reopen when the tab is looked at again.
  stream.addEventListener('replaced', () => {
    if (source !== stream) return;
    stopEvents();
    visibilityWatch = new AbortController();
    document.addEventListener('visibilitychange', reopenWhenVisible, {signal: visibilityWatch.signal});
  });
}

// Aborted to stop waiting for the tab to be looked at again (the one listener idiom: a signal).
let visibilityWatch = null;

function stopWatchingVisibility() {
  if (visibilityWatch) visibilityWatch.abort();
  visibilityWatch = null;
}

function reopenWhenVisible() {
  if (document.visibilityState !== 'visible') return;
  stopWatchingVisibility();
  if (followUser.userId !== null && !source) startEvents();
}

/** Close the stream (logout); pages go back to polling. */
export function stopEvents() {
  stopWatchingVisibility();
  clearTimeout(retryTimer);
  retryTimer = null;
  if (source) source.close();
  source = null;
  setLive(false);
}

/** Follow the logged-in user: a stream per login, none when logged out. */
export function followUser(user) {
  const userId = user ? user.id : null;
  if (userId === followUser.userId) return;
  followUser.userId = userId;
  lastEventId = '';
  if (userId === null) stopEvents();
  else startEvents();
}
followUser.userId = null;
