/**
 * The Kerberos client as an explicit state machine, in the sans-I/O style of h11 and of MIT's
 * `krb5_init_creds_step` / `krb5_tkt_creds_step`: the machine never sends, never reads a clock and never
 * draws randomness of its own. Each `step` is handed the host's clock reading and a random source, and
 * says what to send to which realm; the caller (the simulated world, or Node sockets) carries the bytes
 * and feeds back the reply, or the transport's failure.
 *
 * How the machine works
 * ---------------------
 * At rest it is IDLE (or DONE / FAILED after an operation). An operation starts it:
 *
 * - sign-in. AS_INITIAL sends an AS-REQ without pre-authentication, as MIT and Windows do, to learn what
 *   the KDC wants. KDC_ERR_PREAUTH_REQUIRED carries ETYPE-INFO2 with the salt (and s2kparams) for each
 *   enctype; the client makes its key from the password with that salt and moves to AS_PREAUTH, sending
 *   PA-ENC-TIMESTAMP. An AS-REP that decrypts and passes every check ends it: the TGT goes into the
 *   cache (which a sign-in starts afresh, as `kinit` does).
 *
 * - service ticket. The realm comes from the host-to-realm table, else the home realm (see realm.ts).
 *   When that realm is not home and no TGT for it is cached, TGS_GET_TGT asks the home KDC for
 *   krbtgt/TARGET; a KDC without a direct trust answers with krbtgt/NEXT, the next realm on its path,
 *   and the client asks NEXT in turn (MIT's STATE_GET_TGT). With a TGT for the target (or at home from the
 *   start) TGS_REFERRALS asks for the service itself, with canonicalize: a reply whose sname is
 *   krbtgt/OTHER instead of the service is a referral (RFC 6806 §8), followed to OTHER (MIT's
 *   STATE_REFERRALS). Every cross-realm TGT obtained is a hop; more hops than the limit, or a realm seen
 *   twice, stops the chase with a ReferralError.
 *
 * - renew. TGS_RENEW presents a renewable ticket with the RENEW option and stores what comes back.
 *
 * In any waiting state a KRB-ERROR ends the operation as a KdcError, with two exceptions: KRB_AP_ERR_SKEW
 * when kdc_timesync is on (MIT's default, Windows has none) retries once with the KDC's time from the
 * error; and KRB_ERR_RESPONSE_TOO_BIG asks the caller to send the same bytes again over TCP.
 *
 * The transitions are data (TRANSITIONS below): the machine moves only along a row of that table, so
 * the table the UI draws is the machine that runs.
 */
import {
  decodeEtypeInfo2,
  decodeMethodData,
  type EtypeInfo2Entry,
  type KdcRep,
  type PrincipalName,
} from '../asn1';
import { ErrorCode, KdcOption, PaType, flagsToNames, kdcOptions } from '../asn1/registry';
import {
  etypeName,
  IterationCountError,
  KeyUsage,
  MAX_ITERATIONS,
  principalSalt,
  randomKey,
  stringToKey,
  type RandomSource,
} from '../crypto';
import {
  formatName,
  formatPrincipal,
  parsePrincipal,
  sameName,
  tgsRealmOf,
  krbtgtName,
  hostOf,
  type Principal,
} from '../asn1/principal';
import { formatDuration, isoSeconds } from '../asn1/time';
import { KrbPlayError } from '../util/errors';
import {
  findCredential,
  findTgt,
  isExpired,
  storeCredential,
  newCredentialCache,
  type CachedCredential,
  type CredentialCache,
  type KeyData,
} from './cache';
import {
  ClientError,
  ClientInputError,
  CredentialError,
  KdcError,
  ReferralError,
  ReplyCheckError,
  TransportError,
} from './errors';
import { ClientNarrator, type ClientEvent } from './events';
import {
  UNLIMITED,
  checkEncPaRep,
  checkReply,
  credentialOf,
  encodeAsRequest,
  encodeTgsRequest,
  kdcTimeOf,
  newNonce,
  openReply,
  paEncTimestamp,
  paPacRequest,
  paReqEncPaRep,
  readKdcReply,
  type KdcReply,
} from './messages';
import { realmForHost, type RealmChoice } from './realm';

// ---- the machine as data -------------------------------------------------------------------------------

export type ClientState =
  'IDLE' | 'AS_INITIAL' | 'AS_PREAUTH' | 'TGS_GET_TGT' | 'TGS_REFERRALS' | 'TGS_RENEW' | 'DONE' | 'FAILED';

export type ClientTrigger =
  | 'sign-in'
  | 'get-ticket'
  | 'get-cross-realm-tgt'
  | 'found-in-cache'
  | 'renew'
  | 'cannot-start'
  | 'preauth-required'
  | 'as-rep'
  | 'timesync-retry'
  | 'response-too-big'
  | 'cross-realm-hop'
  | 'reached-target-realm'
  | 'cross-realm-tgt'
  | 'referral'
  | 'service-ticket'
  | 'renewed'
  | 'krb-error'
  | 'bad-reply'
  | 'transport-failure'
  | 'referral-limit';

export interface Transition {
  from: ClientState;
  on: ClientTrigger;
  to: ClientState;
  /** What happens on this edge, for the diagram's label and tooltip. */
  meaning: string;
}

export const AT_REST: readonly ClientState[] = ['IDLE', 'DONE', 'FAILED'];
export const WAITING: readonly ClientState[] = [
  'AS_INITIAL',
  'AS_PREAUTH',
  'TGS_GET_TGT',
  'TGS_REFERRALS',
  'TGS_RENEW',
];

const rows = (from: readonly ClientState[], on: ClientTrigger, to: ClientState | 'same', meaning: string) =>
  from.map((f): Transition => ({ from: f, on, to: to === 'same' ? f : to, meaning }));

