// Create or edit a post, with photo upload (multipart, field `image`) and removal.

import {api} from '../api.js';
import {h, replaceChildren, loadingState} from '../dom.js';
import {CATEGORIES, CONDITIONS, LIMITS, centsToDollars, label, parsePrice} from '../format.js';
import {field, formValues, handleSubmit, showErrors, showFormMessage} from '../forms.js';
import {navigate} from '../router.js';
import {getUser} from '../session.js';
import {loadCampuses} from '../campuses.js';
import {actionButton, pageHeader, showFlash} from '../components.js';

const DESCRIPTION_MAX_LENGTH = LIMITS.description_max_length;

/** The description with a live "123 / 5000 characters" under it. */
function descriptionField(post, signal) {
  const wrapper = field('description', 'Description', {kind: 'textarea', rows: '5', value: post.description || '',
    maxlength: String(DESCRIPTION_MAX_LENGTH),
    placeholder: 'Condition details, pickup place, anything a buyer should know.'});
  const textarea = wrapper.querySelector('textarea');
  const counter = h('p', {class: 'field__counter muted small', id: `${textarea.id}-counter`, dataset: {testid: 'description-counter'}});
  const update = () => {
    counter.textContent = `${textarea.value.length} / ${DESCRIPTION_MAX_LENGTH} characters`;
    counter.classList.toggle('field__counter--near', textarea.value.length > DESCRIPTION_MAX_LENGTH * 0.9);
  };
  textarea.addEventListener('input', update, {signal});
  textarea.setAttribute('aria-describedby', `${textarea.getAttribute('aria-describedby')} ${counter.id}`);
  update();
  textarea.after(counter);
  return wrapper;
}

const campusSlug = (campus) => (campus ? campus.slug : '');

function postFields(post, user, signal, campuses) {
  return [
    field('title', 'Title', {required: true, maxlength: LIMITS.title_max_length, value: post.title || '',
      placeholder: 'e.g. Calculus textbook, 8th edition'}),
    descriptionField(post, signal),
    h('div', {class: 'field-row'},
      field('price_cents', 'Price ($)', {type: 'text', inputmode: 'decimal', required: true,
        value: centsToDollars(post.price_cents), placeholder: '0 for free', hint: 'In dollars, like 12 or 12.50.'}),
      // A new post starts on the seller's campus; buyers filter by it.
      field('campus', 'Campus', {kind: 'select', value: campusSlug(post.id ? post.campus : post.campus || user.campus),
        options: [['', 'No campus'], ...campuses.map((campus) => [campus.slug, campus.name])]})),
    h('div', {class: 'field-row'},
      field('category', 'Category', {kind: 'select', value: post.category || '',
        options: [['', 'Choose a category'], ...CATEGORIES.map((value) => [value, label(value)])]}),
      field('condition', 'Condition', {kind: 'select', value: post.condition || '',
        options: [['', 'Choose a condition'], ...CONDITIONS.map((value) => [value, label(value)])]})),
  ];
}

/** The API's body from the form (only what changed when editing). A price that cannot be
 * read is sent as null, so the API still reports the other fields; its error is the client's. */
function postPayload(data, post) {
  const values = formValues(data);
  const price = parsePrice(values.price_cents);
  const payload = {
    title: values.title,
    description: values.description,
    price_cents: price.error ? null : price.cents,
    category: values.category || null,
    condition: values.condition || null,
  };
  if (values.campus || post.campus) payload.campus = values.campus || null;
  if (!post.id) return payload;
  const current = {...post, campus: post.campus ? post.campus.slug : null};
  return Object.fromEntries(Object.entries(payload).filter(([name, value]) => current[name] !== value));
}

/** Move the photo at `from` to `to` and save the order; the first photo is the cover. */
async function moveImage(post, from, to) {
  const images = [...post.images];
  const [moved] = images.splice(from, 1);
  images.splice(to, 0, moved);
  const body = await api('PUT', `/api/posts/${post.id}/images/order`, {json: {image_ids: images.map((image) => image.id)}});
  post.images = body.images;
}

function currentImages(post, redraw) {
  if (!post.images || !post.images.length) return h('p', {class: 'muted', text: 'No photos yet.'});
  const count = post.images.length;
  return h('ol', {class: 'image-list', dataset: {testid: 'image-list'}}, post.images.map((image, index) =>
    h('li', {class: 'image-list__item', dataset: {imageId: image.id}},
      h('img', {src: image.thumb_url || image.url, alt: `Photo ${index + 1}`}),
      index === 0 ? h('span', {class: 'badge badge--cover', text: 'Cover'}) : null,
      h('div', {class: 'image-list__actions'},
        index > 0 ? actionButton('Make cover', async () => { await moveImage(post, index, 0); redraw(); },
          {variant: 'ghost', class: 'btn btn--ghost btn--small'}) : null,
        index > 0 ? actionButton('←', async () => { await moveImage(post, index, index - 1); redraw(); },
          {variant: 'ghost', class: 'btn btn--ghost btn--small', 'aria-label': `Move photo ${index + 1} earlier`}) : null,
        index < count - 1 ? actionButton('→', async () => { await moveImage(post, index, index + 1); redraw(); },
          {variant: 'ghost', class: 'btn btn--ghost btn--small', 'aria-label': `Move photo ${index + 1} later`}) : null,
        actionButton('Remove', async () => {
          await api('DELETE', `/api/posts/${post.id}/images/${image.id}`);
          post.images = post.images.filter((other) => other.id !== image.id);
          redraw();
        }, {variant: 'ghost', class: 'btn btn--ghost btn--small', 'aria-label': `Remove photo ${index + 1}`})))));
}

