// #/datasets?page=N: the tenant's datasets and an upload area (drop files or choose them; a
// progress bar while they travel; the server's problem details when it refuses them).

import {api} from '../api.js';
import {bytes, dateTime, fill, h, num} from '../dom.js';
import {problemBox} from '../problem.js';
import {pager} from './models.js';

const SIZE = 20;

export async function render(root, route, ctx) {
  const page = Math.max(0, Number.parseInt(route.query.get('page') || '0', 10) || 0);
  const listing = h('section', {'aria-labelledby': 'datasets-list-title'});
  root.append(h('h1', {}, 'Datasets'), uploadForm(ctx, (created) => {
    ctx.toast(`Uploaded ${created.name}: ${created.examples} examples.`);
    if (page !== 0) ctx.navigate('#/datasets');
    else refresh();
  }), listing);

  async function refresh() {
    const datasets = await api.get('/datasets', {page, size: SIZE}, {signal: ctx.signal});
    fill(listing, h('h2', {id: 'datasets-list-title'}, 'Stored datasets'), table(datasets),
      pager(page, datasets.totalPages, (next) => `#/datasets?page=${next}`));
  }
  await refresh();
}

function table(datasets) {
  if (datasets.totalItems === 0) return h('p', {class: 'muted'}, 'No datasets yet: upload one above.');
  return h('table', {class: 'datasets'},
    h('caption', {class: 'sr-only'}, `${datasets.totalItems} datasets, newest first`),
    h('thead', {}, h('tr', {},
      h('th', {scope: 'col'}, 'Name'),
      h('th', {scope: 'col'}, 'Format'),
      h('th', {scope: 'col', class: 'num'}, 'Examples'),
      h('th', {scope: 'col', class: 'num'}, 'Classes'),
      h('th', {scope: 'col'}, 'Feature shape'),
      h('th', {scope: 'col', class: 'num'}, 'Size'),
      h('th', {scope: 'col'}, 'Created'))),
    h('tbody', {}, datasets.items.map((d) => h('tr', {dataset: {id: d.id}},
      h('th', {scope: 'row'}, h('a', {href: `#/datasets/${d.id}`}, d.name)),
      h('td', {}, d.format),
      h('td', {class: 'num'}, num(d.examples, 0)),
      h('td', {class: 'num'}, d.classes.length),
      h('td', {}, h('code', {}, `[${d.featureShape.join(', ')}]`)),
      h('td', {class: 'num'}, bytes(d.sizeBytes)),
      h('td', {}, dateTime(d.createdAt))))));
}

/** The first four bytes of a file, looking inside gzip (1f 8b) when it is compressed. */
async function magic(file) {
  const head = new Uint8Array(await file.slice(0, 4).arrayBuffer());
  if (head[0] !== 0x1f || head[1] !== 0x8b) return head;
  try {
    const reader = file.stream().pipeThrough(new DecompressionStream('gzip')).getReader();
    const {value} = await reader.read();
    reader.cancel().catch(() => {});
    return value ? value.slice(0, 4) : new Uint8Array();
  } catch {
    return new Uint8Array();
  }
}

/**
 * Which multipart field each file goes in: one file is `file` (CSV or ZIP of images; the server
 * detects the format), two are IDX `images` and `labels`, told apart by their magic numbers
 * (0x803 images, 0x801 labels) or else by "label" in a name.
 */
export async function assignParts(files) {
  if (files.length === 1) return [{field: 'file', file: files[0]}];
  if (files.length !== 2) {
    throw new Error('Choose one file (CSV or a ZIP of images) or two IDX files (images and labels).');
  }
  const kinds = await Promise.all(files.map(async (file) => {
    const m = await magic(file);
    if (m.length === 4 && m[0] === 0 && m[1] === 0 && m[2] === 8) return m[3] === 3 ? 'images' : m[3] === 1 ? 'labels' : null;
    return null;
  }));
  if (kinds[0] && kinds[1] && kinds[0] !== kinds[1]) return files.map((file, i) => ({field: kinds[i], file}));
  const labelled = files.map((f) => /label/i.test(f.name));
  if (labelled[0] !== labelled[1]) return files.map((file, i) => ({field: labelled[i] ? 'labels' : 'images', file}));
  throw new Error('Two files make an IDX upload, but these could not be told apart as images (magic 0x803) and labels (0x801).');
}

