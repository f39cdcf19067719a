/**
 * Windows system errors the scenarios end with, explained the way a learner needs them: what
 * `net helpmsg N` prints (WINDOWS_ERRORS, from the scenario layer), then what it usually means when
 * Kerberos is involved, and where in the trace to look.
 */
import { WINDOWS_ERRORS } from '../../scenarios';

const WHY: Record<number, string> = {
  5: 'Authentication worked; authorization did not: the share or the file’s ACL refuses this user.',
  53: 'SMB could not reach TCP 445 on the server (a blocked port, a down host or link, or a name that does not resolve). Kerberos was never asked: look for the SMB2 NEGOTIATE that got no answer.',
  67: 'The server answered and authentication worked, but it has no share by that name.',
  1311: 'No KDC for the user’s realm answered (a DC down or unreachable), so there is no TGT.',
  1326: 'Kerberos gave SMB no ticket (no TGT, an unknown SPN, a KDC error), so SPNEGO fell back to NTLM, which this server refuses. The real cause is the Kerberos failure before it.',
  1398: 'The KDC refused the pre-authentication timestamp: the client’s clock is more than 5 minutes from the KDC’s (KRB_AP_ERR_SKEW, 37). Fix the clock (w32tm /resync).',
};

/** "System error 53: The network path was not found." */
export function windowsErrorText(n: number): string {
  return `System error ${n}: ${WINDOWS_ERRORS[n] ?? 'see net helpmsg'}`;
}

/** What the error usually means in a Kerberos story, or undefined when there is nothing to add. */
export function windowsErrorWhy(n: number): string | undefined {
  return WHY[n];
}
