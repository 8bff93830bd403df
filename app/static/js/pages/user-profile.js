// A student's public profile: name, campus, bio and what they are selling; for another logged-in
// student, Block / Unblock and Report.

import {api} from '../api.js';
import {h, replaceChildren, emptyState, loadingState} from '../dom.js';
import {date, displayName, initial} from '../format.js';
import {markWatched, pagedList, postCard, verifiedBadge} from '../components.js';
import {fetchReviews, ratingBadge, reviewItem} from '../ratings.js';
import {getUser} from '../session.js';
import {blockButton, myBlockedUsernames, reportButton} from '../safety.js';

/** Block / Unblock and Report, for a logged-in visitor who is not this user. */
async function safetyActions(user, name, signal, redrawPosts) {
  const me = getUser();
  if (!me || me.id === user.id) return null;
  const box = h('div', {class: 'button-row profile-card__actions', dataset: {testid: 'profile-actions'}});
  const report = reportButton({targetType: 'user', targetId: user.id, name});
  const draw = (blocked) => {
    replaceChildren(box, blockButton(user, {blocked, name, afterChange: async (now) => {
      draw(now);
      await redrawPosts();
    }}), report);
    if (blocked) box.prepend(h('p', {class: 'muted small', dataset: {testid: 'blocked-note'}, text: `You blocked ${name}.`}));
  };
  draw((await myBlockedUsernames(signal)).has(user.username));
  return box;
}

export async function renderUserProfile({view, params, signal, setTitle}) {
  view.append(loadingState('Loading the profile…'));
  const username = encodeURIComponent(params.username);
  const {user} = await api('GET', `/api/users/${username}`, {signal});
  const name = displayName(user);
  setTitle(name);
  const results = h('div', {class: 'results'});
  const reviews = h('div', {class: 'results', dataset: {testid: 'profile-reviews'}});
  const posts = pagedList(results, {
    fetchPage: async (page) => {
      const body = await api('GET', `/api/users/${username}/posts`, {signal, query: {page, per_page: 12}});
      await markWatched(body.items, signal);
      return body;
    },
    renderItem: (post) => postCard(post, {heading: 'h3'}),
    empty: () => emptyState(`${name} has nothing for sale right now.`),
  });
  const actions = await safetyActions(user, name, signal, () => posts.reload());
  replaceChildren(view,
    h('section', {class: 'card profile-card'},
      h('div', {class: 'avatar', 'aria-hidden': 'true', text: initial(name)}),
      h('div', {},
        h('h1', {class: 'page-title', text: name}),
        verifiedBadge(user), ' ', ratingBadge(user.rating, {always: true}),
        h('p', {class: 'muted', text: [`@${user.username}`, user.campus && user.campus.name, `member since ${date(user.created_at)}`].filter(Boolean).join(' · ')}),
        user.bio ? h('p', {class: 'profile-card__bio', text: user.bio}) : null,
        actions)),
    h('h2', {class: 'section-title', text: `${name}'s posts`}),
    results,
    h('h2', {class: 'section-title', text: `Reviews of ${name}`}),
    reviews);
  await posts.reload();
  await pagedList(reviews, {
    fetchPage: (page) => fetchReviews(user.username, page, signal),
    renderItem: (review) => reviewItem(review),
    empty: () => emptyState(`Nobody has reviewed ${name} yet.`),
    listClass: 'review-list',
  }).reload();
}
