// A small Kerberos client for driving the KDC in tests: builds AS-REQ and TGS-REQ the way MIT and Windows
// do, and opens replies. Deliberately plain (no state machine): tests tamper with what it builds.
import {
  decodeAsRep,
  decodeEncAsRepPart,
  decodeEncTgsRepPart,
  decodeEncTicketPart,
  decodeKrbError,
  decodeMethodData,
  decodeEtypeInfo2,
  decodeTgsRep,
  encodeApReq,
  encodeAsReq,
  encodeAuthenticator,
  encodeKdcReqBody,
  encodePaEncTimestamp,
  encodePaEncTsEnc,
  encodeTgsReq,
  encodeKrbFastReq,
  encodePaFxFastRequest,
  type EncKdcRepPart,
  type EncTicketPart,
  type KdcRep,
  type KdcReqBody,
  type KrbError,
  type PaData,
  type PrincipalName,
  type Ticket,
} from '../../../src/asn1';
import { KdcOption, PaType } from '../../../src/asn1/registry';
import {
  cf2,
  checksum,
  checksumTypeForEnctype,
  decrypt,
  encrypt,
  KeyUsage,
  randomKey,
  stringToKey,
  type Key,
  type RandomSource,
} from '../../../src/crypto';
import { buildKdcState, Kdc, type KdcConfig } from '../../../src/kdc';
import { krbtgtName } from '../../../src/asn1/principal';
import { wholeSeconds } from '../../../src/asn1/time';

/** A seeded random source (xorshift32): deterministic, never Math.random. */
export function seededRandom(seed = 42): RandomSource {
  let x = seed >>> 0 || 1;
  return (n: number) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      x ^= x << 13;
      x >>>= 0;
      x ^= x >>> 17;
      x ^= x << 5;
      x >>>= 0;
      out[i] = x & 0xff;
    }
    return out;
  };
}

export const T0 = Date.UTC(2026, 2, 2, 8, 0, 0); // Monday 2026-03-02 08:00:00Z, the playground's epoch
export const HOUR = 3_600_000;
export const WINDOWS_AS_OPTIONS =
  KdcOption.FORWARDABLE | KdcOption.RENEWABLE | KdcOption.CANONICALIZE | KdcOption.RENEWABLE_OK;

export const name = (...parts: string[]): PrincipalName => ({
  nameType: parts.length === 2 ? 2 : 1,
  nameString: parts,
});
export const hostName = (service: string, host: string): PrincipalName => ({
  nameType: 3,
  nameString: [service, host],
});

export function makeKdc(config: KdcConfig, seed = 1): Kdc {
  return new Kdc(buildKdcState(config, seededRandom(seed)));
}

export interface AsOptions {
  realm: string;
  cname: PrincipalName;
  sname?: PrincipalName;
  etypes?: number[];
  options?: number;
  till?: Date;
  rtime?: Date;
  nonce?: number;
  padata?: PaData[];
}

export function asReqBody(o: AsOptions): KdcReqBody {
  return {
    kdcOptions: o.options ?? WINDOWS_AS_OPTIONS,
    cname: o.cname,
    realm: o.realm,
    sname: o.sname ?? krbtgtName(o.realm),
    till: o.till ?? new Date(Date.UTC(2037, 8, 13, 2, 48, 5)),
    ...(o.rtime ? { rtime: o.rtime } : {}),
    nonce: o.nonce ?? 12345,
    etype: o.etypes ?? [18, 17, 23],
  };
}

export function asReq(o: AsOptions): Uint8Array {
  return encodeAsReq({
    pvno: 5,
    msgType: 10,
    ...(o.padata ? { padata: o.padata } : {}),
    reqBody: asReqBody(o),
  });
}

/** PA-ENC-TIMESTAMP (RFC 4120 §5.2.7.2) for the client's clock reading `nowMs`. */
export function encTimestamp(key: Key, nowMs: number, random: RandomSource): PaData {
  const plain = encodePaEncTsEnc({ patimestamp: wholeSeconds(nowMs), pausec: (nowMs % 1000) * 1000 });
  const cipher = encrypt(key, KeyUsage.AS_REQ_PA_ENC_TS, plain, random);
  return {
    padataType: PaType.PA_ENC_TIMESTAMP,
    padataValue: encodePaEncTimestamp({ etype: key.etype, cipher }),
  };
}

export type Reply = { type: 'AS-REP' | 'TGS-REP'; rep: KdcRep } | { type: 'KRB-ERROR'; error: KrbError };

