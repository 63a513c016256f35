// #/jobs/ID/diagnostics: the lecture's pictures for one member of a job, measured each epoch
// on a fixed probe batch. Per layer over epochs, the activation distribution as percentile
// bands (TensorBoard's distributions); the histogram of one epoch per layer (Glorot and
// Bengio's activation figures); gradient norms and update/weight ratios per parameter
// (log scale, with the ~1e-3 guide); dead-ReLU and saturation fractions; the warnings with
// what they mean. URL state: member=M  epoch=E.

import {api} from '../api.js';
import {lineChart, uPlot} from '../charts.js';
import {color, errorBox, h, statusBadge} from '../dom.js';
import {dataTable, forLogAxis, histogramQuantile, WHOLE_STEPS} from '../series.js';

const MAX_POINTS = 2000;
const QUANTILES = [0.02, 0.16, 0.5, 0.84, 0.98];
const GUIDE = 1e-3;

/** What each kind of warning means and what it asks for, in one sentence. */
export const WARNING_KINDS = [
  {kind: 'saturated', test: /saturated/,
    title: 'Saturated units',
    meaning: 'Most outputs of this tanh or sigmoid layer sit on the flat ends of the curve, where the gradient is almost '
      + 'zero, so the layers below it stop learning: scale the initial weights to the fan-in and fan-out (Xavier) or '
      + 'normalize the layer\'s input (batch norm).'},
  {kind: 'dead', test: /ReLUs are dead/,
    title: 'Dead ReLUs',
    meaning: 'These units output zero for every probe example, so no gradient reaches their weights and they never '
      + 'recover; usually a too-large step pushed them negative: lower the learning rate, use He initialization, or let '
      + 'a little gradient through with leaky_relu.'},
  {kind: 'exploding', test: /exploding/,
    title: 'Exploding gradients',
    meaning: 'The gradient grew so large that one step throws the weights far away and the loss diverges: lower the '
      + 'learning rate, normalize activations with batch norm, or hold the weights small with weight decay.'},
  {kind: 'vanishing', test: /vanishing/,
    title: 'Vanishing gradients',
    meaning: 'The gradient reaching these weights is so small that they hardly change, typically below saturating '
      + 'activations: prefer ReLU, initialize with He or Xavier scaling, or add batch norm.'},
  {kind: 'update', test: /updates of/,
    title: 'Large updates',
    meaning: 'Each step changes these weights by far more than the roughly 1e-3 of their size that trains steadily, so '
      + 'training jumps around instead of descending: lower the learning rate.'},
];

function kindOf(warning) {
  return WARNING_KINDS.find((k) => k.test.test(warning)) || {kind: 'other', title: 'Other', meaning:
    'A condition the server flagged in this epoch\'s statistics; its message says what to try.'};
}


