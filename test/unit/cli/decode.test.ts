// `krbplay decode` run as a user runs it (docs/cli.md): every input form and framing, the keys, the text
// and JSON shapes, the capture, and the one-line errors with their exit statuses.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { encodeAsRep, encodeEtypeInfo2, PA_TYPE } from '../../../src/asn1';
import { s2kparamsOf } from '../../../src/crypto';
import { writePcap } from '../../../src/formats/pcap';
import messagesFixture from '../../fixtures/vectors/messages.json';
import keytabsFixture from '../../fixtures/vectors/keytabs.json';
import pacFixture from '../../fixtures/vectors/pac.json';
import { ensureCliBuilt, krbplay } from './krbplay';

interface Sample {
  name: string;
  hex: string;
  helper_derived?: Record<string, string>;
  keys?: Record<string, unknown>;
}
const samples = (messagesFixture as unknown as { samples: Sample[] }).samples;
const hexOf = (name: string) => samples.find((s) => s.name === name)!.hex;
const toHexString = (b: Uint8Array) => Buffer.from(b).toString('hex');
const b64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');
const dir = mkdtempSync(join(tmpdir(), 'krbplay-decode-'));
const file = (name: string, data: Uint8Array | string) => {
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
};
const gokrb5Keytab = file(
  'testuser1.keytab',
  Buffer.from(
    (keytabsFixture as unknown as { keytabs: { name: string; hex: string }[] }).keytabs[0]!.hex,
    'hex',
  ),
);
const CAPTURE = 'test/fixtures/captures/mit-kinit-kvno.pcapng';
const CAPTURE_KEYTAB = 'test/fixtures/captures/mit-kinit-kvno.keytab';

interface Node {
  name: string;
  tag: string;
  offset: number;
  length: number;
  value?: unknown;
  children?: Node[];
}
interface Part {
  path: string;
  etype: number;
  kvno?: number;
  keyUsage: number;
  decrypted: boolean;
  key?: string;
  reason?: string;
  plain?: Node;
}
interface Message {
  frame: number;
  time?: string;
  src?: string;
  dst?: string;
  transport: string | null;
  type: string;
  errorCode?: number;
  errorName?: string;
  tree: Node;
  encParts: Part[];
}
function json(...args: string[]): Message[] {
  const r = krbplay('decode', ...args, '--json');
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const doc = JSON.parse(r.stdout) as { messages: Message[] };
  expect(Object.keys(doc)).toEqual(['messages']);
  return doc.messages;
}

beforeAll(() => ensureCliBuilt(), 180_000);

describe('inputs: hex, base64, @FILE, and every framing', () => {
  const asRep = hexOf('gokrb5-mit-as-rep-testuser1');

  test('hex, base64 and a raw @FILE give the same message', () => {
    const a = json(asRep);
    expect(json(b64(asRep))).toEqual(a);
    expect(json(`@${file('as-rep.der', Buffer.from(asRep, 'hex'))}`)).toEqual(a);
    expect(a).toHaveLength(1);
    expect(a[0]).toMatchObject({ frame: 1, transport: null, type: 'AS-REP' });
  });

  test('--hex and --base64 read an @FILE as text', () => {
    expect(json('--hex', `@${file('as-rep.hex', `${asRep}\n`)}`)[0]!.type).toBe('AS-REP');
    expect(json('--base64', `@${file('as-rep.b64', b64(asRep))}`)[0]!.type).toBe('AS-REP');
  });

  test('with the 4-byte TCP length prefix', () => {
    const len = (asRep.length / 2).toString(16).padStart(8, '0');
    const m = json(len + asRep)[0]!;
    expect(m.type).toBe('AS-REP');
    expect(m.tree).toMatchObject({ name: 'tcp-record', offset: 0 });
  });

  test('a KDC-PROXY-MESSAGE', () => {
    expect(json(hexOf('mit-ref-kkdcp_message'))[0]).toMatchObject({
      type: 'AS-REQ',
      tree: { name: 'KDC-PROXY-MESSAGE' },
    });
  });

  test('a GSS-API token and a SPNEGO token given as an HTTP Negotiate header value', () => {
    expect(json(hexOf('knet-gss-aes256-kerberos'))[0]!.type).toBe('AP-REQ');
    const header = `Negotiate ${b64(hexOf('knet-gss-aes128-spnego'))}`;
    expect(json(header)[0]).toMatchObject({ type: 'AP-REQ', tree: { name: 'InitialContextToken' } });
    expect(json(`Authorization: ${header}`)[0]!.type).toBe('AP-REQ');
  });

  test('a Ticket cut out of a message, an EncTicketPart, and a PAC', () => {
    const rep = json(asRep)[0]!;
    const t = rep.tree.children!.find((c) => c.name === 'ticket')!;
    // The [5] field holds the Ticket: skip its 4-byte header (a5 82 LL LL).
    const ticketHex = asRep.slice((t.offset + 4) * 2, (t.offset + t.length) * 2);
    expect(json(ticketHex)[0]!.type).toBe('Ticket');
    expect(json(hexOf('mit-ref-enc_tkt_part'))[0]!.type).toBe('EncTicketPart');
    const pac = (pacFixture as unknown as { pacs: { hex: string }[] }).pacs[0]!.hex;
    expect(json(pac)[0]).toMatchObject({ type: 'PAC', tree: { name: 'PAC' } });
  });
});

