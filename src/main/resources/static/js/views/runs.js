// #/runs: the tenant's jobs as a table that keeps itself up to date while any job is
// queued or running. Filter (?status=), sort (?sort=&dir=) and page (?page=) live in the
// URL. Rows are kept by job id and updated in place, so focus and selections survive the
// refreshes. Selected rows open #/compare. Below, the newest batch predictions, filtered and
// refreshed with the jobs (batch-predictions.js).

import {api} from '../api.js';
import {dateTime, duration, errorBox, fill, h, num, percent, statusBadge} from '../dom.js';
import {batchSection} from './batch-predictions.js';

const STATUSES = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'];
const PAGE_SIZE = 25;
// The server lists newest first and filters by status only; sorting by other columns is done
// here over the newest MAX_JOBS jobs.
const MAX_JOBS = 1000;
const POLL_MS = 2000;
// without running jobs the table still looks for new ones, less often
const IDLE_POLL_MS = 10_000;

/** Summary figures, from the server's summary where it has one, else from the job itself. */
function figures(job) {
  const s = job.summary || {};
  let seconds = s.durationSeconds ?? null;
  if (seconds === null && job.startedAt) {
    const end = job.finishedAt ? Date.parse(job.finishedAt) : Date.now();
    seconds = Math.max(0, (end - Date.parse(job.startedAt)) / 1000);
  }
  return {
    members: job.progress?.members ?? job.spec?.ensemble?.members ?? 1,
    bestVal: s.bestValAccuracy ?? null,
    test: s.testAccuracy ?? null,
    seconds,
    samples: s.samplesPerSecond ?? null,
  };
}

/** Fraction of the job's work done: members × epochs, counting the batches of the epoch under way. */
export function progressFraction(job) {
  if (job.status === 'SUCCEEDED') return 1;
  const p = job.progress;
  if (!p || !p.epochs || !p.members) return 0;
  const epochDone = p.epoch > 0 ? p.epoch - 1 + (p.batches ? p.batch / p.batches : 0) : 0;
  return Math.min(1, (p.member * p.epochs + epochDone) / (p.members * p.epochs));
}

export function progressText(job) {
  const p = job.progress;
  if (!p) return '';
  const parts = [];
  if (p.members > 1) parts.push(`member ${p.member + 1}/${p.members}`);
  parts.push(`epoch ${p.epoch}/${p.epochs}`);
  if (job.status === 'RUNNING' && p.batches) parts.push(`batch ${p.batch}/${p.batches}`);
  return parts.join(' · ');
}

const COLUMNS = [
  {key: 'name', label: 'Name', value: (j) => (j.name || '').toLowerCase()},
  {key: 'status', label: 'Status', value: (j) => STATUSES.indexOf(j.status) * 10 + progressFraction(j)},
  {key: 'members', label: 'Members', num: true, value: (j, f) => f.members},
  {key: 'bestVal', label: 'Best val. accuracy', num: true, value: (j, f) => f.bestVal},
  {key: 'test', label: 'Test accuracy', num: true, value: (j, f) => f.test},
  {key: 'duration', label: 'Duration', num: true, value: (j, f) => f.seconds},
  {key: 'samples', label: 'Samples/s', num: true, value: (j, f) => f.samples},
  {key: 'created', label: 'Created', value: (j) => j.createdAt},
];

function compare(a, b) {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1;
  if (b === null || b === undefined) return -1;
  return a < b ? -1 : 1;
}

async function fetchJobs(status, signal) {
  const jobs = [];
  for (let page = 0; jobs.length < MAX_JOBS; page++) {
    const answer = await api.get('/jobs', {status, page, size: 100}, {signal});
    jobs.push(...answer.items);
    if (page + 1 >= answer.totalPages) return {jobs, total: answer.totalItems};
  }
  return {jobs, total: jobs.length};
}

