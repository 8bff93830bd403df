// A student's public profile: name, campus, bio and what they are selling.

import {api} from '../api.js';
import {h, replaceChildren, emptyState, loadingState} from '../dom.js';
import {date, displayName, initial} from '../format.js';
import {markWatched, pagedList, postCard, verifiedBadge} from '../components.js';
import {fetchReviews, ratingBadge, reviewItem} from '../ratings.js';

export async function renderUserProfile({view, params, signal, setTitle}) {
  view.append(loadingState('Loading the profile…'));
  const username = encodeURIComponent(params.username);
  const {user} = await api('GET', `/api/users/${username}`, {signal});
  const name = displayName(user);
  setTitle(name);
  const results = h('div', {class: 'results'});
  const reviews = h('div', {class: 'results', dataset: {testid: 'profile-reviews'}});
  replaceChildren(view,
    h('section', {class: 'card profile-card'},
      h('div', {class: 'avatar', 'aria-hidden': 'true', text: initial(name)}),
      h('div', {},
        h('h1', {class: 'page-title', text: name}),
        verifiedBadge(user), ' ', ratingBadge(user.rating, {always: true}),
        h('p', {class: 'muted', text: [`@${user.username}`, user.campus && user.campus.name, `member since ${date(user.created_at)}`].filter(Boolean).join(' · ')}),
        user.bio ? h('p', {class: 'profile-card__bio', text: user.bio}) : null)),
    h('h2', {class: 'section-title', text: `${name}'s posts`}),
    results,
    h('h2', {class: 'section-title', text: `Reviews of ${name}`}),
    reviews);
  await pagedList(results, {
    fetchPage: async (page) => {
      const body = await api('GET', `/api/users/${username}/posts`, {signal, query: {page, per_page: 12}});
      await markWatched(body.items, signal);
      return body;
    },
    renderItem: (post) => postCard(post, {heading: 'h3'}),
    empty: () => emptyState(`${name} has nothing for sale right now.`),
  }).reload();
  await pagedList(reviews, {
    fetchPage: (page) => fetchReviews(user.username, page, signal),
    renderItem: (review) => reviewItem(review),
    empty: () => emptyState(`Nobody has reviewed ${name} yet.`),
    listClass: 'review-list',
  }).reload();
}