describe('keys', () => {
  test('--keytab opens the AS-REP enc-part, and the JSON ENCPART has the documented fields', () => {
    const m = json(hexOf('gokrb5-mit-as-rep-testuser1'), '--keytab', gokrb5Keytab)[0]!;
    const p = m.encParts.find((x) => x.path === 'enc-part')!;
    expect(Object.keys(p)).toEqual(['path', 'etype', 'keyUsage', 'decrypted', 'key', 'plain']); // no kvno: this enc-part names none
    expect(p).toMatchObject({
      etype: 18,
      keyUsage: 3,
      decrypted: true,
      key: 'keytab testuser1@TEST.GOKRB5 kvno 1',
    });
    expect(p.plain).toMatchObject({ name: 'EncTGSRepPart', tag: '[APPLICATION 26]', offset: 0 });
    const t = m.encParts.find((x) => x.path === 'ticket.enc-part')!;
    expect(t.decrypted).toBe(false);
    expect(t.reason).toMatch(/^no key for krbtgt\/TEST\.GOKRB5@TEST\.GOKRB5 kvno 1 /);
  });

  test('--password with --principal opens the PA-ENC-TIMESTAMP (repeatable pairs)', () => {
    const m = json(
      hexOf('knet-as-req-pa-enc-timestamp'),
      '--password',
      'wrong',
      '--principal',
      'someone@ELSEWHERE.TEST',
      '--password',
      'P@ssw0rd!',
      '--principal',
      'testuser@CORP.IDENTITYINTERVENTION.COM',
    )[0]!;
    expect(m.encParts[0]).toMatchObject({
      path: 'padata[0].padata-value',
      keyUsage: 1,
      decrypted: true,
      key: 'password of testuser@CORP.IDENTITYINTERVENTION.COM',
    });
  });

  test('text: the tree with offsets, the part opened inline with its key and usage', () => {
    const s = samples.find((x) => x.name === 'knet-tgs-rep-host-app03')!;
    const r = krbplay('decode', s.hex, '--key', `aes256-cts:${s.helper_derived!['tgt_session_key_hex']}`);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('frame 1  TGS-REP  1/2 encrypted parts opened');
    expect(lines[1]).toBe('TGS-REP [APPLICATION 13] @0+1613');
    expect(r.stdout).toContain(
      '    [decrypted with key given (--key aes256-cts) (key usage 8 TGS_REP_ENCPART_SESSKEY)]\n      EncTGSRepPart [APPLICATION 26] @0+308 (offsets in the plaintext)\n',
    );
    expect(r.stdout).toContain('        nonce [2] @83+8 = 1733478682\n');
    expect(r.stdout).toMatch(/\[not decrypted \(key usage 2 KDC_REP_TICKET\): no key for host\/app03/);
  });
});

describe('--pcap', () => {
  test('messages numbered by the frame that completes them, with time, addresses and transport; parts opened by key learning', () => {
    const ms = json('--pcap', CAPTURE, '--keytab', CAPTURE_KEYTAB);
    expect(ms[0]).toMatchObject({
      frame: 16,
      src: '127.0.0.1:42017',
      dst: '127.0.0.1:38201',
      transport: 'udp',
      type: 'AS-REQ',
    });
    expect(ms[0]!.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$/);
    expect(ms[1]).toMatchObject({
      frame: 17,
      type: 'KRB-ERROR',
      errorCode: 25,
      errorName: 'KDC_ERR_PREAUTH_REQUIRED',
    });
    expect(ms.some((m) => m.transport === 'tcp')).toBe(true);
    const tgsRep = ms.find((m) => m.type === 'TGS-REP')!;
    expect(tgsRep.encParts.map((p) => [p.path, p.decrypted])).toEqual([
      ['padata[0].padata-value.armored-data.enc-fast-rep', true],
      ['enc-part', true],
      ['ticket.enc-part', true],
    ]);
    const parts = ms.flatMap((m) => m.encParts);
    const shut = parts.filter((p) => !p.decrypted);
    // Only the wrong password's timestamp stays shut.
    expect(shut.map((p) => p.reason)).toEqual(['integrity check failed with keytab wrong@MIT.TEST kvno 1']);
  });

  test('text ends with the count of messages and opened parts', () => {
    const r = krbplay('decode', '--pcap', CAPTURE, '--keytab', CAPTURE_KEYTAB);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/\n\d+ Kerberos message\(s\); \d+ of \d+ encrypted part\(s\) opened\n$/);
  });
});