/** Every edge the client can take. `step` refuses (as a bug) any move not listed here. */
export const TRANSITIONS: readonly Transition[] = [
  ...rows(
    AT_REST,
    'sign-in',
    'AS_INITIAL',
    'send an AS-REQ without pre-authentication, to learn what the KDC wants',
  ),
  ...rows(
    AT_REST,
    'get-ticket',
    'TGS_REFERRALS',
    'ask for the service with canonicalize, presenting a TGT for that realm',
  ),
  ...rows(
    AT_REST,
    'get-cross-realm-tgt',
    'TGS_GET_TGT',
    'the service is in another realm: ask the home KDC for krbtgt/TARGET',
  ),
  ...rows(
    AT_REST,
    'found-in-cache',
    'DONE',
    'a valid ticket for the service is already cached: nothing to send',
  ),
  ...rows(AT_REST, 'renew', 'TGS_RENEW', 'present the renewable ticket with the RENEW option'),
  ...rows(AT_REST, 'cannot-start', 'FAILED', 'no TGT, or it has expired on our clock: do not bother the KDC'),
  ...rows(
    ['AS_INITIAL'],
    'preauth-required',
    'AS_PREAUTH',
    'KDC_ERR_PREAUTH_REQUIRED: make the key with the salt from ETYPE-INFO2, send PA-ENC-TIMESTAMP',
  ),
  ...rows(
    ['AS_INITIAL', 'AS_PREAUTH'],
    'as-rep',
    'DONE',
    'the AS-REP decrypts and checks out: the TGT goes into the cache',
  ),
  ...rows(
    ['AS_PREAUTH', 'TGS_GET_TGT', 'TGS_REFERRALS', 'TGS_RENEW'],
    'timesync-retry',
    'same',
    'KRB_AP_ERR_SKEW with kdc_timesync: adopt the KDC time from the error and retry once',
  ),
  ...rows(
    WAITING,
    'response-too-big',
    'same',
    'KRB_ERR_RESPONSE_TOO_BIG: send the same request again over TCP',
  ),
  ...rows(
    ['TGS_GET_TGT'],
    'cross-realm-hop',
    'TGS_GET_TGT',
    'got krbtgt/NEXT, a realm on the path: ask NEXT for krbtgt/TARGET',
  ),
  ...rows(
    ['TGS_GET_TGT'],
    'reached-target-realm',
    'TGS_REFERRALS',
    'got krbtgt/TARGET: ask TARGET for the service',
  ),
  ...rows(
    ['TGS_GET_TGT'],
    'cross-realm-tgt',
    'DONE',
    'the cross-realm TGT itself was asked for: it is in the cache',
  ),
  ...rows(
    ['TGS_REFERRALS'],
    'referral',
    'TGS_REFERRALS',
    'a TGT krbtgt/OTHER came instead of the service: follow the referral to OTHER',
  ),
  ...rows(
    ['TGS_REFERRALS'],
    'service-ticket',
    'DONE',
    'the service ticket checks out: it goes into the cache',
  ),
  ...rows(['TGS_RENEW'], 'renewed', 'DONE', 'the renewed ticket replaces the old one in the cache'),
  ...rows(WAITING, 'krb-error', 'FAILED', 'the KDC refused: a KdcError with its code and e-text'),
  ...rows(WAITING, 'bad-reply', 'FAILED', 'the reply fails a check (decrypt, nonce, names, times): dropped'),
  ...rows(WAITING, 'transport-failure', 'FAILED', 'no KDC answered (timeout, unreachable)'),
  ...rows(
    ['TGS_GET_TGT', 'TGS_REFERRALS'],
    'referral-limit',
    'FAILED',
    'too many hops, or a realm seen twice',
  ),
];

// ---- configuration and the operations ---------------------------------------------------------------

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

export type ClientRequest =
  | { kind: 'sign-in'; password: string }
  | { kind: 'sign-in'; keys: KeyData[] }
  /** "cifs/fs1.example.test" (realm by mapping) or "cifs/fs1.example.test@OTHER.TEST" (explicit). */
  | { kind: 'service-ticket'; service: string }
  /** Renew the home TGT, or the ticket for `server` ("krbtgt/EXAMPLE.TEST@EXAMPLE.TEST"). */
  | { kind: 'renew'; server?: string };

export type StepInput =
  | { type: 'start'; request: ClientRequest }
  /** The KDC's reply; `from` names the KDC host for the cache's "Kdc Called". */
  | { type: 'reply'; bytes: Uint8Array; from?: string }
  | { type: 'transport-error'; failure: 'timeout' | 'unreachable'; message?: string };

export interface StepContext {
  /** The host's clock reading, ms since the epoch. */
  now: number;
  random: RandomSource;
}

export interface SendRequest {
  realm: string;
  bytes: Uint8Array;
  message: 'AS-REQ' | 'TGS-REQ';
  /** Resend over TCP: the KDC said the UDP reply would be too big. */
  preferTcp?: boolean;
}

export type ClientResult =
  | {
      ok: true;
      outcome: 'signed-in' | 'service-ticket' | 'renewed';
      credential: CachedCredential;
      /** Realms asked, in order (one for a sign-in). */
      path: string[];
      fromCache: boolean;
    }
  | { ok: false; error: ClientError };

export interface StepOutput {
  send?: SendRequest;
  done?: ClientResult;
  events: ClientEvent[];
  /** The state after this step. */
  state: ClientState;
}

/** What every exchange in flight keeps: where the request went and what it said. */
interface Flight {
  realm: string;
  bytes: Uint8Array;
  nonce: number;
  timesyncTried: boolean;
  preferTcp?: boolean;
}

interface AsOperation extends Flight {
  kind: 'as';
  cname: PrincipalName;
  password?: string;
  keys?: KeyData[];
  replyKey?: KeyData;
  till: number;
  rtime?: number;
}

interface TgsOperation extends Flight {
  kind: 'tgs';
  /** The service as asked, and how its realm was chosen. */
  service: PrincipalName;
  target: string;
  how: RealmChoice['how'] | 'explicit';
  /** The sname of the request in flight: krbtgt/TARGET in TGS_GET_TGT, the service in TGS_REFERRALS. */
  asked: PrincipalName;
  tgt: CachedCredential;
  subkey?: KeyData;
  options: number;
  till: number;
  path: string[];
  hops: number;
}

