/**
 * The browser's own PBKDF2 (WebCrypto deriveBits), handed to the crypto layer's string-to-key as its
 * host PBKDF2 when the page builds a world: native code, several keys at once, so a scenario with a
 * hundred password principals is ready in seconds rather than half a minute of pure-JS PBKDF2. Undefined
 * where WebCrypto is missing (a page opened from file://): the pure-JS PBKDF2 then makes every key.
 */
import type { Pbkdf2Provider } from '../../crypto';

const subtle: SubtleCrypto | undefined = globalThis.crypto?.subtle;

export const webPbkdf2: Pbkdf2Provider | undefined = subtle
  ? async (hash, password, salt, iterations, dkLen) => {
      const key = await subtle.importKey('raw', password as Uint8Array<ArrayBuffer>, 'PBKDF2', false, [
        'deriveBits',
      ]);
      const bits = await subtle.deriveBits(
        { name: 'PBKDF2', hash, salt: salt as Uint8Array<ArrayBuffer>, iterations },
        key,
        dkLen * 8,
      );
      return new Uint8Array(bits);
    }
  : undefined;
