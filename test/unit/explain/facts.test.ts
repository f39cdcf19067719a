// The teaching text agrees with the specifications it cites and with the project's own registries: the
// explanations of fields (formats/explain), the key usages (crypto/keyusage.ts), the error codes and the
// PA-DATA types (asn1/registry). Each test here pins a fact a review found stated wrongly.
import { describe, expect, test } from 'vitest';
import { CATALOGUE, explainPath, specLinks, type Shape } from '../../../src/formats/explain';
import { findKeyUsage, KEY_USAGES, KeyUsage } from '../../../src/crypto';
import { errorCodes, messageTypes, paTypes, ticketFlags } from '../../../src/asn1/registry';

/** Every sentence of the catalogue, with where it stands. */
function sentences(): { at: string; words: string }[] {
  const out: { at: string; words: string }[] = [];
  for (const [name, shape] of Object.entries(CATALOGUE) as [string, Shape][]) {
    out.push({ at: name, words: shape.words });
    for (const [field, f] of Object.entries(shape.fields ?? {}))
      out.push({ at: `${name}.${field}`, words: f.words });
  }
  return out;
}

const fieldOf = (shape: string, field: string) => {
  const f = CATALOGUE[shape]?.fields?.[field];
  if (!f) throw new Error(`the catalogue has no ${shape}.${field}`);
  return f;
};

describe('key usages', () => {
  test('every key usage an explanation names is one the key-usage registry knows', () => {
    const named: string[] = [];
    for (const { at, words } of sentences()) {
      for (const m of words.matchAll(/key usages? ((?:\d+)(?:(?:, | or | and )\d+)*)/g)) {
        for (const n of m[1]!.split(/, | or | and /)) {
          named.push(`${at}: ${n}`);
          expect(findKeyUsage(Number(n)), `${at} names key usage ${n}`).toBeDefined();
        }
      }
    }
    // the check is not empty: the catalogue names a dozen usages
    expect(named.length).toBeGreaterThan(10);
  });

  test("FAST's ticket checksum is keyed with KEY_USAGE_FAST_FINISHED (53), not 56 (RFC 6113 §5.4.3)", () => {
    const words = fieldOf('KrbFastFinished', 'ticket-checksum').words;
    expect(words).toContain(`key usage ${KeyUsage.FAST_FINISHED}`);
    expect(KeyUsage.FAST_FINISHED).toBe(53);
  });

  test("56 is RFC 6806's KEY_USAGE_AS_REQ, the one the KDC and client use for PA-REQ-ENC-PA-REP", () => {
    expect(findKeyUsage(56)).toMatchObject({ name: 'AS_REQ', source: 'RFC 6806 §11' });
  });

  test('the numbers RFC 4120 §7.5.1 reserves (18, 20, 21) are sourced to MIT, not to the RFC alone', () => {
    for (const n of [18, 20, 21]) expect(findKeyUsage(n)?.source).toMatch(/^MIT krb5/);
  });

  test('KEY_USAGE_FINISHED (41) is not an RFC 6113 number; 54 and 55 are in its §5.4.6', () => {
    expect(findKeyUsage(41)?.source).not.toMatch(/RFC 6113/);
    expect(findKeyUsage(41)?.source).toMatch(/pku2u/);
    expect(findKeyUsage(54)?.source).toBe('RFC 6113 §5.4.6');
    expect(findKeyUsage(55)?.source).toBe('RFC 6113 §5.4.6');
  });

  test("27 keys the checksum of a reply's PA-S4U-X509-USER", () => {
    expect(findKeyUsage(27)?.description).toMatch(/checksum in a reply/);
    expect(new Set(KEY_USAGES.map((u) => u.usage)).size).toBe(KEY_USAGES.length);
  });
});

describe('fields', () => {
  test('LastReq: lr-type 6 is when the password will expire and 7 the account (RFC 4120 §5.4.2)', () => {
    const words = fieldOf('LastReq entry', 'lr-type').words;
    expect(words).toMatch(/6 when the password will expire/);
    expect(words).toMatch(/7 when the account will expire/);
    expect(fieldOf('EncASRepPart', 'last-req').words).not.toMatch(/last password change/);
  });

  test('FAST: finished is in AS and TGS replies, and a TGS-REP must strengthen its reply key (RFC 6113 §5.4.3)', () => {
    expect(fieldOf('KrbFastResponse', 'finished').words).toMatch(/AS-REP and TGS-REP/);
    expect(fieldOf('KrbFastResponse', 'strengthen-key').words).toMatch(/required in a TGS-REP/);
    expect(CATALOGUE['KrbFastResponse']!.words).not.toMatch(/for an AS-REP/);
    expect(CATALOGUE['PA-FX-FAST-REPLY']!.words).not.toMatch(/for an AS-REP/);
  });

  test("additional-tickets points at MS-SFU's S4U2proxy request, not at PA_S4U_X509_USER (§2.2.2)", () => {
    const ref = fieldOf('KDC-REQ-BODY', 'additional-tickets').ref;
    expect(ref).toContain('MS-SFU §3.1.5.2.1');
    expect(ref).not.toContain('MS-SFU §2.2.2');
    const sfu = specLinks(ref).find((l) => l.text.startsWith('MS-SFU'));
    expect(sfu?.url).toContain('ddb2cafd-1f01-4834-b52a-d4a5b34cd960');
  });

  test('the default salt is RFC 4120 §4, not RFC 3962', () => {
    const ref = fieldOf('ETYPE-INFO2-ENTRY', 'salt').ref;
    expect(ref).toContain('RFC 4120 §4');
    expect(ref).not.toContain('RFC 3962');
  });

  test('explainPath gives the corrected words to the inspector', () => {
    const e = explainPath(['KrbFastFinished', 'ticket-checksum']);
    expect(e?.words ?? '').toContain('key usage 53');
  });
});

describe('message types and flags', () => {
  test('a TGS-REP may carry a referral TGT, and may be encrypted in the authenticator’s subkey (RFC 4120 §5.4.2)', () => {
    const summary = messageTypes.byName('TGS-REP')!.summary;
    expect(summary).toMatch(/referral TGT/);
    expect(summary).toMatch(/subkey/);
  });

  test('forwardable is explained for any ticket, not for a TGT alone (RFC 4120 §2.6, MS-SFU)', () => {
    const summary = ticketFlags.byValue(1)!.summary;
    expect(summary).not.toMatch(/^This TGT/);
    expect(summary).toMatch(/service ticket/);
  });
});

describe('error codes and PA-DATA types', () => {
  test("MIT's principal flags map to the codes MIT sends (kdc_util.c validate_as_request)", () => {
    expect(errorCodes.byValue(12)?.cause).not.toMatch(/allow_tix/);
    expect(errorCodes.byValue(12)?.cause).toMatch(/allow_proxiable/);
    expect(errorCodes.byValue(18)?.cause).toMatch(/allow_tix/);
    expect(errorCodes.byValue(19)?.cause).not.toMatch(/allow_svr\)/);
    expect(errorCodes.byValue(27)?.cause).toMatch(/allow_svr/);
    expect(errorCodes.byValue(7)?.cause).toMatch(/allow_tix/);
  });

  test('KERB-KEY-LIST-REQ asks for keys for legacy single sign-on, inside a TGS-REQ for krbtgt (MS-KILE §2.2.11)', () => {
    expect(paTypes.byValue(161)?.summary).toMatch(/TGS-REQ for krbtgt/);
    expect(CATALOGUE['KERB-KEY-LIST-REQ']!.words).not.toMatch(/from a read-only DC/);
  });
});
