import { mount } from 'svelte';
import App from './ui/App.svelte';
import { startEngineEarly } from './ui/engine/engine-client';
import { routeOf } from './ui/lib/route';

const target = document.getElementById('app');
if (!target) throw new Error('the page has no #app element');
// the engine's worker loads its script while the page mounts, for the pages that play (the others do not use it)
if (routeOf(location.hash) === 'playground' || new URLSearchParams(location.search).get('embed') === '1')
  startEngineEarly();
// the page mounts in a task of its own, not in the one that evaluated this script: two shorter tasks, the
// browser free between them
setTimeout(() => mount(App, { target }), 0);
