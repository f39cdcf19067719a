// The explanation catalogue covers every field of every real sample the fixtures hold: the golden traces'
// message bytes (opened with the keys of the world that made them), the real messages of messages.json
// (with the keys they record), MIT's capture with its keytab, the PAC vectors, and the keytab and ccache
// files. Every node of every tree, decrypted parts and PACs included, must resolve to words and a link.
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import pacFixture from '../../fixtures/vectors/pac.json';
import keytabFixture from '../../fixtures/vectors/keytabs.json';
import ccacheFixture from '../../fixtures/vectors/ccache.json';
import type { KrbNode } from '../../../src/asn1';
import { decodeCcache, decodeKeytab } from '../../../src/formats';
import {
  decodeCapture,
  decodeMessage,
  KeyRing,
  pacNode,
  type DecodedMessage,
} from '../../../src/formats/decoder';
import { CATALOGUE, explainPath, specLinks } from '../../../src/formats/explain';
import { readCapture } from '../../../src/formats/pcap';
import { catalogue, runScenario, type Scenario } from '../../../src/scenarios';
import { worldKeytab } from '../../../src/ui/engine/inspect';
import { fromHex } from '../../../src/util/bytes';
import type { KdcActorState } from '../../../src/world';
import { samples } from '../decoder/helpers';

const fixtures = new URL('../../fixtures/', import.meta.url);
const golden = new URL('golden/', fixtures);

interface Seen {
  paths: Map<string, readonly string[]>;
  nodes: number;
  plaintexts: number;
  pacs: number;
}

function walk(node: KrbNode, prefix: readonly string[], seen: Seen): void {
  const path = [...prefix, node.name];
  seen.nodes++;
  if (node.name === 'PAC' && node.tag === 'PACTYPE') seen.pacs++;
  const id = path.map((n) => n.replace(/\[\d+\]$/, '[]')).join(' / ');
  if (!seen.paths.has(id)) seen.paths.set(id, path);
  for (const c of node.children ?? []) walk(c, path, seen);
}

function walkMessage(m: DecodedMessage, seen: Seen): void {
  walk(m.tree, [], seen);
  for (const p of m.encParts) {
    if (!p.plain) continue;
    seen.plaintexts++;
    walk(p.plain, [], seen);
  }
}

/** Every property of a decoded file record as a path of names, arrays as name[i] (as the trees name them). */
function walkObject(name: string, v: unknown, prefix: readonly string[], seen: Seen): void {
  const path = [...prefix, name];
  seen.nodes++;
  const id = path.map((n) => n.replace(/\[\d+\]$/, '[]')).join(' / ');
  if (!seen.paths.has(id)) seen.paths.set(id, path);
  if (v === null || typeof v !== 'object' || v instanceof Uint8Array) return;
  const base = name.replace(/\[\d+\]$/, '');
  if (Array.isArray(v)) {
    v.forEach((x, i) => walkObject(`${base}[${i}]`, x, path, seen));
    return;
  }
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    // Where each record lies in the file, and its index: the reader's bookkeeping, not fields of the format.
    if (k === 'spans' || k === 'position') continue;
    walkObject(k, x, path, seen);
  }
}

const goldenBytes = (id: string): Uint8Array[] =>
  Array.from(
    readFileSync(new URL(`${id}.trace.txt`, golden), 'utf8').matchAll(/^ {2}(?:bytes|inner): ([0-9a-f]+)$/gm),
    (m) => fromHex(m[1]!),
  );

function decodeGolden(id: string, state: { readonly kdcs: readonly KdcActorState[] }, seen: Seen): number {
  const ring = new KeyRing().addKeytab(worldKeytab(state));
  const messages = goldenBytes(id);
  messages.forEach((bytes, i) => walkMessage(decodeMessage(bytes, ring, { frame: i + 1 }), seen));
  return messages.length;
}

