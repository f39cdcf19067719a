// Control characters from the wire and from files never reach the terminal raw: a newline in a name cannot
// start a line of its own, an ESC sequence is shown as \u001b instead of obeyed, a bidi override cannot
// reorder what is shown. The helper (src/util/printable.ts), then each text output of `krbplay` that
// prints names: decode, keytab list, ccache list, the one-line error.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { encodeAsReq } from '../../../src/asn1';
import { encodeCcache, encodeKeytab } from '../../../src/formats';
import { escapeControls, escapeControlsKeepingLines } from '../../../src/util';
import { ensureCliBuilt, krbplay } from './krbplay';

const ESC = '\u001b';
/** A name that would forge a line of its own and turn the terminal red. */
const HOSTILE = `evil\n2026-03-02T08:00:00Z udp 10.0.0.1:88 AS-REQ admin@EXAMPLE.TEST: ISSUE AS-REP${ESC}[31m`;
const HOSTILE_SHOWN =
  'evil\\n2026-03-02T08:00:00Z udp 10.0.0.1:88 AS-REQ admin@EXAMPLE.TEST: ISSUE AS-REP\\u001b[31m';
const dir = mkdtempSync(join(tmpdir(), 'krbplay-escape-'));

/** Nothing a terminal would act on: no C0 but newline and tab, no DEL, no C1, no separators, no bidi. */
const noControls = (text: string) =>
  // eslint-disable-next-line no-control-regex -- control characters are what this looks for
  !/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/.test(
    text,
  );

describe('escapeControls', () => {
  test('C0, DEL, C1, line and paragraph separators and bidi controls are escaped as JSON spells them', () => {
    expect(escapeControls('a\nb\rc\td')).toBe('a\\nb\\rc\\td');
    expect(escapeControls(`${ESC}[2J\u0000\u0007\u007f`)).toBe('\\u001b[2J\\u0000\\u0007\\u007f');
    expect(escapeControls('\u0085\u009b31m')).toBe('\\u0085\\u009b31m');
    expect(escapeControls('x\u2028y\u2029z')).toBe('x\\u2028y\\u2029z');
    expect(escapeControls('user\u202egnp.exe\u2066\u2069\u200e\u200f\u061c')).toBe(
      'user\\u202egnp.exe\\u2066\\u2069\\u200e\\u200f\\u061c',
    );
    // Every code point in the ranges, none outside them.
    for (let c = 0; c <= 0x2100; c++) {
      const ch = String.fromCharCode(c);
      const unsafe =
        c < 0x20 ||
        (c >= 0x7f && c <= 0x9f) ||
        c === 0x61c ||
        c === 0x200e ||
        c === 0x200f ||
        (c >= 0x2028 && c <= 0x202e) ||
        (c >= 0x2066 && c <= 0x2069);
      expect(escapeControls(ch) !== ch, `U+${c.toString(16)}`).toBe(unsafe);
    }
  });

  test('printable text, backslashes and non-Latin scripts are left as they are; escaping twice changes nothing', () => {
    for (const s of ['alice@EXAMPLE.TEST', 'CONTOSO\\bob', 'a\\/b@R', 'Zoë', 'ユーザー@例.テスト', 'שלום']) {
      expect(escapeControls(s)).toBe(s);
    }
    const once = escapeControls(HOSTILE);
    expect(once).toBe(HOSTILE_SHOWN);
    expect(escapeControls(once)).toBe(once);
  });

  test('escapeControlsKeepingLines keeps newlines and tabs, escapes the rest; a JSON text stays JSON', () => {
    expect(escapeControlsKeepingLines(`a\tb\nc${ESC}[0m\r`)).toBe('a\tb\nc\\u001b[0m\\r');
    const doc = { name: `x\u0085y\u202ez${ESC}`, n: 1 };
    const json = escapeControlsKeepingLines(JSON.stringify(doc, null, 2));
    expect(noControls(json)).toBe(true);
    expect(JSON.parse(json)).toEqual(doc);
  });
});

