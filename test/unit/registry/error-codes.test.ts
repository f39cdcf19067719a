// The error-code registry against RFC 4120 §7.5.9, typed in here from the RFC's own table, and against
// the codes later documents added (RFC 4556, RFC 6113).
import { describe, expect, expectTypeOf, test } from 'vitest';
import { ErrorCode, errorCodeHex, errorCodes } from '../../../src/asn1/registry';

/** RFC 4120 §7.5.9, every row, as the RFC spells it. */
const RFC4120_ERROR_CODES: ReadonlyArray<readonly [number, string]> = [
  [0, 'KDC_ERR_NONE'],
  [1, 'KDC_ERR_NAME_EXP'],
  [2, 'KDC_ERR_SERVICE_EXP'],
  [3, 'KDC_ERR_BAD_PVNO'],
  [4, 'KDC_ERR_C_OLD_MAST_KVNO'],
  [5, 'KDC_ERR_S_OLD_MAST_KVNO'],
  [6, 'KDC_ERR_C_PRINCIPAL_UNKNOWN'],
  [7, 'KDC_ERR_S_PRINCIPAL_UNKNOWN'],
  [8, 'KDC_ERR_PRINCIPAL_NOT_UNIQUE'],
  [9, 'KDC_ERR_NULL_KEY'],
  [10, 'KDC_ERR_CANNOT_POSTDATE'],
  [11, 'KDC_ERR_NEVER_VALID'],
  [12, 'KDC_ERR_POLICY'],
  [13, 'KDC_ERR_BADOPTION'],
  [14, 'KDC_ERR_ETYPE_NOSUPP'],
  [15, 'KDC_ERR_SUMTYPE_NOSUPP'],
  [16, 'KDC_ERR_PADATA_TYPE_NOSUPP'],
  [17, 'KDC_ERR_TRTYPE_NOSUPP'],
  [18, 'KDC_ERR_CLIENT_REVOKED'],
  [19, 'KDC_ERR_SERVICE_REVOKED'],
  [20, 'KDC_ERR_TGT_REVOKED'],
  [21, 'KDC_ERR_CLIENT_NOTYET'],
  [22, 'KDC_ERR_SERVICE_NOTYET'],
  [23, 'KDC_ERR_KEY_EXPIRED'],
  [24, 'KDC_ERR_PREAUTH_FAILED'],
  [25, 'KDC_ERR_PREAUTH_REQUIRED'],
  [26, 'KDC_ERR_SERVER_NOMATCH'],
  [27, 'KDC_ERR_MUST_USE_USER2USER'],
  [28, 'KDC_ERR_PATH_NOT_ACCEPTED'],
  [29, 'KDC_ERR_SVC_UNAVAILABLE'],
  [31, 'KRB_AP_ERR_BAD_INTEGRITY'],
  [32, 'KRB_AP_ERR_TKT_EXPIRED'],
  [33, 'KRB_AP_ERR_TKT_NYV'],
  [34, 'KRB_AP_ERR_REPEAT'],
  [35, 'KRB_AP_ERR_NOT_US'],
  [36, 'KRB_AP_ERR_BADMATCH'],
  [37, 'KRB_AP_ERR_SKEW'],
  [38, 'KRB_AP_ERR_BADADDR'],
  [39, 'KRB_AP_ERR_BADVERSION'],
  [40, 'KRB_AP_ERR_MSG_TYPE'],
  [41, 'KRB_AP_ERR_MODIFIED'],
  [42, 'KRB_AP_ERR_BADORDER'],
  [44, 'KRB_AP_ERR_BADKEYVER'],
  [45, 'KRB_AP_ERR_NOKEY'],
  [46, 'KRB_AP_ERR_MUT_FAIL'],
  [47, 'KRB_AP_ERR_BADDIRECTION'],
  [48, 'KRB_AP_ERR_METHOD'],
  [49, 'KRB_AP_ERR_BADSEQ'],
  [50, 'KRB_AP_ERR_INAPP_CKSUM'],
  [51, 'KRB_AP_PATH_NOT_ACCEPTED'],
  [52, 'KRB_ERR_RESPONSE_TOO_BIG'],
  [60, 'KRB_ERR_GENERIC'],
  [61, 'KRB_ERR_FIELD_TOOLONG'],
  [62, 'KDC_ERROR_CLIENT_NOT_TRUSTED'],
  [63, 'KDC_ERROR_KDC_NOT_TRUSTED'],
  [64, 'KDC_ERROR_INVALID_SIG'],
  [65, 'KDC_ERR_KEY_TOO_WEAK'],
  [66, 'KDC_ERR_CERTIFICATE_MISMATCH'],
  [67, 'KRB_AP_ERR_NO_TGT'],
  [68, 'KDC_ERR_WRONG_REALM'],
  [69, 'KRB_AP_ERR_USER_TO_USER_REQUIRED'],
  [70, 'KDC_ERR_CANT_VERIFY_CERTIFICATE'],
  [71, 'KDC_ERR_INVALID_CERTIFICATE'],
  [72, 'KDC_ERR_REVOKED_CERTIFICATE'],
  [73, 'KDC_ERR_REVOCATION_STATUS_UNKNOWN'],
  [74, 'KDC_ERR_REVOCATION_STATUS_UNAVAILABLE'],
  [75, 'KDC_ERR_CLIENT_NAME_MISMATCH'],
  [76, 'KDC_ERR_KDC_NAME_MISMATCH'],
];

