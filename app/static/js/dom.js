// Building DOM nodes from parts, never from HTML strings: text is always text, so user content cannot inject markup.

/** h('a', {href: '/', class: 'btn', onClick: fn, dataset: {id: 1}}, 'text', child, [more]) */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    // The Content-Security-Policy refuses style attributes: looks belong in app.css classes.
    if (name === 'style') throw new Error('Use a CSS class, not a style attribute.');
    if (name === 'class') element.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : value;
    else if (name === 'text') element.textContent = value;
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (name in element && typeof value !== 'string') element[name] = value;
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
 * It is parsed in an inert document and rebuilt from text nodes and <mark> elements only,
 * so any other markup ends up as plain text and nothing can run.
 */
export function markedText(snippet) {
  const fragment = document.createDocumentFragment();
  const parsed = new DOMParser().parseFromString(`<body>${snippet ?? ''}</body>`, 'text/html');
  copyMarkedNodes(parsed.body, fragment);
  return fragment;
}

function copyMarkedNodes(source, target) {
  for (const node of source.childNodes) {
    if (node.nodeType === Node.TEXT_NODE) target.append(document.createTextNode(node.data));
    else if (node.nodeType === Node.ELEMENT_NODE && node.tagName === 'MARK') {
      copyMarkedNodes(node, target.appendChild(document.createElement('mark')));
    } else if (node.nodeType === Node.ELEMENT_NODE) copyMarkedNodes(node, target);
  }
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
  return h('div', {class: 'state state--error', role: 'alert'},
    h('p', {class: 'state__title', text: messageOf(error)}),
    retry ? h('button', {class: 'btn btn--ghost', type: 'button', onClick: retry, text: 'Try again'}) : null);
}

/** A human sentence for any error the client may catch. */
export function messageOf(error) {
  if (error && typeof error.message === 'string' && error.message) return error.message;
  return 'Something went wrong. Please try again.';
}
