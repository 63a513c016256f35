// Building DOM without innerHTML (names and details come from users), and formatting.

/**
 * h('a', {href: '#/runs', class: 'x', onclick: fn}, 'text', child...) → an element.
 * Attributes named on* become listeners; `dataset`, `style` take objects; false/null skip.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      el.addEventListener(name.slice(2), value);
    } else if (name === 'dataset' || name === 'style') {
      Object.assign(el[name], value);
    } else if (name in el && typeof value !== 'string' && name !== 'list') {
      el[name] = value;
    } else {
      el.setAttribute(name, value === true ? '' : value);
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

/** Replaces an element's children. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

const numberFormats = new Map();

/** A number with at most `digits` fraction digits, or an en dash when missing. */
export function num(value, digits = 4) {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  let f = numberFormats.get(digits);
  if (!f) {
    f = new Intl.NumberFormat('en', {maximumFractionDigits: digits});
    numberFormats.set(digits, f);
  }
  return f.format(value);
}

/** 0.9123 → "91.23 %". */
export function percent(value, digits = 2) {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  return `${(100 * value).toFixed(digits)} %`;
}

/** Seconds → "1 h 02 min", "3 min 05 s", "12.3 s". */
export function duration(seconds) {
  if (seconds === null || seconds === undefined) return '–';
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m} min ${String(Math.round(seconds % 60)).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

export function dateTime(iso) {
  if (!iso) return '–';
  return new Date(iso).toLocaleString('en-GB', {dateStyle: 'short', timeStyle: 'medium'});
}

export function bytes(n) {
  if (n === null || n === undefined) return '–';
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${n.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

/** A first-8-characters id in a <code>, its full value in the title. */
export function shortId(id) {
  return h('code', {title: id}, String(id).slice(0, 8));
}

/** A status word as a badge; the colour is never the only signal (the word is shown). */
export function statusBadge(status) {
  return h('span', {class: `badge status-${String(status).toLowerCase()}`}, status);
}

/** An element showing an error's message, with role=alert so it is announced. */
export function errorBox(error) {
  return h('p', {class: 'error', role: 'alert'}, error?.message || String(error));
}

/** Colour-blind-safe categorical palette (Okabe and Ito). */
export const palette = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];

export function color(i) {
  return palette[i % palette.length];
}