/** Raw keys a sample records (hex of 16 or 32 bytes), offered for every enctype of that length. */
function sampleKeys(
  sample: { keys?: Record<string, unknown>; helper_derived?: Record<string, unknown> },
  ring: KeyRing,
) {
  const values = [...Object.values(sample.keys ?? {}), ...Object.values(sample.helper_derived ?? {})];
  for (const v of values) {
    if (typeof v !== 'string' || !/^[0-9a-f]+$/.test(v)) continue;
    const etypes = v.length === 64 ? [18, 20] : v.length === 32 ? [17, 23, 19] : [];
    for (const etype of etypes) ring.addKey({ etype, bytes: fromHex(v) });
  }
  const pw = sample.keys?.['user_password'];
  if (typeof pw === 'string') ring.addPassword('testuser@CORP.IDENTITYINTERVENTION.COM', pw);
}

function collect(): Seen & { messages: number } {
  const seen: Seen = { paths: new Map(), nodes: 0, plaintexts: 0, pacs: 0 };
  let messages = 0;
  const goldenIds = new Set(
    readdirSync(golden)
      .filter((f) => f.endsWith('.trace.txt'))
      .map((f) => f.slice(0, -10)),
  );
  for (const s of catalogue().filter((x): x is Scenario => x.available && goldenIds.has(x.id))) {
    messages += decodeGolden(s.id, runScenario(s).world.snapshot(), seen);
  }

  for (const s of samples) {
    const ring = new KeyRing();
    sampleKeys(s, ring);
    walkMessage(decodeMessage(fromHex(s.hex), ring), seen);
    messages++;
  }
  const ring = new KeyRing().addKeytab(
    decodeKeytab(readFileSync(new URL('captures/mit-kinit-kvno.keytab', fixtures))),
  );
  for (const m of decodeCapture(
    readCapture(readFileSync(new URL('captures/mit-kinit-kvno.pcapng', fixtures))),
    ring,
  )) {
    walkMessage(m, seen);
    messages++;
  }
  for (const p of (pacFixture as { pacs: { hex: string }[] }).pacs) {
    const bytes = fromHex(p.hex);
    // One sample is a lone KERB_VALIDATION_INFO buffer, not a PAC: it starts with the NDR header, not cBuffers.
    if (new DataView(bytes.buffer).getUint32(0, true) > 64) continue;
    walk(pacNode(bytes, 0), [], seen);
  }
  for (const k of (keytabFixture as { keytabs: { hex: string }[] }).keytabs) {
    walkObject('keytab', decodeKeytab(fromHex(k.hex)), [], seen);
  }
  for (const c of (ccacheFixture as { ccaches: { hex: string }[] }).ccaches) {
    walkObject('ccache', decodeCcache(fromHex(c.hex)), [], seen);
  }
  return { ...seen, messages };
}

