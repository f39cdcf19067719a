// Long lists in Chromium draw what is in sight, whatever their length: a trace of hundreds of events (happy-path
// with its share removed and mounted again forty times, opened from a share link as a user's own scenario)
// puts a bounded number of rows in the page, and scrolling, the arrow keys and selecting its last message
// bring the right rows in; a big field tree after "expand all" keeps a bounded number of nodes in the page,
// and the keyboard reaches every node. Structure only: nothing here is timed (npm run bench -- ui is).
import { deflateRawSync } from 'node:zlib';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import happyPath from '../../src/scenarios/catalogue/happy-path.json';
import { chromiumAvailable, type PageRecord, useBrowser } from './browser';

/** How many times the share is removed and mounted again after the first mount. */
const REMOUNTS = 40;

/** happy-path, then REMOUNTS times `net use Z: /delete` and `net use Z: \\...`, as a "#/j/" link. */
function longTraceHash(): string {
  const s = structuredClone(happyPath) as typeof happyPath & { timeline: Record<string, unknown>[] };
  const mount = s.timeline.find((t) => t.do === 'net-use')!;
  for (let i = 0; i < REMOUNTS; i++) {
    s.timeline.push({ id: `unmount-${i}`, do: 'net-use-delete', host: mount.host, drive: mount.drive });
    s.timeline.push({ ...mount, id: `remount-${i}` });
  }
  return `/#/j/${deflateRawSync(Buffer.from(JSON.stringify(s, null, 2))).toString('base64url')}`;
}

/** The trace as the page has it: the events' sequence numbers drawn, and the list's length. */
interface TraceState {
  drawn: number[];
  items: number;
  /** The last event's sequence number (the numbers may skip: the page shows no row for some events). */
  last: number;
  windowed: boolean;
}

