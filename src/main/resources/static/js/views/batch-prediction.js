// #/batch-predictions/ID: a batch prediction's status and progress (kept up to date while it is
// queued or running), its throughput, the accuracy and confusion matrix when the dataset's labels
// are the model's classes, downloads of the results (CSV, JSON Lines) and cancel.

import {api} from '../api.js';
import {dateTime, duration, errorBox, fill, h, num, percent, shortId, statusBadge} from '../dom.js';
import {problemBox} from '../problem.js';
import {batchFraction, batchProgressText, isActive} from './batch-predictions.js';
import {confusion} from './model.js';

const POLL_MS = 1000;

export async function render(root, route, ctx) {
  const id = route.params.id;
  const path = `/batch-predictions/${encodeURIComponent(id)}`;
  const first = await api.get(path, null, {signal: ctx.signal});

  const badgeBox = h('span');
  const progress = h('progress', {max: 1, value: 0, 'aria-label': 'Progress'});
  const progressNote = h('span', {class: 'muted', id: 'batch-progress'});
  const status = h('div', {class: 'feedback', 'aria-live': 'polite'});
  const cancel = h('button', {type: 'button', class: 'secondary'}, 'Cancel batch prediction');
  cancel.addEventListener('click', async () => {
    cancel.disabled = true;
    try {
      show(await api.post(`${path}/cancel`));
    } catch (error) {
      status.replaceChildren(problemBox(error));
    } finally {
      cancel.disabled = false;
    }
  });
  const download = (format, label) => h('button', {type: 'button', class: 'secondary', onclick: async (event) => {
    const button = event.currentTarget;
    button.disabled = true;
    status.replaceChildren();
    try {
      await api.download(`${path}/results`, {format}, `batch-prediction-${id}.${format}`);
    } catch (error) {
      status.replaceChildren(errorBox(error));
    } finally {
      button.disabled = false;
    }
  }}, label);
  const downloads = h('div', {class: 'row actions'}, download('csv', 'Download CSV'),
    download('jsonl', 'Download JSON Lines'));
  const facts = h('dl', {class: 'facts compact', id: 'batch-facts'});
  const accuracy = h('dd', {dataset: {metric: 'accuracy'}});
  const rate = h('dd', {dataset: {metric: 'rowsPerSecond'}});
  const headline = h('dl', {class: 'facts headline'}, h('dt', {}, 'Accuracy'), accuracy, h('dt', {}, 'Rows per second'),
    rate);
  const matrix = h('div');

  const view = h('section', {class: 'batch-prediction', 'aria-labelledby': 'batch-prediction-title'},
    h('h1', {id: 'batch-prediction-title'}, 'Batch prediction ', shortId(first.id)),
    h('div', {class: 'row job-status'}, badgeBox, progress, progressNote, cancel),
    status,
    h('div', {class: 'job-head'}, facts, headline),
    downloads,
    h('section', {class: 'card', 'aria-labelledby': 'confusion-title'},
      h('h2', {id: 'confusion-title'}, 'Confusion matrix'), matrix));
  root.append(view);

  let shown = null;
  function show(batch) {
    const active = isActive(batch);
    fill(badgeBox, statusBadge(batch.status));
    progress.hidden = !active;
    progress.value = batchFraction(batch);
    progressNote.textContent = batchProgressText(batch);
    cancel.hidden = !active;
    downloads.hidden = batch.status !== 'SUCCEEDED';
    accuracy.textContent = percent(batch.accuracy);
    rate.textContent = num(batch.rowsPerSecond, 0);
    fill(facts,
      ...[
        ['Model', h('a', {href: `#/models/${encodeURIComponent(batch.modelId)}`}, shortId(batch.modelId))],
        ['Dataset', h('a', {href: `#/datasets/${encodeURIComponent(batch.datasetId)}`}, batch.datasetName || batch.datasetId)],
        ['Rows', batchProgressText(batch)],
        ['Classes', batch.classes.join(', ')],
        ['Duration', duration(batch.durationSeconds)],
        ['Created', dateTime(batch.createdAt)],
        ['Finished', dateTime(batch.finishedAt)],
        ...(batch.error ? [['Error', `${batch.error.type}: ${batch.error.message}`]] : []),
      ].flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
    const key = JSON.stringify([batch.labelled, batch.confusionMatrix]);
    if (key !== shown) {
      shown = key;
      fill(matrix, batch.labelled
        ? confusion(batch.confusionMatrix, batch.classes, 'rows scored')
        : h('p', {class: 'muted'}, 'The dataset\'s labels are not all classes of the model, so there is no '
          + 'accuracy or confusion matrix; the results hold the predictions alone.'));
    }
    view.dataset.status = batch.status;
  }

  let timer = null;
  async function poll() {
    try {
      const batch = await api.get(path, null, {signal: ctx.signal});
      if (ctx.signal.aborted) return;
      show(batch);
      if (isActive(batch)) timer = setTimeout(poll, POLL_MS);
    } catch (error) {
      if (ctx.signal.aborted) return;
      status.replaceChildren(errorBox(error));
      timer = setTimeout(poll, POLL_MS * 5);
    }
  }
  ctx.signal.addEventListener('abort', () => clearTimeout(timer));

  show(first);
  if (isActive(first)) timer = setTimeout(poll, POLL_MS);
}
