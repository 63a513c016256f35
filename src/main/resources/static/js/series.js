// Arithmetic behind the run views' charts: smoothing, mean and spread over members,
// percentiles read off a histogram, specs flattened to JSON Pointers, and the tables that
// carry each chart's raw numbers for keyboards and screen readers.

import {h, num} from './dom.js';

/**
 * TensorBoard's smoothing: an exponential moving average debiased like Adam's first
 * moment (divided by 1 - weight^n), so that the first points are not pulled towards 0.
 * Gaps (null) stay gaps and do not reset the average.
 */
export function debiasedEma(values, weight) {
  const out = new Array(values.length);
  let average = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined || !Number.isFinite(v)) {
      out[i] = null;
      continue;
    }
    n++;
    average = weight * average + (1 - weight) * v;
    out[i] = average / (1 - weight ** n);
  }
  return out;
}

/** Mean and (population) standard deviation of the present values, or nulls when none. */
export function meanStd(values) {
  let n = 0;
  let sum = 0;
  for (const v of values) {
    if (v !== null && v !== undefined && Number.isFinite(v)) {
      n++;
      sum += v;
    }
  }
  if (n === 0) return [null, null];
  const mean = sum / n;
  let sq = 0;
  for (const v of values) {
    if (v !== null && v !== undefined && Number.isFinite(v)) sq += (v - mean) ** 2;
  }
  return [mean, Math.sqrt(sq / n)];
}

/**
 * The value below which a fraction `q` of a histogram's mass lies, interpolating linearly
 * inside the bin that holds it (the counts are assumed spread evenly over each bin).
 */
export function histogramQuantile(counts, min, max, q) {
  let total = 0;
  for (const c of counts) total += c;
  if (total === 0 || counts.length === 0) return null;
  const width = (max - min) / counts.length;
  const target = q * total;
  let below = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i];
    if (c > 0 && below + c >= target) {
      return min + width * (i + (target - below) / c);
    }
    below += c;
  }
  return max;
}

/** {"/a/b": 1, "/c/0/type": "dense"} from {a: {b: 1}, c: [{type: "dense"}]} (RFC 6901). */
export function flattenPointers(value, prefix = '', out = {}) {
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
    if (entries.length === 0) out[prefix || '/'] = Array.isArray(value) ? '[]' : '{}';
    for (const [key, child] of entries) {
      flattenPointers(child, `${prefix}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`, out);
    }
  } else {
    out[prefix || '/'] = value;
  }
  return out;
}

/** The largest finite value, or null. */
export function maxOf(values) {
  let best = null;
  for (const v of values) {
    if (v !== null && v !== undefined && Number.isFinite(v) && (best === null || v > best)) best = v;
  }
  return best;
}

/**
 * A "Show table" disclosure with a chart's numbers: headers and rows of cells (numbers are
 * formatted, null shows as an en dash). Rows are built when it is first opened, so a
 * hidden table costs nothing.
 */
export function dataTable(summary, headers, rows, digits = 5) {
  const details = h('details', {class: 'chart-table'}, h('summary', {}, summary));
  let built = false;
  const build = () => {
    const body = h('tbody');
    for (const row of rows()) {
      body.append(h('tr', {}, row.map((cell, i) => (i === 0
        ? h('th', {scope: 'row'}, typeof cell === 'number' ? num(cell, digits) : String(cell ?? '–'))
        : h('td', {class: 'num'}, typeof cell === 'number' ? num(cell, digits) : String(cell ?? '–'))))));
    }
    const table = h('table', {}, h('thead', {}, h('tr', {}, headers.map((name) => h('th', {scope: 'col'}, name)))), body);
    details.replaceChildren(details.firstChild, h('div', {class: 'table-scroll'}, table));
  };
  details.addEventListener('toggle', () => {
    if (details.open) build();
    built = details.open;
  });
  details.refresh = () => {
    if (built) build();
  };
  return details;
}

/** uPlot's log axes need their range, padding included, within 1e-16 to 1e16: values beyond 1e±12 are drawn at that edge. */
export const LOG_FLOOR = 1e-12;
export const LOG_CEILING = 1e12;

/** Values ready for a log axis: non-positive and non-finite ones become gaps, the rest are clamped. */
export function forLogAxis(values) {
  return values.map((v) => (v === null || v === undefined || !Number.isFinite(v) || v <= 0
    ? null : Math.min(LOG_CEILING, Math.max(LOG_FLOOR, v))));
}

/** Tick steps for an axis of whole numbers (epochs). */
export const WHOLE_STEPS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10_000, 20_000, 50_000, 100_000];
