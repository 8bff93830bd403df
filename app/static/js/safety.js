// Trust and safety in the client (docs/TRUST_AND_SAFETY.md): the Report button and its dialog,
// the Block / Unblock button, and what the pages need to know about my blocks and my role.

import {api} from './api.js';
import {h} from './dom.js';
import {LIMITS, REPORT_REASONS, label} from './format.js';
import {clearErrors, field, handleSubmit, showErrors, showFormMessage} from './forms.js';
import {actionButton, showFlash} from './components.js';

// What each of ModerationConstants.REPORT_REASONS reads as; an unknown one is its label.
const REASON_LABELS = {
  scam: 'Scam or fraud',
  prohibited_item: 'Prohibited item',
  harassment: 'Harassment',
  spam: 'Spam',
  no_show: 'No-show',
  counterfeit: 'Counterfeit',
  other: 'Something else',
};

/** 'no_show' → 'No-show'. */
export function reasonLabel(reason) {
  return REASON_LABELS[reason] || label(reason);
}

/** True for a moderator or an admin (admins are moderators too: User.is_moderator). */
export function isModerator(user) {
  return Boolean(user) && (user.role === 'moderator' || user.role === 'admin');
}

export function isAdmin(user) {
  return Boolean(user) && user.role === 'admin';
}

let dialogCounter = 0;

/** A textarea's "12 / 1,000" counter, kept up to date as the user types. */
function characterCounter(textarea, maximum) {
  const counter = h('p', {class: 'field__counter', id: `${textarea.id}-counter`});
  const update = () => { counter.textContent = `${textarea.value.length.toLocaleString('en-US')} / ${maximum.toLocaleString('en-US')} characters`; };
  textarea.addEventListener('input', update);
  textarea.setAttribute('aria-describedby', `${textarea.getAttribute('aria-describedby')} ${counter.id}`);
  update();
  return counter;
}

/** The sentence for a report the API refused as a whole (the form shows field errors itself). */
function reportRefusal(error) {
  if (error.status === 429) {
    return 'You have filed the most reports Dibz takes from one person in a day. Try again tomorrow.';
  }
  return error.message;
}

/**
 * The report dialog for one target: a reason from the API's list and an optional note. A modal
 * <dialog> (focus stays inside, Escape closes it, focus returns to the button); it is removed
 * once closed, or with the page when another is drawn.
 */
export function openReportDialog({targetType, targetId, name, opener, afterReport}) {
  const titleId = `report-dialog-title-${++dialogCounter}`;
  const reasonOptions = [['', 'Choose a reason'], ...REPORT_REASONS.map((reason) => [reason, reasonLabel(reason)])];
  const note = field('note', 'Note (optional)', {kind: 'textarea', rows: '4', maxlength: LIMITS.report_note_max_length,
    placeholder: 'What happened? Moderators read every report.'});
  const textarea = note.querySelector('textarea');
  note.append(characterCounter(textarea, LIMITS.report_note_max_length));
  const cancel = h('button', {class: 'btn btn--ghost', type: 'button', text: 'Cancel'});
  const form = h('form', {class: 'form', novalidate: true, dataset: {testid: 'report-form'}},
    field('reason', 'Reason', {kind: 'select', options: reasonOptions, required: true}),
    note,
    h('div', {class: 'button-row'},
      h('button', {class: 'btn btn--primary', type: 'submit', text: 'Send report'}), cancel));
  const dialog = h('dialog', {class: 'dialog card', 'aria-labelledby': titleId, dataset: {testid: 'report-dialog'}},
    h('h2', {class: 'section-title', id: titleId, text: `Report ${name}`}),
    h('p', {class: 'muted', text: 'A moderator looks at every report. Nobody is told who reported them.'}),
    form);
  cancel.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => {
    dialog.remove();
    if (opener && opener.isConnected) opener.focus();
  });
  handleSubmit(form, async (data) => {
    const reason = String(data.get('reason') || '');
    if (!reason) {
      showFormMessage(form, 'Choose the reason for your report.');
      form.elements.reason.focus();
      return;
    }
    try {
      await api('POST', '/api/reports', {json: {
        target_type: targetType, target_id: targetId, reason, note: String(data.get('note') || '').trim(),
      }});
    } catch (error) {
      if (error.fields && Object.keys(error.fields).length) throw error;
      showFormMessage(form, reportRefusal(error));
      return;
    }
    dialog.close();
    showFlash('Thank you. A moderator will look at your report.');
    if (afterReport) afterReport();
  });
  // Inside the page, so drawing another page (back, a link) takes the dialog with it.
  ((opener && opener.closest('main')) || document.body).append(dialog);
  dialog.showModal();
  form.elements.reason.focus();
  return dialog;
}

