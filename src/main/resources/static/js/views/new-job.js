// #/new?template=mlp&dataset=ID: a job spec in a JSON editor, prefilled from a template for the
// chosen dataset; "Check" asks the server for a dry run (resolved layers, output shapes,
// parameters), errors are listed at their JSON Pointers and selected in the editor; "Submit"
// queues the job and opens it.

import {api, problemErrors} from '../api.js';
import {fill, h, num} from '../dom.js';
import {locate, lineOf, placeOf} from '../json-source.js';
import {problemBox} from '../problem.js';

const conv = (filters, extra = {}) => ({type: 'conv2d', filters, kernel: 3, padding: 'same', ...extra});

const residual = (filters, stride) => ({type: 'residual', layers: [
  conv(filters, {bias: false, ...(stride ? {stride} : {})}), {type: 'batch_norm'}, {type: 'relu'},
  conv(filters, {bias: false}), {type: 'batch_norm'}]});

/** Job specs to start from; `classes` sizes the last layer. */
export const TEMPLATES = {
  mlp: {
    label: 'MLP: dense 256, batch norm, ReLU, dropout',
    spec: (datasetId, classes) => ({
      name: 'mlp', datasetId, validationFraction: 0.1, seed: 0,
      preprocessing: {method: 'standardize'},
      model: {init: {method: 'he_normal'}, layers: [
        {type: 'flatten'},
        {type: 'dense', units: 256}, {type: 'batch_norm'}, {type: 'relu'}, {type: 'dropout', rate: 0.3},
        {type: 'dense', units: classes}]},
      training: {epochs: 10, batchSize: 128,
        optimizer: {type: 'sgd', learningRate: 0.05, momentum: 0.9},
        schedule: {type: 'cosine', warmupEpochs: 0}},
      ensemble: {members: 1},
    }),
  },
  cnn: {
    label: 'CNN: two convolution blocks, dense 128 (image data)',
    spec: (datasetId, classes) => ({
      name: 'cnn', datasetId, validationFraction: 0.1, seed: 0,
      preprocessing: {method: 'standardize'},
      model: {layers: [
        conv(32), {type: 'batch_norm'}, {type: 'relu'}, {type: 'max_pool', size: 2},
        conv(64), {type: 'batch_norm'}, {type: 'relu'}, {type: 'max_pool', size: 2},
        {type: 'flatten'},
        {type: 'dense', units: 128}, {type: 'relu'}, {type: 'dropout', rate: 0.5},
        {type: 'dense', units: classes}]},
      training: {epochs: 5, batchSize: 128, optimizer: {type: 'sgd', learningRate: 0.05, momentum: 0.9}},
      ensemble: {members: 3},
    }),
  },
  resnet: {
    label: 'ResNet: basic blocks, augmentation, the accuracy recipe (image data)',
    spec: (datasetId, classes) => ({
      name: 'resnet', datasetId, validationFraction: 0.05, seed: 0,
      preprocessing: {method: 'standardize'},
      model: {init: {method: 'he_normal'}, layers: [
        conv(16, {bias: false}), {type: 'batch_norm'}, {type: 'relu'},
        residual(16), {type: 'relu'}, residual(16), {type: 'relu'},
        residual(32, 2), {type: 'relu'}, residual(32), {type: 'relu'},
        residual(64, 2), {type: 'relu'}, residual(64), {type: 'relu'},
        {type: 'global_avg_pool'},
        {type: 'dense', units: classes}]},
      training: {epochs: 7, batchSize: 128,
        optimizer: {type: 'sgd', learningRate: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.0005,
          decayBiasAndNorm: false},
        schedule: {type: 'cosine', warmupEpochs: 1, interval: 'step'},
        loss: {type: 'cross_entropy', labelSmoothing: 0.1},
        augmentation: [{type: 'random_crop', padding: 2}, {type: 'horizontal_flip', probability: 0.5}]},
      ensemble: {members: 5},
    }),
  },
};

