// History-API routing: every client path is served the same shell, and this module draws the
// page for the path on load, on link clicks and on back/forward.

import {isAbort, withQuery} from './api.js';
import {replaceChildren, errorState} from './dom.js';
import {getUser, setUser} from './session.js';

const routes = [];
const navigationListeners = new Set();
let currentPage = null;

/** Register a page: pattern like '/posts/:id', render(ctx), and whether it needs a login. */
export function route(pattern, render, {requiresLogin = false} = {}) {
  const names = [];
  const source = pattern.replace(/:(\w+)/g, (match, name) => {
    names.push(name);
    return '([^/]+)';
  });
  routes.push({regex: new RegExp(`^${source}/?$`), names, render, requiresLogin});
}

export function onNavigate(listener) {
  navigationListeners.add(listener);
}

/** Go to a client path, adding a history entry unless `replace`. */
export function navigate(path, {replace = false} = {}) {
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  return renderCurrentPath();
}

/** Change the query string of the current page without drawing it again (filters, search). */
export function replaceQuery(query) {
  history.replaceState(null, '', withQuery(location.pathname, query));
}

function match(pathname) {
  for (const candidate of routes) {
    const found = candidate.regex.exec(pathname);
    if (found) {
      const params = {};
      candidate.names.forEach((name, index) => { params[name] = decodeURIComponent(found[index + 1]); });
      return {route: candidate, params};
    }
  }
  return null;
}

function leaveCurrentPage() {
  if (!currentPage) return;
  currentPage.controller.abort();
  for (const callback of currentPage.leaveCallbacks) {
    try { callback(); } catch (error) { console.warn('Leaving the page failed', error); }
  }
  currentPage = null;
}

/** Draw the page for location.pathname into <main id="app">. */
export async function renderCurrentPath() {
  leaveCurrentPage();
  const view = document.getElementById('app');
  const found = match(location.pathname);
  const page = {controller: new AbortController(), leaveCallbacks: []};
  currentPage = page;
  for (const listener of navigationListeners) listener(location.pathname);
  if (found && found.route.requiresLogin && !getUser()) {
    const next = location.pathname + location.search;
    return navigate(`/login?next=${encodeURIComponent(next)}`, {replace: true});
  }
  const context = {
    view,
    params: found ? found.params : {},
    query: new URLSearchParams(location.search),
    signal: page.controller.signal,
    isCurrent: () => currentPage === page,
    onLeave: (callback) => page.leaveCallbacks.push(callback),
    setTitle: (title) => { document.title = title ? `${title} · Dibz` : 'Dibz — the campus marketplace'; },
  };
  replaceChildren(view);
  view.className = 'page';
  window.scrollTo(0, 0);
  try {
    await (found ? found.route.render(context) : renderNotFound(context));
  } catch (error) {
    if (isAbort(error) || currentPage !== page) return;
    if (error.status === 401) {
      // The session ended elsewhere (logout in another tab, password change): log in again.
      setUser(null);
      const next = location.pathname + location.search;
      return navigate(`/login?next=${encodeURIComponent(next)}`, {replace: true});
    }
    console.warn('The page failed to draw', error);
    replaceChildren(view, errorState(error, () => renderCurrentPath()));
  }
}

function renderNotFound({view, setTitle}) {
  setTitle('Not found');
  view.append(errorState({message: 'There is nothing at this address.'}));
}

function isClientLink(anchor, event) {
  if (!anchor || event.defaultPrevented || event.button !== 0) return false;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return false;
  if (anchor.target && anchor.target !== '_self') return false;
  if (anchor.hasAttribute('download') || anchor.origin !== location.origin) return false;
  return !/^\/(api|static)(\/|$)/.test(anchor.pathname);
}

/** Take over same-origin link clicks and back/forward, then draw the first page. */
export function startRouter() {
  document.addEventListener('click', (event) => {
    const anchor = event.target.closest('a[href]');
    if (!isClientLink(anchor, event)) return;
    event.preventDefault();
    if (anchor.pathname + anchor.search !== location.pathname + location.search) {
      navigate(anchor.pathname + anchor.search);
    }
  });
  window.addEventListener('popstate', () => renderCurrentPath());
  return renderCurrentPath();
}