export async function render(root, route, ctx) {
  const id = route.params.id;
  const [job, response] = await Promise.all([
    api.get(`/jobs/${encodeURIComponent(id)}`, undefined, {signal: ctx.signal}),
    api.fetch(`/jobs/${encodeURIComponent(id)}/diagnostics`, {maxPoints: MAX_POINTS}, {signal: ctx.signal}),
  ]);
  let all = await response.json();
  const downsampled = response.headers.get('X-Downsampled') === 'true';
  if (ctx.signal.aborted) return;

  const memberIds = [...new Set(all.map((r) => r.member))].sort((a, b) => a - b);
  const section = h('section', {class: 'diagnostics-view', 'aria-labelledby': 'diag-title'});
  root.append(section);
  section.append(
    h('h1', {id: 'diag-title'}, `Diagnostics: ${job.name || job.id}`),
    h('p', {class: 'row'}, statusBadge(job.status), h('a', {href: `#/jobs/${encodeURIComponent(id)}`}, 'Back to the job\'s curves')),
    h('p', {class: 'hint'}, 'Measured after each epoch on one fixed probe batch in test mode: statistics of every layer\'s '
      + 'outputs, and the gradient and update of each parameter tensor in the epoch\'s last step.'),
    downsampled ? h('p', {class: 'hint'}, 'The server thinned these long series; some epochs are left out.') : '');
  const active = job.status === 'QUEUED' || job.status === 'RUNNING';
  if (all.length === 0) {
    section.append(h('p', {class: 'muted', id: 'diag-empty'},
      active ? 'No epoch has finished yet; the pictures appear when one has.' : 'This job recorded no diagnostics.'));
    if (active) {
      // the first epoch's diagnostics start the page over
      let started = false;
      api.stream(`/jobs/${encodeURIComponent(id)}/events`, (event) => {
        if (event.type !== 'epoch' && event.type !== 'completed') return;
        if (started) return;
        started = true;
        root.replaceChildren();
        render(root, route, ctx).catch((error) => {
          if (!ctx.signal.aborted) root.append(errorBox(error));
        });
      }, ctx.signal).catch(() => {});
    }
    return;
  }

  const state = {
    member: memberIds.includes(Number(route.query.get('member'))) ? Number(route.query.get('member')) : memberIds[0],
    epoch: Number(route.query.get('epoch')) || null,
  };

  const memberSelect = h('select', {id: 'diag-member'},
    memberIds.map((m) => h('option', {value: String(m)}, `Member ${m + 1}`)));
  memberSelect.value = String(state.member);
  const epochInput = h('input', {type: 'range', id: 'diag-epoch', min: 1, max: 1, step: 1});
  const epochOut = h('output', {for: 'diag-epoch'});
  const body = h('div');
  section.append(h('div', {class: 'row curve-controls'},
    h('span', {class: 'control'}, h('label', {for: 'diag-member'}, 'Member'), memberSelect),
    h('span', {class: 'control'}, h('label', {for: 'diag-epoch'}, 'Histogram epoch'), epochInput, epochOut)), body);

  let views = [];
  let histograms = [];
  ctx.signal.addEventListener('abort', () => views.forEach((v) => v.destroy()));
  let rows = [];

  memberSelect.addEventListener('change', () => {
    state.member = Number(memberSelect.value);
    state.epoch = null;
    ctx.setQuery({member: state.member, epoch: null});
    build();
  });
  epochInput.addEventListener('input', () => {
    state.epoch = Number(epochInput.value);
    epochOut.textContent = String(state.epoch);
    showEpoch();
  });
  epochInput.addEventListener('change', () => ctx.setQuery({epoch: state.epoch}));

  function chartIn(box, options, data, table) {
    const cell = h('div', {class: 'chart-cell'});
    box.append(cell);
    const view = lineChart(cell, {height: 200, ...options}, data);
    views.push(view);
    const figure = view.plot.root.closest('figure');
    figure.dataset.points = String(data[0].length);
    if (table) figure.after(table);
    return view;
  }

  function build() {
    for (const view of views) view.destroy();
    views = [];
    histograms = [];
    body.replaceChildren();
    rows = all.filter((r) => r.member === state.member);
    const epochs = rows.map((r) => r.epoch);
    const last = epochs[epochs.length - 1];
    if (!epochs.includes(state.epoch)) state.epoch = last;
    epochInput.min = String(epochs[0]);
    epochInput.max = String(last);
    epochInput.value = String(state.epoch);
    epochOut.textContent = String(state.epoch);

    warningsSection(rows);

    const layers = (rows[0].activations || []).map((a) => ({layer: a.layer, kind: a.kind}));
    const layerName = (l) => `Layer ${l.layer} (${l.kind})`;
    const activation = (row, layer) => row.activations.find((a) => a.layer === layer);

    // distributions over epochs
    const distBox = h('div', {class: 'grid small-multiples', id: 'diag-distributions'});
    body.append(h('h2', {}, 'Activation distributions over epochs'),
      h('p', {class: 'hint'}, 'Bands from the outside in: percentiles 2–98 and 16–84, the line the median. They are read '
        + 'off each epoch\'s 50-bin histogram by linear interpolation within a bin, so they are approximate.'), distBox);
    for (const layer of layers) {
      const q = QUANTILES.map((p) => rows.map((r) => {
        const a = activation(r, layer.layer);
        return a ? histogramQuantile(a.histogram, a.histogramMin, a.histogramMax, p) : null;
      }));
      const c = color(layer.layer);
      chartIn(distBox, {
        title: `${layerName(layer)}: distribution`, xLabel: 'epoch', xIncrs: WHOLE_STEPS, yLabel: 'output', legend: false,
        series: [
          {label: 'p2', color: '#00000040', width: 0.75},
          {label: 'p16', color: '#00000060', width: 0.75},
          {label: 'median', color: c, width: 2},
          {label: 'p84', color: '#00000060', width: 0.75},
          {label: 'p98', color: '#00000040', width: 0.75},
        ],
        bands: [{series: [5, 1], fill: `${c}30`}, {series: [4, 2], fill: `${c}60`}],
      }, [epochs, ...q], dataTable(`Show table: ${layerName(layer)} percentiles`, ['epoch', 'p2', 'p16', 'median', 'p84', 'p98'],
        () => epochs.map((e, i) => [e, ...q.map((column) => column[i])])));
    }

    // histograms of one epoch
    const histBox = h('div', {class: 'grid small-multiples', id: 'diag-histograms'});
    const histCaption = h('p', {class: 'hint'});
    body.append(h('h2', {}, 'Activation histograms of one epoch'), histCaption, histBox);
    for (const layer of layers) {
      const c = color(layer.layer);
      const holder = {layer, caption: histCaption};
      holder.table = dataTable(`Show table: ${layerName(layer)} histogram`, ['bin from', 'bin to', 'count'], () => {
        const a = activation(rows.find((r) => r.epoch === state.epoch), layer.layer);
        if (!a) return [];
        const w = (a.histogramMax - a.histogramMin) / a.histogram.length;
        return a.histogram.map((count, i) => [a.histogramMin + i * w, a.histogramMin + (i + 1) * w, count]);
      });
      holder.view = chartIn(histBox, {
        title: `${layerName(layer)}: histogram`, xLabel: 'output', yLabel: 'count', legend: false,
        series: [{label: 'count', color: c, fill: `${c}99`, paths: uPlot.paths.bars({size: [1, Infinity]})}],
      }, histogramData(activation(rows.find((r) => r.epoch === state.epoch), layer.layer)), holder.table);
      holder.figure = holder.view.plot.root.closest('figure');
      histograms.push(holder);
    }
    showEpoch();

    // gradients and updates
    const params = (rows[0].parameters || []).map((p) => p.name);
    const param = (row, name) => row.parameters.find((p) => p.name === name);
    const gradBox = h('div', {class: 'grid'});
    body.append(h('h2', {}, 'Gradients and updates per parameter'),
      h('p', {class: 'hint'}, 'Log scales: zeros leave gaps, and values beyond 1e-12 or 1e12 are drawn at that edge (the '
        + 'tables have the exact numbers). Solid lines are weights, dashed ones biases.'), gradBox);
    const grads = params.map((name) => rows.map((r) => param(r, name)?.gradientNorm ?? null));
    chartIn(gradBox, {
      title: 'Gradient norm (L2, last step of the epoch)', xLabel: 'epoch', xIncrs: WHOLE_STEPS, yLabel: '‖∇w‖', log: true, height: 260,
      series: params.map((name, i) => ({label: name, color: color(i), dash: name.endsWith('bias') ? [5, 3] : undefined})),
    }, [epochs, ...grads.map(forLogAxis)], dataTable('Show table: gradient norms', ['epoch', ...params],
      () => epochs.map((e, i) => [e, ...grads.map((column) => column[i])])));
    const ratios = params.map((name) => rows.map((r) => param(r, name)?.updateRatio ?? null));
    chartIn(gradBox, {
      title: 'Update / weight ratio ‖Δw‖ / ‖w‖ (guide at 1e-3)', xLabel: 'epoch', xIncrs: WHOLE_STEPS, yLabel: 'ratio', log: true, height: 260,
      series: [...params.map((name, i) => ({label: name, color: color(i), dash: name.endsWith('bias') ? [5, 3] : undefined})),
        {label: '1e-3 guide', color: '#000000', dash: [2, 4], width: 1}],
    }, [epochs, ...ratios.map(forLogAxis), epochs.map(() => GUIDE)], dataTable('Show table: update ratios', ['epoch', ...params],
      () => epochs.map((e, i) => [e, ...ratios.map((column) => column[i])])));

    // dead and saturated fractions
    const fractionLayers = [];
    for (const layer of layers) {
      const a = activation(rows[0], layer.layer);
      if (a.deadFraction !== null && a.deadFraction !== undefined) fractionLayers.push({...layer, field: 'deadFraction', what: 'dead'});
      if (a.saturatedFraction !== null && a.saturatedFraction !== undefined) {
        fractionLayers.push({...layer, field: 'saturatedFraction', what: 'saturated'});
      }
    }
    if (fractionLayers.length) {
      const fractions = fractionLayers.map((l) => rows.map((r) => activation(r, l.layer)?.[l.field] ?? null));
      const labels = fractionLayers.map((l) => `${layerName(l)} ${l.what}`);
      chartIn(gradBox, {
        title: 'Dead ReLU and saturated fractions', xLabel: 'epoch', xIncrs: WHOLE_STEPS, yLabel: 'fraction', height: 260,
        series: fractionLayers.map((l, i) => ({label: labels[i], color: color(l.layer), dash: l.what === 'dead' ? undefined : [6, 3]})),
      }, [epochs, ...fractions], dataTable('Show table: dead and saturated fractions', ['epoch', ...labels],
        () => epochs.map((e, i) => [e, ...fractions.map((column) => column[i])])));
    } else {
      gradBox.append(h('p', {class: 'muted'}, 'No ReLU, tanh or sigmoid layer: no dead or saturated fractions to show.'));
    }
  }

  function histogramData(a) {
    if (!a) return [[], []];
    const w = (a.histogramMax - a.histogramMin) / a.histogram.length;
    return [a.histogram.map((_, i) => a.histogramMin + (i + 0.5) * w), Array.from(a.histogram)];
  }

  function showEpoch() {
    const row = rows.find((r) => r.epoch === state.epoch);
    const caption = histograms[0]?.caption;
    if (caption) {
      caption.textContent = `Epoch ${state.epoch} of member ${state.member + 1}: each layer's outputs on the probe batch in 50 `
        + 'equal bins (over [-1, 1] for tanh, [0, 1] for sigmoid, else the observed range); each bar is centred on its bin.';
    }
    for (const holder of histograms) {
      const a = row?.activations.find((x) => x.layer === holder.layer.layer);
      holder.view.setData(histogramData(a), false);
      // the whole binned range, so that the edge bins show in full
      if (a && a.histogramMax > a.histogramMin) holder.view.plot.setScale('x', {min: a.histogramMin, max: a.histogramMax});
      holder.figure.dataset.epoch = String(state.epoch);
      holder.table.refresh();
    }
  }

  function warningsSection(memberRows) {
    const box = h('section', {id: 'diag-warnings', 'aria-labelledby': 'diag-warnings-title'},
      h('h2', {id: 'diag-warnings-title'}, 'Warnings'));
    body.append(box);
    const byKind = new Map();
    for (const row of memberRows) {
      for (const warning of row.warnings || []) {
        const kind = kindOf(warning);
        if (!byKind.has(kind.kind)) byKind.set(kind.kind, {kind, epochs: [], last: new Map(), all: []});
        const entry = byKind.get(kind.kind);
        if (entry.epochs[entry.epochs.length - 1] !== row.epoch) entry.epochs.push(row.epoch);
        // the latest message per subject (the text with its numbers and epoch removed)
        entry.last.set(warning.replace(/[\d.e+-]+%?/g, '#'), warning);
        entry.all.push(warning);
      }
    }
    if (byKind.size === 0) {
      box.append(h('p', {class: 'ok'}, `No warnings for member ${state.member + 1}: activations, gradients and updates stayed `
        + 'within the ranges that train well.'));
      return;
    }
    for (const {kind, epochs, last, all: messages} of byKind.values()) {
      box.append(h('div', {class: 'warning', dataset: {kind: kind.kind}},
        h('h3', {}, kind.title),
        h('p', {class: 'meaning'}, kind.meaning),
        h('p', {class: 'muted'}, `In ${epochs.length} of ${memberRows.length} epochs (first after epoch ${epochs[0]}); the latest:`),
        h('ul', {class: 'latest'}, [...last.values()].map((w) => h('li', {}, w))),
        messages.length > last.size
          ? h('details', {class: 'all-warnings'}, h('summary', {}, `All ${messages.length} messages`),
            h('ul', {}, messages.map((w) => h('li', {}, w))))
          : null));
    }
  }

  // while the job trains, new epochs are read every few seconds; the histogram follows the
  // last epoch unless another one was chosen
  let pending = null;
  async function reload() {
    pending = null;
    const lastEpoch = rows[rows.length - 1]?.epoch;
    const fresh = await api.get(`/jobs/${encodeURIComponent(id)}/diagnostics`, {maxPoints: MAX_POINTS}, {signal: ctx.signal});
    if (ctx.signal.aborted) return;
    all = fresh;
    for (const m of new Set(all.map((r) => r.member))) {
      if (!memberIds.includes(m)) {
        memberIds.push(m);
        memberSelect.append(h('option', {value: String(m)}, `Member ${m + 1}`));
      }
    }
    if (state.epoch === lastEpoch) {
      state.epoch = null;
      ctx.setQuery({epoch: null});
    }
    // keep the page's height while the charts are rebuilt, so that the scroll position holds
    body.style.minHeight = `${body.offsetHeight}px`;
    build();
    body.style.minHeight = '';
    section.dataset.reloads = String((Number(section.dataset.reloads) || 0) + 1);
  }
  if (active) {
    api.stream(`/jobs/${encodeURIComponent(id)}/events`, (event) => {
      if ((event.type === 'epoch' || event.type === 'completed') && !pending) {
        pending = setTimeout(() => reload().catch(() => {}), event.type === 'completed' ? 0 : 3000);
      }
    }, ctx.signal).catch(() => {});
    ctx.signal.addEventListener('abort', () => clearTimeout(pending));
  }

  try {
    build();
  } catch (error) {
    body.replaceChildren(errorBox(error));
    throw error;
  }
  performance.mark('diagnostics:interactive');
  section.dataset.interactive = 'true';
}
