// Share links whose scenario asks for a costly string-to-key, in Chromium: 2^24 PBKDF2 iterations are
// refused as MIT krb5 refuses them, with the field named in the JSON editor (never the engine-failure
// screen); 300000 (over 2^18) are derived only when the user says so, in the engine's Worker, with a
// progress bar and a Stop button; declined or stopped, the page says so and plays the first scenario;
// derived, the user's scenario plays.
import { deflateRawSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import kerberos101 from '../../src/scenarios/catalogue/kerberos-101.json';
import { chromiumAvailable, type PageRecord, useBrowser } from './browser';

type Json = Record<string, unknown>;

/** "#/j/…": kerberos-101 with alice's principal changed by `edit`, as the page's share button makes it. */
function shareHash(edit: (alice: Json) => void): string {
  const s = structuredClone(kerberos101) as Json;
  edit((((s.kdc as Json).realms as Json[])[0]!.principals as Json[])[0] as Json);
  return `/#/j/${deflateRawSync(Buffer.from(JSON.stringify(s, null, 2))).toString('base64url')}`;
}

describe.skipIf(!chromiumAvailable())('costly keys in a share link, in Chromium', () => {
  const site = useBrowser();

  async function open(edit: (alice: Json) => void): Promise<PageRecord> {
    const v = await site.open(shareHash(edit));
    return v;
  }

  /** After a refusal: the editor names the field and why, and the first scenario plays behind it. */
  async function refusedWith(v: PageRecord, reason: RegExp) {
    const { page } = v;
    await page.getByTestId('json-dialog').waitFor({ timeout: 60_000 });
    await expect
      .poll(() => page.getByTestId('json-problem-field').textContent())
      .toBe('kdc.realms[0].principals[0].iterations');
    expect(await page.getByTestId('json-problem-reason').textContent()).toMatch(reason);
    await page.locator('[data-testid="playground"][aria-busy="false"]').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('engine-error').count()).toBe(0);
    expect(await page.getByTestId('scenario-id').textContent()).toBe('kerberos-101');
  }

  test('2^24 iterations: refused with the field named, as MIT krb5 refuses them; nothing derived', async () => {
    const v = await open((alice) => (alice.iterations = 16777216));
    await refusedWith(
      v,
      /16777216 PBKDF2 iterations are too many: the most is 16777215 \(2\^24 - 1\), as in MIT krb5/,
    );
    expect(await v.page.getByTestId('derive-dialog').count()).toBe(0);
    await v.context.close();
  });

  test('300000 iterations: asked first; declined, the scenario is not opened and the page says why', async () => {
    const v = await open((alice) => (alice.iterations = 300000));
    const { page } = v;
    await page.getByTestId('derive-dialog').waitFor({ timeout: 60_000 });
    const text = await page.getByTestId('derive-dialog').textContent();
    expect(text).toMatch(/kdc\.realms\[0\]\.principals\[0\]\.iterations asks for 300,000 PBKDF2 iterations/);
    expect(text).toMatch(
      /aes256-cts-hmac-sha1-96 \(18\) for alice@CORP\.CONTOSO\.COM, made by the KDC of CORP\.CONTOSO\.COM/,
    );
    expect(await page.getByTestId('derive-estimate').textContent()).toMatch(/^about \d+ (s|min)$/);
    await page.getByTestId('derive-decline').click();
    await refusedWith(v, /300000 PBKDF2 iterations for alice@CORP\.CONTOSO\.COM: not derived, as you chose/);
    await v.context.close();
  });

  test('300000 iterations: started, the progress shows and moves; Stop stops it', async () => {
    const v = await open((alice) => (alice.iterations = 300000));
    const { page } = v;
    await page.getByTestId('derive-go').click({ timeout: 60_000 });
    await page.getByTestId('derive-running').waitFor();
    const fraction = () => page.getByTestId('derive-progress').evaluate((p: HTMLProgressElement) => p.value);
    await expect.poll(fraction, { timeout: 60_000 }).toBeGreaterThan(0);
    const first = await fraction();
    await expect.poll(fraction, { timeout: 60_000 }).toBeGreaterThan(first);
    expect(await page.getByTestId('derive-status').textContent()).toMatch(
      /Key \d of 4: aes\S+ \(\d+\) for alice@CORP\.CONTOSO\.COM — \d+% done/,
    );
    // the page stays usable meanwhile: its own thread answers at once
    expect(await page.evaluate(() => 6 * 7)).toBe(42);
    await page.getByTestId('derive-stop').click();
    await refusedWith(
      v,
      /300000 PBKDF2 iterations for alice@CORP\.CONTOSO\.COM: not derived \(stopped before the end\)/,
    );
    expect(await page.getByTestId('derive-running').count()).toBe(0);
    await v.context.close();
  });

  test('300000 iterations for one enctype, derived: the user’s scenario plays, alice signs in', async () => {
    const v = await open((alice) => {
      alice.iterations = 300000;
      alice.etypes = [17];
    });
    const { page } = v;
    await page.getByTestId('derive-go').click({ timeout: 60_000 });
    await page.locator('[data-testid="playground"][aria-busy="false"]').waitFor({ timeout: 120_000 });
    await expect.poll(() => page.getByTestId('scenario-picker').textContent()).toMatch(/your JSON/);
    expect(await page.getByTestId('derive-running').count()).toBe(0);
    await page.getByTestId('step-forward').click();
    await expect
      .poll(() => page.getByTestId('step-count').textContent(), { timeout: 60_000 })
      .toMatch(/^Step 1 of/);
    await expect
      .poll(() => page.getByTestId('outcome-as-with-preauth').getAttribute('data-state'))
      .toBe('ok');
    await v.context.close();
  });
});
