// The Fleet view in Chromium: a preset played for 300 users over 2 days in its own worker, with progress;
// the hours as an SVG plot; a click on a failure opens that user's run in the playground at the step it
// failed. A big run can be cancelled while the page stays usable. Nothing leaves the tab.
import { beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable, type PageRecord, useBrowser } from './browser';

describe.skipIf(!chromiumAvailable())('the Fleet view, in Chromium', () => {
  const site = useBrowser();
  let v: PageRecord;
  let page: Page;

  beforeAll(async () => {
    v = await site.open('/#/s/tgt-expiry-10h');
    page = v.page;
    await page.setViewportSize({ width: 1440, height: 1000 });
    await page.locator('[data-testid="playground"][aria-busy="false"]').waitFor({ timeout: 60_000 });
    await page.getByTestId('fleet').locator('summary').click();
  }, 300_000);

  test('300 users × 2 days: the plot, the failures, and a failure opened at its step', async () => {
    await page.getByTestId('fleet-clients').fill('300');
    await page.getByTestId('fleet-days').fill('2');
    await page.getByTestId('fleet-run').click();
    const summary = page.getByTestId('fleet-summary');
    await summary.waitFor({ timeout: 120_000 });
    expect((await summary.textContent())!.replace(/\s+/g, ' ').trim()).toMatch(
      /^300 users, 2 days: \d+ failed share accesses\.$/,
    );
    expect(await page.getByTestId('fleet-plot').locator('rect').count()).toBeGreaterThan(2);
    expect(await page.getByTestId('fleet-plot').getAttribute('role')).toBe('img');
    const first = page.getByTestId('fleet-failures').getByRole('button').first();
    const words = (await first.textContent())!;
    const [user] = words.split(' · ');
    await first.click();
    await page
      .getByTestId('scenario-id')
      .filter({ hasText: `fleet-10h-cliff-${user}` })
      .waitFor({ timeout: 120_000 });
    await expect
      .poll(() => page.getByTestId('step-count').textContent(), { timeout: 120_000 })
      .toMatch(/^Step [1-9]\d* of \d+$/);
    // the step it failed is played: its failing line is in the trace
    await expect
      .poll(
        () => page.locator('[data-testid^="row-"]', { hasText: /1326|could not be set up again/ }).count(),
        {
          timeout: 120_000,
        },
      )
      .toBeGreaterThan(0);
  });

  test('10,000 users × 7 days can be cancelled while it runs; the page answers meanwhile', async () => {
    await page.getByTestId('fleet-clients').fill('10000');
    await page.getByTestId('fleet-days').fill('7');
    await page.getByTestId('fleet-run').click();
    const progress = page.getByTestId('fleet-progress');
    await expect
      .poll(async () => Number((await progress.getAttribute('value')) ?? 0), { timeout: 60_000 })
      .toBeGreaterThan(0);
    // the page's own thread is free: the step bar still answers
    expect(await page.getByTestId('step-count').isVisible()).toBe(true);
    await page.getByTestId('fleet-cancel').click();
    await expect
      .poll(() => page.getByTestId('fleet-summary').textContent(), { timeout: 60_000 })
      .toMatch(/^\d+ users \(cancelled\), 7 days:/);
  });

  test('1,000 users × 7 days to the end: the longest task on the page’s thread (printed, not judged)', async () => {
    await page.evaluate(() => {
      const w = window as unknown as { longTasks: number[] };
      w.longTasks = [];
      new PerformanceObserver((list) =>
        list.getEntries().forEach((e) => w.longTasks.push(e.duration)),
      ).observe({
        type: 'longtask',
      });
    });
    await page.getByTestId('fleet-clients').fill('1000');
    await page.getByTestId('fleet-days').fill('7');
    await page.getByTestId('fleet-run').click();
    await expect
      .poll(() => page.getByTestId('fleet-summary').textContent(), { timeout: 120_000 })
      .toMatch(/^1000 users, 7 days:/);
    const longest = await page.evaluate(() =>
      Math.max(0, ...(window as unknown as { longTasks: number[] }).longTasks),
    );
    console.log(
      `fleet 1,000 × 7 in the worker: longest main-thread task ${longest.toFixed(0)} ms (0: none over 50 ms)`,
    );
  });
});