export function readReply(bytes: Uint8Array): Reply {
  switch (bytes[0]) {
    case 0x6b:
      return { type: 'AS-REP', rep: decodeAsRep(bytes) };
    case 0x6d:
      return { type: 'TGS-REP', rep: decodeTgsRep(bytes) };
    case 0x7e:
      return { type: 'KRB-ERROR', error: decodeKrbError(bytes) };
    default:
      throw new Error(`unexpected reply tag 0x${bytes[0]?.toString(16)}`);
  }
}

export function expectError(bytes: Uint8Array): KrbError {
  const r = readReply(bytes);
  if (r.type !== 'KRB-ERROR') throw new Error(`expected a KRB-ERROR, got ${r.type}`);
  return r.error;
}

export function expectRep(bytes: Uint8Array): KdcRep {
  const r = readReply(bytes);
  if (r.type === 'KRB-ERROR')
    throw new Error(`expected a reply, got KRB-ERROR ${r.error.errorCode}: ${r.error.eText}`);
  return r.rep;
}

/** The salt and s2kparams the KDC sent in KDC_ERR_PREAUTH_REQUIRED, for the first ETYPE-INFO2 entry. */
export function etypeInfoFromError(err: KrbError) {
  const md = decodeMethodData(err.eData!);
  const info = md.find((p) => p.padataType === PaType.PA_ETYPE_INFO2)!;
  return decodeEtypeInfo2(info.padataValue);
}

export interface Credentials {
  ticket: Ticket;
  part: EncKdcRepPart;
  sessionKey: Key;
  rep: KdcRep;
}

export function openAsRep(bytes: Uint8Array, key: Key): Credentials {
  const rep = expectRep(bytes);
  const part = decodeEncAsRepPart(decrypt(key, KeyUsage.AS_REP_ENCPART, rep.encPart.cipher));
  return { rep, part, ticket: rep.ticket, sessionKey: { etype: part.key.keytype, bytes: part.key.keyvalue } };
}

export function openTgsRep(
  bytes: Uint8Array,
  key: Key,
  usage: number = KeyUsage.TGS_REP_ENCPART_SESSKEY,
): Credentials {
  const rep = expectRep(bytes);
  const part = decodeEncTgsRepPart(decrypt(key, usage, rep.encPart.cipher));
  return { rep, part, ticket: rep.ticket, sessionKey: { etype: part.key.keytype, bytes: part.key.keyvalue } };
}

export function openTicket(ticket: Ticket, serviceKey: Key): EncTicketPart {
  return decodeEncTicketPart(decrypt(serviceKey, KeyUsage.KDC_REP_TICKET, ticket.encPart.cipher));
}

/** A full password sign-in: AS-REQ, PREAUTH_REQUIRED, AS-REQ with PA-ENC-TIMESTAMP, AS-REP. */
export function signIn(
  kdc: Kdc,
  realm: string,
  user: string,
  password: string,
  now: number,
  random: RandomSource,
  extra: Partial<AsOptions> = {},
): Credentials {
  const first = kdc.handle(asReq({ realm, cname: name(user), ...extra }), { now, random });
  const err = expectError(first.reply);
  const info = etypeInfoFromError(err)[0]!;
  const key = stringToKey(
    info.etype,
    password,
    info.salt ?? '',
    info.s2kparams ? { s2kparams: info.s2kparams } : {},
  );
  const second = kdc.handle(
    asReq({
      realm,
      cname: name(user),
      ...extra,
      padata: [encTimestamp(key, now, random), ...(extra.padata ?? [])],
    }),
    { now, random },
  );
  return openAsRep(second.reply, key);
}

export interface TgsOptions {
  realm: string;
  sname: PrincipalName;
  tgt: Ticket;
  sessionKey: Key;
  crealm: string;
  cname: PrincipalName;
  now: number;
  random: RandomSource;
  options?: number;
  etypes?: number[];
  subkey?: Key;
  nonce?: number;
  /** Change the body after the checksum was made (to prove the checksum check). */
  tamperBody?: (b: KdcReqBody) => KdcReqBody;
  cksumtype?: number;
  ctime?: number;
  extraPadata?: PaData[];
  /**
   * Armor the request with FAST as MIT does for every TGS-REQ (RFC 6113 §5.4.1.1, implicit TGS armor):
   * armor key = KRB-FX-CF2(subkey, TGT session key, "subkeyarmor", "ticketarmor"); needs `subkey`.
   */
  fast?: boolean;
}

