// Shared fixtures for the decoder tests: the real samples of messages.json and keytab entries made from
// the keys they record.
import fixture from '../../fixtures/vectors/messages.json';
import type { KeytabEntry } from '../../../src/formats';
import { parsePrincipal } from '../../../src/asn1/principal';
import { fromHex } from '../../../src/util/bytes';

export interface Sample {
  name: string;
  type: string;
  hex: string;
  expected: Record<string, unknown>;
  keys?: Record<string, unknown>;
  helper_derived?: Record<string, unknown>;
}

export const samples = (fixture as unknown as { samples: Sample[] }).samples;
export const sample = (name: string): Sample => samples.find((s) => s.name === name)!;
export const bytesOf = (name: string): Uint8Array => fromHex(sample(name).hex);

/** A keytab entry as a keytab file would hold it. */
export function entry(
  principal: string,
  etype: number,
  hex: string,
  kvno: number,
  nameType = 1,
): KeytabEntry {
  return {
    principal: parsePrincipal(principal, undefined, nameType),
    timestamp: 0,
    kvno,
    key: { etype, bytes: fromHex(hex) },
  };
}

export const CORP = 'CORP.IDENTITYINTERVENTION.COM';
export const KNET_KRBTGT = entry(
  `krbtgt/${CORP}@${CORP}`,
  18,
  'ef7422cb49e2f5b09292cbd825c295249f2a31465dc9ab4a3080edf3168a8857',
  2,
  2,
);
export const KNET_USER = `testuser@${CORP}`;
export const KNET_PASSWORD = 'P@ssw0rd!';
