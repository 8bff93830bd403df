// Ratings and reviews as several pages show them: a seller's stars beside their name, and the
// published reviews of a profile.

import {api} from './api.js';
import {h} from './dom.js';
import {date, displayName} from './format.js';

// The fixed tags of REVIEW_TAGS (app/reviews/ReviewConstants.py), with the words people read.
export const REVIEW_TAGS = [
  ['on_time', 'On time'],
  ['as_described', 'As described'],
  ['friendly', 'Friendly'],
  ['easy_to_deal_with', 'Easy to deal with'],
  ['good_communication', 'Good communication'],
  ['fair_price', 'Fair price'],
];
const TAG_LABELS = Object.fromEntries(REVIEW_TAGS);

/** "4.5 ★ (3 reviews)", or "No reviews yet". */
export function ratingText(rating) {
  if (!rating || !rating.count) return 'No reviews yet';
  return `${rating.average.toFixed(1)} ★ (${rating.count} ${rating.count === 1 ? 'review' : 'reviews'})`;
}

/** A user's rating as a small badge; nothing without reviews unless `always`. */
export function ratingBadge(rating, {always = false} = {}) {
  if (!always && (!rating || !rating.count)) return null;
  return h('span', {class: 'rating', dataset: {testid: 'rating'},
    title: rating && rating.count ? `Average ${rating.average.toFixed(1)} of 5 stars` : undefined, text: ratingText(rating)});
}

/** Stars as text for a screen reader and the eye: "★★★★☆" labelled "4 of 5 stars". */
export function starsLine(stars) {
  return h('span', {class: 'review__stars', role: 'img', 'aria-label': `${stars} of 5 stars`,
    text: '★'.repeat(stars) + '☆'.repeat(5 - stars)});
}

/** One published review in a list. */
export function reviewItem(review, {heading = 'h3'} = {}) {
  return h('li', {class: 'card review', dataset: {testid: 'review', reviewId: review.id}},
    h('div', {class: 'review__top'},
      starsLine(review.stars),
      h(heading, {class: 'review__author'},
        h('a', {href: `/users/${encodeURIComponent(review.reviewer.username)}`, text: displayName(review.reviewer)})),
      h('span', {class: 'muted', text: `${review.role === 'buyer' ? 'bought' : 'sold'} “${review.post.title}”`}),
      review.published_at ? h('span', {class: 'muted', text: date(review.published_at)}) : null),
    review.text ? h('p', {class: 'review__text', text: review.text}) : null,
    review.tags.length ? h('ul', {class: 'review__tags', 'aria-label': 'Tags'},
      review.tags.map((tag) => h('li', {class: 'badge review__tag', text: TAG_LABELS[tag] || tag}))) : null);
}

/** The reviews page of a profile for pagedList: GET /api/users/:username/reviews. */
export function fetchReviews(username, page, signal) {
  return api('GET', `/api/users/${encodeURIComponent(username)}/reviews`, {signal, query: {page, per_page: 10}});
}
