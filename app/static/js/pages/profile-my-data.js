// The profile's "My data" section: download everything Dibz holds about me, delete my account.

import {api, refreshCsrfToken} from '../api.js';
import {h} from '../dom.js';
import {handleSubmit, passwordField, showFormMessage} from '../forms.js';
import {setUser} from '../session.js';
import {showFlash} from '../components.js';
import {navigate} from '../router.js';

/** A card with the download link (the server sends the file) and the deletion form. */
export function myDataSection() {
  const confirmBox = h('input', {type: 'checkbox', name: 'confirm', id: 'delete-confirm',
    dataset: {testid: 'delete-confirm'}});
  const deleteForm = h('form', {class: 'form my-data__delete', novalidate: true, dataset: {testid: 'delete-account-form'}},
    h('h3', {class: 'my-data__title', text: 'Delete my account'}),
    h('p', {class: 'muted', text: 'Your posts are withdrawn and their photos deleted, your sessions end, and your '
      + 'messages stay with the people you wrote to, signed “Deleted user”. This cannot be undone.'}),
    passwordField('password', 'Your password'),
    h('label', {class: 'checkbox', for: 'delete-confirm'}, confirmBox,
      ' I understand that my account is deleted for good.'),
    h('button', {class: 'btn btn--danger', type: 'submit', text: 'Delete my account'}));
  handleSubmit(deleteForm, async (data) => {
    if (!confirmBox.checked) {
      showFormMessage(deleteForm, 'Tick the box to confirm that you want your account deleted.');
      return;
    }
    await api('DELETE', '/api/users/me', {json: {password: data.get('password')}});
    await refreshCsrfToken();
    setUser(null);
    showFlash('Your account is deleted. Goodbye!');
    navigate('/');
  });
  return h('section', {class: 'card my-data', 'aria-labelledby': 'my-data-title', dataset: {testid: 'my-data'}},
    h('h2', {class: 'section-title', id: 'my-data-title', text: 'My data'}),
    h('p', {class: 'muted', text: 'One JSON file with everything Dibz holds about you: profile, posts, dibs, '
      + 'messages you sent, reports, sessions, notifications, blocks, watches and saved searches.'}),
    h('a', {class: 'btn btn--ghost', href: '/api/users/me/export', download: '', dataset: {testid: 'download-my-data'},
      text: 'Download my data'}),
    deleteForm);
}
