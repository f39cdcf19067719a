/**
 * The Windows system errors the console shows (what `net helpmsg N` prints), and which one a failed
 * Kerberos sign-in becomes: one table for every Windows host, whatever its join.
 */

export const WINDOWS_ERRORS: Record<number, string> = {
  5: 'Access is denied.',
  53: 'The network path was not found.',
  67: 'The network name cannot be found.',
  87: 'The parameter is incorrect.',
  1311: 'There are currently no logon servers available to service the logon request.',
  1327: 'Account restrictions are preventing this user from signing in.',
  1326: 'The user name or password is incorrect.',
  1398: 'There is a time and/or date difference between the client and server.',
  2250: 'The network connection could not be found.',
};

/** "System error 53 has occurred. The network path was not found." */
export const systemError = (n: number) => `System error ${n} has occurred. ${WINDOWS_ERRORS[n] ?? ''}`.trim();

/**
 * The Windows error of a sign-in the KDC refused, by Kerberos error code: an unknown principal or a wrong
 * password is 1326 (Windows does not say which), a clock too far off is 1398.
 */
export const LOGON_ERRORS: Readonly<Record<number, number>> = { 6: 1326, 24: 1326, 37: 1398 };
