/**
 * NTLMv2 as SESSION_SETUP carries it when a share is opened with the storage account key
 * (`localhost\contosofiles`): the three NTLMSSP messages (MS-NLMP §2.2.1.1–§2.2.1.3) and the NTLMv2
 * response (§3.3.2): NTOWFv2 = HMAC-MD5(MD4(UTF-16LE(password)), UTF-16LE(UPPER(user) + domain)),
 * NTProofStr = HMAC-MD5(NTOWFv2, ServerChallenge + temp), SessionBaseKey = HMAC-MD5(NTOWFv2, NTProofStr).
 */
import { hmac } from '@noble/hashes/hmac.js';
import { md5 } from '@noble/hashes/legacy.js';
import { md4, rc4 } from '../crypto';
import { concatBytes, equalBytes, utf16le } from '../util';
import { NtlmFormatError, Smb2Error } from './errors';
import { fileTime, LeReader, LeWriter } from './wire';

const SIGNATURE = new Uint8Array([0x4e, 0x54, 0x4c, 0x4d, 0x53, 0x53, 0x50, 0x00]); // "NTLMSSP\0"

/** NegotiateFlags (§2.2.2.5) a Windows client sets: Unicode, request target, sign, seal, NTLM, always sign, extended session security, target info, version, 128-bit, key exchange, 56-bit. */
export const NTLM_FLAGS = 0xe2888235;

/** NTLMSSP_NEGOTIATE_KEY_EXCH (§2.2.2.5): AUTHENTICATE carries an EncryptedRandomSessionKey. */
const NEGOTIATE_KEY_EXCH = 0x40000000;

/** The size of a session key and of an RC4-sealed one (§3.4.5.1, §3.2.5.1.2). */
const SESSION_KEY_BYTES = 16;

/** AV_PAIR ids (§2.2.2.1). */
export const AvId = {
  EOL: 0,
  NB_COMPUTER: 1,
  NB_DOMAIN: 2,
  DNS_COMPUTER: 3,
  DNS_DOMAIN: 4,
  FLAGS: 6,
  TIMESTAMP: 7,
} as const;

/** MsvAvFlags (§2.2.2.1): the AUTHENTICATE message carries a MIC. */
export const AV_FLAG_MIC = 0x2;

const hmacMd5 = (key: Uint8Array, ...data: Uint8Array[]) => hmac(md5, key, concatBytes(...data));

/** §3.3.2 NTOWFv2. */
export function ntowfv2(password: string, user: string, domain: string): Uint8Array {
  return hmacMd5(md4(utf16le(password)), utf16le(user.toUpperCase() + domain));
}

/** AV pairs (§2.2.2.1), ending with MsvAvEOL. */
export function avPairs(pairs: [number, Uint8Array][]): Uint8Array {
  const w = new LeWriter();
  for (const [id, value] of pairs) w.u16(id).u16(value.length).bytes(value);
  return w.u16(AvId.EOL).u16(0).done();
}

export interface NtlmV2Response {
  ntProofStr: Uint8Array;
  /** NTProofStr followed by the temp blob: the AUTHENTICATE message's NtChallengeResponse. */
  ntChallengeResponse: Uint8Array;
  lmChallengeResponse: Uint8Array;
  sessionBaseKey: Uint8Array;
}

/** §3.3.2 ComputeResponse for NTLMv2. `time` is a FILETIME. */
export function ntlmV2Response(
  responseKey: Uint8Array,
  serverChallenge: Uint8Array,
  clientChallenge: Uint8Array,
  time: bigint,
  targetInfo: Uint8Array,
): NtlmV2Response {
  const temp = new LeWriter()
    .u8(1)
    .u8(1)
    .zeros(6)
    .u64(time)
    .bytes(clientChallenge)
    .zeros(4)
    .bytes(targetInfo)
    .zeros(4)
    .done();
  const ntProofStr = hmacMd5(responseKey, serverChallenge, temp);
  return {
    ntProofStr,
    ntChallengeResponse: concatBytes(ntProofStr, temp),
    lmChallengeResponse: concatBytes(hmacMd5(responseKey, serverChallenge, clientChallenge), clientChallenge),
    sessionBaseKey: hmacMd5(responseKey, ntProofStr),
  };
}

