/**
 * Round trips over generated values of every type: decode(encode(v)) gives v back, the bytes are
 * canonical (encoding the decoded value gives the same bytes), and the tree's nodes cover the bytes
 * they claim to.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import * as k from '../../../src/asn1';
import type { KrbNode } from '../../../src/asn1';

const SEED = 4120;
const RUNS = 60;

// ---- generators -----------------------------------------------------------------------------------------

const int32 = fc.integer({ min: -0x80000000, max: 0x7fffffff });
const uint32 = fc.integer({ min: 0, max: 0xffffffff });
const usec = fc.integer({ min: 0, max: 999999 });
const flags = uint32;
const str = fc.oneof(fc.string({ maxLength: 24 }), fc.string({ unit: 'grapheme', maxLength: 8 }));
const bytes = fc.uint8Array({ maxLength: 48 });
const time = fc
  .date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true })
  .map((d) => new Date(Math.floor(d.getTime() / 1000) * 1000));

const principal = fc.record({ nameType: int32, nameString: fc.array(str, { maxLength: 3 }) });
const encData = fc.record(
  { etype: int32, kvno: uint32, cipher: bytes },
  { requiredKeys: ['etype', 'cipher'] },
);
const key = fc.record({ keytype: int32, keyvalue: bytes });
const checksum = fc.record({ cksumtype: int32, checksum: bytes });
const hostAddress = fc.record({ addrType: int32, address: bytes });
const addresses = fc.array(hostAddress, { maxLength: 2 });
const authData = fc.array(fc.record({ adType: int32, adData: bytes }), { maxLength: 3 });
const paData = fc.array(fc.record({ padataType: int32, padataValue: bytes }), { maxLength: 3 });
const lastReq = fc.array(fc.record({ lrType: int32, lrValue: time }), { maxLength: 2 });

const ticket = fc.record({ tktVno: fc.constant(5), realm: str, sname: principal, encPart: encData });

const kdcReqBody = fc.record(
  {
    kdcOptions: flags,
    cname: principal,
    realm: str,
    sname: principal,
    from: time,
    till: time,
    rtime: time,
    nonce: uint32,
    etype: fc.array(int32, { maxLength: 6 }),
    addresses,
    encAuthorizationData: encData,
    additionalTickets: fc.array(ticket, { maxLength: 2 }),
  },
  { requiredKeys: ['kdcOptions', 'realm', 'till', 'nonce', 'etype'] },
);
const kdcReq = (msgType: number) =>
  fc.record(
    { pvno: fc.constant(5), msgType: fc.constant(msgType), padata: paData, reqBody: kdcReqBody },
    { requiredKeys: ['pvno', 'msgType', 'reqBody'] },
  );
const kdcRep = (msgType: number) =>
  fc.record(
    {
      pvno: fc.constant(5),
      msgType: fc.constant(msgType),
      padata: paData,
      crealm: str,
      cname: principal,
      ticket,
      encPart: encData,
    },
    { requiredKeys: ['pvno', 'msgType', 'crealm', 'cname', 'ticket', 'encPart'] },
  );
const encKdcRepPart = fc.record(
  {
    key,
    lastReq,
    nonce: uint32,
    keyExpiration: time,
    flags,
    authtime: time,
    starttime: time,
    endtime: time,
    renewTill: time,
    srealm: str,
    sname: principal,
    caddr: addresses,
    encryptedPaData: paData,
  },
  { requiredKeys: ['key', 'lastReq', 'nonce', 'flags', 'authtime', 'endtime', 'srealm', 'sname'] },
);
const encTicketPart = fc.record(
  {
    flags,
    key,
    crealm: str,
    cname: principal,
    transited: fc.record({ trType: int32, contents: bytes }),
    authtime: time,
    starttime: time,
    endtime: time,
    renewTill: time,
    caddr: addresses,
    authorizationData: authData,
  },
  { requiredKeys: ['flags', 'key', 'crealm', 'cname', 'transited', 'authtime', 'endtime'] },
);
const apReq = fc.record({
  pvno: fc.constant(5),
  msgType: fc.constant(14),
  apOptions: flags,
  ticket,
  authenticator: encData,
});
const authenticator = fc.record(
  {
    authenticatorVno: fc.constant(5),
    crealm: str,
    cname: principal,
    cksum: checksum,
    cusec: usec,
    ctime: time,
    subkey: key,
    seqNumber: uint32,
    authorizationData: authData,
  },
  { requiredKeys: ['authenticatorVno', 'crealm', 'cname', 'cusec', 'ctime'] },
);
const apRep = fc.record({ pvno: fc.constant(5), msgType: fc.constant(15), encPart: encData });
const encApRepPart = fc.record(
  { ctime: time, cusec: usec, subkey: key, seqNumber: uint32 },
  { requiredKeys: ['ctime', 'cusec'] },
);
const privBody = fc.record(
  { userData: bytes, timestamp: time, usec, seqNumber: uint32, sAddress: hostAddress, rAddress: hostAddress },
  { requiredKeys: ['userData', 'sAddress'] },
);
const krbSafe = fc.record({
  pvno: fc.constant(5),
  msgType: fc.constant(20),
  safeBody: privBody,
  cksum: checksum,
});
const krbPriv = fc.record({ pvno: fc.constant(5), msgType: fc.constant(21), encPart: encData });
const krbCred = fc.record({
  pvno: fc.constant(5),
  msgType: fc.constant(22),
  tickets: fc.array(ticket, { maxLength: 2 }),
  encPart: encData,
});
const credInfo = fc.record(
  {
    key,
    prealm: str,
    pname: principal,
    flags,
    authtime: time,
    starttime: time,
    endtime: time,
    renewTill: time,
    srealm: str,
    sname: principal,
    caddr: addresses,
  },
  { requiredKeys: ['key'] },
);
const encKrbCredPart = fc.record(
  {
    ticketInfo: fc.array(credInfo, { maxLength: 2 }),
    nonce: uint32,
    timestamp: time,
    usec,
    sAddress: hostAddress,
    rAddress: hostAddress,
  },
  { requiredKeys: ['ticketInfo'] },
);
const krbError = fc.record(
  {
    pvno: fc.constant(5),
    msgType: fc.constant(30),
    ctime: time,
    cusec: usec,
    stime: time,
    susec: usec,
    errorCode: int32,
    crealm: str,
    cname: principal,
    realm: str,
    sname: principal,
    eText: str,
    eData: bytes,
  },
  { requiredKeys: ['pvno', 'msgType', 'stime', 'susec', 'errorCode', 'realm', 'sname'] },
);
const krbFastReq = fc.record({ fastOptions: flags, padata: paData, reqBody: kdcReqBody });
const krbFastFinished = fc.record({
  timestamp: time,
  usec,
  crealm: str,
  cname: principal,
  ticketChecksum: checksum,
});
const krbFastResponse = fc.record(
  { padata: paData, strengthenKey: key, finished: krbFastFinished, nonce: uint32 },
  { requiredKeys: ['padata', 'nonce'] },
);
const armoredReq = fc.record(
  { armor: fc.record({ armorType: int32, armorValue: bytes }), reqChecksum: checksum, encFastReq: encData },
  { requiredKeys: ['reqChecksum', 'encFastReq'] },
);
const oid = fc
  .tuple(
    fc.integer({ min: 0, max: 2 }),
    fc.integer({ min: 0, max: 39 }),
    fc.array(fc.integer({ min: 0, max: 2 ** 31 }), { maxLength: 6 }),
  )
  .map(([a, b, rest]) => [a, b, ...rest].join('.'));
const negTokenInit = fc.record(
  {
    mechTypes: fc.array(oid, { maxLength: 4 }),
    reqFlags: fc.constantFrom(Uint8Array.of(0), Uint8Array.of(1, 0x62)),
    mechToken: bytes,
    negHints: fc.record({ hintName: str, hintAddress: bytes }, { requiredKeys: [] }),
    mechListMIC: bytes,
  },
  { requiredKeys: ['mechTypes'] },
);
const negTokenResp = fc.record(
  { negState: fc.integer({ min: 0, max: 3 }), supportedMech: oid, responseToken: bytes, mechListMIC: bytes },
  { requiredKeys: [] },
);

// ---- the properties -----------------------------------------------------------------------------------

/** Every node lies inside its parent, children do not overlap, and leaves have their value. */
function checkTree(n: KrbNode, lo: number, hi: number): void {
  expect(n.offset).toBeGreaterThanOrEqual(lo);
  expect(n.offset + n.length).toBeLessThanOrEqual(hi);
  let prevEnd = n.offset;
  for (const c of n.children ?? []) {
    expect(c.offset).toBeGreaterThanOrEqual(prevEnd);
    checkTree(c, n.offset, n.offset + n.length);
    prevEnd = c.offset + c.length;
  }
  expect(
    Object.keys(n).every((key) => ['name', 'tag', 'offset', 'length', 'value', 'children'].includes(key)),
  ).toBe(true);
}

