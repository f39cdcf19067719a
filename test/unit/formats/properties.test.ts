// Round-trip properties: whatever keytab, ccache or PAC we encode decodes back to the same thing
// (and, for keytabs and ccaches, encodes again to the same bytes). Seeded, so a failure replays.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  buildPac,
  decodeCcache,
  decodeKeytab,
  decodePac,
  encodeCcache,
  encodeKeytab,
  verifyPac,
  type Ccache,
  type CcacheCredential,
  type KerbValidationInfo,
  type KeytabEntry,
  type PacBufferContent,
} from '../../../src/formats';
import type { Principal } from '../../../src/asn1/principal';

const SEED = 20260302;
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const u16 = fc.integer({ min: 0, max: 0xffff });
const text = fc.string({ unit: 'grapheme', maxLength: 12 });
const bytes = (max: number) => fc.uint8Array({ maxLength: max });

const principal: fc.Arbitrary<Principal> = fc.record({
  realm: text,
  name: fc.record({ nameType: u32, nameString: fc.array(text, { minLength: 1, maxLength: 3 }) }),
});

const keytabEntry: fc.Arbitrary<KeytabEntry> = fc.record({
  principal: principal.map((p) => ({ ...p })),
  timestamp: u32,
  kvno: u32,
  key: fc.record({ etype: u16, bytes: bytes(40) }),
});

/** Decoded objects carry storage details and spans; compare what a writer is given. */
function essentials(e: KeytabEntry) {
  return { principal: e.principal, timestamp: e.timestamp, kvno: e.kvno, key: e.key };
}