const VERSION = new Uint8Array([10, 0, 0x61, 0x58, 0, 0, 0, 15]); // Windows 10.0 build 22625, NTLMSSP rev 15

/** §2.2.1.1 NEGOTIATE_MESSAGE (no domain or workstation supplied). */
export function ntlmNegotiate(): Uint8Array {
  return new LeWriter()
    .bytes(SIGNATURE)
    .u32(1)
    .u32(NTLM_FLAGS)
    .u16(0)
    .u16(0)
    .u32(40)
    .u16(0)
    .u16(0)
    .u32(40)
    .bytes(VERSION)
    .done();
}

/** §2.2.1.2 CHALLENGE_MESSAGE: the server's target name, challenge and target info. */
export function ntlmChallenge(targetName: string, challenge: Uint8Array, targetInfo: Uint8Array): Uint8Array {
  const name = utf16le(targetName);
  const nameAt = 56;
  const infoAt = nameAt + name.length;
  return new LeWriter()
    .bytes(SIGNATURE)
    .u32(2)
    .u16(name.length)
    .u16(name.length)
    .u32(nameAt)
    .u32(NTLM_FLAGS)
    .bytes(challenge)
    .zeros(8)
    .u16(targetInfo.length)
    .u16(targetInfo.length)
    .u32(infoAt)
    .bytes(VERSION)
    .bytes(name)
    .bytes(targetInfo)
    .done();
}

export interface AuthenticateFields {
  domain: string;
  user: string;
  workstation: string;
  response: NtlmV2Response;
  encryptedSessionKey: Uint8Array;
}

/** §2.2.1.3 AUTHENTICATE_MESSAGE (the MIC left zero). */
export function ntlmAuthenticate(a: AuthenticateFields): Uint8Array {
  const payload = [
    a.response.lmChallengeResponse,
    a.response.ntChallengeResponse,
    utf16le(a.domain),
    utf16le(a.user),
    utf16le(a.workstation),
    a.encryptedSessionKey,
  ];
  const w = new LeWriter().bytes(SIGNATURE).u32(3);
  // the fields in order: Lm, Nt, Domain, User, Workstation, EncryptedRandomSessionKey; then the flags
  let at = 88;
  for (const p of payload) {
    w.u16(p.length).u16(p.length).u32(at);
    at += p.length;
  }
  w.u32(NTLM_FLAGS).bytes(VERSION).zeros(16);
  for (const p of payload) w.bytes(p);
  return w.done();
}

/** Where the MIC sits in AUTHENTICATE_MESSAGE: after the fields, the flags and the version (§2.2.1.3). */
const MIC_AT = 72;

const checkSignature = (r: LeReader, type: number, what: string) => {
  const sig = r.slice(0, 8, 'Signature');
  if (sig.some((b, i) => b !== SIGNATURE[i]) || r.u32(8, 'MessageType') !== type)
    throw new Smb2Error(`${what}: not an NTLMSSP message of type ${type}`);
};

/** A field's bytes, found through its (length, max length, offset) at `at` (§2.2.1). */
const field = (r: LeReader, at: number, name: string) =>
  r.slice(r.u32(at + 4, `${name} offset`), r.u16(at, `${name} length`), name);

/** The client's reading of a CHALLENGE_MESSAGE: the server challenge and the target info. */
export function readChallenge(bytes: Uint8Array): { challenge: Uint8Array; targetInfo: Uint8Array } {
  const r = new LeReader(bytes, 'NTLMSSP CHALLENGE');
  checkSignature(r, 2, 'NTLMSSP CHALLENGE');
  return { challenge: r.slice(24, 8, 'ServerChallenge'), targetInfo: field(r, 40, 'TargetInfo') };
}

export interface ReadAuthenticate {
  domain: string;
  user: string;
  ntChallengeResponse: Uint8Array;
  encryptedSessionKey: Uint8Array;
  /** NegotiateFlags (§2.2.2.5) as the client sent them. */
  flags: number;
  mic: Uint8Array;
}