interface Case<T> {
  name: string;
  arb: fc.Arbitrary<T>;
  encode: (v: T) => Uint8Array;
  decode: (b: Uint8Array) => T;
  /** The type decodeKerberos should recognise, for messages and parts with an application tag. */
  kind?: string;
}

const c = <T>(
  name: string,
  arb: fc.Arbitrary<T>,
  encode: (v: T) => Uint8Array,
  decode: (b: Uint8Array) => T,
  kind?: string,
): Case<unknown> => ({ name, arb, encode, decode, kind }) as Case<unknown>;

const CASES: Case<unknown>[] = [
  c('AS-REQ', kdcReq(10), k.encodeAsReq, k.decodeAsReq, 'AS-REQ'),
  c('TGS-REQ', kdcReq(12), k.encodeTgsReq, k.decodeTgsReq, 'TGS-REQ'),
  c('KDC-REQ-BODY', kdcReqBody, k.encodeKdcReqBody, k.decodeKdcReqBody),
  c('AS-REP', kdcRep(11), k.encodeAsRep, k.decodeAsRep, 'AS-REP'),
  c('TGS-REP', kdcRep(13), k.encodeTgsRep, k.decodeTgsRep, 'TGS-REP'),
  c('EncASRepPart', encKdcRepPart, k.encodeEncAsRepPart, k.decodeEncAsRepPart, 'EncASRepPart'),
  c('EncTGSRepPart', encKdcRepPart, k.encodeEncTgsRepPart, k.decodeEncTgsRepPart, 'EncTGSRepPart'),
  c('Ticket', ticket, k.encodeTicket, k.decodeTicket, 'Ticket'),
  c('EncTicketPart', encTicketPart, k.encodeEncTicketPart, k.decodeEncTicketPart, 'EncTicketPart'),
  c('AP-REQ', apReq, k.encodeApReq, k.decodeApReq, 'AP-REQ'),
  c('Authenticator', authenticator, k.encodeAuthenticator, k.decodeAuthenticator, 'Authenticator'),
  c('AP-REP', apRep, k.encodeApRep, k.decodeApRep, 'AP-REP'),
  c('EncAPRepPart', encApRepPart, k.encodeEncApRepPart, k.decodeEncApRepPart, 'EncAPRepPart'),
  c('KRB-SAFE', krbSafe, k.encodeKrbSafe, k.decodeKrbSafe, 'KRB-SAFE'),
  c('KRB-PRIV', krbPriv, k.encodeKrbPriv, k.decodeKrbPriv, 'KRB-PRIV'),
  c('EncKrbPrivPart', privBody, k.encodeEncKrbPrivPart, k.decodeEncKrbPrivPart, 'EncKrbPrivPart'),
  c('KRB-CRED', krbCred, k.encodeKrbCred, k.decodeKrbCred, 'KRB-CRED'),
  c('EncKrbCredPart', encKrbCredPart, k.encodeEncKrbCredPart, k.decodeEncKrbCredPart, 'EncKrbCredPart'),
  c('KRB-ERROR', krbError, k.encodeKrbError, k.decodeKrbError, 'KRB-ERROR'),
  c('METHOD-DATA', paData, k.encodeMethodData, k.decodeMethodData),
  c(
    'TYPED-DATA',
    fc.array(fc.record({ dataType: int32, dataValue: bytes }, { requiredKeys: ['dataType'] }), {
      maxLength: 3,
    }),
    k.encodeTypedData,
    k.decodeTypedData,
  ),
  c('AuthorizationData (AD-IF-RELEVANT)', authData, k.encodeAdIfRelevant, k.decodeAdIfRelevant),
  c(
    'AD-KDCIssued',
    fc.record(
      { adChecksum: checksum, iRealm: str, iSname: principal, elements: authData },
      { requiredKeys: ['adChecksum', 'elements'] },
    ),
    k.encodeAdKdcIssued,
    k.decodeAdKdcIssued,
  ),
  c('PA-ENC-TIMESTAMP', encData, k.encodePaEncTimestamp, k.decodePaEncTimestamp),
  c(
    'PA-ENC-TS-ENC',
    fc.record({ patimestamp: time, pausec: usec }, { requiredKeys: ['patimestamp'] }),
    k.encodePaEncTsEnc,
    k.decodePaEncTsEnc,
  ),
  c(
    'ETYPE-INFO',
    fc.array(fc.record({ etype: int32, salt: bytes }, { requiredKeys: ['etype'] }), { maxLength: 3 }),
    k.encodeEtypeInfo,
    k.decodeEtypeInfo,
  ),
  c(
    'ETYPE-INFO2',
    fc.array(fc.record({ etype: int32, salt: str, s2kparams: bytes }, { requiredKeys: ['etype'] }), {
      maxLength: 3,
    }),
    k.encodeEtypeInfo2,
    k.decodeEtypeInfo2,
  ),
  c(
    'KERB-PA-PAC-REQUEST',
    fc.record({ includePac: fc.boolean() }),
    k.encodePaPacRequest,
    k.decodePaPacRequest,
  ),
  c('PA-PAC-OPTIONS', fc.record({ flags }), k.encodePaPacOptions, k.decodePaPacOptions),
  c(
    'PA-FOR-USER',
    fc.record({ userName: principal, userRealm: str, cksum: checksum, authPackage: str }),
    k.encodePaForUser,
    k.decodePaForUser,
  ),
  c('KERB-KEY-LIST-REQ', fc.array(int32, { maxLength: 4 }), k.encodeKerbKeyListReq, k.decodeKerbKeyListReq),
  c('KERB-KEY-LIST-REP', fc.array(key, { maxLength: 3 }), k.encodeKerbKeyListRep, k.decodeKerbKeyListRep),
  c('PA-ENCRYPTED-CHALLENGE', encData, k.encodePaEncryptedChallenge, k.decodePaEncryptedChallenge),
  c(
    'PA-FX-FAST-REQUEST',
    fc.record({ armoredData: armoredReq }),
    k.encodePaFxFastRequest,
    k.decodePaFxFastRequest,
  ),
  c(
    'PA-FX-FAST-REPLY',
    fc.record({ armoredData: fc.record({ encFastRep: encData }) }),
    k.encodePaFxFastReply,
    k.decodePaFxFastReply,
  ),
  c('KrbFastArmoredReq', armoredReq, k.encodeKrbFastArmoredReq, k.decodeKrbFastArmoredReq),
  c(
    'KrbFastArmoredRep',
    fc.record({ encFastRep: encData }),
    k.encodeKrbFastArmoredRep,
    k.decodeKrbFastArmoredRep,
  ),
  c('KrbFastReq', krbFastReq, k.encodeKrbFastReq, k.decodeKrbFastReq),
  c('KrbFastResponse', krbFastResponse, k.encodeKrbFastResponse, k.decodeKrbFastResponse),
  c('KrbFastFinished', krbFastFinished, k.encodeKrbFastFinished, k.decodeKrbFastFinished),
  c(
    'KDC-PROXY-MESSAGE',
    fc.record(
      { kerbMessage: bytes, targetDomain: str, dclocatorHint: int32 },
      { requiredKeys: ['kerbMessage'] },
    ),
    k.encodeKdcProxyMessage,
    k.decodeKdcProxyMessage,
  ),
  c(
    'GSS-API InitialContextToken',
    fc.record({ thisMech: oid, innerContextToken: bytes }),
    k.encodeGssToken,
    k.decodeGssToken,
  ),
  c('SPNEGO NegTokenInit', fc.record({ negTokenInit }), k.encodeSpnego, k.decodeSpnego),
  c('SPNEGO NegTokenResp', fc.record({ negTokenResp }), k.encodeSpnego, k.decodeSpnego),
];

