// Browse posts: filters and sort, kept in the URL so a filtered list can be shared and reloaded.

import {api} from '../api.js';
import {takeBoot} from '../boot.js';
import {h, emptyState} from '../dom.js';
import {CATEGORIES, LIMITS, centsToDollars, dollarsToCents, label} from '../format.js';
import {field, showErrors, clearErrors} from '../forms.js';
import {replaceQuery} from '../router.js';
import {markWatched, pageHeader, pagedList, postCard} from '../components.js';
import {getUser} from '../session.js';
import {campusForApi, campusForUrl, campusFromQuery, campusSwitcher} from '../campuses.js';

const SORTS = [['newest', 'Newest'], ['price_asc', 'Price: low to high'], ['price_desc', 'Price: high to low']];
const PER_PAGE = 12;
// Browsing shows what can still be had; the other statuses are a filter away. `all` is the
// client's word for "any status" (the API's default list without a status filter).
const STATUS_OPTIONS = [['', 'Available'], ['pending', 'Pending'], ['sold', 'Sold'], ['all', 'Any status']];
const DEFAULT_STATUS = 'available';

/** The API's query from the URL's (prices in the URL are cents, as in the API). */
function filtersFromQuery(query) {
  return {
    category: query.get('category') || '',
    min_price: query.get('min_price') || '',
    max_price: query.get('max_price') || '',
    status: query.get('status') || '',
    campus: campusFromQuery(query),
    sort: query.get('sort') || 'newest',
  };
}

/** The API's query for the filters: no status means available, `all` means any. */
function apiQuery(filters) {
  const status = filters.status === 'all' ? '' : filters.status || DEFAULT_STATUS;
  // Every campus is the API's default: the same URL as the shell's first page.
  return {...filters, status, campus: campusForApi(filters.campus)};
}

function hasActiveFilters(filters) {
  return Boolean(filters.category || filters.min_price || filters.max_price || filters.status || filters.sort !== 'newest');
}

function filtersForm(filters) {
  const priceBounds = {type: 'number', min: 0, max: LIMITS.price_max_cents / 100, step: '1', inputmode: 'decimal'};
  return h('form', {class: 'filters card', role: 'search', 'aria-label': 'Filter posts', novalidate: true},
    field('category', 'Category', {kind: 'select', value: filters.category,
      options: [['', 'All categories'], ...CATEGORIES.map((value) => [value, label(value)])]}),
    field('min_price', 'Min price ($)', {...priceBounds,
      value: centsToDollars(filters.min_price === '' ? null : Number(filters.min_price)), placeholder: '0'}),
    field('max_price', 'Max price ($)', {...priceBounds,
      value: centsToDollars(filters.max_price === '' ? null : Number(filters.max_price)), placeholder: 'Any'}),
    field('status', 'Status', {kind: 'select', value: filters.status, options: STATUS_OPTIONS}),
    field('sort', 'Sort by', {kind: 'select', value: filters.sort, options: SORTS}));
}

/** The first page as the shell carried it, when this is exactly the query it answered. */
function bootedPage(query) {
  const booted = takeBoot('browse');
  if (!booted) return null;
  const wanted = Object.entries(query).filter(([, value]) => value !== '' && value !== 'newest');
  const same = wanted.length === Object.keys(booted.query).length &&
    wanted.every(([name, value]) => String(booted.query[name]) === String(value));
  return same ? booted.body : null;
}

export async function renderBrowse({view, query, signal, setTitle}) {
  setTitle('');
  const filters = filtersFromQuery(query);
  const form = filtersForm(filters);
  const switcher = campusSwitcher(filters.campus, (slug) => {
    filters.campus = slug;
    writeQuery();
    list.reload();
  }, signal);
  const results = h('div', {class: 'results', 'aria-live': 'polite'});
  // On narrow screens the filters fold away under a summary line; wide screens always show them.
  const narrow = window.matchMedia('(max-width: 860px)').matches;
  const panel = h('details', {class: 'filters-panel', open: !narrow || hasActiveFilters(filters)},
    h('summary', {class: 'filters-panel__summary', text: 'Filters and sort'}), form);
  view.append(
    pageHeader('Fresh on campus', getUser() ? h('a', {class: 'btn btn--primary', href: '/posts/new', text: 'Sell something'}) : null),
    switcher,
    h('div', {class: 'browse-layout'}, panel, results));

  const list = pagedList(results, {
    fetchPage: async (page) => {
      try {
        const query = {...apiQuery(filters), page, per_page: PER_PAGE};
        const body = bootedPage(query) || await api('GET', '/api/posts', {signal, query});
        clearErrors(form);
        await markWatched(body.items, signal);
        return body;
      } catch (error) {
        if (error.fields) showErrors(form, error);
        throw error;
      }
    },
    renderItem: (post) => postCard(post),
    empty: () => emptyState('No posts match these filters.', 'Try another category or a wider price range.'),
  });

  function writeQuery() {
    replaceQuery({...filters, campus: campusForUrl(filters.campus), sort: filters.sort === 'newest' ? '' : filters.sort});
  }

  form.addEventListener('change', () => {
    const data = new FormData(form);
    filters.category = data.get('category');
    filters.status = data.get('status');
    filters.sort = data.get('sort');
    filters.min_price = dollarsToCents(data.get('min_price')) ?? '';
    filters.max_price = dollarsToCents(data.get('max_price')) ?? '';
    writeQuery();
    list.reload();
  }, {signal});
  form.addEventListener('submit', (event) => event.preventDefault(), {signal});
  await list.reload();
}
