// Search as you type: debounced requests, the older one cancelled, matches highlighted.

import {api, isAbort} from '../api.js';
import {h, markedText, replaceChildren, emptyState, loadingState, errorState} from '../dom.js';
import {replaceQuery} from '../router.js';
import {LIMITS} from '../format.js';
import {pageHeader, postCard} from '../components.js';

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

export function renderSearch({view, query, signal, onLeave, setTitle}) {
  setTitle('Search');
  const input = h('input', {class: 'search-box__input', type: 'search', name: 'q', id: 'search-q',
    placeholder: 'Search textbooks, bikes, desks…', autocomplete: 'off', maxlength: LIMITS.query_max_length,
    value: query.get('q') || '', 'aria-label': 'Search posts'});
  const results = h('div', {class: 'results', 'aria-live': 'polite', dataset: {testid: 'search-results'}});
  view.append(pageHeader('Search'),
    h('form', {class: 'search-box', role: 'search', onSubmit: (event) => event.preventDefault()},
      h('span', {class: 'search-box__icon', 'aria-hidden': 'true', text: '⌕'}), input),
    results);

  let timer = null;
  let inFlight = null;
  onLeave(() => {
    clearTimeout(timer);
    if (inFlight) inFlight.abort();
  });

  async function run() {
    const text = input.value.trim();
    replaceQuery({q: text});
    if (inFlight) inFlight.abort();
    if (!text) {
      replaceChildren(results, emptyState('Start typing to search.', 'Results appear as you type.'));
      return;
    }
    const controller = new AbortController();
    inFlight = controller;
    signal.addEventListener('abort', () => controller.abort(), {once: true});
    replaceChildren(results, loadingState('Searching…'));
    try {
      const body = await api('GET', '/api/search/posts', {signal: controller.signal, query: {q: text, per_page: PER_PAGE}});
      if (!body.items.length) {
        replaceChildren(results, emptyState(`No posts match “${text}”.`, 'Try fewer or different words.'));
        return;
      }
      replaceChildren(results,
        h('p', {class: 'muted results__count', text: `${body.total} result${body.total === 1 ? '' : 's'}`}),
        h('ul', {class: 'grid'}, body.items.map((item) => postCard(item, {snippet: snippetOf(item)}))));
    } catch (error) {
      if (!isAbort(error)) replaceChildren(results, errorState(error, run));
    }
  }

  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(run, DEBOUNCE_MS);
  });
  input.focus();
  run();
}
