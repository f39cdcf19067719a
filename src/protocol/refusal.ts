/**
 * A refusal inside a KDC or service pipeline: thrown where a check fails, caught once by the handler, and
 * turned into a KRB-ERROR (RFC 4120 §5.9.1) with the code, the answerer's time and an e-text a learner
 * can read.
 */
import { errorCodes } from '../asn1/registry';
import type { PrincipalName } from '../asn1';
import { KrbPlayError } from '../util/errors';

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
