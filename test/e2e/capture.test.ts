// The capture page (#/capture) opens the MIT capture of the fixtures as a read-only run: one row per
// message the CLI's decoder reads, and, with the keytab, every part it opens shown OPENED in the
// inspector (compared with the decoder's own output here, not with counts written down); a password in
// place of the keytab opens the user's AS-REP; a capture the project writes (ntfs-deny) shows the AP-REQ
// inside SMB2 SESSION_SETUP as a row whose ticket and authenticator open with its keytab; a file that is
// not a capture gives its error.
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { KeyRing, decodeCapture } from '../../src/formats/decoder';
import { decodeKeytab } from '../../src/formats/keytab';
import { readCapture, writePcap } from '../../src/formats/pcap';
import { findScenario, runScenario, type Scenario } from '../../src/scenarios';
import { exportKeytab, exportPcapng } from '../../src/world';
import messagesFixture from '../fixtures/vectors/messages.json';
import { chromiumAvailable, traceWhole, useBrowser } from './browser';

const dir = new URL('../fixtures/captures/', import.meta.url);
const pcapPath = new URL('mit-kinit-kvno.pcapng', dir).pathname;
const keytabPath = new URL('mit-kinit-kvno.keytab', dir).pathname;
const pcap = new Uint8Array(readFileSync(pcapPath));
const cli = decodeCapture(readCapture(pcap), new KeyRing().addKeytab(decodeKeytab(readFileSync(keytabPath))));

/** Every row's parts as the inspector shows them: "seq path" for each OPENED one. */
async function openedInPage(page: Page, rows: number): Promise<string[]> {
  const opened: string[] = [];
  for (let seq = 1; seq <= rows; seq++) {
    await page.getByTestId(`row-${seq}`).click();
    await page.locator('[data-testid="inspector"] .seq', { hasText: `#${seq}` }).waitFor();
    await page.getByTestId('hex').or(page.getByTestId('parts')).first().waitFor();
    const parts = page.getByTestId('parts').locator('li');
    for (let i = 0; i < (await parts.count()); i++) {
      const li = parts.nth(i);
      if ((await li.locator('.lock').textContent()) === 'OPENED')
        opened.push(`${seq} ${await li.locator('.path').textContent()}`);
    }
  }
  return opened;
}

