// Shared helpers for the end-to-end tests: build the static site, serve it on a loopback port, and drive
// Debian's Chromium with playwright-core, recording every request the page makes.
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { hasPackages } from '../setup/needs';

export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
export const distDir = join(projectRoot, 'dist');
export const CHROMIUM_PATH = '/usr/bin/chromium';

const run = promisify(execFile);

/** True when the browser suites can run; otherwise says loudly why they are skipped. */
export function chromiumAvailable(): boolean {
  if (!hasPackages('chromium')) return false;
  if (!existsSync(CHROMIUM_PATH)) {
    console.warn(`!!! SKIPPED: this suite needs Chromium at ${CHROMIUM_PATH} (Debian package chromium)`);
    return false;
  }
  return true;
}

function newestMtime(dir: string, skip: (path: string) => boolean): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (skip(path)) continue;
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path, skip) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Builds the playground into dist/ with vite's build() when dist/ is missing or older than the sources
 * the page is made from (npm test builds first, so there this is a no-op).
 */
export async function buildSiteIfStale(): Promise<void> {
  const index = join(distDir, 'index.html');
  const skip = (p: string) =>
    p.startsWith(join(projectRoot, 'src', 'cli')) || p.startsWith(join(projectRoot, 'src', 'node'));
  const sources = Math.max(
    newestMtime(join(projectRoot, 'src'), skip),
    existsSync(join(projectRoot, 'public')) ? newestMtime(join(projectRoot, 'public'), () => false) : 0,
    // the build's own settings (its plugin writes into the page's entry)
    statSync(join(projectRoot, 'vite.config.ts')).mtimeMs,
  );
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  await buildSite(distDir);
}

/**
 * Builds the playground into `outDir` as `npm run build` does. vite runs in a process of its own: inside
 * vitest NODE_ENV is "test", and a build made there compiles Svelte in development mode (its checks and
 * locations in every component, about three times the script), which is not the page users get.
 */
export async function buildSite(outDir: string): Promise<void> {
  const vite = join(projectRoot, 'node_modules', 'vite', 'bin', 'vite.js');
  await run(process.execPath, [vite, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: projectRoot,
    env: { ...process.env, NODE_ENV: 'production' },
  });
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json',
};

export interface StaticServer {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  close(): Promise<void>;
}

/**
 * Serves a folder read-only on a random loopback port (GET and HEAD; nothing outside the folder), and
 * `pages` (path → HTML) from memory beside it: a test's own page, such as one that iframes the app.
 */
