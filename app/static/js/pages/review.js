// Leave a review after a sale: the review window of a sold post for its buyer or seller, the
// form while it is open, and both reviews once published (double-blind until then).

import {api} from '../api.js';
import {h, replaceChildren, loadingState} from '../dom.js';
import {date, displayName, LIMITS} from '../format.js';
import {field, formValues, handleSubmit} from '../forms.js';
import {pageHeader, showFlash} from '../components.js';
import {REVIEW_TAGS, reviewItem} from '../ratings.js';

const STAR_WORDS = ['', 'Poor', 'Fair', 'Good', 'Very good', 'Excellent'];

/** Five radio buttons in a fieldset: the stars, as the keyboard and screen readers know them. */
function starsField() {
  return h('fieldset', {class: 'field star-picker', dataset: {field: 'stars'}},
    h('legend', {class: 'field__label', text: 'Stars'}),
    h('div', {class: 'star-picker__options'},
      [5, 4, 3, 2, 1].map((stars) => h('label', {class: 'star-picker__option'},
        h('input', {type: 'radio', name: 'stars', value: String(stars), required: true}),
        ` ${'★'.repeat(stars)} ${STAR_WORDS[stars]}`))),
    h('p', {class: 'field__error', hidden: true, dataset: {errorFor: 'stars'}}));
}

function tagsField() {
  return h('fieldset', {class: 'field review-tags', dataset: {field: 'tags'}},
    h('legend', {class: 'field__label', text: 'Tags (optional)'}),
    REVIEW_TAGS.map(([tag, text]) => h('label', {class: 'checkbox'},
      h('input', {type: 'checkbox', name: 'tags', value: tag}), ` ${text}`)),
    h('p', {class: 'field__error', hidden: true, dataset: {errorFor: 'tags'}}));
}

function reviewForm(sale, redraw) {
  const other = sale.other_user;
  const form = h('form', {class: 'form card', novalidate: true, dataset: {testid: 'review-form'}},
    h('h2', {class: 'section-title', text: `Review ${displayName(other)}`}),
    starsField(),
    field('text', 'What went well, or not? (optional)', {kind: 'textarea', rows: '4',
      maxlength: LIMITS.review_text_max_length, hint: `At most ${LIMITS.review_text_max_length} characters.`}),
    tagsField(),
    h('p', {class: 'muted', text: `${displayName(other)} sees your review once they have reviewed you too, or when the 14 days are over.`}),
    h('button', {class: 'btn btn--primary', type: 'submit', text: 'Send review', dataset: {testid: 'send-review'}}));
  handleSubmit(form, async (data) => {
    const values = formValues(data);
    const stars = Number(values.stars);
    await api('POST', `/api/users/${encodeURIComponent(other.username)}/reviews`, {json: {
      post_id: sale.post.id,
      stars: stars || null,
      text: values.text || null,
      tags: data.getAll('tags'),
    }});
    showFlash('Thank you: your review is saved.');
    await redraw();
  });
  return form;
}

function statusLine(sale) {
  const other = displayName(sale.other_user);
  let text;
  if (sale.published) text = 'Both reviews are published.';
  else if (sale.my_review) {
    text = sale.other_has_reviewed ? 'Both of you have reviewed.'
      : `Your review is hidden until ${other} reviews you too, or until ${date(sale.closes_at)}.`;
  } else if (!sale.can_review) text = 'The 14 days to review this sale are over.';
  else {
    text = `You can review ${other} until ${date(sale.closes_at)}.`
      + (sale.other_has_reviewed ? ` ${other} has already reviewed you: you see it once you review them.` : '');
  }
  return h('p', {class: 'review-status', dataset: {testid: 'review-status'}, text});
}

export async function renderReview({view, params, signal, setTitle}) {
  view.append(loadingState('Loading the sale…'));
  const postId = encodeURIComponent(params.id);
  const redraw = async () => {
    const {window: sale} = await api('GET', `/api/posts/${postId}/review-window`, {signal});
    setTitle(`Review: ${sale.post.title}`);
    const other = sale.other_user;
    const role = sale.role === 'buyer' ? `You bought it from ${displayName(other)}` : `You sold it to ${displayName(other)}`;
    replaceChildren(view,
      pageHeader('Leave a review'),
      h('p', {class: 'muted'}, h('a', {href: `/posts/${sale.post.id}`, text: `“${sale.post.title}”`}), ` · ${role}.`),
      statusLine(sale),
      sale.can_review ? reviewForm(sale, redraw) : null,
      sale.my_review ? [h('h2', {class: 'section-title', text: 'Your review'}),
        h('ul', {class: 'review-list'}, reviewItem(sale.my_review))] : null,
      sale.their_review ? [h('h2', {class: 'section-title', text: `${displayName(other)}'s review of you`}),
        h('ul', {class: 'review-list'}, reviewItem(sale.their_review))] : null);
  };
  await redraw();
}
