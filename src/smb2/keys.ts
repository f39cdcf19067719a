/**
 * SMB 3.1.1's keys (MS-SMB2 §3.2.5.3.1, §3.1.4.2): the session key is the first 16 bytes of the key the
 * GSS mechanism agreed on (Kerberos: the AP-REP's subkey, RFC 4121 §2), zero-padded when shorter; the
 * signing and cipher keys come from it through SP800-108 counter-mode KDF with HMAC-SHA256, one label
 * each, and the session's SHA-512 preauth integrity hash as the context (§3.2.5.2, §3.3.5.5.3).
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { concatBytes, utf8 } from '../util';
import { Smb2Error } from './errors';

/** The labels of SMB 3.1.1, each with its terminating NUL as MS-SMB2 §3.2.5.3.1 counts it. */
export const KdfLabel = {
  SIGNING: 'SMBSigningKey\0',
  CLIENT_TO_SERVER: 'SMBC2SCipherKey\0',
  SERVER_TO_CLIENT: 'SMBS2CCipherKey\0',
  APPLICATION: 'SMBAppKey\0',
} as const;

/**
 * SP800-108 §5.1, KDF in counter mode, PRF HMAC-SHA256, r = 32, L = 128: one block,
 * HMAC(Ki, [i]_4 || Label || 0x00 || Context || [L]_4), its first 16 bytes.
 */
export function smb2Kdf(ki: Uint8Array, label: string, context: Uint8Array): Uint8Array {
  if (ki.length !== 16) throw new Smb2Error(`the SMB session key is 16 bytes, not ${ki.length}`);
  const input = concatBytes(
    new Uint8Array([0, 0, 0, 1]),
    utf8(label),
    new Uint8Array([0]),
    context,
    new Uint8Array([0, 0, 0, 128]),
  );
  return hmac(sha256, ki, input).subarray(0, 16);
}

/** §3.2.5.3.1: Session.SessionKey from the GSS key (the AP-REP subkey for Kerberos). */
export function sessionKeyFromGss(gssKey: Uint8Array): Uint8Array {
  if (gssKey.length === 0)
    throw new Smb2Error('the GSS mechanism gave no key to derive the SMB session key from');
  const out = new Uint8Array(16);
  out.set(gssKey.subarray(0, 16));
  return out;
}

/** The preauth integrity hash before the first message: 64 zero bytes (§3.2.5.2). */
export const PREAUTH_START = new Uint8Array(64);

/** One step of the preauth integrity hash: SHA-512(previous || message) (§3.2.5.2, §3.3.5.4). */
export function preauthNext(previous: Uint8Array, message: Uint8Array): Uint8Array {
  return sha512(concatBytes(previous, message));
}

export interface SessionKeys {
  sessionKey: Uint8Array;
  signingKey: Uint8Array;
  /** The client encrypts with this, the server decrypts (ClientToServer). */
  encryptionKey: Uint8Array;
  /** The server encrypts with this, the client decrypts (ServerToClient). */
  decryptionKey: Uint8Array;
}

/** The three keys of a 3.1.1 session from its session key and preauth hash. */
export function deriveSessionKeys(sessionKey: Uint8Array, preauthHash: Uint8Array): SessionKeys {
  return {
    sessionKey,
    signingKey: smb2Kdf(sessionKey, KdfLabel.SIGNING, preauthHash),
    encryptionKey: smb2Kdf(sessionKey, KdfLabel.CLIENT_TO_SERVER, preauthHash),
    decryptionKey: smb2Kdf(sessionKey, KdfLabel.SERVER_TO_CLIENT, preauthHash),
  };
}
