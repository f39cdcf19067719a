// What a step, a selection or a clock move adds to the page comes in pieces, in Chromium: a clock move of
// ten hours traces a hundred events (every host's renewals), and the trace adds their rows a slice at a
// time, then has them all, in order, as the console does with the forty-odd lines it prints; a message opened in the inspector shows its header and fields first
// and its bytes, reproduce-it commands and tamper control after them. Structure only, never time: a
// MutationObserver lists what each update of the page added (npm run bench -- ui times the tasks). A row
// walked to with the keyboard while the trace grows (its frames held back by the test) is drawn and focused.
// A message of many fields draws them a slice at a time too. The console, below the fold, scrolls to its
// last command only once it comes into sight. A shared run opened over a longer trace keeps what the two have
// alike and adds its own rows a slice at a time too.
import { beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable, type PageRecord, traceWhole, useBrowser } from './browser';

/** What one delivery of a MutationObserver saw added (and, as "removed NAME", removed), by selector. */
type Batch = Record<string, number>;

/** Starts listing, per delivery, how many elements matching each selector were added and removed under `root`. */
async function watch(page: Page, root: string, selectors: Record<string, string>): Promise<void> {
  await page.evaluate(
    ([root, selectors]) => {
      const w = window as unknown as { batches: Batch[]; watching?: MutationObserver };
      w.watching?.disconnect();
      w.batches = [];
      w.watching = new MutationObserver((records) => {
        const batch: Batch = {};
        const count = (nodes: NodeList, sel: string) => {
          let n = 0;
          for (const node of nodes)
            if (node instanceof Element) n += (node.matches(sel) ? 1 : 0) + node.querySelectorAll(sel).length;
          return n;
        };
        for (const [name, sel] of Object.entries(selectors)) {
          batch[name] = records.reduce((n, r) => n + count(r.addedNodes, sel), 0);
          batch[`removed ${name}`] = records.reduce((n, r) => n + count(r.removedNodes, sel), 0);
        }
        w.batches.push(batch);
      });
      w.watching.observe(document.querySelector(root)!, { childList: true, subtree: true });
    },
    [root, selectors] as const,
  );
}

const batches = (page: Page) => page.evaluate(() => (window as unknown as { batches: Batch[] }).batches);

/** Holds back the page's animation frames (what waits for one waits) until releaseFrames. */
async function holdFrames(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __held: FrameRequestCallback[]; __release(): void };
    const raf = window.requestAnimationFrame.bind(window);
    w.__held = [];
    window.requestAnimationFrame = (cb) => (w.__held.push(cb), 0);
    w.__release = () => {
      window.requestAnimationFrame = raf;
      for (const cb of w.__held.splice(0)) raf(cb);
    };
  });
}

/** Lets the page draw again, the callbacks held back first. */
const releaseFrames = (page: Page) =>
  page.evaluate(() => (window as unknown as { __release(): void }).__release());

