// The link of the verification mail: posts its token, then says whether the address is verified.

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
    const detail = error.fields && error.fields.token ? error.fields.token[0] : messageOf(error);
    replaceChildren(card, h('h1', {class: 'page-title', text: 'This link did not work'}),
      h('p', {class: 'form__message form__message--error', role: 'alert', text: detail}),
      h('p', {class: 'muted', text: 'Log in and ask for a new link from the banner at the top of the page.'}));
  }
}
