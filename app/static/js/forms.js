// Form plumbing: fields with their error slots, the API's field errors shown next to the field
// they name, and a form-level message for everything else.

import {isAbort} from './api.js';
import {h, messageOf} from './dom.js';
import {LIMITS} from './format.js';

let fieldCounter = 0;

/**
 * A labelled field. `name` is the API's field name, so its errors land here.
 * kind: 'input' (default), 'textarea' or 'select' (options: [[value, label], ...]).
 */
export function field(name, label, {kind = 'input', options = [], hint, ...attributes} = {}) {
  const id = `field-${name}-${++fieldCounter}`;
  const errorId = `${id}-error`;
  let control;
  if (kind === 'textarea') control = h('textarea', {id, name, ...attributes});
  else if (kind === 'select') {
    control = h('select', {id, name, ...attributes},
      options.map(([value, text]) => h('option', {value, text})));
  } else control = h('input', {id, name, type: 'text', ...attributes});
  if (attributes.value !== undefined && kind !== 'input') control.value = attributes.value ?? '';
  control.setAttribute('aria-describedby', errorId);
  return h('div', {class: 'field', dataset: {field: name}},
    h('label', {class: 'field__label', for: id, text: label}),
    control,
    hint ? h('p', {class: 'field__hint', text: hint}) : null,
    h('p', {class: 'field__error', id: errorId, hidden: true, dataset: {errorFor: name}}));
}

/** A password field bounded like the server's; a new password says how long it must be. */
export function passwordField(name, label, {isNew = false, ...attributes} = {}) {
  return field(name, label, {type: 'password', maxlength: LIMITS.password_max_length,
    autocomplete: isNew ? 'new-password' : 'current-password',
    hint: isNew ? `At least ${LIMITS.password_min_length} characters.` : undefined, ...attributes});
}

/** Remove every error shown in the form. */
export function clearErrors(form) {
  for (const slot of form.querySelectorAll('.field__error')) {
    slot.textContent = '';
    slot.hidden = true;
  }
  for (const wrapper of form.querySelectorAll('.field--invalid')) wrapper.classList.remove('field--invalid');
  for (const control of form.querySelectorAll('[aria-invalid]')) control.removeAttribute('aria-invalid');
  const message = form.querySelector('.form__message');
  if (message) {
    message.textContent = '';
    message.hidden = true;
  }
}

/**
 * Show an API error: each field's messages next to that field; the envelope's message (and the
 * messages of fields the form has no place for) at the top of the form.
 */
export function showErrors(form, error) {
  clearErrors(form);
  const unplaced = [];
  // An ApiError's fields map each field to its messages; any other error has none.
  const fields = error.fields || {};
  for (const [name, messages] of Object.entries(fields)) {
    const text = messages.join(' ');
    const slot = form.querySelector(`[data-error-for="${CSS.escape(name)}"]`);
    if (!slot) {
      unplaced.push(`${name.replace(/_/g, ' ')}: ${text}`);
      continue;
    }
    slot.textContent = text;
    slot.hidden = false;
    const wrapper = slot.closest('.field');
    wrapper.classList.add('field--invalid');
    const control = wrapper.querySelector('input, textarea, select');
    if (control) control.setAttribute('aria-invalid', 'true');
  }
  const sentences = Object.keys(fields).length && !unplaced.length
    ? ['Please fix the highlighted fields.']
    : [messageOf(error), ...unplaced];
  showFormMessage(form, sentences.join(' '));
  const firstInvalid = form.querySelector('[aria-invalid="true"]');
  if (firstInvalid) firstInvalid.focus();
}

/** The message at the top of a form (created on first use). */
export function showFormMessage(form, text, kind = 'error') {
  let message = form.querySelector('.form__message');
  if (!message) {
    message = h('p', {class: 'form__message', role: 'alert'});
    form.prepend(message);
  }
  message.className = `form__message form__message--${kind}`;
  message.textContent = text;
  message.hidden = false;
}

/** Run `action` on submit with the button disabled meanwhile; errors are shown in the form. */
export function handleSubmit(form, action) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const buttons = form.querySelectorAll('button[type="submit"]');
    buttons.forEach((button) => { button.disabled = true; });
    form.setAttribute('aria-busy', 'true');
    clearErrors(form);
    try {
      await action(new FormData(form));
    } catch (error) {
      if (!isAbort(error)) showErrors(form, error);
    } finally {
      buttons.forEach((button) => { button.disabled = false; });
      form.removeAttribute('aria-busy');
    }
  });
  return form;
}

/** Form values as trimmed strings, by name. */
export function formValues(formData) {
  const values = {};
  for (const [name, value] of formData.entries()) {
    if (typeof value === 'string') values[name] = value.trim();
  }
  return values;
}
