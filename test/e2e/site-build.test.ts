// The site the browser suites and `npm run bench -- ui` drive is the one users get: when a suite builds it
// (dist/ stale), the build is vite's production build, not Svelte's development mode (which adds checks and
// source locations to every component and slows every render).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
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
});
