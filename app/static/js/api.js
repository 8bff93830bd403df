// The one way the client talks to the API: JSON in and out, the CSRF header on unsafe methods,
// and every failure turned into an ApiError carrying the envelope's code, message and fields.

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
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
  try {
    return await request(method, path, options);
  } catch (error) {
    // A token from a session that was rotated elsewhere (another tab logged in): fetch a new one once.
    if (error.code === 'csrf' && !SAFE_METHODS.has(method) && !options.retried) {
      await refreshCsrfToken();
      return request(method, path, {...options, retried: true});
    }
    throw error;
  }
}

async function request(method, path, {json, form, query, signal} = {}) {
  const headers = {Accept: 'application/json'};
  let body;
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(json);
  } else if (form !== undefined) {
    body = form; // the browser writes the multipart boundary itself
  }
  if (!SAFE_METHODS.has(method)) headers['X-CSRFToken'] = await csrfToken();
  let response;
  try {
    response = await fetch(withQuery(path, query), {method, headers, body, signal, credentials: 'same-origin'});
  } catch (error) {
    if (isAbort(error)) throw error;
    throw new ApiError(0, 'network', 'Could not reach Dibz. Check your connection and try again.');
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
