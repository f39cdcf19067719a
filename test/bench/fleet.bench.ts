// npm run bench -- fleet: 10,000 users × 7 virtual days on the fast model, in Node: wall time, requests per
// second, peak memory, and that a second run gives the same bytes. Then a few users in the real world
// (every message encoded and encrypted), for the cost of a sampled user. Prints figures, never fails on
// them (the goal: under 60 s and under 1 GiB on a 2-core machine). Last, in Chromium, the Fleet view's
// 1,000 users × 7 days in its worker, and the longest task on the page's main thread meanwhile (goal: none
// over 50 ms).
import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { chromiumAvailable, useBrowser } from '../e2e/browser';
import { longTasks, openObserved } from './long-tasks';
import { exchanges, findFleetPreset, fleetCsv, fleetJson, runFleet } from '../../src/fleet';

const CLIENTS = Number(process.env.KRBPLAY_BENCH_FLEET_CLIENTS ?? 10_000);
const DAYS = 7;

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
const digest = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

describe('fleet', () => {
  for (const id of ['fleet-10h-cliff', 'fleet-4h-prt']) {
    test(`${id}: ${CLIENTS} users × ${DAYS} days on the fast model`, () => {
      const fleet = findFleetPreset(id)!;
      let peakRss = process.memoryUsage().rss;
      const started = performance.now();
      const report = runFleet(fleet, {
        clients: CLIENTS,
        days: DAYS,
        progress: (done) => {
          if (done % 500 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
        },
      });
      const seconds = (performance.now() - started) / 1000;
      peakRss = Math.max(peakRss, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);
      const n = exchanges(report);
      const out = JSON.stringify(fleetJson(report));
      const again = JSON.stringify(fleetJson(runFleet(fleet, { clients: CLIENTS, days: DAYS })));
      console.log(
        `${id}: ${CLIENTS} users × ${DAYS} days: ${seconds.toFixed(2)} s wall, ${n} requests (AS, TGS, PRT) = ${Math.round(n / seconds)}/s, ` +
          `${report.totalFailures} failed share accesses, peak RSS ${mib(peakRss)}; output ${digest(out)} (CSV ${digest(fleetCsv(report))}), second run ${out === again ? 'byte-identical' : 'DIFFERENT'}`,
      );
      expect(out).toBe(again);
    });
  }

  test('a sampled user in the real world (7 days)', () => {
    const fleet = findFleetPreset('fleet-10h-cliff')!;
    const users = 3;
    const started = performance.now();
    const report = runFleet(fleet, { clients: users, days: DAYS, real: new Set([0, 1, 2]) });
    const seconds = (performance.now() - started) / 1000;
    const n = exchanges(report);
    console.log(
      `real world: ${users} users × ${DAYS} days: ${seconds.toFixed(2)} s wall (${(seconds / users).toFixed(2)} s a user), ${n} requests = ${Math.round(n / seconds)}/s`,
    );
    expect(fleetCsv(report)).toBe(fleetCsv(runFleet(fleet, { clients: users, days: DAYS })));
  });
});

describe.skipIf(!chromiumAvailable())('fleet in the browser', () => {
  // the page is checked in the test
  const site = useBrowser({ check: 'nothing' });

  test('the Fleet view: 1,000 users × 7 days in its worker, the main thread meanwhile', async () => {
    const v = await openObserved(site, '/#/s/tgt-expiry-10h');
    const page = v.page;
    await page.getByTestId('playground').waitFor({ timeout: 120_000 });
    await page.getByTestId('fleet').locator('summary').click();
    await page.getByTestId('fleet-clients').fill('1000');
    await page.getByTestId('fleet-days').fill('7');
    const from = await page.evaluate(() => performance.now());
    await page.getByTestId('fleet-run').click();
    const summary = page.getByTestId('fleet-summary');
    await summary.waitFor({ timeout: 600_000 });
    const to = await page.evaluate(() => performance.now());
    // what was timed happened: the whole fleet played, not a cancelled part of it
    expect((await summary.textContent())!.replace(/\s+/g, ' ')).toMatch(/^\s*1000 users, 7 days: \d+ failed/);
    const inside = (await longTasks(page)).filter((t) => t.start + t.duration > from && t.start < to);
    const longest = Math.max(0, ...inside.map((t) => t.duration));
    expect(v.foreignRequests()).toEqual([]);
    expect(v.errors).toEqual([]);
    await v.context.close();
    console.log(
      `browser: fleet-10h-cliff, 1,000 users × 7 days in the Fleet view's worker: ${((to - from) / 1000).toFixed(1)} s wall, ` +
        `longest main-thread task meanwhile ${longest ? `${longest.toFixed(0)} ms` : 'none over 50 ms'} (goal ≤ 50 ms)`,
    );
  });
});