/** A button that opens the report dialog for a target; `name` says what is reported. */
export function reportButton({targetType, targetId, name, text = 'Report', small = true, testid = 'report-button'}) {
  // A bare "Report" names its target for screen readers; a longer text ("Report this post") says
  // it already, and the accessible name must contain the visible text (axe: label-content-name-mismatch).
  const named = (words) => (words === 'Report' || words === 'Reported' ? {'aria-label': `${words} ${name}`} : {});
  const button = h('button', {class: `btn btn--ghost${small ? ' btn--small' : ''} report-button`, type: 'button',
    text, ...named(text), 'aria-haspopup': 'dialog', dataset: {testid}});
  button.addEventListener('click', () => openReportDialog({
    targetType, targetId, name, opener: button,
    afterReport: () => {
      button.textContent = 'Reported';
      if (button.hasAttribute('aria-label')) button.setAttribute('aria-label', `Reported ${name}`);
    },
  }));
  return button;
}

/** The usernames I blocked (a block list is short: one page of the largest size). */
export async function myBlockedUsernames(signal) {
  const body = await api('GET', '/api/users/me/blocks', {signal, query: {per_page: 100}});
  return new Set(body.items.map((block) => block.user.username));
}

/**
 * Block or Unblock `user`, as `blocked` says now; `afterChange(blocked)` runs after each change.
 * Blocking asks first: it hides both people's posts from each other and stops their messages.
 */
export function blockButton(user, {blocked, afterChange, name}) {
  const who = name || user.display_name || user.username;
  const path = `/api/users/${encodeURIComponent(user.username)}/block`;
  if (blocked) {
    return actionButton('Unblock', async () => {
      await api('DELETE', path);
      showFlash(`You unblocked ${who}.`);
      await afterChange(false);
    }, {variant: 'ghost', class: 'btn btn--ghost btn--small', 'aria-label': `Unblock ${who}`, dataset: {testid: 'unblock-button'}});
  }
  return actionButton('Block', async () => {
    const question = `Block ${who}? Neither of you will see the other's posts, and you can no longer message each other. ${who} is not told.`;
    if (!window.confirm(question)) return;
    await api('PUT', path);
    showFlash(`You blocked ${who}. You can unblock them on your profile page.`);
    await afterChange(true);
  }, {variant: 'ghost', class: 'btn btn--ghost btn--small', 'aria-label': `Block ${who}`, dataset: {testid: 'block-button'}});
}

/** A button of `form` that runs `run(reason, form)` with the form's `reason` field: it asks
 * first when `question`, shows the API's refusal in the form (field errors next to their
 * field), and flashes the sentence `run` returns. */
export function formActionButton(form, text, run, {question, variant = 'ghost', testid} = {}) {
  const button = h('button', {class: `btn btn--${variant} btn--small`, type: 'button', text, dataset: testid ? {testid} : null});
  button.addEventListener('click', async () => {
    clearErrors(form);
    if (question && !window.confirm(question())) return;
    button.disabled = true;
    try {
      showFlash(await run(form.elements.reason ? form.elements.reason.value.trim() : '', form));
    } catch (error) {
      if (button.isConnected) showErrors(form, error);
    } finally {
      button.disabled = false;
    }
  });
  return button;
}
