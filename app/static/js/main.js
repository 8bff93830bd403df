// The entry module: finds out who is logged in, draws the navigation and starts the router.

import {api} from './api.js';
import {h, replaceChildren} from './dom.js';
import {onNavigate, route, startRouter, navigate} from './router.js';
import {getUser, loadSession, logout, onUserChange} from './session.js';
import {actionButton, showFlash} from './components.js';
import {followUser, isLive} from './events.js';
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
import {renderNotifications} from './pages/notifications.js';
import {renderVerifyEmail} from './pages/verify-email.js';
import {renderWatchlist} from './pages/watchlist.js';
import {renderSavedSearches} from './pages/saved-searches.js';
import {renderReview} from './pages/review.js';
import {renderModeration} from './pages/moderation.js';
import {renderModerationAudit} from './pages/moderation-audit.js';
import {isModerator} from './safety.js';
import {renderMyReports} from './pages/profile-safety.js';
import {renderHeldPosts} from './pages/held-posts.js';

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
route('/notifications', renderNotifications, {requiresLogin: true});
// Only the logged-in owner of the account can verify it: anyone else is sent to log in first.
route('/verify-email', renderVerifyEmail, {requiresLogin: true});
route('/watchlist', renderWatchlist, {requiresLogin: true});
route('/saved-searches', renderSavedSearches, {requiresLogin: true});
route('/posts/:id/review', renderReview, {requiresLogin: true});
// Moderators and admins only: anyone else gets the page saying so (the API refuses them too).
route('/moderation', renderModeration, {requiresLogin: true});
route('/moderation/audit', renderModerationAudit, {requiresLogin: true});
// Where a "your report was decided" notification leads (NotificationTexts.notification_link).
route('/my-reports', renderMyReports, {requiresLogin: true});
route('/moderation/held-posts', renderHeldPosts, {requiresLogin: true});

const unreadBadge = h('span', {class: 'nav-badge', hidden: true, dataset: {testid: 'unread-badge'}});
const notificationBadge = h('span', {class: 'nav-badge', hidden: true, dataset: {testid: 'notification-badge'}});

/** The bell: a link to the notifications page carrying the unread count. */
function notificationBell() {
  return h('a', {class: 'site-nav__link site-nav__bell', href: '/notifications',
    title: 'Notifications', dataset: {nav: '/notifications', testid: 'notification-bell'}},
  h('img', {class: 'bell', src: '/static/img/bell.svg', alt: '', width: '20', height: '20'}),
  h('span', {class: 'site-nav__bell-text', text: 'Notifications'}),
  notificationBadge);
}

const verifyBanner = h('div', {class: 'verify-banner', role: 'region', 'aria-label': 'Address verification', hidden: true,
  dataset: {testid: 'verify-banner'}});

/** Ask unverified users to verify their address, with a button that mails a new link. */
function drawVerifyBanner(user) {
  if (!verifyBanner.isConnected) document.querySelector('.site-header').after(verifyBanner);
  verifyBanner.hidden = !user || user.email_verified;
  if (verifyBanner.hidden) return;
  replaceChildren(verifyBanner, h('p', {class: 'verify-banner__text'},
    `Verify your email address ${user.email} to show other students you are one of them. Open the link we mailed you.`),
  actionButton('Mail me a new link', async () => {
    await api('POST', '/api/auth/verify-email/resend');
    showFlash(`A new verification link is on its way to ${user.email}.`);
  }, {variant: 'ghost', class: 'btn btn--ghost btn--small', dataset: {testid: 'resend-verification'}}));
}

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
    navLink('/conversations', 'Messages', unreadBadge), notificationBell(), navLink('/profile', 'Profile'),
    isModerator(user) ? navLink('/moderation', 'Moderation') : null,
    ['moderator', 'admin'].includes(user.role) ? navLink('/moderation/held-posts', 'Held posts') : null,
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

// Without the live stream the badges are asked for this often (and on every navigation).
const BADGE_POLL_INTERVAL_MS = 15000;
const NOTIFICATION_REFRESH_MS = 60_000;

/** A navigation badge showing `count` (99+ past 99), hidden at zero, named for screen readers. */
function showCount(badge, count, label) {
  badge.textContent = count > 99 ? '99+' : String(count);
  badge.hidden = !count;
  badge.setAttribute('aria-label', `${count} ${label}`);
}

function showUnread(unread) {
  showCount(unreadBadge, unread, 'unread');
  menuToggle.classList.toggle('menu-toggle--unread', unread > 0);
}

// Each badge's latest change: a count read by a request that started before a newer one (pushed
// by the stream, or read by a later request) arrived is older than what the badge shows.
const badgeStamps = new WeakMap();

function stampBadge(badge) {
  const stamp = (badgeStamps.get(badge) || 0) + 1;
  badgeStamps.set(badge, stamp);
  return stamp;
}

/** Ask the API for a badge's `unread` count and show it, unless a newer count came meanwhile; the
 * badge is quietly absent when the count cannot be had (chat or notifications unavailable). */
async function refreshBadge(badge, path, query, show) {
  if (!getUser()) return;
  const stamp = stampBadge(badge);
  let unread;
  try {
    unread = (await api('GET', path, {query})).unread;
  } catch {
    if (badgeStamps.get(badge) === stamp) badge.hidden = true;
    return;
  }
  if (badgeStamps.get(badge) === stamp) show(unread);
}

/** The Messages badge: how many messages wait unread. */
const refreshUnreadBadge = () => refreshBadge(unreadBadge, '/api/users/me/unread', undefined, showUnread);
/** The bell's count: how many notifications are unread. */
const refreshNotificationBadge = () => refreshBadge(notificationBadge, '/api/notifications', {per_page: 1},
  (unread) => showCount(notificationBadge, unread, 'unread notifications'));

const headerSearch = document.getElementById('header-search');
const headerSearchInput = document.getElementById('header-search-q');

/** The header's search box, on every page: goes to the search page, client-side. */
headerSearch.addEventListener('submit', (event) => {
  event.preventDefault();
  const text = headerSearchInput.value.trim();
  navigate(text ? `/search?q=${encodeURIComponent(text)}` : '/search');
});

onUserChange(drawNavigation);
onUserChange(drawVerifyBanner);
onUserChange(followUser);
onNavigate((pathname) => {
  setMenuOpen(false);
  headerSearchInput.value = pathname === '/search' ? new URLSearchParams(location.search).get('q') || '' : '';
  markCurrentLink(pathname);
  refreshUnreadBadge();
  refreshNotificationBadge();
});
document.addEventListener('dibz:unread-changed', refreshUnreadBadge);
document.addEventListener('dibz:notifications-changed', refreshNotificationBadge);
// Live: the stream brings each new count and notification; it may have missed some while it
// was down, so both badges are read again when it comes back, and polled while it is down.
document.addEventListener('dibz:unread', (event) => {
  stampBadge(unreadBadge);
  showUnread(event.detail.unread);
});
document.addEventListener('dibz:notification', refreshNotificationBadge);
document.addEventListener('dibz:live-changed', () => {
  refreshUnreadBadge();
  refreshNotificationBadge();
});
for (const [refresh, intervalMs] of [[refreshUnreadBadge, BADGE_POLL_INTERVAL_MS], [refreshNotificationBadge, NOTIFICATION_REFRESH_MS]]) {
  setInterval(() => {
    if (!isLive() && document.visibilityState === 'visible') refresh();
  }, intervalMs);
}

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
