// The harness against MIT krb5 1.20 and tshark: two realms with a trust, kinit with preauth and kvno
// for every enctype, a cross-realm service over TCP, a wrong password, all captured on loopback and
// checked through tshark's eyes (decrypting with a keytab of both databases).
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hasPackages } from '../setup/needs';
import {
  MIT_ENCTYPE_NAMES,
  MitLab,
  tsharkExpertWarnings,
  tsharkKerberos,
  tsharkMalformedFrames,
  type TsharkKerberosFrame,
} from './harness';
import {
  captureStandardMitExchanges,
  CROSS_SERVICE,
  ENCTYPES,
  OTHER,
  REALM,
  serviceOf,
  TCP_USER,
  userOf,
  WRONG_USER,
  type MitCapture,
} from './harness/scenario';

const AS_REQ = 10;
const AS_REP = 11;
const TGS_REQ = 12;
const TGS_REP = 13;
const KRB_ERROR = 30;

const nameOf = (principal: string) => principal.split('@')[0]!;
const step = (c: MitCapture, what: string) => {
  const s = c.steps.find((x) => x.what === what);
  if (!s) throw new Error(`no step "${what}"`);
  return s;
};
/** The outer message type and the cname of each frame, in order: the shape of an exchange. */
const shape = (frames: TsharkKerberosFrame[]) => frames.map((f) => [f.msgTypes[0], f.errorCodes[0] ?? null]);

