// My watchlist: the posts I put a heart on, the latest first; each heart lets one go.

import {api} from '../api.js';
import {h, emptyState} from '../dom.js';
import {pageHeader, pagedList, postCard} from '../components.js';

export async function renderWatchlist({view, signal, setTitle}) {
  setTitle('My watchlist');
  const results = h('div', {class: 'results'});
  view.append(pageHeader('My watchlist', h('a', {class: 'btn btn--ghost', href: '/saved-searches', text: 'Saved searches'})),
    h('p', {class: 'muted', text: 'You hear when a watched post gets cheaper, is available again, or is sold.'}),
    results);
  const list = pagedList(results, {
    fetchPage: async (page) => {
      const body = await api('GET', '/api/users/me/watchlist', {signal, query: {page, per_page: 12}});
      for (const post of body.items) post.watching = true;
      return body;
    },
    renderItem: (post) => postCard(post),
    empty: () => emptyState('You are not watching anything yet.', 'Press the heart on a post to hear when its price drops.',
      h('a', {class: 'btn btn--primary', href: '/', text: 'Browse posts'})),
  });
  await list.reload();
}
