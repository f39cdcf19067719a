// The long lists draw only what is in sight, in Chromium: the hex dump of a large message puts a bounded
// number of rows in the page (however many the message has), keeps its scrollbar as long as the whole dump,
// and scrolling shows the rows that belong there. Structure only: nothing here is timed (npm run bench -- ui
// measures the speed).
import { beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable, type PageRecord, useBrowser } from './browser';

/** The hex dump as the page has it: rows in the page, their offsets, the whole dump's rows and sizes. */
interface HexState {
  drawn: number[];
  total: number;
  perRow: number;
  length: number;
  rowHeight: number;
  viewport: number;
  scrollHeight: number;
}

describe.skipIf(!chromiumAvailable())('long lists, in Chromium', () => {
  const site = useBrowser();
  let v: PageRecord;
  let page: Page;

  beforeAll(async () => {
    v = await site.open('/#/s/happy-path');
    page = v.page;
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.locator('[data-testid="playground"][aria-busy="false"]').waitFor({ timeout: 60_000 });
  }, 300_000);

  const hexState = () =>
    page.getByTestId('hex').evaluate((el): HexState => {
      const rows = [...el.querySelectorAll<HTMLElement>('.row')];
      return {
        drawn: rows.map((r) => Number(r.dataset.rowOff)),
        total: Number(el.dataset.rows),
        perRow: Number(el.dataset.perRow),
        length: Number(el.dataset.length),
        rowHeight: rows[0]?.getBoundingClientRect().height ?? 0,
        viewport: el.clientHeight,
        scrollHeight: el.scrollHeight,
      };
    });

  test("a large message's hex dump draws the rows in sight, and scrolling draws the ones there", async () => {
    // the AS-REP: a ticket and an encrypted part, about a thousand bytes
    await page.getByTestId('step-forward').click();
    const asRep = page.locator('[data-testid^="row-"][data-type="AS-REP"]').first();
    await asRep.waitFor({ timeout: 60_000 });
    await asRep.click();
    await page.locator('[data-testid="inspector-type"]', { hasText: 'AS-REP' }).waitFor();
    const hex = page.getByTestId('hex');
    await expect.poll(async () => (await hexState()).drawn.length).toBeGreaterThan(0);

    const top = await hexState();
    const perRow = top.perRow;
    expect([8, 16]).toContain(perRow);
    expect(top.total).toBe(Math.ceil(top.length / perRow));
    // far more rows than fit: the test means something only for a dump that scrolls
    const inSight = Math.ceil(top.viewport / top.rowHeight);
    expect(top.total).toBeGreaterThan(inSight + 20);
    // the rows in sight and six either side, from the first
    expect(top.drawn.length).toBeLessThanOrEqual(inSight + 13);
    expect(top.drawn.length).toBeLessThan(top.total);
    expect(top.drawn[0]).toBe(0);
    expect(top.drawn).toEqual(top.drawn.map((_, i) => i * perRow));
    // the padding keeps the scrollbar as long as if every row were drawn
    expect(top.scrollHeight).toBeGreaterThanOrEqual(top.total * top.rowHeight);
    expect(top.scrollHeight).toBeLessThan((top.total + 2) * top.rowHeight);

    // scrolled to the end: the last rows are drawn, the first are gone, as few as before
    await hex.evaluate((el) => (el.scrollTop = el.scrollHeight));
    const lastOffset = (top.total - 1) * perRow;
    await expect.poll(async () => (await hexState()).drawn.at(-1)).toBe(lastOffset);
    const end = await hexState();
    expect(end.drawn).not.toContain(0);
    expect(end.drawn.length).toBeLessThanOrEqual(inSight + 13);
    const lastRow = hex.locator(`.row[data-row-off="${lastOffset}"]`);
    expect(await lastRow.locator('.b').first().getAttribute('data-off')).toBe(String(lastOffset));
    expect(await lastRow.locator('.b').count()).toBe(top.length - lastOffset);
    // and in the window, not under it
    const box = (await hex.boundingBox())!;
    const row = (await lastRow.boundingBox())!;
    expect(row.y + row.height).toBeLessThanOrEqual(box.y + box.height + 1);

    // scrolled to the middle: the rows drawn surround the middle of the dump
    await hex.evaluate((el) => (el.scrollTop = (el.scrollHeight - el.clientHeight) / 2));
    await expect.poll(async () => (await hexState()).drawn.includes(0)).toBe(false);
    const mid = await hexState();
    const middleRow = Math.floor(mid.total / 2) * perRow;
    expect(mid.drawn[0]).toBeLessThan(middleRow);
    expect(mid.drawn.at(-1)).toBeGreaterThan(middleRow);
  });

  test('a field selected far down the message brings its bytes into the drawn rows, highlighted', async () => {
    const tree = page.getByTestId('tree');
    await page.getByTestId('hex').evaluate((el) => (el.scrollTop = 0));
    // the outer enc-part's cipher: the last field of the message's own bytes (on screen as the message opens)
    await tree
      .locator('button.field:not([data-node^="p"])', { hasText: /^cipher/ })
      .last()
      .click();
    const hex = page.getByTestId('hex');
    await expect.poll(() => hex.getAttribute('data-highlight')).toMatch(/^\d+-\d+$/);
    const [start] = (await hex.getAttribute('data-highlight'))!.split('-').map(Number) as [number];
    await expect.poll(() => hex.locator(`.b.hl-start[data-off="${start}"]`).count()).toBe(1);
    const s = await hexState();
    expect(s.drawn).not.toContain(0);
    expect(s.drawn.length).toBeLessThan(s.total);
  });

  test('another message selected updates the tree and the hex dump in place, never built again', async () => {
    // the elements as they are now, marked; a message built from nothing would be new, unmarked ones
    const mark = () =>
      page.evaluate(() => {
        for (const id of ['hex', 'tree'])
          (document.querySelector(`[data-testid="${id}"]`) as unknown as { kept?: boolean }).kept = true;
      });
    const kept = () =>
      page.evaluate(() =>
        ['hex', 'tree'].map(
          (id) =>
            (document.querySelector(`[data-testid="${id}"]`) as unknown as { kept?: boolean }).kept === true,
        ),
      );
    await mark();
    const asReq = page.locator('[data-testid^="row-"][data-type="AS-REQ"]').last();
    await asReq.click();
    await page.locator('[data-testid="inspector-type"]', { hasText: 'AS-REQ' }).waitFor();
    await expect.poll(() => page.getByTestId('hex').getAttribute('data-length')).not.toBe('');
    expect(await kept()).toEqual([true, true]);
    // and it is the AS-REQ's: its own length, read from its top
    const length = Number(await page.getByTestId('hex').getAttribute('data-length'));
    const s = await hexState();
    expect(s.total).toBe(Math.ceil(length / s.perRow));
    expect(s.drawn[0]).toBe(0);
    expect(await page.getByTestId('tree').locator('button.field').first().textContent()).toMatch(/AS-REQ/);
  });
});
