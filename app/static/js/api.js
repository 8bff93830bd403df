// The one way the client talks to the API: JSON in and out, the CSRF header on unsafe methods,
// and every failure turned into an ApiError carrying the envelope's code, message and fields.
// Each POST carries one fresh Idempotency-Key per call (one user action); a POST that failed on
// the way (network error, 502/503/504, no answer in time) is sent once more with the same key,
// so the server answers it at most once (docs/IDEMPOTENCY.md).

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
// Answers that say the request may not have reached the app, or died before answering.
const RETRIED_STATUSES = new Set([0, 502, 503, 504]);
// A write that has not answered in this long is given up and sent again (with the same key).
export const WRITE_TIMEOUT_MS = 20000;
// While the first request with a key still runs, the server answers 409 in progress: ask again.
const IN_PROGRESS_ATTEMPTS = 5;
const IN_PROGRESS_WAIT_MS = 1000;
let csrfTokenPromise = null;

export class ApiError extends Error {
  constructor(status, code, message, fields = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields;
  }
}

/** The CSRF token of the current session, fetched once and shared. */
export function csrfToken() {
  if (!csrfTokenPromise) {
    csrfTokenPromise = request('GET', '/api/auth/csrf').then((body) => body.csrf_token);
    csrfTokenPromise.catch(() => { csrfTokenPromise = null; });
  }
  return csrfTokenPromise;
}

/** Forget the token: login, signup and logout rotate the session, and with it the token. */
export function refreshCsrfToken() {
  csrfTokenPromise = null;
  return csrfToken();
}

/** `path` with the non-empty values of `query` as its query string. */
export function withQuery(path, query = {}) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(name, value);
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/**
 * api('POST', '/api/posts', {json: {...}}) → the parsed body (null for 204).
 * Options: json (a body to send as JSON), form (FormData for uploads), query, signal.
 */
export async function api(method, path, options = {}) {
  method = method.toUpperCase();
  if (method === 'POST') options = {...options, idempotencyKey: newIdempotencyKey()};
  try {
    return await sendWithRetry(method, path, options);
  } catch (error) {
    // A token from a session that was rotated elsewhere (another tab logged in): fetch a new one once.
    if (error.code === 'csrf' && !SAFE_METHODS.has(method) && !options.retried) {
      await refreshCsrfToken();
      return sendWithRetry(method, path, {...options, retried: true});
    }
    throw error;
  }
}

/** One random key per user action: 128 bits as hex (crypto.randomUUID needs a secure context). */
export function newIdempotencyKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** A POST with a key is sent once more, with the same key, when its answer was lost. */
async function sendWithRetry(method, path, options) {
  if (!options.idempotencyKey) return request(method, path, options);
  try {
    return await request(method, path, options);
  } catch (error) {
    if (!RETRIED_STATUSES.has(error.status) || isAbort(error)) throw error;
    return askUntilAnswered(method, path, options);
  }
}

/** The retry: while the first request still runs (409 in progress), wait and ask again. */
async function askUntilAnswered(method, path, options) {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await request(method, path, options);
    } catch (error) {
      if (error.code !== 'idempotency_request_in_progress' || attempt >= IN_PROGRESS_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, IN_PROGRESS_WAIT_MS));
    }
  }
}

/** The caller's signal, plus a timeout for writes (which reports status 0, 'timeout'). */
function withTimeout(signal, milliseconds) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), milliseconds);
  if (signal) {
    if (signal.aborted) controller.abort();
    signal.addEventListener('abort', () => controller.abort(), {once: true});
  }
  return {
    signal: controller.signal,
    timedOut: () => controller.signal.aborted && !(signal && signal.aborted),
    done: () => clearTimeout(timer),
  };
}

async function request(method, path, {json, form, query, signal, idempotencyKey} = {}) {
  const headers = {Accept: 'application/json'};
  let body;
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(json);
  } else if (form !== undefined) {
    body = form; // the browser writes the multipart boundary itself
  }
  if (!SAFE_METHODS.has(method)) headers['X-CSRFToken'] = await csrfToken();
  if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
  const deadline = SAFE_METHODS.has(method) ? null : withTimeout(signal, WRITE_TIMEOUT_MS);
  let response;
  try {
    response = await fetch(withQuery(path, query), {
      method, headers, body, signal: deadline ? deadline.signal : signal, credentials: 'same-origin',
    });
  } catch (error) {
    if (deadline && deadline.timedOut()) {
      throw new ApiError(0, 'timeout', 'Dibz did not answer in time. Check your connection and try again.');
    }
    if (isAbort(error)) throw error;
    throw new ApiError(0, 'network', 'Could not reach Dibz. Check your connection and try again.');
  } finally {
    if (deadline) deadline.done();
  }
  if (response.status === 204) return null;
  const payload = await response.json().catch(() => null);
  if (response.ok) return payload;
  // Every API error is the envelope; a proxy's error page (a 502 from nginx) is not JSON.
  const envelope = (payload && payload.error) || {};
  throw new ApiError(
    response.status,
    envelope.code || 'error',
    envelope.message || `The server answered with an error (${response.status}). Please try again.`,
    envelope.fields,
  );
}

/** True when the error is the request being cancelled on purpose (a newer search, a page left). */
export function isAbort(error) {
  return error && error.name === 'AbortError';
}
