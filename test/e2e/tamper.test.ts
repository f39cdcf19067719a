// Tamper from the inspector, in Chromium: on kerberos-101's TGS-REQ, an attacker on the wire (no keys)
// flips a byte of the TGT's enc-part, and the run played again shows the KDC's refusal
// (KRB_AP_ERR_BAD_INTEGRITY, 31) beside the original TGS-REP; one click takes the tamper back and one
// plays it again. A rewritten nonce is refused the same way; a what-if longer endtime, sealed again with
// the krbtgt key, is answered with a ticket. A byte of the TGS-REP changed on its way to ws1: in the ticket,
// ws1 keeps it and fs1 refuses it (31); in its enc-part, ws1 cannot decrypt it. A byte of the AP-REQ's
// authenticator: fs1 refuses it (31). dc1's KRB-ERROR told another error: ws1 believes it. A message
// through the KDC proxy, inside TLS, has no tamper box, and a line says why. Nothing leaves the tab.
import { beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { Engine } from '../../src/ui/engine/engine';
import { chromiumAvailable, type PageRecord, traceWhole, useBrowser } from './browser';

describe.skipIf(!chromiumAvailable())('tamper in the inspector, in Chromium', () => {
  const site = useBrowser({ check: 'nothing' });
  let view: PageRecord;
  let page: Page;
  /** The TGS-REQ's seq in the untampered run (the world is deterministic: the page has the same). */
  let tgsReq: number;
  /** Its answer's. */
  let tgsRep: number;
  /** The AP-REQ ws1 then shows fs1. */
  let apReq: number;
  /** dc1's KRB-ERROR asking ws1 to pre-authenticate. */
  let krbError: number;

  beforeAll(async () => {
    const engine = new Engine({ scope: 'test', script: 'tamper.test.ts' });
    const loaded = engine.load({ kind: 'catalogue', id: 'kerberos-101' });
    if (!loaded.ok) throw new Error(loaded.problem.reason);
    const trace = engine.goto(2).trace;
    tgsReq = trace.find((r) => r.type === 'TGS-REQ')!.seq;
    tgsRep = trace.find((r) => r.replyTo === tgsReq)!.seq;
    apReq = trace.find((r) => r.type === 'AP-REQ' && r.from === 'ws1')!.seq;
    krbError = trace.find((r) => r.type === 'KRB-ERROR' && r.to === 'ws1')!.seq;

    view = await site.open();
    page = view.page;
    await page.setViewportSize({ width: 1440, height: 960 });
    await page.locator('[data-testid="playground"][aria-busy="false"]').waitFor({ timeout: 60_000 });
    await page.getByTestId('step-last').click();
    await page
      .getByTestId('step-count')
      .getByText('Step 2 of 2', { exact: true })
      .waitFor({ timeout: 60_000 });
  }, 180_000);

  const text = (id: string) => page.getByTestId(id).textContent();

  /** Takes the tamper back: the original run, at its last step again. */
  async function backToOriginal() {
    await page.getByTestId('tamper-undo').click();
    await page
      .getByTestId('step-count')
      .getByText('Step 2 of 2', { exact: true })
      .waitFor({ timeout: 60_000 });
  }

  /** Selects the original TGS-REQ and waits for its tamper control. */
  async function selectTgsReq() {
    await page.getByTestId(`row-${tgsReq}`).click();
    await expect.poll(() => text('inspector-type')).toBe('TGS-REQ');
    await page.getByTestId('tamper').waitFor();
  }

  test("a byte of the TGT's enc-part flipped on the wire: refused with 31, beside the original TGS-REP", async () => {
    await selectTgsReq();
    expect(await page.getByRole('group', { name: 'Attacker on the wire, no keys' }).count()).toBe(1);
    expect(
      await page
        .getByRole('group', { name: 'What if the KDC had issued… (re-sealed with its keys)' })
        .count(),
    ).toBe(1);
    await page.getByTestId('tamper-aim-ticket').click();
    expect(Number(await page.getByTestId('tamper-offset').inputValue())).toBeGreaterThan(100);
    expect(await page.getByTestId('tamper-byte').inputValue()).toMatch(/^[0-9a-f]{2}$/);
    await page.getByTestId('tamper-play').click();

    await expect
      .poll(() => text('tamper-replayed'), { timeout: 60_000 })
      .toMatch(/KRB_AP_ERR_BAD_INTEGRITY \(31\)/);
    expect(await text('tamper-original')).toMatch(/^TGS-REP: ticket for cifs\/fs1\.corp\.contoso\.com/);
    // the tamper is a step of the timeline, the user's own; the replayed request is the one inspected
    await page.getByTestId('step-count').getByText('Step 3 of 3', { exact: true }).waitFor();
    expect(await text('inspector-type')).toBe('TGS-REQ');
    expect(await page.getByTestId('inspector').textContent()).toMatch(/attacker/);
  });

  test('one click shows the original again, one more plays the tamper again', async () => {
    await backToOriginal();
    await page.getByTestId('tamper-redo').waitFor();
    expect(await text('inspector-type')).toBe('TGS-REQ');
    expect(await text('tamper-original')).toMatch(/^TGS-REP/);

    await page.getByTestId('tamper-redo').click();
    await page
      .getByTestId('step-count')
      .getByText('Step 3 of 3', { exact: true })
      .waitFor({ timeout: 60_000 });
    await expect.poll(() => text('tamper-replayed')).toMatch(/KRB_AP_ERR_BAD_INTEGRITY \(31\)/);
    await backToOriginal();
  });

  test("req-body's nonce rewritten on the wire: the authenticator's checksum fails, 31", async () => {
    await selectTgsReq();
    await page.getByTestId('tamper-kind-field').check();
    await page.getByTestId('tamper-value').fill('12345');
    await page.getByTestId('tamper-play').click();
    await expect
      .poll(() => text('tamper-replayed'), { timeout: 60_000 })
      .toMatch(/KRB_AP_ERR_BAD_INTEGRITY \(31\)/);
    await backToOriginal();
  });

  test('what if the TGT lasted a day more: sealed again with the krbtgt key, the KDC issues the ticket', async () => {
    await selectTgsReq();
    await page.getByTestId('tamper-kind-what-if').check();
    await page.getByTestId('tamper-value').fill('+1d');
    await page.getByTestId('tamper-play').click();
    await expect
      .poll(() => text('tamper-replayed'), { timeout: 60_000 })
      .toMatch(/^TGS-REP: ticket for cifs/);
    expect(await page.getByTestId('tamper-compare').textContent()).toMatch(/What if/);
  });

  test('a bad value is refused in words, and nothing is played', async () => {
    await backToOriginal();
    await selectTgsReq();
    await page.getByTestId('tamper-kind-byte').check();
    await page.getByTestId('tamper-offset').fill('3');
    await page.getByTestId('tamper-byte').fill('zz');
    await page.getByTestId('tamper-play').click();
    await expect.poll(() => text('tamper-problem')).toMatch(/“zz” is not a byte/);
    await page.getByTestId('tamper-kind-what-if').check();
    await page.getByTestId('tamper-value').fill('tomorrow');
    await page.getByTestId('tamper-play').click();
    await expect.poll(() => text('tamper-problem')).toMatch(/neither an ISO-8601 UTC time nor/);
    expect(await page.getByTestId('step-count').getByText('Step 2 of 2', { exact: true }).count()).toBe(1);
  });

  /** Selects the original TGS-REP, aims at a byte of `part` and plays the run again with it changed. */
  async function tamperReply(part: 'ticket' | 'enc-part') {
    await page.getByTestId(`row-${tgsRep}`).click();
    await expect.poll(() => text('inspector-type')).toBe('TGS-REP');
    await page.getByTestId('tamper').waitFor();
    // a reply is changed a byte at a time: no clear field to rewrite, no what-if
    expect(await page.getByTestId('tamper-kind-field').count()).toBe(0);
    expect(await page.getByTestId('tamper-kind-what-if').count()).toBe(0);
    expect(await text('tamper-bytes-note')).toMatch(/on its way to ws1/);
    await page.getByTestId(`tamper-aim-${part}`).click();
    expect(Number(await page.getByTestId('tamper-offset').inputValue())).toBeGreaterThan(20);
    await page.getByTestId('tamper-play').click();
    await page
      .getByTestId('step-count')
      .getByText('Step 3 of 3', { exact: true })
      .waitFor({ timeout: 60_000 });
  }

  test('a byte of the ticket in the TGS-REP, on its way to ws1: ws1 keeps it, fs1 refuses it with 31', async () => {
    await tamperReply('ticket');
    await expect
      .poll(() => text('tamper-replayed'), { timeout: 60_000 })
      .toMatch(/got cifs\/fs1\.corp\.contoso\.com.*; then .*1326/);
    expect(await text('tamper-original')).toMatch(/got cifs\/fs1\.corp\.contoso\.com/);
    expect(await text('tamper-original')).not.toMatch(/1326/);
    expect(await text('inspector-type')).toBe('TGS-REP');
    expect(await page.getByTestId('inspector').textContent()).toMatch(/attacker/);
    // the AP-REQ carried the changed ticket to fs1, which could not decrypt it (the step's rows all drawn)
    await traceWhole(page);
    expect(await page.locator('[data-testid^="row-"][data-type="KRB-ERROR 31"]').count()).toBe(1);
    await backToOriginal();
  });

  test("a byte of the TGS-REP's enc-part, on its way to ws1: ws1 cannot decrypt it", async () => {
    await tamperReply('enc-part');
    await expect
      .poll(() => text('tamper-replayed'), { timeout: 60_000 })
      .toMatch(/does not decrypt with our authenticator subkey/);
    expect(await page.getByTestId('tamper-compare').textContent()).toMatch(/Tampered/);
    await backToOriginal();
  });

  test("a byte of the AP-REQ's authenticator, on its way to fs1: fs1 refuses it with 31", async () => {
    await page.getByTestId(`row-${apReq}`).click();
    await expect.poll(() => text('inspector-type')).toBe('AP-REQ');
    await page.getByTestId('tamper').waitFor();
    expect(await page.getByTestId('tamper-kind-field').count()).toBe(0);
    expect(await text('tamper-bytes-note')).toMatch(/on its way to fs1/);
    await page.getByTestId('tamper-aim-authenticator').click();
    await page.getByTestId('tamper-play').click();
    await page
      .getByTestId('step-count')
      .getByText('Step 3 of 3', { exact: true })
      .waitFor({ timeout: 60_000 });
    await expect
      .poll(() => text('tamper-replayed'), { timeout: 60_000 })
      .toMatch(/KRB_AP_ERR_BAD_INTEGRITY \(31\)/);
    expect(await text('tamper-original')).toMatch(/^AP-REP/);
    expect(await text('inspector-type')).toBe('AP-REQ');
    // the outcomes the refusal breaks are counted, each figure with its words and a dot between
    await expect
      .poll(async () => (await text('outcome-tally'))?.replace(/\s+/g, ' ').trim())
      .toMatch(/^\d+ ok · [1-9]\d* failed · \d+ not reached yet$/);
    await backToOriginal();
  });

  test("dc1's KRB-ERROR made to say another error on its way: ws1 believes it, and does not sign in", async () => {
    await page.getByTestId(`row-${krbError}`).click();
    await expect.poll(() => text('inspector-type')).toBe('KRB-ERROR');
    await page.getByTestId('tamper').waitFor();
    expect(await text('tamper-bytes-note')).toMatch(/nothing protects a KRB-ERROR/);
    await page.getByTestId('tamper-aim-error-code').click();
    expect(await page.getByTestId('tamper-byte').inputValue()).toBe('06');
    await page.getByTestId('tamper-play').click();
    await page
      .getByTestId('step-count')
      .getByText('Step 2 of 3', { exact: true })
      .waitFor({ timeout: 60_000 });
    await expect.poll(() => text('tamper-replayed'), { timeout: 60_000 }).toMatch(/C_PRINCIPAL_UNKNOWN/);
    expect(await text('tamper-original')).not.toMatch(/C_PRINCIPAL_UNKNOWN/);
    await traceWhole(page);
    expect(await page.locator('[data-testid^="row-"][data-type="KRB-ERROR 6"]').count()).toBe(1);
    // the replayed KRB-ERROR is inspected as it now is: its error-code is 6, and it carries no ticket
    expect(await text('inspector-type')).toBe('KRB-ERROR');
    await page.getByTestId('tamper-aim-error-code').waitFor();
    expect(await page.getByTestId('tamper-aim-ticket').count()).toBe(0);
    expect(await page.getByTestId('tamper-aim-enc-part').count()).toBe(0);
    // aimed at again, it reads the code the client got (6), and offers another (24)
    await page.getByTestId('tamper-aim-error-code').click();
    expect(await page.getByTestId('tamper-byte').inputValue()).toBe('18');
    await page.getByTestId('tamper-undo').click();
    await page
      .getByTestId('step-count')
      .getByText('Step 1 of 2', { exact: true })
      .waitFor({ timeout: 60_000 });
  });

  test("happy-path's TGS-REQ through the KDC proxy: no tamper box, and a line on why", async () => {
    const engine = new Engine({ scope: 'test', script: 'tamper.test.ts' });
    const loaded = engine.load({ kind: 'catalogue', id: 'happy-path' });
    if (!loaded.ok) throw new Error(loaded.problem.reason);
    const proxied = engine.goto(2).trace.find((r) => r.type === 'TGS-REQ' && r.transport === 'kkdcp')!;
    const other = await site.open('/#/s/happy-path');
    const p = other.page;
    await p.setViewportSize({ width: 1440, height: 960 });
    await p.locator('[data-testid="playground"][aria-busy="false"]').waitFor({ timeout: 60_000 });
    for (const step of [1, 2]) {
      await p.getByTestId('step-forward').click();
      await p.locator(`[data-testid="playground"][data-step="${step}"]`).waitFor({ timeout: 60_000 });
    }
    await p.getByTestId(`row-${proxied.seq}`).click();
    await expect.poll(() => p.getByTestId('inspector-type').textContent()).toBe('TGS-REQ');
    await expect
      .poll(() => p.getByTestId('tamper-inside-tls').textContent())
      .toMatch(/inside HTTPS \(MS-KKDCP\)/);
    expect(await p.getByTestId('tamper').count()).toBe(0);
    expect(other.foreignRequests()).toEqual([]);
    expect(other.errors).toEqual([]);
  });

  test('nothing left the tab, and the page raised no error', () => {
    expect(view.foreignRequests()).toEqual([]);
    expect(view.errors).toEqual([]);
  });
});