/** JSON with two-space indentation, but short arrays and objects of scalars on one line. */
export function format(value, indent = '') {
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const parts = value.map((v) => format(v, inner));
    const oneLine = `[${parts.join(', ')}]`;
    if (!oneLine.includes('\n') && oneLine.length + indent.length < 100 && value.every((v) => typeof v !== 'object' || isFlat(v))) {
      return oneLine;
    }
    return `[\n${parts.map((p) => inner + p).join(',\n')}\n${indent}]`;
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    const parts = entries.map(([k, v]) => `${JSON.stringify(k)}: ${format(v, inner)}`);
    const oneLine = `{${parts.join(', ')}}`;
    if (isFlat(value) && oneLine.length + indent.length < 100) return oneLine;
    return `{\n${parts.map((p) => inner + p).join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}

function isFlat(value) {
  return value !== null && typeof value === 'object' && Object.values(value).every((v) => v === null || typeof v !== 'object');
}

export async function render(root, route, ctx) {
  const datasets = (await api.get('/datasets', {size: 100}, {signal: ctx.signal})).items;
  let template = TEMPLATES[route.query.get('template')] ? route.query.get('template') : 'mlp';
  const wanted = route.query.get('dataset');
  let dataset = datasets.find((d) => d.id === wanted) || datasets[0] || null;

  const templateSelect = h('select', {id: 'job-template', name: 'template'},
    Object.entries(TEMPLATES).map(([key, t]) => h('option', {value: key, selected: key === template}, t.label)));
  const datasetSelect = h('select', {id: 'job-dataset', name: 'dataset', disabled: datasets.length === 0},
    datasets.length === 0 ? h('option', {value: ''}, 'no datasets: upload one first') : null,
    datasets.map((d) => h('option', {value: d.id, selected: d === dataset},
      `${d.name} (${d.format}, ${num(d.examples, 0)} examples, [${d.featureShape.join(', ')}])`)));
  const editor = h('textarea', {id: 'spec-editor', name: 'spec', rows: 26, spellcheck: 'false', autocomplete: 'off',
    autocapitalize: 'off', class: 'spec-editor', 'aria-describedby': 'spec-help spec-feedback'});
  const feedback = h('div', {id: 'spec-feedback', class: 'feedback', 'aria-live': 'polite'});
  const preview = h('section', {class: 'preview', 'aria-labelledby': 'preview-title'});
  const check = h('button', {type: 'button', class: 'secondary', id: 'spec-check'}, 'Check');
  const submit = h('button', {type: 'submit', id: 'spec-submit'}, 'Submit');

  const prefill = () => {
    editor.value = format(TEMPLATES[template].spec(dataset?.id ?? 'choose a dataset', dataset?.classes.length ?? 10));
    clearMarks();
  };
  const clearMarks = () => {
    editor.removeAttribute('aria-invalid');
    feedback.replaceChildren();
  };

  templateSelect.addEventListener('change', () => {
    template = templateSelect.value;
    ctx.setQuery({template});
    prefill();
    preview.replaceChildren();
  });
  datasetSelect.addEventListener('change', () => {
    dataset = datasets.find((d) => d.id === datasetSelect.value) || null;
    ctx.setQuery({dataset: dataset?.id});
    // keep the user's edits: change only datasetId (and the classes of a last dense layer)
    try {
      const spec = JSON.parse(editor.value);
      spec.datasetId = dataset?.id;
      const last = spec.model?.layers?.at?.(-1);
      if (last?.type === 'dense' && dataset) last.units = dataset.classes.length;
      editor.value = format(spec);
    } catch {
      editor.value = editor.value.replace(/("datasetId"\s*:\s*)"[^"]*"/, `$1"${dataset?.id ?? ''}"`);
    }
    clearMarks();
    preview.replaceChildren();
  });
  editor.addEventListener('input', () => editor.removeAttribute('aria-invalid'));

  /** Selects the text at a pointer in the editor and scrolls it into view. */
  const select = (pointer) => {
    let places;
    try {
      places = locate(editor.value);
    } catch {
      return;
    }
    const place = placeOf(places, pointer);
    if (!place) return;
    editor.focus();
    editor.setSelectionRange(place.start, place.end);
    const lineHeight = editor.scrollHeight / Math.max(1, editor.value.split('\n').length);
    editor.scrollTop = Math.max(0, (lineOf(editor.value, place.start) - 3) * lineHeight);
  };

  const showErrors = (error) => {
    const errors = problemErrors(error.problem).filter((e) => e && e.pointer !== undefined);
    editor.setAttribute('aria-invalid', 'true');
    let places = null;
    try {
      places = locate(editor.value);
    } catch {
      places = null;
    }
    fill(feedback, errors.length === 0 ? problemBox(error) : h('div', {class: 'error', role: 'alert'},
      h('p', {}, h('strong', {}, error.problem?.title || 'Invalid spec'), `: ${errors.length === 1 ? 'one problem' : `${errors.length} problems`}.`),
      h('ul', {class: 'spec-errors'}, errors.map((e) => {
        const place = places && placeOf(places, e.pointer);
        return h('li', {dataset: {pointer: e.pointer}},
          h('button', {type: 'button', class: 'link', onclick: () => select(e.pointer),
            title: 'Select it in the editor'}, h('code', {}, e.pointer)),
          place ? h('span', {class: 'muted'}, ` (line ${lineOf(editor.value, place.start)})`) : null,
          ': ', h('span', {class: 'detail'}, e.detail));
      }))));
    if (errors.length) select(errors[0].pointer);
  };

  /** The editor's JSON, or null after showing where it stops being JSON. */
  const parsed = () => {
    try {
      locate(editor.value);
      return JSON.parse(editor.value);
    } catch (error) {
      editor.setAttribute('aria-invalid', 'true');
      fill(feedback, h('p', {class: 'error', role: 'alert'}, `Not JSON: ${error.message}.`));
      if (error.offset !== undefined) {
        editor.focus();
        editor.setSelectionRange(error.offset, Math.min(editor.value.length, error.offset + 1));
      }
      return null;
    }
  };

  check.addEventListener('click', async () => {
    clearMarks();
    const spec = parsed();
    if (!spec) return;
    check.disabled = true;
    try {
      const summary = await api.post('/jobs', spec, {query: {dryRun: true}, signal: ctx.signal});
      showSummary(preview, summary);
      fill(feedback, h('p', {class: 'success', role: 'status'},
        `The spec is valid: ${summary.layers.length} layers, ${num(summary.parameterCount, 0)} parameters.`));
    } catch (error) {
      if (error.name === 'AbortError') return;
      preview.replaceChildren();
      showErrors(error);
    } finally {
      check.disabled = false;
    }
  });

  const form = h('form', {class: 'new-job', 'aria-labelledby': 'new-job-title'},
    h('h1', {id: 'new-job-title'}, 'New job'),
    h('div', {class: 'row'},
      h('label', {for: 'job-template'}, 'Template'), templateSelect,
      h('label', {for: 'job-dataset'}, 'Dataset'), datasetSelect,
      h('button', {type: 'button', class: 'secondary', onclick: () => {
        prefill();
        preview.replaceChildren();
      }}, 'Reset to the template')),
    h('div', {class: 'spec-layout'},
      h('div', {class: 'spec-column'},
        h('label', {for: 'spec-editor'}, 'Job spec (JSON)'),
        h('p', {id: 'spec-help', class: 'hint'},
          'Omitted members take their defaults (see the API documentation at /swagger-ui.html). '
            + '"Check" validates the spec against the dataset without queueing it. Tab leaves the editor.'),
        editor,
        h('div', {class: 'row'}, check, submit),
        feedback),
      preview));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearMarks();
    const spec = parsed();
    if (!spec) return;
    submit.disabled = true;
    try {
      const job = await api.post('/jobs', spec, {signal: ctx.signal});
      ctx.navigate(`#/jobs/${job.id}`);
    } catch (error) {
      if (error.name === 'AbortError') return;
      showErrors(error);
    } finally {
      submit.disabled = false;
    }
  });

  root.append(form);
  prefill();
}

