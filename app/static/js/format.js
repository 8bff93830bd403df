// Display helpers: money, dates, the fixed lists' labels.

const CURRENCY = new Intl.NumberFormat('en-US', {style: 'currency', currency: 'USD'});
const DATE = new Intl.DateTimeFormat('en-US', {month: 'short', day: 'numeric', year: 'numeric'});
const TIME = new Intl.DateTimeFormat('en-US', {hour: 'numeric', minute: '2-digit'});

export function price(cents) {
  if (cents === 0) return 'Free';
  return CURRENCY.format((cents || 0) / 100);
}

/** '12.50' → 1250; '' → null; anything that is not a number → NaN (the API will say why). */
export function dollarsToCents(text) {
  if (text === undefined || text === null || String(text).trim() === '') return null;
  const value = Number(String(text).replace(/[$,\s]/g, ''));
  return Number.isFinite(value) ? Math.round(value * 100) : text;
}

const PRICE_PATTERN = /^(\d+)(?:\.(\d*))?$/;

/**
 * Read a price typed in dollars: {cents} (null when blank), or {error} with a sentence in
 * dollars. More than two decimals is refused, never rounded: 12.345 is not a price.
 */
export function parsePrice(text) {
  const cleaned = String(text ?? '').replace(/[$,\s]/g, '');
  if (!cleaned) return {cents: null};
  if (/^-/.test(cleaned)) return {error: 'The price cannot be negative. Use 0 to give it away.'};
  const found = PRICE_PATTERN.exec(cleaned);
  if (!found) return {error: 'Enter the price in dollars, like 12 or 12.50.'};
  const decimals = found[2] || '';
  if (decimals.length > 2) return {error: 'Use at most two decimals (cents), like 12.50.'};
  const cents = Number(found[1]) * 100 + Number(decimals.padEnd(2, '0'));
  const maximum = LIMITS.price_max_cents;
  if (cents > maximum) return {error: `Must be between $0 and $${(maximum / 100).toLocaleString('en-US')}.`};
  return {cents};
}

export function centsToDollars(cents) {
  if (cents === null || cents === undefined) return '';
  return (cents / 100).toFixed(2).replace(/\.00$/, '');
}

export function date(iso) {
  return iso ? DATE.format(new Date(iso)) : '';
}

/** 'just now', '5 min ago', '3 h ago', or the date. */
export function relativeTime(iso) {
  if (!iso) return '';
  const seconds = (Date.now() - new Date(iso).getTime()) / 1000;
  if (seconds < 60) return 'just now';
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  return DATE.format(new Date(iso));
}

export function time(iso) {
  return iso ? TIME.format(new Date(iso)) : '';
}

/** 'like_new' → 'Like new'. */
export function label(value) {
  if (!value) return '';
  const text = String(value).replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The name a user is shown by: the display name when they chose one. */
export function displayName(user) {
  return user.display_name || user.username;
}

/** The first letter, upper-cased, for placeholders and avatars. */
export function initial(text) {
  return text.trim().charAt(0).toUpperCase();
}

function metaContent(name) {
  return document.querySelector(`meta[name="${name}"]`).content;
}

/** The fixed lists, written into the shell by the server from PostConstants. */
export const CATEGORIES = metaContent('dibz-categories').split(',');
export const CONDITIONS = metaContent('dibz-conditions').split(',');
export const STATUSES = ['available', 'pending', 'sold'];
/** A saved search's alert modes (SavedSearchConstants), as the forms offer them. */
export const ALERT_OPTIONS = [['instant', 'Alert me at once'], ['daily', 'Daily digest'], ['off', 'No alerts']];
/** The reasons a report may give and the actions of the audit log, from ModerationConstants. */
export const REPORT_REASONS = metaContent('dibz-report-reasons').split(',');
export const AUDIT_ACTIONS = metaContent('dibz-audit-actions').split(',');
/**
 * The server's bounds, written into the shell from the areas' constants: each constant's name
 * lower-cased (DISPLAY_NAME_MAX_LENGTH → LIMITS.display_name_max_length). Forms take their
 * maxlength, min and max from here, so they can never disagree with the server.
 */
export const LIMITS = JSON.parse(metaContent('dibz-limits'));