describe.skipIf(!chromiumAvailable())('capture page: a customer’s capture as a read-only run', () => {
  const site = useBrowser({ check: 'requests' });

  async function capturePage(): Promise<Page> {
    const rec = await site.open('/#/capture');
    await rec.page.getByTestId('capture-file').waitFor();
    return rec.page;
  }

  test('with the keytab: every message a row, every part the CLI decrypts opened, tickets on the timeline', async () => {
    const page = await capturePage();
    await page.getByTestId('capture-keytab').setInputFiles(keytabPath);
    await page.getByTestId('capture-file').setInputFiles(pcapPath);
    await page.getByTestId('capture-run').waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('capture-readonly').textContent()).toContain(
      "The customer's capture, read-only",
    );
    await traceWhole(page);
    const rows = page.locator('[data-testid^="row-"]');
    expect(await rows.count()).toBe(cli.length);
    expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-type')))).toEqual(
      cli.map((m) => (m.errorCode !== undefined ? `${m.type} ${m.errorCode}` : m.type)),
    );
    const expected = cli.flatMap((m, i) =>
      m.encParts.filter((p) => p.decrypted).map((p) => `${i + 1} ${p.path}`),
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(await openedInPage(page, cli.length)).toEqual(expected);
    // nothing to change: no tamper control (which would come in the inspector's second task, with the hex
    // dump: once the dump is there, a frame and a task later that task has run), no clock slider; tickets
    // drawn at the capture's times
    await page.getByTestId('hex').waitFor();
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
    expect(await page.getByTestId('tamper').count()).toBe(0);
    expect(await page.locator('[data-testid^="ticket-"]').count()).toBeGreaterThan(0);
  }, 300_000);

  test('a password opens what the principal’s key protects; a bad principal is refused in words', async () => {
    const page = await capturePage();
    const asReq = (messagesFixture as unknown as { samples: { name: string; hex: string }[] }).samples.find(
      (x) => x.name === 'knet-as-req-pa-enc-timestamp',
    )!;
    const file = writePcap([
      {
        time: new Date(Date.UTC(2026, 0, 5, 9)),
        src: '192.0.2.10:50000',
        dst: '192.0.2.88:88',
        transport: 'udp',
        bytes: Buffer.from(asReq.hex, 'hex'),
      },
    ]);
    await page.getByTestId('capture-principal').fill('testuser@CORP.IDENTITYINTERVENTION.COM');
    await page.getByTestId('capture-password').fill('P@ssw0rd!');
    await page.getByTestId('capture-file').setInputFiles({
      name: 'as-req.pcap',
      mimeType: 'application/vnd.tcpdump.pcap',
      buffer: Buffer.from(file),
    });
    await page.getByTestId('capture-run').waitFor({ timeout: 120_000 });
    await page.getByTestId('row-1').click();
    const part = page.getByTestId('part-0');
    await expect.poll(() => part.locator('.lock').textContent()).toBe('OPENED');
    expect(await part.textContent()).toContain('password of testuser@CORP.IDENTITYINTERVENTION.COM');

    await page.getByTestId('capture-principal').fill('testuser');
    await page.getByTestId('capture-open').click();
    await expect.poll(() => page.getByTestId('capture-error').textContent()).toContain('has no realm');
  }, 300_000);

  test('SMB2: the AP-REQ inside SESSION_SETUP is a row, and its ticket and authenticator open', async () => {
    const world = runScenario(findScenario('ntfs-deny') as Scenario).world;
    const page = await capturePage();
    await page.getByTestId('capture-keytab').setInputFiles({
      name: 'ntfs-deny.keytab',
      mimeType: 'application/octet-stream',
      buffer: Buffer.from(exportKeytab(world)),
    });
    await page.getByTestId('capture-file').setInputFiles({
      name: 'ntfs-deny.pcapng',
      mimeType: 'application/vnd.tcpdump.pcap',
      buffer: Buffer.from(exportPcapng(world)),
    });
    await page.getByTestId('capture-run').waitFor({ timeout: 120_000 });
    await traceWhole(page);
    const types = await page
      .locator('[data-testid^="row-"]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-type')));
    expect(types).toContain('NTLMSSP AUTHENTICATE');
    expect(types).toContain('SMB2 encrypted');
    const apReq = page.locator('[data-testid^="row-"][data-type="AP-REQ"]');
    expect(await apReq.count()).toBe(1);
    await apReq.click();
    const parts = page.getByTestId('parts').locator('li');
    await parts.first().waitFor();
    const opened = async () =>
      (await parts.evaluateAll((els) =>
        els.map((e) => `${e.querySelector('.path')?.textContent} ${e.querySelector('.lock')?.textContent}`),
      )) as string[];
    await expect.poll(opened).toEqual(['ticket.enc-part OPENED', 'authenticator OPENED']);
  }, 300_000);

  test('a long capture: the sequence windowed to its last row, every ticket drawn a slice a frame', async () => {
    const messages = readCapture(pcap);
    // the MIT exchanges six times over, each from a client port of its own: more rows than are drawn at once
    const copies = Array.from({ length: 6 }, (_, k) =>
      messages.map((m) => ({
        ...m,
        time: new Date(m.time.getTime() + k * 60_000),
        src: m.src.replace(/:(\d+)$/, (x, p: string) => (/^3(8201|7907)$/.test(p) ? x : `:${40_000 + k}`)),
        dst: m.dst.replace(/:(\d+)$/, (x, p: string) => (/^3(8201|7907)$/.test(p) ? x : `:${40_000 + k}`)),
      })),
    ).flat();
    const page = await capturePage();
    await page.getByTestId('capture-keytab').setInputFiles(keytabPath);
    await page.getByTestId('capture-file').setInputFiles({
      name: 'six.pcap',
      mimeType: 'application/vnd.tcpdump.pcap',
      buffer: Buffer.from(writePcap(copies)),
    });
    await page.getByTestId('capture-run').waitFor({ timeout: 120_000 });
    expect(copies.length).toBeGreaterThan(200);
    // the sequence is windowed: only the rows in sight are in the page, and End reaches the last message
    await page.locator('[data-testid^="row-"]').first().waitFor({ timeout: 60_000 });
    expect(await page.locator('[data-testid^="row-"]').count()).toBeLessThan(copies.length);
    await page.locator('[data-testid^="row-"]').first().click();
    await page.keyboard.press('End');
    await expect
      .poll(() => page.getByTestId(`row-${copies.length}`).getAttribute('aria-pressed'), { timeout: 60_000 })
      .toBe('true');
    const tickets = cli.filter(
      (m) => /-REP$/.test(m.type) && m.encParts.some((p) => p.path === 'enc-part' && p.decrypted),
    ).length;
    await expect
      .poll(() => page.locator('[data-testid^="ticket-"]').count(), { timeout: 60_000 })
      .toBe(6 * tickets);
  }, 300_000);

  test('a capture refused for its size is not replaced by the one opened before it', async () => {
    const page = await capturePage();
    await page.getByTestId('capture-file').setInputFiles(pcapPath);
    await page.getByTestId('capture-run').waitFor({ timeout: 120_000 });
    // over the 100 MB bound: a sparse file, refused by its size before a byte is read
    const big = join(mkdtempSync(join(tmpdir(), 'krbplay-big-')), 'big.pcapng');
    writeFileSync(big, '');
    truncateSync(big, 101 * 1024 * 1024);
    await page.getByTestId('capture-file').setInputFiles(big);
    await expect.poll(() => page.getByTestId('capture-error').textContent()).toMatch(/MB|bytes/);
    const refusal = await page.getByTestId('capture-error').textContent();
    // a keytab picked next does not silently reopen the capture before
    await page.getByTestId('capture-keytab').setInputFiles(keytabPath);
    expect(await page.getByTestId('capture-error').count()).toBe(1);
    expect(await page.getByTestId('capture-error').textContent()).toBe(refusal);
    expect(await page.getByTestId('capture-open').isDisabled()).toBe(true);
    rmSync(dirname(big), { recursive: true, force: true });
  }, 180_000);

  test('a file that is not a capture gives its error, and no run', async () => {
    const page = await capturePage();
    await page.getByTestId('capture-file').setInputFiles({
      name: 'notes.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('hello, not a capture'),
    });
    await expect
      .poll(() => page.getByTestId('capture-error').textContent())
      .toContain('not a pcap or pcapng file');
    expect(await page.getByTestId('capture-run').count()).toBe(0);
  }, 120_000);
});
