// #/datasets/ID?offset=N: a dataset's facts, its class counts, and its examples a page at a
// time (pictures for image data, a table for tabular data), with deletion behind a confirmation.

import {api} from '../api.js';
import {bytes, dateTime, fill, h, num, percent} from '../dom.js';
import {confirmedDeletion} from '../problem.js';
import {imageShape, picture, range} from '../pixels.js';

// examples per page: 40, fewer for large examples so that a page stays a few MB of JSON
const LIMIT = 40;
const VALUES_PER_PAGE = 400_000;

function pageSize(featureShape) {
  const features = featureShape.reduce((a, b) => a * b, 1);
  return Math.max(2, Math.min(LIMIT, Math.floor(VALUES_PER_PAGE / features)));
}
const TABLE_FEATURES = 8;

export async function render(root, route, ctx) {
  const id = route.params.id;
  const dataset = await api.get(`/datasets/${encodeURIComponent(id)}`, null, {signal: ctx.signal});
  const examples = h('section', {'aria-labelledby': 'examples-title', class: 'examples-section'});
  root.append(
    h('h1', {}, 'Dataset ', h('span', {}, dataset.name)),
    deletion(dataset, ctx),
    h('div', {class: 'grid fit'},
      h('section', {class: 'card', 'aria-labelledby': 'facts-title'},
        h('h2', {id: 'facts-title'}, 'Facts'), facts(dataset)),
      h('section', {class: 'card', 'aria-labelledby': 'classes-title'},
        h('h2', {id: 'classes-title'}, 'Class counts'), classCounts(dataset))),
    examples);

  const size = pageSize(dataset.featureShape);
  const offsetOf = (value) => Math.max(0, Math.floor((Number.parseInt(value || '0', 10) || 0) / size) * size);
  await showExamples(examples, dataset, offsetOf(route.query.get('offset')), size, ctx);
}

function facts(d) {
  return h('dl', {class: 'facts'},
    h('dt', {}, 'Format'), h('dd', {}, d.format),
    h('dt', {}, 'Examples'), h('dd', {}, num(d.examples, 0)),
    h('dt', {}, 'Classes'), h('dd', {}, d.classes.length),
    h('dt', {}, 'Feature shape'), h('dd', {}, h('code', {}, `[${d.featureShape.join(', ')}]`)),
    h('dt', {}, 'Stored size'), h('dd', {}, bytes(d.sizeBytes)),
    h('dt', {}, 'SHA-256'), h('dd', {}, h('code', {class: 'wrap'}, d.sha256)),
    h('dt', {}, 'Created'), h('dd', {}, dateTime(d.createdAt)),
    h('dt', {}, 'Id'), h('dd', {}, h('code', {}, d.id)));
}

function classCounts(d) {
  const counts = d.classes.map((c) => d.classCounts?.[c] ?? 0);
  const most = Math.max(1, ...counts);
  const total = counts.reduce((a, b) => a + b, 0);
  return h('table', {class: 'class-counts'},
    h('caption', {class: 'sr-only'}, 'Examples per class'),
    h('thead', {}, h('tr', {},
      h('th', {scope: 'col'}, 'Class'),
      h('th', {scope: 'col', class: 'num'}, 'Examples'),
      h('th', {scope: 'col', class: 'num'}, 'Share'),
      h('th', {scope: 'col'}, h('span', {class: 'sr-only'}, 'Bar')))),
    h('tbody', {}, d.classes.map((c, i) => {
      const bar = h('span', {class: 'bar'});
      bar.style.width = `${(100 * counts[i] / most).toFixed(1)}%`;
      return h('tr', {},
        h('th', {scope: 'row'}, c),
        h('td', {class: 'num'}, num(counts[i], 0)),
        h('td', {class: 'num'}, percent(total ? counts[i] / total : null, 1)),
        h('td', {class: 'bar-cell', 'aria-hidden': 'true'}, bar));
    })));
}

async function showExamples(section, dataset, offset, size, ctx) {
  const page = await api.get(`/datasets/${dataset.id}/examples`, {offset, limit: size}, {signal: ctx.signal});
  const go = (next) => async () => {
    ctx.setQuery({offset: next || null});
    await showExamples(section, dataset, next, size, ctx);
    section.querySelector('h2')?.focus();
  };
  const last = Math.max(0, Math.floor((page.total - 1) / size) * size);
  const shown = page.examples.length;
  const nav = h('nav', {class: 'pager', 'aria-label': 'Example pages'},
    h('button', {type: 'button', class: 'secondary', disabled: offset === 0, onclick: go(Math.max(0, offset - size))}, '← Previous'),
    h('span', {}, shown ? `Examples ${num(offset + 1, 0)}–${num(offset + shown, 0)} of ${num(page.total, 0)}` : 'No examples here'),
    h('button', {type: 'button', class: 'secondary', disabled: offset >= last, onclick: go(Math.min(last, offset + size))}, 'Next →'));
  const image = imageShape(page.featureShape);
  fill(section,
    h('h2', {id: 'examples-title', tabindex: -1}, 'Examples'),
    nav,
    image ? grid(page, image, dataset.format) : featureTable(page));
}

/** Raw values mapped to grey by the dataset's range: 0..255 for bytes (IDX, images), else the page's. */
function valueRange(page, format) {
  if (format === 'idx' || format === 'images') return {min: 0, max: 255};
  return range(...page.examples.map((e) => e.features));
}

function grid(page, image, format) {
  const r = valueRange(page, format);
  return h('ul', {class: 'example-grid'}, page.examples.map((e) => h('li', {dataset: {index: e.index}},
    h('figure', {},
      picture(e.features, image, r, `Example ${e.index}, ${e.label ?? 'no label'}`, 'pixels example'),
      h('figcaption', {}, h('span', {class: 'muted'}, `#${e.index} `), h('span', {class: 'label'}, e.label ?? '–'))))));
}

function featureTable(page) {
  const count = Math.min(TABLE_FEATURES, page.examples[0]?.features.length ?? 0);
  const more = (page.examples[0]?.features.length ?? 0) > count;
  return h('div', {class: 'scroll'}, h('table', {class: 'example-table'},
    h('caption', {class: 'sr-only'}, 'Examples with their first features'),
    h('thead', {}, h('tr', {},
      h('th', {scope: 'col', class: 'num'}, '#'),
      h('th', {scope: 'col'}, 'Label'),
      Array.from({length: count}, (_, j) => h('th', {scope: 'col', class: 'num'}, `x${j}`)),
      more ? h('th', {scope: 'col'}, '…') : null)),
    h('tbody', {}, page.examples.map((e) => h('tr', {dataset: {index: e.index}},
      h('td', {class: 'num'}, e.index),
      h('th', {scope: 'row', class: 'label'}, e.label ?? '–'),
      e.features.slice(0, count).map((v) => h('td', {class: 'num'}, num(v))),
      more ? h('td', {}, '…') : null)))));
}

function deletion(dataset, ctx) {
  const status = h('div', {class: 'feedback'});
  const {ask, confirm} = confirmedDeletion({
    question: `Delete ${dataset.name} and its content for good?`, confirmLabel: 'Delete dataset', status,
    remove: async () => {
      await api.delete(`/datasets/${dataset.id}`);
      ctx.toast(`Dataset ${dataset.name} deleted.`);
      ctx.navigate('#/datasets');
    }});
  return h('div', {},
    h('div', {class: 'row actions'},
      h('a', {class: 'button', href: `#/new?dataset=${dataset.id}`}, 'Train on it'),
      ask),
    confirm, status);
}