/** The server's reading of an AUTHENTICATE_MESSAGE. */
export function readAuthenticate(bytes: Uint8Array): ReadAuthenticate {
  const r = new LeReader(bytes, 'NTLMSSP AUTHENTICATE');
  checkSignature(r, 3, 'NTLMSSP AUTHENTICATE');
  const text = (b: Uint8Array) => new TextDecoder('utf-16le').decode(b);
  return {
    ntChallengeResponse: field(r, 20, 'NtChallengeResponse'),
    domain: text(field(r, 28, 'DomainName')),
    user: text(field(r, 36, 'UserName')),
    encryptedSessionKey: field(r, 52, 'EncryptedRandomSessionKey'),
    flags: r.u32(60, 'NegotiateFlags'),
    mic: r.slice(MIC_AT, 16, 'MIC'),
  };
}

/**
 * The MIC (§3.1.5.1.2): HMAC-MD5 under the exported session key over the three messages, the MIC field
 * of AUTHENTICATE zero while it is computed. Returns AUTHENTICATE with its MIC in place.
 */
export function withMic(
  exportedSessionKey: Uint8Array,
  negotiate: Uint8Array,
  challenge: Uint8Array,
  authenticate: Uint8Array,
): Uint8Array {
  const zeroed = authenticate.slice();
  zeroed.fill(0, MIC_AT, MIC_AT + 16);
  zeroed.set(hmacMd5(exportedSessionKey, negotiate, challenge, zeroed), MIC_AT);
  return zeroed;
}

/**
 * The server's check of an NTLMv2 AUTHENTICATE (§3.2.5.1.2): NTProofStr recomputed from the password it
 * holds, the session base key, the exported session key the client sent under RC4 (KXKEY is the session
 * base key for NTLMv2, §3.4.5.1), and the MIC. Undefined when the proof or the MIC does not match.
 */
export function ntlmVerify(
  password: string,
  serverChallenge: Uint8Array,
  messages: { negotiate: Uint8Array; challenge: Uint8Array; authenticate: Uint8Array },
): { exportedSessionKey: Uint8Array; user: string; domain: string } | undefined {
  const a = readAuthenticate(messages.authenticate);
  if (a.ntChallengeResponse.length < 48) return undefined;
  if (a.flags & NEGOTIATE_KEY_EXCH && a.encryptedSessionKey.length !== SESSION_KEY_BYTES)
    throw new NtlmFormatError(
      `NTLMSSP AUTHENTICATE: NEGOTIATE_KEY_EXCH is set but the EncryptedRandomSessionKey has ${a.encryptedSessionKey.length} bytes, not ${SESSION_KEY_BYTES} (MS-NLMP §2.2.1.3)`,
    );
  // the client's copy of the target info in its NTLMv2 blob (§2.2.2.7): read for its MsvAvTimestamp
  readAvPairs(a.ntChallengeResponse.subarray(BLOB_PAIRS_AT));
  const key = ntowfv2(password, a.user, a.domain);
  const proof = a.ntChallengeResponse.subarray(0, 16);
  const expected = hmacMd5(key, serverChallenge, a.ntChallengeResponse.subarray(16));
  if (!equalBytes(proof, expected)) return undefined;
  // KXKEY is the session base key for NTLMv2 (§3.4.5.1); without NEGOTIATE_KEY_EXCH it is the exported
  // session key itself, and the EncryptedRandomSessionKey (if any) means nothing (§3.2.5.1.2)
  const sessionBaseKey = hmacMd5(key, proof);
  const exportedSessionKey =
    a.flags & NEGOTIATE_KEY_EXCH ? rc4(sessionBaseKey, a.encryptedSessionKey) : sessionBaseKey;
  const mic = withMic(exportedSessionKey, messages.negotiate, messages.challenge, messages.authenticate);
  if (!equalBytes(mic.subarray(MIC_AT, MIC_AT + 16), a.mic)) return undefined;
  return { exportedSessionKey, user: a.user, domain: a.domain };
}

