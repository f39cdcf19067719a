// The playground's reply tamper (src/world/tamper.ts, a byte of a KDC's reply on its way to the client)
// against MIT's own client: kinit and kvno talk to MIT krb5kdc through a UDP relay in this process, and the
// relay changes the AS-REP with `intercept`, the path a run's `tamper` action takes. MIT's client then does
// what the playground's does with the same bytes: a byte of the enc-part, and the reply does not decrypt
// (kinit: "Password incorrect", the code our client gives too); a byte of the TGT, which the client cannot
// read, and kinit keeps it, and the KDC refuses it at the next TGS-REQ (kvno: the integrity check).
import { createSocket, type Socket } from 'node:dgram';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { decodeAsRep } from '../../src/asn1';
import { decodeKeytab } from '../../src/formats';
import { ReplyCheckError } from '../../src/client/errors';
import { openReply, readKdcReply } from '../../src/client/messages';
import { intercept } from '../../src/world';
import { hasPackages } from '../setup/needs';
import { MitLab } from './harness/mit';
import { run } from './harness/process';
import { seededRandom } from '../unit/kdc/helper';

const REALM = 'MIT.TEST';

/** Where `part` starts in `bytes`. */
function offsetOf(bytes: Uint8Array, part: Uint8Array): number {
  for (let i = 0; i + part.length <= bytes.length; i++)
    if (part.every((b, j) => bytes[i + j] === b)) return i;
  throw new Error('the part is not in the message');
}

/** Which part of the AS-REP the relay changes: a byte 20 into its cipher. */
type Aim = 'enc-part' | 'ticket';

/**
 * A UDP relay between MIT's client and MIT's KDC. While armed, the next AS-REP through it has one byte
 * flipped by the playground's `intercept`, and is kept (`changed`) for the test to read.
 */
class Relay {
  aim: Aim | undefined;
  changed: Uint8Array | undefined;
  private constructor(
    private readonly front: Socket,
    private readonly kdcPort: number,
  ) {
    front.on('message', (msg, from) => void this.pass(new Uint8Array(msg), from.port));
  }

  static async start(kdcPort: number): Promise<Relay> {
    const front = createSocket('udp4');
    await new Promise<void>((resolve) => front.bind(0, '127.0.0.1', resolve));
    return new Relay(front, kdcPort);
  }

  get port(): number {
    return this.front.address().port;
  }

  private async pass(request: Uint8Array, clientPort: number): Promise<void> {
    const back = createSocket('udp4');
    const reply = await new Promise<Uint8Array>((resolve) => {
      back.once('message', (m) => resolve(new Uint8Array(m)));
      back.send(request, this.kdcPort, '127.0.0.1');
    }).finally(() => back.close());
    this.front.send(this.tamper(reply), clientPort, '127.0.0.1');
  }

  private tamper(reply: Uint8Array): Uint8Array {
    if (!this.aim || reply[0] !== 0x6b) return reply;
    const rep = decodeAsRep(reply);
    const offset =
      offsetOf(reply, this.aim === 'ticket' ? rep.ticket.encPart.cipher : rep.encPart.cipher) + 20;
    const hit = intercept(
      [
        {
          from: 'kdc',
          message: 'AS-REP',
          skip: 0,
          edit: { kind: 'byte', offset, value: reply[offset]! ^ 0xff },
        },
      ],
      'kdc',
      reply,
      () => undefined,
      seededRandom(7),
    );
    expect(hit?.said.ok, hit?.said.text).toBe(false);
    this.aim = undefined;
    this.changed = hit!.bytes;
    return hit!.bytes;
  }

  close(): void {
    this.front.close();
  }
}

describe.runIf(hasPackages('krb5-kdc', 'krb5-admin-server', 'krb5-user'))(
  "an AS-REP tampered on its way to MIT's kinit",
  () => {
    let lab: MitLab;
    let relay: Relay;
    /** A krb5.conf like the lab's, its realm's KDC the relay. */
    let relayConf: string;
    /** alice's key, from MIT's database, to open a reply as our client does. */
    let aliceKey: { etype: number; bytes: Uint8Array };

    beforeAll(async () => {
      lab = await MitLab.start({
        realms: [
          {
            name: REALM,
            principals: [
              { name: 'alice', password: 'alice-pw', enctypes: [18] },
              { name: 'host/svc.mit.test', password: 'svc-pw', enctypes: [18] },
            ],
          },
        ],
      });
      const kdcPort = lab.realm(REALM).port;
      relay = await Relay.start(kdcPort);
      relayConf = `${lab.ccache('relay')}.conf`;
      writeFileSync(
        relayConf,
        readFileSync(lab.env().KRB5_CONFIG!, 'utf8').replace(
          `127.0.0.1:${kdcPort}`,
          `127.0.0.1:${relay.port}`,
        ),
      );
      const keytab = decodeKeytab(
        readFileSync(await lab.exportKeytab(`${lab.ccache('alice')}.keytab`, [`alice@${REALM}`])),
      );
      const entry = keytab.entries.find((e) => e.key.etype === 18)!;
      aliceKey = { etype: 18, bytes: entry.key.bytes };
    });
    afterAll(async () => {
      relay?.close();
      await lab?.stop();
    });

    const env = (ccache: string) => ({ ...lab.env({ ccache }), KRB5_CONFIG: relayConf });
    const kinit = (ccache: string) =>
      run('kinit', [`alice@${REALM}`], { env: env(ccache), input: 'alice-pw\n' });
    const kvno = (ccache: string) => run('kvno', [`host/svc.mit.test@${REALM}`], { env: env(ccache) });

    /** What our client says of the reply MIT's kinit got. */
    function ourClientOn(reply: Uint8Array): string {
      const read = readKdcReply(reply, 'AS-REP');
      if (read.type !== 'AS-REP') return read.type;
      try {
        openReply(read.rep, aliceKey, 3, "alice's key");
        return 'opened';
      } catch (e) {
        if (e instanceof ReplyCheckError) return `${e.code}: ${e.message}`;
        throw e;
      }
    }

    test('control: through the relay, untouched, kinit and kvno get their tickets', async () => {
      const cc = lab.ccache('control');
      const got = await kinit(cc);
      expect(got.code, got.stderr).toBe(0);
      const svc = await kvno(cc);
      expect(svc.code, svc.stderr).toBe(0);
    });

    test('a byte of the enc-part: kinit cannot decrypt it, and says the password is incorrect; so does ours', async () => {
      relay.aim = 'enc-part';
      const got = await kinit(lab.ccache('enc-part'));
      expect(relay.changed).toBeDefined();
      expect(got.code).not.toBe(0);
      // MIT's kinit (get_in_tkt.c) reads KRB5KRB_AP_ERR_BAD_INTEGRITY on the AS-REP as a wrong password
      expect(got.stderr).toMatch(/Password incorrect/);
      expect(ourClientOn(relay.changed!)).toMatch(
        /^31: the reply does not decrypt with alice's key .*the password is wrong/,
      );
    });

    test('a byte of the TGT: kinit keeps it, and the KDC refuses it at kvno with the integrity check', async () => {
      const cc = lab.ccache('ticket');
      relay.aim = 'ticket';
      const got = await kinit(cc);
      expect(relay.changed).toBeDefined();
      expect(got.code, got.stderr).toBe(0);
      // our client, too, opens the reply and keeps the ticket it cannot read
      expect(ourClientOn(relay.changed!)).toBe('opened');
      const svc = await kvno(cc);
      expect(svc.code).not.toBe(0);
      expect(svc.stderr).toMatch(/integrity/i);
    });
  },
);
