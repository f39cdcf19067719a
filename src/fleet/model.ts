/**
 * The fast path: one user's plan played on the rules alone — the decisions and time rules of the
 * Windows host, CloudAP, Entra and the KDC client (`azure/windows.ts`, `cloudap.ts`, `on-its-own.ts`,
 * the cache's validity), with no bytes encoded and no crypto. A test plays a 200-user fleet both ways
 * and compares every hour's counts, so a rule that drifts from the world's is caught there.
 *
 * The rules, as the world plays them for a device with one mapped share in the cloud realm:
 * - logon empties the ticket cache, forgets a KDC proxy not set by GPO, gets an on-prem TGT (AS-REQ
 *   without, then with pre-authentication: two AS-REQs) and runs CloudAP; unlock runs CloudAP only;
 * - CloudAP asks Entra (one PRT request) when there is no PRT, it expired, `dsregcmd /RefreshPrt` asked,
 *   it is the first sign-in since boot, or the PRT was updated 4 hours ago or more; with the GPO on the
 *   answer carries a cloud TGT, which Kerberos takes (with the KDC proxy) while it is valid;
 * - a share access (`net use`, or a mapped drive's session set up again when its cifs ticket ends) first
 *   gets an on-prem TGT if the held one ended, then uses a valid cifs ticket, or asks for one: through
 *   the KDC proxy with a valid cloud TGT (TGS-REQ over MS-KKDCP; the ticket ends with the cloud TGT at
 *   the latest), or — without one — the home DC, which does not know the cloud realm (one TGS-REQ,
 *   refused): NTLM is refused, 1326. With a valid cloud TGT but no KDC proxy, no request leaves.
 * - a ticket is valid while its end time is after now; an AP-REQ with a cached ticket in the same
 *   instant as the last one is a replay to the server (the clock did not move): refused, 1326.
 */
import type { FailureCause } from './counts';
import { UserTally } from './counts';
import { HOUR, userName, type FleetEvent } from './plan';
import type { FleetBase } from './world';

const PRT_REFRESH = 4 * HOUR;
const PRT_LIFE = 14 * 24 * HOUR;

interface Device {
  onPrem: number;
  cloudCached: number | undefined;
  cloudAp: number | undefined;
  prt: { update: number; expires: number } | undefined;
  refreshPending: boolean;
  freshBoot: boolean;
  proxyKnown: boolean;
  cloudPolicy: boolean;
  proxyPolicy: boolean;
  cifs: number | undefined;
  /** When the last AP-REQ went to the file server. */
  lastAp: number | undefined;
  mapped: boolean;
}

/** Why a share access failed, read from the device as it stands (the real path reads the world alike). */
export function causeOf(
  d: { cloudPolicy: boolean; cloudCached: number | undefined; proxyKnown: boolean },
  t: number,
): FailureCause {
  if (!d.cloudPolicy) return 'policy-off';
  if (d.cloudCached !== undefined && d.cloudCached > t) return d.proxyKnown ? 'no-prt-refresh' : 'proxy-lost';
  if (d.cloudCached !== undefined) return 'expired-cloud-tgt';
  return 'no-prt-refresh';
}

class ModelUser {
  private readonly d: Device;

  constructor(
    private readonly base: FleetBase,
    private readonly index: number,
    private readonly tally: UserTally,
  ) {
    this.d = {
      onPrem: -Infinity,
      cloudCached: undefined,
      cloudAp: undefined,
      prt: undefined,
      refreshPending: false,
      freshBoot: true,
      proxyKnown: base.initial.kdcProxy,
      cloudPolicy: base.initial.cloud,
      proxyPolicy: base.initial.kdcProxy,
      cifs: undefined,
      lastAp: undefined,
      mapped: false,
    };
  }

  private signIn(t: number): void {
    const d = this.d;
    const p = d.prt;
    if (!p || t >= p.expires || d.refreshPending || d.freshBoot || t - p.update >= PRT_REFRESH) {
      this.tally.count(t, 'prt');
      d.prt = { update: t, expires: t + PRT_LIFE };
      d.refreshPending = false;
      d.freshBoot = false;
      d.cloudAp = d.cloudPolicy ? t + this.base.life.cloudTgt : undefined;
    }
    if (d.cloudAp !== undefined && d.cloudPolicy && d.cloudAp > t) {
      d.cloudCached = d.cloudAp;
      d.proxyKnown = true;
    }
  }

