// #/models/ID: what a model is (architecture, preprocessing), how it did (metrics, confusion
// matrix with per-class precision and recall), where it came from (provenance), and what to do
// with it (export, try it in the playground, score a stored dataset, delete).

import {api} from '../api.js';
import {bytes, dateTime, errorBox, fill, h, num, percent, shortId} from '../dom.js';
import {imageShape, legend, picture, range} from '../pixels.js';
import {confirmedDeletion, problemBox} from '../problem.js';

export async function render(root, route, ctx) {
  const id = route.params.id;
  const model = await api.get(`/models/${encodeURIComponent(id)}`, null, {signal: ctx.signal});
  root.append(
    h('h1', {}, 'Model ', shortId(model.id)),
    h('p', {class: 'muted'},
      model.jobId ? ['Member ', model.member, ' of job ', h('a', {href: `#/jobs/${model.jobId}`}, shortId(model.jobId))]
        : 'Imported',
      ` · ${model.classes.length} classes · features ${shapeText(model.featureShape)} · created ${dateTime(model.createdAt)}`),
    actions(model, ctx),
    scoring(model, ctx),
    h('div', {class: 'grid fit'},
      h('section', {class: 'card', 'aria-labelledby': 'metrics-title'},
        h('h2', {id: 'metrics-title'}, 'Metrics'), metrics(model.metrics)),
      h('section', {class: 'card', 'aria-labelledby': 'provenance-title'},
        h('h2', {id: 'provenance-title'}, 'Provenance'), provenance(model))),
    h('div', {class: 'grid fit'},
      h('section', {class: 'card', 'aria-labelledby': 'confusion-title'},
        h('h2', {id: 'confusion-title'}, 'Confusion matrix'),
        confusion(model.metrics?.confusionMatrix, model.classes)),
      h('section', {class: 'card', 'aria-labelledby': 'preprocessing-title'},
        h('h2', {id: 'preprocessing-title'}, 'Preprocessing'), preprocessing(model))),
    h('section', {'aria-labelledby': 'architecture-title'},
      h('h2', {id: 'architecture-title'}, 'Architecture'), architecture(model)));
}

function shapeText(shape) {
  return shape ? `[${shape.join(', ')}]` : '–';
}

function actions(model, ctx) {
  const status = h('div', {class: 'feedback', 'aria-live': 'polite'});
  const exportButton = (format, label) => h('button', {type: 'button', class: 'secondary', onclick: async (event) => {
    const button = event.currentTarget;
    button.disabled = true;
    status.replaceChildren();
    try {
      await api.download(`/models/${model.id}/export`, {format}, `model-${model.id}.${format}`);
    } catch (error) {
      status.replaceChildren(errorBox(error));
    } finally {
      button.disabled = false;
    }
  }}, label);

  const {ask, confirm} = confirmedDeletion({
    question: 'Delete this model for good?', confirmLabel: 'Delete model', status, show: errorBox,
    remove: async () => {
      await api.delete(`/models/${model.id}`);
      ctx.toast('Model deleted.');
      ctx.navigate('#/models');
    }});

  return h('div', {},
    h('div', {class: 'row actions'},
      exportButton('safetensors', 'Export safetensors'),
      exportButton('onnx', 'Export ONNX'),
      h('a', {class: 'button', href: `#/playground?model=${model.id}`}, 'Try in the playground'),
      ask),
    confirm, status);
}

/** Values per example of a feature shape. */
function values(shape) {
  return (shape || []).reduce((a, b) => a * b, 1);
}

/**
 * A form that scores a stored dataset with the model (a batch prediction), listing the datasets
 * whose examples fit it, and opens the new batch's page.
 */
function scoring(model, ctx) {
  const select = h('select', {id: 'score-dataset', name: 'datasetId', required: true},
    h('option', {value: ''}, 'Loading datasets…'));
  const status = h('div', {class: 'feedback', 'aria-live': 'polite'});
  const button = h('button', {type: 'submit', disabled: true}, 'Score dataset');
  const form = h('form', {class: 'row score-form'},
    h('label', {for: 'score-dataset'}, 'Dataset'), select, button);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    button.disabled = true;
    status.replaceChildren();
    try {
      const batch = await api.post(`/models/${model.id}/batch-predictions`, {datasetId: select.value});
      ctx.navigate(`#/batch-predictions/${batch.id}`);
    } catch (error) {
      status.replaceChildren(problemBox(error));
      button.disabled = false;
    }
  });
  api.get('/datasets', {size: 100}, {signal: ctx.signal}).then((page) => {
    const fitting = page.items.filter((d) => values(d.featureShape) === values(model.featureShape));
    fill(select, fitting.length
      ? fitting.map((d) => h('option', {value: d.id}, `${d.name} (${num(d.examples, 0)} examples)`))
      : h('option', {value: ''}, 'No dataset has examples of this model\'s size'));
    button.disabled = fitting.length === 0;
  }).catch((error) => {
    if (!ctx.signal.aborted) status.replaceChildren(errorBox(error));
  });
  return h('section', {class: 'card narrow', 'aria-labelledby': 'score-title'},
    h('h2', {id: 'score-title'}, 'Score a dataset'),
    h('p', {class: 'hint'}, 'A batch prediction: the model over every example of a stored dataset, on the workers; '
      + 'the results come as CSV or JSON Lines.'),
    form, status);
}

