// "Reproduce it yourself" in Chromium: on kerberos-101's AS-REP the inspector offers, beside the opened
// enc-part, the krbplay decode command that opens it, the commands that remake alice's key from her
// password (krbplay, MIT ktutil + klist, OpenSSL 3), and the krbplay scenario run line of its step; each
// copy button puts exactly that text on the clipboard. The expected text is written here by the same
// engine and recipe module in Node (the world is deterministic), so the page must show those very bytes.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { keyRecipes, partRecipes, scenarioRunRecipe } from '../../src/formats/reproduce';
import { Engine } from '../../src/ui/engine/engine';
import type { EventDetail } from '../../src/ui/engine/protocol';
import { fromHex, utf8 } from '../../src/util/bytes';
import { chromiumAvailable, type PageRecord, projectRoot, useBrowser } from './browser';

const RESULTS = join(projectRoot, 'test-results');

describe.skipIf(!chromiumAvailable())('reproduce-it commands in Chromium', () => {
  const site = useBrowser({ check: 'nothing' });
  let view: PageRecord;
  let page: Page;
  let asRep: EventDetail;
  let action: EventDetail;

  beforeAll(async () => {
    const engine = new Engine({ scope: 'test', script: 'reproduce.test.ts' });
    const loaded = engine.load({ kind: 'catalogue', id: 'kerberos-101' });
    if (!loaded.ok) throw new Error(loaded.problem.reason);
    const end = engine.goto(2);
    asRep = engine.detail(end.trace.find((r) => r.type === 'AS-REP')!.seq);
    action = engine.detail(end.trace.find((r) => r.kind === 'action' && r.step === 2)!.seq);

    view = await site.open();
    page = view.page;
    await view.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site.origin });
    await page.setViewportSize({ width: 1440, height: 960 });
    await page.locator('[data-testid="playground"][aria-busy="false"]').waitFor({ timeout: 60_000 });
    await page.getByTestId('step-last').click();
    await page.getByText('Step 2 of 2').waitFor({ timeout: 60_000 });
  }, 180_000);

  /** Clicks a copy button and reads the clipboard back. */
  async function copied(id: string): Promise<string> {
    await page.evaluate(() => navigator.clipboard.writeText(''));
    await page.getByTestId(`copy-${id}`).click();
    await expect.poll(() => page.getByTestId(`copy-${id}`).textContent()).toBe('copied');
    return page.evaluate(() => navigator.clipboard.readText());
  }

  test('beside the AS-REP’s opened enc-part: krbplay decode with the key that opened it', async () => {
    await page.getByTestId(`row-${asRep.row.seq}`).click();
    await expect.poll(() => page.getByTestId('inspector-type').textContent()).toBe('AS-REP');
    await page.getByTestId('reproduce').locator('summary').click();
    const i = asRep.parts.findIndex((p) => p.path === 'enc-part');
    const p = asRep.parts[i]!;
    const expected = partRecipes({ message: asRep.bytes!, etype: 18, key: fromHex(p.keyHex!) }).offered[0]!
      .command;
    expect(expected).toMatch(/^krbplay decode 6b[0-9a-f]+ --key 18:[0-9a-f]{64}$/);
    const group = page.getByTestId(`reproduce-part-${i}`);
    expect(await group.locator('h4').textContent()).toMatch(
      /Open enc-part \(with the alice@CORP\.CONTOSO\.COM key/,
    );
    expect(await page.getByTestId(`command-part-${i}:0`).inputValue()).toBe(expected);
    expect(await copied(`part-${i}:0`)).toBe(expected);
    expect(await group.textContent()).toMatch(/MIT krb5 not offered: MIT krb5 has no command that decrypts/);
  });

  test('beside the key made from alice’s password: krbplay, MIT ktutil + klist, OpenSSL 3, each copied exactly', async () => {
    const i = asRep.parts.findIndex((p) => p.path === 'enc-part');
    const recipes = keyRecipes({
      principal: 'alice@CORP.CONTOSO.COM',
      kvno: 1,
      etype: 18,
      password: 'Contoso-Alice-2026!',
      salt: utf8('CORP.CONTOSO.COMalice'),
    }).offered;
    expect(recipes.map((r) => r.tool)).toEqual(['krbplay', 'mit', 'openssl']);
    const group = page.getByTestId(`reproduce-key-${i}`);
    expect(await group.locator('h4').textContent()).toBe(
      'Make the alice@CORP.CONTOSO.COM key (kvno 1, aes256-cts-hmac-sha1-96) from its password',
    );
    expect(await group.textContent()).toContain(`expect ${asRep.parts[i]!.keyHex}`);
    for (const [j, r] of recipes.entries()) {
      expect(await page.getByTestId(`command-key-${i}:${j}`).inputValue()).toBe(r.command);
      expect(await copied(`key-${i}:${j}`)).toBe(r.command);
    }
    expect(recipes[0]!.command).toBe(
      "krbplay string2key --etype aes256-cts-hmac-sha1-96 --password 'Contoso-Alice-2026!' --salt CORP.CONTOSO.COMalice",
    );
    expect(await group.textContent()).toMatch(/Python 3 not offered: Python's standard library has no AES/);
    mkdirSync(RESULTS, { recursive: true });
    await page.getByTestId('inspector').screenshot({ path: join(RESULTS, 'reproduce-as-rep.png') });
  });

  test('every step offers its krbplay scenario run line, on messages and on actions alike', async () => {
    const step1 = scenarioRunRecipe({ scenario: 'kerberos-101', until: Date.parse('2026-03-02T08:00:00Z') });
    expect(step1.command).toBe('krbplay scenario run kerberos-101 --until 2026-03-02T08:00:00.000Z');
    expect(await page.getByTestId('reproduce-step').locator('h4').textContent()).toBe(
      'Replay step 1 in a terminal',
    );
    expect(await copied('step:0')).toBe(step1.command);

    await page.getByTestId(`row-${action.row.seq}`).click();
    await expect.poll(() => page.getByTestId('not-a-message').count()).toBe(1);
    await page.getByTestId('reproduce').locator('summary').click();
    expect(await page.getByTestId('reproduce-step').locator('h4').textContent()).toBe(
      'Replay step 2 in a terminal',
    );
    expect(await copied('step:0')).toBe('krbplay scenario run kerberos-101');
    expect(view.errors).toEqual([]);
    expect(view.foreignRequests()).toEqual([]);
  });
});
