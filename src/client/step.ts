/**
 * The step API, in the sans-I/O style of h11 and of MIT's `krb5_init_creds_step` /
 * `krb5_tkt_creds_step`: a step is handed the host's clock reading and a random source, and says what to
 * send to which realm, or how the operation ended; the caller carries the bytes and feeds back the reply,
 * or the transport's failure. Here are the types of that exchange, of the client's state as plain data,
 * and of a `Move`: what one step function (as.ts, tgs.ts, renew.ts) decides.
 */
import type { PrincipalName } from '../asn1';
import type { RandomSource } from '../crypto';
import type { CachedCredential, CredentialCache, KeyData } from './cache';
import type { ClientConfig, Settings } from './config';
import type { ClientError } from './errors';
import type { ClientEvent, ClientNarrator } from './events';
import type { RealmChoice } from './realm';
import type { ClientState, ClientTrigger } from './states';

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

export type ClientSuccess = {
  ok: true;
  outcome: 'signed-in' | 'service-ticket' | 'renewed';
  credential: CachedCredential;
  /** Realms asked, in order (one for a sign-in). */
  path: string[];
  fromCache: boolean;
};

export type ClientResult = ClientSuccess | { ok: false; error: ClientError };

/** What one step gives back: a request to send, or the operation's result; never both. */
export type StepOutput = (
  { send: SendRequest; done?: undefined } | { done: ClientResult; send?: undefined }
) & {
  events: ClientEvent[];
  /** The edge of TRANSITIONS this step took. */
  on: ClientTrigger;
  /** The state after this step: the `to` of that edge. */
  state: ClientState;
};

/** What every exchange in flight keeps: where the request went and what it said. */
export interface Flight {
  realm: string;
  bytes: Uint8Array;
  nonce: number;
  timesyncTried: boolean;
  preferTcp?: boolean;
}

export interface AsOperation extends Flight {
  kind: 'as';
  cname: PrincipalName;
  password?: string;
  keys?: KeyData[];
  replyKey?: KeyData;
  till: number;
  rtime?: number;
}

export interface TgsOperation extends Flight {
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

export interface RenewOperation extends Flight {
  kind: 'renew';
  tgt: CachedCredential;
  subkey?: KeyData;
  options: number;
}

export type Operation = AsOperation | TgsOperation | RenewOperation;

/** Everything the client is, as plain data: the world snapshots it with structuredClone. */
export interface ClientSnapshot {
  config: ClientConfig;
  cache: CredentialCache;
  state: ClientState;
  op?: Operation;
  /** The last authenticator time sent, in µs: the next is later, even on a clock that did not move. */
  lastAuthenticatorUs?: number;
}

/**
 * What a step function works in: the client's state being stepped (a step writes its cache, as MIT's
 * steps write the ccache), the settings, the host's clock and randomness, and the narrator.
 */
export interface StepEnv {
  readonly client: ClientSnapshot;
  readonly cfg: Settings;
  readonly ctx: StepContext;
  readonly say: ClientNarrator;
}

/**
 * What a step function decides: take edge `on` with `next` in flight (its request is what to send),
 * take edge `on` to a result, or fail (the edge follows from the error, see machine.ts).
 */
export type Move =
  { on: ClientTrigger; next: Operation } | { on: ClientTrigger; done: ClientSuccess } | { fail: ClientError };

/** The host's clock, corrected by what kdc_timesync learned. */
export function kdcNow(env: StepEnv): number {
  return env.ctx.now + (env.client.cache.kdcOffset ?? 0);
}

/**
 * The authenticator's ctime and cusec. Like MIT's krb5_us_timeofday, never the same twice: when the clock
 * has not moved since the last authenticator, the microseconds step on, so that a KDC's or service's
 * replay cache (same client, server, ctime, cusec: RFC 4120 §3.2.3) never mistakes two requests for one.
 */
export function authenticatorTime(env: StepEnv): { time: Date; usec: number } {
  let us = Math.floor(kdcNow(env)) * 1000;
  const last = env.client.lastAuthenticatorUs;
  // A clock set back by more than a second (a new offset, a host whose time was changed) starts afresh.
  if (last !== undefined && us <= last && last - us < 1_000_000) us = last + 1;
  env.client.lastAuthenticatorUs = us;
  const seconds = Math.floor(us / 1_000_000);
  return { time: new Date(seconds * 1000), usec: us - seconds * 1_000_000 };
}
