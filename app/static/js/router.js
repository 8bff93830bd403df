// History-API routing: every client path is served the same shell, and this module draws the
// page for the path on load, on link clicks and on back/forward.

import {isAbort, withQuery} from './api.js';
import {h, replaceChildren, errorState} from './dom.js';
import {getUser, setUser} from './session.js';

const routes = [];
const navigationListeners = new Set();
let currentPage = null;
// Where the visitor was before this page (path and query), for "Back to results" links.
let previousLocation = null;
let firstPageDrawn = false;

/** The path and query of the page shown before the current one, or null on the first page. */
export function getPreviousLocation() {
  return previousLocation;
}

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
  // Read now: pages change their query string in place (filters, search as you type).
  previousLocation = location.pathname + location.search;
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

// Leaving a page aborts its signal: that cancels the page's requests, removes every listener
// it attached with {signal} and stops its timers (they stop on the signal's abort event). It is
// the one way a page cleans up: no removeEventListener, no leave callbacks.
function leaveCurrentPage() {
  if (!currentPage) return;
  currentPage.controller.abort();
  currentPage = null;
}

/** Draw the page for location.pathname into <main id="app">. */
export async function renderCurrentPath() {
  leaveCurrentPage();
  const view = document.getElementById('app');
  const found = match(location.pathname);
  const page = {controller: new AbortController()};
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
    // Aborted when the page is left: pass it to every api() call and addEventListener().
    signal: page.controller.signal,
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
    if (error.status === 404) {
      // Trying again cannot bring back what does not exist: say so, and offer ways on.
      replaceChildren(view);
      renderNotFound(context, error.message);
    } else {
      console.warn('The page failed to draw', error);
      replaceChildren(view, h('h1', {class: 'page-title', text: 'Something went wrong'}),
        errorState(error, () => renderCurrentPath()));
    }
  }
  if (currentPage === page) pageShown(view);
}

/**
 * After an in-app navigation, focus the new page's H1 and announce its title, as a full page
 * load would for a screen reader. The first page keeps the browser's own focus.
 */
function pageShown(view) {
  if (!firstPageDrawn) {
    firstPageDrawn = true;
    return;
  }
  const heading = view.querySelector('h1');
  const announcer = document.getElementById('route-announcer');
  if (announcer) announcer.textContent = heading ? heading.textContent : document.title;
  if (heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus({preventScroll: true});
  } else {
    view.focus({preventScroll: true});
  }
}

function renderNotFound({view, setTitle}, message) {
  setTitle('Not found');
  view.append(h('section', {class: 'not-found card', dataset: {testid: 'not-found'}},
    h('h1', {class: 'page-title', text: 'Page not found'}),
    h('p', {class: 'muted', text: message || 'There is nothing at this address. It may have moved, or the link has a typo.'}),
    h('ul', {class: 'not-found__links'},
      h('li', {}, h('a', {class: 'btn btn--primary', href: '/', text: 'Browse posts'})),
      h('li', {}, h('a', {class: 'btn btn--ghost', href: '/search', text: 'Search'})),
      h('li', {}, h('a', {class: 'btn btn--ghost', href: '/posts/new', text: 'Sell something'})))));
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
  window.addEventListener('popstate', () => {
    previousLocation = null;
    renderCurrentPath();
  });
  return renderCurrentPath();
}
