// Charts on uPlot (served from its WebJar): line charts that grow as events arrive
// instead of being redrawn from scratch, and simple bar charts.

import uPlot from '/webjars/uplot/dist/uPlot.esm.js';
import {color, h} from './dom.js';

function decadesOnly(u, splits) {
  return splits.map((v) => (Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9 ? v : null));
}

/**
 * A line chart in `container`.
 *   options: {title, xLabel, yLabel, log (y axis log10), height, legend (false hides it),
 *             xIncrs (the x axis' tick steps, e.g. whole numbers for epochs),
 *             hooks (uPlot hooks, kept when the chart is rebuilt), bands,
 *             series: [{label, color?, dash?, width?, points?, fill?, paths?, show?, class? (of its legend row)}]}
 *   data: [xs, ys1, ys2, ...] (null for a gap)
 * Returns {plot, setData(data, keepZoom), append(x, values), setLog(bool), destroy()}.
 */
export function lineChart(container, options, data) {
  const figure = h('figure', {class: 'chart'});
  if (options.title) figure.append(h('figcaption', {}, options.title));
  container.append(figure);
  const width = () => Math.max(280, figure.clientWidth || container.clientWidth || 600);
  const makeOptions = (log) => ({
    width: width(),
    height: options.height || 260,
    scales: {x: {time: false}, y: log ? {distr: 3} : {}},
    axes: [
      {label: options.xLabel || '', stroke: '#333', grid: {stroke: '#e5e5e5'}, incrs: options.xIncrs},
      {label: options.yLabel || '', stroke: '#333', size: 60,
        // on a log axis, ticks and grid lines at powers of ten only (2…9 crowd a small chart)
        grid: log ? {stroke: '#e5e5e5', filter: decadesOnly} : {stroke: '#e5e5e5'},
        ...(log ? {ticks: {filter: decadesOnly}} : {})},
    ],
    legend: {live: true, show: options.legend ?? true},
    cursor: {drag: {x: true, y: false}},
    hooks: options.hooks,
    series: [
      {label: options.xLabel || 'x'},
      ...options.series.map((s, i) => ({
        label: s.label,
        stroke: s.color || color(i),
        width: s.width || 1.5,
        dash: s.dash,
        fill: s.fill,
        spanGaps: false,
        points: {show: s.points ?? false},
        paths: s.paths,
        class: s.class,
        show: s.show ?? true,
      })),
    ],
    bands: options.bands,
  });
  let columns = data.map((column) => Array.from(column));
  let log = !!options.log;
  let plot = new uPlot(makeOptions(log), columns, figure);

  const resize = new ResizeObserver(() => plot.setSize({width: width(), height: options.height || 260}));
  resize.observe(figure);

  return {
    get plot() {
      return plot;
    },
    /** Replaces the data; keepZoom keeps the x range the user selected. */
    setData(next, keepZoom = true) {
      columns = next.map((column) => Array.from(column));
      const {min, max} = plot.scales.x;
      plot.setData(columns, !keepZoom);
      if (keepZoom && min !== undefined) plot.setScale('x', {min, max});
    },
    /** Appends one x value and one value per series (a live update), keeping the zoom. */
    append(x, values) {
      columns[0].push(x);
      for (let i = 0; i < values.length; i++) columns[i + 1].push(values[i] ?? null);
      const zoomed = plot.scales.x.min > columns[0][0] || plot.scales.x.max < columns[0][columns[0].length - 2];
      const {min, max} = plot.scales.x;
      plot.setData(columns, !zoomed);
      if (zoomed) plot.setScale('x', {min, max});
    },
    setLog(next) {
      if (next === log) return;
      log = next;
      const shown = plot.series.slice(1).map((s) => s.show);
      plot.destroy();
      const opts = makeOptions(log);
      shown.forEach((show, i) => {
        opts.series[i + 1].show = show;
      });
      plot = new uPlot(opts, columns, figure);
    },
    destroy() {
      resize.disconnect();
      plot.destroy();
      figure.remove();
    },
  };
}

export {uPlot};
