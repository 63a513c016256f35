// #/playground?model=ID or ?ensemble=ID: feed a model or an ensemble an input (drawn on a canvas,
// dropped as an image file, or a dataset's example) and see its class probabilities: for an
// ensemble, the combined ones and each member's, with agreement, entropy and, with Monte Carlo
// dropout, the standard deviation as error bars.

import {api} from '../api.js';
import {color, fill, h, num, percent, shortId} from '../dom.js';
import {problemBox} from '../problem.js';
import {draw, imageFileToGrey, imageShape} from '../pixels.js';

const MC_DEFAULT = 30;

export async function render(root, route, ctx) {
  const [models, jobs] = await Promise.all([
    api.get('/models', {size: 100}, {signal: ctx.signal}),
    api.get('/jobs', {size: 100}, {signal: ctx.signal}),
  ]);
  const ensembles = jobs.items.filter((j) => j.ensembleId)
    .map((j) => ({id: j.ensembleId, label: `${j.name} · ${j.modelIds.length} members · job ${String(j.id).slice(0, 8)}`}));
  let kind = route.query.get('ensemble') ? 'ensemble' : route.query.get('model') ? 'model' : null;
  let id = kind ? route.query.get(kind) : null;
  if (kind === 'ensemble' && !ensembles.some((e) => e.id === id)) ensembles.unshift({id, label: `ensemble ${id.slice(0, 8)}`});
  if (kind === 'model' && !models.items.some((m) => m.id === id)) models.items.unshift({id, named: true});
  if (!kind) {
    if (ensembles.length) [kind, id] = ['ensemble', ensembles[0].id];
    else if (models.items.length) [kind, id] = ['model', models.items[0].id];
  }

  root.append(h('h1', {}, 'Playground'));
  if (!kind) {
    root.append(h('p', {}, 'No models yet: train one first. ', h('a', {href: '#/new'}, 'New job')));
    return;
  }
  const targetSelect = h('select', {id: 'playground-target', name: 'target'},
    ensembles.length ? h('optgroup', {label: 'Ensembles'}, ensembles.map((e) =>
      h('option', {value: `ensemble:${e.id}`, selected: kind === 'ensemble' && e.id === id}, e.label))) : null,
    h('optgroup', {label: 'Models'}, models.items.map((m) =>
      h('option', {value: `model:${m.id}`, selected: kind === 'model' && m.id === id},
        m.named ? `model ${m.id.slice(0, 8)}`
          : `${m.id.slice(0, 8)} · ${m.jobId ? `job ${m.jobId.slice(0, 8)} member ${m.member}` : 'imported'}`
          + (m.metrics?.testAccuracy != null ? ` · ${percent(m.metrics.testAccuracy, 1)}` : '')))));
  const body = h('div', {class: 'playground'});
  root.append(h('div', {class: 'row'}, h('label', {for: 'playground-target'}, 'Model or ensemble'), targetSelect), body);

  let session = null;
  const open = async () => {
    session?.abort();
    session = new AbortController();
    const signal = AbortSignal.any([ctx.signal, session.signal]);
    ctx.setQuery({model: kind === 'model' ? id : null, ensemble: kind === 'ensemble' ? id : null});
    fill(body, h('p', {class: 'loading'}, 'Loading…'));
    try {
      await playground(body, kind, id, signal);
    } catch (error) {
      if (signal.aborted) return;
      fill(body, problemBox(error));
    }
  };
  targetSelect.addEventListener('change', () => {
    [kind, id] = targetSelect.value.split(':');
    open();
  });
  await open();
}

async function target(kind, id, signal) {
  if (kind === 'model') {
    const model = await api.get(`/models/${encodeURIComponent(id)}`, null, {signal});
    return {kind, id, name: `Model ${id.slice(0, 8)}`, members: [model], weights: null, first: model};
  }
  const ensemble = await api.get(`/ensembles/${encodeURIComponent(id)}`, null, {signal});
  const members = await Promise.all(ensemble.modelIds.map((m) => api.get(`/models/${m}`, null, {signal})));
  return {kind, id, name: ensemble.name || `Ensemble ${id.slice(0, 8)}`, members, weights: ensemble.weights, first: members[0]};
}

