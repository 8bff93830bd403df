// Search as you type: debounced requests, the older one cancelled, matches highlighted.

import {api, isAbort} from '../api.js';
import {getUser} from '../session.js';
import {h, markedText, replaceChildren, emptyState, errorState} from '../dom.js';
import {ALERT_OPTIONS, CATEGORIES, LIMITS, centsToDollars, dollarsToCents, label} from '../format.js';
import {field, handleSubmit, showFormMessage} from '../forms.js';
import {replaceQuery} from '../router.js';
import {markWatched, pageHeader, postCard, showFlash, skeletonGrid} from '../components.js';
import {campusForApi, campusForUrl, campusFromQuery, campusSwitcher} from '../campuses.js';

const SORTS = [['', 'Best match'], ['newest', 'Newest'], ['price_asc', 'Price: low to high'], ['price_desc', 'Price: high to low']];

const DEBOUNCE_MS = 250;
const PER_PAGE = 20;

/**
 * The API's highlight is one HTML string: the description snippet when the description
 * matches, else the title, with <mark> around the matches. A highlighted title replaces the
 * plain title; a snippet goes under it. Only <mark> survives either way (see markedText).
 */
function snippetOf(item) {
  if (!item.highlight) return null;
  const marked = markedText(item.highlight);
  return marked.textContent.trim() === item.title.trim() ? {title: marked} : {description: marked};
}

function filtersForm(query) {
  const cents = (name) => (query.get(name) ? centsToDollars(Number(query.get(name))) : '');
  const priceBounds = {type: 'number', min: 0, max: LIMITS.price_max_cents / 100, step: '1', inputmode: 'decimal'};
  return h('form', {class: 'filters filters--inline card', 'aria-label': 'Filter results', novalidate: true},
    field('category', 'Category', {kind: 'select', value: query.get('category') || '',
      options: [['', 'All categories'], ...CATEGORIES.map((value) => [value, label(value)])]}),
    field('min_price', 'Min price ($)', {...priceBounds, value: cents('min_price'), placeholder: '0'}),
    field('max_price', 'Max price ($)', {...priceBounds, value: cents('max_price'), placeholder: 'Any'}),
    field('sort', 'Sort by', {kind: 'select', value: query.get('sort') || '', options: SORTS}));
}

function filterValues(form, campus) {
  const data = new FormData(form);
  return {
    category: data.get('category') || '',
    campus,
    min_price: dollarsToCents(data.get('min_price')) ?? '',
    max_price: dollarsToCents(data.get('max_price')) ?? '',
    sort: data.get('sort') || '',
  };
}

/** Save the words and filters shown now, with an alert; the API's refusals (the limit of saved
 * searches, nothing to save) show in the form. */
function saveSearchForm(searchInput, filters, currentCampus) {
  const form = h('form', {class: 'save-search card', 'aria-label': 'Save this search', novalidate: true, dataset: {testid: 'save-search'}},
    field('alert', 'Alerts', {kind: 'select', options: ALERT_OPTIONS}),
    h('button', {class: 'btn btn--ghost', type: 'submit', text: 'Save this search'}),
    h('a', {class: 'save-search__link', href: '/saved-searches', text: 'My saved searches'}));
  return handleSubmit(form, async (data) => {
    const chosen = filterValues(filters, campusForApi(currentCampus()));
    const body = {q: searchInput.value.trim() || null, alert: data.get('alert')};
    for (const name of ['category', 'campus', 'min_price', 'max_price']) body[name] = chosen[name] === '' ? null : chosen[name];
    await api('POST', '/api/users/me/saved-searches', {json: body});
    const alert = ALERT_OPTIONS.find(([value]) => value === body.alert)[1].toLowerCase();
    showFormMessage(form, `Search saved (${alert}).`, 'info');
    showFlash('Search saved. Manage it under My saved searches.');
  });
}

export function renderSearch({view, query, signal, setTitle}) {
  setTitle('Search');
  const input = h('input', {class: 'search-box__input', type: 'search', name: 'q', id: 'search-q',
    placeholder: 'Search textbooks, bikes, desks…', autocomplete: 'off', maxlength: LIMITS.query_max_length,
    value: query.get('q') || '', 'aria-label': 'Search posts'});
  const results = h('div', {class: 'results', 'aria-live': 'polite', dataset: {testid: 'search-results'}});
  const filters = filtersForm(query);
  const searchBox = h('form', {class: 'search-box', role: 'search'},
    h('span', {class: 'search-box__icon', 'aria-hidden': 'true', text: '⌕'}), input);
  let campus = campusFromQuery(query);
  const switcher = campusSwitcher(campus, (slug) => {
    campus = slug;
    run();
  }, signal);
  view.append(pageHeader('Search'), searchBox, switcher, filters, getUser() ? saveSearchForm(input, filters, () => campus) : null, results);

  let timer = null;
  let inFlight = null;
  signal.addEventListener('abort', () => {
    clearTimeout(timer);
    if (inFlight) inFlight.abort();
  });

  async function run() {
    const text = input.value.trim();
    const chosen = filterValues(filters, campus);
    replaceQuery({q: text, ...chosen, campus: campusForUrl(campus)});
    if (inFlight) inFlight.abort();
    if (!text) {
      replaceChildren(results, emptyState('Start typing to search.', 'Results appear as you type.'));
      return;
    }
    // Its own controller: a newer search cancels this one (leaving the page cancels both).
    const controller = new AbortController();
    inFlight = controller;
    replaceChildren(results, skeletonGrid(3));
    try {
      const body = await api('GET', '/api/search/posts', {signal: controller.signal,
        query: {q: text, ...chosen, campus: campusForApi(campus), per_page: PER_PAGE}});
      await markWatched(body.items, controller.signal);
      if (!body.items.length) {
        replaceChildren(results, emptyState(`No posts match “${text}”.`, 'Try fewer or different words, or fewer filters.'));
        return;
      }
      replaceChildren(results,
        body.corrected_query
          ? h('p', {class: 'results__corrected', dataset: {testid: 'corrected-query'}},
            'Showing results for ', h('strong', {text: body.corrected_query}), '.')
          : null,
        h('p', {class: 'muted results__count', text: `${body.total} result${body.total === 1 ? '' : 's'}`}),
        h('ul', {class: 'grid'}, body.items.map((item) => postCard(item, {snippet: snippetOf(item)}))));
    } catch (error) {
      if (!isAbort(error)) replaceChildren(results, errorState(error, run));
    }
  }

  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(run, DEBOUNCE_MS);
  }, {signal});
  filters.addEventListener('change', run, {signal});
  for (const form of [searchBox, filters]) form.addEventListener('submit', (event) => event.preventDefault(), {signal});
  run();
}
