// KERB-KEY-LIST-REQ/REP in our DER, the RODC kvno as Windows writes it (signed 32-bit), and a writable DC
// turning a partial TGT into a full one with the user's keys, for an RODC number at or above 0x8000.
import { describe, expect, test } from 'vitest';
import {
  decodeApReq,
  decodeKerberos,
  decodeKerbKeyListRep,
  decodeKerbKeyListReq,
  decodeTgsReq,
  encodeKerbKeyListRep,
  encodeKerbKeyListReq,
} from '../../../src/asn1';
import { PaType } from '../../../src/asn1/registry';
import { rodcKvno, splitKvno } from '../../../src/kdc';
import { catalogue, type Scenario } from '../../../src/scenarios';
import { runScenario } from '../../../src/scenarios/runner';
import { toHex } from '../../../src/util/bytes';

const base = () => structuredClone(catalogue().find((s) => s.id === 'cloud-trust-partial-tgt')) as Scenario;

describe('KERB-KEY-LIST-REQ and -REP (MS-KILE 2.2.11, 2.2.12)', () => {
  test('KERB-KEY-LIST-REQ is a SEQUENCE OF Int32, byte for byte', () => {
    const der = encodeKerbKeyListReq([18, 17, 23]);
    expect(toHex(der)).toBe('3009020112020111020117');
    expect(decodeKerbKeyListReq(der)).toEqual([18, 17, 23]);
  });
  test('KERB-KEY-LIST-REP is a SEQUENCE OF EncryptionKey and round-trips', () => {
    const keys = [
      { keytype: 23, keyvalue: Uint8Array.from({ length: 16 }, (_, i) => i) },
      { keytype: 18, keyvalue: Uint8Array.from({ length: 32 }, (_, i) => 255 - i) },
    ];
    const der = encodeKerbKeyListRep(keys);
    expect(toHex(der.subarray(0, 8))).toBe('30463019a0030201');
    const back = decodeKerbKeyListRep(der);
    expect(back.map((k) => k.keytype)).toEqual([23, 18]);
    expect(toHex(back[0]!.keyvalue)).toBe(toHex(keys[0]!.keyvalue));
    expect(encodeKerbKeyListRep(back)).toEqual(der);
  });
  test('bad bytes are a typed error, not a crash', () => {
    expect(() => decodeKerbKeyListReq(Uint8Array.of(0x30, 0x03, 0x04, 0x01, 0x00))).toThrow(
      /byte|INTEGER|Int32/i,
    );
  });
});

describe('the RODC kvno (MS-KILE 3.1.5.8)', () => {
  test('the RODC number is in the high 16 bits, encoded signed', () => {
    expect(rodcKvno(28087, 1)).toBe(0x6db70001);
    expect(rodcKvno(0x8001, 2)).toBe(-0x7ffefffe);
    expect(splitKvno(rodcKvno(0x8001, 2))).toEqual({ rodcId: 0x8001, version: 2 });
  });

  test('an RODC number of 0x8001: a negative kvno on the wire, and the DC still exchanges the partial TGT', () => {
    const s = base();
    s.entra!.cloudTrust!.rodcId = 0x8001;
    const run = runScenario(s);
    // every outcome but the one that names the default kvno in its words
    expect(run.outcomes.filter((o) => !o.ok && o.id !== 'partial-tgt')).toEqual([]);
    const req = run.world.trace.find((e) => e.type === 'TGS-REQ' && e.from === 'ws1' && e.to === 'dc1')!;
    const tgsReq = decodeTgsReq(req.bytes!);
    const ap = decodeApReq(tgsReq.padata!.find((p) => p.padataType === PaType.PA_TGS_REQ)!.padataValue);
    expect(ap.ticket.encPart.kvno).toBe(rodcKvno(0x8001, 1));
    expect(ap.ticket.encPart.kvno).toBeLessThan(0);
    // the kvno INTEGER as Windows writes it: four bytes, the top bit set (a[1] 02 04 80 01 00 01)
    expect(toHex(req.bytes!)).toContain('a10602048001' + '0001');
    const kl = tgsReq.padata!.find((p) => p.padataType === PaType.KERB_KEY_LIST_REQ)!;
    expect(decodeKerbKeyListReq(kl.padataValue)).toEqual([18, 17, 23]);
    // our decoder names it for the inspector
    expect(JSON.stringify(decodeKerberos(req.bytes!).tree)).toContain('KERB-KEY-LIST-REQ');
  });

  test('Set-AzureADKerberosServer on the DC only: KeyVersion moves ahead of CloudKeyVersion, and the DC keeps the previous key, so the partial TGT still opens', () => {
    const s = base();
    s.timeline = [
      { id: 'rotate', do: 'rotate-azuread-kerberos-key', host: 'ws1', cloud: false },
      { id: 'show', do: 'get-azuread-kerberos-server', host: 'ws1' },
      { id: 'hello', do: 'hello-logon', host: 'ws1' },
      { id: 'sync', do: 'rotate-azuread-kerberos-key', host: 'ws1' },
      { id: 'show-synced', do: 'get-azuread-kerberos-server', host: 'ws1' },
    ] as Scenario['timeline'];
    s.outcomes = [];
    const run = runScenario(s);
    const out = (id: string) => run.actions.find((a) => a.id === id)!.output;
    expect(out('show')).toMatch(new RegExp(`(?<!Cloud)KeyVersion\\s+: ${rodcKvno(28087, 2) >>> 0}\\b`));
    expect(out('show')).toMatch(new RegExp(`CloudKeyVersion\\s+: ${rodcKvno(28087, 1) >>> 0}\\b`));
    expect(run.world.trace.some((e) => e.type === 'KRB-ERROR' && e.from === 'dc1')).toBe(false);
    expect(run.world.trace.find((e) => e.type === 'TGS-REP' && e.from === 'dc1')?.result).toMatch(
      /krbtgt\/CORP/,
    );
    expect(out('show-synced')).toMatch(new RegExp(`CloudKeyVersion\\s+: ${rodcKvno(28087, 3) >>> 0}\\b`));
  });

  test('a partial TGT under a key version the DC no longer holds is refused with KRB_AP_ERR_BADKEYVER', () => {
    const s = base();
    s.timeline = [
      { id: 'r1', do: 'rotate-azuread-kerberos-key', host: 'ws1', cloud: false },
      { id: 'r2', do: 'rotate-azuread-kerberos-key', host: 'ws1', cloud: false },
      { id: 'hello', do: 'hello-logon', host: 'ws1' },
    ] as Scenario['timeline'];
    s.outcomes = [];
    const run = runScenario(s);
    const err = run.world.trace.find((e) => e.type === 'KRB-ERROR' && e.from === 'dc1');
    expect(err?.errorCode).toBe(44);
    expect(run.actions.find((a) => a.id === 'hello')!.output).toMatch(/temporarily unavailable/);
  });
});