describe('keytab round trip', () => {
  test('encode → decode gives the entries back; encoding the result gives the same bytes', () => {
    fc.assert(
      fc.property(fc.array(keytabEntry, { maxLength: 5 }), (entries) => {
        const bytes1 = encodeKeytab({ entries });
        const kt = decodeKeytab(bytes1);
        // A 32-bit kvno of 0 means "use the 8-bit field", so kvno 0 reads back as 0 either way.
        expect(kt.entries.map(essentials)).toEqual(entries.map(essentials));
        expect(encodeKeytab(kt)).toEqual(bytes1);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});

const credential: fc.Arbitrary<CcacheCredential> = fc.record({
  client: principal,
  server: principal.filter((p) => p.realm !== 'X-CACHECONF:'),
  key: fc.record({ etype: u16, bytes: bytes(32) }),
  authtime: u32,
  starttime: u32,
  endtime: u32,
  renewTill: u32,
  isSkey: fc.boolean(),
  ticketFlags: u32,
  addresses: fc.array(fc.record({ addrType: u16, address: bytes(16) }), { maxLength: 2 }),
  authData: fc.array(fc.record({ adType: u16, data: bytes(16) }), { maxLength: 2 }),
  ticket: bytes(64),
  secondTicket: bytes(8),
});

const ccache: fc.Arbitrary<Ccache> = fc
  .record({
    version: fc.constantFrom(3 as const, 4 as const),
    kdcOffset: fc.option(
      fc.record({
        seconds: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
        microseconds: fc.integer({ min: 0, max: 999999 }),
      }),
      { nil: undefined },
    ),
    defaultPrincipal: principal,
    credentials: fc.array(credential, { maxLength: 3 }),
    config: fc.array(
      fc.record({ key: text.filter((k) => !k.includes('/')), principal: fc.option(text), value: bytes(8) }),
      { maxLength: 2 },
    ),
  })
  .map((c) => (c.kdcOffset === undefined || c.version === 3 ? { ...c, kdcOffset: undefined } : c));

function strip<T extends object>(o: T): Omit<T, 'position' | 'spans'> {
  const { position: _p, spans: _s, ...rest } = o as T & { position?: number; spans?: unknown };
  return rest;
}

describe('ccache round trip', () => {
  test('encode → decode gives credentials and config back, apart; re-encoding gives the same bytes', () => {
    fc.assert(
      fc.property(ccache, (cc) => {
        const bytes1 = encodeCcache(cc);
        const back = decodeCcache(bytes1);
        expect(back.version).toBe(cc.version);
        expect(back.defaultPrincipal).toEqual(cc.defaultPrincipal);
        if (cc.kdcOffset) expect(back.kdcOffset).toEqual(cc.kdcOffset);
        expect(back.credentials.map(strip)).toEqual(cc.credentials);
        expect(back.config.map(strip)).toEqual(cc.config);
        expect(encodeCcache(back)).toEqual(bytes1);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});

// ---- PAC ----

const fileTime = fc.bigInt({ min: 0n, max: 0x7fffffffffffffffn });
const sid = fc
  .record({
    authority: fc.integer({ min: 0, max: 2 ** 48 - 1 }),
    subs: fc.array(u32, { minLength: 0, maxLength: 6 }),
  })
  .map(({ authority, subs }) => {
    const a =
      authority < 2 ** 32 ? String(authority) : '0x' + authority.toString(16).toUpperCase().padStart(12, '0');
    return ['S', '1', a, ...subs.map(String)].join('-');
  });
const groups = fc.array(fc.record({ relativeId: u32, attributes: u32 }), { maxLength: 4 });
const sidAttrs = fc.array(fc.record({ sid, attributes: u32 }), { maxLength: 3 });
// UTF-16 strings: NDR carries code units, so any JavaScript string survives.
const wstr = fc.string({ unit: 'binary', maxLength: 10 });

const logonInfo: fc.Arbitrary<KerbValidationInfo> = fc.record({
  logonTime: fileTime,
  logoffTime: fileTime,
  kickOffTime: fileTime,
  passwordLastSet: fileTime,
  passwordCanChange: fileTime,
  passwordMustChange: fileTime,
  effectiveName: wstr,
  fullName: wstr,
  logonScript: wstr,
  profilePath: wstr,
  homeDirectory: wstr,
  homeDirectoryDrive: wstr,
  logonCount: u16,
  badPasswordCount: u16,
  userId: u32,
  primaryGroupId: u32,
  groupIds: groups,
  userFlags: u32,
  userSessionKey: fc.uint8Array({ minLength: 16, maxLength: 16 }),
  logonServer: wstr,
  logonDomainName: wstr,
  logonDomainId: fc.option(sid),
  userAccountControl: u32,
  subAuthStatus: u32,
  lastSuccessfulILogon: fileTime,
  lastFailedILogon: fileTime,
  failedILogonCount: u32,
  extraSids: sidAttrs,
  resourceGroupDomainSid: fc.option(sid),
  resourceGroupIds: groups,
});

const buffers: fc.Arbitrary<PacBufferContent[]> = fc
  .tuple(
    logonInfo,
    fc.record({ clientId: fileTime, name: wstr }),
    fc.option(
      fc.record({
        upn: wstr,
        dnsDomainName: wstr,
        flags: fc.constantFrom(0, 1),
        ext: fc.option(fc.record({ samName: wstr, sid })),
      }),
    ),
    fc.option(
      fc.record({
        userId: u32,
        primaryGroupId: u32,
        accountDomainId: sid,
        accountGroupIds: groups,
        extraSids: sidAttrs,
        domainGroups: fc.array(fc.record({ domainId: sid, groupIds: groups }), { maxLength: 2 }),
      }),
    ),
    fc.option(fc.record({ flagsLength: fc.integer({ min: 0, max: 64 }), word: u32 })),
    fc.option(sid),
    fc.option(
      fc.record({
        compressionFormat: u16,
        uncompressedSize: u32,
        claimsSet: bytes(20),
        reservedType: u16,
        reservedField: bytes(4),
      }),
    ),
  )
  .map(([li, ci, upn, dev, attrs, requestor, claims]) => {
    const out: PacBufferContent[] = [
      { kind: 'logonInfo', type: 1, logonInfo: li },
      { kind: 'clientInfo', type: 10, clientInfo: ci },
    ];
    if (upn) {
      const { ext, ...base } = upn;
      out.push({
        kind: 'upnDnsInfo',
        type: 12,
        upnDnsInfo: ext ? { ...base, flags: base.flags | 2, ...ext } : base,
      });
    }
    if (dev) out.push({ kind: 'deviceInfo', type: 14, deviceInfo: dev });
    if (attrs) {
      const words = Math.ceil(attrs.flagsLength / 32);
      const flags = Array.from({ length: words }, (_, i) => (i === 0 ? attrs.word : i));
      out.push({ kind: 'attributes', type: 17, attributes: { flagsLength: attrs.flagsLength, flags } });
    }
    if (requestor) out.push({ kind: 'requestor', type: 18, requestor: { sid: requestor } });
    if (claims) out.push({ kind: 'claims', type: 15, claims });
    return out;
  });

describe('PAC round trip', () => {
  const key = { etype: 18, bytes: new Uint8Array(32).fill(0x42) };
  const kdcKey = { etype: 23, bytes: new Uint8Array(16).fill(0x24) };

  test('build → decode gives every buffer back, and the signatures verify', () => {
    fc.assert(
      fc.property(buffers, fc.boolean(), (content, full) => {
        const bytes1 = buildPac(content, { serverKey: key, kdcKey, fullChecksum: full });
        const pac = decodePac(bytes1);
        const got = pac.buffers.slice(0, content.length).map((b) => {
          const { offset: _o, size: _s, bytes: _b, infoOffset: _i, ...rest } = b;
          if (rest.kind === 'logonInfo') {
            const { sids: _x, ...c } = rest;
            return c;
          }
          return rest;
        });
        expect(got).toEqual(content);
        const r = verifyPac(bytes1, { serverKey: key, kdcKey });
        expect(r.ok).toBe(true);
        expect(r.full.status).toBe(full ? 'valid' : 'absent');
      }),
      { seed: SEED, numRuns: 200 },
    );
  });
});
