// The interactive API reference at /api/docs: the pinned Swagger UI bundle (app/static/vendor/)
// draws the app's own OpenAPI document. "Try it out" sends the session's CSRF token on unsafe
// methods, as the SPA does, so a logged-in reader can call every operation from the page.

import {refreshCsrfToken} from './api.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const CSRF_HEADER = 'X-CSRFToken';
const root = document.getElementById('swagger-ui');

/** Add the CSRF header to unsafe requests; a fresh token each time, as logins rotate it. The
 * request that fetches the document itself names no method (a GET). */
async function addCsrfToken(request) {
  const method = (request.method || 'GET').toUpperCase();
  if (!SAFE_METHODS.has(method)) request.headers[CSRF_HEADER] = await refreshCsrfToken();
  return request;
}

window.SwaggerUIBundle({
  url: root.dataset.documentUrl,
  domNode: root,
  deepLinking: true,
  // No call to swagger.io's online validator: the page loads nothing from another origin.
  validatorUrl: null,
  // The document marks the CSRF header required, so "Execute" would refuse to run until it is
  // filled: it is prefilled with a stand-in that addCsrfToken replaces with the real token.
  parameterMacro: (operation, parameter) => (parameter.name === CSRF_HEADER ? 'added by this page' : undefined),
  requestInterceptor: addCsrfToken,
});
