// `krbplay decode --pcap --keytab` against tshark on a capture of MIT krb5 (the harness's standard
// exchanges: kinit with preauth and kvno for 17/18/19/20/23, a cross-realm service over TCP, a realm
// over TCP, a wrong password). Our decoder must find the same messages as tshark (frames, endpoints,
// transport, types, error codes) and open every part tshark opens with the same keytab.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hasPackages } from '../setup/needs';
import { ensureCliBuilt, krbplay } from '../unit/cli/krbplay';
import { tsharkKerberos, tsharkVersion, type TsharkKerberosFrame } from './harness';
import { captureStandardMitExchanges, type MitCapture } from './harness/scenario';

const MSG_TYPE: Record<string, number> = {
  'AS-REQ': 10,
  'AS-REP': 11,
  'TGS-REQ': 12,
  'TGS-REP': 13,
  'AP-REQ': 14,
  'AP-REP': 15,
  'KRB-SAFE': 20,
  'KRB-PRIV': 21,
  'KRB-CRED': 22,
  'KRB-ERROR': 30,
};

interface Node {
  name: string;
  children?: Node[];
}
interface Part {
  path: string;
  decrypted: boolean;
  key?: string;
  reason?: string;
  plain?: Node;
}
interface Message {
  frame: number;
  src?: string;
  dst?: string;
  transport: string | null;
  type: string;
  errorCode?: number;
  encParts: Part[];
}

const count = (n: Node | undefined, name: string): number =>
  n ? (n.name === name ? 1 : 0) + (n.children ?? []).reduce((a, c) => a + count(c, name), 0) : 0;

describe.runIf(hasPackages('krb5-kdc', 'krb5-user', 'krb5-admin-server', 'tshark'))(
  'krbplay decode --pcap vs tshark on MIT krb5 traffic',
  () => {
    let c: MitCapture;
    let tshark: TsharkKerberosFrame[];
    let ours: Message[];

    beforeAll(async () => {
      ensureCliBuilt();
      c = await captureStandardMitExchanges();
      tshark = await tsharkKerberos(c.pcap, { keytab: c.keytab, kerberosPorts: c.lab.ports });
      const r = krbplay('decode', '--pcap', c.pcap, '--keytab', c.keytab, '--json');
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      ours = (JSON.parse(r.stdout) as { messages: Message[] }).messages;
    }, 300_000);

    afterAll(async () => {
      await c?.lab.stop();
    });

    test('the same messages as tshark: frames, endpoints, transport, types and error codes', () => {
      const theirs = tshark.map((f) => ({
        frame: f.frame,
        src: f.src,
        dst: f.dst,
        transport: f.transport,
        msgType: f.msgTypes[0],
        errorCode: f.errorCodes[0],
      }));
      const mine = ours.map((m) => ({
        frame: m.frame,
        src: m.src,
        dst: m.dst,
        transport: m.transport,
        msgType: MSG_TYPE[m.type],
        errorCode: m.errorCode,
      }));
      expect(mine).toEqual(theirs);
      expect(new Set(ours.map((m) => m.type))).toEqual(
        new Set(['AS-REQ', 'KRB-ERROR', 'AS-REP', 'TGS-REQ', 'TGS-REP']),
      );
    });

    test('every part tshark opens with the keytab, we open too; and we say why the rest stay shut', async () => {
      const byFrame = new Map(ours.map((m) => [m.frame, m]));
      let tsharkKeys = 0;
      let ourKeys = 0;
      const short: string[] = [];
      for (const f of tshark) {
        const m = byFrame.get(f.frame)!;
        // kerberos.keytype shows in what tshark decrypted: EncTicketPart, EncKDCRepPart, Authenticator
        // subkeys, KrbFastResponse strengthen-key. Count the same EncryptionKeys in what we opened.
        const mine = m.encParts.filter((p) => p.decrypted).reduce((a, p) => a + count(p.plain, 'keytype'), 0);
        tsharkKeys += f.decryptedKeytypes.length;
        ourKeys += mine;
        if (mine < f.decryptedKeytypes.length)
          short.push(`frame ${f.frame}: tshark ${f.decryptedKeytypes.length} keys, ours ${mine}`);
      }
      expect(short).toEqual([]);
      const parts = ours.flatMap((m) => m.encParts.map((p) => ({ frame: m.frame, type: m.type, ...p })));
      const opened = parts.filter((p) => p.decrypted);
      const shut = parts.filter((p) => !p.decrypted);
      // The one part no key can open: the wrong password's PA-ENC-TIMESTAMP.
      expect(shut.map((p) => `${p.type} ${p.path}: ${p.reason}`)).toEqual([
        'AS-REQ padata[1].padata-value: integrity check failed with keytab wrong@MIT.TEST kvno 1',
      ]);
      expect(shut.every((p) => typeof p.reason === 'string' && p.reason.length > 0)).toBe(true);
      console.log(
        [
          `decode-pcap vs ${await tsharkVersion()}:`,
          `  messages: ours ${ours.length}, tshark ${tshark.length}`,
          `  encrypted parts: ${parts.length}, opened ${opened.length}, shut ${shut.length}`,
          `  keys seen in decrypted parts (kerberos.keytype): tshark ${tsharkKeys}, ours ${ourKeys}`,
          `  frames where tshark decrypted something: ${tshark.filter((f) => f.decryptedKeytypes.length > 0).length}`,
        ].join('\n'),
      );
    });
  },
);
