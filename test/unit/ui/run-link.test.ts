// Run links ("#/r2/…"): the whole run, deflated and versioned, read back the same; every older link
// ("#/s/", "#/j/") still opens; a link from a newer version, a damaged one or a deflate bomb is refused
// with a sentence.
import { deflateRawSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import type { SavedRun } from '../../../src/ui/lib/run-doc';
import {
  MAX_RUN_LINK_BYTES,
  readLink,
  RUN_LINK_FORMAT,
  runHash,
  savedRunHash,
} from '../../../src/ui/lib/run-link';
import { jsonHash, ShareLinkError, toBase64Url } from '../../../src/ui/lib/share';

const run: SavedRun = {
  format: 1,
  name: 'kerberos-101 with a purge',
  base: { kind: 'catalogue', id: 'kerberos-101' },
  plan: [
    { action: { id: 'logon', do: 'logon', host: 'ws1' }, source: 'scenario' },
    { action: { do: 'klist-purge', host: 'ws1' }, source: 'typed' },
    { action: { do: 'host-down', host: 'dc1' }, source: 'fault' },
    { action: { do: 'advance', by: '1h' }, source: 'clock' },
  ],
  step: 3,
};

const r2 = (text: string) => `#/r2/${toBase64Url(deflateRawSync(Buffer.from(text)))}`;

describe('run links', () => {
  test('a run goes into a "#/r2/" link and comes back the same', async () => {
    const hash = await runHash(run);
    expect(hash.startsWith(`#/r${RUN_LINK_FORMAT}/`)).toBe(true);
    expect(hash.length).toBeLessThan(JSON.stringify(run).length);
    expect(await readLink(hash)).toEqual({ kind: 'run', run });
  });

  test('the older links still open: "#/s/<id>" and "#/j/<json>"', async () => {
    expect(await readLink('#/s/kerberos-101')).toEqual({ kind: 'catalogue', id: 'kerberos-101' });
    const text = '{"id":"mine"}';
    expect(await readLink(await jsonHash(text))).toEqual({ kind: 'json', text });
    expect(await readLink('#/')).toBeUndefined();
    expect(await readLink('#/crypto')).toBeUndefined();
  });

  test('a kept run is named by "#/m/<id>"; an id no run has the shape of is refused', async () => {
    expect(await readLink(savedRunHash('run-0a1b2c3d4e5f'))).toEqual({
      kind: 'saved',
      id: 'run-0a1b2c3d4e5f',
    });
    await expect(readLink('#/m/<script>')).rejects.toThrow(/not the id of a run kept in a browser/);
  });

  test('a link from a newer version says so, and which format it is', async () => {
    const err = await readLink('#/r3/AAAA').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ShareLinkError);
    expect((err as Error).message).toMatch(/format 3, made by a newer version.*reads run links of format 2/);
    await expect(readLink('#/r1/AAAA')).rejects.toThrow(/no version of the playground wrote/);
  });

  test('damaged, bombed or not-a-run payloads are refused with a reason', async () => {
    await expect(readLink('#/r2/%%%')).rejects.toThrow(/damaged/);
    await expect(readLink(r2('not json'))).rejects.toThrow(/does not hold the JSON of a run/);
    await expect(readLink(r2(JSON.stringify({ ...run, format: 7 })))).rejects.toThrow(
      /cannot be opened: this run has format 7/,
    );
    await expect(readLink(r2(JSON.stringify({ ...run, step: 99 })))).rejects.toThrow(
      /step: a step from 0 to 4/,
    );
    const bomb = `#/r2/${toBase64Url(deflateRawSync(new Uint8Array(MAX_RUN_LINK_BYTES * 8)))}`;
    await expect(readLink(bomb)).rejects.toThrow(/inflates to more than/);
  });

  test('a run too large for a link says to export it instead', async () => {
    const big = { ...run, base: { kind: 'json' as const, text: 'x'.repeat(MAX_RUN_LINK_BYTES - 10) } };
    await expect(runHash(big)).rejects.toThrow(/export it as a file instead/);
  });
});
