// The site the browser suites and `npm run bench -- ui` drive is the one users get: when a suite builds it
// (dist/ stale), the build is vite's production build, not Svelte's development mode (which adds checks and
// source locations to every component and slows every render).
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { buildSite } from './browser';

/** What Svelte 5 puts in a build only in development mode: component tags and keyed-each checks. */
const DEV_ONLY = ['componentTag', 'validate_each_keys'];

describe('the site the browser suites build', () => {
  const out = mkdtempSync(join(tmpdir(), 'krbplay-site-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  test('is the production build: no Svelte development code in its scripts', async () => {
    await buildSite(out);
    const scripts = readdirSync(join(out, 'assets')).filter((f) => f.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(0);
    const page = scripts.map((f) => readFileSync(join(out, 'assets', f), 'latin1')).join('\n');
    expect(page).toContain('krbplay');
    for (const marker of DEV_ONLY)
      expect(page.includes(marker), `${marker} in the built scripts`).toBe(false);
  }, 600_000);

  // main.ts makes the engine's worker before it imports the page's components: the worker's script is
  // fetched and compiled on its own thread while the page's thread loads, evaluates and mounts them
  test("the page's entry makes the engine's worker before it loads the page's components", async () => {
    if (!existsSync(join(out, 'index.html'))) await buildSite(out);
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    const entry = /<script type="module"[^>]* src="\.\/assets\/([\w.-]+\.js)"/.exec(html)?.[1];
    expect(entry).toBeDefined();
    // the entry's static graph: what runs before the entry's own code (its dynamic imports come after)
    const graph = new Map<string, string>();
    const visit = (file: string) => {
      if (graph.has(file)) return;
      const code = readFileSync(join(out, 'assets', file), 'utf8');
      graph.set(file, code);
      for (const m of code.matchAll(
        /(?:^|[;}\s])import\s*(?:[\w${},\s*]+from\s*)?["'`]\.\/([\w.-]+\.js)["'`]/g,
      ))
        visit(m[1]!);
    };
    visit(entry!);
    const code = [...graph.values()].join('\n');
    expect(code).toMatch(/new Worker\([^;]{0,80}`worker-[\w-]+\.js`/);
    expect(code).toMatch(/import\(`\.\/App-[\w-]+\.js`\)/);
    // the page's modules are evaluated a piece a task: the sequence's chunk is imported before the App's
    const stageAt = code.search(/import\(`\.\/Stage-[\w-]+\.js`\)/);
    expect(stageAt).toBeGreaterThan(-1);
    expect(stageAt).toBeLessThan(code.search(/import\(`\.\/App-[\w-]+\.js`\)/));
    // the components are not in it: it is a few kilobytes (the page's components are over 100)
    expect(code.length).toBeLessThan(16_000);
  }, 600_000);

  // The browser reads a script that is all ASCII one byte a character; a single other character (a "§" in
  // a string) makes it decode the whole file to two bytes a character first. And the catalogue's scenarios
  // reach the worker as JSON text (JSON.parse), which V8 reads faster than the same data as object literals.
  test("the site's scripts are ASCII, and the worker carries the catalogue as JSON text", async () => {
    if (!existsSync(join(out, 'index.html'))) await buildSite(out);
    const scripts = readdirSync(join(out, 'assets')).filter((f) => f.endsWith('.js'));
    for (const f of scripts) {
      const bytes = readFileSync(join(out, 'assets', f));
      const at = bytes.findIndex((b) => b > 0x7f);
      expect(at, `${f}: a byte over 0x7f at ${at}`).toBe(-1);
    }
    const worker = scripts.find((f) => /^worker-[\w-]+\.js$/.test(f));
    expect(worker).toBeDefined();
    const code = readFileSync(join(out, 'assets', worker!), 'latin1');
    // each catalogue file is parsed from its text: its id is inside the JSON string, not an object literal
    for (const id of ['happy-path', 'kerberos-101', 'two-forests'])
      expect(code, id).toMatch(new RegExp(`JSON\\.parse\\(\`\\{[^\`]{0,40}"id":"${id}"`));
  }, 600_000);
});
