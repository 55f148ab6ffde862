// Small DOM helpers shared by the view modules. Text always goes in as text nodes (never HTML).

/**
 * Builds an element: h('button', {type: 'button', onclick: fn, class: 'x'}, 'Label', child...).
 * Attributes whose value is false, null or undefined are left out; `on*` functions become
 * listeners; `dataset` is an object of data-* values.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === false || value === null || value === undefined) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else if (key === 'dataset') {
      Object.assign(el.dataset, value);
    } else if (key === 'class') {
      el.className = value;
    } else if (key === 'value' || key === 'checked' || key === 'selected') {
      el[key] = value;
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's children. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });
const dateFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' });

/** "14:05" today, "3 Dec" otherwise. */
export function shortTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  const today = new Date();
  return d.toDateString() === today.toDateString() ? timeFormat.format(d) : dayFormat.format(d);
}

export function longTime(iso) {
  return iso ? new Date(iso).toLocaleString() : '';
}

/** A yyyy-mm-dd date as "3 Dec 2026" (read as a calendar date, not a UTC instant). */
export function calendarDate(ymd) {
  const [y, m, d] = ymd.split('-').map(Number);
  return dateFormat.format(new Date(y, m - 1, d));
}

/** Today (or today + days) as yyyy-mm-dd in local time, for <input type=date>. */
export function isoDate(days = 0) {
  const d = new Date();
  d.setDate(d.getDate() + days);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The message of an error for people: the problem's detail when the server gave one. */
export function errorText(err) {
  if (err?.detail) return err.detail;
  if (err?.name === 'TypeError') return 'The server cannot be reached. Check your connection and try again.';
  return err?.message || 'Something went wrong.';
}

export const SPECIES = ['dog', 'cat', 'bird', 'rabbit', 'rodent', 'reptile', 'fish', 'other'];

export const HOUSING = {
  owner_home: "At the owner's home",
  sitter_home: "At the sitter's home",
  either: 'Either',
};