describe('the explanation catalogue', () => {
  const seen = collect();

  test('the fixtures give a wide sample: every message kind, opened parts, PACs', () => {
    expect(seen.messages).toBeGreaterThan(150);
    expect(seen.plaintexts).toBeGreaterThan(100);
    expect(seen.pacs).toBeGreaterThan(10);
    const roots = new Set([...seen.paths.values()].map((p) => p[0]));
    for (const root of [
      'AS-REQ',
      'AS-REP',
      'TGS-REQ',
      'TGS-REP',
      'AP-REQ',
      'AP-REP',
      'KRB-ERROR',
      'KRB-CRED',
    ]) {
      expect(roots).toContain(root);
    }
    for (const root of [
      'KDC-PROXY-MESSAGE',
      'InitialContextToken',
      'EncTicketPart',
      'Authenticator',
      'PAC',
      'keytab',
      'ccache',
    ]) {
      expect(roots).toContain(root);
    }
  });

  test('every field of every decoded sample has an entry with words and a linked spec reference', () => {
    const missing: string[] = [];
    const unlinked: string[] = [];
    for (const [id, path] of seen.paths) {
      const e = explainPath(path);
      if (!e || e.words.trim() === '') missing.push(id);
      else if (!e.refs.some((r) => r.url !== undefined)) unlinked.push(`${id} (${e.ref})`);
    }
    expect(missing).toEqual([]);
    expect(unlinked).toEqual([]);
    // For the report: how many distinct field paths the fixtures hold.
    expect(seen.paths.size).toBeGreaterThan(500);
  });

  test('every structure and field of the catalogue has words, a linked reference, and points only at known structures', () => {
    const problems: string[] = [];
    const check = (where: string, e: { words: string; ref: string; type?: string; items?: string }) => {
      if (e.words.trim().length < 8) problems.push(`${where}: no words`);
      if (!specLinks(e.ref).some((l) => l.url)) problems.push(`${where}: no link in "${e.ref}"`);
      for (const target of [e.type, e.items]) {
        if (target && !Object.hasOwn(CATALOGUE, target))
          problems.push(`${where}: unknown structure ${target}`);
      }
    };
    for (const [name, shape] of Object.entries(CATALOGUE)) {
      check(name, shape);
      for (const [f, field] of Object.entries(shape.fields ?? {})) check(`${name}.${f}`, field);
    }
    expect(problems).toEqual([]);
  });

  test('a field is explained by the structure it sits in, and a value by its registry', () => {
    const till = explainPath(['AS-REQ', 'req-body', 'till']);
    expect(till?.key).toBe('KDC-REQ-BODY.till');
    expect(till?.refs[0]).toEqual({
      text: 'RFC 4120 §5.4.1',
      url: 'https://www.rfc-editor.org/rfc/rfc4120#section-5.4.1',
    });
    const pa = explainPath(['AS-REQ', 'padata', 'padata[0]', 'padata-type'], 2);
    expect(pa?.key).toBe('PA-DATA.padata-type');
    expect(pa?.value?.name).toBe('PA-ENC-TIMESTAMP');
    const etype = explainPath(['AS-REQ', 'req-body', 'etype', 'etype[1]'], 17);
    expect(etype?.key).toBe('KDC-REQ-BODY.etype[]');
    expect(etype?.value?.name).toBe('aes128-cts-hmac-sha1-96');
    const opts = explainPath(['TGS-REQ', 'req-body', 'kdc-options'], '40810000');
    expect(opts?.bits?.map((b) => b.name)).toEqual([
      'forwardable (bit 1)',
      'renewable (bit 8)',
      'canonicalize (bit 15)',
    ]);
    const flags = explainPath(['EncTicketPart', 'flags'], '0x40e00000');
    expect(flags?.bits?.map((b) => b.name)).toEqual([
      'forwardable (bit 1)',
      'renewable (bit 8)',
      'initial (bit 9)',
      'pre-authent (bit 10)',
    ]);
    const logon = explainPath([
      'PAC',
      'Logon information (KERB_VALIDATION_INFO)',
      'logonInfo',
      'groupIds',
      'groupIds[0]',
      'relativeId',
    ]);
    expect(logon?.key).toBe('GROUP_MEMBERSHIP.relativeId');
    expect(logon?.refs[0]?.url).toMatch(
      /^https:\/\/learn\.microsoft\.com\/en-us\/openspecs\/windows_protocols\/ms-pac\//,
    );
    expect(explainPath(['AS-REQ', 'no-such-field'])).toBeUndefined();
  });

  test('references become rfc-editor.org and learn.microsoft.com links', () => {
    expect(specLinks('RFC 4120 §2.6, §5.3')).toEqual([
      { text: 'RFC 4120 §2.6', url: 'https://www.rfc-editor.org/rfc/rfc4120#section-2.6' },
      { text: 'RFC 4120 §5.3', url: 'https://www.rfc-editor.org/rfc/rfc4120#section-5.3' },
    ]);
    expect(specLinks('MS-PAC §2.5')).toEqual([
      {
        text: 'MS-PAC §2.5',
        url: 'https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-pac/69e86ccc-85e3-41b9-b514-7d969cd0ed73',
      },
    ]);
    // A section without a known page links to the document's first page; its number stays in the text.
    expect(specLinks('MS-PAC §2.6')[0]).toEqual({
      text: 'MS-PAC §2.6',
      url: 'https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-pac/166d8064-c863-41e1-9c23-edaaa5f36962',
    });
    expect(specLinks('IANA')).toEqual([{ text: 'IANA' }]);
  });
});