describe.skipIf(!chromiumAvailable())('windowed lists, in Chromium', () => {
  const site = useBrowser();
  let v: PageRecord;
  let page: Page;

  beforeAll(async () => {
    v = await site.open(longTraceHash());
    page = v.page;
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.locator('[data-testid="playground"][aria-busy="false"]').waitFor({ timeout: 60_000 });
    // played to its end (the step count reads "Step N of N")
    const steps = (await page.getByTestId('step-count').textContent())!.match(/of (\d+)/)![1];
    await page.getByTestId('step-last').click();
    await page
      .locator('[data-testid="step-count"]', { hasText: `Step ${steps} of ${steps}` })
      .waitFor({ timeout: 120_000 });
  }, 300_000);

  const traceState = () =>
    page.getByTestId('trace').evaluate((el): TraceState => ({
      drawn: [...el.querySelectorAll<HTMLElement>('[data-seq]')].map((b) => Number(b.dataset.seq)),
      items: Number(el.dataset.items),
      last: Number(el.dataset.last),
      windowed: el.dataset.windowed === 'true',
    }));
  /** The number of events, as the trace's heading counts them. */
  const events = async () =>
    Number((await page.getByTestId('trace-count').textContent())!.match(/(\d+) events/)![1]);
  const focusedSeq = () =>
    page.evaluate(() => Number((document.activeElement as HTMLElement | null)?.dataset.seq ?? NaN));

  test('a trace of hundreds of events draws a bounded window of rows, and scrolling draws the ones there', async () => {
    const total = await events();
    expect(total).toBeGreaterThan(300);
    // played to its end, the last step's rows are in sight; from the top, the first are
    const card = page.locator('section.trace');
    await card.evaluate((el) => (el.scrollTop = 0));
    await expect.poll(async () => (await traceState()).drawn[0]).toBe(1);
    const top = await traceState();
    expect(top.windowed).toBe(true);
    expect(top.items).toBeGreaterThan(total);
    // the rows in sight of an 800 px window and an overscan, never the whole trace
    expect(top.drawn.length).toBeLessThan(80);
    // the first rows, in order
    expect(top.drawn[0]).toBe(1);
    expect(top.drawn).toEqual([...top.drawn].sort((a, b) => a - b));
    expect(top.drawn).not.toContain(top.last);

    // the whole list's height is kept: the trace scrolls as far as if every row were drawn
    const heights = await card.evaluate((el) => ({ scroll: el.scrollHeight, client: el.clientHeight }));
    expect(heights.scroll).toBeGreaterThan(heights.client * 5);

    // scrolled to the end: the last event is drawn, in the card's sight, and the first rows are gone
    await card.evaluate((el) => (el.scrollTop = el.scrollHeight));
    await expect.poll(async () => (await traceState()).drawn.at(-1)).toBe(top.last);
    const end = await traceState();
    expect(end.drawn).not.toContain(1);
    expect(end.drawn.length).toBeLessThan(80);
    const box = (await card.boundingBox())!;
    const last = (await page.getByTestId(`row-${top.last}`).boundingBox())!;
    expect(last.y + last.height).toBeLessThanOrEqual(box.y + box.height + 1);
    expect(last.y).toBeGreaterThanOrEqual(box.y);

    // the middle: the rows drawn surround the middle of the trace
    await card.evaluate((el) => (el.scrollTop = (el.scrollHeight - el.clientHeight) / 2));
    await expect.poll(async () => (await traceState()).drawn.includes(top.last)).toBe(false);
    const mid = await traceState();
    expect(mid.drawn[0]).toBeGreaterThan(top.last / 5);
    expect(mid.drawn.at(-1)).toBeLessThan((top.last * 4) / 5);
  });

  test('End from the first row selects the last, far below the window: drawn, focused and in sight', async () => {
    const card = page.locator('section.trace');
    await card.evaluate((el) => (el.scrollTop = 0));
    await expect.poll(async () => (await traceState()).drawn[0]).toBe(1);
    const { last, drawn } = await traceState();
    expect(drawn).not.toContain(last);
    await page.getByTestId('row-1').click();
    await page.keyboard.press('End');
    await expect.poll(focusedSeq).toBe(last);
    await expect.poll(() => page.getByTestId(`row-${last}`).getAttribute('aria-pressed')).toBe('true');
    // in the card's sight, once the window has followed (the first rows gone)
    await expect.poll(async () => (await traceState()).drawn.includes(1)).toBe(false);
    const box = (await card.boundingBox())!;
    const row = (await page.getByTestId(`row-${last}`).boundingBox())!;
    expect(row.y).toBeGreaterThanOrEqual(box.y);
    expect(row.y + row.height).toBeLessThanOrEqual(box.y + box.height + 1);
    // and Home goes back to the first
    await page.keyboard.press('Home');
    await expect.poll(focusedSeq).toBe(1);
    expect(await page.getByTestId('row-1').getAttribute('aria-pressed')).toBe('true');
  });

  test('the arrow keys walk the rows through the window, and the focus stays on its row when scrolled away', async () => {
    const card = page.locator('section.trace');
    await card.evaluate((el) => (el.scrollTop = 0));
    await expect.poll(async () => (await traceState()).drawn[0]).toBe(1);
    await page.getByTestId('row-1').click();
    const { drawn, last } = await traceState();
    // walk down past every row drawn at the start, one key at a time: each press selects and focuses the next
    let at = 1;
    for (let i = 0; i < drawn.length + 10; i++) {
      await page.keyboard.press('ArrowDown');
      await expect.poll(focusedSeq).toBeGreaterThan(at);
      at = await focusedSeq();
      expect(await page.getByTestId(`row-${at}`).getAttribute('aria-pressed')).toBe('true');
    }
    expect(at).toBeGreaterThan(drawn.at(-1)!);
    await expect.poll(async () => (await traceState()).drawn.includes(1)).toBe(false);
    await page.keyboard.press('ArrowUp');
    await expect.poll(focusedSeq).toBeLessThan(at);
    at = await focusedSeq();

    // scrolled far away, the focused row stays in the page and keeps the focus; the arrows go on from it
    await card.evaluate((el) => (el.scrollTop = el.scrollHeight));
    await expect.poll(async () => (await traceState()).drawn.at(-1)).toBe(last);
    expect((await traceState()).drawn).toContain(at);
    expect(await focusedSeq()).toBe(at);
    await page.keyboard.press('ArrowDown');
    await expect.poll(focusedSeq).toBeGreaterThan(at);
    expect((await traceState()).drawn.length).toBeLessThan(80);
  });

  test('a big tree after "expand all" keeps a bounded number of fields in the page; the keyboard reaches every one', async () => {
    // the first TGS-REQ, near the top: armored (FAST), with a ticket whose PAC the world's keys open
    await page.locator('section.trace').evaluate((el) => (el.scrollTop = 0));
    await expect.poll(async () => (await traceState()).drawn[0]).toBe(1);
    await page.locator('[data-testid^="row-"][data-type="TGS-REQ"]').first().click();
    await page.locator('[data-testid="inspector-type"]', { hasText: /^TGS-REQ$/ }).waitFor();
    const tree = page.getByTestId('tree');
    const before = Number(await tree.getAttribute('data-fields'));
    await page.getByRole('button', { name: 'expand all', exact: true }).click();
    await expect.poll(() => tree.getAttribute('aria-busy')).toBe('false');
    const fields = Number(await tree.getAttribute('data-fields'));
    expect(fields).toBeGreaterThan(Math.max(before, 150));
    expect(await tree.getAttribute('data-windowed')).toBe('true');
    // every node with children is open
    expect(await tree.locator('[role="treeitem"][aria-expanded="false"]').count()).toBe(0);
    const inPage = () => tree.locator('[role="treeitem"]').count();
    expect(await inPage()).toBeLessThan(Math.min(80, fields / 2));

    // Home, then ↓ to the end: each field once, in order, the focus always on a field in the tree's sight
    await tree.locator('button.field[tabindex="0"]').focus();
    await page.keyboard.press('Home');
    const focused = () =>
      page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        const item = el.closest('[role="treeitem"]');
        return {
          id: el.dataset.node ?? '',
          level: Number(item?.getAttribute('aria-level')),
          pos: Number(item?.getAttribute('aria-posinset')),
          size: Number(item?.getAttribute('aria-setsize')),
        };
      });
    const seen = [(await focused()).id];
    expect(seen[0]).toBe('0');
    for (let i = 1; i < fields; i++) {
      await page.keyboard.press('ArrowDown');
      await expect.poll(async () => (await focused()).id).not.toBe(seen.at(-1));
      const f = await focused();
      expect(f.level).toBeGreaterThanOrEqual(1);
      expect(f.pos).toBeGreaterThanOrEqual(1);
      expect(f.pos).toBeLessThanOrEqual(f.size);
      seen.push(f.id);
    }
    expect(new Set(seen).size).toBe(fields);
    // the last: End names the same one, and it is in the tree's sight with a bounded number of fields drawn
    await page.keyboard.press('ArrowDown');
    expect((await focused()).id).toBe(seen.at(-1));
    const box = (await page.locator('.tree').boundingBox())!;
    const last = (await page.locator(`button.field[data-node="${seen.at(-1)}"]`).boundingBox())!;
    expect(last.y).toBeGreaterThanOrEqual(box.y - 1);
    expect(last.y + last.height).toBeLessThanOrEqual(box.y + box.height + 1);
    expect(await inPage()).toBeLessThan(Math.min(80, fields / 2));
    await page.keyboard.press('Home');
    await page.keyboard.press('End');
    expect((await focused()).id).toBe(seen.at(-1));

    // collapse: the root open on its first level, and the tree whole again
    await page.getByRole('button', { name: 'collapse', exact: true }).click();
    await expect.poll(async () => Number(await tree.getAttribute('data-fields'))).toBeLessThan(before);
    expect(await tree.getAttribute('data-windowed')).toBe('false');
    expect(await inPage()).toBe(Number(await tree.getAttribute('data-fields')));
  });

  test('on a phone the page scrolls, not the trace: the window follows the page to the last row', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      const { last } = await traceState();
      // the page scrolled until the trace's end is at the window's bottom (again as measured heights settle)
      const toTheEnd = async () => {
        await page.getByTestId('trace').evaluate((el) => {
          window.scrollBy(0, el.getBoundingClientRect().bottom - window.innerHeight);
        });
        // (not drawn yet, as the heights measured move the end further down: scroll again, never wait here)
        const lastRow = page.getByTestId(`row-${last}`);
        if ((await lastRow.count()) === 0) return false;
        const row = await lastRow.boundingBox();
        return !!row && row.y >= 0 && row.y + row.height <= 844 + 1;
      };
      await expect.poll(toTheEnd, { timeout: 30_000 }).toBe(true);
      const end = await traceState();
      expect(end.drawn.at(-1)).toBe(last);
      expect(end.drawn).not.toContain(1);
      expect(end.drawn.length).toBeLessThan(80);
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });

  test('on a phone, a step that selects a row far out of the window leaves the page where the reader has it', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    const count = () => page.getByTestId('step-count').textContent();
    const [, at, of] = (await count())!.match(/Step (\d+) of (\d+)/)!;
    try {
      // the top of the page: the trace's first rows in sight, its last step's far below the window
      await page.evaluate(() => window.scrollTo(0, 0));
      await expect.poll(async () => (await traceState()).drawn[0]).toBe(1);
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      // one step back: the step before's message, near the trace's end, is selected and opened
      await page.keyboard.press('[');
      await page
        .locator('[data-testid="step-count"]', { hasText: `Step ${Number(at) - 1} of ${of}` })
        .waitFor();
      await page.getByTestId('inspector-type').waitFor();
      const { drawn, last } = await traceState();
      expect(drawn).not.toContain(last);
      // two frames: where the selected row would be revealed
      await page.evaluate(
        () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))),
      );
      expect(await page.evaluate(() => window.scrollY)).toBe(0);
    } finally {
      await page.keyboard.press(']');
      await page.locator('[data-testid="step-count"]', { hasText: `Step ${at} of ${of}` }).waitFor();
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });
});