  private access(t: number, what: 'net use' | 'reconnect'): boolean {
    const d = this.d;
    if (!(d.onPrem > t)) {
      this.tally.count(t, 'as', 2);
      d.onPrem = t + this.base.life.tgt;
    }
    if (d.cifs !== undefined && d.cifs > t) {
      if (d.lastAp !== t) return this.presented(t);
      this.tally.fail({ index: this.index, user: userName(this.index), t, what, cause: 'replay' });
      return false;
    }
    const mappedToCloud = d.cloudAp !== undefined && d.cloudPolicy;
    const cloudValid = d.cloudCached !== undefined && d.cloudCached > t;
    if (mappedToCloud && cloudValid && d.proxyKnown) {
      this.tally.count(t, 'tgs');
      this.tally.count(t, 'kkdcp');
      d.cifs = Math.min(t + this.base.life.cifs, d.cloudCached!);
      return this.presented(t);
    }
    if (!(mappedToCloud && cloudValid)) this.tally.count(t, 'tgs');
    this.tally.fail({ index: this.index, user: userName(this.index), t, what, cause: causeOf(d, t) });
    return false;
  }

  /** The AP-REQ with the cifs ticket: the server accepts it. */
  private presented(t: number): true {
    this.d.lastAp = t;
    return true;
  }

  /** What the device does on its own up to `until` (inclusive): each mapped drive reconnecting. */
  private passTo(until: number, after: number): void {
    const d = this.d;
    while (d.mapped && d.cifs !== undefined && d.cifs > after && d.cifs <= until) {
      const t = d.cifs;
      this.access(t, 'reconnect');
      after = t;
    }
  }

  private act(e: FleetEvent): void {
    const d = this.d;
    switch (e.do) {
      case 'logon':
        d.cifs = undefined;
        d.cloudCached = undefined;
        d.proxyKnown = d.proxyPolicy;
        this.tally.count(e.t, 'as', 2);
        d.onPrem = e.t + this.base.life.tgt;
        this.signIn(e.t);
        return;
      case 'unlock':
        this.signIn(e.t);
        return;
      case 'net-use':
        if (this.access(e.t, 'net use')) d.mapped = true;
        return;
      case 'network-change':
        d.proxyKnown = d.proxyPolicy;
        return;
      case 'dsregcmd-refresh-prt':
        d.refreshPending = true;
        return;
      case 'set-policy':
        if (e.policy === 'cloud-kerberos-ticket-retrieval') d.cloudPolicy = e.enabled;
        else {
          d.proxyPolicy = e.enabled;
          if (e.enabled) d.proxyKnown = true;
        }
        return;
      case 'lock':
        return;
    }
  }

  private held(t: number): number {
    const d = this.d;
    const valid = (end: number | undefined) => (end !== undefined && end > t ? 1 : 0);
    return valid(d.onPrem) + valid(d.cloudCached) + valid(d.cifs);
  }

  /** Plays the plan hour by hour: what is due by each hour's end, the count of tickets, then the events. */
  play(plan: readonly FleetEvent[]): void {
    let now = this.tally.start;
    let next = 0;
    this.tally.hours.forEach((_, i) => {
      const end = this.tally.start + (i + 1) * HOUR;
      while (next < plan.length && plan[next]!.t < end) {
        const e = plan[next++]!;
        this.passTo(e.t, now);
        now = e.t;
        this.act(e);
      }
      this.passTo(end, now);
      now = end;
      this.tally.held(i, this.held(end));
    });
    this.tally.close();
  }
}

/** One user's hours on the fast path. */
export function modelUser(
  base: FleetBase,
  index: number,
  plan: readonly FleetEvent[],
  hours: number,
): UserTally {
  const tally = new UserTally(base.start, hours);
  new ModelUser(base, index, tally).play(plan);
  return tally;
}
