// Principal name types against RFC 4120 §6.2 / §7.5.8, RFC 6111 and the Windows SDK values.
import { describe, expect, test } from 'vitest';
import { NameType, nameTypes } from '../../../src/asn1/registry';

/** RFC 4120 §7.5.8 (the numbers of §6.2), with the §6.2 spelling. */
const RFC4120_NAME_TYPES: ReadonlyArray<readonly [number, string, string]> = [
  [0, 'NT-UNKNOWN', 'KRB_NT_UNKNOWN'],
  [1, 'NT-PRINCIPAL', 'KRB_NT_PRINCIPAL'],
  [2, 'NT-SRV-INST', 'KRB_NT_SRV_INST'],
  [3, 'NT-SRV-HST', 'KRB_NT_SRV_HST'],
  [4, 'NT-SRV-XHST', 'KRB_NT_SRV_XHST'],
  [5, 'NT-UID', 'KRB_NT_UID'],
  [6, 'NT-X500-PRINCIPAL', 'KRB_NT_X500_PRINCIPAL'],
  [7, 'NT-SMTP-NAME', 'KRB_NT_SMTP_NAME'],
  [10, 'NT-ENTERPRISE', 'KRB_NT_ENTERPRISE'],
];

describe('name types', () => {
  test.each(RFC4120_NAME_TYPES)('%i is %s (%s)', (value, name, tableName) => {
    expect(nameTypes.byValue(value)?.name).toBe(name);
    expect(nameTypes.byName(tableName)?.value).toBe(value);
  });

  test('well-known names (RFC 6111) are 11', () => {
    expect(NameType.NT_WELLKNOWN).toBe(11);
  });

  test('Microsoft’s name types are negative, as RFC 4120 leaves negatives for local use', () => {
    expect(NameType.NT_MS_PRINCIPAL).toBe(-128);
    expect(NameType.NT_MS_PRINCIPAL_AND_ID).toBe(-129);
    expect(NameType.NT_ENT_PRINCIPAL_AND_ID).toBe(-130);
    expect(nameTypes.describe(-128)).toBe('NT-MS-PRINCIPAL (-128)');
  });

  test('MIT’s spelling of the enterprise type resolves', () => {
    expect(nameTypes.byName('NT-ENTERPRISE-PRINCIPAL')?.value).toBe(10);
  });
});
