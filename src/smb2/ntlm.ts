/**
 * NTLMv2 as SESSION_SETUP carries it when a share is opened with the storage account key
 * (`localhost\contosofiles`): the three NTLMSSP messages (MS-NLMP §2.2.1.1–§2.2.1.3) and the NTLMv2
 * response (§3.3.2): NTOWFv2 = HMAC-MD5(MD4(UTF-16LE(password)), UTF-16LE(UPPER(user) + domain)),
 * NTProofStr = HMAC-MD5(NTOWFv2, ServerChallenge + temp), SessionBaseKey = HMAC-MD5(NTOWFv2, NTProofStr).
 */
import { hmac } from '@noble/hashes/hmac.js';
import { md5 } from '@noble/hashes/legacy.js';
import { md4 } from '../crypto';
import { concatBytes, utf16le } from '../util';
import { LeWriter } from './wire';

const SIGNATURE = new Uint8Array([0x4e, 0x54, 0x4c, 0x4d, 0x53, 0x53, 0x50, 0x00]); // "NTLMSSP\0"

/** NegotiateFlags (§2.2.2.5) a Windows client sets: Unicode, request target, sign, seal, NTLM, always sign, extended session security, target info, version, 128-bit, key exchange, 56-bit. */
export const NTLM_FLAGS = 0xe2888235;

/** AV_PAIR ids (§2.2.2.1). */
export const AvId = {
  EOL: 0,
  NB_COMPUTER: 1,
  NB_DOMAIN: 2,
  DNS_COMPUTER: 3,
  DNS_DOMAIN: 4,
  TIMESTAMP: 7,
} as const;

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
