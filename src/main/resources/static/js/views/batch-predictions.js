// The runs page's section of batch predictions: the newest ones with their status, progress in
// rows, throughput and accuracy. Rows are kept by id and updated in place, so focus survives the
// refreshes; each links to its own page (#/batch-predictions/ID).

import {api} from '../api.js';
import {dateTime, errorBox, fill, h, num, percent, shortId, statusBadge} from '../dom.js';

const SHOWN = 25;

export function isActive(batch) {
  return batch.status === 'QUEUED' || batch.status === 'RUNNING';
}

/** Share of the dataset's rows scored and stored. */
export function batchFraction(batch) {
  if (batch.status === 'SUCCEEDED') return 1;
  return batch.rowsTotal ? Math.min(1, batch.rowsDone / batch.rowsTotal) : 0;
}

export function batchProgressText(batch) {
  return `${num(batch.rowsDone, 0)} / ${num(batch.rowsTotal, 0)} rows`;
}

const COLUMNS = [
  ['Batch prediction'], ['Model'], ['Dataset'], ['Status'], ['Rows/s', true], ['Accuracy', true], ['Created'],
];

/**
 * {element, refresh(signal, status)}: refresh reloads the rows (only those in `status`, when
 * given) and says whether any batch is active.
 */
export function batchSection() {
  const count = h('p', {class: 'muted', id: 'batch-count', 'aria-live': 'polite'});
  const body = h('tbody');
  const table = h('table', {class: 'batches', 'aria-describedby': 'batch-count'},
    h('caption', {class: 'visually-hidden'}, 'Batch predictions'),
    h('thead', {}, h('tr', {}, COLUMNS.map(([label, numeric]) =>
      h('th', {scope: 'col', class: numeric ? 'num' : null}, label)))),
    body);
  const problem = h('div');
  const element = h('section', {class: 'batch-runs', 'aria-labelledby': 'batch-title'},
    h('h2', {id: 'batch-title'}, 'Batch predictions'), problem, count, h('div', {class: 'table-scroll'}, table));
  const rows = new Map();

  function makeRow(batch) {
    const cells = {
      id: h('td', {}, h('a', {href: `#/batch-predictions/${encodeURIComponent(batch.id)}`,
        'aria-label': `Batch prediction ${batch.id}`}, shortId(batch.id))),
      model: h('td', {}, h('a', {href: `#/models/${encodeURIComponent(batch.modelId)}`}, shortId(batch.modelId))),
      dataset: h('td', {}, h('a', {href: `#/datasets/${encodeURIComponent(batch.datasetId)}`},
        batch.datasetName || batch.datasetId)),
      status: h('td', {class: 'status-cell'}),
      rate: h('td', {class: 'num'}),
      accuracy: h('td', {class: 'num'}),
      created: h('td', {}, h('time', {datetime: batch.createdAt}, dateTime(batch.createdAt))),
    };
    return {tr: h('tr', {dataset: {batchId: batch.id}}, Object.values(cells)), cells, key: ''};
  }

  function updateRow(row, batch) {
    const key = JSON.stringify([batch.status, batch.rowsDone, batch.rowsPerSecond, batch.accuracy]);
    if (row.key === key) return;
    row.key = key;
    const active = isActive(batch);
    fill(row.cells.status, statusBadge(batch.status),
      h('progress', {max: 1, value: batchFraction(batch), 'aria-label': `Progress of batch prediction ${batch.id}`}),
      h('span', {class: 'progress-text muted'}, batchProgressText(batch)));
    row.cells.status.querySelector('progress').hidden = !active && batch.status !== 'SUCCEEDED';
    row.cells.rate.textContent = num(batch.rowsPerSecond, 0);
    row.cells.accuracy.textContent = percent(batch.accuracy);
  }

  function draw(page, status) {
    const wanted = page.items.map((batch) => {
      let row = rows.get(batch.id);
      if (!row) {
        row = makeRow(batch);
        rows.set(batch.id, row);
      }
      updateRow(row, batch);
      return row.tr;
    });
    if (wanted.length === 0) {
      body.replaceChildren(h('tr', {}, h('td', {colspan: COLUMNS.length, class: 'muted'},
        status ? `No ${status.toLowerCase()} batch predictions.`
          : 'No batch predictions yet: score a dataset from a model\'s page.')));
    } else if (!(wanted.length === body.children.length && wanted.every((tr, i) => body.children[i] === tr))) {
      body.replaceChildren(...wanted);
    }
    count.textContent = `${page.totalItems} batch prediction${page.totalItems === 1 ? '' : 's'}`
      + (status ? ` ${status.toLowerCase()}` : '')
      + (page.totalItems > page.items.length ? ` (the newest ${page.items.length} are shown)` : '');
  }

  async function refresh(signal, status) {
    try {
      const page = await api.get('/batch-predictions', {status, size: SHOWN}, {signal});
      if (signal.aborted) return false;
      problem.replaceChildren();
      draw(page, status);
      return page.items.some(isActive);
    } catch (error) {
      if (!signal.aborted) problem.replaceChildren(errorBox(error));
      return false;
    }
  }

  return {element, refresh};
}