/** The datasets whose examples fit the model, the likeliest test set first. */
async function candidateDatasets(model, signal) {
  const all = (await api.get('/datasets', {size: 100}, {signal})).items;
  const same = all.filter((d) => JSON.stringify(d.featureShape) === JSON.stringify(model.featureShape));
  let preferred = [];
  try {
    const spec = JSON.parse(model.provenance?.spec || '{}');
    preferred = [spec.testDatasetId, model.provenance?.datasetId].filter(Boolean);
  } catch {
    preferred = [model.provenance?.datasetId].filter(Boolean);
  }
  const rank = (d) => {
    const i = preferred.indexOf(d.id);
    return i < 0 ? preferred.length : i;
  };
  return same.sort((a, b) => rank(a) - rank(b));
}

const hasDropout = (model) => model.architecture.some(function dropout(layer) {
  return ['dropout', 'drop_block'].includes(layer.type) || (layer.spec?.layers || []).some((l) => dropout({type: l.type, spec: l}));
});

async function playground(body, kind, id, signal) {
  const t = await target(kind, id, signal);
  const model = t.first;
  const image = imageShape(model.featureShape);
  const features = model.featureShape.reduce((a, b) => a * b, 1);
  const datasets = await candidateDatasets(model, signal);
  // raw scale of the inputs: bytes for IDX and image datasets
  const source = datasets.find((d) => d.id === model.provenance?.datasetId) || datasets[0];
  const scaleMax = !source || source.format === 'idx' || source.format === 'images' ? 255 : 1;
  const input = new Float64Array(features);
  const dropout = t.members.some(hasDropout);

  const results = h('section', {class: 'results', 'aria-labelledby': 'results-title', 'aria-live': 'polite'},
    h('h2', {id: 'results-title'}, 'Prediction'), h('p', {class: 'muted'}, 'Draw, drop an image or pick an example.'));
  const truth = h('p', {class: 'truth', 'aria-live': 'polite'});
  const samples = h('input', {type: 'number', id: 'mc-samples', name: 'mcDropoutSamples', min: 0, max: 100, step: 1,
    value: dropout ? MC_DEFAULT : 0, 'aria-describedby': 'mc-help'});
  const seed = h('input', {type: 'number', id: 'mc-seed', name: 'seed', min: 0, step: 1, value: 0});

  let pending = null;
  let timer = null;
  // data-state: "pending" from an input change until its answer is shown ("done")
  const predict = () => {
    results.dataset.state = 'pending';
    clearTimeout(timer);
    timer = setTimeout(run, 120);
  };
  const run = async () => {
    pending?.abort();
    pending = new AbortController();
    const requestSignal = AbortSignal.any([signal, pending.signal]);
    const T = Math.max(0, Math.min(100, Number.parseInt(samples.value || '0', 10) || 0));
    const s = Number.parseInt(seed.value || '0', 10) || 0;
    const instance = Array.from(input);
    const request = (extraSeed) => ({instances: [instance], mcDropoutSamples: T, ...(T > 0 ? {seed: s + extraSeed} : {})});
    try {
      let answer;
      if (t.kind === 'ensemble' && T === 0) {
        // the ensemble's answer carries each member's probabilities
        const combined = await api.post(`/ensembles/${t.id}/predictions`, request(0), {signal: requestSignal});
        const item = combined.predictions[0];
        const members = item.memberProbabilities
          ? item.memberProbabilities.map((probabilities, j) => ({classes: combined.classes,
            predictions: [{label: combined.classes[argmax(probabilities)], probabilities}], modelId: t.members[j].id}))
          : await Promise.all(t.members.map((m) => api.post(`/models/${m.id}/predictions`, request(0), {signal: requestSignal})));
        answer = {combined, members};
      } else if (t.kind === 'ensemble') {
        // With Monte Carlo dropout each member's own deviation comes from asking it alone, with
        // the seed the ensemble gives it (base + member index), so its mean is the one combined.
        const [combined, ...members] = await Promise.all([
          api.post(`/ensembles/${t.id}/predictions`, request(0), {signal: requestSignal}),
          ...t.members.map((m, j) => api.post(`/models/${m.id}/predictions`, request(j), {signal: requestSignal})),
        ]);
        answer = {combined, members};
      } else {
        answer = {combined: await api.post(`/models/${t.id}/predictions`, request(0), {signal: requestSignal}), members: []};
      }
      showResults(results, t, answer, T);
      results.dataset.state = 'done';
    } catch (error) {
      if (requestSignal.aborted) return;
      fill(results, h('h2', {id: 'results-title'}, 'Prediction'), problemBox(error));
      results.dataset.state = 'done';
    }
  };
  samples.addEventListener('change', predict);
  seed.addEventListener('change', predict);

  const set = (values, label) => {
    input.set(values.slice(0, features));
    truth.textContent = label ? `True label: ${label}` : '';
    pad?.redraw();
    predict();
  };

  let pad = null;
  const inputs = h('section', {class: 'inputs', 'aria-labelledby': 'input-title'}, h('h2', {id: 'input-title'}, 'Input'));
  if (image) {
    pad = drawingPad(image, input, scaleMax, () => {
      truth.textContent = '';
      predict();
    });
    inputs.append(pad.element, imageDrop(image, (values) => set(values.map((v) => v * scaleMax / 255), null)));
  } else {
    inputs.append(numbersInput(features, (values) => set(values, null)));
  }
  inputs.append(examplePicker(datasets, model, signal, (example) => set(example.features, example.label)), truth);

  const controls = h('fieldset', {class: 'mc'},
    h('legend', {}, 'Monte Carlo dropout'),
    h('div', {class: 'row'},
      h('label', {for: 'mc-samples'}, 'Samples'), samples,
      h('label', {for: 'mc-seed'}, 'Seed'), seed),
    h('p', {id: 'mc-help', class: 'hint'}, dropout
      ? 'With samples > 0 the prediction averages that many passes with dropout active and shows their standard deviation as error bars; 0 turns it off.'
      : 'This model has no dropout layer, so every pass gives the same answer and the deviation is 0.'));

  fill(body,
    h('p', {class: 'muted'},
      t.kind === 'ensemble' ? ['Ensemble ', h('a', {href: `#/ensembles/${t.id}`}, shortId(t.id)), ` of ${t.members.length} models`]
        : ['Model ', h('a', {href: `#/models/${t.id}`}, shortId(t.id))],
      ` · input [${model.featureShape.join(', ')}] in the raw scale 0–${scaleMax} · ${model.classes.length} classes`),
    h('div', {class: 'playground-grid'}, h('div', {}, inputs, controls), results));
  predict();
}

