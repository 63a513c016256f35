// #/jobs/ID: a job's header (status, spec, links, cancel, error) and its live curves: loss,
// accuracy and learning rate per member against epoch, with the mean ± std band over the
// selected members when there are several, and an optional debiased EMA drawn over the raw
// values. The metrics are read once, then the event stream adds each epoch as it lands:
// the data change in place and one redraw per animation frame applies them, keeping the
// zoom. URL state: members=0,2  x=MIN..MAX (zoom)  log=1  smooth=0.6.
//
// For the browser tests: each figure carries data-points (values drawn, raw series only);
// the <section> carries data-update-ms / data-update-max-ms / data-updates (main-thread
// time of the last live update: handler plus redraw) and every cost in its updateCosts
// property; each figure its x range in data-x-range; performance.mark('job:interactive')
// is set when the first charts are drawn.

import {api} from '../api.js';
import {lineChart} from '../charts.js';
import {color, dateTime, duration, errorBox, fill, h, num, percent, shortId, statusBadge} from '../dom.js';
import {dataTable, debiasedEma, forLogAxis, maxOf, meanStd, WHOLE_STEPS} from '../series.js';
import {progressFraction, progressText} from './runs.js';

const MAX_POINTS = 2000;

const GROUPS = [
  {key: 'loss', title: 'Loss', yLabel: 'cross-entropy', fields: [['trainLoss', 'train'], ['valLoss', 'val']], logByDefault: false},
  {key: 'accuracy', title: 'Accuracy', yLabel: 'accuracy', fields: [['trainAccuracy', 'train'], ['valAccuracy', 'val']]},
  {key: 'lr', title: 'Learning rate', yLabel: 'learning rate', fields: [['learningRate', 'lr']], noBand: true},
];

/** #RRGGBB with an alpha byte. */
function faded(hex, alpha) {
  return hex + Math.round(alpha * 255).toString(16).padStart(2, '0');
}

export function specSummary(spec) {
  if (!spec) return [];
  const layers = (spec.model?.layers || []).map((l) => [l.type, l.units ?? l.filters ?? l.rate ?? ''].join(' ').trim());
  const t = spec.training || {};
  const o = t.optimizer || {};
  return [
    ['Dataset', spec.datasetId ? h('a', {href: `#/datasets/${encodeURIComponent(spec.datasetId)}`}, shortId(spec.datasetId)) : '–'],
    ['Model', layers.join(' → ') || '–'],
    ['Initialization', spec.model?.init?.method || '–'],
    ['Optimizer', `${o.type || '?'}, learning rate ${num(o.learningRate, 6)}${o.momentum ? `, momentum ${o.momentum}` : ''}`
      + `${o.weightDecay ? `, weight decay ${o.weightDecay}` : ''}`],
    ['Schedule', t.schedule?.type || 'constant'],
    ['Epochs × batch', `${t.epochs} × ${t.batchSize}`],
    ['Members', String(spec.ensemble?.members ?? 1)],
    ['Validation', `${percent(spec.validationFraction, 0)} of the data`],
    ['Seed', String(spec.seed ?? 0)],
  ];
}

function parseMembers(text, count) {
  if (text === null) return new Set(Array.from({length: count}, (_, i) => i));
  const set = new Set();
  for (const part of text.split(',')) {
    const m = Number.parseInt(part, 10);
    if (Number.isInteger(m) && m >= 0 && m < count) set.add(m);
  }
  return set;
}

function parseZoom(text) {
  const match = /^(-?[\d.]+)\.\.(-?[\d.]+)$/.exec(text || '');
  if (!match) return null;
  const min = Number(match[1]);
  const max = Number(match[2]);
  return Number.isFinite(min) && Number.isFinite(max) && min < max ? {min, max} : null;
}

/**
 * The metrics as columns over epoch: xs (sorted epochs), and per field one array per member
 * aligned with xs (null where a member has no value yet). put() adds or replaces a row and
 * says whether anything changed.
 */
class MetricStore {
  constructor(members, fields) {
    this.members = members;
    this.fields = fields;
    this.xs = [];
    this.index = new Map();
    this.values = Object.fromEntries(fields.map((f) => [f, Array.from({length: members}, () => [])]));
    this.count = 0;
  }

