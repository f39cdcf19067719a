// IAKERB against MIT krb5 (Debian 12's 1.20, which speaks the pre-1.22 dialect: target-realm as an
// OCTET STRING, later tokens without the GSS-API header, the finish as checksum extension 1 with key
// usage 42). Both directions, on loopback, with MIT's krb5kdc behind the acceptor:
//  - our initiator (src/client) against `gss-server -iakerb`: MIT relays our AS and TGS requests, checks
//    our finish and accepts us;
//  - `gss-client -iakerb` against our acceptor (src/services on a socket): we relay MIT's requests to the
//    KDC, check its finish, and it checks our AP-REP.
// dumpcap records both; tshark dissects the relayed KDC leg with no malformed frame, and every token on
// the application leg decodes with our decoder, its relayed message byte for byte the one on the KDC leg.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { decodeKerberos, decodeIakerbToken } from '../../src/asn1';
import { KerberosClient, iakerbInitiate } from '../../src/client';
import { readCaptureFrames } from '../../src/formats/pcap';
import { wallClock } from '../../src/node';
import { hasPackages } from '../setup/needs';
import {
  Daemon,
  LoopbackCapture,
  MitLab,
  freePort,
  run,
  tsharkKerberos,
  tsharkMalformedFrames,
  waitFor,
} from './harness';
import { TOKEN, connectTokens, serviceFromKeytab, startOurAcceptor } from './harness/gss-sample';
import { readFileSync } from 'node:fs';

const REALM = 'MIT.TEST';
const ALICE_PW = 'alice-iakerb-pw';
const SERVICE = `host/localhost@${REALM}`;