/**
 * A canvas of the model's height × width (enlarged by CSS) to draw on with a mouse, a finger or
 * a pen (pointer events), or with the keyboard (arrows move the brush, Space paints, Shift+arrows
 * paint while moving, Delete clears). Values are written into `input` in the raw scale.
 */
function drawingPad(image, input, scaleMax, changed) {
  const {channels, height, width} = image;
  const plane = height * width;
  const canvas = h('canvas', {id: 'drawing-pad', class: 'pixels pad', tabindex: 0, role: 'application',
    'aria-roledescription': 'drawing pad',
    'aria-label': `Drawing area, ${height} by ${width} pixels`, 'aria-describedby': 'pad-help'});
  // whole raw units for byte data, so the picture shows exactly the values sent
  const quantise = scaleMax >= 255 ? Math.round : (x) => x;
  let cursor = {x: Math.floor(width / 2), y: Math.floor(height / 2)};
  let focused = false;

  const redraw = () => {
    draw(canvas, input, image, {min: 0, max: scaleMax});
    if (focused) {
      const context = canvas.getContext('2d');
      context.strokeStyle = '#E69F00';
      context.lineWidth = 0.15;
      context.strokeRect(cursor.x - 1, cursor.y - 1, 3, 3);
    }
  };
  const paintAt = (x, y) => {
    for (let yy = Math.floor(y - 2); yy <= Math.ceil(y + 2); yy++) {
      for (let xx = Math.floor(x - 2); xx <= Math.ceil(x + 2); xx++) {
        if (xx < 0 || yy < 0 || xx >= width || yy >= height) continue;
        const d = Math.hypot(xx + 0.5 - x, yy + 0.5 - y);
        const v = quantise(Math.max(0, Math.min(1, 1.6 - d)) * scaleMax);
        for (let c = 0; c < channels; c++) {
          const k = c * plane + yy * width + xx;
          if (v > input[k]) input[k] = v;
        }
      }
    }
  };
  let last = null;
  const point = (event) => {
    const box = canvas.getBoundingClientRect();
    return {x: (event.clientX - box.left) / box.width * width, y: (event.clientY - box.top) / box.height * height};
  };
  const stroke = (p) => {
    const from = last || p;
    const steps = Math.max(1, Math.ceil(Math.hypot(p.x - from.x, p.y - from.y) / 0.25));
    for (let s = 1; s <= steps; s++) paintAt(from.x + (p.x - from.x) * s / steps, from.y + (p.y - from.y) * s / steps);
    last = p;
    redraw();
  };
  canvas.addEventListener('pointerdown', (event) => {
    event.preventDefault();
    canvas.setPointerCapture(event.pointerId);
    last = null;
    stroke(point(event));
  });
  canvas.addEventListener('pointermove', (event) => {
    if (last) stroke(point(event));
  });
  const end = () => {
    if (!last) return;
    last = null;
    changed();
  };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointercancel', end);
  canvas.addEventListener('focus', () => {
    focused = true;
    redraw();
  });
  canvas.addEventListener('blur', () => {
    focused = false;
    redraw();
  });
  const clear = () => {
    input.fill(0);
    redraw();
    changed();
  };
  canvas.addEventListener('keydown', (event) => {
    const moves = {ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1]};
    if (moves[event.key]) {
      event.preventDefault();
      const [dx, dy] = moves[event.key];
      cursor = {x: Math.max(0, Math.min(width - 1, cursor.x + dx)), y: Math.max(0, Math.min(height - 1, cursor.y + dy))};
      if (event.shiftKey) {
        paintAt(cursor.x + 0.5, cursor.y + 0.5);
        changed();
      }
      redraw();
    } else if (event.key === ' ' || event.key === 'Enter') {
      event.preventDefault();
      paintAt(cursor.x + 0.5, cursor.y + 0.5);
      redraw();
      changed();
    } else if (event.key === 'Delete' || event.key === 'Backspace') {
      event.preventDefault();
      clear();
    }
  });
  redraw();
  const element = h('div', {class: 'pad-box'},
    canvas,
    h('p', {id: 'pad-help', class: 'hint'},
      'Draw with the mouse, a finger or a pen. Keyboard: arrow keys move the brush, Space paints, '
        + 'Shift+arrows paint while moving, Delete clears.'),
    h('button', {type: 'button', class: 'secondary', id: 'pad-clear', onclick: clear}, 'Clear'));
  return {element, redraw};
}

