// The standard MIT exchange the interop suites share: two realms with a trust, kinit (with preauth)
// and kvno for every enctype, a cross-realm service, a realm reached over TCP, and a wrong password,
// all captured on loopback, with a keytab holding every key of both databases.
import { join } from 'node:path';
import { LoopbackCapture } from './capture';
import { MitLab, type ClientResult } from './mit';

export const ENCTYPES = [17, 18, 19, 20, 23] as const;

/** One client program run, what it was, and what it answered. */
export interface ScenarioStep {
  what: string;
  command: 'kinit' | 'kvno';
  principal: string;
  result: ClientResult;
}

export interface MitCapture {
  lab: MitLab;
  /** pcapng written by dumpcap on lo. */
  pcap: string;
  /** Every key of both databases (users, services, krbtgt, cross-realm krbtgt). */
  keytab: string;
  steps: ScenarioStep[];
}

export const REALM = 'MIT.TEST';
export const OTHER = 'OTHER.TEST';
export const userOf = (e: number) => `user${e}@${REALM}`;
export const serviceOf = (e: number) => `host/svc${e}.mit.test@${REALM}`;
export const CROSS_SERVICE = `host/svc.other.test@${OTHER}`;
export const TCP_USER = `carol@${OTHER}`;
export const WRONG_USER = `wrong@${REALM}`;
export const CROSS_USER = `traveller@${REALM}`;
export const passwordOf = (principal: string) => `pw-${principal.split('@')[0]!.replace(/\//g, '-')}`;

/** Starts the lab, runs the exchanges under capture, exports the keytab. The caller stops the lab. */
export async function captureStandardMitExchanges(): Promise<MitCapture> {
  const lab = await MitLab.start({
    realms: [
      {
        name: REALM,
        principals: [
          ...ENCTYPES.flatMap((e) => [
            { name: `user${e}`, password: passwordOf(userOf(e)), enctypes: [e] },
            { name: `host/svc${e}.mit.test`, password: passwordOf(serviceOf(e)), enctypes: [e] },
          ]),
          { name: 'wrong', password: passwordOf(WRONG_USER), enctypes: [18] },
          { name: 'traveller', password: passwordOf(CROSS_USER), enctypes: [18] },
        ],
      },
      {
        name: OTHER,
        principals: [
          { name: 'host/svc.other.test', password: passwordOf(CROSS_SERVICE), enctypes: [18] },
          { name: 'carol', password: passwordOf(TCP_USER), enctypes: [20] },
        ],
      },
    ],
    trusts: [{ from: REALM, to: OTHER, password: 'cross-realm-trust-password', enctypes: [18, 17] }],
  });
  try {
    const pcap = join(lab.dir, 'mit.pcapng');
    const capture = await LoopbackCapture.start(pcap, lab.ports);
    const steps: ScenarioStep[] = [];
    const kinit = async (what: string, principal: string, password: string, ccache: string, tcp = false) =>
      steps.push({
        what,
        command: 'kinit',
        principal,
        result: await lab.kinit(principal, password, { ccache, tcp }),
      });
    const kvno = async (what: string, service: string, ccache: string, tcp = false) =>
      steps.push({
        what,
        command: 'kvno',
        principal: service,
        result: await lab.kvno(service, { ccache, tcp }),
      });
    try {
      for (const e of ENCTYPES) {
        const cc = lab.ccache(`user${e}`);
        await kinit(`kinit etype ${e}`, userOf(e), passwordOf(userOf(e)), cc);
        await kvno(`kvno etype ${e}`, serviceOf(e), cc);
      }
      const cc = lab.ccache('cross');
      await kinit('kinit for cross-realm', CROSS_USER, passwordOf(CROSS_USER), cc);
      await kvno('kvno across the trust, over TCP', CROSS_SERVICE, cc, true);
      await kinit('kinit over TCP', TCP_USER, passwordOf(TCP_USER), lab.ccache('carol'), true);
      await kinit('kinit with a wrong password', WRONG_USER, 'not-the-password', lab.ccache('wrong'));
    } finally {
      await capture.stop();
    }
    const keytab = await lab.exportKeytab(join(lab.dir, 'all.keytab'), await lab.principals());
    return { lab, pcap, keytab, steps };
  } catch (e) {
    await lab.stop();
    throw e;
  }
}
