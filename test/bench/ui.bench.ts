// npm run bench -- ui: the page's main thread in Chromium, over what a learner does first: load the
// playground on happy-path, play it to the end a step at a time (the first share mount included), select
// five messages, "expand all" on the last, and move the clock 10 hours by typing. A PerformanceObserver
// for 'longtask', installed before the page's own scripts run, records every main-thread task over 50 ms;
// the bench prints the longest of each phase and overall (the load up to the playground's last part
// mounted; a step and the clock move up to the trace holding every row they added), and the time from
// navigation until the frame that first draws the playground, on the page's own clock. The goal is no task
// over 50 ms; like every bench it measures and
// prints, and never fails on speed (it checks that what it timed happened: each step played, each message
// opened, the tree expanded, a clock step added).
//
// KRBPLAY_BENCH_UI_RUNS=3 sets how many fresh page loads are measured (the figures are the worst run);
// KRBPLAY_BENCH_UI_DIST=DIR measures another build of the site (an older commit's, to compare);
// KRBPLAY_BENCH_UI_CPU=1 also traces the page in Chromium and prints each phase's longest task by the main
// thread's own CPU time, a figure that a machine busy with other work inflates far less than the wall time,
// and below it each run's longest task of each phase, under 50 ms too, by CPU time and by wall time: the
// figures to compare two builds by when both are under the goal.
import { describe, expect, test } from 'vitest';
import type { CDPSession, Locator, Page } from 'playwright-core';
import { chromiumAvailable, useBrowser } from '../e2e/browser';
import { cpuTasks, longTasks, openObserved, type Task } from './long-tasks';

interface Phase {
  name: string;
  from: number;
  to: number;
}

async function now(page: Page): Promise<number> {
  return page.evaluate(() => performance.now());
}

/**
 * Runs in the page before its scripts: when the playground first comes into the page, the end of the
 * frame that draws it (a task posted from that frame's animation callback runs once the frame is made) is
 * kept in window.__onScreen, and when its last part has mounted (aria-busy false), window.__allMounted. On
 * the page's own clock: not when the bench, a round trip away, notices.
 */
function observeOnScreen(): void {
  const w = window as unknown as { __onScreen?: number; __allMounted?: number };
  const seen = new MutationObserver(() => {
    const pg = document.querySelector('[data-testid="playground"]');
    if (!pg) return;
    if (w.__onScreen === undefined && !('__drawing' in w)) {
      (w as Record<string, unknown>).__drawing = true;
      requestAnimationFrame(() => setTimeout(() => (w.__onScreen = performance.now()), 0));
    }
    if (pg.getAttribute('aria-busy') !== 'true' && w.__allMounted === undefined) {
      w.__allMounted = performance.now();
      seen.disconnect();
    }
  });
  seen.observe(document, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ['aria-busy'],
  });
}

/**
 * The page's and the engine's start as marks on the page's clock (ms after navigation): the page's modules
 * evaluated, the App mounted and the first request asked (page:*, main.ts and engine-client.ts), the worker
 * made (the page's mark), its script fetched, compiled and evaluated, the first requests received and
 * answered (the worker's marks, engine:*, moved from the worker's time origin to the page's).
 */
async function engineStart(page: Page): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const pageSide = await page.evaluate(() => ({
    origin: performance.timeOrigin,
    marks: performance.getEntriesByType('mark').map((m) => [m.name, m.startTime] as const),
  }));
  for (const [name, t] of pageSide.marks)
    if (/^(engine|page):/.test(name)) out.set(name.replace(/^engine:/, ''), t);
  const engine = page.workers().find((w) => /\/worker-[^/]*\.js$/.test(w.url()));
  if (!engine) return out;
  const workerSide = await engine.evaluate(() => ({
    origin: performance.timeOrigin,
    marks: performance.getEntriesByType('mark').map((m) => [m.name, m.startTime] as const),
  }));
  const shift = workerSide.origin - pageSide.origin;
  out.set('worker scope made', shift);
  for (const [name, t] of workerSide.marks) if (name.startsWith('engine:')) out.set(name.slice(7), shift + t);
  return out;
}

