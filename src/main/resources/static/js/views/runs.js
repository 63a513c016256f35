// Placeholder for the runs table, replaced by the runs view.
import {api} from '../api.js';
import {h} from '../dom.js';

export async function render(root, route, ctx) {
  const page = await api.get('/jobs', {size: 50}, {signal: ctx.signal});
  root.append(h('h1', {}, 'Runs'), h('p', {}, `${page.items?.length ?? 0} jobs`));
}
