// Profile editing and password change.

import {api} from '../api.js';
import {h} from '../dom.js';
import {LIMITS} from '../format.js';
import {field, formValues, handleSubmit, passwordField} from '../forms.js';
import {getUser, setUser} from '../session.js';
import {pageHeader, showFlash} from '../components.js';

export function renderProfile({view, setTitle}) {
  setTitle('Profile');
  const user = getUser();
  const profileForm = h('form', {class: 'form card', novalidate: true, dataset: {testid: 'profile-form'}},
    h('h2', {class: 'section-title', text: 'Your profile'}),
    h('p', {class: 'muted'}, `@${user.username} · ${user.email} · `,
      h('a', {href: `/users/${encodeURIComponent(user.username)}`, text: 'See your public profile'})),
    field('display_name', 'Display name', {value: user.display_name || '', maxlength: LIMITS.display_name_max_length}),
    field('campus', 'Campus', {value: user.campus || '', maxlength: LIMITS.campus_max_length, placeholder: 'e.g. North campus'}),
    field('bio', 'Bio', {kind: 'textarea', rows: '4', value: user.bio || '', maxlength: LIMITS.bio_max_length,
      placeholder: 'A line or two buyers and sellers will see.'}),
    h('button', {class: 'btn btn--primary', type: 'submit', text: 'Save profile'}));
  handleSubmit(profileForm, async (data) => {
    const values = formValues(data);
    const body = await api('PATCH', '/api/users/me', {json: {
      display_name: values.display_name,
      campus: values.campus || null,
      bio: values.bio,
    }});
    setUser(body.user);
    showFlash('Profile saved.');
  });

  const passwordForm = h('form', {class: 'form card', novalidate: true, dataset: {testid: 'password-form'}},
    h('h2', {class: 'section-title', text: 'Change password'}),
    passwordField('current_password', 'Current password'),
    passwordField('new_password', 'New password', {isNew: true}),
    h('button', {class: 'btn btn--primary', type: 'submit', text: 'Change password'}));
  handleSubmit(passwordForm, async (data) => {
    await api('PUT', '/api/users/me/password', {json: {
      current_password: data.get('current_password'),
      new_password: data.get('new_password'),
    }});
    passwordForm.reset();
    showFlash('Password changed.');
  });

  view.append(pageHeader('Profile'), h('div', {class: 'two-columns'}, profileForm, passwordForm));
}
