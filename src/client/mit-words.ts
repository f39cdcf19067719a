/**
 * MIT krb5's words for what goes wrong (krb5_err.et, kinit.c, kvno.c): `krbplay kinit`/`kvno` and the
 * playground's Linux host (world/linux-host.ts) print a client failure as MIT's tools print it, so that
 * what a learner reads is what they will meet on a real host.
 */
import { ClientError, CredentialError, KdcError, ReplyCheckError, TransportError } from './errors';

/** krb5_err.et: what MIT's tools print for the KDC's error codes (RFC 4120 §7.5.9). */
const MIT_TEXT: Record<number, string> = {
  1: "Client's entry in database has expired",
  2: "Server's entry in database has expired",
  3: 'Requested protocol version not supported',
  4: "Client's key is encrypted in an old master key",
  5: "Server's key is encrypted in an old master key",
  6: 'Client not found in Kerberos database',
  7: 'Server not found in Kerberos database',
  8: 'Principal has multiple entries in Kerberos database',
  9: 'Client or server has a null key',
  10: 'Ticket is ineligible for postdating',
  11: 'Requested effective lifetime is negative or too short',
  12: 'KDC policy rejects request',
  13: "KDC can't fulfill requested option",
  14: 'KDC has no support for encryption type',
  15: 'KDC has no support for checksum type',
  16: 'KDC has no support for padata type',
  17: 'KDC has no support for transited type',
  18: "Client's credentials have been revoked",
  19: 'Credentials for server have been revoked',
  20: 'TGT has been revoked',
  21: 'Client not yet valid - try again later',
  22: 'Server not yet valid - try again later',
  23: 'Password has expired',
  24: 'Preauthentication failed',
  25: 'Additional pre-authentication required',
  26: "Requested server and ticket don't match",
  27: 'Server principal valid for user2user only',
  28: 'KDC policy rejects transited path',
  29: 'A service is not available that is required to process the request',
  31: 'Decrypt integrity check failed',
  32: 'Ticket expired',
  33: 'Ticket not yet valid',
  34: 'Request is a replay',
  35: "The ticket isn't for us",
  36: "Ticket/authenticator don't match",
  37: 'Clock skew too great',
  38: 'Incorrect net address',
  39: 'Protocol version mismatch',
  40: 'Invalid message type',
  41: 'Message stream modified',
  42: 'Message out of order',
  44: 'Key version is not available',
  45: 'Service key not available',
  46: 'Mutual authentication failed',
  47: 'Incorrect message direction',
  48: 'Alternative authentication method required',
  49: 'Incorrect sequence number in message',
  50: 'Inappropriate type of checksum in message',
  51: 'Policy rejects transited path',
  52: 'Response too big for UDP, retry with TCP',
  60: 'Generic error (see e-text)',
  61: 'Field is too long for this implementation',
};

/**
 * One line in MIT's words for a client failure, ending as MIT's tools end theirs: kinit "while getting
 * initial credentials", kvno "while getting credentials for SERVICE". Where MIT has no words of its own
 * the playground's explanation stands in.
 */
export function mitMessage(
  error: ClientError,
  op: { kind: 'kinit'; principal: string } | { kind: 'kvno'; service: string },
): string {
  const tail =
    op.kind === 'kinit'
      ? ' while getting initial credentials'
      : ` while getting credentials for ${op.service}`;
  if (error instanceof TransportError) return `Cannot contact any KDC for realm '${error.realm}'${tail}`;
  if (error instanceof KdcError) {
    const code = error.code!;
    if (op.kind === 'kinit' && code === 6)
      return `Client '${op.principal}' not found in Kerberos database${tail}`;
    if (op.kind === 'kinit' && (code === 24 || code === 31)) return `Password incorrect${tail}`;
    const text = MIT_TEXT[code];
    return text ? `${text}${tail}` : `${error.message}${tail}`;
  }
  if (error instanceof ReplyCheckError) {
    if (op.kind === 'kinit' && error.check === 'decrypt' && error.code === 31)
      return `Password incorrect${tail}`;
    // MIT's words for KRB5_ERR_BAD_S2K_PARAMS (kinit refuses 2^24 iterations or more the same way)
    if (error.check === 's2kparams')
      return `Invalid key generation parameters from KDC${tail} (${error.message})`;
    if (error.check === 'times' && /skew|clock/i.test(error.message))
      return `Clock skew too great in KDC reply${tail} (${error.message})`;
    return `KDC reply did not match expectations${tail} (${error.message})`;
  }
  if (error instanceof CredentialError && error.reason === 'expired')
    return `Ticket expired${tail} (${error.message})`;
  return `${error.message}${tail}`;
}