describe('round trips over generated values', () => {
  test('every type of the brief has a generator here', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(44);
  });

  for (const tc of CASES) {
    test(`${tc.name}: decode(encode(v)) is v, and the bytes are canonical`, () => {
      fc.assert(
        fc.property(tc.arb, (v) => {
          const der = tc.encode(v);
          const back = tc.decode(der);
          expect(back).toEqual(v);
          expect(tc.encode(back)).toEqual(der);
          if (tc.kind) {
            const d = k.decodeKerberos(der);
            expect(d.type).toBe(tc.kind);
            expect(d.tree.offset).toBe(0);
            expect(d.tree.length).toBe(der.length);
            checkTree(d.tree, 0, der.length);
            // With the TCP record mark, the same message one layer down, 4 bytes further on.
            const framed = k.decodeKerberos(k.addTcpPrefix(der));
            expect(framed.value).toEqual(d.value);
            expect(framed.tree.children![1]!.offset).toBe(4);
          }
        }),
        { seed: SEED, numRuns: RUNS },
      );
    });
  }

  test('a krb5 GSS-API token carries any AP-REQ and gives it back with its TOK_ID', () => {
    fc.assert(
      fc.property(apReq, (v) => {
        const token = k.encodeKrb5GssToken({ tokId: k.TOK_ID.KRB_AP_REQ, krbMessage: k.encodeApReq(v) });
        const d = k.decodeKerberos(token);
        expect(d.type).toBe('AP-REQ');
        expect(d.value).toEqual(v);
        expect(d.gss).toEqual({ thisMech: k.GSS_OID.KRB5, tokId: 0x0100 });
        const spnego = k.encodeSpnego({
          negTokenInit: { mechTypes: [k.GSS_OID.MS_KRB5, k.GSS_OID.KRB5], mechToken: token },
        });
        const s = k.decodeKerberos(spnego);
        expect(s.framing).toEqual(['spnego', 'gssapi']);
        expect(s.value).toEqual(v);
        checkTree(s.tree, 0, spnego.length);
      }),
      { seed: SEED, numRuns: 30 },
    );
  });

  test('a KDC-PROXY-MESSAGE carries any AS-REQ behind its record mark', () => {
    fc.assert(
      fc.property(kdcReq(10), fc.option(str, { nil: undefined }), (v, realm) => {
        const wrapped = k.wrapForKdcProxy(k.encodeAsReq(v), realm);
        const d = k.decodeKerberos(wrapped);
        expect(d.type).toBe('AS-REQ');
        expect(d.framing).toEqual(['kkdcp', 'tcp']);
        expect(d.value).toEqual(v);
        expect(d.kdcProxy?.targetDomain).toBe(realm);
        checkTree(d.tree, 0, wrapped.length);
      }),
      { seed: SEED, numRuns: 30 },
    );
  });
});