describe.runIf(hasPackages('krb5-kdc', 'krb5-user', 'krb5-admin-server', 'tshark'))(
  'MIT krb5 and tshark harness',
  () => {
    let c: MitCapture;
    let frames: TsharkKerberosFrame[];

    beforeAll(async () => {
      const t0 = performance.now();
      c = await captureStandardMitExchanges();
      frames = await tsharkKerberos(c.pcap, { keytab: c.keytab, kerberosPorts: c.lab.ports });
      // Reported, never asserted: how long it takes depends on the machine's load (npm run bench measures).
      console.log(
        `MIT lab set-up and exchanges: ${Math.round(performance.now() - t0)} ms; ${frames.length} Kerberos frames`,
      );
    });
    afterAll(async () => {
      await c?.lab.stop();
    });

    const framesOf = (cname: string) => frames.filter((f) => f.cnames[0] === cname);

    describe.each(ENCTYPES)('enctype %i', (etype) => {
      test('kinit with preauth and kvno succeed, and the service ticket is of that enctype', async () => {
        expect(step(c, `kinit etype ${etype}`).result).toMatchObject({ ok: true });
        const kvno = step(c, `kvno etype ${etype}`).result;
        expect(kvno.ok).toBe(true);
        expect(kvno.stdout).toContain(`${serviceOf(etype)}: kvno = 1`);
        const klist = await c.lab.klist(c.lab.ccache(`user${etype}`));
        const line = klist.stdout.split('\n').findIndex((l) => l.includes(serviceOf(etype)));
        expect(klist.stdout.split('\n')[line + 1]).toMatch(
          new RegExp(`Etype \\(skey, tkt\\): \\S+, (DEPRECATED:)?${MIT_ENCTYPE_NAMES[etype]}`),
        );
      });

      test('tshark sees AS-REQ, PREAUTH_REQUIRED, AS-REQ, AS-REP, TGS-REQ, TGS-REP with the right names', () => {
        const mine = framesOf(nameOf(userOf(etype)));
        expect(shape(mine)).toEqual([
          [AS_REQ, null],
          [KRB_ERROR, 25],
          [AS_REQ, null],
          [AS_REP, null],
          [TGS_REQ, null],
          [TGS_REP, null],
        ]);
        expect(mine[0]!.snames.slice(0, 2)).toEqual(['krbtgt', REALM]);
        expect(mine[4]!.snames).toContain(`svc${etype}.mit.test`);
        expect(mine.every((f) => f.realms.includes(REALM) && f.transport === 'udp')).toBe(true);
      });

      test('tshark decrypts the AS-REP and TGS-REP with the keytab (their inner keys appear)', () => {
        const mine = framesOf(nameOf(userOf(etype)));
        for (const f of mine.filter((x) => x.msgTypes[0] === AS_REP || x.msgTypes[0] === TGS_REP)) {
          expect(f.decryptedKeytypes.length).toBeGreaterThan(0);
        }
      });
    });

    test('a service across the trust: krbtgt/OTHER.TEST from MIT.TEST, then the service from OTHER.TEST, over TCP', () => {
      expect(step(c, 'kvno across the trust, over TCP').result.ok).toBe(true);
      const tgs = frames.filter((f) => f.msgTypes[0] === TGS_REQ && f.transport === 'tcp');
      expect(tgs.map((f) => [f.dst.endsWith(`:${c.lab.realm(REALM).port}`), f.snames.slice(-2)])).toEqual([
        [true, ['krbtgt', OTHER]],
        [false, ['host', 'svc.other.test']],
      ]);
      expect(tgs[1]!.dst).toBe(`127.0.0.1:${c.lab.realm(OTHER).port}`);
      const reps = frames.filter((f) => f.msgTypes[0] === TGS_REP && f.transport === 'tcp');
      expect(reps).toHaveLength(2);
      expect(reps[1]!.snames).toContain('svc.other.test');
      expect(reps.every((f) => f.decryptedKeytypes.length > 0)).toBe(true);
      expect(CROSS_SERVICE).toContain(OTHER);
    });

    test('kinit over TCP to the other realm', () => {
      expect(step(c, 'kinit over TCP').result.ok).toBe(true);
      const mine = framesOf(nameOf(TCP_USER));
      expect(shape(mine)).toEqual([
        [AS_REQ, null],
        [KRB_ERROR, 25],
        [AS_REQ, null],
        [AS_REP, null],
      ]);
      expect(mine.every((f) => f.transport === 'tcp' && f.realms.includes(OTHER))).toBe(true);
    });

    test('a wrong password: MIT says "Password incorrect", tshark sees PREAUTH_REQUIRED then PREAUTH_FAILED', () => {
      const r = step(c, 'kinit with a wrong password').result;
      expect(r.ok).toBe(false);
      expect(r.stderr).toContain('Password incorrect while getting initial credentials');
      expect(shape(framesOf(nameOf(WRONG_USER)))).toEqual([
        [AS_REQ, null],
        [KRB_ERROR, 25],
        [AS_REQ, null],
        [KRB_ERROR, 24],
      ]);
    });

    test('no malformed packets; the only expert warnings are about the one key the keytab cannot have', async () => {
      const opts = { keytab: c.keytab, kerberosPorts: c.lab.ports };
      expect(await tsharkMalformedFrames(c.pcap, opts)).toEqual([]);
      const warnings = await tsharkExpertWarnings(c.pcap, opts);
      // On a loaded machine MIT's client may give up on a slow exchange and close a TCP connection with an
      // answer unread, which the kernel turns into a RST: TCP's warning about the machine, not about the
      // bytes. Everything else must be a decryption note.
      const isLoadRst = (w: string) => /\bTCP\s+Connection reset \(RST\)/.test(w);
      expect(warnings.filter((w) => !/\bDecryption\b/.test(w) && !isLoadRst(w))).toEqual([]);
      // The wrong password's PA-ENC-TIMESTAMP (key usage 1) is sealed with a key no keytab holds.
      expect(warnings.filter((w) => /Missing keytype/.test(w))).toEqual([
        expect.stringMatching(/Missing keytype 18 usage 1\b/),
      ]);
    });

    test('the keytab holds every principal of both databases, including the cross-realm krbtgt', async () => {
      const list = await c.lab.klist(c.keytab, { keytab: true });
      for (const p of [
        userOf(17),
        serviceOf(23),
        `krbtgt/${REALM}@${REALM}`,
        `krbtgt/${OTHER}@${REALM}`,
        TCP_USER,
      ]) {
        expect(list.stdout).toContain(p);
      }
    });

    test('a failing kadmin.local command is an error, not a silent success', async () => {
      await expect(c.lab.kadmin(REALM, [`addprinc -pw x ${nameOf(userOf(17))}`])).rejects.toThrow(
        /already exists while creating/,
      );
    });

    test('stop() ends every KDC it started and removes the lab directory', async () => {
      const lab = await MitLab.start({
        realms: [{ name: 'STOP.TEST', principals: [{ name: 'a', password: 'pw' }] }],
      });
      const pids = [...lab.realms.values()].map((r) => r.kdc!.child.pid!);
      expect(await lab.kinit('a@STOP.TEST', 'pw', { ccache: lab.ccache('a') })).toMatchObject({ ok: true });
      await lab.stop();
      for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
      expect(existsSync(lab.dir)).toBe(false);
    });
  },
);