function showSummary(section, summary) {
  fill(section,
    h('h2', {id: 'preview-title'}, 'The model this spec describes'),
    h('p', {}, `Input [${summary.inputShape.join(', ')}] → ${summary.classes.length} classes (${summary.classes.join(', ')}); `,
      h('strong', {class: 'parameter-count'}, num(summary.parameterCount, 0)), ' parameters.'),
    h('table', {class: 'architecture dry-run'},
      h('caption', {class: 'sr-only'}, 'Resolved layers'),
      h('thead', {}, h('tr', {},
        h('th', {scope: 'col', class: 'num'}, '#'),
        h('th', {scope: 'col'}, 'Layer'),
        h('th', {scope: 'col'}, 'Output shape'),
        h('th', {scope: 'col', class: 'num'}, 'Parameters'))),
      h('tbody', {}, summary.layers.map((l) => h('tr', {},
        h('td', {class: 'num'}, l.index),
        h('th', {scope: 'row'}, l.type),
        h('td', {}, h('code', {}, `[${l.outputShape.join(', ')}]`)),
        h('td', {class: 'num'}, num(l.parameters, 0))))),
      h('tfoot', {}, h('tr', {},
        h('th', {scope: 'row', colspan: 3}, 'Total'),
        h('td', {class: 'num'}, num(summary.parameterCount, 0))))));
}