/**
 * Waits, without putting any script into the page, until the playground is on screen and its last part
 * has mounted (an older build has no parts, no aria-busy: there the playground is whole once it is there).
 */
async function loadSeen(page: Page): Promise<{ usableMs: number; allMounted: number }> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const [usableMs, allMounted] = await cdpValue<[number, number]>(
      cdp,
      'window.__onScreen !== undefined && window.__allMounted !== undefined ? [window.__onScreen, window.__allMounted] : null',
      'the playground on screen',
    );
    return { usableMs, allMounted };
  } finally {
    await cdp.detach();
  }
}

/** Playwright's own scripts in the page (a locator's and waitForFunction's), injected outside any phase. */
async function harnessReady(page: Page): Promise<void> {
  await page.getByTestId('playground').waitFor();
  await page.waitForFunction(() => document.readyState === 'complete');
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
}

/** The middle of an element on the page, read outside any phase (a click there needs no script in the page). */
async function centreOf(locator: Locator): Promise<{ x: number; y: number }> {
  await locator.scrollIntoViewIfNeeded();
  const box = await locator.boundingBox();
  if (!box) throw new Error('the element to click is not on screen');
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/**
 * Polls an expression through the DevTools protocol, which runs it as a task of its own in the page and puts
 * no script there, until its value is neither null nor false; `what` names it when it never comes.
 */
async function cdpValue<T>(cdp: CDPSession, expression: string, what: string): Promise<T> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const r = (await cdp.send('Runtime.evaluate', { expression, returnByValue: true })) as {
      result: { value?: T | null | false };
    };
    const value = r.result.value;
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not come within 120 s`);
    await new Promise((res) => setTimeout(res, 10));
  }
}

/**
 * Clicks at `at` with the browser's own input, once the page has drawn a frame (so that what is read here
 * finds the layout done, and makes none) and the element there is the one meant (`is`, an expression of
 * `el`, the element at that point): a control that moved fails the run at once, not after a wait that never
 * ends.
 */
async function clickAt(page: Page, cdp: CDPSession, at: { x: number; y: number }, is: string, what: string) {
  const expression = `new Promise((done) => requestAnimationFrame(() => setTimeout(() => {
    const el = document.elementFromPoint(${at.x}, ${at.y});
    done(${is});
  }, 0)))`;
  const r = (await cdp.send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true })) as {
    result: { value?: unknown };
  };
  if (r.result.value !== true) throw new Error(`${what} is no longer at (${at.x}, ${at.y})`);
  await page.mouse.click(at.x, at.y);
}

/** The phases after the load: play, select, expand all, move the clock. */
async function phasesAfterLoad(page: Page, cdp: CDPSession, phases: Phase[]): Promise<void> {
  const until = (expression: string) => cdpValue<true>(cdp, expression, `the page reaching ${expression}`);
  // a step is over when its count is on screen and the trace has every row it added (a slice a frame)
  const stepDone = (text: string) =>
    `document.querySelector('[data-testid="step-count"]')?.textContent?.includes(${JSON.stringify(text)}) === true && document.querySelector('[data-testid="trace"][aria-busy="true"]') === null`;

  const total = Number((await page.getByTestId('step-count').textContent())!.match(/of (\d+)/)![1]);
  const forward = await centreOf(page.getByTestId('step-forward'));
  let from = await now(page);
  for (let step = 1; step <= total; step++) {
    await clickAt(page, cdp, forward, `el?.closest('[data-testid="step-forward"]') != null`, 'step forward');
    await until(stepDone(`Step ${step} of ${total}`));
  }
  await until(
    `document.querySelector('[data-testid="step-forward"]')?.getAttribute('aria-disabled') === 'true'`,
  );
  phases.push({ name: `play ${total} steps`, from, to: await now(page) });

  from = await now(page);
  // real messages (a modelled one has no bytes to decode)
  const rows = page.locator('li.row:not(.modelled) > [data-testid^="row-"][data-kind="message"]');
  const count = await rows.count();
  expect(count).toBeGreaterThanOrEqual(5);
  for (let i = 0; i < 5; i++) {
    // four spread over the trace, then a TGS-REQ (a big tree, with two opened parts, to expand)
    const row =
      i < 4
        ? rows.nth(Math.floor((i * (count - 1)) / 4))
        : page.locator('[data-testid^="row-"][data-type="TGS-REQ"]').last();
    const seq = await row.getAttribute('data-seq');
    await row.click();
    // this message's own header, not the one before (two picks may be of one type)
    await page.locator('[data-testid="inspector"] .seq', { hasText: new RegExp(`^#${seq}$`) }).waitFor();
  }
  phases.push({ name: 'select 5 messages', from, to: await now(page) });

  // the tree opens a slice a frame and draws only the fields in sight: its own count of fields on screen says
  // how far it has opened, and aria-busy when it is done
  const tree = page.getByTestId('tree');
  const before = Number(await tree.getAttribute('data-fields'));
  const expand = await centreOf(page.getByRole('button', { name: 'expand all', exact: true }));
  from = await now(page);
  await clickAt(
    page,
    cdp,
    expand,
    `el?.closest('button')?.textContent?.trim() === 'expand all'`,
    'expand all',
  );
  await until(
    `(() => { const t = document.querySelector('[data-testid="tree"]'); return !!t && Number(t.getAttribute('data-fields')) > ${before} && t.getAttribute('aria-busy') === 'false'; })()`,
  );
  phases.push({ name: 'expand all', from, to: await now(page) });
  expect(await tree.locator('[role="treeitem"][aria-expanded="false"]').count()).toBe(0);

  // the clock moved by typing: one clock step (the hosts' own work on the way, a TGT ending, is traced)
  const stepsBefore = Number((await page.getByTestId('step-count').textContent())!.match(/of (\d+)/)![1]);
  const clock = page.getByTestId('clock-input');
  await clock.focus();
  await clock.selectText();
  from = await now(page);
  await page.keyboard.insertText('+10h');
  await page.keyboard.press('Enter');
  await until(stepDone(`of ${stepsBefore + 1}`));
  phases.push({ name: 'clock moves 10h', from, to: await now(page) });
}

