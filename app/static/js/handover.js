// The hand-over after an accepted dib (docs/HANDOVER.md): the hold with its ticking deadline,
// the meet-up (propose, confirm, counter-propose), and the seller's sale or no-show report or the
// buyer's release. Pages mount it with holdSection() and redraw it on their dibz:hold events.

import {api, isAbort} from './api.js';
import {h, replaceChildren, errorState} from './dom.js';
import {displayName, LIMITS} from './format.js';
import {field, handleSubmit, formValues, showFormMessage} from './forms.js';
import {getUser} from './session.js';
import {actionButton, showFlash} from './components.js';

// The countdowns tick once a second while their section is shown.
const TICK_MS = 1000;
const MEETUP_WHEN = new Intl.DateTimeFormat('en-US', {weekday: 'short', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit'});
// What a hold that ended says, to each side.
const ENDED_TEXT = {
  sold: {buyer: 'You bought this. Enjoy it!', seller: 'Sold. Nice one!'},
  lapsed: {buyer: 'Your hold lapsed: the deadline passed before the hand-over.', seller: 'The hold lapsed: the deadline passed.'},
  released: {buyer: 'You released the hold.', seller: 'The buyer released the hold.'},
  no_show: {buyer: 'The seller reported that you missed the meet-up.', seller: 'You reported a no-show.'},
  ended: {buyer: 'The hold ended.', seller: 'The hold ended.'},
};

/** 90061 → '1 d 1 h 1 min 01 s' (the seconds always show: the countdown visibly ticks). */
export function formatDuration(seconds) {
  const total = Math.max(0, Math.floor(seconds));
  const days = Math.floor(total / 86400);
  const hours = Math.floor((total % 86400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const rest = `${String(total % 60).padStart(2, '0')} s`;
  if (days) return `${days} d ${hours} h ${minutes} min ${rest}`;
  if (hours) return `${hours} h ${minutes} min ${rest}`;
  return `${minutes} min ${rest}`;
}

/** A timer counting `seconds` down (the server's count, so the device's clock does not matter),
 * ticking until `signal` aborts; `doneText` shows once it reaches zero. */
export function countdown(seconds, signal, {doneText = 'now', testid} = {}) {
  const endsAt = Date.now() + seconds * 1000;
  const element = h('span', {class: 'countdown', role: 'timer', dataset: testid ? {testid} : undefined});
  const tick = () => {
    const left = Math.round((endsAt - Date.now()) / 1000);
    element.textContent = left > 0 ? formatDuration(left) : doneText;
    return left > 0;
  };
  if (tick()) {
    // Also stops once the countdown was shown and is gone (its list was drawn anew).
    let shown = false;
    const timer = setInterval(() => {
      shown = shown || element.isConnected;
      if (!tick() || (shown && !element.isConnected)) clearInterval(timer);
    }, TICK_MS);
    signal.addEventListener('abort', () => clearInterval(timer));
  }
  return element;
}

/** 'Fri, Dec 4, 3:00 PM' in the reader's time zone. */
export function meetupTime(iso) {
  return MEETUP_WHEN.format(new Date(iso));
}

/** The pickup spots of the post's campus ({id, name}); the place can always be typed instead. */
function pickupSpots(hold) {
  return hold.pickup_spots || [];
}

/** A datetime-local value (the reader's wall clock) as an ISO instant the API accepts. */
function localToIso(value) {
  const moment = new Date(value);
  return Number.isNaN(moment.getTime()) ? value : moment.toISOString();
}

/** The datetime-local value of a moment, in the reader's time zone. */
function isoToLocal(moment) {
  const offset = moment.getTimezoneOffset() * 60000;
  return new Date(moment.getTime() - offset).toISOString().slice(0, 16);
}

/** Propose (or counter-propose) a time and a place: a pickup spot or free text. */
function meetupForm(hold, onDone, counter) {
  const spots = pickupSpots(hold);
  const now = new Date();
  const deadline = new Date(hold.deadline_at);
  const placeField = field('place', spots.length ? 'Or another place' : 'Place', {maxlength: LIMITS.place_max_length,
    placeholder: 'Library steps, main entrance…', hint: spots.length ? 'Leave empty to meet at the pickup spot above.' : undefined});
  const form = h('form', {class: 'meetup-form', novalidate: true, dataset: {testid: 'meetup-form'}},
    field('meet_at', 'Time', {type: 'datetime-local', required: true, min: isoToLocal(now), max: isoToLocal(deadline),
      hint: `Before the hold ends (${meetupTime(hold.deadline_at)}).`}),
    spots.length
      ? field('spot', 'Pickup spot', {kind: 'select', options: [['', 'Choose a pickup spot'], ...spots.map((spot) => [String(spot.id), spot.name])]})
      : null,
    placeField,
    h('button', {class: 'btn btn--primary btn--small', type: 'submit', text: counter ? 'Propose this instead' : 'Propose meet-up'}));
  handleSubmit(form, async (data) => {
    const values = formValues(data);
    const where = values.place ? {place: values.place} : values.spot ? {pickup_spot_id: Number(values.spot)} : null;
    if (!values.meet_at || !where) {
      showFormMessage(form, !values.meet_at ? 'Choose a time for the meet-up.' : 'Choose a pickup spot or type a place.');
      return;
    }
    await api('POST', `/api/holds/${hold.id}/meetups`, {json: {meet_at: localToIso(values.meet_at), ...where}});
    showFlash('Meet-up proposed. We told the other side.');
    await onDone();
  });
  return h('details', {class: 'meetup-propose'},
    h('summary', {class: 'meetup-propose__summary', text: counter ? 'Propose another time or place' : 'Propose a meet-up'}), form);
}

/** The current meet-up: when, where, proposed or confirmed, and the countdown to it. */
function meetupLine(hold, mine, signal) {
  const meetup = hold.meetup;
  if (!meetup) return h('p', {class: 'hold__meetup muted', dataset: {testid: 'meetup'}, text: 'No meet-up proposed yet.'});
  const byMe = meetup.proposer_id === mine;
  const state = meetup.status === 'confirmed' ? 'Confirmed meet-up' : byMe ? 'You proposed' : 'Proposed to you';
  return h('p', {class: `hold__meetup hold__meetup--${meetup.status}`, dataset: {testid: 'meetup'}},
    h('strong', {text: `${state}: `}), `${meetupTime(meetup.meet_at)} at ${meetup.place}`,
    meetup.seconds_until > 0 ? [' (in ', countdown(meetup.seconds_until, signal, {testid: 'meetup-countdown'}), ')'] : ' (time has come)');
}

/** What each side can do about an active hold. */
function holdActions(hold, isSeller, reload, {withSale}) {
  const meetup = hold.meetup;
  const me = getUser().id;
  const actions = [];
  if (meetup && meetup.status === 'proposed' && meetup.proposer_id !== me && meetup.seconds_until > 0) {
    actions.push(actionButton('Confirm meet-up', async () => {
      await api('POST', `/api/meetups/${meetup.id}/confirm`);
      showFlash('Meet-up confirmed.');
      await reload();
    }, {class: 'btn btn--primary btn--small', dataset: {testid: 'confirm-meetup'}}));
  }
  const buyer = displayName(hold.buyer);
  if (isSeller && withSale) {
    actions.push(actionButton('Mark as sold', async () => {
      if (!window.confirm(`Mark “${hold.post.title}” as sold to ${buyer}? Everyone else in the queue will be declined.`)) return;
      await api('POST', `/api/posts/${hold.post_id}/sold`);
      showFlash(`“${hold.post.title}” is sold to ${buyer}.`);
      await reload();
    }, {class: 'btn btn--primary btn--small', dataset: {testid: 'hold-mark-sold'}}));
  }
  if (isSeller && meetup && meetup.status === 'confirmed' && meetup.seconds_until === 0) {
    actions.push(actionButton('Report a no-show', async () => {
      if (!window.confirm(`Report that ${buyer} did not come? The hold ends and the next buyer gets their turn.`)) return;
      await api('POST', `/api/holds/${hold.id}/no-show`);
      showFlash('No-show reported. The next buyer in the queue was told it is their turn.');
      await reload();
    }, {class: 'btn btn--ghost btn--small', dataset: {testid: 'report-no-show'}}));
  }
  if (!isSeller) {
    actions.push(actionButton('Release hold', async () => {
      if (!window.confirm(`Give up “${hold.post.title}”? The next buyer in the queue gets their turn.`)) return;
      await api('POST', `/api/holds/${hold.id}/release`);
      showFlash('You released the hold.');
      await reload();
    }, {class: 'btn btn--ghost btn--small', dataset: {testid: 'release-hold'}}));
  }
  return actions.length ? h('div', {class: 'button-row hold__actions'}, actions) : null;
}

/** One hold as its buyer or seller sees it. */
function holdView(hold, reload, signal, options) {
  const me = getUser().id;
  const isSeller = hold.seller.id === me;
  const other = displayName(isSeller ? hold.buyer : hold.seller);
  if (hold.status !== 'active') {
    const text = (ENDED_TEXT[hold.status] || ENDED_TEXT.ended)[isSeller ? 'seller' : 'buyer'];
    return h('div', {class: `hold hold--${hold.status}`, dataset: {testid: 'hold', holdStatus: hold.status}},
      h('p', {class: 'hold__status', dataset: {testid: 'hold-status'}, text}));
  }
  const lead = isSeller ? `You are holding this for ${other}.` : `${other} is holding this for you.`;
  return h('div', {class: 'hold hold--active', dataset: {testid: 'hold', holdStatus: 'active'}},
    h('p', {class: 'hold__status', dataset: {testid: 'hold-status'}}, h('strong', {text: lead}), ' The hold ends in ',
      countdown(hold.seconds_left, signal, {doneText: 'a moment (the deadline has passed)', testid: 'hold-countdown'}), '.'),
    isSeller && hold.buyer_no_shows
      ? h('p', {class: 'hold__warning', text: `${other} missed ${hold.buyer_no_shows} meet-up${hold.buyer_no_shows === 1 ? '' : 's'} before.`})
      : null,
    meetupLine(hold, me, signal),
    holdActions(hold, isSeller, reload, options),
    meetupForm(hold, reload, Boolean(hold.meetup)));
}

/**
 * The hold of `postId` for me (buyer or seller), in a section that stays empty when there is
 * none. `accept(hold)` may turn a hold down (a chat with someone else). `reload()` draws it
 * anew; each drawing's countdowns stop when the next one replaces it or `signal` aborts.
 */
export function holdSection(postId, signal, {accept = () => true, withSale = true, label = 'Hand-over'} = {}) {
  const element = h('section', {class: 'hold-section', 'aria-label': label, hidden: true, dataset: {testid: 'hold-section'}});
  let drawing = null;
  async function reload() {
    let hold = null;
    try {
      hold = (await api('GET', `/api/posts/${postId}/hold`, {signal})).hold;
    } catch (error) {
      if (isAbort(error)) return;
      if (error.status !== 404) {
        element.hidden = false;
        replaceChildren(element, errorState(error, reload));
        return;
      }
    }
    if (drawing) drawing.abort();
    drawing = new AbortController();
    signal.addEventListener('abort', () => drawing.abort(), {signal: drawing.signal});
    element.hidden = !hold || !accept(hold);
    replaceChildren(element, element.hidden ? null : holdView(hold, reload, drawing.signal, {withSale}));
  }
  return {element, reload};
}
