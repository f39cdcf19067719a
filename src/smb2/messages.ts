/**
 * The bodies of the SMB2 messages the playground sends (MS-SMB2 §2.2.3–§2.2.34): each follows its
 * 64-byte header, so every offset written here counts from the header's first byte.
 */
import { utf16le } from '../util';
import { HEADER_SIZE } from './header';
import { Cipher, SigningAlgorithm } from './protect';
import { LeWriter, fileTime } from './wire';

export const Dialect = {
  SMB_2_0_2: 0x0202,
  SMB_2_1: 0x0210,
  SMB_3_0: 0x0300,
  SMB_3_0_2: 0x0302,
  SMB_3_1_1: 0x0311,
} as const;
export const SecurityMode = { SIGNING_ENABLED: 0x1, SIGNING_REQUIRED: 0x2 } as const;
export const Capability = {
  DFS: 0x1,
  LEASING: 0x2,
  LARGE_MTU: 0x4,
  MULTI_CHANNEL: 0x8,
  DIRECTORY_LEASING: 0x20,
  ENCRYPTION: 0x40,
} as const;
const NegotiateContext = { PREAUTH_INTEGRITY: 1, ENCRYPTION: 2, SIGNING: 8 } as const;
const SHA_512 = 1;

export interface NegotiateOffer {
  clientGuid: Uint8Array;
  salt: Uint8Array;
  ciphers: number[];
  signing: number[];
}

/** A negotiate context (§2.2.3.1): type, length, 4 reserved bytes, data; each starts 8-byte aligned. */
function contexts(w: LeWriter, list: [number, Uint8Array][]): void {
  list.forEach(([type, data], i) => {
    if (i > 0) w.align(8, -HEADER_SIZE);
    w.u16(type).u16(data.length).u32(0).bytes(data);
  });
}

function preauthContext(salt: Uint8Array): Uint8Array {
  return new LeWriter().u16(1).u16(salt.length).u16(SHA_512).bytes(salt).done();
}

function listContext(ids: number[]): Uint8Array {
  const w = new LeWriter().u16(ids.length);
  for (const id of ids) w.u16(id);
  return w.done();
}

function negotiateContexts(salt: Uint8Array, ciphers: number[], signing: number[]): [number, Uint8Array][] {
  return [
    [NegotiateContext.PREAUTH_INTEGRITY, preauthContext(salt)],
    [NegotiateContext.ENCRYPTION, listContext(ciphers)],
    [NegotiateContext.SIGNING, listContext(signing)],
  ];
}

/** §2.2.3 NEGOTIATE request: dialects 2.0.2 to 3.1.1, and the 3.1.1 negotiate contexts. */
export function negotiateRequest(o: NegotiateOffer): Uint8Array {
  const dialects = [
    Dialect.SMB_2_0_2,
    Dialect.SMB_2_1,
    Dialect.SMB_3_0,
    Dialect.SMB_3_0_2,
    Dialect.SMB_3_1_1,
  ];
  const fixed = 36;
  const contextOffset = HEADER_SIZE + fixed + dialects.length * 2;
  const aligned = contextOffset + ((8 - (contextOffset % 8)) % 8);
  const w = new LeWriter()
    .u16(36)
    .u16(dialects.length)
    .u16(SecurityMode.SIGNING_ENABLED)
    .u16(0)
    .u32(
      Capability.DFS |
        Capability.LEASING |
        Capability.LARGE_MTU |
        Capability.MULTI_CHANNEL |
        Capability.DIRECTORY_LEASING |
        Capability.ENCRYPTION,
    )
    .bytes(o.clientGuid)
    .u32(aligned)
    .u16(3)
    .u16(0);
  for (const d of dialects) w.u16(d);
  w.align(8, -HEADER_SIZE);
  contexts(w, negotiateContexts(o.salt, o.ciphers, o.signing));
  return w.done();
}

