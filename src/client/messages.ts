/**
 * The messages a client builds and the checks it runs on what comes back.
 *
 * Requests: AS-REQ (RFC 4120 §5.4.1) with PA-ENC-TIMESTAMP (§5.2.7.2), PA-PAC-REQUEST (MS-KILE §2.2.3)
 * and PA-REQ-ENC-PA-REP (RFC 6806 §11); TGS-REQ with PA-TGS-REQ, an AP-REQ whose authenticator carries a
 * checksum over the request body (§7.2, key usage 6) and, by default, a subkey for the reply (usage 9).
 *
 * Replies (RFC 4120 §3.1.5, §3.3.4): decrypt with the right key and key usage; the nonce must be ours;
 * the ticket and the encrypted part must name the same server and realm, the realm we asked; the client
 * must be the one we are; the times must make sense on our clock.
 */
import {
  decodeAsRep,
  decodeEncAsRepPart,
  decodeEncTgsRepPart,
  decodeKrbError,
  decodeTgsRep,
  encodeApReq,
  encodeAsReq,
  encodeAuthenticator,
  encodeKdcReqBody,
  encodePaEncTimestamp,
  encodePaEncTsEnc,
  encodePaPacRequest,
  encodeTgsReq,
  decodeTicket,
  decodeWith,
  encodeTicket,
  ChecksumCodec,
  type EncKdcRepPart,
  type KdcRep,
  type KdcReqBody,
  type KrbError,
  type PaData,
  type PrincipalName,
} from '../asn1';
import { MessageType, PaType, TicketFlag } from '../asn1/registry';
import {
  checksum,
  checksumTypeForEnctype,
  decrypt,
  encrypt,
  etypeName,
  IntegrityError,
  KeyUsage,
  verifyChecksum,
  type RandomSource,
} from '../crypto';
import { formatName, formatPrincipal, sameName, type Principal } from '../asn1/principal';
import { formatDuration, isoSeconds, kerberosTimestamp, millisOf } from '../asn1/time';
import { KrbPlayError } from '../util/errors';
import type { CachedCredential, KeyData } from './cache';
import { ReplyCheckError } from './errors';

/** "No end": the till and rtime MIT and Windows send when they leave the lifetime to policy. */
export const UNLIMITED = new Date(Date.UTC(2037, 8, 13, 2, 48, 5));