/**
 * An AS-REP for alice whose ETYPE-INFO2 announces `salt` and asks for `iterations` (s2kparams), its
 * enc-parts made of filler bytes: a decoder given alice's password must derive a key before it can try.
 */
function asRepAsking(salt: string, iterations: number, filler: number): Uint8Array {
  const realm = 'EXAMPLE.TEST';
  return encodeAsRep({
    pvno: 5,
    msgType: 11,
    padata: [
      {
        padataType: PA_TYPE.ETYPE_INFO2,
        padataValue: encodeEtypeInfo2([{ etype: 18, salt, s2kparams: s2kparamsOf(iterations) }]),
      },
    ],
    crealm: realm,
    cname: { nameType: 1, nameString: ['alice'] },
    ticket: {
      tktVno: 5,
      realm,
      sname: { nameType: 2, nameString: ['krbtgt', realm] },
      encPart: { etype: 18, kvno: 1, cipher: new Uint8Array(120).fill(filler) },
    },
    encPart: { etype: 18, cipher: new Uint8Array(150).fill(filler) },
  });
}

describe('--password against salt information that asks for 2^24 PBKDF2 iterations', () => {
  test('three AS-REPs with distinct salts: each enc-part says why it stayed closed; exit 0', () => {
    const pcap = file(
      'hostile-s2kparams.pcap',
      writePcap(
        ['EXAMPLE.TESTalice', 'EXAMPLE.TESTalice2', 'EXAMPLE.TESTalice3'].map((salt, i) => ({
          time: new Date(Date.UTC(2026, 2, 2, 8, 0, i)),
          src: '127.0.0.1:88',
          dst: `127.0.0.1:${50000 + i}`,
          transport: 'udp' as const,
          bytes: asRepAsking(salt, 2 ** 24, i + 1),
        })),
      ),
    );
    const ms = json('--pcap', pcap, '--password', 'pw', '--principal', 'alice@EXAMPLE.TEST');
    expect(ms.map((m) => m.type)).toEqual(['AS-REP', 'AS-REP', 'AS-REP']);
    for (const m of ms) {
      expect(m.encParts.map((p) => [p.path, p.decrypted])).toEqual([
        ['enc-part', false],
        ['ticket.enc-part', false],
      ]);
      expect(m.encParts[0]!.reason).toBe(
        'the password of alice@EXAMPLE.TEST was not used: string-to-key refused: 16777216 PBKDF2 ' +
          'iterations for the aes256-cts-hmac-sha1-96 (18) key (as the s2kparams ask) are too many; the most ' +
          'accepted is 16777215 (2^24 - 1), as in MIT krb5, which refuses more as "Invalid key generation ' +
          'parameters"; so many would take minutes (real KDCs ask for 4096 with AES-SHA1, 32768 with AES-SHA2)',
      );
      expect(m.encParts[1]!.reason).toBe(
        'no key for krbtgt/EXAMPLE.TEST@EXAMPLE.TEST kvno 1 (aes256-cts-hmac-sha1-96 (18))',
      );
    }
  });

  test('the same AS-REP asking for 2 iterations: the password is tried (and is wrong for filler bytes)', () => {
    const m = json(
      toHexString(asRepAsking('EXAMPLE.TESTalice', 2, 7)),
      '--password',
      'pw',
      '--principal',
      'alice@EXAMPLE.TEST',
    )[0]!;
    expect(m.encParts[0]!.reason).toBe('integrity check failed with password of alice@EXAMPLE.TEST');
  });

  test('text: the part shows the refusal inline', () => {
    const r = krbplay(
      'decode',
      toHexString(asRepAsking('EXAMPLE.TESTalice', 2 ** 24, 7)),
      '--password',
      'pw',
      '--principal',
      'alice@EXAMPLE.TEST',
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(
      '[not decrypted (key usage 3 AS_REP_ENCPART): the password of alice@EXAMPLE.TEST was not used: string-to-key refused: 16777216 PBKDF2 iterations',
    );
  });
});

describe('errors: one line, exit 1 for input, 2 for usage', () => {
  test.each([
    ['truncated', hexOf('gokrb5-mit-as-rep-testuser1').slice(0, 400), /^krbplay decode: byte \d+: .+\n$/],
    ['garbage', 'deadbeefdeadbeef', /^krbplay decode: byte 0: not a Kerberos message: .+\n$/],
    ['neither hex nor base64', 'not*base64!', /^krbplay decode: INPUT is neither hex .+\n$/],
    [
      'a missing file',
      '@/nonexistent/x.der',
      /^krbplay decode: cannot read INPUT file '\/nonexistent\/x\.der': no such file\n$/,
    ],
  ])('%s', (_what, input, line) => {
    const r = krbplay('decode', input);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(line);
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(r.status).toBe(1);
  });

  test('a wrong tag names what was expected and what was found, and where', () => {
    const msg = Buffer.from(hexOf('knet-as-rep'), 'hex');
    const m = json(hexOf('knet-as-rep'))[0]!;
    const ticket = m.tree.children!.find((c) => c.name === 'ticket')!;
    const at = ticket.offset + 4; // the Ticket's own [APPLICATION 1] identifier
    expect(msg[at]).toBe(0x61);
    msg[at] = 0x63;
    const r = krbplay('decode', msg.toString('hex'));
    expect(r.stderr).toBe(
      `krbplay decode: byte ${at}: expected [APPLICATION 1] Ticket, found [APPLICATION 3]\n`,
    );
    expect(r.status).toBe(1);
  });

  test.each([
    [[], 'missing INPUT (or --pcap FILE)'],
    [['aa', '--hex', '--base64'], 'give --hex or --base64, not both'],
    [['aa', '--pcap', CAPTURE], 'give INPUT or --pcap FILE, not both'],
    [['aa', '--password', 'x'], 'each --password needs its --principal (1 password(s), 0 principal(s))'],
    [['aa', '--frob'], "unknown option '--frob'"],
  ])('usage %j', (args, message) => {
    const r = krbplay('decode', ...args);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`krbplay decode: ${message}\nTry 'krbplay decode --help'.\n`);
    expect(r.status).toBe(2);
  });

  test('an unreadable keytab is an input error naming the file', () => {
    const r = krbplay('decode', hexOf('knet-as-rep'), '--keytab', file('bad.keytab', 'not a keytab'));
    expect(r.stderr).toMatch(/^krbplay decode: .*keytab.*\n$/);
    expect(r.status).toBe(1);
  });
});