export interface NegotiateAnswer {
  serverGuid: Uint8Array;
  salt: Uint8Array;
  cipher: number;
  signing: number;
  /** The server's SPNEGO NegTokenInit2 (the mechanisms it offers). */
  securityBuffer: Uint8Array;
  now: number;
}

/** §2.2.4 NEGOTIATE response: 3.1.1, signing enabled, one cipher and one signing algorithm chosen. */
export function negotiateResponse(a: NegotiateAnswer): Uint8Array {
  const bufferOffset = HEADER_SIZE + 64;
  const afterBuffer = bufferOffset + a.securityBuffer.length;
  const contextOffset = afterBuffer + ((8 - (afterBuffer % 8)) % 8);
  const w = new LeWriter()
    .u16(65)
    .u16(SecurityMode.SIGNING_ENABLED)
    .u16(Dialect.SMB_3_1_1)
    .u16(3)
    .bytes(a.serverGuid)
    .u32(Capability.DFS | Capability.LEASING | Capability.LARGE_MTU | Capability.ENCRYPTION)
    .u32(8 * 1024 * 1024)
    .u32(8 * 1024 * 1024)
    .u32(8 * 1024 * 1024)
    .u64(fileTime(a.now))
    .u64(0n)
    .u16(bufferOffset)
    .u16(a.securityBuffer.length)
    .u32(contextOffset)
    .bytes(a.securityBuffer)
    .align(8, -HEADER_SIZE);
  contexts(w, negotiateContexts(a.salt, [a.cipher], [a.signing]));
  return w.done();
}

/** What a client offers by default: AES-128-GCM (and CCM), GMAC then CMAC, as Windows 11 does. */
export const DEFAULT_CIPHERS = [Cipher.AES_128_GCM, Cipher.AES_128_CCM];
export const DEFAULT_SIGNING = [SigningAlgorithm.AES_GMAC, SigningAlgorithm.AES_CMAC];

/** §2.2.5 SESSION_SETUP request carrying the client's security token. */
export function sessionSetupRequest(token: Uint8Array): Uint8Array {
  return new LeWriter()
    .u16(25)
    .u8(0)
    .u8(SecurityMode.SIGNING_ENABLED)
    .u32(Capability.DFS)
    .u32(0)
    .u16(HEADER_SIZE + 24)
    .u16(token.length)
    .u64(0n)
    .bytes(token)
    .done();
}

export const SessionFlag = { IS_GUEST: 0x1, IS_NULL: 0x2, ENCRYPT_DATA: 0x4 } as const;

/** §2.2.6 SESSION_SETUP response carrying the server's security token. */
export function sessionSetupResponse(sessionFlags: number, token: Uint8Array): Uint8Array {
  return new LeWriter()
    .u16(9)
    .u16(sessionFlags)
    .u16(HEADER_SIZE + 8)
    .u16(token.length)
    .bytes(token)
    .done();
}

/** §2.2.9 TREE_CONNECT request: the share's UNC path in UTF-16LE. */
export function treeConnectRequest(unc: string): Uint8Array {
  const path = utf16le(unc);
  return new LeWriter()
    .u16(9)
    .u16(0)
    .u16(HEADER_SIZE + 8)
    .u16(path.length)
    .bytes(path)
    .done();
}

/** §2.2.10 TREE_CONNECT response for a disk share, with the access the user has on it. */
export function treeConnectResponse(maximalAccess: number): Uint8Array {
  return new LeWriter()
    .u16(16)
    .u8(0x01) // ShareType: DISK
    .u8(0)
    .u32(0x0000_0000) // ShareFlags: manual caching
    .u32(0)
    .u32(maximalAccess)
    .done();
}

/** §2.2.2 ERROR response: the status is in the header; no error contexts. */
export function errorResponse(): Uint8Array {
  return new LeWriter().u16(9).u8(0).u8(0).u32(0).u8(0).done();
}