function metrics(m) {
  if (!m) return h('p', {class: 'muted'}, 'Not measured.');
  return h('dl', {class: 'facts'},
    h('dt', {}, 'Test accuracy'), h('dd', {dataset: {metric: 'testAccuracy'}}, percent(m.testAccuracy)),
    h('dt', {}, 'Test loss'), h('dd', {}, num(m.testLoss)),
    h('dt', {}, 'Validation accuracy'), h('dd', {}, percent(m.valAccuracy)),
    h('dt', {}, 'Final training loss'), h('dd', {}, num(m.trainLoss)));
}

function provenance(model) {
  const p = model.provenance;
  if (!p) return h('p', {class: 'muted'}, 'Unknown.');
  let spec = p.spec;
  try {
    spec = JSON.stringify(JSON.parse(p.spec), null, 2);
  } catch {
    // shown as stored
  }
  return h('div', {},
    h('dl', {class: 'facts'},
      h('dt', {}, 'Dataset'),
      h('dd', {}, p.datasetId ? h('a', {href: `#/datasets/${p.datasetId}`}, shortId(p.datasetId)) : 'none (imported)'),
      h('dt', {}, 'Dataset SHA-256'), h('dd', {}, p.datasetSha256 ? h('code', {class: 'wrap'}, p.datasetSha256) : '–'),
      h('dt', {}, 'Seed'), h('dd', {}, String(p.seed)),
      h('dt', {}, 'Engine version'), h('dd', {}, p.engineVersion || '–'),
      h('dt', {}, 'Commit'), h('dd', {}, p.gitCommit ? h('code', {}, p.gitCommit) : '–'),
      h('dt', {}, 'Threads'), h('dd', {}, String(p.threads)),
      h('dt', {}, 'SIMD (Vector API)'), h('dd', {}, p.simd ? 'on' : 'off'),
      h('dt', {}, 'Parameters'), h('dd', {}, num(model.parameterCount, 0)),
      h('dt', {}, 'Size'), h('dd', {}, bytes(model.sizeBytes))),
    h('details', {},
      h('summary', {}, 'Job spec'),
      h('pre', {class: 'spec'}, spec)));
}

/** Everything of a layer's spec besides its type, as "units 16, rate 0.5". */
function details(spec) {
  return Object.entries(spec || {})
    .filter(([key]) => key !== 'type')
    .map(([key, value]) => `${key} ${typeof value === 'object' ? JSON.stringify(value) : value}`)
    .join(', ');
}

function architecture(model) {
  return h('table', {class: 'architecture'},
    h('caption', {class: 'sr-only'}, 'Layers with output shape and parameters'),
    h('thead', {}, h('tr', {},
      h('th', {scope: 'col', class: 'num'}, '#'),
      h('th', {scope: 'col'}, 'Layer'),
      h('th', {scope: 'col'}, 'Settings'),
      h('th', {scope: 'col'}, 'Output shape'),
      h('th', {scope: 'col', class: 'num'}, 'Parameters'))),
    h('tbody', {},
      h('tr', {},
        h('td', {class: 'num'}, ''), h('th', {scope: 'row'}, 'input'), h('td', {}, ''),
        h('td', {}, h('code', {}, shapeText(model.featureShape))), h('td', {class: 'num'}, '0')),
      model.architecture.map((layer) => h('tr', {},
        h('td', {class: 'num'}, layer.index),
        h('th', {scope: 'row'}, layer.type),
        h('td', {class: 'muted'}, details(layer.spec)),
        h('td', {}, h('code', {}, shapeText(layer.outputShape))),
        h('td', {class: 'num'}, num(layer.parameters, 0))))),
    h('tfoot', {}, h('tr', {},
      h('th', {scope: 'row', colspan: 4}, 'Total'),
      h('td', {class: 'num'}, num(model.parameterCount, 0)))));
}

