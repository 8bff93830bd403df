// Building DOM nodes from parts, never from HTML strings: text is always text, so user content cannot inject markup.

/** h('a', {href: '/', class: 'btn', dataset: {id: 1}}, 'text', child, [more]). Listeners are
 * attached with addEventListener, a page's with its {signal} (router.js), never as props. */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    // The Content-Security-Policy refuses style attributes: looks belong in app.css classes.
    if (name === 'style') throw new Error('Use a CSS class, not a style attribute.');
    // One way to listen: addEventListener, with the page's {signal} in a page (router.js).
    if (/^on[A-Z]/.test(name)) throw new Error('Attach listeners with addEventListener, not as props.');
    if (name === 'class') element.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : value;
    else if (name === 'text') element.textContent = value;
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else if (name in element && typeof value !== 'string') element[name] = value;
    else element.setAttribute(name, value === true ? '' : value);
  }
  append(element, children);
  return element;
}

/** Append strings (as text), nodes and nested arrays; null/false/undefined are skipped. */
export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/** Replace every child of `parent` with `children`. */
export function replaceChildren(parent, ...children) {
  parent.replaceChildren();
  return append(parent, children);
}

/**
 * Render the API's highlight snippet: HTML-escaped text whose matches are wrapped in <mark>.
 * No HTML parser is involved: the snippet is split on the two <mark> tags, the escaped text
 * between them is decoded and appended as text nodes, so any other markup stays visible text
 * and nothing can load or run.
 */
export function markedText(snippet) {
  const fragment = document.createDocumentFragment();
  let target = fragment;
  for (const part of String(snippet ?? '').split(/(<mark>|<\/mark>)/)) {
    if (part === '<mark>') {
      if (target === fragment) target = fragment.appendChild(document.createElement('mark'));
    } else if (part === '</mark>') {
      target = fragment;
    } else if (part) {
      target.append(document.createTextNode(decodeEntities(part)));
    }
  }
  return fragment;
}

const NAMED_ENTITIES = {amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0'};

/** Decode the character references of escaped text; unknown names are left as they are. */
export function decodeEntities(text) {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (reference, name) => {
    if (name[0] === '#') {
      const code = name[1].toLowerCase() === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : reference;
    }
    return NAMED_ENTITIES[name.toLowerCase()] ?? reference;
  });
}

/** The state shown while a list loads. */
export function loadingState(label = 'Loading…') {
  return h('div', {class: 'state state--loading', role: 'status'}, h('span', {class: 'spinner', 'aria-hidden': 'true'}), label);
}

/** The state shown when a list is empty, with an optional call to action. */
export function emptyState(title, detail, action) {
  return h('div', {class: 'state state--empty'}, h('p', {class: 'state__title', text: title}),
    detail ? h('p', {class: 'state__detail', text: detail}) : null, action || null);
}

/** The state shown when loading failed: the API's sentence, never a raw object. */
export function errorState(error, retry) {
  const state = h('div', {class: 'state state--error', role: 'alert'}, h('p', {class: 'state__title', text: messageOf(error)}));
  if (retry) {
    const button = h('button', {class: 'btn btn--ghost', type: 'button', text: 'Try again'});
    button.addEventListener('click', retry);
    state.append(button);
  }
  return state;
}

/** A human sentence for any error the client may catch. */
export function messageOf(error) {
  if (error && typeof error.message === 'string' && error.message) return error.message;
  return 'Something went wrong. Please try again.';
}
