// Authorization-data types against RFC 4120 §7.5.4 and the FAST and Microsoft additions.
import { describe, expect, test } from 'vitest';
import { AdType, adTypes } from '../../../src/asn1/registry';

/** RFC 4120 §7.5.4, every numbered row. */
const RFC4120_AD_TYPES: ReadonlyArray<readonly [number, string]> = [
  [1, 'AD-IF-RELEVANT'],
  [2, 'AD-INTENDED-FOR-SERVER'],
  [3, 'AD-INTENDED-FOR-APPLICATION-CLASS'],
  [4, 'AD-KDC-ISSUED'],
  [5, 'AD-AND-OR'],
  [6, 'AD-MANDATORY-TICKET-EXTENSIONS'],
  [7, 'AD-IN-TICKET-EXTENSIONS'],
  [8, 'AD-MANDATORY-FOR-KDC'],
  [64, 'OSF-DCE'],
  [65, 'SESAME'],
  [66, 'AD-OSF-DCE-PKI-CERTID'],
  [128, 'AD-WIN2K-PAC'],
  [129, 'AD-ETYPE-NEGOTIATION'],
];

describe('authorization-data types', () => {
  test.each(RFC4120_AD_TYPES)('%i is %s', (value, name) => {
    expect(adTypes.byValue(value)?.name).toBe(name);
  });

  test('the ASN.1 type name AD-KDCIssued finds the same entry as AD-KDC-ISSUED', () => {
    expect(adTypes.byName('AD-KDCIssued')?.value).toBe(4);
  });

  test('FAST (RFC 6113) marks armor and FAST use', () => {
    expect(AdType.AD_FX_FAST_ARMOR).toBe(71);
    expect(AdType.AD_FX_FAST_USED).toBe(72);
  });

  test('MS-KILE: token restrictions 141, KERB-LOCAL 142, AP options 143', () => {
    expect(adTypes.byValue(141)?.name).toBe('KERB-AUTH-DATA-TOKEN-RESTRICTIONS');
    expect(adTypes.byValue(142)?.name).toBe('KERB-LOCAL');
    expect(adTypes.byName('KERB_AUTH_DATA_LOOPBACK')?.value).toBe(142);
    expect(adTypes.byValue(143)?.name).toBe('AD-AUTH-DATA-AP-OPTIONS');
  });

  test('the PAC is 128', () => {
    expect(AdType.AD_WIN2K_PAC).toBe(128);
  });
});
