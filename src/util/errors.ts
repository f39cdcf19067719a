/**
 * The root of every error the playground throws on purpose. Each failure class has its own subclass
 * with a message a learner can read; anything else escaping the core is a bug.
 */
export class KrbPlayError extends Error {
  /** A stable, machine-readable category ("input", "integrity", "decode", "kdc", …). */
  readonly category: string;
  /** The Kerberos error code (RFC 4120 §7.5.9) when the failure has one. */
  readonly krbErrorCode: number | undefined;

  constructor(category: string, message: string, krbErrorCode?: number) {
    super(message);
    this.name = new.target.name;
    this.category = category;
    this.krbErrorCode = krbErrorCode;
  }
}

/** Input the user or a caller gave that cannot be used (bad hex, unknown enctype, wrong key size). */
export class KrbPlayInputError extends KrbPlayError {
  constructor(message: string) {
    super('input', message);
  }
}