interface RenewOperation extends Flight {
  kind: 'renew';
  tgt: CachedCredential;
  subkey?: KeyData;
  options: number;
}

type Operation = AsOperation | TgsOperation | RenewOperation;

/** Everything the client is, as plain data: the world snapshots it with structuredClone. */
export interface ClientSnapshot {
  config: ClientConfig;
  cache: CredentialCache;
  state: ClientState;
  op?: Operation;
  /** The last authenticator time sent, in µs: the next is later, even on a clock that did not move. */
  lastAuthenticatorUs?: number;
}

// ---- the machine ---------------------------------------------------------------------------------------

/** An internal signal: the step ends here with this output (a send, a result). */
class Finish {
  constructor(readonly out: { send?: SendRequest; done?: ClientResult }) {}
}

export class KerberosClient {
  private s: ClientSnapshot;

  constructor(config: ClientConfig, cache: CredentialCache = newCredentialCache()) {
    parsePrincipal(config.principal); // a malformed name fails here, not mid-exchange
    this.s = { config: structuredClone(config), cache, state: 'IDLE' };
  }

  static restore(snapshot: ClientSnapshot): KerberosClient {
    const c = new KerberosClient(snapshot.config);
    c.s = structuredClone(snapshot);
    return c;
  }

  snapshot(): ClientSnapshot {
    return structuredClone(this.s);
  }

  get state(): ClientState {
    return this.s.state;
  }

  /** The live credential cache (snapshot() for a copy). */
  get cache(): CredentialCache {
    return this.s.cache;
  }

  get principal(): Principal {
    return this.s.cache.defaultPrincipal ?? parsePrincipal(this.s.config.principal);
  }

  /** KDC time minus host time, ms (0 until kdc_timesync learns it). */
  get clockOffset(): number {
    return this.s.cache.kdcOffset ?? 0;
  }

  /** One step: start an operation, or feed the reply (or the transport's failure) to the one in flight. */
  step(input: StepInput, ctx: StepContext): StepOutput {
    const atRest = AT_REST.includes(this.s.state);
    if (input.type === 'start' && !atRest) {
      throw new ClientInputError(`the client is busy (${this.s.state}); finish that exchange first`);
    }
    if (input.type !== 'start' && (atRest || !this.s.op)) {
      throw new ClientInputError('nothing is in flight: start an operation first');
    }
    const say = new ClientNarrator(this.actor);
    let finish: Finish;
    try {
      this.dispatch(input, ctx, say);
    } catch (e) {
      if (e instanceof Finish) finish = e;
      else if (e instanceof ClientInputError) throw e;
      else if (e instanceof KrbPlayError) finish = this.failWith(e, say);
      else throw e;
      return { ...finish.out, events: say.events, state: this.s.state };
    }
    throw new Error(`bug: the step in state ${this.s.state} ended without a send or a result`);
  }

  private dispatch(input: StepInput, ctx: StepContext, say: ClientNarrator): never {
    if (input.type === 'start') return this.start(input.request, ctx, say);
    const op = this.s.op!;
    if (input.type === 'transport-error') {
      say.say(
        'transport',
        `no answer from ${op.realm}: ${input.failure}${input.message ? ` (${input.message})` : ''}`,
        false,
      );
      return this.fail('transport-failure', new TransportError(input.failure, op.realm, input.message), say);
    }
    return this.receive(op, input, ctx, say);
  }

  /** A typed failure thrown anywhere in a step ends the operation along the matching edge. */
  private failWith(e: KrbPlayError, say: ClientNarrator): Finish {
    const error =
      e instanceof ClientError ? e : new ReplyCheckError('decode', `the reply cannot be used: ${e.message}`);
    const on: ClientTrigger =
      error instanceof KdcError
        ? 'krb-error'
        : error instanceof ReferralError
          ? 'referral-limit'
          : error instanceof TransportError
            ? 'transport-failure'
            : AT_REST.includes(this.s.state)
              ? 'cannot-start'
              : 'bad-reply';
    try {
      return this.fail(on, error, say);
    } catch (f) {
      if (f instanceof Finish) return f;
      throw f;
    }
  }

  // ---- moves -------------------------------------------------------------------------------------------

  private get actor(): string {
    return this.s.config.actor ?? `client ${this.s.config.principal}`;
  }

  private move(on: ClientTrigger): void {
    const t = TRANSITIONS.find((r) => r.from === this.s.state && r.on === on);
    if (!t) throw new Error(`bug: no transition from ${this.s.state} on ${on}`);
    this.s.state = t.to;
  }

  private send(on: ClientTrigger, op: Operation, message: 'AS-REQ' | 'TGS-REQ'): never {
    this.move(on);
    this.s.op = op;
    throw new Finish({
      send: { realm: op.realm, bytes: op.bytes, message, ...(op.preferTcp ? { preferTcp: true } : {}) },
    });
  }

  private succeed(on: ClientTrigger, result: Extract<ClientResult, { ok: true }>): never {
    this.move(on);
    delete this.s.op;
    throw new Finish({ done: result });
  }

  private fail(on: ClientTrigger, error: ClientError, say: ClientNarrator): never {
    if (!say.events.some((e) => !e.ok)) say.say('refuse', error.message, false);
    this.move(on);
    delete this.s.op;
    throw new Finish({ done: { ok: false, error } });
  }

