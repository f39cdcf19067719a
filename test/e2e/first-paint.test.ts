// The page's first paint waits for no key: the engine's worker builds the world without making any key
// from a password (the KDC makes each when a step first needs it, and the worker makes the rest with the
// browser's PBKDF2 after answering), so the playground it first shows reports 0 keys made. The count is
// the crypto layer's own (string-to-key runs), carried by each summary; after a step that signs in, it is
// no longer 0, so the attribute counts what it says. The page's own thread loads none of the other pages'
// code (the crypto proof's, the capture's, the paste's, and the crypto layer they use) until one is opened.
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable, useBrowser } from './browser';

describe.skipIf(!chromiumAvailable())('the first paint, in Chromium', () => {
  const site = useBrowser();

  test.each([
    ['the first scenario', '/'],
    ['a link to happy-path', '/#/s/happy-path'],
  ])('%s is on screen before any key is made from a password', async (_, path) => {
    const v = await site.open(path);
    const playground = v.page.getByTestId('playground');
    await playground.waitFor({ timeout: 60_000 });
    expect(await playground.getAttribute('data-step')).toBe('0');
    expect(await playground.getAttribute('data-keys-made')).toBe('0');

    // the first step signs in: the keys it needs are made then (or were made after the first paint)
    await v.page.getByTestId('step-forward').click();
    await v.page.locator('[data-testid="playground"][data-step="1"]').waitFor({ timeout: 60_000 });
    expect(Number(await playground.getAttribute('data-keys-made'))).toBeGreaterThan(0);
    expect(await v.page.locator('[data-testid^="row-"][data-kind="message"]').count()).toBeGreaterThan(0);
  });

  test('the playground mounts in parts, a task and a frame each: the step bar and the sequence first, the side column after', async () => {
    const v = await site.open('/');
    // in the page, before its scripts: a MutationObserver's callback runs at the end of the task that made
    // the change, so each record says what the page held when that task ended
    await v.context.addInitScript(() => {
      const seen: {
        parts: string | null;
        policies: boolean;
        story: boolean;
        clock: boolean;
        frames: number;
      }[] = [];
      (window as unknown as { __parts: typeof seen }).__parts = seen;
      // the frames the page has drawn so far
      let frames = 0;
      const count = () => {
        frames++;
        requestAnimationFrame(count);
      };
      requestAnimationFrame(count);
      new MutationObserver(() => {
        const pg = document.querySelector('[data-testid="playground"]');
        if (!pg) return;
        const parts = pg.getAttribute('data-parts');
        if (seen.at(-1)?.parts === parts) return;
        seen.push({
          parts,
          policies: !!document.querySelector('[data-testid="policy-editor"]'),
          story: !!document.querySelector('[data-testid="story"]'),
          clock: !!document.querySelector('[data-testid="clock-input"]'),
          frames,
        });
      }).observe(document, { subtree: true, childList: true, attributes: true });
    });
    await v.page.reload();
    const playground = v.page.getByTestId('playground');
    await v.page.locator('[data-testid="playground"][aria-busy="false"]').waitFor({ timeout: 60_000 });
    expect(await playground.getAttribute('data-parts')).toBe('8');
    expect(await v.page.getByTestId('step-forward').isVisible()).toBe(true);
    const seen = await v.page.evaluate(
      () =>
        (window as unknown as { __parts: { parts: string | null; policies: boolean; frames: number }[] })
          .__parts,
    );
    // the task that first drew the playground drew no part of the side column; every later task one part
    expect(seen.map((s) => s.parts)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8']);
    expect(seen[0]).toMatchObject({ parts: '0', policies: false, story: false, clock: false });
    // and each part after a frame had drawn the one before
    for (let i = 1; i < seen.length; i++)
      expect(seen[i]!.frames, `part ${seen[i]!.parts}`).toBeGreaterThan(seen[i - 1]!.frames);
    expect(seen.at(-1)).toMatchObject({ parts: '8', policies: true, story: true, clock: true });
  });

  /** The worker's own marks (worker.ts markOnce, the first of each name), on the page's clock. */
  async function workerMarks(page: Page): Promise<Record<string, number>> {
    const worker = page.workers().find((w) => /\/worker-[\w-]+\.js$/.test(w.url()));
    expect(worker).toBeDefined();
    const origin = await page.evaluate(() => performance.timeOrigin);
    const w = await worker!.evaluate(() => ({
      origin: performance.timeOrigin,
      marks: performance.getEntriesByType('mark').map((m) => [m.name, m.startTime] as const),
    }));
    return Object.fromEntries(w.marks.map(([name, t]) => [name, t + w.origin - origin]));
  }

  test('the worker makes keys ahead of need only once the page has drawn every part', async () => {
    const v = await site.open('/');
    // in the page: when the last part mounted (data-parts 8), on the page's clock
    await v.context.addInitScript(() => {
      new MutationObserver(() => {
        const pg = document.querySelector('[data-testid="playground"]');
        const w = window as unknown as { __lastPart?: number };
        if (pg?.getAttribute('data-parts') === '8' && w.__lastPart === undefined)
          w.__lastPart = performance.now();
      }).observe(document, { subtree: true, childList: true, attributes: true });
    });
    // a new document (a change of the hash alone would not load the page again)
    await v.page.goto('about:blank');
    await v.page.goto(site.origin + '/#/s/happy-path');
    await v.page.locator('[data-testid="playground"][aria-busy="false"]').waitFor({ timeout: 60_000 });
    await expect
      .poll(async () => (await workerMarks(v.page))['engine:keys ahead'], { timeout: 60_000 })
      .toBeDefined();
    const m = await workerMarks(v.page);
    const lastPart = await v.page.evaluate(() => (window as unknown as { __lastPart: number }).__lastPart);
    expect(m['engine:load answered']).toBeLessThan(lastPart);
    expect(m['engine:drawn received']).toBeGreaterThan(lastPart);
    expect(m['engine:keys ahead']).toBeGreaterThanOrEqual(m['engine:drawn received']!);
  });

  // A background tab, or an embed's iframe off screen, draws no frame: the parts, and the word to the
  // worker, do not wait for one there (the page below is made hidden, its animation frames never run)
  test('a hidden page mounts every part and lets the worker make its keys', async () => {
    const v = await site.open('/');
    await v.context.addInitScript(() => {
      Object.defineProperty(Document.prototype, 'visibilityState', { get: () => 'hidden' });
      Object.defineProperty(Document.prototype, 'hidden', { get: () => true });
      window.requestAnimationFrame = () => 0;
    });
    // a new document (a change of the hash alone would not load the page again)
    await v.page.goto('about:blank');
    await v.page.goto(site.origin + '/#/s/happy-path');
    await v.page.locator('[data-testid="playground"][aria-busy="false"]').waitFor({ timeout: 60_000 });
    expect(await v.page.getByTestId('playground').getAttribute('data-parts')).toBe('8');
    await expect
      .poll(async () => (await workerMarks(v.page))['engine:keys ahead'], { timeout: 60_000 })
      .toBeDefined();
  });

  // main.ts evaluates svelte's runtime, the sequence and the App a task each; the chunks and styles all three
  // need are asked for at once (vite.config.ts writes their names into the entry), right after the worker is
  // made, and not one import at a time, each after the one before had been evaluated
  test('the page asks for every module it mounts with at its start, after making the worker', async () => {
    const v = await site.open('/');
    // a new document (a change of the hash alone would not load the page again)
    await v.page.goto('about:blank');
    await v.page.goto(site.origin + '/#/s/happy-path');
    await v.page.locator('[data-testid="playground"][aria-busy="false"]').waitFor({ timeout: 60_000 });
    const seen = await v.page.evaluate(() => {
      const mark = (name: string) => performance.getEntriesByName(name, 'mark')[0]?.startTime;
      return {
        workerMade: mark('engine:worker made'),
        svelte: mark('page:svelte evaluated'),
        mounted: mark('page:mounted'),
        asked: performance
          .getEntriesByType('resource')
          .map((e) => ({ path: new URL(e.name).pathname, at: e.startTime }))
          .filter((e) => /\/assets\/[\w.-]+\.(js|css)$/.test(e.path))
          // the worker's own script: the worker asks for it, on its own thread, when it starts
          .filter((e) => !/\/(fleet-)?worker-[\w-]+\.js$/.test(e.path)),
      };
    });
    expect(seen.workerMade).toBeDefined();
    expect(seen.svelte).toBeGreaterThan(seen.workerMade!);
    const beforeMount = seen.asked.filter((e) => e.at < seen.mounted!);
    const named = (re: RegExp) => beforeMount.filter((e) => re.test(e.path));
    for (const part of [/\/App-[\w-]+\.js$/, /\/Stage-[\w-]+\.js$/, /\/App-[\w-]+\.css$/])
      expect(named(part).length, String(part)).toBeGreaterThan(0);
    // what the page asked for once it had begun to evaluate its modules: nothing
    expect(beforeMount.filter((e) => e.at > seen.svelte!).map((e) => e.path)).toEqual([]);
    // the page's components and their styles were asked for after the worker was made
    for (const e of named(/\/(App|Stage|TimelinePanel|registry)-[\w-]+\.(js|css)$/))
      expect(e.at, e.path).toBeGreaterThanOrEqual(seen.workerMade!);
  });

  test('the playground loads no other page’s code; the crypto proof loads its own when opened', async () => {
    const v = await site.open('/');
    await v.page.getByTestId('playground').waitFor({ timeout: 60_000 });
    const chunks = () => v.requests.map((u) => new URL(u).pathname).filter((p) => p.endsWith('.js'));
    const others = /\/(CryptoProof|CapturePage|PastePage|crypto)-[\w-]+\.js$/;
    expect(chunks().some((p) => /\/index-[\w-]+\.js$/.test(p))).toBe(true);
    expect(chunks().filter((p) => others.test(p))).toEqual([]);

    await v.page.getByTestId('nav-crypto').click();
    await v.page.getByTestId('etype').waitFor({ timeout: 60_000 });
    expect(chunks().some((p) => /\/CryptoProof-[\w-]+\.js$/.test(p))).toBe(true);
  });
});