describe('RFC 4120 §7.5.9 error codes', () => {
  test.each(RFC4120_ERROR_CODES)('%i is %s', (value, name) => {
    expect(errorCodes.byValue(value)?.name).toBe(name);
    expect(errorCodes.byName(name)?.value).toBe(value);
    expect((ErrorCode as Record<string, number>)[name]).toBe(value);
  });

  test('the codes a learner meets most carry their RFC names', () => {
    expect(errorCodes.byValue(24)?.name).toBe('KDC_ERR_PREAUTH_FAILED');
    expect(errorCodes.byValue(25)?.name).toBe('KDC_ERR_PREAUTH_REQUIRED');
    expect(errorCodes.byValue(37)?.name).toBe('KRB_AP_ERR_SKEW');
    expect(errorCodes.byValue(41)?.name).toBe('KRB_AP_ERR_MODIFIED');
    expect(errorCodes.byValue(68)?.name).toBe('KDC_ERR_WRONG_REALM');
  });

  test('the gaps of the RFC table stay gaps: 30, 43 and 53–59 are unknown', () => {
    for (const value of [30, 43, 53, 54, 55, 56, 57, 58, 59]) {
      expect(errorCodes.byValue(value)).toBeUndefined();
      expect(errorCodes.describe(value)).toBe(`unknown (${value})`);
    }
  });
});

describe('codes added after RFC 4120', () => {
  test('PKINIT (RFC 4556) adds 77–81', () => {
    expect(errorCodes.byValue(77)?.name).toBe('KDC_ERR_INCONSISTENT_KEY_PURPOSE');
    expect(errorCodes.byValue(78)?.name).toBe('KDC_ERR_DIGEST_IN_CERT_NOT_ACCEPTED');
    expect(errorCodes.byValue(79)?.name).toBe('KDC_ERR_PA_CHECKSUM_MUST_BE_INCLUDED');
    expect(errorCodes.byValue(80)?.name).toBe('KDC_ERR_DIGEST_IN_SIGNED_DATA_NOT_ACCEPTED');
    expect(errorCodes.byValue(81)?.name).toBe('KDC_ERR_PUBLIC_KEY_ENCRYPTION_NOT_SUPPORTED');
  });

  test('FAST (RFC 6113) adds 90–93', () => {
    expect(ErrorCode.KDC_ERR_PREAUTH_EXPIRED).toBe(90);
    expect(ErrorCode.KDC_ERR_MORE_PREAUTH_DATA_REQUIRED).toBe(91);
    expect(ErrorCode.KDC_ERR_PREAUTH_BAD_AUTHENTICATION_SET).toBe(92);
    expect(ErrorCode.KDC_ERR_UNKNOWN_CRITICAL_FAST_OPTIONS).toBe(93);
  });

  test('IAKERB adds 85 and 86; 82–84 and 87–89 are unassigned', () => {
    expect(errorCodes.byValue(85)?.name).toBe('KRB_AP_ERR_IAKERB_KDC_NOT_FOUND');
    expect(errorCodes.byValue(86)?.name).toBe('KRB_AP_ERR_IAKERB_KDC_NO_RESPONSE');
    for (const value of [82, 83, 84, 87, 88, 89]) expect(errorCodes.byValue(value)).toBeUndefined();
  });
});

describe('every error code teaches', () => {
  test.each(errorCodes.entries.map((e) => [e.value, e.name, e] as const))(
    '%i %s has a summary, cause and fix',
    (_v, _n, entry) => {
      expect(entry.summary.trim().length).toBeGreaterThan(10);
      expect(entry.cause.trim().length).toBeGreaterThan(10);
      expect(entry.fix.trim().length).toBeGreaterThan(5);
      expect(entry.source).toMatch(/RFC \d+|draft-/);
    },
  );

  test('clock skew tells the learner how to fix the clock', () => {
    const skew = errorCodes.byValue(ErrorCode.KRB_AP_ERR_SKEW);
    expect(skew?.summary).toMatch(/5 minutes/);
    expect(skew?.fix).toMatch(/w32tm \/resync/);
    expect(skew?.fix).toMatch(/chrony/);
  });

  test('pre-authentication required is explained as the normal first step, not a failure', () => {
    expect(errorCodes.byValue(25)?.summary).toMatch(/^Not a failure/);
  });
});

describe('names other implementations use', () => {
  test('MIT and Windows spellings find the same entries', () => {
    expect(errorCodes.byName('KDC_ERR_KEY_EXP')?.value).toBe(23);
    expect(errorCodes.byName('KDC_ERR_ETYPE_NOTSUPP')?.value).toBe(14);
    expect(errorCodes.byName('KDC_ERR_DH_KEY_PARAMETERS_NOT_ACCEPTED')?.value).toBe(65);
    expect(errorCodes.byName('kdc_err_unknown_critical_fast_option')?.value).toBe(93);
  });

  test('Windows event logs print codes in hex', () => {
    expect(errorCodeHex(24)).toBe('0x18');
    expect(errorCodeHex(ErrorCode.KRB_AP_ERR_SKEW)).toBe('0x25');
    expect(errorCodeHex(0)).toBe('0x0');
  });

  test('describe gives the name and number the way errors quote them', () => {
    expect(errorCodes.describe(32)).toBe('KRB_AP_ERR_TKT_EXPIRED (32)');
    expect(errorCodes.nameOf(9999)).toBe('unknown (9999)');
  });

  test('the constants carry literal types', () => {
    expectTypeOf(ErrorCode.KDC_ERR_PREAUTH_REQUIRED).toEqualTypeOf<25>();
  });
});