  private get cfg() {
    const c = this.s.config;
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
    };
  }

  /** The host's clock, corrected by what kdc_timesync learned. */
  private now(ctx: StepContext): number {
    return ctx.now + (this.s.cache.kdcOffset ?? 0);
  }

  /**
   * The authenticator's ctime and cusec. Like MIT's krb5_us_timeofday, never the same twice: when the clock
   * has not moved since the last authenticator, the microseconds step on, so that a KDC's or service's
   * replay cache (same client, server, ctime, cusec: RFC 4120 §3.2.3) never mistakes two requests for one.
   */
  private authenticatorTime(ctx: StepContext): { time: Date; usec: number } {
    let us = Math.floor(this.now(ctx)) * 1000;
    const last = this.s.lastAuthenticatorUs;
    // A clock set back by more than a second (a new offset, a host whose time was changed) starts afresh.
    if (last !== undefined && us <= last && last - us < 1_000_000) us = last + 1;
    this.s.lastAuthenticatorUs = us;
    const seconds = Math.floor(us / 1_000_000);
    return { time: new Date(seconds * 1000), usec: us - seconds * 1_000_000 };
  }

  // ---- starting ----------------------------------------------------------------------------------------

  private start(req: ClientRequest, ctx: StepContext, say: ClientNarrator): never {
    delete this.s.op;
    switch (req.kind) {
      case 'sign-in':
        return this.startAs(req, ctx, say);
      case 'service-ticket':
        return this.startTgs(req.service, ctx, say);
      case 'renew':
        return this.startRenew(req.server, ctx, say);
    }
  }

  private startAs(
    req: { password: string } | { keys: KeyData[] },
    ctx: StepContext,
    say: ClientNarrator,
  ): never {
    const me = parsePrincipal(this.s.config.principal);
    const cfg = this.cfg;
    const now = this.now(ctx);
    const till = this.s.config.lifetime !== undefined ? now + this.s.config.lifetime : UNLIMITED.getTime();
    const wantsRenew = (cfg.asOptions & KdcOption.RENEWABLE) !== 0;
    const rtime = !wantsRenew
      ? undefined
      : this.s.config.renewLifetime !== undefined
        ? now + this.s.config.renewLifetime
        : UNLIMITED.getTime();
    const op: AsOperation = {
      kind: 'as',
      realm: me.realm,
      cname: { nameType: 1, nameString: me.name.nameString },
      ...('password' in req ? { password: req.password } : { keys: structuredClone(req.keys) }),
      till: Math.floor(till / 1000) * 1000,
      ...(rtime !== undefined ? { rtime: Math.floor(rtime / 1000) * 1000 } : {}),
      nonce: 0,
      bytes: new Uint8Array(0),
      timesyncTried: false,
    };
    this.buildAsReq(op, undefined, ctx);
    say.say(
      'request',
      `signing in as ${formatPrincipal(me)}: an AS-REQ for krbtgt/${me.realm} without pre-authentication, to learn what the KDC requires ` +
        `(options 0x${cfg.asOptions.toString(16).padStart(8, '0')}: ${flagsToNames(cfg.asOptions, kdcOptions).join(', ')}; ` +
        `enctypes ${cfg.etypes.map(etypeName).join(', ')}${cfg.requestPac ? '; asking for a PAC' : ''})`,
    );
    return this.send('sign-in', op, 'AS-REQ');
  }

  /** (Re)builds the AS-REQ of `op`, with PA-ENC-TIMESTAMP when a key is given. Fresh nonce each time. */
  private buildAsReq(op: AsOperation, key: KeyData | undefined, ctx: StepContext): void {
    const cfg = this.cfg;
    const padata = [];
    if (key) padata.push(paEncTimestamp(key, this.now(ctx), ctx.random));
    padata.push(paPacRequest(cfg.requestPac));
    if (cfg.requestEncPaRep) padata.push(paReqEncPaRep());
    op.nonce = newNonce(ctx.random);
    delete op.preferTcp; // a new request starts over UDP again, as MIT's sendto_kdc does
    op.bytes = encodeAsRequest({
      realm: op.realm,
      cname: op.cname,
      options: cfg.asOptions,
      etypes: cfg.etypes,
      till: new Date(op.till),
      ...(op.rtime !== undefined ? { rtime: new Date(op.rtime) } : {}),
      nonce: op.nonce,
      padata,
    });
  }

  private startTgs(serviceText: string, ctx: StepContext, say: ClientNarrator): never {
    const cache = this.s.cache;
    const home = cache.defaultPrincipal?.realm;
    const now = this.now(ctx);
    const parsed = parseService(serviceText);
    const service = parsed.name;
    const homeTgt = home ? findTgt(cache, home, { issuer: home }) : undefined;
    /** Refuses, as before any request, when the home TGT is missing or expired on our clock. */
    const needHomeTgt = (): CachedCredential => {
      if (!home || !homeTgt) {
        return this.fail(
          'cannot-start',
          new CredentialError(
            'no-tgt',
            `no ticket-granting ticket in the cache: sign in first, then ask for ${serviceText}`,
          ),
          say,
        );
      }
      if (this.cfg.checkTgtExpiry && isExpired(homeTgt, now)) {
        return this.fail(
          'cannot-start',
          new CredentialError(
            'expired',
            `the TGT ${formatPrincipal(homeTgt.server)} expired ${formatDuration(now - homeTgt.endtime)} ago, at ${isoSeconds(homeTgt.endtime)} (checked on our clock before asking the KDC): sign in again`,
            ErrorCode.KRB_AP_ERR_TKT_EXPIRED,
          ),
          say,
        );
      }
      return homeTgt;
    };
    // A logon session may hold a valid TGT of another realm handed in without a home TGT (Windows: the
    // cloud TGT of a cached logon, with no DC in sight). Then the home TGT is needed only if that realm's
    // TGT does not serve the request; otherwise the refusal comes first, before anything else is said.
    const handedIn =
      home !== undefined &&
      cache.credentials.some((c) => {
        const forRealm = tgsRealmOf(c.server.name);
        return (
          forRealm !== undefined && forRealm !== home && c.server.realm === forRealm && !isExpired(c, now)
        );
      });
    const tgt = handedIn ? homeTgt : needHomeTgt();
    if (!home) return needHomeTgt() as never;
    const towardRealm = tgsRealmOf(service);
    let target: string;
    let how: TgsOperation['how'];
    if (parsed.realm) {
      target = parsed.realm;
      how = 'explicit';
      say.say('request', `${formatName(service)} is asked for in realm ${target}, named explicitly`);
    } else if (towardRealm) {
      target = towardRealm;
      how = 'explicit';
    } else {
      const host = hostOf(service);
      const choice = host
        ? realmForHost(host, this.s.config.hostRealm, home)
        : { realm: home, how: 'home' as const };
      target = choice.realm;
      how = choice.how;
      say.say(
        'request',
        choice.how === 'home'
          ? `no host-to-realm mapping for ${host ?? formatName(service)}: asking the home realm ${home} with canonicalize, so that it can refer us on`
          : `the host-to-realm mapping (${choice.how === 'exact' ? 'exact host' : 'suffix'} "${choice.rule}") puts ${host} in ${target}`,
      );
    }

    const cached = towardRealm
      ? findTgt(cache, towardRealm, { now })
      : findCredential(cache, { name: service, ...(how !== 'home' ? { realm: target } : {}) }, { now });
    if (cached) {
      say.say(
        'cache',
        `found ${formatPrincipal(cached.server)} in the credential cache, valid until ${isoSeconds(cached.endtime)}: nothing to send`,
      );
      return this.succeed('found-in-cache', {
        ok: true,
        outcome: 'service-ticket',
        credential: cached,
        path: [],
        fromCache: true,
      });
    }

    const op: TgsOperation = {
      kind: 'tgs',
      service,
      target,
      how,
      asked: service,
      // undefined only with a handed-in TGT: each path below takes that one or checks the home TGT first
      tgt: tgt as CachedCredential,
      options: this.cfg.tgsOptions,
      till: this.s.config.lifetime !== undefined ? now + this.s.config.lifetime : UNLIMITED.getTime(),
      path: [home],
      hops: 0,
      realm: home,
      nonce: 0,
      bytes: new Uint8Array(0),
      timesyncTried: false,
    };
    if (target !== home) {
      const forTarget = findTgt(cache, target, { now });
      if (forTarget && !towardRealm) {
        op.tgt = forTarget;
        op.realm = target;
        op.path = [target];
        say.say(
          'cache',
          `a TGT for ${target} is cached (${formatPrincipal(forTarget.server)}): asking ${target} directly`,
        );
      } else {
        op.tgt = needHomeTgt();
        op.asked = krbtgtName(target);
        this.buildTgsReq(op, ctx);
        say.say(
          'request',
          `${target} is not our realm: asking our KDC (${home}) for a cross-realm TGT krbtgt/${target}, presenting our TGT`,
        );
        return this.send('get-cross-realm-tgt', op, 'TGS-REQ');
      }
    } else {
      op.tgt = needHomeTgt();
    }
    this.buildTgsReq(op, ctx);
    say.say(
      'request',
      `a TGS-REQ to ${op.realm} for ${formatName(service)}, presenting ${formatPrincipal(op.tgt.server)}` +
        (op.options & KdcOption.CANONICALIZE ? ', with canonicalize' : ''),
    );
    return this.send('get-ticket', op, 'TGS-REQ');
  }

  private buildTgsReq(op: TgsOperation | RenewOperation, ctx: StepContext): void {
    const cfg = this.cfg;
    op.nonce = newNonce(ctx.random);
    if (cfg.tgsSubkey) {
      const k = randomKey(op.tgt.sessionKey.etype, ctx.random);
      op.subkey = { etype: k.etype, bytes: k.bytes };
    } else {
      delete op.subkey;
    }
    op.bytes = encodeTgsRequest({
      realm: op.realm,
      sname: op.kind === 'tgs' ? op.asked : op.tgt.server.name,
      options: op.options,
      etypes: cfg.etypes,
      till: op.kind === 'tgs' ? new Date(op.till) : UNLIMITED,
      nonce: op.nonce,
      tgt: op.tgt,
      ctime: this.authenticatorTime(ctx),
      random: ctx.random,
      ...(op.subkey ? { subkey: op.subkey } : {}),
    });
    delete op.preferTcp;
  }

  private startRenew(serverText: string | undefined, ctx: StepContext, say: ClientNarrator): never {
    const cache = this.s.cache;
    const home = cache.defaultPrincipal?.realm;
    let cred: CachedCredential | undefined;
    if (serverText) {
      const p = parsePrincipal(serverText, home);
      cred = findCredential(cache, { name: p.name, realm: p.realm });
    } else if (home) {
      cred = findTgt(cache, home, { issuer: home });
    }
    if (!cred) {
      return this.fail(
        'cannot-start',
        new CredentialError(
          'no-credential',
          `nothing to renew: ${serverText ?? 'no TGT'} is not in the cache`,
        ),
        say,
      );
    }
    const now = this.now(ctx);
    // RFC 4120 §3.3.3.1: the new ticket keeps the flags of the old one; ask for them again with RENEW.
    const keep = cred.flags & (KdcOption.FORWARDABLE | KdcOption.PROXIABLE | KdcOption.RENEWABLE);
    const op: RenewOperation = {
      kind: 'renew',
      tgt: cred,
      options: (KdcOption.RENEW | keep) >>> 0,
      realm: cred.server.realm,
      nonce: 0,
      bytes: new Uint8Array(0),
      timesyncTried: false,
    };
    this.buildTgsReq(op, ctx);
    say.say(
      'renew',
      `renewing ${formatPrincipal(cred.server)} at ${isoSeconds(now)}: it ends at ${isoSeconds(cred.endtime)}` +
        (cred.renewTill !== undefined
          ? ` and may be renewed until ${isoSeconds(cred.renewTill)}`
          : ' and carries no renew-till') +
        '; a TGS-REQ with the RENEW option presents the ticket itself',
    );
    return this.send('renew', op, 'TGS-REQ');
  }

  // ---- receiving ---------------------------------------------------------------------------------------

  private receive(
    op: Operation,
    input: { bytes: Uint8Array; from?: string },
    ctx: StepContext,
    say: ClientNarrator,
  ): never {
    const reply = readKdcReply(input.bytes, op.kind === 'as' ? 'AS-REP' : 'TGS-REP');
    if (reply.type === 'KRB-ERROR') return this.onError(op, reply, ctx, say);
    const kdc = input.from ?? op.realm;
    if (op.kind === 'as') return this.onAsRep(op, reply.rep, kdc, ctx, say);
    if (op.kind === 'renew') return this.onRenewed(op, reply.rep, kdc, ctx, say);
    return this.onTgsRep(op, reply.rep, kdc, ctx, say);
  }

  private asked(op: Operation): string {
    if (op.kind === 'as') return `a TGT for ${formatName(op.cname)}@${op.realm}`;
    if (op.kind === 'renew') return `the renewal of ${formatPrincipal(op.tgt.server)}`;
    return `a ticket for ${formatName(op.asked)}`;
  }

  private onError(
    op: Operation,
    reply: Extract<KdcReply, { type: 'KRB-ERROR' }>,
    ctx: StepContext,
    say: ClientNarrator,
  ): never {
    const err = reply.error;
    const code = err.errorCode;
    const state = this.s.state;
    if (code === ErrorCode.KDC_ERR_PREAUTH_REQUIRED && op.kind === 'as' && state === 'AS_INITIAL') {
      return this.preauth(op, err.eData, ctx, say);
    }
    if (code === ErrorCode.KRB_ERR_RESPONSE_TOO_BIG) {
      say.say(
        'transport',
        `the KDC of ${op.realm} says its reply is too big for UDP: sending the same request over TCP`,
      );
      op.preferTcp = true;
      return this.send('response-too-big', op, op.kind === 'as' ? 'AS-REQ' : 'TGS-REQ');
    }
    const kdcTime = kdcTimeOf(err);
    if (code === ErrorCode.KRB_AP_ERR_SKEW && state !== 'AS_INITIAL') {
      const offset = kdcTime - ctx.now;
      const apart = `${formatDuration(Math.abs(offset))} ${offset > 0 ? 'behind' : 'ahead of'}`;
      if (this.cfg.timesync && !op.timesyncTried) {
        op.timesyncTried = true;
        this.s.cache.kdcOffset = offset;
        say.say(
          'skew',
          `KRB_AP_ERR_SKEW: our clock is ${apart} the KDC's (${isoSeconds(kdcTime)}); kdc_timesync is on, so we adopt the KDC's time (offset ${offset >= 0 ? '+' : '-'}${formatDuration(Math.abs(offset))}) and retry once`,
        );
        if (op.kind === 'as') this.buildAsReq(op, op.replyKey, ctx);
        else this.buildTgsReq(op, ctx);
        return this.send('timesync-retry', op, op.kind === 'as' ? 'AS-REQ' : 'TGS-REQ');
      }
      say.say(
        'skew',
        `KRB_AP_ERR_SKEW: our clock (${isoSeconds(ctx.now)}) is ${apart} the KDC's (${isoSeconds(kdcTime)})` +
          (this.cfg.timesync
            ? '; we already retried with its time once'
            : '; without kdc_timesync the client does not adjust: fix the clock'),
        false,
      );
    }
    return this.fail('krb-error', new KdcError(code, err.realm, this.asked(op), kdcTime, err.eText), say);
  }

  private preauth(
    op: AsOperation,
    eData: Uint8Array | undefined,
    ctx: StepContext,
    say: ClientNarrator,
  ): never {
    let entries: EtypeInfo2Entry[] = [];
    try {
      const md = eData ? decodeMethodData(eData) : [];
      const info = md.find((p) => p.padataType === PaType.PA_ETYPE_INFO2);
      if (info) entries = decodeEtypeInfo2(info.padataValue);
    } catch (e) {
      throw new ReplyCheckError(
        'decode',
        `KDC_ERR_PREAUTH_REQUIRED carries e-data that does not decode: ${(e as Error).message}`,
      );
    }
    const offered = this.cfg.etypes;
    let entry = entries.find((en) => offered.includes(en.etype) && this.canMakeKey(op, en.etype));
    if (!entry && entries.length === 0) {
      // No ETYPE-INFO2: RFC 4120 §3.1.3 default salt, our first enctype.
      const etype = offered.find((e) => this.canMakeKey(op, e));
      if (etype !== undefined) entry = { etype };
      say.say(
        'preauth',
        'the KDC wants pre-authentication but sent no ETYPE-INFO2: using the default salt (realm + name)',
      );
    }
    if (!entry) {
      throw new ReplyCheckError(
        'preauth',
        `the KDC wants pre-authentication with ${entries.map((en) => etypeName(en.etype)).join(', ')}, none of which we can make a key for`,
        ErrorCode.KDC_ERR_ETYPE_NOSUPP,
      );
    }
    const key = this.replyKey(op, entry);
    op.replyKey = key;
    const salt = entry.salt ?? principalSalt(op.realm, op.cname.nameString);
    if (entries.length > 0) {
      say.say(
        'preauth',
        `the KDC wants pre-authentication; the salt for ${etypeName(entry.etype)} is ${salt}` +
          (entry.s2kparams ? ` and the s2kparams ask for ${iterationsOf(entry.s2kparams)} iterations` : ''),
      );
    }
    this.buildAsReq(op, key, ctx);
    say.say(
      'preauth',
      `${op.password !== undefined ? 'made the key from the password (string-to-key)' : 'took the key from the keytab'} and sent our time encrypted in it ` +
        `(PA-ENC-TIMESTAMP, ${etypeName(key.etype)}, key usage 1), with a new nonce`,
    );
    return this.send('preauth-required', op, 'AS-REQ');
  }

  private canMakeKey(op: AsOperation, etype: number): boolean {
    return op.password !== undefined || (op.keys ?? []).some((k) => k.etype === etype);
  }

  private replyKey(op: AsOperation, entry: EtypeInfo2Entry): KeyData {
    if (op.password === undefined) {
      const k = (op.keys ?? []).find((x) => x.etype === entry.etype);
      if (!k) throw new ReplyCheckError('preauth', `no key of ${etypeName(entry.etype)} to answer with`, 14);
      return k;
    }
    const salt = entry.salt ?? principalSalt(op.realm, op.cname.nameString);
    let k;
    try {
      k = stringToKey(entry.etype, op.password, salt, entry.s2kparams ? { s2kparams: entry.s2kparams } : {});
    } catch (e) {
      // MIT's client refuses such s2kparams at once (KRB5_ERR_BAD_S2K_PARAMS): the KDC is misconfigured
      // or hostile, and waiting minutes for PBKDF2 helps nobody.
      if (e instanceof IterationCountError) {
        throw new ReplyCheckError(
          's2kparams',
          `the KDC of ${op.realm} asks for ${e.iterations} PBKDF2 iterations (ETYPE-INFO2 s2kparams) to make ` +
            `the ${etypeName(entry.etype)} key from the password: refused, since the most a client accepts ` +
            `is ${MAX_ITERATIONS} (2^24 - 1), as MIT krb5; so many would take minutes`,
        );
      }
      throw e;
    }
    return { etype: k.etype, bytes: k.bytes };
  }

  private onAsRep(op: AsOperation, rep: KdcRep, kdc: string, ctx: StepContext, say: ClientNarrator): never {
    if (!op.replyKey) {
      // The KDC answered without asking for pre-authentication: the salt, if any, is in the AS-REP's padata.
      let entry: EtypeInfo2Entry = { etype: rep.encPart.etype };
      const info = rep.padata?.find((p) => p.padataType === PaType.PA_ETYPE_INFO2);
      if (info) entry = decodeEtypeInfo2(info.padataValue)[0] ?? entry;
      op.replyKey = this.replyKey(op, entry);
      say.say(
        'reply',
        `the KDC answered at once, without asking for pre-authentication: making our ${etypeName(entry.etype)} key to read it`,
      );
    }
    const key = op.replyKey;
    const part = openReply(rep, key, KeyUsage.AS_REP_ENCPART, `our ${etypeName(key.etype)} key`);
    const me: Principal = { realm: op.realm, name: op.cname };
    const canonicalize = (this.cfg.asOptions & KdcOption.CANONICALIZE) !== 0;
    const now = this.now(ctx);
    checkReply(rep, part, {
      nonce: op.nonce,
      realm: op.realm,
      ...(canonicalize ? {} : { client: me }),
      server: (s) => sameName(s, krbtgtName(op.realm), canonicalize),
      serverText: `krbtgt/${op.realm}`,
      now,
      maxSkew: this.cfg.maxSkew,
      till: new Date(op.till),
      ...(op.rtime !== undefined ? { rtime: new Date(op.rtime) } : {}),
    });
    const protectedRep = this.cfg.requestEncPaRep && checkEncPaRep(part, key, op.bytes);
    const cred = credentialOf(rep, part, kdc);
    say.say(
      'verify',
      `the AS-REP decrypts with our ${etypeName(key.etype)} key (key usage 3); the nonce matches; ` +
        `${formatPrincipal(cred.server)} valid until ${isoSeconds(cred.endtime)}` +
        (cred.renewTill !== undefined ? `, renewable until ${isoSeconds(cred.renewTill)}` : '') +
        (protectedRep ? '; the checksum of our AS-REQ inside it matches (RFC 6806 §11)' : ''),
    );
    if (canonicalize && !sameName(rep.cname, op.cname)) {
      say.say(
        'verify',
        `the KDC canonicalized our name: ${formatName(op.cname)} is ${formatPrincipal(cred.client)}`,
      );
    }
    // A sign-in starts the cache afresh, as kinit does; a clock offset learned on the way is kept.
    const offset = this.s.cache.kdcOffset;
    this.s.cache = {
      defaultPrincipal: cred.client,
      credentials: [cred],
      ...(offset !== undefined ? { kdcOffset: offset } : {}),
    };
    say.say('cache', `stored the TGT in a fresh credential cache for ${formatPrincipal(cred.client)}`);
    return this.succeed('as-rep', {
      ok: true,
      outcome: 'signed-in',
      credential: cred,
      path: [op.realm],
      fromCache: false,
    });
  }

  /** Opens and checks a TGS-REP against the request in flight; `server` says which snames are acceptable. */
  private openTgsRep(
    op: TgsOperation | RenewOperation,
    rep: KdcRep,
    ctx: StepContext,
    server: (s: PrincipalName) => boolean,
    serverText: string,
  ) {
    const key = op.subkey ?? op.tgt.sessionKey;
    const usage = op.subkey ? KeyUsage.TGS_REP_ENCPART_SUBKEY : KeyUsage.TGS_REP_ENCPART_SESSKEY;
    const part = openReply(rep, key, usage, op.subkey ? 'our authenticator subkey' : 'the TGT session key');
    checkReply(rep, part, {
      nonce: op.nonce,
      realm: op.realm,
      client: op.tgt.client,
      server,
      serverText,
      now: this.now(ctx),
      maxSkew: this.cfg.maxSkew,
      till: op.kind === 'tgs' ? new Date(op.till) : UNLIMITED,
    });
    return { part, usage };
  }

  private onTgsRep(op: TgsOperation, rep: KdcRep, kdc: string, ctx: StepContext, say: ClientNarrator): never {
    const canonicalize = (op.options & KdcOption.CANONICALIZE) !== 0;
    const askingTgt = tgsRealmOf(op.asked) !== undefined;
    const { part } = this.openTgsRep(
      op,
      rep,
      ctx,
      (s) =>
        sameName(s, op.asked, canonicalize) ||
        (canonicalize || askingTgt ? (tgsRealmOf(s) ?? op.realm) !== op.realm : false),
      `${formatName(op.asked)}@${op.realm}`,
    );
    const cred = credentialOf(rep, part, kdc);
    const gotRealm = tgsRealmOf(part.sname);
    say.say(
      'verify',
      `the TGS-REP decrypts with ${op.subkey ? 'our subkey (key usage 9)' : 'the TGT session key (key usage 8)'}; ` +
        `the nonce matches; it holds ${formatPrincipal(cred.server)}, valid until ${isoSeconds(cred.endtime)}`,
    );
    storeCredential(this.s.cache, cred);

    if (gotRealm !== undefined && !sameName(part.sname, op.asked, canonicalize)) {
      // A cross-realm TGT we did not ask for by name: the next hop on a path, or a referral.
      const inGetTgt = this.s.state === 'TGS_GET_TGT';
      this.checkHop(op, gotRealm, say, inGetTgt ? 'path' : 'referral');
      op.hops += 1;
      op.path.push(gotRealm);
      op.tgt = cred;
      op.realm = gotRealm;
      op.timesyncTried = false;
      if (inGetTgt) {
        say.say(
          'referral',
          `${part.srealm} has no direct trust to ${op.target}: it gave us a TGT for ${gotRealm}, the next realm on its path (hop ${op.hops} of ${this.cfg.maxHops}); asking ${gotRealm} for krbtgt/${op.target}`,
        );
        this.buildTgsReq(op, ctx);
        return this.send('cross-realm-hop', op, 'TGS-REQ');
      }
      say.say(
        'referral',
        `the DC of ${part.srealm} referred us to ${gotRealm} (a TGT ${formatPrincipal(cred.server)} instead of ${formatName(op.asked)}); following the referral (hop ${op.hops} of ${this.cfg.maxHops})`,
      );
      this.buildTgsReq(op, ctx);
      return this.send('referral', op, 'TGS-REQ');
    }

    if (this.s.state === 'TGS_GET_TGT') {
      op.hops += 1;
      op.path.push(op.target);
      if (tgsRealmOf(op.service) !== undefined) {
        say.say('cache', `stored the cross-realm TGT ${formatPrincipal(cred.server)}`);
        return this.succeed('cross-realm-tgt', {
          ok: true,
          outcome: 'service-ticket',
          credential: cred,
          path: op.path,
          fromCache: false,
        });
      }
      op.asked = op.service;
      op.tgt = cred;
      op.realm = op.target;
      op.timesyncTried = false;
      say.say(
        'request',
        `we hold a TGT for ${op.target} (${formatPrincipal(cred.server)}, hop ${op.hops} of ${this.cfg.maxHops}): asking ${op.target} for ${formatName(op.service)}`,
      );
      this.buildTgsReq(op, ctx);
      return this.send('reached-target-realm', op, 'TGS-REQ');
    }

    if (!sameName(part.sname, op.asked)) {
      say.say(
        'verify',
        `the KDC canonicalized the service name: ${formatName(op.asked)} is ${formatName(part.sname)}`,
      );
    }
    say.say(
      'cache',
      `stored the service ticket ${formatPrincipal(cred.server)} (session key ${etypeName(cred.sessionKey.etype)})`,
    );
    return this.succeed('service-ticket', {
      ok: true,
      outcome: 'service-ticket',
      credential: cred,
      path: op.path,
      fromCache: false,
    });
  }

  /** The hop limit and loop detection, before a cross-realm TGT is followed. */
  private checkHop(op: TgsOperation, next: string, say: ClientNarrator, what: 'path' | 'referral'): void {
    const { maxHops, detectLoops } = this.cfg;
    const path = [...op.path, next];
    if (detectLoops && op.path.includes(next)) {
      say.say(
        'referral',
        `${op.realm} sends us to ${next}, where we have been already: a referral loop; stopping`,
        false,
      );
      throw new ReferralError(
        'loop',
        path,
        maxHops,
        `the ${what === 'path' ? 'cross-realm path' : 'referrals'} for ${formatName(op.service)} went in a loop: ${next} came up a second time`,
      );
    }
    if (op.hops + 1 > maxHops) {
      say.say(
        'referral',
        `${op.realm} sends us to ${next}: that would be hop ${op.hops + 1}, over the limit of ${maxHops}; stopping`,
        false,
      );
      throw new ReferralError(
        'hop-limit',
        path,
        maxHops,
        `gave up on ${formatName(op.service)} after ${maxHops} cross-realm hops (the limit); the KDCs keep referring onwards`,
      );
    }
  }

  private onRenewed(
    op: RenewOperation,
    rep: KdcRep,
    kdc: string,
    ctx: StepContext,
    say: ClientNarrator,
  ): never {
    const old = op.tgt;
    const { part } = this.openTgsRep(
      op,
      rep,
      ctx,
      (s) => sameName(s, old.server.name),
      formatPrincipal(old.server),
    );
    const cred = credentialOf(rep, part, kdc);
    storeCredential(this.s.cache, cred);
    say.say(
      'renew',
      `renewed ${formatPrincipal(cred.server)}: now valid from ${isoSeconds(cred.starttime)} until ${isoSeconds(cred.endtime)} ` +
        `(it was until ${isoSeconds(old.endtime)})` +
        (cred.renewTill !== undefined ? `, still renewable until ${isoSeconds(cred.renewTill)}` : '') +
        (cred.sessionKey.etype === old.sessionKey.etype ? '' : '; new session key type'),
    );
    return this.succeed('renewed', {
      ok: true,
      outcome: 'renewed',
      credential: cred,
      path: [op.realm],
      fromCache: false,
    });
  }
}

/** "cifs/fs1.example.test[@REALM]": the name, and the realm when one is written. */
function parseService(text: string): { name: PrincipalName; realm?: string } {
  const NONE = '\u0000none';
  let p: Principal;
  try {
    p = parsePrincipal(text, NONE);
  } catch (e) {
    throw new ClientInputError(e instanceof KrbPlayError ? e.message : String(e));
  }
  return p.realm === NONE ? { name: p.name } : { name: p.name, realm: p.realm };
}

/** The AES iteration count in s2kparams (RFC 3962 §4: 4 bytes, big-endian). */
function iterationsOf(s2kparams: Uint8Array): number {
  return s2kparams.length === 4 ? new DataView(s2kparams.buffer, s2kparams.byteOffset, 4).getUint32(0) : NaN;
}
