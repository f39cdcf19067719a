// Share links are input from anyone: bounded before decoding (their length) and while inflating (what
// they become), and every link the page cannot open says why in a sentence (ShareLinkError).
import { deflateRawSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import {
  inflateBounded,
  jsonHash,
  MAX_LINK_CHARS,
  MAX_SCENARIO_BYTES,
  readShareHash,
  ShareLinkError,
  toBase64Url,
} from '../../../src/ui/lib/share';

/** A "#/j/" link whose payload is `bytes` deflated. */
const linkOf = (bytes: Uint8Array) => `#/j/${toBase64Url(deflateRawSync(bytes))}`;

describe('share links are bounded', () => {
  test('a deflate bomb stops at the cap, with a sentence, not with the tab', async () => {
    // 64 MiB of zeros deflate to about 64 KB: the link is well under the length cap
    const bomb = linkOf(new Uint8Array(64 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(MAX_LINK_CHARS);
    const err = await readShareHash(bomb).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ShareLinkError);
    expect((err as Error).message).toMatch(/inflates to more than 1 MiB.*not opened/);
  });

  test('the inflater reads no further than the cap: one byte over is refused, the cap itself is kept', async () => {
    const at = deflateRawSync(new Uint8Array(MAX_SCENARIO_BYTES).fill(0x20));
    expect((await inflateBounded(at, MAX_SCENARIO_BYTES)).length).toBe(MAX_SCENARIO_BYTES);
    const over = deflateRawSync(new Uint8Array(MAX_SCENARIO_BYTES + 1).fill(0x20));
    await expect(inflateBounded(over, MAX_SCENARIO_BYTES)).rejects.toThrow(/inflates to more than/);
  });

  test('a link longer than the cap is refused before it is decoded', async () => {
    // valid base64url all along: only the length can refuse it
    const long = `#/j/${'A'.repeat(MAX_LINK_CHARS)}`;
    await expect(readShareHash(long)).rejects.toThrow(
      new RegExp(`${(MAX_LINK_CHARS + 4).toLocaleString('en')} characters long`),
    );
    await expect(readShareHash(`#/s/${'a'.repeat(MAX_LINK_CHARS)}`)).rejects.toThrow(/characters long/);
  });

  test('a scenario too large to share says so when the link is made', async () => {
    const big = JSON.stringify({ note: 'x'.repeat(MAX_SCENARIO_BYTES) });
    await expect(jsonHash(big)).rejects.toThrow(/more than a share link may carry.*export it as a file/);
  });

  test('bytes that are not UTF-8 are refused by name', async () => {
    await expect(readShareHash(linkOf(Uint8Array.of(0x7b, 0xff, 0xfe, 0x7d)))).rejects.toThrow(
      /not UTF-8 text/,
    );
  });

  test('an id in capitals names the same scenario: ids are lowercase', async () => {
    await expect(readShareHash('#/s/HAPPY-PATH')).resolves.toEqual({ kind: 'catalogue', id: 'happy-path' });
    await expect(readShareHash('#/s/Kerberos-101/')).resolves.toEqual({
      kind: 'catalogue',
      id: 'kerberos-101',
    });
    // only A-Z: a letter that Unicode lower-cases to an ASCII one (the Kelvin sign, U+212A) is not read as k
    await expect(readShareHash('#/s/%E2%84%AAerberos-101')).rejects.toThrow(/no scenario with the id/);
  });

  test('a cut link is damaged, not a crash', async () => {
    const whole = deflateRawSync(new TextEncoder().encode(JSON.stringify({ id: 'x', t: 'y'.repeat(500) })));
    const cut = `#/j/${toBase64Url(whole.subarray(0, whole.length - 3))}`;
    await expect(readShareHash(cut)).rejects.toThrow(/damaged \(it does not inflate\).*cut short$/);
    await expect(readShareHash('#/j/A')).rejects.toThrow(/damaged/);
  });
});

describe('a "/" after #/j/ is accepted at the end, explained inside', () => {
  test('one trailing "/" is forgiven', async () => {
    const text = '{"id":"mine"}';
    const hash = await jsonHash(text);
    await expect(readShareHash(`${hash}/`)).resolves.toEqual({ kind: 'json', text });
  });

  test('a "/" inside says where it is and what a share link holds', async () => {
    const hash = await jsonHash('{"id":"mine"}');
    const broken = `${hash.slice(0, 8)}/${hash.slice(8)}`;
    await expect(readShareHash(broken)).rejects.toThrow(/holds a "\/" \(at character 5\).*base64url/);
    await expect(readShareHash('#/j/')).rejects.toThrow(/does not inflate/);
  });
});

describe('a "#/s/" link names an id or says why not', () => {
  test('a well-formed id is returned (the page checks the catalogue), with a trailing "/" forgiven', async () => {
    await expect(readShareHash('#/s/no-such-scenario')).resolves.toEqual({
      kind: 'catalogue',
      id: 'no-such-scenario',
    });
    await expect(readShareHash('#/s/clock-skew/')).resolves.toEqual({ kind: 'catalogue', id: 'clock-skew' });
  });

  test('an id no scenario could have is explained', async () => {
    await expect(readShareHash('#/s/..%2Fetc')).rejects.toThrow(/no scenario with the id "..\/etc"/);
    await expect(readShareHash('#/s/a/b')).rejects.toThrow(/no scenario with the id "a\/b"/);
    await expect(readShareHash('#/s/%E0%A4%A')).rejects.toThrow(/is not a scenario id/);
  });
});