/** A fresh 31-bit nonce (positive as a signed Int32, as the ASN.1 `UInt32` is read by many peers). */
export function newNonce(random: RandomSource): number {
  const b = random(4);
  return (((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 1) >>> 0;
}

// ---- requests ------------------------------------------------------------------------------------------

export interface AsRequestSpec {
  realm: string;
  cname: PrincipalName;
  options: number;
  etypes: number[];
  till: Date;
  rtime?: Date;
  nonce: number;
  padata: PaData[];
}

export function encodeAsRequest(s: AsRequestSpec): Uint8Array {
  return encodeAsReq({
    pvno: 5,
    msgType: MessageType.AS_REQ,
    ...(s.padata.length > 0 ? { padata: s.padata } : {}),
    reqBody: {
      kdcOptions: s.options,
      cname: s.cname,
      realm: s.realm,
      sname: { nameType: 2, nameString: ['krbtgt', s.realm] },
      till: s.till,
      ...(s.rtime ? { rtime: s.rtime } : {}),
      nonce: s.nonce,
      etype: s.etypes,
    },
  });
}

/** MS-KILE §2.2.3: ask for a PAC (Windows always does). */
export function paPacRequest(include: boolean): PaData {
  return { padataType: PaType.PA_PAC_REQUEST, padataValue: encodePaPacRequest({ includePac: include }) };
}

/** RFC 6806 §11: "protect the padata of your reply with a checksum of this request" (empty value). */
export function paReqEncPaRep(): PaData {
  return { padataType: PaType.PA_REQ_ENC_PA_REP, padataValue: new Uint8Array(0) };
}

/** RFC 4120 §5.2.7.2: the client's time, encrypted in its long-term key with key usage 1. */
export function paEncTimestamp(key: KeyData, now: number, random: RandomSource): PaData {
  const { time, usec } = kerberosTimestamp(now);
  const cipher = encrypt(
    key,
    KeyUsage.AS_REQ_PA_ENC_TS,
    encodePaEncTsEnc({ patimestamp: time, pausec: usec }),
    random,
  );
  return {
    padataType: PaType.PA_ENC_TIMESTAMP,
    padataValue: encodePaEncTimestamp({ etype: key.etype, cipher }),
  };
}

export interface TgsRequestSpec {
  realm: string;
  sname: PrincipalName;
  options: number;
  etypes: number[];
  till: Date;
  nonce: number;
  /** The ticket-granting ticket presented (a TGT for `realm`, or the ticket being renewed). */
  tgt: CachedCredential;
  /** The authenticator's time: the client's clock, corrected by any kdc_timesync offset. */
  ctime: { time: Date; usec: number };
  random: RandomSource;
  /** A subkey for the reply (RFC 4120 §5.5.1; the KDC then encrypts with key usage 9). */
  subkey?: KeyData;
  /** PA-DATA after PA-TGS-REQ (KERB-KEY-LIST-REQ, MS-KILE 2.2.11). */
  padata?: PaData[];
}

/** A TGS-REQ: body, then PA-TGS-REQ = AP-REQ(TGT, authenticator{checksum(body), ctime, subkey}). */
export function encodeTgsRequest(s: TgsRequestSpec): Uint8Array {
  const body: KdcReqBody = {
    kdcOptions: s.options,
    realm: s.realm,
    sname: s.sname,
    till: s.till,
    nonce: s.nonce,
    etype: s.etypes,
  };
  const sessionKey = s.tgt.sessionKey;
  const cksumtype = checksumTypeForEnctype(sessionKey.etype);
  const sum = checksum(cksumtype, sessionKey, KeyUsage.TGS_REQ_AUTH_CKSUM, encodeKdcReqBody(body));
  const { time, usec } = s.ctime;
  const authenticator = encodeAuthenticator({
    authenticatorVno: 5,
    crealm: s.tgt.client.realm,
    cname: s.tgt.client.name,
    cksum: { cksumtype, checksum: sum },
    cusec: usec,
    ctime: time,
    ...(s.subkey ? { subkey: { keytype: s.subkey.etype, keyvalue: s.subkey.bytes } } : {}),
  });
  const apReq = encodeApReq({
    pvno: 5,
    msgType: MessageType.AP_REQ,
    apOptions: 0,
    ticket: decodeTicket(s.tgt.ticket),
    authenticator: {
      etype: sessionKey.etype,
      cipher: encrypt(sessionKey, KeyUsage.TGS_REQ_AUTH, authenticator, s.random),
    },
  });
  return encodeTgsReq({
    pvno: 5,
    msgType: MessageType.TGS_REQ,
    padata: [{ padataType: PaType.PA_TGS_REQ, padataValue: apReq }, ...(s.padata ?? [])],
    reqBody: body,
  });
}

// ---- replies -------------------------------------------------------------------------------------------

export type KdcReply = { type: 'AS-REP' | 'TGS-REP'; rep: KdcRep } | { type: 'KRB-ERROR'; error: KrbError };

/** Reads what a KDC sent: AS-REP, TGS-REP or KRB-ERROR; anything else is dropped with a reason. */
export function readKdcReply(bytes: Uint8Array, expected: 'AS-REP' | 'TGS-REP'): KdcReply {
  const tag = bytes[0];
  try {
    if (tag === 0x7e) return { type: 'KRB-ERROR', error: decodeKrbError(bytes) };
    if (tag === 0x6b && expected === 'AS-REP') return { type: 'AS-REP', rep: decodeAsRep(bytes) };
    if (tag === 0x6d && expected === 'TGS-REP') return { type: 'TGS-REP', rep: decodeTgsRep(bytes) };
  } catch (e) {
    throw new ReplyCheckError(
      'decode',
      `the reply claims to be a ${tag === 0x7e ? 'KRB-ERROR' : expected} but does not decode: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  throw new ReplyCheckError(
    'message-type',
    `expected a ${expected} or a KRB-ERROR, got a message starting with byte 0x${(tag ?? 0).toString(16).padStart(2, '0')}`,
    40,
  );
}

/** Decrypts the reply's enc-part: AS with the long-term key (usage 3), TGS with the subkey (9) or session key (8). */
export function openReply(rep: KdcRep, key: KeyData, usage: number, keyName: string): EncKdcRepPart {
  if (rep.encPart.etype !== key.etype) {
    throw new ReplyCheckError(
      'decrypt',
      `the reply is encrypted with ${etypeName(rep.encPart.etype)}, but ${keyName} is ${etypeName(key.etype)}`,
      14,
    );
  }
  let plain: Uint8Array;
  try {
    plain = decrypt(key, usage, rep.encPart.cipher);
  } catch (e) {
    if (e instanceof IntegrityError) {
      throw new ReplyCheckError(
        'decrypt',
        `the reply does not decrypt with ${keyName} (key usage ${usage}): ${usage === 3 ? 'the password is wrong, or ' : ''}the reply was changed or made with another key`,
        31,
      );
    }
    throw e;
  }
  try {
    return usage === KeyUsage.AS_REP_ENCPART ? decodeEncAsRepPart(plain) : decodeEncTgsRepPart(plain);
  } catch (e) {
    throw new ReplyCheckError(
      'decode',
      `the reply decrypts, but its content is not an EncKDCRepPart: ${e instanceof KrbPlayError ? e.message : String(e)}`,
    );
  }
}

export interface ReplyExpectations {
  nonce: number;
  /** The realm the request went to: the reply's srealm must be it. */
  realm: string;
  /** Who we are; undefined in AS with canonicalize, where the KDC may correct our spelling. */
  client?: Principal;
  /** The server asked for, or a predicate for "an acceptable server" (referrals, canonicalization). */
  server: (sname: PrincipalName) => boolean;
  serverText: string;
  now: number;
  maxSkew: number;
  till: Date;
  rtime?: Date;
}

/** RFC 4120 §3.1.5 / §3.3.4: everything that must hold before a reply is believed. */
export function checkReply(rep: KdcRep, part: EncKdcRepPart, x: ReplyExpectations): void {
  if (part.nonce !== x.nonce) {
    throw new ReplyCheckError(
      'nonce',
      `the reply's nonce ${part.nonce} is not the ${x.nonce} we sent: it answers another request (a replay?)`,
    );
  }
  if (rep.ticket.realm !== part.srealm || !sameName(rep.ticket.sname, part.sname)) {
    throw new ReplyCheckError(
      'server',
      `the ticket is for ${formatName(rep.ticket.sname)}@${rep.ticket.realm}, but the encrypted part says ${formatName(part.sname)}@${part.srealm}`,
    );
  }
  if (part.srealm !== x.realm) {
    throw new ReplyCheckError(
      'realm',
      `we asked the KDC of ${x.realm}, but the ticket comes from ${part.srealm}`,
    );
  }
  if (!x.server(part.sname)) {
    throw new ReplyCheckError(
      'server',
      `we asked for ${x.serverText}, but the reply is a ticket for ${formatName(part.sname)}@${part.srealm}`,
    );
  }
  if (x.client && (rep.crealm !== x.client.realm || !sameName(rep.cname, x.client.name))) {
    throw new ReplyCheckError(
      'client',
      `the reply is for ${formatPrincipal({ realm: rep.crealm, name: rep.cname })}, not for us (${formatPrincipal(x.client)})`,
    );
  }
  const start = (part.starttime ?? part.authtime).getTime();
  const postdated = (part.flags & TicketFlag.POSTDATED) !== 0;
  if (!postdated && Math.abs(start - x.now) > x.maxSkew) {
    throw new ReplyCheckError(
      'times',
      `the ticket starts at ${isoSeconds(start)}, ${formatDuration(Math.abs(start - x.now))} from our clock (${isoSeconds(x.now)}); more than ${formatDuration(x.maxSkew)} apart, one of the clocks is wrong`,
      37,
    );
  }
  if (part.endtime.getTime() <= x.now) {
    throw new ReplyCheckError(
      'times',
      `the ticket ends at ${isoSeconds(part.endtime)}, already past on our clock (${isoSeconds(x.now)})`,
    );
  }
  if (part.endtime.getTime() > x.till.getTime()) {
    throw new ReplyCheckError(
      'times',
      `the ticket ends at ${isoSeconds(part.endtime)}, later than the ${isoSeconds(x.till)} we asked for`,
    );
  }
  if (x.rtime && part.renewTill && part.renewTill.getTime() > x.rtime.getTime()) {
    throw new ReplyCheckError(
      'times',
      `the ticket is renewable until ${isoSeconds(part.renewTill)}, later than the ${isoSeconds(x.rtime)} we asked for`,
    );
  }
}

/**
 * RFC 6806 §11: when the reply carries the enc-pa-rep flag, its encrypted padata must hold a checksum of
 * the AS-REQ we sent (key usage 56, the reply key): proof nobody changed our request on the way.
 * Returns whether the checksum was there (false: the KDC did not offer the protection).
 */
export function checkEncPaRep(part: EncKdcRepPart, replyKey: KeyData, request: Uint8Array): boolean {
  if (!(part.flags & TicketFlag.ENC_PA_REP)) return false;
  const pa = part.encryptedPaData?.find((p) => p.padataType === PaType.PA_REQ_ENC_PA_REP);
  if (!pa) {
    throw new ReplyCheckError(
      'enc-pa-rep',
      'the reply sets enc-pa-rep but its encrypted padata holds no checksum of our request',
    );
  }
  let good: boolean;
  try {
    const sum = decodeChecksum(pa.padataValue);
    good = verifyChecksum(sum.cksumtype, replyKey, KeyUsage.AS_REQ, request, sum.checksum);
  } catch {
    good = false;
  }
  if (!good) {
    throw new ReplyCheckError(
      'enc-pa-rep',
      'the checksum of our AS-REQ in the reply does not match what we sent: the request was changed on the way',
      41,
    );
  }
  return true;
}

const decodeChecksum = (b: Uint8Array) => decodeWith(ChecksumCodec, b).value;

/** The cache entry for a verified reply. */
export function credentialOf(rep: KdcRep, part: EncKdcRepPart, kdcCalled: string): CachedCredential {
  const authtime = part.authtime.getTime();
  return {
    client: { realm: rep.crealm, name: rep.cname },
    server: { realm: part.srealm, name: part.sname },
    sessionKey: { etype: part.key.keytype, bytes: part.key.keyvalue },
    authtime,
    starttime: part.starttime?.getTime() ?? authtime,
    endtime: part.endtime.getTime(),
    ...(part.renewTill ? { renewTill: part.renewTill.getTime() } : {}),
    flags: part.flags >>> 0,
    ticket: encodeTicket(rep.ticket),
    ticketEtype: rep.ticket.encPart.etype,
    ...(rep.ticket.encPart.kvno !== undefined ? { ticketKvno: rep.ticket.encPart.kvno } : {}),
    kdcCalled,
  };
}

/** The KDC's clock from a KRB-ERROR (stime + susec), ms. */
export const kdcTimeOf = (e: KrbError) => millisOf(e.stime, e.susec);