  put(row) {
    const m = row.member;
    if (!(m >= 0 && m < this.members)) return false;
    let i = this.index.get(row.epoch);
    if (i === undefined) {
      if (this.xs.length === 0 || row.epoch > this.xs[this.xs.length - 1]) {
        i = this.xs.length;
        this.xs.push(row.epoch);
        for (const f of this.fields) for (const column of this.values[f]) column.push(null);
      } else {
        i = this.xs.findIndex((x) => x > row.epoch);
        this.xs.splice(i, 0, row.epoch);
        for (const f of this.fields) for (const column of this.values[f]) column.splice(i, 0, null);
        for (let j = i; j < this.xs.length; j++) this.index.set(this.xs[j], j);
      }
      this.index.set(row.epoch, i);
    }
    let changed = false;
    for (const f of this.fields) {
      const v = row[f] ?? null;
      const column = this.values[f][m];
      if (column[i] !== v) {
        if (column[i] === null && f === this.fields[0]) this.count++;
        column[i] = v;
        changed = true;
      }
    }
    return changed;
  }
}

export async function render(root, route, ctx) {
  const id = route.params.id;
  const [job, metricsResponse] = await Promise.all([
    api.get(`/jobs/${encodeURIComponent(id)}`, undefined, {signal: ctx.signal}),
    api.fetch(`/jobs/${encodeURIComponent(id)}/metrics`, {maxPoints: MAX_POINTS}, {signal: ctx.signal}),
  ]);
  const rows = await metricsResponse.json();
  const downsampled = metricsResponse.headers.get('X-Downsampled') === 'true';
  if (ctx.signal.aborted) return;

  const members = Math.max(1, job.progress?.members ?? job.spec?.ensemble?.members ?? 1,
    ...rows.map((r) => r.member + 1));
  const fields = GROUPS.flatMap((g) => g.fields.map((f) => f[0]));
  const store = new MetricStore(members, fields);
  for (const row of rows) store.put(row);

  const state = {
    members: parseMembers(route.query.get('members'), members),
    zoom: parseZoom(route.query.get('x')),
    log: route.query.get('log') === '1',
    smooth: Math.min(0.99, Math.max(0, Number(route.query.get('smooth')) || 0)),
  };

  const section = h('section', {class: 'job-view', 'aria-labelledby': 'job-title'});
  section.updateCosts = [];
  root.append(section);

  // header
  let current = job;
  const title = h('h1', {id: 'job-title'});
  const headerStatus = h('div', {class: 'row job-status'});
  const facts = h('dl', {class: 'facts compact'});
  const links = h('p', {class: 'row job-links'});
  const problem = h('div');
  const cancel = h('button', {type: 'button', class: 'secondary'}, 'Cancel job');
  cancel.addEventListener('click', async () => {
    cancel.disabled = true;
    try {
      showJob(await api.post(`/jobs/${encodeURIComponent(id)}/cancel`));
    } catch (error) {
      problem.replaceChildren(errorBox(error));
      cancel.disabled = false;
    }
  });
  const bestVal = h('dd', {id: 'best-val'});
  const testAcc = h('dd', {id: 'test-acc'});
  const figures = h('dl', {class: 'facts headline'}, h('dt', {}, 'Best validation accuracy'), bestVal,
    h('dt', {}, 'Test accuracy'), testAcc);
  section.append(title, headerStatus, problem, h('div', {class: 'job-head'}, facts, figures), links);

  // parts of the header are updated in place, so that focus (on the cancel button, a link)
  // survives the refreshes while the job trains
  const badgeBox = h('span');
  const progress = h('progress', {max: 1, value: 0, 'aria-label': 'Progress'});
  const progressNote = h('span', {class: 'muted'});
  headerStatus.append(badgeBox, progress, progressNote, cancel);
  const durationText = h('dd');
  fill(facts, ...[['Job', shortId(job.id)], ...specSummary(job.spec), ['Created', dateTime(job.createdAt)]]
    .flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]), h('dt', {}, 'Duration'), durationText);
  let linksKey = null;
  let shownStatus = null;

  function showJob(next) {
    current = next;
    title.textContent = next.name || next.id;
    const active = next.status === 'QUEUED' || next.status === 'RUNNING';
    if (shownStatus !== next.status) {
      shownStatus = next.status;
      fill(badgeBox, statusBadge(next.status));
    }
    progress.hidden = !active;
    progress.value = progressFraction(next);
    progressNote.textContent = active ? progressText(next) : '';
    cancel.hidden = !active;
    const started = next.startedAt ? Date.parse(next.startedAt) : null;
    const seconds = next.summary?.durationSeconds
      ?? (started ? ((next.finishedAt ? Date.parse(next.finishedAt) : Date.now()) - started) / 1000 : null);
    durationText.textContent = duration(seconds);
    const key = JSON.stringify([next.modelIds, next.ensembleId]);
    if (key !== linksKey) {
      linksKey = key;
      fill(links,
        h('a', {href: `#/jobs/${encodeURIComponent(id)}/diagnostics`}, 'Diagnostics'),
        (next.modelIds || []).map((m, i) => h('a', {href: `#/models/${encodeURIComponent(m)}`},
          members > 1 ? `Model of member ${i + 1}` : 'Model')),
        next.ensembleId ? h('a', {href: `#/ensembles/${encodeURIComponent(next.ensembleId)}`}, 'Ensemble') : null,
        h('a', {href: `#/compare?jobs=${encodeURIComponent(id)}`}, 'Compare with…'));
    }
    if (next.error) {
      problem.replaceChildren(h('div', {class: 'error', role: 'alert'},
        h('strong', {}, `Failed (${next.error.type}): `), next.error.message));
    }
    showFigures();
  }

  function showFigures() {
    const best = current.summary?.bestValAccuracy ?? maxOf(store.values.valAccuracy.flat());
    bestVal.textContent = percent(best);
    testAcc.textContent = percent(current.summary?.testAccuracy ?? null);
  }

  // controls
  const memberBoxes = h('fieldset', {class: 'members'}, h('legend', {}, 'Members'));
  for (let m = 0; m < members; m++) {
    const box = h('input', {type: 'checkbox', id: `member-${m}`, checked: state.members.has(m), dataset: {member: m}});
    box.addEventListener('change', () => {
      if (box.checked) state.members.add(m);
      else state.members.delete(m);
      ctx.setQuery({members: state.members.size === members ? null : [...state.members].sort((a, b) => a - b)});
      build();
    });
    memberBoxes.append(h('span', {class: 'member-choice'}, box,
      h('label', {for: `member-${m}`}, h('span', {class: `swatch swatch-${m % 8}`, 'aria-hidden': 'true'}), `Member ${m + 1}`)));
  }
  const logBox = h('input', {type: 'checkbox', id: 'log-scale', checked: state.log});
  logBox.addEventListener('change', () => {
    state.log = logBox.checked;
    ctx.setQuery({log: state.log ? 1 : null});
    build();
  });
  const smoothInput = h('input', {type: 'range', id: 'smoothing', min: 0, max: 0.99, step: 0.01, value: String(state.smooth),
    'aria-describedby': 'smoothing-help'});
  const smoothOut = h('output', {for: 'smoothing'}, state.smooth.toFixed(2));
  smoothInput.addEventListener('input', () => {
    smoothOut.textContent = Number(smoothInput.value).toFixed(2);
  });
  smoothInput.addEventListener('change', () => {
    state.smooth = Number(smoothInput.value);
    ctx.setQuery({smooth: state.smooth > 0 ? state.smooth : null});
    build();
  });
  const resetZoom = h('button', {type: 'button', class: 'secondary', disabled: !state.zoom}, 'Reset zoom');
  resetZoom.addEventListener('click', () => setZoom(null, null));
  // the zoom by keyboard: the same x range as dragging across a chart
  const zoomFrom = h('input', {type: 'number', id: 'zoom-from', class: 'narrow', min: 0, step: 1});
  const zoomTo = h('input', {type: 'number', id: 'zoom-to', class: 'narrow', min: 0, step: 1});
  const zoomChanged = () => {
    const xs = store.xs;
    if (zoomFrom.value === '' && zoomTo.value === '') {
      setZoom(null, null);
      return;
    }
    const min = zoomFrom.value === '' ? xs[0] : Number(zoomFrom.value);
    const max = zoomTo.value === '' ? xs[xs.length - 1] : Number(zoomTo.value);
    if (Number.isFinite(min) && Number.isFinite(max) && min < max) setZoom({min, max}, null);
  };
  zoomFrom.addEventListener('change', zoomChanged);
  zoomTo.addEventListener('change', zoomChanged);
  function showZoomInputs() {
    zoomFrom.value = state.zoom ? String(+state.zoom.min.toFixed(2)) : '';
    zoomTo.value = state.zoom ? String(+state.zoom.max.toFixed(2)) : '';
  }
  showZoomInputs();
  section.append(h('h2', {}, 'Curves'),
    h('div', {class: 'row curve-controls'}, memberBoxes,
      h('span', {class: 'control'}, logBox, h('label', {for: 'log-scale'}, 'Log scale (loss, learning rate)')),
      h('span', {class: 'control'}, h('label', {for: 'smoothing'}, 'Smoothing'), smoothInput, smoothOut),
      h('span', {class: 'control'}, h('label', {for: 'zoom-from'}, 'Epochs from'), zoomFrom,
        h('label', {for: 'zoom-to'}, 'to'), zoomTo, resetZoom)),
    h('p', {class: 'hint', id: 'smoothing-help'},
      'Thin lines are each member\'s raw values (val dashed); with several members the black line is their mean and the '
        + 'shaded band ± one standard deviation. Smoothing draws a debiased exponential moving average over the raw '
        + 'values. Drag across a chart to zoom (or type the epochs); double-click to zoom out.'),
    downsampled ? h('p', {class: 'hint'}, `The server thinned these long series to about ${MAX_POINTS} points each, keeping minima and maxima.`) : '');
  const chartsBox = h('div', {class: 'grid charts'});
  section.append(chartsBox);

  // charts
  let charts = [];
  let programmatic = 0;
  const stats = {updates: 0, max: 0};

  function seriesFor(group) {
    const shown = [...state.members].sort((a, b) => a - b);
    const series = [];
    const columns = [];
    const bands = [];
    const rawAlpha = state.smooth > 0 ? 0.35 : 1;
    // with several members the legend shows the means; the member checkboxes are the key to the colours
    const keyed = !group.noBand && shown.length > 1;
    for (let m = 0; m < members; m++) {
      for (const [field, name] of group.fields) {
        const c = color(m);
        series.push({label: `${name} m${m + 1}`, color: faded(c, rawAlpha), dash: name === 'val' ? [6, 4] : undefined,
          width: 1.25, show: state.members.has(m), raw: true, class: keyed ? 'legend-hidden' : undefined});
        columns.push(() => store.values[field][m]);
        if (state.smooth > 0) {
          series.push({label: `${name} m${m + 1} (EMA)`, color: c, dash: name === 'val' ? [6, 4] : undefined, width: 2,
            show: state.members.has(m), class: keyed ? 'legend-hidden' : undefined});
          columns.push(() => debiasedEma(store.values[field][m], state.smooth));
        }
      }
    }
    if (!group.noBand && shown.length > 1) {
      for (const [field, name] of group.fields) {
        const stat = () => store.xs.map((_, i) => meanStd(shown.map((m) => store.values[field][m][i])));
        let cached = null;
        const get = (k) => () => {
          if (k === 0) cached = stat();
          return cached.map(([mean, std]) => (mean === null ? null : [mean, mean + std, mean - std][k]));
        };
        const base = series.length + 1;
        const ink = name === 'val' ? '#555555' : '#000000';
        series.push({label: `${name} mean`, color: ink, width: 2.25, dash: name === 'val' ? [6, 4] : undefined});
        series.push({label: `${name} mean + std`, color: faded(ink, 0.25), width: 0.75, class: 'legend-hidden'});
        series.push({label: `${name} mean − std`, color: faded(ink, 0.25), width: 0.75, class: 'legend-hidden'});
        columns.push(get(0), get(1), get(2));
        bands.push({series: [base + 1, base + 2], fill: name === 'val' ? 'rgba(230, 159, 0, 0.18)' : 'rgba(0, 114, 178, 0.15)'});
      }
    }
    return {series, columns, bands};
  }

  function columnsOf(chart) {
    const log = state.log && chart.group.key !== 'accuracy';
    return [store.xs, ...chart.columns.map((f) => (log ? forLogAxis(f()) : f()))];
  }

  function drawnPoints(chart) {
    let n = 0;
    chart.series.forEach((s, i) => {
      if (!s.raw) return;
      for (const v of chart.data[i + 1]) if (v !== null && v !== undefined) n++;
    });
    return n;
  }

  function setZoom(zoom, source) {
    state.zoom = zoom;
    resetZoom.disabled = !zoom;
    showZoomInputs();
    ctx.setQuery({x: zoom ? `${+zoom.min.toFixed(3)}..${+zoom.max.toFixed(3)}` : null});
    for (const chart of charts) {
      if (chart === source) continue;
      programmatic++;
      if (zoom) chart.view.plot.setScale('x', zoom);
      else chart.view.setData(chart.data, false);
      queueMicrotask(() => programmatic--);
    }
  }

  function build() {
    for (const chart of charts) chart.view.destroy();
    chartsBox.replaceChildren();
    charts = [];
    for (const group of GROUPS) {
      const {series, columns, bands} = seriesFor(group);
      const chart = {group, series, columns};
      const data = columnsOf(chart);
      chart.data = data;
      programmatic++;
      const cell = h('div', {class: 'chart-cell'});
      chartsBox.append(cell);
      chart.view = lineChart(cell, {
        title: group.title,
        xLabel: 'epoch', xIncrs: WHOLE_STEPS,
        yLabel: group.yLabel,
        log: state.log && group.key !== 'accuracy',
        series,
        bands,
        legend: true,
        hooks: {
          setScale: [(u, key) => {
            if (key !== 'x' || programmatic > 0) return;
            const {min, max} = u.scales.x;
            const xs = store.xs;
            const full = xs.length === 0 || (min <= xs[0] && max >= xs[xs.length - 1]);
            setZoom(full ? null : {min, max}, chart);
          }],
          draw: [(u) => {
            if (u.scales.x.min === null || u.scales.x.min === undefined) return;
            u.root.closest('figure').dataset.xRange = `${+u.scales.x.min.toFixed(3)}..${+u.scales.x.max.toFixed(3)}`;
          }],
        },
      }, data);
      queueMicrotask(() => programmatic--);
      const figure = chart.view.plot.root.closest('figure');
      figure.dataset.chart = group.key;
      chart.figure = figure;
      if (state.zoom) {
        programmatic++;
        chart.view.plot.setScale('x', state.zoom);
        queueMicrotask(() => programmatic--);
      }
      const raw = series.map((s, i) => [s, i]).filter(([s]) => s.raw);
      chart.table = dataTable(`Show table: ${group.title.toLowerCase()}`, ['epoch', ...raw.map(([s]) => s.label)],
        () => {
          const columns = raw.map(([, i]) => chart.columns[i]());
          return store.xs.map((x, row) => [x, ...columns.map((column) => column[row])]);
        });
      figure.after(chart.table);
      figure.dataset.points = String(drawnPoints(chart));
      charts.push(chart);
    }
  }

  // live updates: data change at once, one redraw per frame
  let frame = 0;
  let pendingHandlerMs = 0;
  let lastJobFetch = Date.now();

  function redraw() {
    frame = 0;
    const start = performance.now();
    for (const chart of charts) {
      chart.data = columnsOf(chart);
      programmatic++;
      chart.view.setData(chart.data, !!state.zoom);
      queueMicrotask(() => programmatic--);
      chart.figure.dataset.points = String(drawnPoints(chart));
      chart.table.refresh();
    }
    showFigures();
    if (Date.now() - lastJobFetch > 2000) {
      lastJobFetch = Date.now();
      api.get(`/jobs/${encodeURIComponent(id)}`, undefined, {signal: ctx.signal}).then(showJob, () => {});
    }
    // uPlot draws in a microtask queued by setData; this one runs after it
    queueMicrotask(() => {
      const ms = pendingHandlerMs + performance.now() - start;
      pendingHandlerMs = 0;
      stats.updates++;
      stats.max = Math.max(stats.max, ms);
      section.updateCosts.push(ms);
      section.dataset.updateMs = ms.toFixed(3);
      section.dataset.updateMaxMs = stats.max.toFixed(3);
      section.dataset.updates = String(stats.updates);
    });
  }

  function onEvent(event) {
    const start = performance.now();
    if (event.type === 'epoch' && event.data && typeof event.data === 'object') {
      if (store.put(event.data)) {
        if (!frame) frame = requestAnimationFrame(redraw);
      }
    } else if (event.type === 'completed' && event.data?.id) {
      showJob(event.data);
    } else if (event.type === 'status') {
      api.get(`/jobs/${encodeURIComponent(id)}`, undefined, {signal: ctx.signal}).then(showJob, () => {});
    }
    pendingHandlerMs += performance.now() - start;
  }
  ctx.signal.addEventListener('abort', () => {
    cancelAnimationFrame(frame);
    for (const chart of charts) chart.view.destroy();
  });

  showJob(job);
  build();
  // the charts are drawn by uPlot's first commit, a microtask after build()
  await Promise.resolve();
  performance.mark('job:interactive');
  section.dataset.interactive = 'true';

  if (job.status === 'QUEUED' || job.status === 'RUNNING') {
    api.stream(`/jobs/${encodeURIComponent(id)}/events`, onEvent, ctx.signal).catch((error) => {
      if (!ctx.signal.aborted) problem.replaceChildren(errorBox(error));
    });
  }
}
