// The cloud SID of an Entra object (src/azure/cloud-sid.ts), checked against values worked out by hand.
import { describe, expect, test } from 'vitest';
import { cloudSidFromObjectId } from '../../../src/azure/cloud-sid';
import { KrbPlayInputError } from '../../../src/util/errors';

describe('cloudSidFromObjectId', () => {
  test('reads the GUID bytes as four little-endian uint32s', () => {
    // Data1 f82d79af → 0xf82d79af = 4163729839; Data2 1278 and Data3 4894 are stored 78 12 94 48 →
    // 0x48941278 = 1217663608; bytes ac 01 d9 0e → 0x0ed901ac = 249102764; 30 87 5c f8 → 0xf85c8730 = 4166813488.
    expect(cloudSidFromObjectId('f82d79af-1278-4894-ac01-d90e30875cf8')).toBe(
      'S-1-12-1-4163729839-1217663608-249102764-4166813488',
    );
  });

  test('upper-case hex and surrounding spaces give the same SID', () => {
    expect(cloudSidFromObjectId('  F82D79AF-1278-4894-AC01-D90E30875CF8 ')).toBe(
      cloudSidFromObjectId('f82d79af-1278-4894-ac01-d90e30875cf8'),
    );
  });

  test('a sub-authority with the high bit set stays unsigned', () => {
    // ffffffff… → every uint32 is 4294967295, never -1.
    expect(cloudSidFromObjectId('ffffffff-ffff-ffff-ffff-ffffffffffff')).toBe(
      'S-1-12-1-4294967295-4294967295-4294967295-4294967295',
    );
  });

  test.each(['', 'not-a-guid', 'f82d79af12784894ac01d90e30875cf8', 'f82d79af-1278-4894-ac01-d90e30875cf'])(
    'refuses %j with a typed error that shows the expected form',
    (bad) => {
      expect(() => cloudSidFromObjectId(bad)).toThrow(KrbPlayInputError);
      expect(() => cloudSidFromObjectId(bad)).toThrow(/8-4-4-4-12 hex digits/);
    },
  );
});
