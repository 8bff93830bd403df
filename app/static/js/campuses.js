// Campuses in the client: the list (one request per page load, the API caches it), the
// viewer's own campus, and the switcher of browse and search ("my campus" <-> "all campuses").
//
// The API answers the same for everyone (its cache is keyed by the URL alone), so "my campus"
// is resolved here: without `campus` in the URL a student with a campus gets `campus=<slug>`,
// everyone else every campus; the switcher puts the choice in the URL (docs/CAMPUSES.md).

import {api} from './api.js';
import {h, replaceChildren} from './dom.js';
import {getUser} from './session.js';

export const ALL_CAMPUSES = 'all';
let campusList = null;

/**
 * Every campus ({slug, name, pickup_spots, …}), fetched once per page load and shared by every
 * page: so the request is no page's to cancel (a page left while it loads would otherwise
 * abort it for the next page too, and the post form opened from browse would never draw).
 */
export async function loadCampuses() {
  if (!campusList) {
    campusList = api('GET', '/api/campuses').then((body) => body.items).catch((error) => {
      campusList = null;
      throw error;
    });
  }
  return campusList;
}

/** The logged-in student's campus ({slug, name}), or null. */
export function myCampus() {
  const user = getUser();
  return (user && user.campus) || null;
}

/** The campus filter of a page: the URL's, else my campus, else all. */
export function campusFromQuery(query) {
  const mine = myCampus();
  return query.get('campus') || (mine ? mine.slug : ALL_CAMPUSES);
}

/** The campus as the URL keeps it: nothing for the default (mine, else all). */
export function campusForUrl(slug) {
  const mine = myCampus();
  return slug === (mine ? mine.slug : ALL_CAMPUSES) ? '' : slug;
}

/** The campus as the API takes it: nothing for all (its default, the shell's first page). */
export function campusForApi(slug) {
  return slug === ALL_CAMPUSES ? '' : slug;
}

/** A campus's name for a post card or a profile line, or null. */
export function campusName(campus) {
  return campus ? campus.name : null;
}

/**
 * Two buttons, "My campus" and "All campuses" (aria-pressed marks the current one), and a
 * select of every campus, filled once the list arrives (the page does not wait for it);
 * `onChange(slug)` runs when the viewer picks another.
 */
export function campusSwitcher(current, onChange, signal) {
  const mine = myCampus();
  const select = h('select', {id: 'campus', name: 'campus', class: 'input', dataset: {testid: 'campus-select'}},
    h('option', {value: ALL_CAMPUSES, text: 'All campuses'}),
    current !== ALL_CAMPUSES ? h('option', {value: current, text: mine && mine.slug === current ? mine.name : current}) : null);
  select.value = current;
  const buttons = [];
  const update = (slug) => {
    for (const [value, element] of buttons) element.setAttribute('aria-pressed', String(value === slug));
  };
  const choose = (slug) => {
    select.value = slug;
    update(slug);
    onChange(slug);
  };
  const button = (slug, text, testid) => {
    const element = h('button', {type: 'button', class: 'btn btn--small campus-switcher__option', text, dataset: {testid}});
    element.addEventListener('click', () => choose(slug), {signal});
    buttons.push([slug, element]);
    return element;
  };
  select.addEventListener('change', () => choose(select.value), {signal});
  loadCampuses().then((campuses) => {
    const chosen = select.value;
    replaceChildren(select, h('option', {value: ALL_CAMPUSES, text: 'All campuses'}),
      campuses.map((campus) => h('option', {value: campus.slug, text: campus.name})));
    select.value = chosen;
  }).catch(() => {});
  const group = h('div', {class: 'campus-switcher', role: 'group', 'aria-label': 'Campus', dataset: {testid: 'campus-switcher'}},
    mine ? button(mine.slug, `My campus · ${mine.name}`, 'campus-mine') : null,
    button(ALL_CAMPUSES, 'All campuses', 'campus-all'),
    h('label', {class: 'visually-hidden', for: 'campus', text: 'Choose a campus'}), select);
  update(current);
  return group;
}
