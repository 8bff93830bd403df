// A student's public profile: name, campus, bio and what they are selling.

import {api} from '../api.js';
import {h, replaceChildren, emptyState, loadingState} from '../dom.js';
import {date, displayName, initial} from '../format.js';
import {pagedList, postCard, verifiedBadge} from '../components.js';

export async function renderUserProfile({view, params, signal, setTitle}) {
  view.append(loadingState('Loading the profile…'));
  const username = encodeURIComponent(params.username);
  const {user} = await api('GET', `/api/users/${username}`, {signal});
  const name = displayName(user);
  setTitle(name);
  const results = h('div', {class: 'results'});
  replaceChildren(view,
    h('section', {class: 'card profile-card'},
      h('div', {class: 'avatar', 'aria-hidden': 'true', text: initial(name)}),
      h('div', {},
        h('h1', {class: 'page-title', text: name}),
        verifiedBadge(user),
        h('p', {class: 'muted', text: [`@${user.username}`, user.campus && user.campus.name, `member since ${date(user.created_at)}`].filter(Boolean).join(' · ')}),
        user.bio ? h('p', {class: 'profile-card__bio', text: user.bio}) : null)),
    h('h2', {class: 'section-title', text: `${name}'s posts`}),
    results);
  await pagedList(results, {
    fetchPage: (page) => api('GET', `/api/users/${username}/posts`, {signal, query: {page, per_page: 12}}),
    renderItem: (post) => postCard(post, {heading: 'h3'}),
    empty: () => emptyState(`${name} has nothing for sale right now.`),
  }).reload();
}
