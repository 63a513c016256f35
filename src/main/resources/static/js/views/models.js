// #/models?page=N: the tenant's models, newest first, a page at a time; models trained by
// jobs can be selected and compared (#/compare?models=ID,ID).

import {api} from '../api.js';
import {bytes, dateTime, h, num, percent, shortId} from '../dom.js';

const SIZE = 20;

export async function render(root, route, ctx) {
  const page = Math.max(0, Number.parseInt(route.query.get('page') || '0', 10) || 0);
  const models = await api.get('/models', {page, size: SIZE}, {signal: ctx.signal});
  root.append(h('h1', {}, 'Models'));
  if (models.totalItems === 0) {
    root.append(h('p', {}, 'No models yet: a job registers one per member when it succeeds. ',
      h('a', {href: '#/new'}, 'Start a job')));
    return;
  }
  const compare = h('button', {type: 'button', id: 'compare-models', disabled: true}, 'Compare selected');
  const selected = () => [...root.querySelectorAll('input.select-model:checked')].map((b) => b.value);
  root.addEventListener('change', (event) => {
    if (event.target.matches('input.select-model')) compare.disabled = selected().length < 2;
  });
  compare.addEventListener('click', () => ctx.navigate(`#/compare?models=${selected().join(',')}`));
  root.append(h('p', {class: 'row'}, h('span', {class: 'muted'}, `${models.totalItems} models`), compare),
    h('table', {class: 'models'},
      h('caption', {class: 'sr-only'}, 'Models, newest first'),
      h('thead', {}, h('tr', {},
        h('th', {scope: 'col'}, h('span', {class: 'sr-only'}, 'Select')),
        h('th', {scope: 'col'}, 'Model'),
        h('th', {scope: 'col'}, 'Job'),
        h('th', {scope: 'col', class: 'num'}, 'Member'),
        h('th', {scope: 'col'}, 'Classes'),
        h('th', {scope: 'col', class: 'num'}, 'Test accuracy'),
        h('th', {scope: 'col', class: 'num'}, 'Parameters'),
        h('th', {scope: 'col', class: 'num'}, 'Size'),
        h('th', {scope: 'col'}, 'Created'))),
      h('tbody', {}, models.items.map((m) => h('tr', {dataset: {id: m.id}},
        h('td', {}, m.jobId ? h('input', {type: 'checkbox', class: 'select-model', value: m.id, id: `select-${m.id}`,
          'aria-label': `Select model ${String(m.id).slice(0, 8)} to compare`}) : null),
        h('th', {scope: 'row'}, h('a', {href: `#/models/${m.id}`}, shortId(m.id))),
        h('td', {}, m.jobId ? h('a', {href: `#/jobs/${m.jobId}`}, shortId(m.jobId)) : h('span', {class: 'muted'}, 'imported')),
        h('td', {class: 'num'}, m.member),
        h('td', {}, m.classes.length),
        h('td', {class: 'num'}, percent(m.metrics?.testAccuracy)),
        h('td', {class: 'num'}, num(m.parameterCount, 0)),
        h('td', {class: 'num'}, bytes(m.sizeBytes)),
        h('td', {}, dateTime(m.createdAt)))))),
    pager(page, models.totalPages, (next) => `#/models?page=${next}`));
}

/** Previous/next links and "page i of n"; nothing when there is one page. */
export function pager(page, pages, hrefOf) {
  if (pages <= 1) return null;
  return h('nav', {class: 'pager', 'aria-label': 'Pages'},
    page > 0 ? h('a', {href: hrefOf(page - 1), rel: 'prev'}, '← Previous') : h('span', {class: 'muted'}, '← Previous'),
    h('span', {}, `Page ${page + 1} of ${pages}`),
    page + 1 < pages ? h('a', {href: hrefOf(page + 1), rel: 'next'}, 'Next →') : h('span', {class: 'muted'}, 'Next →'));
}
