// The scenario picker in Chromium: kerberos-101 and clock-skew stepped through (the messages and the
// outcomes as the run reaches them, stepping back), a skew fault applied from the panel (KRB_AP_ERR_SKEW),
// a pcapng exported (read from the download), a broken scenario JSON (its field named) that a reload
// offers back; and never a request to another origin.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import {
  chromiumAvailable,
  consoleWhole,
  kerberosMessages as messagesOf,
  type PageRecord,
  projectRoot,
  traceWhole,
  useBrowser,
} from './browser';

const RESULTS = join(projectRoot, 'test-results');
const shot = (name: string) => join(RESULTS, name);

describe.skipIf(!chromiumAvailable())('scenarios in Chromium', () => {
  const site = useBrowser({ check: 'nothing' });
  let view: PageRecord;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(RESULTS, { recursive: true });
    view = await site.open();
    page = view.page;
    await page.setViewportSize({ width: 1440, height: 960 });
    await page.locator('[data-testid="playground"][aria-busy="false"]').waitFor({ timeout: 60_000 });
  });

  /** The Kerberos messages of the trace (modelled SMB steps left out), as the list labels them. */
  const kerberosMessages = () => messagesOf(page);
  const stepCount = () => page.getByTestId('step-count').textContent();
  const outcome = (id: string) => page.getByTestId(`outcome-${id}`).getAttribute('data-state');

  async function pick(id: string) {
    await page.getByTestId('scenario-picker').click();
    await page.getByTestId(`pick-${id}`).click();
    await expect.poll(() => page.getByTestId('scenario-id').textContent()).toBe(id);
    await expect.poll(() => page.getByTestId('step-forward').isEnabled()).toBe(true);
  }

  async function forward(expected: string) {
    await page.getByTestId('step-forward').click();
    await expect.poll(stepCount).toBe(expected);
  }

  test('the page opens on kerberos-101 at its start, with the catalogue in the picker', async () => {
    expect(await page.getByTestId('scenario-id').textContent()).toBe('kerberos-101');
    expect(await stepCount()).toBe('Step 0 of 2');
    expect(await page.getByTestId('trace-empty').isVisible()).toBe(true);
    expect(new URL(page.url()).hash).toBe('#/s/kerberos-101');
    await page.getByTestId('scenario-picker').click();
    const menu = page.getByTestId('scenario-menu');
    await menu.waitFor();
    for (const id of [
      'kerberos-101',
      'trust-referral',
      'clock-skew',
      'port-445-blocked',
      'kvno-mismatch',
      'cloud-only-identity',
    ]) {
      expect(await page.getByTestId(`pick-${id}`).isEnabled(), id).toBe(true);
    }
    // every catalogue scenario runs today: none is offered disabled as "Not available"
    expect(await menu.getByText(/Not available:/).count()).toBe(0);
    await page.screenshot({ path: shot('scenarios-picker.png') });
    await page.keyboard.press('Escape');
    await page.mouse.click(700, 900);
    await expect.poll(() => menu.count()).toBe(0);
  });

  test('kerberos-101 step by step: AS with pre-authentication, then TGS and AP; outcomes as they are reached', async () => {
    await forward('Step 1 of 2');
    expect(await kerberosMessages()).toEqual(['AS-REQ', 'KRB-ERROR 25', 'AS-REQ', 'AS-REP']);
    expect(await outcome('as-with-preauth')).toBe('ok');
    expect(await outcome('mount-succeeds')).toBe('pending');
    // the TGT on the timeline, and in klist
    await expect
      .poll(() => page.getByTestId('ticket-0').getAttribute('data-server'))
      .toBe('krbtgt/CORP.CONTOSO.COM@CORP.CONTOSO.COM');
    await expect.poll(() => page.getByTestId('klist').textContent()).toMatch(/Cached Tickets: \(1\)/);

    await forward('Step 2 of 2');
    expect(await kerberosMessages()).toEqual([
      'AS-REQ', 'KRB-ERROR 25', 'AS-REQ', 'AS-REP', 'TGS-REQ', 'TGS-REP', 'AP-REQ', 'AP-REP',
    ]); // prettier-ignore
    for (const id of [
      'as-with-preauth',
      'tgs-then-ap',
      'eight-messages',
      'mount-succeeds',
      'klist-tgt-and-cifs',
    ]) {
      expect(await outcome(id), id).toBe('ok');
    }
    // the SMB steps around the AP exchange are modelled, and labelled so
    const smb = page.locator('li.row.modelled', { hasText: 'SMB2 NEGOTIATE' });
    expect(await smb.count()).toBeGreaterThan(0);
    expect(await smb.first().textContent()).toMatch(/modelled/);
    expect(await consoleWhole(page)).toMatch(
      /net use S: \\\\fs1\.corp\.contoso\.com\\share[\s\S]*The command completed successfully/,
    );
    await expect.poll(() => page.getByTestId('klist').textContent()).toMatch(/cifs\/fs1\.corp\.contoso\.com/);
    await page
      .getByTestId('row-6')
      .click()
      .catch(() => undefined);
    await page.screenshot({ path: shot('scenarios-kerberos-101.png') });

    // back: a restore; the mount's messages are gone and its outcomes wait again
    await page.getByTestId('step-back').click();
    await expect.poll(stepCount).toBe('Step 1 of 2');
    expect(await kerberosMessages()).toEqual(['AS-REQ', 'KRB-ERROR 25', 'AS-REQ', 'AS-REP']);
    expect(await outcome('mount-succeeds')).toBe('pending');
  });

  test('a pcapng exported from the worker downloads as a Blob, with the pcapng magic; so do the keytab and ccache', async () => {
    await page.getByTestId('step-last').click();
    await expect.poll(stepCount).toBe('Step 2 of 2');
    await page.getByTestId('export-menu').click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-pcapng').click(),
    ]);
    expect(download.suggestedFilename()).toBe('kerberos-101.pcapng');
    expect(download.url()).toMatch(/^blob:/);
    const bytes = readFileSync((await download.path())!);
    // Section Header Block type 0x0A0D0D0A, then the byte-order magic 0x1A2B3C4D
    expect([...bytes.subarray(0, 4)]).toEqual([0x0a, 0x0d, 0x0d, 0x0a]);
    expect(bytes.readUInt32LE(8)).toBe(0x1a2b3c4d);
    expect(await page.getByTestId('export-about').textContent()).toMatch(
      /12 messages up to step 2: Kerberos \(AS, TGS, the KDC proxy's HTTP\) and 6 SMB2 messages on TCP 445\. .*tshark -2 -r kerberos-101\.pcapng -X lua_script:kkdcp\.lua/,
    );
    const [lua] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-kkdcp-lua').click(),
    ]);
    expect(lua.suggestedFilename()).toBe('kkdcp.lua');
    expect(readFileSync((await lua.path())!, 'utf8')).toContain('Proto("kkdcp"');
    const [keys] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-smb-keys').click(),
    ]);
    expect(keys.suggestedFilename()).toBe('smb2_seskey_list');
    expect(readFileSync((await keys.path())!, 'utf8')).toMatch(/^[0-9a-f]{16},[0-9a-f]{32},"",""\n$/);

    const [keytab] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-keytab').click(),
    ]);
    expect([...readFileSync((await keytab.path())!).subarray(0, 2)]).toEqual([0x05, 0x02]);
    const [ccache] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-ccache-ws1').click(),
    ]);
    expect(ccache.suggestedFilename()).toBe('kerberos-101-ws1.ccache');
    expect([...readFileSync((await ccache.path())!).subarray(0, 2)]).toEqual([0x05, 0x04]);
    await page.mouse.click(700, 900);
  });

  test('a click on the timeline moves the virtual clock forward, as a new step', async () => {
    await page.getByTestId('step-2').click();
    await expect.poll(stepCount).toBe('Step 2 of 2');
    const track = page.getByTestId('ticket-0').locator('.track');
    // the clock's slider above the rows may push them below the fold
    await track.scrollIntoViewIfNeeded();
    const box = (await track.boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.9, box.y + box.height / 2);
    await expect.poll(stepCount).toBe('Step 3 of 3');
    // in hours and minutes, as a learner reads a ticket's life ("9h 12m", never "552m")
    expect(await page.getByTestId('step-title').textContent()).toMatch(
      /the clock moves forward \d+h( \d+m)?$/,
    );
    const clock = (await page.getByTestId('clock').textContent())!;
    expect(Number(clock.slice(0, 2))).toBeGreaterThanOrEqual(16);
    // back to the scenario as written
    await page.getByTestId('scenario-picker').click();
    await page.getByTestId('pick-kerberos-101').click();
    await expect.poll(stepCount).toBe('Step 0 of 2');
  });

  test('clock-skew: refused with KRB_AP_ERR_SKEW while the clock is 6 minutes fast; fixed by the clock', async () => {
    await pick('clock-skew');
    expect(await stepCount()).toBe('Step 0 of 6');
    await forward('Step 1 of 6');
    expect(await page.getByTestId('host-ws1').textContent()).toMatch(/\+6m/);
    await forward('Step 2 of 6');
    expect(await kerberosMessages()).toEqual(['AS-REQ', 'KRB-ERROR 25', 'AS-REQ', 'KRB-ERROR 37']);
    const skew = page.locator('[data-testid^="row-"][data-type="KRB-ERROR 37"]');
    expect(await skew.textContent()).toMatch(/KRB_AP_ERR_SKEW \(37\)/);
    expect(await outcome('skew-refused')).toBe('ok');
    expect(await outcome('fixed-clock-fixes-it')).toBe('pending');
    await forward('Step 3 of 6');
    // the mount falls back to NTLM, refused: error 1326, explained in the console
    await expect
      .poll(() => page.getByTestId('windows-error-1326').textContent())
      .toMatch(/fell back to NTLM/);
    await page.getByTestId('step-last').click();
    await expect.poll(stepCount).toBe('Step 6 of 6');
    for (const id of ['skew-refused', 'kdc-time-in-error', 'no-share-while-skewed', 'fixed-clock-fixes-it']) {
      expect(await outcome(id), id).toBe('ok');
    }
    await page.getByTestId('step-back').click();
    await expect.poll(stepCount).toBe('Step 5 of 6');
    expect(await outcome('fixed-clock-fixes-it')).toBe('pending');
  });

  test('a skew applied from the faults panel goes into the timeline, and the sign-in gets KRB_AP_ERR_SKEW', async () => {
    await pick('kerberos-101');
    expect(await stepCount()).toBe('Step 0 of 2');
    await page.getByTestId('fault-skew-ws1').fill('7');
    await page.getByTestId('fault-skew-apply-ws1').click();
    await expect.poll(stepCount).toBe('Step 1 of 3');
    expect(await page.getByTestId('step-title').textContent()).toMatch(/fault\s*ws1's clock is set to \+7m/);
    expect(await page.getByTestId('host-ws1').textContent()).toMatch(/\+7m/);
    // the trace says who changed what
    expect(await page.locator('li.row.action', { hasText: 'faults panel' }).count()).toBe(1);
    await forward('Step 2 of 3');
    expect(await kerberosMessages()).toEqual(['AS-REQ', 'KRB-ERROR 25', 'AS-REQ', 'KRB-ERROR 37']);
    expect(await page.getByTestId('step-2').getAttribute('data-result')).toBe('failed');
    expect(await outcome('as-with-preauth')).toBe('failed');
    await page.locator('[data-testid^="row-"][data-type="KRB-ERROR 37"]').click();
    await expect.poll(() => page.getByTestId('headline').textContent()).toMatch(/clock skew too great/);
    await page.screenshot({ path: shot('scenarios-fault-skew.png') });
  });

  test('a broken scenario JSON names the field; a reload offers the text back', async () => {
    await page.getByTestId('edit-json').click();
    await page.getByTestId('json-dialog').waitFor();
    const text = await page.getByTestId('json-editor').inputValue();
    expect(JSON.parse(text)).toMatchObject({ id: 'kerberos-101' });
    const broken = text.replace('"do": "net-use"', '"do": "net-use-everything"');
    expect(broken).not.toBe(text);
    await page.getByTestId('json-editor').fill(broken);
    await page.getByTestId('json-run').click();
    await expect.poll(() => page.getByTestId('json-problem-field').textContent()).toBe('timeline[1].do');
    expect(await page.getByTestId('json-problem-reason').textContent()).toMatch(/must be one of/);
    // the field at fault is selected in the text
    await expect
      .poll(() =>
        page
          .getByTestId('json-editor')
          .evaluate((t: HTMLTextAreaElement) => t.value.slice(t.selectionStart, t.selectionEnd)),
      )
      .toBe('"net-use-everything"');
    await page.screenshot({ path: shot('scenarios-json-problem.png') });

    await page.reload({ waitUntil: 'load' });
    await page.locator('[data-testid="playground"][aria-busy="false"]').waitFor({ timeout: 60_000 });
    await page.getByTestId('restore-offer').waitFor();
    await page.getByTestId('restore-json').click();
    expect(await page.getByTestId('json-editor').inputValue()).toBe(broken);
    // fixed, it runs as the user's own scenario
    await page.getByTestId('json-editor').fill(text);
    await page.getByTestId('json-run').click();
    await expect.poll(() => page.getByTestId('json-dialog').count()).toBe(0);
    expect(await page.getByTestId('scenario-picker').textContent()).toMatch(/your JSON/);
  });

  test('a share link carries the user’s JSON in the hash, and opens it in a fresh page', async () => {
    await page.getByTestId('share').click();
    await expect.poll(() => page.getByTestId('share-link').inputValue()).toMatch(/#\/j\/[A-Za-z0-9_-]+$/);
    const link = await page.getByTestId('share-link').inputValue();
    expect(new URL(link).origin).toBe(site.origin);
    const other = await site.open(new URL(link).pathname + new URL(link).hash);
    await other.page.locator('[data-testid="playground"][aria-busy="false"]').waitFor({ timeout: 60_000 });
    await expect
      .poll(() => other.page.getByTestId('scenario-picker').textContent())
      .toMatch(/kerberos-101.*your JSON/s);
    expect(other.foreignRequests()).toEqual([]);
    await other.context.close();
  });

  test('a fresh page opened on a screen full of a failing run explains it', async () => {
    const fresh = await site.open('/#/s/port-445-blocked');
    await fresh.page.setViewportSize({ width: 1440, height: 960 });
    await fresh.page.locator('[data-testid="playground"][aria-busy="false"]').waitFor({ timeout: 60_000 });
    await fresh.page.getByTestId('step-forward').click();
    await fresh.page.getByTestId('step-forward').click();
    await fresh.page.getByTestId('step-forward').click();
    await expect.poll(() => fresh.page.getByTestId('step-count').textContent()).toBe('Step 3 of 7');
    await expect.poll(() => fresh.page.getByTestId('windows-error-53').textContent()).toMatch(/TCP 445/);
    // the step sent no Kerberos: the page shows its failure, explained, not an earlier message
    await expect
      .poll(() => fresh.page.getByTestId('inspector-windows-error').textContent())
      .toMatch(/System error 53[\s\S]*Kerberos was never asked/);
    await fresh.page.screenshot({ path: shot('scenarios-port-445.png') });
    expect(fresh.foreignRequests()).toEqual([]);
    expect(fresh.errors).toEqual([]);
    await fresh.context.close();
  });

  test("happy-path: Entra's modelled steps are drawn so, the real Kerberos through its proxy is not", async () => {
    const fresh = await site.open('/#/s/happy-path');
    const p = fresh.page;
    await p.setViewportSize({ width: 1440, height: 960 });
    await p.locator('[data-testid="playground"][aria-busy="false"]').waitFor({ timeout: 60_000 });
    await p.getByTestId('step-last').click();
    await expect.poll(() => p.getByTestId('outcome-tally').textContent()).toMatch(/not reached yet/);
    await expect.poll(() => p.locator('[data-state="pending"]').count()).toBe(0);
    expect(await p.locator('[data-state="failed"]').count()).toBe(0);
    await traceWhole(p);
    const modelled = p.locator('li.row.modelled');
    expect(await modelled.count()).toBeGreaterThan(0);
    expect(await modelled.first().textContent()).toMatch(/modelled/);
    // Entra's token endpoint is modelled; the Kerberos its KDC answers through the proxy is real bytes
    expect(await p.locator('li.row.modelled [data-type="PRT-REQUEST"]').count()).toBeGreaterThan(0);
    expect(await p.locator('li.row.modelled [data-type="TGS-REQ"]').count()).toBe(0);
    expect(await p.locator('li.row:not(.modelled) [data-type="TGS-REQ"]').count()).toBeGreaterThan(0);
    // the inspector's "modelled" badge opens the docs/modelled.md entries of the step, with their sources
    await p.locator('li.row.modelled [data-type="PRT-RESPONSE"]').first().click();
    const badge = p.getByTestId('inspector').getByTestId('modelled-badge');
    expect(await badge.getAttribute('aria-expanded')).toBe('false');
    await badge.click();
    expect(await badge.getAttribute('aria-expanded')).toBe('true');
    const entries = p.getByTestId('modelled-entries');
    await entries.waitFor();
    expect(
      await entries.locator('section').evaluateAll((s) => s.map((x) => x.getAttribute('data-slug'))),
    ).toEqual(['entra-prt-exchange', 'cloud-tgt-flags', 'cloud-tgt-renewal']);
    expect(await entries.textContent()).toMatch(/docs\/modelled\.md#cloud-tgt-flags.*0x40810000/s);
    expect(await entries.locator('a[href^="https://learn.microsoft.com/"]').count()).toBeGreaterThan(0);
    await p.screenshot({ path: shot('scenarios-happy-path.png') });
    expect(fresh.foreignRequests()).toEqual([]);
    expect(fresh.errors).toEqual([]);
    await fresh.context.close();
  });

  test('the page talked to no origin but its own, and logged no error', () => {
    expect(view.requests.length).toBeGreaterThan(0);
    expect(view.foreignRequests()).toEqual([]);
    expect(view.errors).toEqual([]);
  });
});
