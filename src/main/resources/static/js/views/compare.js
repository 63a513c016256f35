// #/compare?jobs=ID,ID&models=ID,ID: several jobs or models side by side: their validation
// accuracy and loss (a job: the mean over its members; a model: its member's curve) overlaid,
// one colour per run, and a table of the spec fields that differ between them (specs
// flattened to JSON Pointers; a model's seed is its member's) under each run's best
// validation accuracy and test accuracy.

import {api} from '../api.js';
import {lineChart} from '../charts.js';
import {color, errorBox, h, num, percent, shortId, statusBadge} from '../dom.js';
import {dataTable, flattenPointers, maxOf, meanStd, WHOLE_STEPS} from '../series.js';

const MAX_POINTS = 2000;
const MAX_JOBS = 8;

/** Per epoch, the mean over members of one metric: {xs, ys}. */
function meanCurve(rows, field) {
  const byEpoch = new Map();
  for (const row of rows) {
    if (row[field] === null || row[field] === undefined) continue;
    if (!byEpoch.has(row.epoch)) byEpoch.set(row.epoch, []);
    byEpoch.get(row.epoch).push(row[field]);
  }
  const xs = [...byEpoch.keys()].sort((a, b) => a - b);
  return {xs, ys: xs.map((x) => meanStd(byEpoch.get(x))[0])};
}

/** Curves on the union of their epochs: [xs, ys1, ys2, ...] with nulls where one has none. */
function align(curves) {
  const xs = [...new Set(curves.flatMap((c) => c.xs))].sort((a, b) => a - b);
  const at = new Map(xs.map((x, i) => [x, i]));
  return [xs, ...curves.map((c) => {
    const ys = new Array(xs.length).fill(null);
    c.xs.forEach((x, i) => {
      ys[at.get(x)] = c.ys[i];
    });
    return ys;
  })];
}

function show(value) {
  if (value === undefined) return '(absent)';
  if (value === null) return 'null';
  return typeof value === 'number' ? num(value, 6) : String(value);
}

