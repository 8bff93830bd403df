// Sign up and log in.

import {h} from '../dom.js';
import {field, formValues, handleSubmit} from '../forms.js';
import {navigate} from '../router.js';
import {getUser, login, signup} from '../session.js';
import {showFlash} from '../components.js';

/** Only same-site client paths are followed after login (no open redirect). */
function nextPath(query) {
  const next = query.get('next') || '/';
  return next.startsWith('/') && !next.startsWith('//') ? next : '/';
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
    field('email', 'Email', {type: 'email', autocomplete: 'email', required: true}),
    field('username', 'Username', {autocomplete: 'username', required: true,
      hint: '3 to 30 lower-case letters, digits or _.'}),
    field('display_name', 'Display name (optional)', {autocomplete: 'name'}),
    field('password', 'Password', {type: 'password', autocomplete: 'new-password', required: true,
      hint: 'At least 10 characters.'}),
    h('button', {class: 'btn btn--primary btn--block', type: 'submit', text: 'Create account'}));
  handleSubmit(form, async (data) => {
    const values = formValues(data);
    const payload = {email: values.email, username: values.username, password: data.get('password')};
    if (values.display_name) payload.display_name = values.display_name;
    const user = await signup(payload);
    showFlash(`Welcome to Dibz, ${user.display_name || user.username}!`);
    navigate(nextPath(query));
  });
  view.append(authCard('Create your account', 'Buy and sell with students on your campus.', form,
    ['Already have an account? ', h('a', {href: `/login${location.search}`, text: 'Log in'})]));
}

export function renderLogin({view, query, setTitle}) {
  setTitle('Log in');
  if (getUser()) return navigate(nextPath(query), {replace: true});
  const form = h('form', {class: 'form', novalidate: true, dataset: {testid: 'login-form'}},
    field('email', 'Email', {type: 'email', autocomplete: 'email', required: true}),
    field('password', 'Password', {type: 'password', autocomplete: 'current-password', required: true}),
    h('label', {class: 'checkbox'}, h('input', {type: 'checkbox', name: 'remember', value: 'yes'}), 'Keep me logged in'),
    h('button', {class: 'btn btn--primary btn--block', type: 'submit', text: 'Log in'}));
  handleSubmit(form, async (data) => {
    const user = await login({
      email: formValues(data).email,
      password: data.get('password'),
      remember: data.get('remember') === 'yes',
    });
    showFlash(`Welcome back, ${user.display_name || user.username}.`);
    navigate(nextPath(query));
  });
  view.append(authCard('Log in', 'Good to see you again.', form,
    ['New here? ', h('a', {href: `/signup${location.search}`, text: 'Create an account'})]));
}