/** Where the AV pairs start in NtChallengeResponse: after NTProofStr (16) and the blob's 28-byte head (§2.2.2.7). */
const BLOB_PAIRS_AT = 44;

/** The AV pairs of a target info, in order (the closing MsvAvEOL left out); MsvAvTimestamp is a FILETIME. */
function readAvPairs(info: Uint8Array): [number, Uint8Array][] {
  const r = new LeReader(info, 'NTLMSSP TargetInfo');
  const out: [number, Uint8Array][] = [];
  for (let at = 0; ;) {
    const id = r.u16(at, 'AvId');
    const len = r.u16(at + 2, 'AvLen');
    if (id === AvId.EOL) return out;
    if (id === AvId.TIMESTAMP && len !== 8)
      throw new NtlmFormatError(
        `NTLMSSP TargetInfo: the MsvAvTimestamp pair at offset ${at} has ${len} bytes; a FILETIME is 8 (MS-NLMP §2.2.2.1)`,
      );
    out.push([id, r.slice(at + 4, len, 'Value')]);
    at += 4 + len;
  }
}

export interface NtlmClientInput {
  password: string;
  user: string;
  domain: string;
  workstation: string;
  negotiate: Uint8Array;
  challenge: Uint8Array;
  clientChallenge: Uint8Array;
  /** The random session key the client chooses (NEGOTIATE_KEY_EXCH), sent under RC4 of KXKEY. */
  exportedSessionKey: Uint8Array;
  /** The client's clock (ms since the epoch), when the server's target info carries no MsvAvTimestamp. */
  now: number;
}

/**
 * The client's AUTHENTICATE for a CHALLENGE (§3.1.5.1.2): the NTLMv2 response over the server's target
 * info with MsvAvFlags saying a MIC follows, the server's timestamp when it sent one (and then no LMv2
 * response: Z(24)), the exported session key under RC4 of the session base key, and the MIC.
 */
export function ntlmClientAuthenticate(c: NtlmClientInput): Uint8Array {
  const server = readChallenge(c.challenge);
  const pairs = readAvPairs(server.targetInfo);
  const stamp = pairs.find(([id]) => id === AvId.TIMESTAMP)?.[1];
  const time = stamp ? new DataView(stamp.buffer, stamp.byteOffset).getBigUint64(0, true) : fileTime(c.now);
  const flags = new Uint8Array([AV_FLAG_MIC, 0, 0, 0]);
  const info = avPairs([...pairs.filter(([id]) => id !== AvId.FLAGS), [AvId.FLAGS, flags]]);
  const key = ntowfv2(c.password, c.user, c.domain);
  const response = ntlmV2Response(key, server.challenge, c.clientChallenge, time, info);
  const authenticate = ntlmAuthenticate({
    domain: c.domain,
    user: c.user,
    workstation: c.workstation,
    response: stamp ? { ...response, lmChallengeResponse: new Uint8Array(24) } : response,
    encryptedSessionKey: rc4(response.sessionBaseKey, c.exportedSessionKey),
  });
  return withMic(c.exportedSessionKey, c.negotiate, c.challenge, authenticate);
}

/**
 * A server's CHALLENGE as Windows sends it: its NetBIOS name as target name and domain, its DNS name, and
 * the time (MsvAvTimestamp, which makes the client add a MIC). `now` is ms since the epoch.
 */
export function ntlmServerChallenge(
  netbios: string,
  dnsName: string,
  serverChallenge: Uint8Array,
  now: number,
): Uint8Array {
  return ntlmChallenge(
    netbios,
    serverChallenge,
    avPairs([
      [AvId.NB_DOMAIN, utf16le(netbios)],
      [AvId.NB_COMPUTER, utf16le(netbios)],
      [AvId.DNS_DOMAIN, utf16le(dnsName)],
      [AvId.DNS_COMPUTER, utf16le(dnsName)],
      [AvId.TIMESTAMP, new LeWriter().u64(fileTime(now)).done()],
    ]),
  );
}
