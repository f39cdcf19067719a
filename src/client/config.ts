/**
 * How a client is set up (the krb5.conf [libdefaults] and Windows policy a host has), and the settings a
 * step works with once every default is filled in.
 */

const MINUTE = 60_000;

/** Windows' AS-REQ options (PROTOCOL-NOTES.md): forwardable, renewable, canonicalize, renewable-ok. */
export const WINDOWS_AS_OPTIONS = 0x40810010;
/** Windows' TGS-REQ options: forwardable, renewable, canonicalize. */
export const WINDOWS_TGS_OPTIONS = 0x40810000;

export interface ClientConfig {
  /** The user: "alice@EXAMPLE.TEST". */
  principal: string;
  /** Who speaks in the narration (default "client alice@EXAMPLE.TEST"); the world passes the host. */
  actor?: string;
  /** Enctypes offered, in order of preference (default aes256, aes128, rc4, as Windows). */
  etypes?: number[];
  asOptions?: number;
  tgsOptions?: number;
  /** PA-PAC-REQUEST include-pac (default true). */
  requestPac?: boolean;
  /** Send PA-REQ-ENC-PA-REP and check the KDC's checksum of our AS-REQ (default true). */
  requestEncPaRep?: boolean;
  /** Put a subkey in TGS authenticators so the reply comes in it (key usage 9; default true, as MIT). */
  tgsSubkey?: boolean;
  /** Explicit host-to-realm mapping: "host.example.test" (exact) or ".example.test" (suffix) → realm. */
  hostRealm?: Record<string, string>;
  /** Most cross-realm TGTs one request may collect (default 10, MIT's KRB5_REFERRAL_MAXHOPS). */
  maxReferralHops?: number;
  /** Stop when a realm comes up twice (default true). */
  detectReferralLoops?: boolean;
  /** MIT kdc_timesync: retry once after KRB_AP_ERR_SKEW with the KDC's time (default false, as Windows). */
  kdcTimesync?: boolean;
  /** The largest clock difference the client accepts in a reply's times (default 5 min). */
  maxSkew?: number;
  /** Ticket lifetime and renewable lifetime to ask for, ms (default: leave it to policy). */
  lifetime?: number;
  renewLifetime?: number;
  /** Refuse locally to use an expired TGT, as MIT does (default true). */
  checkTgtExpiry?: boolean;
}

/** A configuration with every default filled in. */
export interface Settings {
  etypes: number[];
  asOptions: number;
  tgsOptions: number;
  requestPac: boolean;
  requestEncPaRep: boolean;
  tgsSubkey: boolean;
  maxHops: number;
  detectLoops: boolean;
  timesync: boolean;
  maxSkew: number;
  checkTgtExpiry: boolean;
  /** Lifetime and renewable lifetime to ask for, ms; undefined leaves them to policy. */
  lifetime: number | undefined;
  renewLifetime: number | undefined;
  hostRealm: Readonly<Record<string, string>> | undefined;
}

export function settingsOf(c: ClientConfig): Settings {
  return {
    etypes: c.etypes ?? [18, 17, 23],
    asOptions: c.asOptions ?? WINDOWS_AS_OPTIONS,
    tgsOptions: c.tgsOptions ?? WINDOWS_TGS_OPTIONS,
    requestPac: c.requestPac ?? true,
    requestEncPaRep: c.requestEncPaRep ?? true,
    tgsSubkey: c.tgsSubkey ?? true,
    maxHops: c.maxReferralHops ?? 10,
    detectLoops: c.detectReferralLoops ?? true,
    timesync: c.kdcTimesync ?? false,
    maxSkew: c.maxSkew ?? 5 * MINUTE,
    checkTgtExpiry: c.checkTgtExpiry ?? true,
    lifetime: c.lifetime,
    renewLifetime: c.renewLifetime,
    hostRealm: c.hostRealm,
  };
}

/** Who speaks in the narration. */
export function actorOf(c: ClientConfig): string {
  return c.actor ?? `client ${c.principal}`;
}
