// The first visible slice (issue 6, part 4): the page runs a two-realm Kerberos world in a Web Worker —
// alice signs in, gets a ticket for a file server in the other forest through a referral, opens the share,
// then is refused for a clock 6 minutes fast — and shows every message decoded, opened and in hex. The
// story is the catalogue scenario two-forests; its link opens it at its start, like any other.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Page, Worker } from 'playwright-core';
import {
  chromiumAvailable,
  kerberosMessages,
  type PageRecord,
  projectRoot,
  traceWhole,
  useBrowser,
} from './browser';

const SCREENSHOT = join(projectRoot, 'test-results', 'world-slice.png');
const PHONE_SCREENSHOT = join(projectRoot, 'test-results', 'world-slice-phone.png');

/** The whole story's Kerberos messages, in order, as the trace list labels them. */
const STORY = [
  // alice signs in: asked to pre-authenticate, then given a TGT
  'AS-REQ',
  'KRB-ERROR 25',
  'AS-REQ',
  'AS-REP',
  // the file server is in FABRIKAM.COM: dc1 refers ws1 there, dc2 issues the service ticket
  'TGS-REQ',
  'TGS-REP',
  'TGS-REQ',
  'TGS-REP',
  // SMB session setup with mutual authentication
  'AP-REQ',
  'AP-REP',
  // two hours later, ws1's clock is 6 minutes fast: KRB_AP_ERR_SKEW
  'AS-REQ',
  'KRB-ERROR 25',
  'AS-REQ',
  'KRB-ERROR 37',
];

interface EngineProbe {
  step: number;
  traceLength: number;
}