/** A drop area and a file chooser for an image, turned into greyscale values 0–255 at the model's size. */
function imageDrop(image, use) {
  const file = h('input', {type: 'file', id: 'image-file', accept: 'image/*'});
  const invert = h('input', {type: 'checkbox', id: 'image-invert'});
  const status = h('span', {class: 'muted', 'aria-live': 'polite'});
  let current = null;
  const load = async (chosen, auto) => {
    current = chosen;
    try {
      let grey = await imageFileToGrey(chosen, image.height, image.width, false);
      if (auto) invert.checked = borderMean(grey, image) > 127;
      if (invert.checked) grey = grey.map((v) => 255 - v);
      const values = [];
      for (let c = 0; c < image.channels; c++) values.push(...grey);
      status.textContent = `${chosen.name}, scaled to ${image.height}×${image.width}`;
      use(values);
    } catch {
      status.textContent = `${chosen.name} is not an image the browser can read.`;
    }
  };
  file.addEventListener('change', () => file.files[0] && load(file.files[0], true));
  invert.addEventListener('change', () => current && load(current, false));
  const zone = h('div', {class: 'drop-zone small', id: 'image-drop'},
    h('p', {}, h('strong', {}, 'Drop an image'), ' or ', h('label', {for: 'image-file', class: 'inline'}, 'choose one'), ': ', file),
    h('p', {class: 'row'}, invert, h('label', {for: 'image-invert', class: 'inline'}, 'Invert (dark drawing on a light background)'), status));
  for (const type of ['dragenter', 'dragover']) {
    zone.addEventListener(type, (event) => {
      event.preventDefault();
      zone.classList.add('over');
    });
  }
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('over');
    const dropped = event.dataTransfer?.files?.[0];
    if (dropped) load(dropped, true);
  });
  return zone;
}

