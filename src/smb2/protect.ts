/**
 * Protecting SMB2 messages once a session has keys: signing with AES-128-CMAC or AES-128-GMAC
 * (MS-SMB2 §3.1.4.1, as SIGNING_CAPABILITIES negotiated), and AES-128-GCM encryption inside an SMB2
 * TRANSFORM_HEADER (§2.2.41, §3.1.4.3): the header's 32 bytes from Nonce to SessionId are the
 * associated data, its Signature the GCM tag.
 */
import { cmac, gcm } from '@noble/ciphers/aes.js';
import { concatBytes, equalBytes } from '../util';
import { Smb2Error } from './errors';
import { HEADER_SIZE, HeaderFlag, SIGNATURE_OFFSET } from './header';
import { LeReader, LeWriter } from './wire';

/** SIGNING_CAPABILITIES algorithm ids (§2.2.3.1.7). */
export const SigningAlgorithm = { HMAC_SHA256: 0, AES_CMAC: 1, AES_GMAC: 2 } as const;
/** ENCRYPTION_CAPABILITIES cipher ids (§2.2.3.1.2). */
export const Cipher = { AES_128_CCM: 1, AES_128_GCM: 2, AES_256_CCM: 3, AES_256_GCM: 4 } as const;

export const TRANSFORM_MAGIC = new Uint8Array([0xfd, 0x53, 0x4d, 0x42]); // 0xFD 'S' 'M' 'B'
export const TRANSFORM_HEADER_SIZE = 52;

function macOf(algorithm: number, key: Uint8Array, message: Uint8Array): Uint8Array {
  if (algorithm === SigningAlgorithm.AES_CMAC) return cmac(message, key);
  if (algorithm === SigningAlgorithm.AES_GMAC) {
    // §3.1.4.1: the nonce is the MessageId, then 4 bytes whose low bit says "from the server".
    const nonce = new Uint8Array(12);
    nonce.set(message.subarray(24, 32));
    const flags = new LeReader(message, 'SMB2 header').u32(16, 'Flags');
    if (flags & HeaderFlag.SERVER_TO_REDIR) nonce[8] = 1;
    return gcm(key, nonce, message).encrypt(new Uint8Array(0));
  }
  throw new Smb2Error(
    `signing algorithm ${algorithm} is not one this playground signs with (1 CMAC, 2 GMAC)`,
  );
}

/** The message with SMB2_FLAGS_SIGNED set and its signature filled in. */
export function signMessage(message: Uint8Array, algorithm: number, key: Uint8Array): Uint8Array {
  if (message.length < HEADER_SIZE)
    throw new Smb2Error('an SMB2 message shorter than its header cannot be signed');
  const out = message.slice();
  const view = new DataView(out.buffer);
  view.setUint32(16, view.getUint32(16, true) | HeaderFlag.SIGNED, true);
  out.fill(0, SIGNATURE_OFFSET, SIGNATURE_OFFSET + 16);
  out.set(macOf(algorithm, key, out), SIGNATURE_OFFSET);
  return out;
}

/** True when the message's signature is the one `key` makes. */
export function verifySignature(message: Uint8Array, algorithm: number, key: Uint8Array): boolean {
  if (message.length < HEADER_SIZE) return false;
  const zeroed = message.slice();
  zeroed.fill(0, SIGNATURE_OFFSET, SIGNATURE_OFFSET + 16);
  return equalBytes(macOf(algorithm, key, zeroed), message.subarray(SIGNATURE_OFFSET, SIGNATURE_OFFSET + 16));
}

/** §3.1.4.3: the message sealed with AES-128-GCM under a 12-byte nonce (a 16-byte field, zero-padded). */
export function encryptMessage(
  message: Uint8Array,
  key: Uint8Array,
  nonce: Uint8Array,
  sessionId: bigint,
): Uint8Array {
  if (nonce.length !== 12) throw new Smb2Error(`an AES-128-GCM nonce is 12 bytes, not ${nonce.length}`);
  const aad = new LeWriter()
    .bytes(nonce)
    .zeros(4)
    .u32(message.length)
    .u16(0) // Reserved
    .u16(0x0001) // Flags: Encrypted (3.1.1)
    .u64(sessionId)
    .done();
  const sealed = gcm(key, nonce, aad).encrypt(message);
  const cipher = sealed.subarray(0, message.length);
  const tag = sealed.subarray(message.length);
  return concatBytes(TRANSFORM_MAGIC, tag, aad, cipher);
}

/** The SMB2 message inside a TRANSFORM_HEADER, checked against its tag. */
export function decryptMessage(transformed: Uint8Array, key: Uint8Array): Uint8Array {
  const r = new LeReader(transformed, 'SMB2 TRANSFORM_HEADER');
  if (!equalBytes(r.slice(0, 4, 'ProtocolId'), TRANSFORM_MAGIC)) {
    throw new Smb2Error('not an SMB2 TRANSFORM_HEADER: it does not start 0xFD "SMB"');
  }
  const tag = r.slice(4, 16, 'Signature');
  const aad = r.slice(20, 32, 'Nonce to SessionId');
  const size = r.u32(36, 'OriginalMessageSize');
  const cipher = r.slice(TRANSFORM_HEADER_SIZE, size, 'the encrypted message');
  try {
    return gcm(key, aad.subarray(0, 12), aad).decrypt(concatBytes(cipher, tag));
  } catch {
    throw new Smb2Error(
      'the TRANSFORM_HEADER does not open with this key: its AES-128-GCM tag does not match',
    );
  }
}
