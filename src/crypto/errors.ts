/**
 * Typed crypto failures. Each names the enctype and, where there is one, the key usage, in words a
 * learner can act on.
 */
import { KrbPlayError } from '../util/errors';
import { describeEnctype, ENCTYPE_NAMES } from './names';
import { describeKeyUsage } from './keyusage';

/**
 * The HMAC over a ciphertext or a checksum did not match: wrong key, wrong key usage, or changed bytes.
 * Carries KRB_AP_ERR_BAD_INTEGRITY (31, RFC 4120 §7.5.9), the code a KDC or service answers with.
 */
export class IntegrityError extends KrbPlayError {
  readonly etype: number;
  readonly usage: number;

  constructor(etype: number, usage: number, what: 'ciphertext' | 'checksum' = 'ciphertext') {
    super(
      'integrity',
      `integrity check failed on a ${what} (${describeEnctype(etype)}, key usage ${describeKeyUsage(usage)}): ` +
        `the key is wrong, the key usage is wrong, or the bytes were changed (KRB_AP_ERR_BAD_INTEGRITY, 31)`,
      31,
    );
    this.etype = etype;
    this.usage = usage;
  }
}

/**
 * The enctype or checksum type is unknown or not implemented (KDC_ERR_ETYPE_NOSUPP, 14).
 * `label` names it ("enctype des3-cbc-sha1 (16)", "checksum type rsa-md5 (7)"); by default the enctype.
 */
export class UnsupportedEnctypeError extends KrbPlayError {
  readonly etype: number;

  constructor(etype: number, reason: string, label?: string) {
    const what = label ?? (ENCTYPE_NAMES[etype] ? `enctype ${describeEnctype(etype)}` : `enctype ${etype}`);
    super('crypto', `${what} ${reason} (KDC_ERR_ETYPE_NOSUPP, 14)`, 14);
    this.etype = etype;
  }
}

/** A key, ciphertext or parameter has the wrong shape (a 20-byte AES key, a 10-byte ciphertext…). */
export class CryptoInputError extends KrbPlayError {
  constructor(message: string) {
    super('crypto', message);
  }
}