describe.runIf(hasPackages('krb5-kdc', 'krb5-admin-server', 'krb5-gss-samples', 'tshark'))(
  'IAKERB against MIT gss-client and gss-server',
  () => {
    let lab: MitLab;
    let keytab: string;
    const dir = mkdtempSync(join(tmpdir(), 'krbplay-iakerb-'));

    beforeAll(async () => {
      lab = await MitLab.start({
        realms: [
          {
            name: REALM,
            principals: [
              { name: 'alice', password: ALICE_PW },
              { name: 'host/localhost', password: 'host-localhost-pw', enctypes: [18, 17] },
            ],
          },
        ],
      });
      keytab = await lab.exportKeytab(join(dir, 'host.keytab'), [SERVICE]);
    }, 60_000);

    afterAll(async () => {
      await lab?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    const kdcPort = () => lab.realm(REALM).port;

    test('our initiator gets a ticket through MIT gss-server -iakerb, and MIT accepts its AP-REQ and finish', async () => {
      const port = await freePort();
      const server = new Daemon(
        'gss-server',
        'gss-server',
        ['-port', String(port), '-once', '-keytab', keytab, '-iakerb', 'host@localhost'],
        lab.env(),
      );
      const capture = await LoopbackCapture.start(join(dir, 'ours-to-mit.pcapng'), [port, kdcPort()]);
      try {
        const io = await waitFor('gss-server to listen', () => connectTokens(port).catch(() => undefined), {
          explain: () => server.output,
        });
        io.send(TOKEN.NOOP | TOKEN.CONTEXT_NEXT, new Uint8Array(0));
        const sent: Uint8Array[] = [];
        const received: Uint8Array[] = [];
        const client = new KerberosClient({ principal: `alice@${REALM}` });
        const outcome = await iakerbInitiate(
          client,
          { password: ALICE_PW, service: SERVICE, dialect: 'mit-1.20' },
          async (token) => {
            sent.push(token);
            io.send(TOKEN.CONTEXT, token);
            const { token: back } = await io.recv();
            received.push(back);
            return back;
          },
          wallClock,
        );
        if (!outcome.ok) throw new Error(`${outcome.error.message}\n${server.output}`);
        io.send(TOKEN.NOOP, new Uint8Array(0));
        await waitFor(
          'gss-server to say whom it accepted',
          () => server.output.includes('Accepted connection'),
          {
            explain: () => server.output,
          },
        );
        expect(server.output).toContain(`Accepted connection: "alice@${REALM}"`);
        expect(outcome.session.mutual).toBe(true);

        // AS-REQ (no preauth), KRB-ERROR 25, AS-REQ with PA-ENC-TIMESTAMP, AS-REP, TGS-REQ, TGS-REP, then AP.
        const relayed = sent.slice(0, -1).map((t) => decodeKerberos(t));
        expect(relayed.map((d) => d.type)).toEqual(['AS-REQ', 'AS-REQ', 'TGS-REQ']);
        expect(relayed.map((d) => d.framing)).toEqual([['gssapi', 'iakerb'], ['iakerb'], ['iakerb']]);
        expect(received.slice(0, -1).map((t) => decodeKerberos(t).type)).toEqual([
          'KRB-ERROR',
          'AS-REP',
          'TGS-REP',
        ]);
        expect(
          relayed.every((d) => d.iakerb?.header.targetRealm === REALM && d.iakerb.dialect === 'mit-1.20'),
        ).toBe(true);
        const ap = decodeKerberos(sent.at(-1)!);
        expect(ap.type).toBe('AP-REQ');
        expect(ap.gss?.thisMech).toBe('1.3.6.1.5.2.5');
        expect(decodeKerberos(received.at(-1)!).type).toBe('AP-REP');
        expect(outcome.conversation.conv.length).toBe(
          [...sent.slice(0, -1), ...received.slice(0, -1)].reduce((n, t) => n + t.length, 0),
        );
      } finally {
        await capture.stop();
        await server.stop();
      }
      await expectCaptureClean(capture.file, kdcPort());
    });

    test('MIT gss-client -iakerb signs in and gets its ticket through our acceptor, which checks its finish', async () => {
      const ours = await startOurAcceptor(serviceFromKeytab(keytab, REALM, ['host', 'localhost']), kdcPort());
      const capture = await LoopbackCapture.start(join(dir, 'mit-to-ours.pcapng'), [ours.port, kdcPort()]);
      let r;
      try {
        r = await run(
          'gss-client',
          [
            '-port',
            String(ours.port),
            '-iakerb',
            '-user',
            `alice@${REALM}`,
            '-pass',
            ALICE_PW,
            '-nw',
            '-nm',
            '127.0.0.1',
            'host@localhost',
            'hello through iakerb',
          ],
          { env: lab.env({ ccache: lab.ccache('gss-client') }), timeoutMs: 30_000 },
        );
      } finally {
        await capture.stop();
        await new Promise((res) => ours.server.close(res));
      }
      const log = ours.logs[0]!;
      expect(log.error, `${r.stdout}\n${r.stderr}`).toBeUndefined();
      expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
      expect(log.result?.ok).toBe(true);
      if (!log.result?.ok) return;
      expect(log.result.identity.principal).toBe(`alice@${REALM}`);
      expect(log.result.events.map((e) => e.text).join('\n')).toMatch(/the IAKERB finish verifies/);
      expect(log.message).toBe('hello through iakerb');
      // MIT's client: an AS-REQ, the KDC's 25, the AS-REQ with preauth, then the TGS-REQ, all through us.
      expect(log.relayed.map((x) => decodeKerberos(x.request).type)).toEqual(['AS-REQ', 'AS-REQ', 'TGS-REQ']);
      const first = decodeIakerbToken(log.tokens[0]!.bytes);
      expect(first.framed).toBe(true);
      expect(first.dialect).toBe('mit-1.20');
      await expectCaptureClean(capture.file, kdcPort());
    });

    /** tshark reads the relayed KDC messages on the KDC's port, no frame malformed. */
    async function expectCaptureClean(file: string, port: number) {
      const frames = await tsharkKerberos(file, { kerberosPorts: [port] });
      const types = frames.map((f) => f.msgTypes[0]);
      // AS-REQ 10, KRB-ERROR 30, AS-REQ, AS-REP 11, TGS-REQ 12, TGS-REP 13
      expect(types).toEqual([10, 30, 10, 11, 12, 13]);
      expect(await tsharkMalformedFrames(file, { kerberosPorts: [port] })).toEqual([]);
      expect(readCaptureFrames(readFileSync(file)).length).toBeGreaterThan(6);
    }
  },
);
