// The browser proof (issue 2, part 5): the first page derives a key and runs an encrypt → decrypt round
// trip with the real engine inside Chromium, and the key it shows is the RFC 3962 one.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import { chromiumAvailable, type PageRecord, useBrowser } from './browser';

interface S2kVector {
  etype: number;
  enctype: string;
  iterations: number;
  password_utf8?: string;
  salt_utf8?: string;
  salt_hex: string;
  key_hex: string;
}
const vectors = (
  JSON.parse(readFileSync(new URL('../fixtures/vectors/rfc3962.json', import.meta.url), 'utf8')) as {
    string_to_key: S2kVector[];
  }
).string_to_key;

describe.skipIf(!chromiumAvailable())('the crypto proof page in Chromium', () => {
  const site = useBrowser({ check: 'nothing' });
  let view: PageRecord;

  beforeAll(async () => {
    view = await site.open('/#/crypto');
  });

  async function setInputs(inputs: {
    etype: string;
    password: string;
    salt: string;
    saltIsHex?: boolean;
    iterations: string;
  }) {
    const { page } = view;
    await page.getByTestId('etype').fill(inputs.etype);
    await page.getByTestId('password').fill(inputs.password);
    // rc4-hmac disables the salt and iteration fields (it has neither).
    if (await page.getByTestId('salt').isEnabled()) {
      await page.getByTestId('salt-is-hex').setChecked(inputs.saltIsHex ?? false);
      await page.getByTestId('salt').fill(inputs.salt);
      await page.getByTestId('iterations').fill(inputs.iterations);
    }
  }

  async function shownKey(): Promise<string | null> {
    return view.page.getByTestId('key-hex').getAttribute('data-hex');
  }

  test('the page renders the panel without errors', async () => {
    await expect.poll(() => view.page.getByTestId('status').textContent()).toMatch(/Done/);
    expect(await view.page.title()).toBe('Kerberos Playground');
    expect(view.errors).toEqual([]);
  });

  // RFC 3962 Appendix B: aes256-cts-hmac-sha1-96, 1200 iterations, "password" / "ATHENA.MIT.EDUraeburn".
  const v = vectors.find(
    (x) => x.etype === 18 && x.iterations === 1200 && x.salt_utf8 === 'ATHENA.MIT.EDUraeburn',
  )!;

  test(`an RFC 3962 vector typed in gives the RFC key (${v.enctype}, ${v.iterations} iterations)`, async () => {
    await setInputs({
      etype: v.enctype,
      password: v.password_utf8!,
      salt: v.salt_utf8!,
      iterations: String(v.iterations),
    });
    await expect.poll(shownKey, { timeout: 30_000 }).toBe(v.key_hex);
    await expect.poll(() => view.page.getByTestId('status').textContent()).toMatch(/Done/);
    // What a reader sees is the same hex, grouped.
    expect((await view.page.getByTestId('key-hex').textContent())!.replace(/\s/g, '')).toBe(v.key_hex);
    const roundTrip = await view.page.getByTestId('round-trip').textContent();
    expect(roundTrip).toMatch(/round trip OK/);
    expect(await view.page.getByTestId('decrypted').textContent()).toBe(
      await view.page.getByTestId('message').inputValue(),
    );
    // 16-byte confounder + message, then 12 bytes of HMAC-SHA1-96 (RFC 3962 §6).
    const message = await view.page.getByTestId('message').inputValue();
    const ciphertext = await view.page.getByTestId('ciphertext-hex').getAttribute('data-hex');
    expect(ciphertext).toMatch(/^[0-9a-f]+$/);
    expect(ciphertext!.length / 2).toBe(16 + new TextEncoder().encode(message).length + 12);
  });

  test('the salt given as hex gives the same key (aes128, the 0x1234567878563412 salt)', async () => {
    const w = vectors.find((x) => x.etype === 17 && x.salt_hex === '1234567878563412')!;
    await setInputs({
      etype: '17',
      password: 'password',
      salt: w.salt_hex,
      saltIsHex: true,
      iterations: String(w.iterations),
    });
    await expect.poll(shownKey, { timeout: 30_000 }).toBe(w.key_hex);
    expect(await view.page.getByTestId('round-trip').textContent()).toMatch(/round trip OK/);
  });

  test('encrypting again changes the ciphertext, not the message; a flipped bit is refused', async () => {
    const { page } = view;
    const before = await page.getByTestId('ciphertext-hex').getAttribute('data-hex');
    await page.getByTestId('reencrypt').click();
    await expect.poll(() => page.getByTestId('ciphertext-hex').getAttribute('data-hex')).not.toBe(before);
    expect(await page.getByTestId('round-trip').textContent()).toMatch(/round trip OK/);
    await page.getByTestId('tamper').click();
    await expect
      .poll(() => page.getByTestId('tamper-outcome').textContent())
      .toMatch(/rejected: integrity check failed/);
  });

  test('rc4-hmac needs no salt and still round-trips', async () => {
    await setInputs({ etype: 'rc4-hmac', password: 'password', salt: '', iterations: '' });
    // MD4(UTF-16LE("password")), the well-known NT hash.
    await expect.poll(shownKey, { timeout: 30_000 }).toBe('8846f7eaee8fb117ad06bdd830b7586c');
    expect(await view.page.getByTestId('salt').isDisabled()).toBe(true);
    expect(await view.page.getByTestId('round-trip').textContent()).toMatch(/round trip OK/);
  });

  test('an unknown enctype and bad hex are explained, and the page stays up', async () => {
    const { page } = view;
    await page.getByTestId('etype').fill('aes512-cts');
    await expect
      .poll(() => page.getByTestId('problem-etype').textContent())
      .toMatch(/not an enctype the playground knows/);
    await expect.poll(() => page.getByTestId('status').textContent()).toMatch(/Check the inputs/);
    await setInputs({ etype: '18', password: 'password', salt: '12zz', saltIsHex: true, iterations: '1' });
    await expect.poll(() => page.getByTestId('problem-salt').textContent()).toMatch(/not valid hex/);
    expect(await page.locator('h1').textContent()).toBe('Kerberos Playground');
    expect(view.errors).toEqual([]);
  });

  test('a long derivation (etype 20, 200000 iterations) leaves the page responsive', async () => {
    const { page } = view;
    await setInputs({
      etype: 'aes256-cts-hmac-sha384-192',
      password: 'password',
      salt: 'EXAMPLE.TESTalice',
      iterations: '1',
    });
    await expect.poll(() => page.getByTestId('status').textContent()).toMatch(/Done/);
    // Every animation frame notes the status it finds. A derivation that held the main thread would let no
    // frame run while the status says "working"; stringToKeyAsync yields every few tens of milliseconds, so
    // many do. Counting frames, not measuring gaps, keeps the test true on a loaded machine.
    await page.evaluate(() => {
      const w = window as unknown as { __seen: string[]; __timer: number };
      w.__seen = [];
      const frame = () => {
        w.__seen.push(document.querySelector('[data-testid="status"]')?.className ?? '');
        w.__timer = requestAnimationFrame(frame);
      };
      w.__timer = requestAnimationFrame(frame);
    });
    await page.getByTestId('iterations').fill('200000');
    await expect.poll(() => page.getByTestId('status').textContent(), { timeout: 60_000 }).toMatch(/Done/);
    await expect.poll(() => page.getByTestId('key-hex').textContent()).toBeTruthy();
    const seen = await page.evaluate(() => {
      const w = window as unknown as { __seen: string[]; __timer: number };
      cancelAnimationFrame(w.__timer);
      return w.__seen;
    });
    expect(await page.locator('.result h3').first().textContent()).toMatch(/200000 iterations/);
    expect(seen.filter((c) => /\bworking\b/.test(c)).length).toBeGreaterThan(5);
  });

  test('2^24 - 1 iterations show their progress and give way to new inputs; 2^24 is refused as MIT refuses it', async () => {
    const { page } = view;
    await setInputs({ etype: '18', password: 'password', salt: 'EXAMPLE.TESTalice', iterations: '16777215' });
    const percent = async () =>
      Number(/(\d+)%/.exec((await page.getByTestId('status').textContent()) ?? '')?.[1] ?? -1);
    await expect.poll(percent, { timeout: 60_000 }).toBeGreaterThanOrEqual(0);
    await expect.poll(percent, { timeout: 60_000 }).toBeGreaterThan(0);
    // new inputs: the minute-long derivation is dropped, the new key comes at once
    await page.getByTestId('iterations').fill('2');
    await expect.poll(() => page.getByTestId('status').textContent(), { timeout: 60_000 }).toMatch(/Done/);
    expect(await page.locator('.result h3').first().textContent()).toMatch(/2 iterations/);
    await page.getByTestId('iterations').fill('16777216');
    await expect
      .poll(() => page.getByTestId('problem-iterations').textContent())
      .toMatch(/from 1 to 16777215/);
  });

  test('the page talked to no origin but its own', () => {
    expect(view.requests.length).toBeGreaterThan(0);
    expect(view.foreignRequests()).toEqual([]);
    expect(view.errors).toEqual([]);
  });
});
