// Cloud Kerberos trust in Wireshark: the exported capture of cloud-trust-partial-tgt, decrypted by tshark
// with a keytab that holds one key only, krbtgt_AzureAD under its RODC kvno. tshark opens the partial TGT
// in the TGS-REQ with it, learns the TGT's session key, opens the TGS-REP's enc-part with that, and shows
// KERB-KEY-LIST-REP's keys: the same keys the DC's database holds for alice. Nothing is malformed.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { decodeKeytab } from '../../src/formats';
import { rodcKvno } from '../../src/kdc';
import { catalogue, type Scenario } from '../../src/scenarios';
import { runScenario } from '../../src/scenarios/runner';
import { toHex } from '../../src/util/bytes';
import { exportKeytab, exportPcapng, type World } from '../../src/world';
import { hasPackages } from '../setup/needs';
import { runOk, tsharkMalformedFrames } from './harness';
import { keyOf } from '../../src/protocol/long-term-key';

const AZUREAD = 'krbtgt_AzureAD@CORP.CONTOSO.COM';

describe.runIf(hasPackages('tshark'))(
  'KERB-KEY-LIST-REP in tshark, with only krbtgt_AzureAD in the keytab',
  () => {
    let dir: string;
    let world: World;
    const files = { pcap: '', keytab: '' };

    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'krbplay-keylist-'));
      const scenario = catalogue().find((s) => s.id === 'cloud-trust-partial-tgt') as Scenario;
      world = runScenario(scenario).world;
      files.pcap = join(dir, 'cloud-trust.pcapng');
      files.keytab = join(dir, 'azuread.keytab');
      writeFileSync(files.pcap, exportPcapng(world));
      writeFileSync(files.keytab, exportKeytab(world, [AZUREAD]));
    });
    afterAll(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    test('the keytab holds krbtgt_AzureAD alone, under the RODC kvno', () => {
      const kt = decodeKeytab(exportKeytab(world, [AZUREAD]));
      expect(kt.entries).toHaveLength(1);
      expect(kt.entries[0]!.kvno >>> 0).toBe(rodcKvno(28087, 1) >>> 0);
    });

    test("tshark decrypts the KERB-KEY-LIST-REP and shows alice's keys; zero malformed frames", async () => {
      expect(await tsharkMalformedFrames(files.pcap, { keytab: files.keytab })).toEqual([]);
      const { stdout } = await runOk('tshark', [
        '-r',
        files.pcap,
        '-n',
        '-o',
        'kerberos.decrypt:TRUE',
        '-o',
        `kerberos.file:${files.keytab}`,
        '-Y',
        'kerberos.kerbKeyListRep.key_element',
        '-T',
        'fields',
        '-E',
        'separator=\t',
        '-E',
        'occurrence=a',
        '-E',
        'aggregator=|',
        '-e',
        'kerberos.msg_type',
        '-e',
        'kerberos.padata_type',
        '-e',
        'kerberos.keytype',
        '-e',
        'kerberos.keyvalue',
      ]);
      const rows = stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('\t'));
      expect(rows).toHaveLength(1);
      const [msgType, padata, keytypes, keyvalues] = rows[0]!;
      expect(msgType).toBe('13');
      expect(padata!.split('|')).toContain('162');
      const dc = world.kdcsServing('CORP.CONTOSO.COM')[0]!;
      const alice = dc.entries('alice@CORP.CONTOSO.COM', 'CORP.CONTOSO.COM')[0]!;
      const hexes = keyvalues!.split('|').map((h) => h.replace(/:/g, '').toLowerCase());
      const types = keytypes!.split('|').map(Number);
      for (const etype of [18, 17, 23]) {
        const key = alice.keys.find((k) => k.etype === etype)!;
        expect(types).toContain(etype);
        expect(hexes).toContain(toHex(keyOf(key)));
      }
    });

    test('without the keytab tshark cannot see the key list (it is inside the encrypted part)', async () => {
      const { stdout } = await runOk('tshark', [
        '-r',
        files.pcap,
        '-n',
        '-Y',
        'kerberos.kerbKeyListRep.key_element',
        '-T',
        'fields',
        '-e',
        'frame.number',
      ]);
      expect(stdout.trim()).toBe('');
    });
  },
);
