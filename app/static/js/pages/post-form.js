// Create or edit a post, with photo upload (multipart, field `image`) and removal.

import {api} from '../api.js';
import {h, replaceChildren, loadingState} from '../dom.js';
import {CATEGORIES, CONDITIONS, LIMITS, centsToDollars, dollarsToCents, label} from '../format.js';
import {field, formValues, handleSubmit, showErrors, showFormMessage} from '../forms.js';
import {navigate} from '../router.js';
import {getUser} from '../session.js';
import {actionButton, pageHeader, showFlash} from '../components.js';

function postFields(post) {
  return [
    field('title', 'Title', {required: true, maxlength: LIMITS.title_max_length, value: post.title || '',
      placeholder: 'e.g. Calculus textbook, 8th edition'}),
    field('description', 'Description', {kind: 'textarea', rows: '5', maxlength: LIMITS.description_max_length,
      value: post.description || '',
      placeholder: 'Condition details, pickup place, anything a buyer should know.'}),
    h('div', {class: 'field-row'},
      field('price_cents', 'Price ($)', {type: 'text', inputmode: 'decimal', required: true,
        value: centsToDollars(post.price_cents), placeholder: '0 for free'}),
      field('campus', 'Campus (optional)', {value: post.campus || '', maxlength: LIMITS.campus_max_length})),
    h('div', {class: 'field-row'},
      field('category', 'Category', {kind: 'select', value: post.category || '',
        options: [['', 'Choose a category'], ...CATEGORIES.map((value) => [value, label(value)])]}),
      field('condition', 'Condition', {kind: 'select', value: post.condition || '',
        options: [['', 'Choose a condition'], ...CONDITIONS.map((value) => [value, label(value)])]})),
  ];
}

/** The API's body from the form: only what changed when editing. */
function postPayload(data, post) {
  const values = formValues(data);
  const payload = {
    title: values.title,
    description: values.description,
    price_cents: dollarsToCents(values.price_cents),
    category: values.category || null,
    condition: values.condition || null,
  };
  if (values.campus || post.campus) payload.campus = values.campus || null;
  if (!post.id) return payload;
  return Object.fromEntries(Object.entries(payload).filter(([name, value]) => post[name] !== value));
}

function currentImages(post, onRemoved) {
  if (!post.images.length) return h('p', {class: 'muted', text: 'No photos yet.'});
  return h('ul', {class: 'image-list'}, post.images.map((image) =>
    h('li', {class: 'image-list__item'},
      h('img', {src: image.thumb_url, alt: ''}),
      actionButton('Remove', async () => {
        await api('DELETE', `/api/posts/${post.id}/images/${image.id}`);
        onRemoved(image);
      }, {variant: 'ghost', class: 'btn btn--ghost btn--small'}))));
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
  view.classList.add('page--narrow');
  const imagesBox = h('div', {class: 'image-manager'});
  const drawImages = () => replaceChildren(imagesBox, currentImages(post, (removed) => {
    post.images = post.images.filter((image) => image.id !== removed.id);
    drawImages();
  }));
  if (editing) drawImages();
  const fileField = field('image', editing ? 'Add photos' : 'Photos', {type: 'file', multiple: true,
    accept: 'image/jpeg,image/png,image/webp',
    hint: `JPEG, PNG or WebP, up to ${LIMITS.max_image_bytes / 2 ** 20} MB each, ${LIMITS.max_images_per_post} per post.`});
  const form = h('form', {class: 'form card', novalidate: true, dataset: {testid: 'post-form'}},
    postFields(post),
    h('div', {class: 'field-group'},
      editing ? [h('p', {class: 'field-group__label', text: 'Current photos'}), imagesBox] : null, fileField),
    h('div', {class: 'button-row'},
      h('button', {class: 'btn btn--primary', type: 'submit', text: editing ? 'Save changes' : 'Publish post'}),
      h('a', {class: 'btn btn--ghost', href: editing ? `/posts/${post.id}` : '/', text: 'Cancel'})));

  handleSubmit(form, async (data) => {
    const files = data.getAll('image').filter((file) => file && file.size);
    let saved = post;
    const payload = postPayload(data, post);
    if (!editing) saved = (await api('POST', '/api/posts', {json: payload})).post;
    else if (Object.keys(payload).length) saved = (await api('PATCH', `/api/posts/${post.id}`, {json: payload})).post;
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

  const withdraw = editing && post.status !== 'withdrawn'
    ? actionButton('Withdraw post', async () => {
      if (!window.confirm('Withdraw this post? Buyers will no longer see it.')) return;
      await api('DELETE', `/api/posts/${post.id}`);
      showFlash('The post is withdrawn.');
      navigate('/my-posts');
    }, {variant: 'danger'})
    : null;
  replaceChildren(view, pageHeader(editing ? 'Edit post' : 'Sell something', withdraw), form);
  if (editing && post.status === 'withdrawn') showFormMessage(form, 'This post is withdrawn.', 'info');
}