describe.skipIf(!chromiumAvailable())('the world slice in Chromium', () => {
  const site = useBrowser({ check: 'nothing' });
  let view: PageRecord;
  let page: Page;

  beforeAll(async () => {
    view = await site.open('/#/s/two-forests');
    page = view.page;
    await page.setViewportSize({ width: 1440, height: 960 });
    await page.locator('[data-testid="playground"][aria-busy="false"]').waitFor({ timeout: 60_000 });
  });

  /** The Kerberos messages (the modelled SMB steps around the AP exchange left out). */
  const messageTypes = () => kerberosMessages(page);
  async function eventCount() {
    await traceWhole(page);
    return page.locator('[data-testid^="row-"]').count();
  }
  /**
   * The number of the last event drawn: the worker's trace length, since the list leaves out only the
   * client flows' own start lines ("ws1: sign in"), never a step's last event.
   */
  const lastSeq = async () =>
    Number(await page.locator('[data-testid^="row-"]').last().getAttribute('data-seq'));
  const engineWorker = (): Worker => {
    const workers = page.workers();
    expect(workers).toHaveLength(1);
    return workers[0]!;
  };

  test('the link opens two-forests like any catalogue scenario: at its start, then played to its end', async () => {
    await expect.poll(() => page.getByTestId('step-count').textContent()).toBe('Step 0 of 5');
    expect(new URL(page.url()).hash).toBe('#/s/two-forests');
    expect(await page.getByTestId('scenario-title').textContent()).toBe(
      'Two forests: a referral, then a skewed clock',
    );
    // the tests below look at its end
    await page.getByTestId('step-last').click();
    await expect.poll(() => page.getByTestId('step-count').textContent()).toBe('Step 5 of 5');
    await expect.poll(() => page.getByTestId('outcome-skew-refused').getAttribute('data-state')).toBe('ok');
    await traceWhole(page);
  });

  test('the engine runs in a Web Worker of the page’s own origin, and the trace comes from it', async () => {
    expect(await page.getByTestId('playground').getAttribute('data-engine-scope')).toBe(
      'DedicatedWorkerGlobalScope',
    );
    expect(await page.getByTestId('engine-origin').textContent()).toMatch(/Web Worker/);
    const worker = engineWorker();
    expect(new URL(worker.url()).origin).toBe(site.origin);
    // Inside the worker: no document, a worker scope, and the engine's own count of trace events.
    const inside = await worker.evaluate(() => ({
      document: typeof document,
      scope: self.constructor.name,
      probe: (self as unknown as { kerberosEngine?: EngineProbe }).kerberosEngine,
    }));
    expect(inside.document).toBe('undefined');
    expect(inside.scope).toBe('DedicatedWorkerGlobalScope');
    expect(inside.probe?.traceLength).toBe(await lastSeq());
    expect(inside.probe?.step).toBe(5);
  });

  test('the trace shows the story’s messages in order, the referral and the failure', async () => {
    expect(await messageTypes()).toEqual(STORY);
    const rows = page.locator('[data-testid^="row-"][data-kind="message"]');
    // The first TGS-REP is dc1's referral to FABRIKAM.COM, the second dc2's service ticket.
    const tgsReps = rows.filter({ hasText: 'TGS-REP' });
    await expect.poll(() => tgsReps.first().textContent()).toMatch(/referral/);
    expect(await tgsReps.first().textContent()).toMatch(/dc1 → ws1/);
    expect(await tgsReps.nth(1).textContent()).toMatch(/dc2 → ws1/);
    expect(await rows.last().textContent()).toMatch(/KRB_AP_ERR_SKEW \(37\)/);
    // The failed sign-in is drawn as a failure.
    await expect.poll(() => page.locator('li.row.failure').count()).toBeGreaterThan(0);
    expect(await page.locator('li.row.failure').last().textContent()).toMatch(/sign in failed/);
    // The world panel shows ws1's clock 6 minutes ahead.
    expect(await page.getByTestId('host-ws1').textContent()).toMatch(/\+6m/);
    expect(await page.getByTestId('klist').textContent()).toMatch(
      /cifs\/files\.fabrikam\.com @ FABRIKAM\.COM/,
    );
  });

  test('clicking the referral shows its tree, the ticket opened with the trust key, and highlighted bytes', async () => {
    const referral = page.locator('[data-testid^="row-"][data-type="TGS-REP"]').first();
    await referral.click();
    await expect.poll(() => page.getByTestId('inspector-type').textContent()).toBe('TGS-REP');
    await expect
      .poll(() => page.getByTestId('headline').textContent())
      .toMatch(/refers the client.*RFC 6806/);
    const tree = page.getByTestId('tree');
    await expect.poll(() => tree.textContent()).toMatch(/EncTicketPart/);
    expect(await tree.textContent()).toMatch(/EncTGSRepPart/);
    // Both encrypted parts are opened, each with the key that belongs to it.
    const parts = await page.getByTestId('parts').textContent();
    expect(parts).toMatch(
      /decrypted with the krbtgt\/FABRIKAM\.COM@CORP\.CONTOSO\.COM key \(kvno 1\), key usage 2/,
    );
    expect(parts).toMatch(/decrypted with the authenticator subkey from #\d+ \(TGS-REQ\), key usage 9/);

    // A field clicked in the tree: its bytes light up in the message's hex dump.
    await tree
      .locator('button.field', { hasText: /^sname/ })
      .first()
      .click();
    const hex = page.getByTestId('hex');
    await expect.poll(() => hex.getAttribute('data-highlight')).toMatch(/^\d+-\d+$/);
    const [start, end] = (await hex.getAttribute('data-highlight'))!.split('-').map(Number) as [
      number,
      number,
    ];
    expect(await hex.locator('.b.hl').count()).toBe(end - start);
    expect(await page.getByTestId('selection').textContent()).toMatch(/^sname: bytes/);

    // A byte clicked in the hex dump: the innermost field holding it is selected.
    await hex.locator(`.b[data-off="${start + 6}"]`).click();
    await expect.poll(() => page.getByTestId('selection').textContent()).toMatch(/^(name-type|name-string)/);

    // The opened ticket: its plaintext's bytes, with the session key highlighted in them.
    await page.getByTestId('part-1').click();
    await expect.poll(() => page.getByTestId('bytes-tab-2').getAttribute('aria-selected')).toBe('true');
    await tree.locator('button.field[data-node^="p2."]', { hasText: /^keyvalue/ }).click();
    await expect
      .poll(() => page.getByTestId('selection').textContent())
      .toMatch(/^keyvalue: bytes 26–61\s+\(36\)\s+of the plaintext of ticket\.enc-part$/);
    expect(await hex.getAttribute('data-length')).toBe('1038');
    expect(await hex.locator('.b.hl').count()).toBe(36);
    // As a reader would first see it: each pane at its top, the referral's opened ticket in the hex dump.
    await page.locator('.pane.inspector').evaluateAll((els) => els.forEach((e) => (e.scrollTop = 0)));
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: SCREENSHOT, fullPage: false });
    console.log(`screenshot: ${SCREENSHOT}`);
  });

  test('stepping back restores an earlier world: the clock and the trace change; forward again restores the end', async () => {
    const clock = () => page.getByTestId('clock').textContent();
    const end = { clock: await clock(), events: await eventCount() };
    expect(end.clock).toMatch(/^10:00:00\.\d{3}Z$/);

    await page.getByTestId('step-back').click();
    await expect.poll(() => page.getByTestId('step-count').textContent()).toBe('Step 4 of 5');
    expect(await eventCount()).toBeLessThan(end.events);
    expect(await messageTypes()).toEqual(STORY.slice(0, 10));
    expect(await clock()).not.toBe(end.clock);

    await page.getByTestId('step-first').click();
    await expect.poll(() => page.getByTestId('step-count').textContent()).toBe('Step 0 of 5');
    expect(await clock()).toBe('08:00:00.000Z');
    expect(await page.getByTestId('trace-empty').isVisible()).toBe(true);
    expect(await page.getByTestId('klist').textContent()).toMatch(/Cached Tickets: \(0\)/);

    await page.getByTestId('step-forward').click();
    await expect.poll(() => page.getByTestId('step-count').textContent()).toBe('Step 1 of 5');
    expect(await messageTypes()).toEqual(STORY.slice(0, 4));
    // The worker stands where the page does.
    const probe = await engineWorker().evaluate(
      () => (self as unknown as { kerberosEngine: EngineProbe }).kerberosEngine,
    );
    expect(probe).toEqual({ step: 1, traceLength: await lastSeq() });

    await page.getByTestId('step-last').click();
    await expect.poll(() => page.getByTestId('step-count').textContent()).toBe('Step 5 of 5');
    expect(await clock()).toBe(end.clock);
    expect(await eventCount()).toBe(end.events);
  });

  test('on a phone the panes stack: sequence, then inspector', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    const seq = await page.locator('.pane.sequence').boundingBox();
    const insp = await page.locator('.pane.inspector').boundingBox();
    expect(seq && insp && insp.y > seq.y).toBe(true);
    expect(seq!.width).toBeGreaterThan(300);
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(scrollWidth).toBeLessThanOrEqual(390);
    mkdirSync(join(projectRoot, 'test-results'), { recursive: true });
    await page.screenshot({ path: PHONE_SCREENSHOT, fullPage: false });
    console.log(`phone screenshot: ${PHONE_SCREENSHOT}`);
    await page.setViewportSize({ width: 1440, height: 960 });
  });

  test('an engine that cannot load is explained on the page, never a blank page', async () => {
    const context = await site.browser.newContext();
    await context.route('**/assets/worker-*.js', (route) => route.abort());
    const broken = await context.newPage();
    await broken.goto(site.origin + '/', { waitUntil: 'load' });
    await broken.getByTestId('engine-error').waitFor({ timeout: 30_000 });
    expect(await broken.getByTestId('engine-error').textContent()).toMatch(/could not run its engine/);
    expect(await broken.locator('h1').textContent()).toBe('Kerberos Playground');
    // The crypto proof needs no worker and still works.
    await broken.getByTestId('nav-crypto').click();
    await expect.poll(() => broken.getByTestId('status').textContent(), { timeout: 30_000 }).toMatch(/Done/);
    await context.close();
  });

  test('the page talked to no origin but its own, and logged no error', () => {
    expect(view.requests.length).toBeGreaterThan(0);
    expect(view.requests.some((u) => /\/assets\/worker-[^/]+\.js$/.test(u))).toBe(true);
    expect(view.foreignRequests()).toEqual([]);
    expect(view.errors).toEqual([]);
  });
});