export async function serveStatic(root: string, pages: Record<string, string> = {}): Promise<StaticServer> {
  const base = normalize(root + sep);
  const server: Server = createServer((req, res) => {
    void (async () => {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405).end();
        return;
      }
      const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      const page = Object.hasOwn(pages, pathname) ? pages[pathname] : undefined;
      if (page !== undefined) {
        res.writeHead(200, { 'content-type': MIME['.html']!, 'cache-control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : page);
        return;
      }
      const file = normalize(join(base, pathname.endsWith('/') ? `${pathname}index.html` : pathname));
      if (!file.startsWith(base)) {
        res.writeHead(403).end();
        return;
      }
      try {
        const body = await readFile(file);
        res.writeHead(200, {
          'content-type': MIME[extname(file)] ?? 'application/octet-stream',
          'cache-control': 'no-store',
        });
        res.end(req.method === 'HEAD' ? undefined : body);
      } catch {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the static server has no port');
  return {
    origin: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** What a page did while a test watched it. */
export interface PageRecord {
  page: Page;
  context: BrowserContext;
  /** Every request URL the page made, in order. */
  requests: string[];
  /** Requests to anywhere but the served origin (they are aborted, and the test should fail). */
  foreignRequests(): string[];
  /** Uncaught exceptions and console errors in the page. */
  errors: string[];
}

/** Schemes that never leave the browser. */
const LOCAL_SCHEMES = new Set(['data:', 'blob:', 'about:']);

/**
 * Opens a page in a fresh context that records every request, aborts any to another origin (so a test
 * cannot pass by quietly reaching the internet), and collects page errors.
 */
export async function openPage(browser: Browser, origin: string, path = '/'): Promise<PageRecord> {
  const context = await browser.newContext();
  const requests: string[] = [];
  const errors: string[] = [];
  const isForeign = (url: string) => {
    const u = new URL(url);
    return !LOCAL_SCHEMES.has(u.protocol) && u.origin !== origin;
  };
  await context.route('**/*', (route) =>
    isForeign(route.request().url()) ? route.abort() : route.continue(),
  );
  const page = await context.newPage();
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console error: ${m.text()}`);
  });
  await page.goto(origin + path, { waitUntil: 'load' });
  return { page, context, requests, foreignRequests: () => requests.filter(isForeign), errors };
}

/** What a suite's afterAll asserts of every page its `open` opened. */
export type PageCheck = 'requests and errors' | 'requests' | 'errors' | 'nothing';

export interface BrowserSuiteOptions {
  /** The folder to serve; dist/ (built first when stale) unless given. */
  root?: string;
  /** Pages served from memory beside it (see serveStatic). */
  pages?: Record<string, string>;
  /** 'requests': no page reached another origin; 'errors': none threw or logged an error. */
  check?: PageCheck;
}

/** One Chromium and one server of the site for a describe block, from its beforeAll to its afterAll. */
export interface BrowserSuite {
  readonly browser: Browser;
  /** `http://127.0.0.1:PORT`, where the site is served. */
  readonly origin: string;
  /** Opens a page of the site (see openPage); afterAll checks it as the suite was told. */
  open(path?: string): Promise<PageRecord>;
}

/**
 * Registers a beforeAll that builds the site when stale, serves it and launches Chromium, and an
 * afterAll that checks every page `open` opened, then closes both. Call it first in a describe block:
 * its beforeAll runs before the block's own, its afterAll after them.
 */
export function useBrowser(options: BrowserSuiteOptions = {}): BrowserSuite {
  const check = options.check ?? 'requests and errors';
  const opened: PageRecord[] = [];
  let server: StaticServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    if (options.root === undefined) await buildSiteIfStale();
    server = await serveStatic(options.root ?? distDir, options.pages);
    browser = await launchChromium();
  }, 300_000);
  afterAll(async () => {
    try {
      for (const v of opened) {
        if (check === 'requests and errors' || check === 'requests') expect(v.foreignRequests()).toEqual([]);
        if (check === 'requests and errors' || check === 'errors') expect(v.errors).toEqual([]);
      }
    } finally {
      await browser?.close();
      await server?.close();
    }
  });
  const started = <T>(what: T | undefined): T => {
    if (what === undefined)
      throw new Error('useBrowser: the suite has not started (its beforeAll runs first)');
    return what;
  };
  return {
    get browser() {
      return started(browser);
    },
    get origin() {
      return started(server).origin;
    },
    async open(path = '/') {
      const v = await openPage(started(browser), started(server).origin, path);
      opened.push(v);
      return v;
    },
  };
}

/**
 * An init script (`context.addInitScript(holdDetails)`): runs in the page before its scripts, and from the
 * moment the test sets window.__hold, the page's 'detail' requests to its worker wait in window.__held until
 * window.__release() sends them; a test widens the window between a step shown and its message opened.
 */
export function holdDetails(): void {
  const w = window as unknown as { __hold: boolean; __held: (() => void)[]; __release(): void };
  w.__hold = false;
  w.__held = [];
  w.__release = () => {
    w.__hold = false;
    for (const send of w.__held.splice(0)) send();
  };
  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (this: Worker, message: unknown, ...rest: unknown[]) {
    const send = () => (post as (...a: unknown[]) => void).call(this, message, ...rest);
    if (w.__hold && (message as { kind?: string })?.kind === 'detail') w.__held.push(send);
    else send();
  } as typeof Worker.prototype.postMessage;
}

/**
 * Until the trace has every row of its step: it adds many rows a slice a frame, aria-busy meanwhile (and a
 * page with no trace yet, or on another page, has nothing to wait for).
 */
export async function traceWhole(page: Page): Promise<void> {
  // (a locator's wait, not expect.poll: it serves in beforeAll too)
  await page.locator('[data-testid="trace"][aria-busy="true"]').waitFor({ state: 'detached' });
}

/**
 * Plays the scenario the page opened to its last step, once the playground is there, and waits until the
 * trace has every row of it.
 */
export async function toLastStep(page: Page): Promise<void> {
  await page.locator('[data-testid="playground"][aria-busy="false"]').waitFor({ timeout: 60_000 });
  await page.getByTestId('step-last').click();
  await page
    .getByTestId('step-count')
    .filter({ hasText: /^Step (\d+) of \1$/ })
    .waitFor({ timeout: 60_000 });
  await traceWhole(page);
}

/**
 * What the console printed, once it has every line: a step that prints many (a clock move of hours, a run
 * played to its end) adds them a slice a frame, aria-busy meanwhile.
 */
export async function consoleWhole(page: Page): Promise<string> {
  await page.locator('[data-testid="console-lines"][aria-busy="true"]').waitFor({ state: 'detached' });
  return (await page.getByTestId('console-lines').textContent()) ?? '';
}

/** The Kerberos messages of the trace once it is whole (modelled steps left out), as the list labels them. */
export async function kerberosMessages(page: Page): Promise<(string | null)[]> {
  await traceWhole(page);
  return page
    .locator('[data-testid^="row-"][data-kind="message"]')
    .evaluateAll((els) =>
      els
        .filter((e) => !e.closest('li')?.classList.contains('modelled'))
        .map((e) => e.getAttribute('data-type')),
    );
}