describe.skipIf(!chromiumAvailable())('a step, a selection and a clock move, drawn in pieces', () => {
  const site = useBrowser();
  let v: PageRecord;
  let page: Page;
  let total = 0;

  beforeAll(async () => {
    v = await site.open('/#/s/happy-path');
    page = v.page;
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.locator('[data-testid="playground"][aria-busy="false"]').waitFor({ timeout: 60_000 });
    total = Number((await page.getByTestId('step-count').textContent())!.match(/of (\d+)/)![1]);
  }, 120_000);

  test('the first message opened shows its header and fields, then its bytes (each drawn once) and the rest', async () => {
    await watch(page, '[data-testid="inspector"]', {
      tree: '[role="treeitem"]',
      hex: '[data-testid="hex"]',
      hexBytes: 'span.b[data-off]',
      reproduce: '[data-testid="reproduce"]',
    });
    await page.getByTestId('step-forward').click();
    await page.locator('[data-testid="step-count"]', { hasText: `Step 1 of ${total}` }).waitFor();
    await page.getByTestId('hex').locator('.row').first().waitFor();
    await page.getByTestId('reproduce').waitFor();
    const seen = await batches(page);
    const first = (name: string) => seen.findIndex((b) => (b[name] ?? 0) > 0);
    expect(first('tree')).toBeGreaterThanOrEqual(0);
    // the bytes and the commands came in a later update than the fields, not with them
    expect(first('hex')).toBeGreaterThan(first('tree'));
    expect(first('reproduce')).toBeGreaterThan(first('tree'));
    expect(seen[first('tree')]!.hex).toBe(0);
    // the hex dump's bytes are drawn once, at the width it has: none is drawn again when the width is known
    expect(seen.reduce((n, b) => n + (b.hexBytes ?? 0), 0)).toBeGreaterThan(0);
    expect(seen.reduce((n, b) => n + (b['removed hexBytes'] ?? 0), 0)).toBe(0);
  });

  test('a message of many fields shows them a slice at a time, then has them all, in order', async () => {
    // (the fields the step-1 message shares with the next, by place, are kept, not made again)
    const kept = await page.getByTestId('tree').locator('[role="treeitem"]').count();
    await watch(page, '[data-testid="inspector"]', { fields: '[role="treeitem"]' });
    // step 2 opens the first TGS-REQ: armored, with a ticket the world's keys open (60 fields on screen)
    await page.getByTestId('step-forward').click();
    await page.locator('[data-testid="step-count"]', { hasText: `Step 2 of ${total}` }).waitFor();
    await page.locator('[data-testid="inspector-type"]', { hasText: /^TGS-REQ$/ }).waitFor();
    const tree = page.getByTestId('tree');
    await expect.poll(() => tree.getAttribute('aria-busy')).toBe('false');
    const fields = Number(await tree.getAttribute('data-fields'));
    expect(fields).toBeGreaterThan(20);
    expect(await tree.locator('[role="treeitem"]').count()).toBe(fields);
    expect(Number(await tree.getAttribute('data-drawn'))).toBe(fields);
    // added in several updates, none of more than a slice of 20 fields
    const added = (await batches(page)).map((b) => b.fields ?? 0).filter((n) => n > 0);
    expect(added.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(fields - kept);
    expect(added.length).toBeGreaterThan(1);
    expect(Math.max(...added)).toBeLessThanOrEqual(20);
    // in the tree's order: each field's place among its siblings follows the one before at its level
    const places = await tree.evaluate((el) =>
      [...el.querySelectorAll('[role="treeitem"]')].map((li) => ({
        level: Number(li.getAttribute('aria-level')),
        pos: Number(li.getAttribute('aria-posinset')),
      })),
    );
    expect(places[0]).toEqual({ level: 1, pos: 1 });
    for (const [i, here] of places.entries()) {
      const before = places[i - 1];
      if (!before) continue;
      if (here.level > before.level) expect(here).toEqual({ level: before.level + 1, pos: 1 });
      if (here.level === before.level) expect(here.pos).toBe(before.pos + 1);
    }
  });

  test('a clock move of hours adds its hundred rows and its console lines a slice at a time, then has them all, in order', async () => {
    for (let s = 3; s <= total; s++) {
      await page.getByTestId('step-forward').click();
      await page.locator('[data-testid="step-count"]', { hasText: `Step ${s} of ${total}` }).waitFor();
    }
    const trace = page.getByTestId('trace');
    await expect.poll(() => trace.getAttribute('aria-busy')).toBe('false');
    const items = () => trace.locator(':scope > li').count();
    const before = await items();
    // the console's lines (the last is its klist prompt, always there)
    const screen = page.getByTestId('console-lines');
    await expect.poll(() => screen.getAttribute('aria-busy')).toBe('false');
    const printedNow = () => screen.locator(':scope > .line:not(:last-of-type)').allTextContents();
    const printed = await printedNow();
    expect(printed.length).toBe(Number(await screen.getAttribute('data-lines')));
    await watch(page, '[data-testid="playground"]', {
      items: '[data-testid="trace"] > li.row, [data-testid="trace"] > li.step-head',
      lines: '[data-testid="console-lines"] > .line',
    });

    const clock = page.getByTestId('clock-input');
    await clock.fill('+10h');
    await clock.press('Enter');
    await page.locator('[data-testid="step-count"]', { hasText: `of ${total + 1}` }).waitFor();
    await expect.poll(() => trace.getAttribute('aria-busy')).toBe('false');

    // every item of the list in the page, the rows in the order of the trace
    const all = Number(await trace.getAttribute('data-items'));
    expect(all - before).toBeGreaterThan(60);
    expect(await items()).toBe(all);
    const seqs = await trace.evaluate((el) =>
      [...el.querySelectorAll<HTMLElement>('[data-seq]')].map((b) => Number(b.dataset.seq)),
    );
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    // added in several updates, none of more than a slice of 6 items
    const added = (await batches(page)).map((b) => b.items ?? 0).filter((n) => n > 0);
    expect(added.reduce((a, b) => a + b, 0)).toBe(all - before);
    expect(added.length).toBeGreaterThan(2);
    expect(Math.max(...added)).toBeLessThanOrEqual(6);
    // the console's lines likewise: the ones printed before first, as they were, none made again
    await expect.poll(() => screen.getAttribute('aria-busy')).toBe('false');
    const lines = Number(await screen.getAttribute('data-lines'));
    expect(lines - printed.length).toBeGreaterThan(24);
    const now = await printedNow();
    expect(now).toHaveLength(lines);
    expect(now.slice(0, printed.length)).toEqual(printed);
    const seen = await batches(page);
    const addedLines = seen.map((b) => b.lines ?? 0).filter((n) => n > 0);
    expect(addedLines.reduce((a, b) => a + b, 0)).toBe(lines - printed.length);
    expect(addedLines.length).toBeGreaterThan(2);
    expect(Math.max(...addedLines)).toBeLessThanOrEqual(12);
    expect(seen.reduce((n, b) => n + (b['removed lines'] ?? 0), 0)).toBe(0);
    // and the newly selected message, at the end, is in the trace's sight
    const selected = page.locator('[data-testid="trace"] button[aria-pressed="true"]');
    await expect
      .poll(async () => {
        const [row, card] = [await selected.boundingBox(), await page.locator('section.trace').boundingBox()];
        return !!row && !!card && row.y >= card.y && row.y + row.height <= card.y + card.height + 1;
      })
      .toBe(true);
  });

  test('the console follows the last command only in sight: below the fold it waits, and scrolls when it comes in', async () => {
    // happy-path played to its end and ten hours on: the console's lines and klist overflow its screen
    const screen = page.getByTestId('console-lines');
    await page.evaluate(() => window.scrollTo(0, 0));
    const state = () =>
      screen.evaluate((el) => {
        const commands = el.querySelectorAll<HTMLElement>('.line.command, .line.note');
        const target = commands.length > 1 ? commands[commands.length - 2]!.offsetTop - 4 : 0;
        const box = el.getBoundingClientRect();
        return {
          below: box.top >= window.innerHeight,
          overflows: el.scrollHeight > el.clientHeight,
          scrollTop: el.scrollTop,
          target,
        };
      });
    const out = await state();
    expect(out.below).toBe(true);
    expect(out.overflows).toBe(true);
    expect(out.target).toBeGreaterThan(0);
    // out of sight: not scrolled to the command
    expect(out.scrollTop).toBe(0);
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await expect.poll(async () => (await state()).below).toBe(false);
    // in sight: the command before the last is at the top of the screen
    await expect
      .poll(async () => (await state()).scrollTop)
      .toBe(Math.min(out.target, await screen.evaluate((el) => el.scrollHeight - el.clientHeight)));
    await page.evaluate(() => window.scrollTo(0, 0));
  });

  test('the console scrolled up by hand stays where it is when the page scrolls it out of sight and back', async () => {
    const screen = page.getByTestId('console-lines');
    const sight = (want: boolean) =>
      screen.evaluate(
        (el, want) =>
          new Promise<void>((done) => {
            // once the window's report that the console came in (or left) is out, and two frames after it
            const seen = new IntersectionObserver((entries) => {
              if (entries.at(-1)?.isIntersecting !== want) return;
              seen.disconnect();
              requestAnimationFrame(() => requestAnimationFrame(() => done()));
            });
            seen.observe(el);
          }),
        want,
      );
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await sight(true);
    await expect.poll(() => screen.evaluate((el) => el.scrollTop)).toBeGreaterThan(0);
    // the learner reads an earlier line, scrolls the page up, then back down to the console
    await screen.evaluate((el) => (el.scrollTop = 0));
    await page.evaluate(() => window.scrollTo(0, 0));
    await sight(false);
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await sight(true);
    expect(await screen.evaluate((el) => el.scrollTop)).toBe(0);
    await page.evaluate(() => window.scrollTo(0, 0));
  });

  test('a shared run opened over a longer trace keeps only what the two share, and adds its own rows a slice at a time', async () => {
    const { page } = await site.open('/#/s/cached-logon-4h-gap');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.locator('[data-testid="playground"][aria-busy="false"]').waitFor({ timeout: 60_000 });
    const stepCount = (text: string) =>
      page.locator('[data-testid="step-count"]', { hasText: text }).waitFor({ timeout: 60_000 });
    // a run of the user's own, shared: cached-logon-4h-gap to its end, then klist
    await page.getByTestId('step-last').click();
    await stepCount('Step 11 of 11');
    const input = page.getByTestId('console-input').locator('input');
    await input.fill('klist');
    await input.press('Enter');
    await stepCount('Step 12 of 12');
    await page.getByTestId('share').click();
    await expect.poll(() => page.getByTestId('share-link').inputValue()).toMatch(/#\/r\d+\/[A-Za-z0-9_-]+$/);
    const link = await page.getByTestId('share-link').inputValue();
    const runHash = link.slice(link.indexOf('#'));

    // a longer trace on screen: happy-path to its end, and ten hours on
    await page.evaluate(() => (location.hash = '#/s/happy-path'));
    await stepCount(`Step 0 of ${total}`);
    await page.getByTestId('step-last').click();
    await stepCount(`Step ${total} of ${total}`);
    const clock = page.getByTestId('clock-input');
    await clock.fill('+10h');
    await clock.press('Enter');
    await stepCount(`of ${total + 1}`);
    await traceWhole(page);
    const trace = page.getByTestId('trace');
    const rows = () => trace.locator('li.row').count();
    const before = await rows();
    expect(before).toBeGreaterThan(100);

    // the rows on screen marked, to tell them from the ones drawn after
    await trace.evaluate((el) =>
      el.querySelectorAll<HTMLElement>(':scope > li').forEach((li) => (li.dataset.old = 'yes')),
    );
    // the page's frames held back: the trace adds a slice after each frame, so it stops at its first
    await holdFrames(page);
    try {
      await page.evaluate((hash) => (location.hash = hash), runHash);
      await stepCount('Step 12 of 12');
      // the page keeps what the two traces have alike (the same sign-in at the start), and has drawn only a
      // first slice of the shared run's own rows
      expect(await trace.getAttribute('aria-busy')).toBe('true');
      const drawn = await trace.evaluate((el) =>
        [...el.querySelectorAll<HTMLElement>(':scope > li')].map((li) => li.dataset.old === 'yes'),
      );
      const made = drawn.filter((old) => !old).length;
      expect(made).toBeGreaterThan(0);
      expect(made).toBeLessThanOrEqual(6);
      expect(drawn.length).toBeLessThan(Number(await trace.getAttribute('data-items')));
      expect(await trace.locator(`[data-seq="${await trace.getAttribute('data-last')}"]`).count()).toBe(0);
      await watch(page, '[data-testid="trace"]', { items: 'li.row, li.step-head' });
    } finally {
      await releaseFrames(page);
    }
    await traceWhole(page);
    // the rest a slice at a time, none of more than 6 items
    const added = (await batches(page)).map((b) => b.items ?? 0).filter((n) => n > 0);
    expect(added.length).toBeGreaterThan(2);
    expect(Math.max(...added)).toBeLessThanOrEqual(6);
    // then it has them all, in the order of the trace, and ends with the klist typed
    const all = Number(await trace.getAttribute('data-items'));
    expect(await trace.locator(':scope > li').count()).toBe(all);
    const seqs = await trace.evaluate((el) =>
      [...el.querySelectorAll<HTMLElement>('[data-seq]')].map((b) => Number(b.dataset.seq)),
    );
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(seqs.at(-1)).toBe(Number(await trace.getAttribute('data-last')));
    expect(await trace.locator(':scope > li.step-head').last().textContent()).toMatch(/klist/);
  });

  test('a row walked to with the keyboard while the trace still grows is drawn and takes the focus', async () => {
    // a page of its own, at happy-path's end: the move adds its hundred rows to a trace drawn whole
    const { page } = await site.open('/#/s/happy-path');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.locator('[data-testid="playground"][aria-busy="false"]').waitFor({ timeout: 60_000 });
    await page.getByTestId('step-last').click();
    await page.locator('[data-testid="step-count"]', { hasText: `Step ${total} of ${total}` }).waitFor();
    const trace = page.getByTestId('trace');
    await expect.poll(() => trace.getAttribute('aria-busy')).toBe('false');
    const steps = total;
    // the page's frames held back: the trace's growth (a slice after each frame) stops where it is
    await holdFrames(page);
    try {
      const clock = page.getByTestId('clock-input');
      await clock.fill('+10h');
      await clock.press('Enter');
      await page.locator('[data-testid="step-count"]', { hasText: `of ${steps + 1}` }).waitFor();
      expect(await trace.getAttribute('aria-busy')).toBe('true');
      const last = await trace.getAttribute('data-last');
      expect(await trace.locator(`[data-seq="${last}"]`).count()).toBe(0);

      await trace.locator('[data-seq]').first().focus();
      await page.keyboard.press('End');
      await expect
        .poll(() => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.seq))
        .toBe(last);
    } finally {
      await releaseFrames(page);
    }
    await expect.poll(() => trace.getAttribute('aria-busy')).toBe('false');
  });

  describe('the fields of a message drawn a slice at a time', () => {
    let fp: Page;
    const tree = () => fp.getByTestId('tree');
    const settled = () => fp.locator('[data-testid="tree"][aria-busy="false"]').waitFor();

    beforeAll(async () => {
      fp = (await site.open('/#/s/happy-path')).page;
      await fp.setViewportSize({ width: 1280, height: 800 });
      await fp.locator('[data-testid="playground"][aria-busy="false"]').waitFor({ timeout: 60_000 });
      for (const s of [1, 2]) {
        await fp.getByTestId('step-forward').click();
        await fp.locator('[data-testid="step-count"]', { hasText: `Step ${s} of ${total}` }).waitFor();
      }
      // step 2: the first TGS-REQ, about 60 fields
      await fp.locator('[data-testid="inspector-type"]', { hasText: /^TGS-REQ$/ }).waitFor();
      await settled();
    }, 120_000);

    test('a field focused far down keeps the focus when another message opens', async () => {
      const open = async (type: string, click: (type: string) => Promise<void>) => {
        await click(type);
        await fp.locator('[data-testid="inspector-type"]', { hasText: new RegExp(`^${type}$`) }).waitFor();
        await settled();
        return tree().evaluate((el) =>
          [...el.querySelectorAll<HTMLElement>('button.field')].map((b) => b.dataset.node!),
        );
      };
      const byMouse = (type: string) =>
        fp.locator('[data-testid="trace"] button[data-seq]', { hasText: type }).first().click();
      // the trace's row clicked from script, which moves no focus: the focus stays where it is, as when ]
      // steps from a field to a step that opens a message
      const byScript = (type: string) =>
        fp.evaluate((type) => {
          const rows = [...document.querySelectorAll<HTMLElement>('[data-testid="trace"] button[data-seq]')];
          rows.find((b) => b.textContent!.includes(type))!.click();
        }, type);
      // a field in the same place (the ids are places) in the TGS-REQ and the TGS-REP, below both first slices
      const rep = await open('TGS-REP', byMouse);
      const req = await open('TGS-REQ', byMouse);
      const at = req.findIndex((id, i) => i >= 32 && rep.indexOf(id) >= 32);
      expect(at).toBeGreaterThan(0);
      const id = req[at]!;

      await tree().locator('button.field').first().focus();
      for (let i = 0; i < at; i++) await fp.keyboard.press('ArrowDown');
      const focused = () =>
        fp.evaluate(() => {
          const el = document.activeElement as HTMLElement | null;
          return el?.closest('[data-testid="tree"]') ? (el.dataset.node ?? null) : null;
        });
      expect(await focused()).toBe(id);
      await byScript('TGS-REP');
      await fp.locator('[data-testid="inspector-type"]', { hasText: /^TGS-REP$/ }).waitFor();
      // the new message's field in that place stays in the page, with the focus on it
      expect(await tree().locator(`button.field[data-node="${id}"]`).count()).toBe(1);
      expect(await focused()).toBe(id);
      await settled();
      expect(await focused()).toBe(id);
      await open('TGS-REQ', byMouse);
    });

    test('a field selected from a part button, more than a slice down, is drawn and scrolled into sight', async () => {
      // the plain part that lies furthest down the tree, by its place among the fields
      const places = await tree().evaluate((el) =>
        [...el.querySelectorAll('[role="treeitem"]')].map((li) =>
          li.querySelector('button.field')!.getAttribute('data-node'),
        ),
      );
      const parts = await fp.locator('[data-testid^="part-"]').count();
      const far = Array.from({ length: parts }, (_, i) => ({ i, at: places.indexOf(`p${i + 1}`) })).sort(
        (a, b) => b.at - a.at,
      )[0]!;
      // (the root alone drawn, a slice of 20 fields more comes with the unfolding: this one is beyond it)
      expect(far.at).toBeGreaterThan(21);
      // the tree folded to its root, then the root's field clicked (the focus in the tree)
      await tree().locator('button.twisty').first().click();
      await expect.poll(() => tree().locator('[role="treeitem"]').count()).toBe(1);
      await tree().locator('button.field').first().click();
      await fp.getByTestId(`part-${far.i}`).click();
      const row = tree().locator(`button.field[data-node="p${far.i + 1}"]`);
      await expect.poll(() => row.count()).toBe(1);
      await expect
        .poll(async () => {
          const [line, box] = [
            await row.boundingBox(),
            await fp.locator('div.tree:has([data-testid="tree"])').boundingBox(),
          ];
          return !!line && !!box && line.y >= box.y && line.y + line.height <= box.y + box.height + 1;
        })
        .toBe(true);
    });
  });
});