/** A TGS-REQ with PA-TGS-REQ: AP-REQ(TGT, authenticator with a checksum over req-body, RFC 4120 §7.2). */
export function tgsReq(o: TgsOptions): Uint8Array {
  const body: KdcReqBody = {
    kdcOptions: o.options ?? KdcOption.FORWARDABLE | KdcOption.RENEWABLE | KdcOption.CANONICALIZE,
    realm: o.realm,
    sname: o.sname,
    till: new Date(Date.UTC(2037, 8, 13, 2, 48, 5)),
    nonce: o.nonce ?? 777,
    etype: o.etypes ?? [18, 17, 23],
  };
  const cksumtype = o.cksumtype ?? checksumTypeForEnctype(o.sessionKey.etype);
  const sum = checksum(cksumtype, o.sessionKey, KeyUsage.TGS_REQ_AUTH_CKSUM, encodeKdcReqBody(body));
  const ctime = o.ctime ?? o.now;
  const authenticator = encodeAuthenticator({
    authenticatorVno: 5,
    crealm: o.crealm,
    cname: o.cname,
    cksum: { cksumtype, checksum: sum },
    cusec: (ctime % 1000) * 1000,
    ctime: wholeSeconds(ctime),
    ...(o.subkey ? { subkey: { keytype: o.subkey.etype, keyvalue: o.subkey.bytes } } : {}),
  });
  const apReq = encodeApReq({
    pvno: 5,
    msgType: 14,
    apOptions: 0,
    ticket: o.tgt,
    authenticator: {
      etype: o.sessionKey.etype,
      cipher: encrypt(o.sessionKey, KeyUsage.TGS_REQ_AUTH, authenticator, o.random),
    },
  });
  const fast: PaData[] = [];
  if (o.fast) {
    if (!o.subkey) throw new Error('FAST armor for a TGS-REQ needs the authenticator subkey');
    const armorKey = cf2(o.subkey, o.sessionKey, 'subkeyarmor', 'ticketarmor');
    const reqCksumType = checksumTypeForEnctype(armorKey.etype);
    const armored = encodePaFxFastRequest({
      armoredData: {
        reqChecksum: {
          cksumtype: reqCksumType,
          checksum: checksum(reqCksumType, armorKey, KeyUsage.FAST_REQ_CHKSUM, encodeKdcReqBody(body)),
        },
        encFastReq: {
          etype: armorKey.etype,
          cipher: encrypt(
            armorKey,
            KeyUsage.FAST_ENC,
            encodeKrbFastReq({ fastOptions: 0, padata: [], reqBody: body }),
            o.random,
          ),
        },
      },
    });
    fast.push({ padataType: PaType.PA_FX_FAST, padataValue: armored });
  }
  return encodeTgsReq({
    pvno: 5,
    msgType: 12,
    padata: [{ padataType: PaType.PA_TGS_REQ, padataValue: apReq }, ...fast, ...(o.extraPadata ?? [])],
    reqBody: o.tamperBody ? o.tamperBody(body) : body,
  });
}

export { randomKey, stringToKey };

export interface ApOptions {
  ticket: Ticket;
  sessionKey: Key;
  crealm: string;
  cname: PrincipalName;
  now: number;
  random: RandomSource;
  mutual?: boolean;
  subkey?: Key;
  seqNumber?: number;
}

/** An AP-REQ (RFC 4120 §5.5.1) for a service ticket, as a client sends it to the service. */
export function apReq(o: ApOptions): Uint8Array {
  const authenticator = encodeAuthenticator({
    authenticatorVno: 5,
    crealm: o.crealm,
    cname: o.cname,
    cusec: (o.now % 1000) * 1000,
    ctime: wholeSeconds(o.now),
    ...(o.subkey ? { subkey: { keytype: o.subkey.etype, keyvalue: o.subkey.bytes } } : {}),
    ...(o.seqNumber !== undefined ? { seqNumber: o.seqNumber } : {}),
  });
  return encodeApReq({
    pvno: 5,
    msgType: 14,
    apOptions: o.mutual ? 0x20000000 : 0,
    ticket: o.ticket,
    authenticator: {
      etype: o.sessionKey.etype,
      cipher: encrypt(o.sessionKey, KeyUsage.AP_REQ_AUTH, authenticator, o.random),
    },
  });
}
