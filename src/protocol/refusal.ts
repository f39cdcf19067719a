/**
 * A refusal inside a KDC or service pipeline: thrown where a check fails, caught once by the handler, and
 * turned into a KRB-ERROR (RFC 4120 §5.9.1) with the code, the answerer's time and an e-text a learner
 * can read. The KDC and services answer refusals the same way, with `refusalReply`.
 */
import { encodeKrbError, type PrincipalName } from '../asn1';
import { ErrorCode, errorCodes, MessageType } from '../asn1/registry';
import { KrbPlayError } from '../util/errors';
import type { Narrator } from './events';
import { kerberosTimestamp } from '../asn1/time';

export class KerberosRefusal extends KrbPlayError {
  readonly code: number;
  readonly eData: Uint8Array | undefined;
  /** Where the error is about, when it is not the request's own server (e.g. an unknown realm). */
  readonly sname: PrincipalName | undefined;

  constructor(code: number, text: string, eData?: Uint8Array, sname?: PrincipalName) {
    super('kerberos', `${text} (${errorCodes.nameOf(code)}, ${code})`, code);
    this.code = code;
    this.eData = eData;
    this.sname = sname;
  }

  /** The e-text: the explanation without the code, which the KRB-ERROR carries itself. */
  get eText(): string {
    return this.message.replace(/ \([A-Z_0-9]+, \d+\)$/, '');
  }
}

/**
 * What a pipeline caught, as a refusal: a refusal as it is; any other typed error (a lower layer's, that a
 * check missed) with its message; anything else (a bug) as an internal error. Either way the answer is a
 * KRB-ERROR (KRB_ERR_GENERIC), never a crash.
 */
export function asRefusal(e: unknown): KerberosRefusal {
  if (e instanceof KerberosRefusal) return e;
  const text =
    e instanceof KrbPlayError ? e.message : `internal error: ${e instanceof Error ? e.message : String(e)}`;
  return new KerberosRefusal(ErrorCode.KRB_ERR_GENERIC, text);
}

/** Who answers with the KRB-ERROR, and about what (RFC 4120 §5.9.1). */
export interface Answerer {
  /** The answerer's clock, ms: stime and susec. */
  now: number;
  /** The realm and server the error names, unless the refusal names another server. */
  realm: string;
  sname: PrincipalName;
  /** The client, when known. */
  client?: { realm: string; name: PrincipalName };
}

/** Narrates the refusal (the stage that refused says why) and encodes its KRB-ERROR. */
export function refusalReply(r: KerberosRefusal, say: Narrator, by: Answerer): Uint8Array {
  say.say('refuse', r.message, false);
  const { time, usec } = kerberosTimestamp(by.now);
  return encodeKrbError({
    pvno: 5,
    msgType: MessageType.KRB_ERROR,
    stime: time,
    susec: usec,
    errorCode: r.code,
    realm: by.realm,
    sname: r.sname ?? by.sname,
    eText: r.eText,
    ...(by.client ? { crealm: by.client.realm, cname: by.client.name } : {}),
    ...(r.eData ? { eData: r.eData } : {}),
  });
}
