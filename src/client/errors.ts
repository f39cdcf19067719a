/**
 * What can go wrong for a client, one class per failure class, each with the Kerberos error code where
 * there is one and a message a learner can act on. A KRB-ERROR from a KDC keeps its e-text; a reply
 * that fails a check names the check; a referral chase that runs away names the realms it went through.
 */
import { errorCodes } from '../asn1/registry';
import { KrbPlayError } from '../util/errors';

export type ClientErrorKind = 'kdc' | 'reply' | 'transport' | 'referral' | 'credentials' | 'ap' | 'input';

/** The root of the client's errors: `kind` says which family, `code` the RFC 4120 §7.5.9 code if any. */
export class ClientError extends KrbPlayError {
  readonly kind: ClientErrorKind;
  readonly code: number | undefined;

  constructor(kind: ClientErrorKind, message: string, code?: number) {
    super(`client-${kind}`, message, code);
    this.kind = kind;
    this.code = code;
  }
}

/** "KDC_ERR_PREAUTH_FAILED, 24", the way the playground writes a code beside its name. */
export function codeText(code: number): string {
  return `${errorCodes.nameOf(code)}, ${code}`;
}

/** What the client makes of the codes a learner meets most, before the KDC's own words. */
const LEAD: Record<number, string> = {
  6: 'the KDC does not know this user (check the spelling and the realm)',
  7: 'the KDC does not know this service principal name (no account holds the SPN)',
  12: 'the KDC refused by policy',
  14: 'the client and the KDC have no encryption type in common',
  18: 'the account is disabled or locked out',
  23: 'the password has expired and must be changed',
  24: 'pre-authentication failed: the password is wrong',
  31: 'a message failed its integrity check',
  32: 'the ticket has expired',
  33: 'the ticket is not yet valid',
  34: 'the KDC saw this very authenticator before (a replay)',
  37: "the client's clock and the KDC's clock are too far apart",
  41: 'the message was modified on the way',
  44: 'the key version does not match: the key was changed since the ticket was made',
  68: 'the request went to the wrong realm',
};

/** A KRB-ERROR from a KDC (RFC 4120 §5.9.1): the code, the KDC's e-text and its clock reading. */
export class KdcError extends ClientError {
  /** The realm whose KDC refused. */
  readonly realm: string;
  /** The e-text, the KDC's own explanation, when it sent one. */
  readonly eText: string | undefined;
  /** The KDC's clock when it refused (stime/susec), in ms. */
  readonly kdcTime: number;
  /** What was being asked for ("a TGT for alice@EXAMPLE.TEST", "a ticket for cifs/fs1…"). */
  readonly asked: string;

  constructor(code: number, realm: string, asked: string, kdcTime: number, eText?: string) {
    const lead = LEAD[code] ?? errorCodes.byValue(code)?.summary.replace(/\.$/, '') ?? 'the KDC refused';
    super(
      'kdc',
      `${lead} (${codeText(code)}): the KDC of ${realm} refused ${asked}` +
        (eText ? ` and said: "${eText}"` : ', without an explanation (no e-text)'),
      code,
    );
    this.realm = realm;
    this.eText = eText;
    this.kdcTime = kdcTime;
    this.asked = asked;
  }
}

/** Which check a reply failed. */
export type ReplyCheck =
  | 'decode'
  | 'message-type'
  | 'decrypt'
  | 'nonce'
  | 'client'
  | 'server'
  | 'realm'
  | 'times'
  | 'enc-pa-rep'
  | 'preauth'
  /** The salt information asks for a string-to-key the client refuses (2^24 PBKDF2 iterations or more). */
  | 's2kparams';

/**
 * A reply that does not hold up (RFC 4120 §3.1.5, §3.3.4): it does not decrypt, answers another request
 * (nonce), names another client or server, or carries impossible times. The client drops it.
 */
export class ReplyCheckError extends ClientError {
  readonly check: ReplyCheck;
  constructor(check: ReplyCheck, message: string, code?: number) {
    super('reply', code === undefined ? message : `${message} (${codeText(code)})`, code);
    this.check = check;
  }
}

/** No answer: the caller's transport timed out or found no route to any KDC of the realm. */
export class TransportError extends ClientError {
  readonly failure: 'timeout' | 'unreachable';
  readonly realm: string;
  constructor(failure: 'timeout' | 'unreachable', realm: string, detail?: string) {
    super(
      'transport',
      `no KDC of ${realm} answered: ${failure === 'timeout' ? 'the request timed out' : 'no KDC could be reached'}` +
        (detail ? ` (${detail})` : ''),
    );
    this.failure = failure;
    this.realm = realm;
  }
}

/** A referral chase that had to stop: too many hops, a realm seen twice, or a referral that goes nowhere. */
export class ReferralError extends ClientError {
  readonly reason: 'hop-limit' | 'loop' | 'bad-referral';
  /** The realms asked, in order, ending with the one that would have come next. */
  readonly path: string[];
  readonly limit: number;
  constructor(reason: 'hop-limit' | 'loop' | 'bad-referral', path: string[], limit: number, detail: string) {
    super('referral', `${detail} (path: ${path.join(' → ')})`);
    this.reason = reason;
    this.path = path;
    this.limit = limit;
  }
}

/** The credential cache cannot serve the request: no TGT, or the ticket it holds has expired. */
export class CredentialError extends ClientError {
  readonly reason: 'no-tgt' | 'expired' | 'no-credential';
  constructor(reason: 'no-tgt' | 'expired' | 'no-credential', message: string, code?: number) {
    super('credentials', code === undefined ? message : `${message} (${codeText(code)})`, code);
    this.reason = reason;
  }
}

/** The AP exchange failed: the service refused (KRB-ERROR) or its AP-REP does not prove it knows the key. */
export class ApError extends ClientError {
  constructor(message: string, code?: number) {
    super('ap', code === undefined ? message : `${message} (${codeText(code)})`, code);
  }
}

/** The caller asked for something the client cannot do (a malformed name, a step with nothing in flight). */
export class ClientInputError extends ClientError {
  constructor(message: string) {
    super('input', message);
  }
}