function preprocessing(model) {
  const p = model.preprocessing;
  if (!p || !p.method || p.method === 'none') return h('p', {}, 'None: the model sees the raw values.');
  const stats = p.statistics || {};
  const order = ['mean', 'std', 'min', 'max'];
  const names = Object.keys(stats).sort((a, b) => (order.indexOf(a) + 1 || 9) - (order.indexOf(b) + 1 || 9));
  const intro = h('p', {},
    h('strong', {}, p.method), p.perChannel ? ', per channel' : ', per feature',
    `, fitted on the training split (${names.join(' and ')}).`);
  const image = imageShape(model.featureShape);
  const length = names.length ? stats[names[0]].length : 0;
  if (image && !p.perChannel && length === image.channels * image.height * image.width) {
    return h('div', {}, intro,
      h('div', {class: 'row pictures'}, names.map((name) => {
        const values = stats[name];
        const r = range(values);
        return h('figure', {class: 'statistic'},
          picture(values, image, r, `${name} of each pixel, ${image.height} by ${image.width}`, 'pixels large'),
          h('figcaption', {}, `${name} per pixel`),
          legend(r, name));
      })));
  }
  return h('div', {}, intro, statisticsTable(stats, names, p.perChannel ? 'Channel' : 'Feature'));
}

function statisticsTable(stats, names, what) {
  const length = names.length ? stats[names[0]].length : 0;
  return h('div', {class: 'scroll'}, h('table', {class: 'statistics'},
    h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, what), names.map((n) => h('th', {scope: 'col', class: 'num'}, n)))),
    h('tbody', {}, Array.from({length}, (_, i) => h('tr', {},
      h('th', {scope: 'row'}, i),
      names.map((n) => h('td', {class: 'num'}, num(stats[n][i]))))))));
}

/**
 * The confusion matrix as a heatmap table: rows the true class, columns the predicted one;
 * each cell's colour is its count over its row's total (so every class reads on the same
 * scale), the count is the text. Recall ends each row, precision closes each column.
 */
export function confusion(matrix, classes, examples = 'test examples') {
  if (!matrix || matrix.length === 0) {
    return h('p', {class: 'muted'}, 'No test set was given to the job, so there is no confusion matrix.');
  }
  const k = matrix.length;
  const rowTotals = matrix.map((row) => row.reduce((a, b) => a + b, 0));
  const colTotals = matrix[0].map((_, j) => matrix.reduce((a, row) => a + row[j], 0));
  const total = rowTotals.reduce((a, b) => a + b, 0);
  const correct = matrix.reduce((a, row, i) => a + row[i], 0);
  const name = (i) => classes?.[i] ?? String(i);
  const cell = (count, i, j) => {
    const share = rowTotals[i] ? count / rowTotals[i] : 0;
    const td = h('td', {class: `num cell${i === j ? ' diagonal' : ''}`,
      title: `true ${name(i)}, predicted ${name(j)}: ${count} (${percent(share, 1)} of the row)`,
      dataset: {share: share.toFixed(4)}}, count);
    td.style.backgroundColor = `rgba(0, 114, 178, ${(0.06 + 0.94 * share).toFixed(3)})`;
    if (share > 0.5) td.classList.add('dark');
    return td;
  };
  return h('div', {},
    h('p', {class: 'muted'}, `${num(total, 0)} ${examples}, ${percent(total ? correct / total : null)} correct. `
      + 'Rows are the true class, columns the predicted one; the shade is the share of the row.'),
    h('div', {class: 'scroll'}, h('table', {class: 'confusion'},
      h('caption', {class: 'sr-only'}, 'Confusion matrix: rows true class, columns predicted class'),
      h('thead', {},
        h('tr', {},
          h('td', {}),
          h('th', {scope: 'colgroup', colspan: k, class: 'axis'}, 'Predicted'),
          h('td', {})),
        h('tr', {},
          h('th', {scope: 'col'}, 'True \\ predicted'),
          Array.from({length: k}, (_, j) => h('th', {scope: 'col', class: 'num'}, name(j))),
          h('th', {scope: 'col', class: 'num'}, 'Recall'))),
      h('tbody', {}, matrix.map((row, i) => h('tr', {},
        h('th', {scope: 'row'}, name(i)),
        row.map((count, j) => cell(count, i, j)),
        h('td', {class: 'num recall'}, percent(rowTotals[i] ? row[i] / rowTotals[i] : null, 1))))),
      h('tfoot', {}, h('tr', {},
        h('th', {scope: 'row'}, 'Precision'),
        matrix[0].map((_, j) => h('td', {class: 'num precision'}, percent(colTotals[j] ? matrix[j][j] / colTotals[j] : null, 1))),
        h('td', {}))))));
}