function borderMean(grey, {height, width}) {
  let sum = 0;
  let n = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (y === 0 || x === 0 || y === height - 1 || x === width - 1) {
        sum += grey[y * width + x];
        n++;
      }
    }
  }
  return n ? sum / n : 0;
}

function numbersInput(features, use) {
  const area = h('textarea', {id: 'feature-values', rows: 3, spellcheck: 'false', 'aria-describedby': 'feature-help'});
  const status = h('span', {class: 'muted', 'aria-live': 'polite'});
  return h('div', {},
    h('label', {for: 'feature-values'}, `Feature values (${features}, raw scale)`),
    area,
    h('p', {id: 'feature-help', class: 'hint'}, 'Numbers separated by commas or spaces.'),
    h('button', {type: 'button', class: 'secondary', onclick: () => {
      const values = area.value.split(/[\s,;]+/).filter(Boolean).map(Number);
      if (values.length !== features || values.some((v) => !Number.isFinite(v))) {
        status.textContent = `Expected ${features} numbers, got ${values.length}.`;
        return;
      }
      status.textContent = '';
      use(values);
    }}, 'Predict'), status);
}

function examplePicker(datasets, model, signal, use) {
  if (datasets.length === 0) {
    return h('p', {class: 'muted'}, `No dataset with features [${model.featureShape.join(', ')}] to take examples from.`);
  }
  const select = h('select', {id: 'example-dataset'},
    datasets.map((d) => h('option', {value: d.id}, `${d.name} (${d.examples} examples)`)));
  const index = h('input', {type: 'number', id: 'example-index', min: 0, step: 1, value: 0});
  const status = h('span', {class: 'muted', 'aria-live': 'polite'});
  const load = async () => {
    const dataset = datasets.find((d) => d.id === select.value);
    const i = Math.max(0, Math.min(dataset.examples - 1, Number.parseInt(index.value || '0', 10) || 0));
    index.value = i;
    try {
      const page = await api.get(`/datasets/${dataset.id}/examples`, {offset: i, limit: 1}, {signal});
      const example = page.examples[0];
      status.textContent = `Example ${example.index} of ${dataset.name}`;
      use(example);
    } catch (error) {
      if (!signal.aborted) status.replaceChildren(problemBox(error));
    }
  };
  const random = () => {
    const dataset = datasets.find((d) => d.id === select.value);
    index.value = Math.floor(Math.random() * dataset.examples);
    load();
  };
  const syncMax = () => {
    index.max = datasets.find((d) => d.id === select.value).examples - 1;
  };
  select.addEventListener('change', syncMax);
  syncMax();
  return h('fieldset', {class: 'example-picker'},
    h('legend', {}, 'A dataset\'s example'),
    h('div', {class: 'row'},
      h('label', {for: 'example-dataset'}, 'Dataset'), select,
      h('label', {for: 'example-index'}, 'Index'), index,
      h('button', {type: 'button', class: 'secondary', id: 'example-load', onclick: load}, 'Use example'),
      h('button', {type: 'button', class: 'secondary', onclick: random}, 'Random')),
    status);
}

