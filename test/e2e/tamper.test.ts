// Tamper from the inspector, in Chromium: on kerberos-101's TGS-REQ, an attacker on the wire (no keys)
// flips a byte of the TGT's enc-part, and the run played again shows the KDC's refusal
// (KRB_AP_ERR_BAD_INTEGRITY, 31) beside the original TGS-REP; one click takes the tamper back and one
// plays it again. A rewritten nonce is refused the same way; a what-if longer endtime, sealed again with
// the krbtgt key, is answered with a ticket. Nothing leaves the tab.
import { beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { Engine } from '../../src/ui/engine/engine';
import { chromiumAvailable, type PageRecord, useBrowser } from './browser';

describe.skipIf(!chromiumAvailable())('tamper in the inspector, in Chromium', () => {
  const site = useBrowser({ check: 'nothing' });
  let view: PageRecord;
  let page: Page;
  /** The TGS-REQ's seq in the untampered run (the world is deterministic: the page has the same). */
  let tgsReq: number;

  beforeAll(async () => {
    const engine = new Engine({ scope: 'test', script: 'tamper.test.ts' });
    const loaded = engine.load({ kind: 'catalogue', id: 'kerberos-101' });
    if (!loaded.ok) throw new Error(loaded.problem.reason);
    tgsReq = engine.goto(2).trace.find((r) => r.type === 'TGS-REQ')!.seq;

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
    await page.getByTestId('tamper-undo').click();
    await page
      .getByTestId('step-count')
      .getByText('Step 2 of 2', { exact: true })
      .waitFor({ timeout: 60_000 });
    await page.getByTestId('tamper-redo').waitFor();
    expect(await text('inspector-type')).toBe('TGS-REQ');
    expect(await text('tamper-original')).toMatch(/^TGS-REP/);

    await page.getByTestId('tamper-redo').click();
    await page
      .getByTestId('step-count')
      .getByText('Step 3 of 3', { exact: true })
      .waitFor({ timeout: 60_000 });
    await expect.poll(() => text('tamper-replayed')).toMatch(/KRB_AP_ERR_BAD_INTEGRITY \(31\)/);
    await page.getByTestId('tamper-undo').click();
    await page
      .getByTestId('step-count')
      .getByText('Step 2 of 2', { exact: true })
      .waitFor({ timeout: 60_000 });
  });

  test("req-body's nonce rewritten on the wire: the authenticator's checksum fails, 31", async () => {
    await selectTgsReq();
    await page.getByTestId('tamper-kind-field').check();
    await page.getByTestId('tamper-value').fill('12345');
    await page.getByTestId('tamper-play').click();
    await expect
      .poll(() => text('tamper-replayed'), { timeout: 60_000 })
      .toMatch(/KRB_AP_ERR_BAD_INTEGRITY \(31\)/);
    await page.getByTestId('tamper-undo').click();
    await page
      .getByTestId('step-count')
      .getByText('Step 2 of 2', { exact: true })
      .waitFor({ timeout: 60_000 });
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
    await page.getByTestId('tamper-undo').click();
    await page
      .getByTestId('step-count')
      .getByText('Step 2 of 2', { exact: true })
      .waitFor({ timeout: 60_000 });
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

  test('nothing left the tab, and the page raised no error', () => {
    expect(view.foreignRequests()).toEqual([]);
    expect(view.errors).toEqual([]);
  });
});
