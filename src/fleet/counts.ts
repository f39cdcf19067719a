/**
 * What a fleet run counts, per virtual hour, the same way whichever path played a user: requests seen on
 * the wire, tickets held at the hour's end, and each time a user could not reach the share, with why.
 */
export type FailureCause = 'expired-cloud-tgt' | 'no-prt-refresh' | 'proxy-lost' | 'policy-off' | 'replay';

export const CAUSES: readonly FailureCause[] = [
  'expired-cloud-tgt',
  'no-prt-refresh',
  'proxy-lost',
  'policy-off',
  'replay',
];

/** Each cause in words, for the report's legend and the CLI. */
export const CAUSE_WORDS: Record<FailureCause, string> = {
  'expired-cloud-tgt': 'the cloud TGT has expired (Entra does not renew it; the next PRT refresh brings one)',
  'no-prt-refresh': 'no cloud TGT: the PRT was not refreshed since the GPO came on (the 4-hour rule)',
  'proxy-lost': 'the cloud TGT is valid but the KDC proxy was forgotten on a network change',
  'policy-off': 'the GPO "Allow retrieving the cloud kerberos ticket during the logon" is off',
  replay:
    'the file server refused an AP-REQ made in the same instant as the last one with that ticket (KRB_AP_ERR_REPEAT): a `net use` in the very second a drive reconnected',
};

/** One failed access to the share: who, when, how (a `net use`, or a mapped drive reconnecting), why. */
export interface FleetFailure {
  index: number;
  user: string;
  /** The world's clock, ms. */
  t: number;
  what: 'net use' | 'reconnect';
  cause: FailureCause;
}

export interface HourCounts {
  as: number;
  tgs: number;
  kkdcp: number;
  prt: number;
  /** Valid tickets in the users' caches at the hour's end. */
  held: number;
  /** Failed accesses to the share in the hour. */
  failures: number;
  /** Users with at least one failed access in the hour, by the cause of their last one. */
  users: Record<FailureCause, number>;
}

export const emptyHour = (): HourCounts => ({
  as: 0,
  tgs: 0,
  kkdcp: 0,
  prt: 0,
  held: 0,
  failures: 0,
  users: { 'expired-cloud-tgt': 0, 'no-prt-refresh': 0, 'proxy-lost': 0, 'policy-off': 0, replay: 0 },
});

/** One user's hours, as either path counts them (added into the fleet's afterwards). */
export class UserTally {
  readonly hours: HourCounts[];
  readonly failures: FleetFailure[] = [];
  private readonly lastCause = new Map<number, FailureCause>();

  constructor(
    readonly start: number,
    count: number,
  ) {
    this.hours = Array.from({ length: count }, emptyHour);
  }

  hourOf(t: number): HourCounts | undefined {
    return this.hours[Math.floor((t - this.start) / 3_600_000)];
  }

  count(t: number, kind: 'as' | 'tgs' | 'kkdcp' | 'prt', n = 1): void {
    const h = this.hourOf(t);
    if (h) h[kind] += n;
  }

  fail(f: FleetFailure): void {
    const i = Math.floor((f.t - this.start) / 3_600_000);
    const h = this.hours[i];
    if (!h) return;
    h.failures++;
    this.failures.push(f);
    this.lastCause.set(i, f.cause);
  }

  /** Tickets held at the end of hour `i` (sampled at its last instant). */
  held(i: number, n: number): void {
    const h = this.hours[i];
    if (h) h.held = n;
  }

  /** The distinct-user counts, once the user's hours are all played. */
  close(): void {
    for (const [i, cause] of this.lastCause) this.hours[i]!.users[cause]++;
  }
}

/** Adds one user's hours into the fleet's. */
export function addHours(into: HourCounts[], from: readonly HourCounts[]): void {
  from.forEach((h, i) => {
    const t = into[i]!;
    t.as += h.as;
    t.tgs += h.tgs;
    t.kkdcp += h.kkdcp;
    t.prt += h.prt;
    t.held += h.held;
    t.failures += h.failures;
    for (const c of CAUSES) t.users[c] += h.users[c];
  });
}
