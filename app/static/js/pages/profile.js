// Profile editing, password change, and where I am logged in.

import {api} from '../api.js';
import {emptyState, h} from '../dom.js';
import {LIMITS} from '../format.js';
import {field, formValues, handleSubmit, passwordField} from '../forms.js';
import {setUser} from '../session.js';
import {pagedList, pageHeader, showFlash} from '../components.js';
import {fetchReviews, ratingBadge, reviewItem} from '../ratings.js';
import {sessionsSection} from './profile-sessions.js';
import {blocksSection, reportsSection} from './profile-safety.js';
import {myDataSection} from './profile-my-data.js';

export async function renderProfile({view, signal, setTitle}) {
  setTitle('Profile');
  // Fresh from the API: login answers without the notification settings this page shows.
  const {user} = await api('GET', '/api/users/me', {signal});
  setUser(user);
  const profileForm = h('form', {class: 'form card', novalidate: true, dataset: {testid: 'profile-form'}},
    h('h2', {class: 'section-title', text: 'Your profile'}),
    h('p', {class: 'muted'}, `@${user.username} · ${user.email} · `,
      h('a', {href: `/users/${encodeURIComponent(user.username)}`, text: 'See your public profile'})),
    field('display_name', 'Display name', {value: user.display_name || '', maxlength: LIMITS.display_name_max_length}),
    // The campus follows the email address (docs/CAMPUSES.md): shown, not edited.
    h('p', {class: 'muted', dataset: {testid: 'profile-campus'}, text: user.campus
      ? `Campus: ${user.campus.name} (from your email address).`
      : 'No campus: your email address belongs to none of the campuses.'}),
    field('bio', 'Bio', {kind: 'textarea', rows: '4', value: user.bio || '', maxlength: LIMITS.bio_max_length,
      placeholder: 'A line or two buyers and sellers will see.'}),
    h('button', {class: 'btn btn--primary', type: 'submit', text: 'Save profile'}));
  handleSubmit(profileForm, async (data) => {
    const values = formValues(data);
    const body = await api('PATCH', '/api/users/me', {json: {
      display_name: values.display_name,
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
    showFlash('Password changed. Every other session is logged out.');
  });

  const reviews = h('div', {class: 'results', dataset: {testid: 'my-reviews'}});
  view.append(pageHeader('Profile'), h('div', {class: 'two-columns'}, profileForm, passwordForm),
    h('section', {class: 'card my-reviews', 'aria-labelledby': 'my-reviews-title'},
      h('h2', {class: 'section-title', id: 'my-reviews-title'}, 'Reviews of you ', ratingBadge(user.rating, {always: true})),
      reviews),
    sessionsSection(), emailSettingsForm(user), h('div', {class: 'two-columns'}, blocksSection(signal), reportsSection(signal)),
    myDataSection());
  await pagedList(reviews, {
    fetchPage: (page) => fetchReviews(user.username, page, signal),
    renderItem: (review) => reviewItem(review),
    empty: () => emptyState('Nobody has reviewed you yet.', 'After a sale, buyer and seller review each other.'),
    listClass: 'review-list',
  }).reload();
}

const EMAIL_KINDS = [
  ['dib_received', 'Someone calls dibs on my post'],
  ['dib_accepted', 'My dib is accepted'],
  ['dib_declined', 'My dib is declined'],
  ['post_sold', 'A post I called dibs on is sold to someone else'],
  ['post_withdrawn', 'A post I called dibs on is withdrawn'],
  ['new_message', 'A message waits unread for 5 minutes'],
  ['review_invite', 'A sale of mine can be reviewed'],
  ['review_reminder', 'A week is left to review a sale'],
];

/** Which notifications are also mailed: one checkbox per kind, saved together. */
function emailSettingsForm(user) {
  const settings = user.notification_settings || {};
  const form = h('form', {class: 'form card', novalidate: true, dataset: {testid: 'email-settings-form'}},
    h('h2', {class: 'section-title', text: 'Email me when…'}),
    EMAIL_KINDS.map(([kind, text]) => h('label', {class: 'checkbox'},
      h('input', {type: 'checkbox', name: kind, checked: settings[kind] !== false}), ` ${text}`)),
    h('button', {class: 'btn btn--primary', type: 'submit', text: 'Save email settings'}));
  handleSubmit(form, async () => {
    const choices = Object.fromEntries(EMAIL_KINDS.map(([kind]) => [kind, form.elements[kind].checked]));
    const body = await api('PATCH', '/api/users/me', {json: {notification_settings: choices}});
    setUser(body.user);
    showFlash('Email settings saved.');
  });
  return form;
}
