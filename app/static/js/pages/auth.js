// Sign up and log in.

import {api} from '../api.js';
import {h, replaceChildren} from '../dom.js';
import {displayName, LIMITS} from '../format.js';
import {field, formValues, handleSubmit, passwordField} from '../forms.js';
import {navigate} from '../router.js';
import {getUser, login, signup} from '../session.js';
import {showFlash} from '../components.js';

/** Only same-site client paths are followed after login (no open redirect). */
function nextPath(query) {
  const next = query.get('next') || '/';
  return next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

function emailField() {
  return field('email', 'Email', {type: 'email', autocomplete: 'email', required: true, maxlength: LIMITS.email_max_length});
}

function authCard(title, lead, form, footer) {
  return h('section', {class: 'auth-card card'},
    h('h1', {class: 'page-title', text: title}),
    h('p', {class: 'muted', text: lead}),
    form,
    h('p', {class: 'auth-card__footer'}, footer));
}

export function renderSignup({view, query, setTitle}) {
  setTitle('Sign up');
  if (getUser()) return navigate(nextPath(query), {replace: true});
  const form = h('form', {class: 'form', novalidate: true, dataset: {testid: 'signup-form'}},
    emailField(),
    field('username', 'Username', {autocomplete: 'username', required: true, maxlength: LIMITS.username_max_length,
      hint: `${LIMITS.username_min_length} to ${LIMITS.username_max_length} lower-case letters, digits or _.`}),
    field('display_name', 'Display name (optional)', {autocomplete: 'name', maxlength: LIMITS.display_name_max_length}),
    passwordField('password', 'Password', {isNew: true, required: true}),
    h('button', {class: 'btn btn--primary btn--block', type: 'submit', text: 'Create account'}));
  handleSubmit(form, async (data) => {
    const values = formValues(data);
    const payload = {email: values.email, username: values.username, password: data.get('password')};
    if (values.display_name) payload.display_name = values.display_name;
    const user = await signup(payload);
    showFlash(`Welcome to Dibz, ${displayName(user)}!`);
    navigate(nextPath(query));
  });
  view.append(authCard('Create your account', 'Buy and sell with students on your campus.', form,
    ['Already have an account? ', h('a', {href: `/login${location.search}`, text: 'Log in'})]));
}

export function renderLogin({view, query, setTitle}) {
  setTitle('Log in');
  if (getUser()) return navigate(nextPath(query), {replace: true});
  const form = h('form', {class: 'form', novalidate: true, dataset: {testid: 'login-form'}},
    emailField(),
    passwordField('password', 'Password', {required: true}),
    h('label', {class: 'checkbox'}, h('input', {type: 'checkbox', name: 'remember', value: 'yes'}), 'Keep me logged in'),
    h('button', {class: 'btn btn--primary btn--block', type: 'submit', text: 'Log in'}));
  handleSubmit(form, async (data) => {
    const user = await login({
      email: formValues(data).email,
      password: data.get('password'),
      remember: data.get('remember') === 'yes',
    });
    showFlash(`Welcome back, ${displayName(user)}.`);
    navigate(nextPath(query));
  });
  view.append(authCard('Log in', 'Good to see you again.', form,
    [h('a', {href: '/forgot-password', text: 'Forgot your password?'}), h('br'),
      'New here? ', h('a', {href: `/signup${location.search}`, text: 'Create an account'})]));
}

export function renderForgotPassword({view, setTitle}) {
  setTitle('Forgot password');
  const form = h('form', {class: 'form', novalidate: true, dataset: {testid: 'forgot-form'}},
    emailField(),
    h('button', {class: 'btn btn--primary btn--block', type: 'submit', text: 'Send me a reset link'}));
  handleSubmit(form, async (data) => {
    const email = formValues(data).email;
    await api('POST', '/api/auth/password-reset', {json: {email}});
    // The API answers the same whether or not the account exists, and so does this page.
    replaceChildren(form, h('p', {class: 'form__message form__message--info', role: 'status',
      text: `If an account exists for ${email}, a reset link is on its way. It works for an hour.`}));
  });
  view.append(authCard('Forgot your password?', "We'll email you a link to choose a new one.", form,
    ['Remembered it? ', h('a', {href: '/login', text: 'Log in'})]));
}

export function renderResetPassword({view, query, setTitle}) {
  setTitle('Choose a new password');
  const token = query.get('token') || '';
  const form = h('form', {class: 'form', novalidate: true, dataset: {testid: 'reset-form'}},
    // The link's token is not a field the user edits, but its errors belong here.
    h('div', {class: 'field', dataset: {field: 'token'}},
      h('p', {class: 'field__error', hidden: true, dataset: {errorFor: 'token'}})),
    passwordField('new_password', 'New password', {isNew: true, required: true}),
    h('button', {class: 'btn btn--primary btn--block', type: 'submit', text: 'Set new password'}));
  handleSubmit(form, async (data) => {
    await api('POST', '/api/auth/password-reset/confirm', {json: {token, new_password: data.get('new_password')}});
    showFlash('Your password is changed. Log in with the new one.');
    navigate('/login', {replace: true});
  });
  view.append(authCard('Choose a new password', 'Pick one you do not use anywhere else.', form,
    [h('a', {href: '/forgot-password', text: 'Ask for a new link'})]));
}