export async function render(root, route, ctx) {
  const state = {
    status: STATUSES.includes(route.query.get('status')) ? route.query.get('status') : '',
    sort: COLUMNS.some((c) => c.key === route.query.get('sort')) ? route.query.get('sort') : 'created',
    dir: route.query.get('dir') === 'asc' ? 'asc' : 'desc',
    page: Math.max(1, Number.parseInt(route.query.get('page') || '1', 10) || 1),
  };
  const selected = new Set();
  const rows = new Map();
  let jobs = [];
  let total = 0;

  const filter = h('select', {id: 'runs-status', name: 'status'},
    h('option', {value: ''}, 'All'), STATUSES.map((s) => h('option', {value: s}, s.toLowerCase())));
  filter.value = state.status;
  const compareButton = h('button', {type: 'button', disabled: true}, 'Compare selected');
  const count = h('p', {class: 'muted', id: 'runs-count', 'aria-live': 'polite'});
  const live = h('span', {class: 'muted live-note'});
  const headRow = h('tr');
  const body = h('tbody');
  const table = h('table', {class: 'runs', 'aria-describedby': 'runs-count'},
    h('caption', {class: 'visually-hidden'}, 'Training jobs'), h('thead', {}, headRow), body);
  const pager = h('nav', {class: 'pager row', 'aria-label': 'Pages'});
  const problem = h('div');
  const batches = batchSection();

  root.append(
    h('div', {class: 'row view-head'}, h('h1', {}, 'Runs'), live),
    h('div', {class: 'row toolbar'},
      h('label', {for: 'runs-status'}, 'Status'), filter,
      compareButton,
      h('a', {class: 'button secondary', href: '#/new'}, 'New job')),
    problem, count, h('div', {class: 'table-scroll'}, table), pager, batches.element);

  filter.addEventListener('change', () => {
    state.status = filter.value;
    state.page = 1;
    ctx.setQuery({status: state.status, page: null});
    refresh();
  });
  compareButton.addEventListener('click', () => {
    ctx.navigate(`#/compare?jobs=${[...selected].join(',')}`);
  });

  function header() {
    headRow.replaceChildren(h('th', {scope: 'col', class: 'select'}, h('span', {class: 'visually-hidden'}, 'Select')));
    for (const column of COLUMNS) {
      const active = state.sort === column.key;
      const button = h('button', {type: 'button', class: 'sort', dataset: {sort: column.key}},
        column.label, h('span', {'aria-hidden': 'true', class: 'sort-mark'}, active ? (state.dir === 'asc' ? ' ▲' : ' ▼') : ''));
      button.addEventListener('click', () => {
        if (state.sort === column.key) state.dir = state.dir === 'asc' ? 'desc' : 'asc';
        else {
          state.sort = column.key;
          state.dir = column.num || column.key === 'created' ? 'desc' : 'asc';
        }
        ctx.setQuery({sort: state.sort, dir: state.dir});
        header();
        draw();
        headRow.querySelector(`button[data-sort="${column.key}"]`)?.focus();
      });
      headRow.append(h('th', {scope: 'col', class: column.num ? 'num' : null,
        'aria-sort': active ? (state.dir === 'asc' ? 'ascending' : 'descending') : 'none'}, button));
    }
  }

  function makeRow(job) {
    const box = h('input', {type: 'checkbox', 'aria-label': `Select ${job.name || job.id} for comparison`});
    box.addEventListener('change', () => {
      if (box.checked) selected.add(job.id);
      else selected.delete(job.id);
      compareButton.disabled = selected.size < 2;
      compareButton.textContent = selected.size ? `Compare selected (${selected.size})` : 'Compare selected';
    });
    const cells = {
      name: h('td'),
      status: h('td', {class: 'status-cell'}),
      members: h('td', {class: 'num'}),
      bestVal: h('td', {class: 'num'}),
      test: h('td', {class: 'num'}),
      duration: h('td', {class: 'num'}),
      samples: h('td', {class: 'num'}),
      created: h('td'),
    };
    const tr = h('tr', {dataset: {jobId: job.id}}, h('td', {class: 'select'}, box), Object.values(cells));
    return {tr, cells, key: '', name: null};
  }

  function updateRow(row, job) {
    const f = figures(job);
    const key = JSON.stringify([job.name, job.status, job.progress, f]);
    if (row.key === key) return;
    row.key = key;
    const c = row.cells;
    // the link is kept while its name stays, so that keyboard focus on it survives refreshes
    if (row.name !== (job.name ?? '')) {
      row.name = job.name ?? '';
      c.name.replaceChildren(h('a', {href: `#/jobs/${encodeURIComponent(job.id)}`}, job.name || job.id));
    }
    const active = job.status === 'QUEUED' || job.status === 'RUNNING';
    const fraction = progressFraction(job);
    fill(c.status, statusBadge(job.status),
      active || job.status === 'SUCCEEDED'
        ? h('progress', {max: 1, value: fraction, 'aria-label': `Progress of ${job.name || job.id}`}) : null,
      h('span', {class: 'progress-text muted'}, active ? progressText(job) : ''));
    c.members.textContent = String(f.members);
    c.bestVal.textContent = percent(f.bestVal);
    c.test.textContent = percent(f.test);
    c.duration.textContent = duration(f.seconds);
    c.samples.textContent = num(f.samples, 0);
    c.created.replaceChildren(h('time', {datetime: job.createdAt}, dateTime(job.createdAt)));
  }

  function draw() {
    const column = COLUMNS.find((c) => c.key === state.sort);
    const sign = state.dir === 'asc' ? 1 : -1;
    const keyed = jobs.map((j) => ({job: j, value: column.value(j, figures(j))}));
    keyed.sort((a, b) => {
      const missingA = a.value === null || a.value === undefined;
      const missingB = b.value === null || b.value === undefined;
      if (missingA || missingB) return compare(a.value, b.value);
      return sign * compare(a.value, b.value) || compare(b.job.createdAt, a.job.createdAt);
    });
    const pages = Math.max(1, Math.ceil(keyed.length / PAGE_SIZE));
    state.page = Math.min(state.page, pages);
    const shown = keyed.slice((state.page - 1) * PAGE_SIZE, state.page * PAGE_SIZE).map((k) => k.job);
    const wanted = shown.map((job) => {
      let row = rows.get(job.id);
      if (!row) {
        row = makeRow(job);
        rows.set(job.id, row);
      }
      updateRow(row, job);
      return row.tr;
    });
    const same = wanted.length === body.children.length && wanted.every((tr, i) => body.children[i] === tr);
    if (!same) body.replaceChildren(...wanted);
    if (jobs.length === 0) {
      body.replaceChildren(h('tr', {}, h('td', {colspan: COLUMNS.length + 1, class: 'muted'},
        state.status ? `No ${state.status.toLowerCase()} jobs.` : 'No jobs yet.')));
    }
    count.textContent = `${total} job${total === 1 ? '' : 's'}${state.status ? ` ${state.status.toLowerCase()}` : ''}`
      + (total > jobs.length ? ` (the newest ${jobs.length} are sorted here)` : '');
    pagerFor(pages);
  }

  function pagerFor(pages) {
    if (pages <= 1) {
      pager.replaceChildren();
      return;
    }
    const go = (page) => {
      state.page = page;
      ctx.setQuery({page: page === 1 ? null : page});
      draw();
    };
    pager.replaceChildren(
      h('button', {type: 'button', class: 'secondary', disabled: state.page <= 1, onclick: () => go(state.page - 1)}, 'Previous'),
      h('span', {'aria-current': 'page'}, `Page ${state.page} of ${pages}`),
      h('button', {type: 'button', class: 'secondary', disabled: state.page >= pages, onclick: () => go(state.page + 1)}, 'Next'));
  }

  let timer = null;
  async function refresh() {
    clearTimeout(timer);
    try {
      const answer = await fetchJobs(state.status, ctx.signal);
      if (ctx.signal.aborted) return;
      jobs = answer.jobs;
      total = answer.total;
      problem.replaceChildren();
      draw();
    } catch (error) {
      if (ctx.signal.aborted) return;
      problem.replaceChildren(errorBox(error));
    }
    const batchesActive = await batches.refresh(ctx.signal, state.status);
    if (ctx.signal.aborted) return;
    const active = batchesActive || jobs.some((j) => j.status === 'QUEUED' || j.status === 'RUNNING');
    live.textContent = active ? 'updating live' : '';
    table.dataset.refreshed = String((Number(table.dataset.refreshed) || 0) + 1);
    if (!ctx.signal.aborted) timer = setTimeout(refresh, active ? POLL_MS : IDLE_POLL_MS);
  }
  ctx.signal.addEventListener('abort', () => clearTimeout(timer));

  header();
  await refresh();
}