async function oneRun(
  page: Page,
): Promise<{ phases: Phase[]; tasks: Task[]; usableMs: number; start: Map<string, number> }> {
  const phases: Phase[] = [];
  // The load is waited for through the DevTools protocol's own evaluation, which puts nothing in the page:
  // playwright's locators and waitForFunction first inject playwright's script into the page, a task of
  // 40-70 ms on this page's thread that is the bench's, not the page's. It is injected once the load is
  // over (harnessReady), before the next phase starts.
  const { usableMs, allMounted } = await loadSeen(page);
  phases.push({ name: 'load', from: 0, to: Math.max(usableMs, allMounted) });
  // (an older build, measured to compare, has no marks: its lines say only when it was on screen)
  const start = await engineStart(page);
  await harnessReady(page);

  // The steps, "expand all" and the clock are driven as a user drives them, by the browser's own input
  // (a click at a place, keys typed), and waited for through the DevTools protocol's evaluation: playwright's
  // actions check the target first and its waits poll, both with script in the page and in its frames
  // (10-20 ms of a step's frame), which is the bench's work and not the page's. Where to click is read
  // before the phase starts. The selections keep playwright's clicks: a row may first have to be scrolled to.
  const cdp = await page.context().newCDPSession(page);
  try {
    await phasesAfterLoad(page, cdp, phases);
  } finally {
    await cdp.detach();
  }
  const tasks = await longTasks(page);
  return { phases, tasks, usableMs, start };
}

