// `krbplay keytab list` on the keytab samples: the documented JSON, the text lines, the errors.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import fixture from '../../fixtures/vectors/keytabs.json';
import { ensureCliBuilt, krbplay } from './krbplay';

interface Entry {
  realm: string;
  components: string[];
  kvno: number;
  etype: number;
  key_hex: string;
  timestamp_utc: string;
}
const keytabs = (fixture as unknown as { keytabs: { name: string; hex: string; entries: Entry[] }[] })
  .keytabs;
const dir = mkdtempSync(join(tmpdir(), 'krbplay-keytab-'));

beforeAll(() => ensureCliBuilt(), 180_000);

describe('keytab list', () => {
  test.each(keytabs.map((k) => [k.name, k] as const))(
    '%s: --json lists every entry as docs/cli.md says',
    (_n, k) => {
      const path = join(dir, `${k.name}.keytab`);
      writeFileSync(path, Buffer.from(k.hex, 'hex'));
      const r = krbplay('keytab', 'list', path, '--json');
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const doc = JSON.parse(r.stdout) as { entries: Record<string, unknown>[] };
      expect(Object.keys(doc)).toEqual(['entries']);
      expect(doc.entries).toHaveLength(k.entries.length);
      doc.entries.forEach((e, i) => {
        const want = k.entries[i]!;
        expect(Object.keys(e)).toEqual(['principal', 'kvno', 'etype', 'etypeName', 'key', 'timestamp']);
        expect(e).toMatchObject({
          principal: `${want.components.join('/')}@${want.realm}`,
          kvno: want.kvno,
          etype: want.etype,
          key: want.key_hex,
          timestamp: want.timestamp_utc,
        });
      });
    },
  );

  test('text: a header, then one line per entry with kvno, time, principal, enctype and key', () => {
    const k = keytabs[0]!;
    const path = join(dir, 'text.keytab');
    writeFileSync(path, Buffer.from(k.hex, 'hex'));
    const r = krbplay('keytab', 'list', path);
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`Keytab: ${path} (version 0x0502, ${k.entries.length} entries)`);
    expect(lines[1]).toBe(
      `kvno 1 ${k.entries[0]!.timestamp_utc} testuser1@TEST.GOKRB5 (aes128-cts-hmac-sha1-96 (17)) key ${k.entries[0]!.key_hex}`,
    );
    expect(lines).toHaveLength(k.entries.length + 1);
  });

  test('a missing file, a file that is not a keytab, and no FILE', () => {
    const missing = krbplay('keytab', 'list', join(dir, 'nope.keytab'));
    expect(missing.stderr).toBe(
      `krbplay keytab list: cannot read keytab '${join(dir, 'nope.keytab')}': no such file\n`,
    );
    expect(missing.status).toBe(1);
    const junk = join(dir, 'junk.keytab');
    writeFileSync(junk, 'hello');
    const bad = krbplay('keytab', 'list', junk);
    expect(bad.stderr).toMatch(/^krbplay keytab list: .+\n$/);
    expect(bad.status).toBe(1);
    const usage = krbplay('keytab', 'list');
    expect(usage.stderr).toBe("krbplay keytab list: missing FILE\nTry 'krbplay keytab list --help'.\n");
    expect(usage.status).toBe(2);
  });
});
