// A server's problem details (RFC 9457) shown in full: title, detail, the members that say
// where the fault is (part, row, column, entry, parameter...) and each field error at its pointer.

import {h} from './dom.js';

const STANDARD = new Set(['type', 'title', 'status', 'detail', 'instance', 'errors', 'timestamp', 'path']);

/** An alert box for an ApiError (or any error) with everything its problem says. */
export function problemBox(error) {
  const problem = error?.problem;
  if (!problem || typeof problem !== 'object') {
    return h('div', {class: 'error problem', role: 'alert'}, h('p', {}, error?.message || String(error)));
  }
  const extra = Object.entries(problem).filter(([key, value]) => !STANDARD.has(key) && value !== null
    && typeof value !== 'object');
  const lists = Object.entries(problem).filter(([key, value]) => !STANDARD.has(key) && Array.isArray(value)
    && value.every((v) => typeof v !== 'object'));
  return h('div', {class: 'error problem', role: 'alert'},
    h('p', {}, h('strong', {class: 'problem-title'}, problem.title || `Error ${error.status}`),
      error.status ? ` (${error.status})` : ''),
    problem.detail ? h('p', {class: 'problem-detail'}, problem.detail) : null,
    extra.length || lists.length ? h('dl', {class: 'facts'},
      extra.map(([key, value]) => [h('dt', {}, key), h('dd', {}, String(value))]),
      lists.map(([key, value]) => [h('dt', {}, key), h('dd', {}, value.join(', '))])) : null,
    problem.errors?.length ? h('ul', {class: 'problem-errors'}, problem.errors.map((e) =>
      h('li', {}, h('code', {}, e.pointer || '#'), ' ', e.detail))) : null);
}

/**
 * A "Delete…" button that asks first: {ask, confirm}, the button and the confirmation group
 * it opens. `remove` does the deletion (and what follows it); a failure is shown in `status`
 * through `show`.
 */
export function confirmedDeletion({question, confirmLabel, status, remove, show = problemBox}) {
  const confirm = h('div', {class: 'confirm', role: 'group', 'aria-label': 'Confirm deletion', hidden: true},
    h('span', {}, question),
    h('button', {type: 'button', class: 'danger', onclick: async () => {
      try {
        await remove();
      } catch (error) {
        status.replaceChildren(show(error));
      }
    }}, confirmLabel),
    h('button', {type: 'button', class: 'secondary', onclick: () => {
      confirm.hidden = true;
      ask.focus();
    }}, 'Cancel'));
  const ask = h('button', {type: 'button', class: 'secondary', onclick: () => {
    confirm.hidden = false;
    confirm.querySelector('button.danger').focus();
  }}, 'Delete…');
  return {ask, confirm};
}
