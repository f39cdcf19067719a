/** Enctype names for the page's controls (the numbers Active Directory and MIT use, RFC 3961/3962/8009). */
const NAMES: Readonly<Record<number, string>> = {
  17: 'AES128-CTS-HMAC-SHA1-96',
  18: 'AES256-CTS-HMAC-SHA1-96',
  19: 'AES128-CTS-HMAC-SHA256-128',
  20: 'AES256-CTS-HMAC-SHA384-192',
  23: 'RC4-HMAC',
};

/** "AES256-CTS-HMAC-SHA1-96 (18)". */
export const etypeLabel = (e: number): string => `${NAMES[e] ?? 'enctype'} (${e})`;

/** "AES256, AES128 (18, 17)" style short list, or `none` when empty. */
export const etypeListText = (etypes: readonly number[] | undefined, none = 'not set'): string =>
  etypes && etypes.length > 0 ? etypes.map(etypeLabel).join(', ') : none;
