// The link of the verification mail: posts its token, then says whether the address is verified.
// The route requires a login (the link verifies only for the account it was mailed for); a link
// of another account is refused (403) with what to do, and changes nothing.

import {api} from '../api.js';
import {h, replaceChildren, loadingState, messageOf} from '../dom.js';
import {getUser, loadSession} from '../session.js';

export async function renderVerifyEmail({view, query, setTitle}) {
  setTitle('Verify your email');
  const card = h('section', {class: 'card auth-card', dataset: {testid: 'verify-email'}}, loadingState('Verifying your address…'));
  view.append(card);
  try {
    const body = await api('POST', '/api/auth/verify-email', {json: {token: query.get('token') || ''}});
    // A logged-in user's banner and badge follow the new state.
    if (getUser()) await loadSession();
    replaceChildren(card, h('h1', {class: 'page-title', text: 'Your address is verified'}),
      h('p', {role: 'status', text: `Other students now see you as a verified student of ${body.verified_campus}.`}),
      h('a', {class: 'btn btn--primary', href: '/', text: 'Browse posts'}));
  } catch (error) {
    if (error.status === 401) throw error;  // the session ended meanwhile: the router asks for a login
    const detail = error.fields && error.fields.token ? error.fields.token[0] : messageOf(error);
    const advice = error.status === 403
      ? 'You are logged in as someone else than the account this link was mailed for.'
      : 'Ask for a new link from the banner at the top of the page.';
    replaceChildren(card, h('h1', {class: 'page-title', text: 'This link did not work'}),
      h('p', {class: 'form__message form__message--error', role: 'alert', text: detail}),
      h('p', {class: 'muted', text: advice}));
  }
}
