// PA-DATA types against RFC 4120 §7.5.2 and the documents that extend the number space.
import { describe, expect, expectTypeOf, test } from 'vitest';
import { PaType, paTypes } from '../../../src/asn1/registry';

/** RFC 4120 §7.5.2, every numbered row ([reserved] 4 left out). */
const RFC4120_PA_TYPES: ReadonlyArray<readonly [number, string]> = [
  [1, 'PA-TGS-REQ'],
  [2, 'PA-ENC-TIMESTAMP'],
  [3, 'PA-PW-SALT'],
  [5, 'PA-ENC-UNIX-TIME'],
  [6, 'PA-SANDIA-SECUREID'],
  [7, 'PA-SESAME'],
  [8, 'PA-OSF-DCE'],
  [9, 'PA-CYBERSAFE-SECUREID'],
  [10, 'PA-AFS3-SALT'],
  [11, 'PA-ETYPE-INFO'],
  [12, 'PA-SAM-CHALLENGE'],
  [13, 'PA-SAM-RESPONSE'],
  [14, 'PA-PK-AS-REQ_OLD'],
  [15, 'PA-PK-AS-REP_OLD'],
  [16, 'PA-PK-AS-REQ'],
  [17, 'PA-PK-AS-REP'],
  [19, 'PA-ETYPE-INFO2'],
  [20, 'PA-USE-SPECIFIED-KVNO'],
  [21, 'PA-SAM-REDIRECT'],
  [22, 'PA-GET-FROM-TYPED-DATA'],
  [22, 'TD-PADATA'],
  [23, 'PA-SAM-ETYPE-INFO'],
  [24, 'PA-ALT-PRINC'],
  [30, 'PA-SAM-CHALLENGE2'],
  [31, 'PA-SAM-RESPONSE2'],
  [41, 'PA-EXTRA-TGT'],
  [101, 'TD-PKINIT-CMS-CERTIFICATES'],
  [102, 'TD-KRB-PRINCIPAL'],
  [103, 'TD-KRB-REALM'],
  [104, 'TD-TRUSTED-CERTIFIERS'],
  [105, 'TD-CERTIFICATE-INDEX'],
  [106, 'TD-APP-DEFINED-ERROR'],
  [107, 'TD-REQ-NONCE'],
  [108, 'TD-REQ-SEQ'],
  [128, 'PA-PAC-REQUEST'],
];

describe('PA-DATA types of RFC 4120 §7.5.2', () => {
  test.each(RFC4120_PA_TYPES)('%i is %s', (value, name) => {
    expect(paTypes.byName(name)?.value).toBe(value);
    expect(paTypes.byValue(value)).toBeDefined();
  });

  test('4 is reserved, so it is not a type', () => {
    expect(paTypes.byValue(4)).toBeUndefined();
  });
});

describe('PA-DATA types added by FAST, referrals, PKINIT and Microsoft', () => {
  test.each([
    [129, 'PA-FOR-USER'],
    [130, 'PA-S4U-X509-USER'],
    [133, 'PA-FX-COOKIE'],
    [136, 'PA-FX-FAST'],
    [137, 'PA-FX-ERROR'],
    [138, 'PA-ENCRYPTED-CHALLENGE'],
    [147, 'PA-PKINIT-KX'],
    [149, 'PA-REQ-ENC-PA-REP'],
    [150, 'PA-AS-FRESHNESS'],
    [151, 'PA-SPAKE'],
    [161, 'KERB-KEY-LIST-REQ'],
    [162, 'KERB-KEY-LIST-REP'],
    [165, 'PA-SUPPORTED-ENCTYPES'],
    [167, 'PA-PAC-OPTIONS'],
  ] as const)('%i is %s', (value, name) => {
    expect(paTypes.byValue(value)?.name).toBe(name);
  });

  test('constants are the numbers', () => {
    expect(PaType.PA_TGS_REQ).toBe(1);
    expect(PaType.PA_ENC_TIMESTAMP).toBe(2);
    expect(PaType.PA_PW_SALT).toBe(3);
    expect(PaType.PA_ETYPE_INFO).toBe(11);
    expect(PaType.PA_PK_AS_REQ).toBe(16);
    expect(PaType.PA_PK_AS_REP).toBe(17);
    expect(PaType.PA_ETYPE_INFO2).toBe(19);
    expect(PaType.PA_PAC_REQUEST).toBe(128);
    expect(PaType.PA_FX_FAST).toBe(136);
    expect(PaType.KERB_KEY_LIST_REQ).toBe(161);
    expect(PaType.PA_PAC_OPTIONS).toBe(167);
    expectTypeOf(PaType.PA_ENC_TIMESTAMP).toEqualTypeOf<2>();
  });

  test('the names people type without the PA- prefix or with IANA’s spelling still resolve', () => {
    expect(paTypes.byName('PW-SALT')?.value).toBe(3);
    expect(paTypes.byName('ETYPE-INFO2')?.value).toBe(19);
    expect(paTypes.byName('PA-FOR-X509-USER')?.value).toBe(130);
    expect(paTypes.byName('pa_enc_timestamp')?.value).toBe(2);
    expect(paTypes.byName('PA-SVR-REFERRAL-INFO')?.value).toBe(20);
  });
});