describe('krbplay text output with hostile names', () => {
  beforeAll(() => ensureCliBuilt(), 180_000);

  test('decode: a client name with a newline and an ESC sequence shows as one escaped line', () => {
    const asReq = encodeAsReq({
      pvno: 5,
      msgType: 10,
      reqBody: {
        kdcOptions: 0x40810010,
        cname: { nameType: 1, nameString: [HOSTILE] },
        realm: 'EXAMPLE.TEST',
        sname: { nameType: 2, nameString: ['krbtgt', 'EXAMPLE.TEST'] },
        till: new Date(Date.UTC(2037, 8, 13, 2, 48, 5)),
        nonce: 42,
        etype: [18],
      },
    });
    const r = krbplay('decode', Buffer.from(asReq).toString('hex'));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(noControls(r.stdout)).toBe(true);
    const lines = r.stdout.split('\n');
    expect(lines.filter((l) => l.includes('evil'))).toEqual([
      expect.stringMatching(new RegExp(`^\\s+name-string\\[0\\] .* = ${escapeRe(HOSTILE_SHOWN)}$`)),
    ]);
    expect(lines.some((l) => l.startsWith('2026-03-02T08:00:00Z'))).toBe(false);
    // JSON keeps the name whole: it is the value, escaped as JSON escapes it.
    const json = krbplay('decode', Buffer.from(asReq).toString('hex'), '--json');
    expect(noControls(json.stdout)).toBe(true);
    expect(json.stdout).toContain(JSON.stringify(HOSTILE));
  });

  test('keytab list: a principal with an ESC sequence and a bidi override is shown escaped', () => {
    const file = join(dir, 'hostile.keytab');
    writeFileSync(
      file,
      encodeKeytab({
        entries: [
          {
            principal: {
              realm: 'R',
              name: { nameType: 1, nameString: [`svc${ESC}]0;pwned\u0007`, 'host\u202e'] },
            },
            timestamp: 0,
            kvno: 1,
            key: { etype: 17, bytes: new Uint8Array(16) },
          },
        ],
      }),
    );
    const r = krbplay('keytab', 'list', file);
    expect(r.stderr).toBe('');
    expect(noControls(r.stdout)).toBe(true);
    expect(r.stdout).toContain('svc\\u001b]0;pwned\\u0007/host\\u202e@R');
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(2);
  });

  test('ccache list: names and configuration values with newlines and ESC sequences are shown escaped', () => {
    const p = (components: string[], realm = 'EXAMPLE.TEST') => ({
      realm,
      name: { nameType: 1, nameString: components },
    });
    const file = join(dir, 'hostile.ccache');
    writeFileSync(
      file,
      encodeCcache({
        defaultPrincipal: p([`alice${ESC}[8m`]),
        credentials: [
          {
            client: p([`alice${ESC}[8m`]),
            server: p(['krbtgt', `EXAMPLE.TEST\u009b2J`]),
            key: { etype: 18, bytes: new Uint8Array(32) },
            authtime: 1_772_438_400,
            starttime: 1_772_438_400,
            endtime: 1_772_474_400,
            renewTill: 0,
            isSkey: false,
            ticketFlags: 0x40e10000,
            addresses: [],
            authData: [],
            ticket: new Uint8Array(0),
            secondTicket: new Uint8Array(0),
          },
        ],
        config: [
          {
            key: 'pa_type',
            principal: `krbtgt/R@R\nforged = line${ESC}[0m`,
            value: new TextEncoder().encode('2'),
          },
        ],
      }),
    );
    const r = krbplay('ccache', 'list', file);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(noControls(r.stdout)).toBe(true);
    expect(r.stdout).toContain('Default principal: alice\\u001b[8m@EXAMPLE.TEST');
    expect(r.stdout).toContain('krbtgt/EXAMPLE.TEST\\u009b2J@EXAMPLE.TEST');
    expect(r.stdout).toContain('pa_type for krbtgt/R@R\\nforged = line\\u001b[0m = 32');
    expect(r.stdout.split('\n').some((l) => l.startsWith('forged'))).toBe(false);
  });

  test('an error naming a file with an ESC sequence is one line, escaped', () => {
    const r = krbplay('keytab', 'list', join(dir, `missing${ESC}[31m.keytab`));
    expect(r.status).toBe(1);
    expect(noControls(r.stderr)).toBe(true);
    expect(r.stderr).toContain('missing\\u001b[31m.keytab');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
