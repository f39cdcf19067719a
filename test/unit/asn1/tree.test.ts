/**
 * The tree the inspector draws: every field keeps its RFC name, tag, offset and length, so the UI can
 * light up the bytes of a field and name the field of a byte. Offsets count from the outermost input,
 * through every framing and every OCTET STRING that holds DER.
 */
import { describe, expect, test } from 'vitest';
import fixture from '../../fixtures/vectors/messages.json';
import { addTcpPrefix, decodeKerberos, nodePathAt } from '../../../src/asn1';
import type { KrbNode } from '../../../src/asn1';
import { fromHex } from '../../../src/util/bytes';

const samples = (fixture as unknown as { samples: { name: string; hex: string }[] }).samples;
const bytesOf = (name: string) => fromHex(samples.find((s) => s.name === name)!.hex);
const names = (path: KrbNode[]) => path.map((n) => n.name);

function find(n: KrbNode, name: string): KrbNode | undefined {
  if (n.name === name) return n;
  for (const c of n.children ?? []) {
    const f = find(c, name);
    if (f) return f;
  }
  return undefined;
}

describe('the field tree', () => {
  test('a field node covers its tag, length and content bytes, and holds its value', () => {
    const input = bytesOf('knet-krb-error-preauth-required');
    const d = decodeKerberos(input);
    const code = find(d.tree, 'error-code')!;
    expect(code).toEqual({ name: 'error-code', tag: '[6]', offset: 42, length: 5, value: 25 });
    // a6 03 02 01 19: [6] { INTEGER 25 }
    expect(Array.from(input.subarray(code.offset, code.offset + code.length))).toEqual([
      0xa6, 0x03, 0x02, 0x01, 0x19,
    ]);
  });

  test('every byte of a real TGS-REQ belongs to a named field, down to the innermost', () => {
    const input = bytesOf('knet-tgs-req-s4u2self');
    const d = decodeKerberos(input);
    for (let i = 0; i < input.length; i++) expect(nodePathAt(d.tree, i).length).toBeGreaterThan(0);
    // A byte of the service name inside the TGT inside PA-TGS-REQ inside padata.
    const sname = find(find(d.tree, 'AP-REQ')!, 'name-string[1]')!;
    expect(names(nodePathAt(d.tree, sname.offset + 3))).toEqual([
      'TGS-REQ',
      'padata',
      'padata[0]',
      'padata-value',
      'AP-REQ',
      'ticket',
      'sname',
      'name-string',
      'name-string[1]',
    ]);
  });

  test('times read as ISO-8601 UTC, flags as hex, bytes as hex', () => {
    const d = decodeKerberos(bytesOf('knet-as-req-no-preauth'));
    expect(find(d.tree, 'till')!.value).toBe('2037-09-13T02:48:05Z');
    expect(find(d.tree, 'kdc-options')!.value).toBe('40810010');
    expect(find(d.tree, 'address')!.value).toBe('41505030332020202020202020202020');
  });

  test('offsets stay relative to the outermost input through the TCP mark, SPNEGO and GSS-API', () => {
    const input = bytesOf('knet-gss-aes128-spnego');
    const plain = decodeKerberos(input);
    const framed = decodeKerberos(addTcpPrefix(input));
    const a = find(plain.tree, 'authenticator')!;
    const b = find(framed.tree, 'authenticator')!;
    expect(b.offset).toBe(a.offset + 4);
    expect(names(nodePathAt(framed.tree, b.offset))).toEqual([
      'tcp-record',
      'InitialContextToken',
      'NegotiationToken',
      'negTokenInit',
      'mechToken',
      'InitialContextToken',
      'AP-REQ',
      'authenticator',
    ]);
  });

  test('padata values and ad-data that hold DER show what is inside; unknown ones stay hex', () => {
    const d = decodeKerberos(bytesOf('knet-krb-error-preauth-required'));
    const eData = find(d.tree, 'e-data')!;
    expect(eData.children![0]!.name).toBe('METHOD-DATA');
    expect(find(eData, 'salt')!.value).toBe('CORP.IDENTITYINTERVENTION.COMtestuser');
    const mit = decodeKerberos(bytesOf('mit-ref-as_req'));
    const pa = find(mit.tree, 'padata-value')!;
    expect(pa.value).toBe('70612d64617461');
    expect(pa.children).toBeUndefined();
  });

  test('the tree is plain JSON in the CLI.md NODE shape', () => {
    const d = decodeKerberos(bytesOf('mit-ref-kkdcp_message'));
    const json = JSON.parse(JSON.stringify(d.tree)) as KrbNode;
    expect(json).toEqual(d.tree);
    const keys = new Set<string>();
    const walk = (n: KrbNode) => {
      Object.keys(n).forEach((k) => keys.add(k));
      n.children?.forEach(walk);
    };
    walk(json);
    expect([...keys].sort()).toEqual(['children', 'length', 'name', 'offset', 'tag', 'value']);
  });
});
