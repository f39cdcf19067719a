// `krbplay ccache list` on the ccache samples: the documented JSON (X-CACHECONF apart), text, errors.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import fixture from '../../fixtures/vectors/ccache.json';
import { ensureCliBuilt, krbplay } from './krbplay';

interface Pr {
  realm: string;
  components: string[];
}
interface Cred {
  client: Pr;
  server: Pr;
  key_etype: number;
  ticket_flags_hex: string;
  endtime: string;
}
const ccaches = (
  fixture as unknown as {
    ccaches: { name: string; hex: string; decoded: { default_principal: Pr; credentials: Cred[] } }[];
  }
).ccaches;
const text = (p: Pr) => `${p.components.join('/')}@${p.realm}`;
const isConf = (c: Cred) => c.server.realm === 'X-CACHECONF:';
const dir = mkdtempSync(join(tmpdir(), 'krbplay-ccache-'));

beforeAll(() => ensureCliBuilt(), 180_000);

describe('ccache list', () => {
  test.each(ccaches.map((c) => [c.name, c] as const))(
    '%s: --json as docs/cli.md says, X-CACHECONF in config only',
    (_n, c) => {
      const path = join(dir, `${c.name}.ccache`);
      writeFileSync(path, Buffer.from(c.hex, 'hex'));
      const r = krbplay('ccache', 'list', path, '--json');
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const doc = JSON.parse(r.stdout) as {
        defaultPrincipal: string;
        credentials: Record<string, unknown>[];
        config: unknown[];
      };
      expect(Object.keys(doc)).toEqual(['defaultPrincipal', 'credentials', 'config']);
      expect(doc.defaultPrincipal).toBe(text(c.decoded.default_principal));
      const real = c.decoded.credentials.filter((x) => !isConf(x));
      expect(doc.credentials).toHaveLength(real.length);
      expect(doc.config).toHaveLength(c.decoded.credentials.length - real.length);
      doc.credentials.forEach((got, i) => {
        expect(Object.keys(got)).toEqual([
          'client',
          'server',
          'etype',
          'etypeName',
          'flags',
          'flagsHex',
          'authtime',
          'starttime',
          'endtime',
          'renewTill',
        ]);
        expect(got).toMatchObject({
          client: text(real[i]!.client),
          server: text(real[i]!.server),
          etype: real[i]!.key_etype,
          flagsHex: real[i]!.ticket_flags_hex,
          endtime: real[i]!.endtime,
        });
      });
    },
  );

  test('text: the default principal, then each credential with its flags and enctype', () => {
    const c = ccaches[0]!;
    const path = join(dir, 'text.ccache');
    writeFileSync(path, Buffer.from(c.hex, 'hex'));
    const r = krbplay('ccache', 'list', path);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`Ticket cache: FILE:${path}\nDefault principal: testuser1@TEST.GOKRB5\n\n`);
    expect(r.stdout).toMatch(/ krbtgt\/TEST\.GOKRB5@TEST\.GOKRB5\n/);
    expect(r.stdout).toContain('Etype (skey): aes256-cts-hmac-sha1-96 (18)');
    expect(r.stdout).toContain('Configuration (X-CACHECONF):');
  });

  test('a missing file and a file that is not a ccache: one line, exit 1', () => {
    const missing = krbplay('ccache', 'list', join(dir, 'nope'));
    expect(missing.stderr).toBe(
      `krbplay ccache list: cannot read credential cache '${join(dir, 'nope')}': no such file\n`,
    );
    expect(missing.status).toBe(1);
    const junk = join(dir, 'junk');
    writeFileSync(junk, 'hello');
    const bad = krbplay('ccache', 'list', junk);
    expect(bad.stderr).toMatch(/^krbplay ccache list: .+\n$/);
    expect(bad.status).toBe(1);
  });
});