describe.skipIf(!chromiumAvailable())('the page in Chromium: main-thread long tasks', () => {
  // KRBPLAY_BENCH_UI_DIST: another build, served as it is; the pages are checked in the test
  const site = useBrowser({ root: process.env.KRBPLAY_BENCH_UI_DIST, check: 'nothing' });

  test('load, play happy-path, select 5 messages, expand all, move the clock', async () => {
    const runs = Number(process.env.KRBPLAY_BENCH_UI_RUNS ?? 3);
    const traced = process.env.KRBPLAY_BENCH_UI_CPU === '1';
    const worst = new Map<string, number>();
    const worstCpu = new Map<string, number>();
    const longest = (tasks: Task[], p: { from: number; to: number }) =>
      Math.max(
        0,
        ...tasks.filter((t) => t.start + t.duration > p.from && t.start < p.to).map((t) => t.duration),
      );
    let usable = 0;
    const starts: string[] = [];
    // from the trace, each run's longest task of each phase: "CPU/wall" in ms
    const perRun = new Map<string, string[]>();
    for (let r = 0; r < runs; r++) {
      // a fresh context (its own storage and caches); the observer goes in before the measured load
      const v = await openObserved(site, '/#/s/happy-path', { scripts: [observeOnScreen], trace: traced });
      const { phases, tasks, usableMs, start } = await oneRun(v.page);
      const traceTasks = traced ? await cpuTasks(v.page, 0) : [];
      const cpu = traceTasks.filter((t) => t.duration > 50);
      usable = Math.max(usable, usableMs);
      const marks = [...start].sort((a, b) => a[1] - b[1]).map(([name, t]) => `${name} ${t.toFixed(0)}`);
      starts.push(`  run ${r + 1}: ${[...marks, `on screen ${usableMs.toFixed(0)}`].join(', ')}`);
      for (const p of phases) {
        worst.set(p.name, Math.max(worst.get(p.name) ?? 0, longest(tasks, p)));
        worstCpu.set(p.name, Math.max(worstCpu.get(p.name) ?? 0, longest(cpu, p)));
        const inPhase = traceTasks.filter((t) => t.start + (t.wall ?? 0) > p.from && t.start < p.to);
        const top = inPhase.reduce<Task | undefined>(
          (a, t) => (a && a.duration >= t.duration ? a : t),
          undefined,
        );
        const wall = Math.max(0, ...inPhase.map((t) => t.wall ?? 0));
        if (traced)
          perRun.set(p.name, [
            ...(perRun.get(p.name) ?? []),
            `${(top?.duration ?? 0).toFixed(0)}/${wall.toFixed(0)}`,
          ]);
      }
      expect(v.foreignRequests()).toEqual([]);
      expect(v.errors).toEqual([]);
      await v.context.close();
    }
    const all = Math.max(...worst.values());
    console.log(`\nui: ${runs} fresh loads of happy-path at 1280×800 (the worst run of each phase)`);
    const over = (ms: number) => (ms ? `${ms.toFixed(0)} ms` : 'none over 50 ms');
    for (const [name, ms] of worst) {
      const cpu = traced ? `; by CPU time ${over(worstCpu.get(name) ?? 0)}` : '';
      console.log(`  ${name.padEnd(20)} longest main-thread task ${over(ms)}${cpu}`);
    }
    // (none over 50 ms in every phase is "none", not "0 ms")
    const allCpu = traced ? `; by CPU time ${over(Math.max(...worstCpu.values()))}` : '';
    console.log(`  overall              longest main-thread task ${over(all)}${allCpu} (goal ≤ 50 ms)`);
    console.log(`  playground on screen ${usable.toFixed(0)} ms after navigation (goal ≤ 1000 ms)`);
    if (traced) {
      console.log('each run, the longest task of each phase in the trace, by CPU time/by wall time (ms):');
      for (const [name, runs] of perRun) console.log(`  ${name.padEnd(20)} ${runs.join('  ')}`);
    }
    console.log(
      'the page (page:*) and the engine on the way (ms after navigation; the worker scope is made once its script arrives):',
    );
    for (const line of starts) console.log(line);
  });
});
