// My saved searches: each one's words and filters, its alert (instant, daily, off) changed in
// place, a link to run it, and delete (docs/SAVED_SEARCHES.md).

import {api, withQuery} from '../api.js';
import {h, emptyState} from '../dom.js';
import {ALERT_OPTIONS, label, price, relativeTime} from '../format.js';
import {field} from '../forms.js';
import {actionButton, pageHeader, pagedList, showFlash} from '../components.js';

/** 'desk lamp · Furniture · North campus · $10 to $40' */
function describe(saved) {
  const parts = [];
  if (saved.q) parts.push(`“${saved.q}”`);
  if (saved.category) parts.push(label(saved.category));
  if (saved.campus) parts.push(saved.campus);
  if (saved.min_price !== null && saved.max_price !== null) parts.push(`${price(saved.min_price)} to ${price(saved.max_price)}`);
  else if (saved.min_price !== null) parts.push(`from ${price(saved.min_price)}`);
  else if (saved.max_price !== null) parts.push(`up to ${price(saved.max_price)}`);
  return parts.join(' · ');
}

/** The search page's address for a saved search (prices in cents, as the URL keeps them). */
function searchHref(saved) {
  const {q, category, campus, min_price: minPrice, max_price: maxPrice} = saved;
  return withQuery('/search', {q, category, campus, min_price: minPrice, max_price: maxPrice});
}

function savedSearchItem(saved, reload, signal) {
  const title = describe(saved);
  const alert = field('alert', `Alerts for ${title}`, {kind: 'select', value: saved.alert, options: ALERT_OPTIONS});
  const select = alert.querySelector('select');
  const note = h('p', {class: 'saved-search__note muted small', role: 'status'});
  select.addEventListener('change', async () => {
    select.disabled = true;
    try {
      const body = await api('PATCH', `/api/saved-searches/${saved.id}`, {json: {alert: select.value}});
      saved.alert = body.saved_search.alert;
      note.textContent = `Alerts: ${ALERT_OPTIONS.find(([value]) => value === saved.alert)[1].toLowerCase()}.`;
    } catch (error) {
      select.value = saved.alert;
      note.textContent = error.message;
    } finally {
      select.disabled = false;
    }
  }, {signal});
  return h('li', {class: 'card saved-search', dataset: {savedSearchId: saved.id, testid: 'saved-search'}},
    h('div', {class: 'saved-search__body'},
      h('a', {class: 'saved-search__title', href: searchHref(saved), text: title}),
      h('p', {class: 'muted small', text: `Saved ${relativeTime(saved.created_at)}`}), note),
    alert,
    actionButton('Delete', async () => {
      await api('DELETE', `/api/saved-searches/${saved.id}`);
      showFlash(`Deleted the saved search ${title}.`);
      await reload();
    }, {class: 'btn btn--ghost btn--small', 'aria-label': `Delete the saved search ${title}`}));
}

export async function renderSavedSearches({view, signal, setTitle}) {
  setTitle('Saved searches');
  const results = h('div', {class: 'results'});
  view.append(pageHeader('Saved searches', h('a', {class: 'btn btn--primary', href: '/search', text: 'New search'})),
    h('p', {class: 'muted', text: 'Hear of new posts that match: at once, or in one mail a day. Save a search from the search page.'}),
    results);
  const list = pagedList(results, {
    listClass: 'stack',
    fetchPage: (page) => api('GET', '/api/users/me/saved-searches', {signal, query: {page, per_page: 20}}),
    renderItem: (saved) => savedSearchItem(saved, () => list.reload(), signal),
    empty: () => emptyState('No saved searches yet.', 'Search for something, then press “Save this search” to be told when it turns up.',
      h('a', {class: 'btn btn--primary', href: '/search', text: 'Search posts'})),
  });
  await list.reload();
}
