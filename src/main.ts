import { startEngineEarly } from './ui/engine/engine-client';
import { routeOf } from './ui/lib/route';

const target = document.getElementById('app');
if (!target) throw new Error('the page has no #app element');
// The engine's worker starts first, for the pages that play (the others do not use it), and the page's own
// modules are loaded after: while the page's thread waits for them, it is free to hand the worker its
// script, which then compiles on its own thread while the page evaluates and mounts.
if (routeOf(location.hash) === 'playground' || new URLSearchParams(location.search).get('embed') === '1')
  startEngineEarly();
const [{ mount }, { default: App }] = await Promise.all([import('svelte'), import('./ui/App.svelte')]);
// the page mounts in a task of its own, not in the one that evaluated its modules: two shorter tasks, the
// browser free between them
setTimeout(() => mount(App, { target }), 0);