/** Upload the chosen files one by one; stop at the first refusal and say which file. */
async function uploadImages(postId, files) {
  for (const file of files) {
    const form = new FormData();
    form.append('image', file);
    try {
      await api('POST', `/api/posts/${postId}/images`, {form});
    } catch (error) {
      error.fields = {image: [`${file.name}: ${(error.fields.image || [error.message]).join(' ')}`]};
      throw error;
    }
  }
}

export async function renderPostForm({view, params, signal, setTitle}) {
  const editing = Boolean(params.id);
  let post = {};
  if (editing) {
    view.append(loadingState('Loading the post…'));
    post = (await api('GET', `/api/posts/${encodeURIComponent(params.id)}`, {signal})).post;
    if (post.seller.id !== getUser().id) {
      showFlash('Only the seller can edit this post.', 'error');
      return navigate(`/posts/${post.id}`, {replace: true});
    }
  }
  setTitle(editing ? `Edit ${post.title}` : 'Sell something');
  const campuses = await loadCampuses();
  view.classList.add('page--narrow');
  const imagesBox = h('div', {class: 'image-manager'});
  const drawImages = () => {
    replaceChildren(imagesBox, currentImages(post, drawImages));
    drawNudge();
  };
  const fileField = field('image', editing ? 'Add photos' : 'Photos', {type: 'file', multiple: true,
    accept: 'image/jpeg,image/png,image/webp',
    hint: `JPEG, PNG or WebP, up to ${LIMITS.max_image_bytes / 2 ** 20} MB each, ${LIMITS.max_images_per_post} per post. The first photo is the cover.`});
  const fileInput = fileField.querySelector('input');
  // Posts with a photo are the ones people open: ask for one until there is one.
  const nudge = h('p', {class: 'photo-nudge', dataset: {testid: 'photo-nudge'},
    text: 'Posts with a photo get far more dibs. Add at least one — a phone snapshot is fine.'});
  function drawNudge() {
    nudge.hidden = Boolean((post.images && post.images.length) || fileInput.files.length);
  }
  fileInput.addEventListener('change', drawNudge, {signal});
  if (editing) drawImages();
  else drawNudge();
  const form = h('form', {class: 'form card', novalidate: true, dataset: {testid: 'post-form'}},
    postFields(post, getUser(), signal, campuses),
    h('div', {class: 'field-group'},
      editing ? [h('p', {class: 'field-group__label', text: 'Current photos'}), imagesBox] : null, nudge, fileField),
    h('div', {class: 'button-row'},
      h('button', {class: 'btn btn--primary', type: 'submit', text: editing ? 'Save changes' : 'Publish post'}),
      h('a', {class: 'btn btn--ghost', href: editing ? `/posts/${post.id}` : '/', text: 'Cancel'})));

  handleSubmit(form, async (data) => {
    const files = data.getAll('image').filter((file) => file && file.size);
    let saved = post;
    const payload = postPayload(data, post);
    const priceError = parsePrice(formValues(data).price_cents).error;
    try {
      if (!editing) saved = (await api('POST', '/api/posts', {json: payload})).post;
      else if (Object.keys(payload).length) saved = (await api('PATCH', `/api/posts/${post.id}`, {json: payload})).post;
    } catch (error) {
      // The API saw null; the reason to show is why the typed text is no price.
      if (priceError && error.fields) error.fields = {...error.fields, price_cents: [priceError]};
      throw error;
    }
    try {
      await uploadImages(saved.id, files);
    } catch (error) {
      if (!editing) {
        // The post exists now: continue on its edit page, where the photo can be tried again.
        showFlash('Your post is saved, but a photo was refused.', 'error');
        await navigate(`/posts/${saved.id}/edit`, {replace: true});
        const editForm = document.querySelector('[data-testid="post-form"]');
        if (editForm) showErrors(editForm, error);
        return;
      }
      throw error;
    }
    showFlash(editing ? 'Changes saved.' : 'Your post is live!');
    navigate(`/posts/${saved.id}`);
  });

  const editable = post.status === 'available' || post.status === 'pending';
  const withdraw = editing && editable
    ? actionButton('Withdraw post', async () => {
      if (!window.confirm('Withdraw this post? Buyers will no longer see it.')) return;
      await api('DELETE', `/api/posts/${post.id}`);
      showFlash('The post is withdrawn.');
      navigate('/my-posts');
    }, {variant: 'danger'})
    : null;
  replaceChildren(view, pageHeader(editing ? 'Edit post' : 'Sell something', withdraw), form);
  if (editing && !editable) showFormMessage(form, `This post is ${post.status} and can no longer change.`, 'info');
}
