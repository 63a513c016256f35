// The shell: hash routes (the URL holds each view's state, so a link reopens the same view),
// sign-in with an API key kept in sessionStorage, and lazy loading of one module per view.
//
// A view module exports `render(root, route, ctx)`:
//   root  – the <main> element, emptied
//   route – {name, params: {id?}, query: URLSearchParams}
//   ctx   – {signal: AbortSignal aborted when the user leaves the view (stop streams and timers),
//            setQuery(object): rewrite the URL's query without re-rendering (null removes a key),
//            navigate(hash), toast(message)}

import {api, apiKey, clearApiKey, setApiKey} from './api.js';
import {errorBox, h} from './dom.js';

const routes = [
  {pattern: /^$/, name: 'runs', module: 'runs.js'},
  {pattern: /^runs$/, name: 'runs', module: 'runs.js'},
  {pattern: /^jobs\/([^/]+)$/, name: 'job', module: 'job.js'},
  {pattern: /^jobs\/([^/]+)\/diagnostics$/, name: 'diagnostics', module: 'diagnostics.js'},
  {pattern: /^models$/, name: 'models', module: 'models.js'},
  {pattern: /^models\/([^/]+)$/, name: 'model', module: 'model.js'},
  {pattern: /^ensembles\/([^/]+)$/, name: 'ensemble', module: 'ensemble.js'},
  {pattern: /^batch-predictions\/([^/]+)$/, name: 'batch-prediction', module: 'batch-prediction.js'},
  {pattern: /^datasets$/, name: 'datasets', module: 'datasets.js'},
  {pattern: /^datasets\/([^/]+)$/, name: 'dataset', module: 'dataset.js'},
  {pattern: /^new$/, name: 'new', module: 'new-job.js'},
  {pattern: /^compare$/, name: 'compare', module: 'compare.js'},
  {pattern: /^playground$/, name: 'playground', module: 'playground.js'},
];

const root = document.getElementById('view');
let current = null;

/** The route named by location.hash: "#/jobs/ID?members=0,1" → {name, params, query}. */
export function parseHash(hash = location.hash) {
  const text = hash.replace(/^#\/?/, '');
  const q = text.indexOf('?');
  const path = q < 0 ? text : text.slice(0, q);
  const query = new URLSearchParams(q < 0 ? '' : text.slice(q + 1));
  for (const route of routes) {
    const match = route.pattern.exec(path);
    if (match) {
      return {name: route.name, module: route.module, params: {id: match[1] && decodeURIComponent(match[1])}, query};
    }
  }
  return {name: 'not-found', module: null, params: {}, query, path};
}

function setQuery(changes) {
  const route = parseHash();
  for (const [name, value] of Object.entries(changes)) {
    if (value === null || value === undefined || value === '') route.query.delete(name);
    else route.query.set(name, Array.isArray(value) ? value.join(',') : String(value));
  }
  const path = location.hash.replace(/^#\/?/, '').split('?')[0];
  const search = route.query.toString();
  history.replaceState(null, '', `#/${path}${search ? `?${search}` : ''}`);
}

function navigate(hash) {
  location.hash = hash;
}

export function toast(message) {
  const box = document.getElementById('toast');
  box.textContent = message;
  box.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => {
    box.hidden = true;
  }, 6000);
}

// the menu entry a page belongs to: a job's and a batch prediction's pages under Runs, a model's or an
// ensemble's under Models
const sections = {job: 'runs', diagnostics: 'runs', 'batch-prediction': 'runs', model: 'models', ensemble: 'models',
  dataset: 'datasets'};

function markNavigation(name) {
  const section = sections[name] || name;
  for (const link of document.querySelectorAll('nav a[data-view]')) {
    const active = link.dataset.view === section;
    if (active) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

async function show() {
  current?.abort();
  const controller = new AbortController();
  current = controller;
  const route = parseHash();
  if (!apiKey()) {
    renderSignIn();
    return;
  }
  document.getElementById('session').hidden = false;
  markNavigation(route.name);
  root.replaceChildren(h('p', {class: 'loading'}, 'Loading…'));
  if (!route.module) {
    root.replaceChildren(h('h1', {}, 'Not found'), h('p', {}, `There is no page at #/${route.path}.`),
      h('p', {}, h('a', {href: '#/runs'}, 'Back to the runs')));
    return;
  }
  try {
    const view = await import(`./views/${route.module}`);
    if (controller.signal.aborted) return;
    root.replaceChildren();
    await view.render(root, route, {signal: controller.signal, setQuery, navigate, toast});
  } catch (error) {
    if (controller.signal.aborted || error?.name === 'AbortError') return;
    console.warn(error);
    root.replaceChildren(h('h1', {}, 'Something went wrong'), errorBox(error));
  }
}

function renderSignIn(message) {
  document.getElementById('session').hidden = true;
  markNavigation(null);
  const input = h('input', {id: 'api-key', name: 'apiKey', type: 'password', autocomplete: 'off', required: true,
    spellcheck: 'false', placeholder: 'ty_…', 'aria-describedby': 'api-key-help'});
  const feedback = h('div', {class: 'feedback'});
  if (message) feedback.append(h('p', {class: 'error', role: 'alert'}, message));
  const form = h('form', {class: 'card sign-in', 'aria-labelledby': 'sign-in-title'},
    h('h1', {id: 'sign-in-title'}, 'Sign in'),
    h('label', {for: 'api-key'}, 'API key'),
    input,
    h('p', {id: 'api-key-help', class: 'hint'},
      'The key stays in this tab (sessionStorage) and is sent as X-API-Key; it is never put in a URL or a cookie. '
        + 'A new instance prints its first admin key in its log.'),
    h('button', {type: 'submit'}, 'Sign in'),
    feedback);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const key = input.value.trim();
    try {
      await api.get('/jobs', {size: 1}, {key});
      setApiKey(key);
      if (!location.hash || location.hash === '#/' || location.hash === '#') location.hash = '#/runs';
      else show();
    } catch (error) {
      feedback.replaceChildren(h('p', {class: 'error', role: 'alert'}, error.message));
    }
  });
  root.replaceChildren(form);
  input.focus();
}

window.addEventListener('trainyard:unauthorized', (event) => {
  if (!apiKey()) return;
  clearApiKey();
  current?.abort();
  const detail = event.detail?.detail || event.detail?.title || 'the key was refused';
  renderSignIn(`Signed out: ${detail}`);
});

document.getElementById('sign-out').addEventListener('click', () => {
  clearApiKey();
  current?.abort();
  renderSignIn();
});

window.addEventListener('hashchange', show);
show();