describe('KerberosTime edges', () => {
  test.each(['00010101000000Z', '00501231235959Z', '19700101000000Z', '20380119031408Z', '99991231235959Z'])(
    '%s reads back unchanged',
    (t) => {
      const ctime = new Date(
        `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}T${t.slice(8, 10)}:${t.slice(10, 12)}:${t.slice(12, 14)}Z`,
      );
      const der = k.encodeEncApRepPart({ ctime, cusec: 0 });
      expect(new TextDecoder().decode(der)).toContain(t);
      expect(k.decodeEncApRepPart(der).ctime).toEqual(ctime);
    },
  );

  test('sub-second times are refused when encoding, not silently truncated', () => {
    expect(() =>
      k.encodeEncApRepPart({ ctime: new Date('2026-03-02T08:00:00.500Z'), cusec: 0 }),
    ).toThrowError(/whole seconds/);
  });
});

describe('KerberosFlags helpers', () => {
  test('bit 0 is the most significant bit, as RFC 4120 numbers them', () => {
    expect(k.flagsOf(1)).toBe(0x40000000);
    expect(k.flagsOf(0, 31)).toBe(0x80000001);
    expect(k.hasFlag(0x40810010, 1)).toBe(true);
    expect(k.hasFlag(0x40810010, 2)).toBe(false);
    expect(k.flagBits(0x40810010)).toEqual([1, 8, 15, 27]);
  });

  test('flagsOf and flagBits are inverses', () => {
    fc.assert(
      fc.property(flags, (f) => k.flagsOf(...k.flagBits(f)) === f),
      { seed: SEED },
    );
  });
});
