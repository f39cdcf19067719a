import { startEngineEarly } from './ui/engine/engine-client';
import { routeOf } from './ui/lib/route';

const target = document.getElementById('app');
if (!target) throw new Error('the page has no #app element');
// The engine's worker starts first, for the pages that play (the others do not use it), and the page's own
// modules are loaded after: while the page's thread waits for them, it is free to hand the worker its
// script, which then compiles on its own thread while the page evaluates and mounts.
if (routeOf(location.hash) === 'playground' || new URLSearchParams(location.search).get('embed') === '1')
  startEngineEarly();
// Every chunk the imports below need is asked for now, once the worker is made: the browser fetches and
// compiles each, and runs none until its import (else each import would fetch its chunks only once the
// one before had been evaluated). Their styles are linked now too. The build writes their names here
// (vite.config.ts: "a.js,b.js,c.css"); the dev server leaves the marker, which names no file. The links
// are made as vite's own are (crossorigin ""), so that an import finds them and asks for nothing again.
const pageModules = '__KRBPLAY_PAGE_MODULES__';
for (const name of pageModules.split(',')) {
  const kind = /\.(js|css)$/.exec(name)?.[1];
  if (!kind) continue;
  const link = document.createElement('link');
  link.rel = kind === 'js' ? 'modulepreload' : 'stylesheet';
  link.crossOrigin = '';
  link.href = new URL(name, import.meta.url).href;
  document.head.append(link);
}
// The page's modules are evaluated a piece a task: svelte's runtime, then the sequence and the inspector
// with what they share (the ASN.1 registry among it), then the App; each import evaluates only what is not
// yet. The page mounts in a task of its own after them. (The page:* marks are for npm run bench -- ui.)
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
const { mount } = await import('svelte');
performance.mark('page:svelte evaluated');
await nextTask();
await import('./ui/components/Stage.svelte');
performance.mark('page:sequence evaluated');
await nextTask();
const { default: App } = await import('./ui/App.svelte');
performance.mark('page:app evaluated');
setTimeout(() => {
  mount(App, { target });
  performance.mark('page:mounted');
}, 0);