export async function render(root, route, ctx) {
  const chosen = (route.query.get('jobs') || '').split(',').filter(Boolean).slice(0, MAX_JOBS);
  const chosenModels = (route.query.get('models') || '').split(',').filter(Boolean).slice(0, MAX_JOBS);

  /** A model's run: its job's spec and its own member's metrics rows. */
  function loadModels(ids) {
    return Promise.all(ids.map(async (id) => {
      const model = await api.get(`/models/${encodeURIComponent(id)}`, undefined, {signal: ctx.signal});
      if (!model.jobId) throw new Error(`Model ${id.slice(0, 8)} was imported: it has no training curves to compare.`);
      const [job, rows] = await Promise.all([
        api.get(`/jobs/${encodeURIComponent(model.jobId)}`, undefined, {signal: ctx.signal}),
        api.get(`/jobs/${encodeURIComponent(model.jobId)}/metrics`, {maxPoints: MAX_POINTS}, {signal: ctx.signal}),
      ]);
      return {job, model, rows: rows.filter((r) => r.member === model.member)};
    }));
  }
  const list = await api.get('/jobs', {size: 100}, {signal: ctx.signal});
  if (ctx.signal.aborted) return;

  const picker = h('fieldset', {class: 'job-picker'}, h('legend', {}, `Jobs to compare (up to ${MAX_JOBS})`));
  const known = new Map(list.items.map((j) => [j.id, j]));
  const boxes = [];
  for (const job of list.items) {
    const box = h('input', {type: 'checkbox', id: `cmp-${job.id}`, value: job.id, checked: chosen.includes(job.id)});
    boxes.push(box);
    picker.append(h('span', {class: 'member-choice'}, box,
      h('label', {for: `cmp-${job.id}`}, `${job.name || 'job'} `, shortId(job.id), ' ', statusBadge(job.status))));
  }
  if (list.items.length === 0) picker.append(h('p', {class: 'muted'}, 'No jobs yet.'));
  const apply = h('button', {type: 'button'}, 'Compare');
  const result = h('div', {id: 'compare-result'});
  root.append(h('h1', {}, 'Compare runs'), h('details', {class: 'picker', open: chosen.length < 2}, h('summary', {}, 'Choose jobs'),
    picker, h('p', {}, apply)), result);
  apply.addEventListener('click', () => {
    const ids = boxes.filter((b) => b.checked).map((b) => b.value).slice(0, MAX_JOBS);
    ctx.setQuery({jobs: ids.length ? ids : null, models: chosenModels.length ? chosenModels : null});
    showJobs(ids);
  });

  let views = [];
  async function showJobs(ids) {
    for (const view of views) view.destroy();
    views = [];
    if (ids.length + chosenModels.length < 2) {
      result.replaceChildren(h('p', {class: 'muted'}, 'Choose at least two jobs (or models, from the models list).'));
      return;
    }
    result.replaceChildren(h('p', {class: 'loading'}, 'Loading…'));
    let loaded;
    try {
      const jobs = Promise.all(ids.map(async (id) => {
        const [job, rows] = await Promise.all([
          known.get(id) && known.get(id).status !== 'RUNNING' ? known.get(id) : api.get(`/jobs/${encodeURIComponent(id)}`, undefined, {signal: ctx.signal}),
          api.get(`/jobs/${encodeURIComponent(id)}/metrics`, {maxPoints: MAX_POINTS}, {signal: ctx.signal}),
        ]);
        return {job, rows};
      }));
      loaded = [...await jobs, ...await loadModels(chosenModels)];
    } catch (error) {
      if (!ctx.signal.aborted) result.replaceChildren(errorBox(error));
      return;
    }
    if (ctx.signal.aborted) return;
    result.replaceChildren();
    const label = ({job, model}, i) => (model
      ? `${i + 1}. model ${String(model.id).slice(0, 8)} (${job.name || 'job'}, member ${model.member + 1})`
      : `${i + 1}. ${job.name || 'job'} (${String(job.id).slice(0, 8)})`);
    const labels = loaded.map((run, i) => label(run, i));

    const charts = h('div', {class: 'grid charts'});
    result.append(h('h2', {}, 'Validation curves (mean over members)'), charts);
    for (const [field, title, yLabel] of [['valAccuracy', 'Validation accuracy', 'accuracy'], ['valLoss', 'Validation loss', 'loss']]) {
      const data = align(loaded.map(({rows}) => meanCurve(rows, field)));
      const cell = h('div', {class: 'chart-cell'});
      charts.append(cell);
      const view = lineChart(cell, {
        title, xLabel: 'epoch', xIncrs: WHOLE_STEPS, yLabel,
        series: loaded.map((_, i) => ({label: labels[i], color: color(i), width: 2})),
      }, data);
      views.push(view);
      const figure = view.plot.root.closest('figure');
      figure.dataset.chart = field;
      figure.dataset.series = String(loaded.length);
      figure.dataset.points = String(data.slice(1).reduce((n, ys) => n + ys.filter((v) => v !== null).length, 0));
      figure.after(dataTable(`Show table: ${title.toLowerCase()}`, ['epoch', ...labels],
        () => data[0].map((x, i) => [x, ...data.slice(1).map((ys) => ys[i])])));
    }

    // the spec fields that differ
    const flat = loaded.map(({job, model}) => flattenPointers(model ? {...job.spec, seed: model.seed} : job.spec || {}));
    const paths = [...new Set(flat.flatMap((f) => Object.keys(f)))].sort();
    const differing = paths.filter((p) => new Set(flat.map((f) => JSON.stringify(f[p]))).size > 1);
    const head = h('tr', {}, h('th', {scope: 'col'}, 'Field'),
      loaded.map(({job, model}, i) => h('th', {scope: 'col'}, h('span', {class: `swatch swatch-${i % 8}`, 'aria-hidden': 'true'}),
        h('a', {href: model ? `#/models/${encodeURIComponent(model.id)}` : `#/jobs/${encodeURIComponent(job.id)}`}, labels[i]))));
    const body = h('tbody');
    const metricRow = (name, values) => h('tr', {class: 'metric'}, h('th', {scope: 'row'}, name),
      values.map((v) => h('td', {class: 'num'}, v)));
    body.append(
      metricRow('Best validation accuracy', loaded.map(({job, model, rows}) =>
        percent(model ? maxOf(rows.map((r) => r.valAccuracy)) : job.summary?.bestValAccuracy ?? maxOf(rows.map((r) => r.valAccuracy))))),
      metricRow('Test accuracy', loaded.map(({job, model}) => percent(model ? model.metrics?.testAccuracy ?? null : job.summary?.testAccuracy ?? null))),
      metricRow('Status', loaded.map(({job}) => statusBadge(job.status))));
    for (const path of differing) {
      body.append(h('tr', {dataset: {pointer: path}}, h('th', {scope: 'row'}, h('code', {}, path)),
        flat.map((f) => h('td', {}, show(f[path])))));
    }
    result.append(h('h2', {}, 'What differs'),
      h('p', {class: 'hint'}, differing.length
        ? `${differing.length} of ${paths.length} spec fields differ (JSON Pointers into each job's spec with its defaults filled in).`
        : 'The specs are the same in every field.'),
      h('div', {class: 'table-scroll'}, h('table', {class: 'compare-table'}, h('thead', {}, head), body)));
  }
  ctx.signal.addEventListener('abort', () => views.forEach((v) => v.destroy()));

  await showJobs(chosen);
}
