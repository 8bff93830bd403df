// The entry module: finds out who is logged in, draws the navigation and starts the router.

import {api} from './api.js';
import {h, replaceChildren} from './dom.js';
import {onNavigate, route, startRouter, navigate} from './router.js';
import {getUser, loadSession, logout, onUserChange} from './session.js';
import {showFlash} from './components.js';
import {renderForgotPassword, renderLogin, renderResetPassword, renderSignup} from './pages/auth.js';
import {renderBrowse} from './pages/browse.js';
import {renderSearch} from './pages/search.js';
import {renderPostDetail} from './pages/post-detail.js';
import {renderPostForm} from './pages/post-form.js';
import {renderMyPosts} from './pages/my-posts.js';
import {renderMyDibs} from './pages/my-dibs.js';
import {renderConversations, renderConversation} from './pages/conversations.js';
import {renderProfile} from './pages/profile.js';
import {renderUserProfile} from './pages/user-profile.js';

route('/', renderBrowse);
route('/search', renderSearch);
route('/login', renderLogin);
route('/signup', renderSignup);
route('/forgot-password', renderForgotPassword);
route('/reset-password', renderResetPassword);
route('/posts/new', renderPostForm, {requiresLogin: true});
route('/posts/:id', renderPostDetail);
route('/posts/:id/edit', renderPostForm, {requiresLogin: true});
route('/my-posts', renderMyPosts, {requiresLogin: true});
route('/my-dibs', renderMyDibs, {requiresLogin: true});
route('/conversations', renderConversations, {requiresLogin: true});
route('/conversations/:id', renderConversation, {requiresLogin: true});
route('/profile', renderProfile, {requiresLogin: true});
route('/users/:username', renderUserProfile);

const unreadBadge = h('span', {class: 'nav-badge', hidden: true, dataset: {testid: 'unread-badge'}});

function navLink(href, text, extra) {
  return h('a', {class: 'site-nav__link', href, dataset: {nav: href}}, text, extra || null);
}

function drawNavigation(user) {
  const nav = document.getElementById('site-nav');
  if (!user) {
    replaceChildren(nav, navLink('/', 'Browse'), navLink('/search', 'Search'),
      navLink('/login', 'Log in'), h('a', {class: 'btn btn--primary btn--small', href: '/signup', text: 'Sign up'}));
    return;
  }
  const logoutButton = h('button', {class: 'site-nav__link site-nav__button', type: 'button', text: 'Log out'});
  logoutButton.addEventListener('click', async () => {
    try {
      await logout();
      showFlash('You are logged out.');
      navigate('/');
    } catch (error) {
      showFlash(error.message, 'error');
    }
  });
  replaceChildren(nav, navLink('/', 'Browse'), navLink('/search', 'Search'),
    navLink('/my-posts', 'My posts'), navLink('/my-dibs', 'My dibs'),
    navLink('/conversations', 'Messages', unreadBadge), navLink('/profile', 'Profile'),
    logoutButton, h('a', {class: 'btn btn--primary btn--small', href: '/posts/new', text: 'Sell'}));
  markCurrentLink(location.pathname);
}

const menuToggle = document.getElementById('menu-toggle');

/** On phones the navigation folds behind the Menu button. */
function setMenuOpen(open) {
  document.getElementById('site-nav').classList.toggle('site-nav--open', open);
  menuToggle.setAttribute('aria-expanded', String(open));
}
menuToggle.addEventListener('click', () => setMenuOpen(menuToggle.getAttribute('aria-expanded') !== 'true'));

function markCurrentLink(pathname) {
  for (const link of document.querySelectorAll('.site-nav__link[data-nav]')) {
    const target = link.dataset.nav;
    const current = target === '/' ? pathname === '/' : pathname.startsWith(target);
    if (current) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

/** The Messages badge: how many messages wait unread. Quietly absent if chat is unavailable. */
export async function refreshUnreadBadge() {
  if (!getUser()) return;
  try {
    const {unread} = await api('GET', '/api/users/me/unread');
    unreadBadge.textContent = unread > 99 ? '99+' : String(unread);
    unreadBadge.hidden = !unread;
    unreadBadge.setAttribute('aria-label', `${unread} unread`);
    menuToggle.classList.toggle('menu-toggle--unread', unread > 0);
  } catch {
    unreadBadge.hidden = true;
  }
}

const headerSearch = document.getElementById('header-search');
const headerSearchInput = document.getElementById('header-search-q');

/** The header's search box, on every page: goes to the search page, client-side. */
headerSearch.addEventListener('submit', (event) => {
  event.preventDefault();
  const text = headerSearchInput.value.trim();
  navigate(text ? `/search?q=${encodeURIComponent(text)}` : '/search');
});

onUserChange(drawNavigation);
onNavigate((pathname) => {
  setMenuOpen(false);
  headerSearchInput.value = pathname === '/search' ? new URLSearchParams(location.search).get('q') || '' : '';
  markCurrentLink(pathname);
  refreshUnreadBadge();
});
document.addEventListener('dibz:unread-changed', refreshUnreadBadge);

async function start() {
  try {
    await loadSession();
  } catch {
    drawNavigation(null);
    showFlash('Dibz could not reach the server. Some pages may not work.', 'error');
  }
  await startRouter();
}

start();