function argmax(values) {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/** Entropy in nats of a distribution. */
function entropy(p) {
  return -p.reduce((a, v) => a + (v > 0 ? v * Math.log(v) : 0), 0);
}

function showResults(section, t, answer, samples) {
  const combined = answer.combined;
  const item = combined.predictions[0];
  const classes = combined.classes;
  const maxEntropy = Math.log(classes.length);
  const H = item.entropy ?? entropy(item.probabilities);
  const facts = h('dl', {class: 'facts'},
    h('dt', {}, 'Predicted'), h('dd', {class: 'predicted-label'}, item.label),
    h('dt', {}, 'Entropy'), h('dd', {class: 'entropy'}, `${num(H, 4)} nats (of at most ${num(maxEntropy, 3)})`),
    item.agreement !== undefined ? [h('dt', {}, 'Agreement'),
      h('dd', {class: 'agreement'}, `${percent(item.agreement, 0)} of the members say ${item.label}`)] : null,
    item.memberLabels ? [h('dt', {}, 'Members say'), h('dd', {}, item.memberLabels.join(', '))] : null,
    samples > 0 ? [h('dt', {}, 'Monte Carlo dropout'), h('dd', {}, `${samples} passes per model; bars show ± 1 std`)] : null);
  fill(section,
    h('h2', {id: 'results-title'}, 'Prediction'),
    facts,
    bars(t.kind === 'ensemble' ? 'Ensemble' : 'Model', t.kind, classes, item, color(0)),
    answer.members.length ? h('h3', {}, 'Each member') : null,
    answer.members.length ? h('div', {class: 'member-bars'}, answer.members.map((m, j) =>
      bars(['Member ', j, ' · ', h('a', {href: `#/models/${t.members[j].id}`}, shortId(t.members[j].id))],
        `member-${j}`, m.classes, m.predictions[0], color(j + 1)))) : null);
}

/**
 * Class probabilities as a table of horizontal bars, the value as text, ± std as an error bar
 * when present; the predicted class is marked, and the sum closes the table.
 */
function bars(title, name, classes, item, hue) {
  const p = item.probabilities;
  const sum = p.reduce((a, b) => a + b, 0);
  return h('table', {class: 'probabilities', dataset: {target: name}},
    h('caption', {}, title),
    h('thead', {}, h('tr', {},
      h('th', {scope: 'col'}, 'Class'),
      h('th', {scope: 'col', class: 'num'}, 'Probability'),
      h('th', {scope: 'col'}, h('span', {class: 'sr-only'}, 'Bar')))),
    h('tbody', {}, classes.map((c, i) => {
      const bar = h('span', {class: 'bar'});
      bar.style.width = `${(100 * p[i]).toFixed(2)}%`;
      bar.style.backgroundColor = hue;
      const track = h('span', {class: 'track'}, bar);
      if (item.std) {
        const whisker = h('span', {class: 'whisker'});
        const lo = Math.max(0, p[i] - item.std[i]);
        const hi = Math.min(1, p[i] + item.std[i]);
        whisker.style.left = `${(100 * lo).toFixed(2)}%`;
        whisker.style.width = `${(100 * (hi - lo)).toFixed(2)}%`;
        track.append(whisker);
      }
      return h('tr', {class: c === item.label ? 'predicted' : null,
        dataset: {class: c, probability: String(p[i]), std: item.std ? String(item.std[i]) : ''}},
      h('th', {scope: 'row'}, c),
      h('td', {class: 'num'}, percent(p[i]), item.std ? h('span', {class: 'muted'}, ` ± ${percent(item.std[i])}`) : null),
      h('td', {class: 'bar-cell', 'aria-hidden': 'true'}, track));
    })),
    h('tfoot', {}, h('tr', {},
      h('th', {scope: 'row'}, 'Sum'),
      h('td', {class: 'num sum', dataset: {sum: String(sum)}}, sum.toFixed(4)),
      h('td', {}))));
}
