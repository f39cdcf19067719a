/**
 * The LSA's cached logon verifier ("domain cached credentials v2", what `mscash2` tools call DCC2), which
 * lets Windows sign a user in with no domain controller in sight (PROTOCOL-NOTES.md, "Cached logon"):
 *
 *   DCC1 = MD4( NT-hash(password) || UTF-16LE(lowercase(user)) )
 *   DCC2 = PBKDF2-HMAC-SHA1( DCC1, salt = UTF-16LE(lowercase(user)), 10240 iterations, 16 bytes )
 *
 * Windows keeps the last ten interactive logons this way; the playground keeps the last one per device.
 */
import { pbkdf2 } from '@noble/hashes/pbkdf2.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { md4, ntHash } from '../crypto';
import { concatBytes, equalBytes, utf16le } from '../util/bytes';

export const DCC2_ITERATIONS = 10240;

/** The DCC2 verifier of a password for a user name (the sAMAccountName, no domain). */
export function dcc2(user: string, password: string, iterations = DCC2_ITERATIONS): Uint8Array {
  const salt = utf16le(user.toLowerCase());
  const dcc1 = md4(concatBytes(ntHash(password), salt));
  return pbkdf2(sha1, dcc1, salt, { c: iterations, dkLen: 16 });
}

/** Whether a password matches a stored verifier. */
export function checkDcc2(user: string, password: string, verifier: Uint8Array): boolean {
  return equalBytes(dcc2(user, password), verifier);
}
