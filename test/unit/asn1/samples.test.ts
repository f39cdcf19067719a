/**
 * Every real and reference message in test/fixtures/vectors/messages.json (copied from the shared
 * vectors; sources named in each sample) decodes to the fields its source recorded and re-encodes to
 * the very same bytes.
 */
import { describe, expect, test } from 'vitest';
import fixture from '../../fixtures/vectors/messages.json';
import {
  addTcpPrefix,
  decodeKerberos,
  encodeKdcProxyMessage,
  encodeKerberos,
  encodeKrb5GssToken,
  encodeSpnego,
  oidToBytes,
} from '../../../src/asn1';
import type { DecodedKerberos, KerberosPdu, KrbNode } from '../../../src/asn1';
import { checkFields } from './fields';
import type { Json } from './fields';
import { fromHex, toHex } from '../../../src/util/bytes';

interface Sample {
  name: string;
  type: string;
  hex: string;
  expected: Json;
}
const samples = (fixture as unknown as { samples: Sample[] }).samples;

/** Fields describing the framing around the message (GSS-API, SPNEGO, KKDCP). */
function checkFraming(exp: Json, d: DecodedKerberos, label: string): Json {
  const rest: Json = {};
  for (const [k, want] of Object.entries(exp)) {
    const at = `${label}.${k}`;
    switch (k) {
      case 'gss_application_tag':
        expect(d.framing.includes('gssapi'), at).toBe(true);
        break;
      case 'mech_oid_hex':
        expect(toHex(oidToBytes(d.gss!.thisMech)), at).toBe(want);
        break;
      case 'tok_id_hex':
        expect(d.gss!.tokId.toString(16).padStart(4, '0'), at).toBe(want);
        break;
      case 'spnego_oid_hex':
        expect(d.framing[0], at).toBe('spnego');
        expect(toHex(oidToBytes('1.3.6.1.5.5.2')), at).toBe(want);
        break;
      case 'mech_types_hex':
        expect(
          (d.spnego as { negTokenInit: { mechTypes: string[] } }).negTokenInit.mechTypes.map((o) =>
            toHex(oidToBytes(o)),
          ),
          at,
        ).toEqual(want);
        break;
      case 'kerb_message_decoded':
        checkFields(want as Json, d.value as unknown as Json, appTagOf(d), at);
        break;
      case 'kerb_message_length':
        expect(d.kdcProxy!.kerbMessage.length, at).toBe(want);
        break;
      case 'target_domain':
        expect(d.kdcProxy!.targetDomain, at).toBe(want);
        break;
      case 'dclocator_hint_present':
        expect(d.kdcProxy!.dclocatorHint !== undefined, at).toBe(want);
        break;
      case 'kerb_message_note':
        break;
      default:
        rest[k] = want;
    }
  }
  return rest;
}

/** The [APPLICATION n] of the innermost message, read from its node in the tree. */
function appTagOf(d: DecodedKerberos): number {
  const find = (n: KrbNode): KrbNode | undefined =>
    n.name === d.type && n.tag.startsWith('[APPLICATION')
      ? n
      : n.children?.map(find).find((x) => x !== undefined);
  const node = find(d.tree);
  if (!node) throw new Error(`no ${d.type} node in the tree`);
  return Number(/(\d+)/.exec(node.tag)![1]);
}

/** Re-creates the input bytes from what was decoded: message, then its framing. */
function reencode(d: DecodedKerberos, input: Uint8Array): Uint8Array {
  const message = encodeKerberos(d as KerberosPdu);
  if (d.framing.length === 0) return message;
  if (d.framing[0] === 'kkdcp') {
    const inner = d.kdcProxy!.kerbMessage;
    const framed = inner.length === message.length ? message : addTcpPrefix(message);
    expect(toHex(framed)).toBe(toHex(inner));
    return encodeKdcProxyMessage(d.kdcProxy!);
  }
  if (d.framing[0] === 'spnego') {
    const init = (d.spnego as { negTokenInit: { mechToken: Uint8Array } }).negTokenInit;
    expect(
      toHex(encodeKrb5GssToken({ thisMech: d.gss!.thisMech, tokId: d.gss!.tokId, krbMessage: message })),
    ).toBe(toHex(init.mechToken));
    return encodeSpnego(d.spnego!);
  }
  if (d.framing[0] === 'gssapi')
    return encodeKrb5GssToken({ thisMech: d.gss!.thisMech, tokId: d.gss!.tokId, krbMessage: message });
  if (d.framing[0] === 'tcp') return addTcpPrefix(input.subarray(4));
  throw new Error(`framing ${d.framing.join(',')}`);
}

const TYPE_OF_SAMPLE: Record<string, string> = {
  'AP-REQ (GSS-API krb5 InitialContextToken)': 'AP-REQ',
  'AP-REQ (GSS-API krb5 InitialContextToken inside SPNEGO NegTokenInit)': 'AP-REQ',
  'KDC-PROXY-MESSAGE (MS-KKDCP)': 'AS-REQ',
};

describe('real and reference messages (messages.json)', () => {
  test('the fixture holds the 22 samples the vectors README lists', () => {
    expect(samples.length).toBe(22);
  });

  for (const s of samples) {
    describe(s.name, () => {
      const bytes = fromHex(s.hex);
      const d = decodeKerberos(bytes);

      test(`is recognised as ${s.type}`, () => {
        expect(d.type).toBe(TYPE_OF_SAMPLE[s.type] ?? s.type);
      });

      test('decodes to the fields its source recorded', () => {
        const rest = checkFraming(s.expected, d, s.name);
        checkFields(rest, d.value as unknown as Json, appTagOf(d), s.name);
      });

      test('re-encodes to the same bytes', () => {
        expect(toHex(reencode(d, bytes))).toBe(s.hex);
      });

      test('decodes the same with the 4-byte TCP length in front', () => {
        const framed = decodeKerberos(addTcpPrefix(bytes));
        expect(framed.framing).toEqual(['tcp', ...d.framing]);
        expect(framed.value).toEqual(d.value);
        expect(framed.tree.children![1]!.offset).toBe(4);
      });
    });
  }
});
