// #/ensembles/ID: the members with their weights and test accuracies beside the ensemble's.

import {api} from '../api.js';
import {dateTime, h, num, percent, shortId} from '../dom.js';

export async function render(root, route, ctx) {
  const id = route.params.id;
  const ensemble = await api.get(`/ensembles/${encodeURIComponent(id)}`, null, {signal: ctx.signal});
  const members = await Promise.all(ensemble.modelIds.map((modelId) =>
    api.get(`/models/${modelId}`, null, {signal: ctx.signal}).catch(() => null)));
  const accuracies = ensemble.metrics?.memberTestAccuracies || [];
  const weights = ensemble.weights;
  const weightSum = weights ? weights.reduce((a, b) => a + b, 0) : ensemble.modelIds.length;
  const best = accuracies.length ? Math.max(...accuracies.filter((a) => a !== null)) : null;
  const test = ensemble.metrics?.testAccuracy;

  root.append(
    h('h1', {}, 'Ensemble ', h('span', {}, ensemble.name || ''), ' ', shortId(ensemble.id)),
    h('p', {class: 'muted'}, `${ensemble.modelIds.length} members · created ${dateTime(ensemble.createdAt)}`),
    h('div', {class: 'row actions'},
      h('a', {class: 'button', href: `#/playground?ensemble=${ensemble.id}`}, 'Try in the playground')),
    h('section', {class: 'card narrow', 'aria-labelledby': 'ensemble-metrics'},
      h('h2', {id: 'ensemble-metrics'}, 'Test accuracy'),
      test === null || test === undefined
        ? h('p', {class: 'muted'}, 'Not evaluated: the ensemble was created without a test set.')
        : h('dl', {class: 'facts'},
          h('dt', {}, 'Ensemble'), h('dd', {dataset: {metric: 'testAccuracy'}}, percent(test)),
          h('dt', {}, 'Best member'), h('dd', {}, percent(best)),
          h('dt', {}, 'Mean of the members'),
          h('dd', {}, percent(accuracies.length ? accuracies.reduce((a, b) => a + b, 0) / accuracies.length : null)),
          h('dt', {}, 'Gain over the best member'),
          h('dd', {}, best === null ? '–' : `${num(100 * (test - best), 2)} points`))),
    h('section', {'aria-labelledby': 'members-title'},
      h('h2', {id: 'members-title'}, 'Members'),
      h('table', {class: 'members'},
        h('thead', {}, h('tr', {},
          h('th', {scope: 'col'}, 'Model'),
          h('th', {scope: 'col', class: 'num'}, 'Member'),
          h('th', {scope: 'col', class: 'num'}, 'Seed'),
          h('th', {scope: 'col', class: 'num'}, 'Weight'),
          h('th', {scope: 'col', class: 'num'}, 'Test accuracy (ensemble\'s test set)'),
          h('th', {scope: 'col', class: 'num'}, 'Test accuracy (job\'s test set)'))),
        h('tbody', {}, ensemble.modelIds.map((modelId, i) => {
          const model = members[i];
          const weight = weights ? weights[i] : 1;
          return h('tr', {},
            h('th', {scope: 'row'}, h('a', {href: `#/models/${modelId}`}, shortId(modelId))),
            h('td', {class: 'num'}, model ? model.member : '–'),
            h('td', {class: 'num'}, model ? String(model.seed) : '–'),
            h('td', {class: 'num'}, `${num(weight, 3)} (${percent(weightSum ? weight / weightSum : null, 1)})`),
            h('td', {class: 'num'}, percent(accuracies[i])),
            h('td', {class: 'num'}, percent(model?.metrics?.testAccuracy)));
        })))));
}