function uploadForm(ctx, onUploaded) {
  const input = h('input', {type: 'file', id: 'dataset-file', name: 'file', multiple: true,
    'aria-describedby': 'dataset-file-help'});
  const name = h('input', {type: 'text', id: 'dataset-name', name: 'name', maxlength: 200, autocomplete: 'off',
    placeholder: 'from the file name'});
  const labelColumn = h('input', {type: 'text', id: 'dataset-label-column', name: 'labelColumn', placeholder: 'label'});
  const resize = h('input', {type: 'text', id: 'dataset-resize', name: 'resize', placeholder: '28x28',
    pattern: '\\d+x\\d+'});
  const chosen = h('ul', {class: 'chosen', 'aria-live': 'polite'});
  const progress = h('progress', {id: 'upload-progress', max: 1, value: 0, hidden: true, 'aria-label': 'Upload progress'});
  const progressText = h('span', {class: 'muted', 'aria-live': 'polite'});
  const feedback = h('div', {class: 'feedback'});
  const submit = h('button', {type: 'submit', disabled: true}, 'Upload');

  const zone = h('div', {class: 'drop-zone', id: 'drop-zone'},
    h('p', {}, h('strong', {}, 'Drop a dataset here'), ' or ',
      h('label', {for: 'dataset-file', class: 'inline'}, 'choose files'), ': ', input),
    h('p', {id: 'dataset-file-help', class: 'hint'},
      'One CSV file (plain or gzip, label column "label" or the last), one ZIP of images (a folder per class), '
        + 'or two IDX files (images and labels, plain or gzip).'),
    chosen);

  const showChosen = () => {
    const files = [...input.files];
    fill(chosen, files.map((f) => h('li', {}, f.name, h('span', {class: 'muted'}, ` · ${bytes(f.size)}`))));
    submit.disabled = files.length === 0;
    feedback.replaceChildren();
  };
  input.addEventListener('change', showChosen);
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
    if (!event.dataTransfer?.files?.length) return;
    input.files = event.dataTransfer.files;
    showChosen();
  });

  const form = h('form', {class: 'card upload', 'aria-labelledby': 'upload-title'},
    h('h2', {id: 'upload-title'}, 'Upload a dataset'),
    zone,
    h('div', {class: 'row'},
      h('label', {for: 'dataset-name'}, 'Name'), name),
    h('details', {},
      h('summary', {}, 'Options'),
      h('div', {class: 'row'},
        h('label', {for: 'dataset-label-column'}, 'CSV label column'), labelColumn,
        h('label', {for: 'dataset-resize'}, 'Resize images to (HxW)'), resize)),
    h('div', {class: 'row'}, submit, progress, progressText),
    feedback);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    feedback.replaceChildren();
    let parts;
    try {
      parts = await assignParts([...input.files]);
    } catch (error) {
      feedback.replaceChildren(h('p', {class: 'error', role: 'alert'}, error.message));
      return;
    }
    const data = new FormData();
    if (name.value.trim()) data.append('name', name.value.trim());
    if (labelColumn.value.trim()) data.append('labelColumn', labelColumn.value.trim());
    if (resize.value.trim()) data.append('resize', resize.value.trim());
    for (const part of parts) data.append(part.field, part.file, part.file.name);
    submit.disabled = true;
    progress.hidden = false;
    progress.value = 0;
    progressText.textContent = 'Uploading…';
    try {
      const created = await api.upload('/datasets', data, (fraction) => {
        progress.value = fraction;
        progressText.textContent = fraction < 1 ? `${Math.round(100 * fraction)} % sent` : 'Sent; the server is parsing it…';
      });
      if (ctx.signal.aborted) return;
      progressText.textContent = '';
      progress.hidden = true;
      form.reset();
      showChosen();
      feedback.replaceChildren(h('p', {class: 'success', role: 'status'}, 'Stored ',
        h('a', {href: `#/datasets/${created.id}`}, created.name), `: ${num(created.examples, 0)} examples, `
          + `${created.classes.length} classes, features [${created.featureShape.join(', ')}].`));
      onUploaded(created);
    } catch (error) {
      progress.hidden = true;
      progressText.textContent = '';
      submit.disabled = false;
      feedback.replaceChildren(problemBox(error));
    }
  });
  return form;
}
