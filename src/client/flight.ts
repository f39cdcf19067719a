/**
 * What the AS, TGS and renewal steps share once a request is in flight: building a TGS-REQ (the TGS and
 * the renewal send one), opening a TGS-REP, and the KRB-ERRORs every waiting state answers alike —
 * KRB_ERR_RESPONSE_TOO_BIG (send again over TCP, RFC 4120 §7.2.1) and KRB_AP_ERR_SKEW under kdc_timesync
 * (retry once on the KDC's time, as MIT does); any other code ends the operation as a KdcError.
 */
import type { KdcRep, KrbError, PrincipalName } from '../asn1';
import { ErrorCode } from '../asn1/registry';
import { KeyUsage, randomKey } from '../crypto';
import { formatName, formatPrincipal } from '../asn1/principal';
import { formatDuration, isoSeconds } from '../asn1/time';
import { KdcError } from './errors';
import { UNLIMITED, checkReply, encodeTgsRequest, kdcTimeOf, newNonce, openReply } from './messages';
import { edge } from './states';
import {
  authenticatorTime,
  kdcNow,
  type Move,
  type Operation,
  type RenewOperation,
  type StepEnv,
  type TgsOperation,
} from './step';

/** What was asked for, as a KdcError says it ("a TGT for alice@EXAMPLE.TEST", "a ticket for cifs/…"). */
export function askedOf(op: Operation): string {
  if (op.kind === 'as') return `a TGT for ${formatName(op.cname)}@${op.realm}`;
  if (op.kind === 'renew') return `the renewal of ${formatPrincipal(op.tgt.server)}`;
  return `a ticket for ${formatName(op.asked)}`;
}

/** `op` with a new TGS-REQ: fresh nonce, fresh subkey (when configured), back to UDP. */
export function withTgsReq<O extends TgsOperation | RenewOperation>(env: StepEnv, op: O): O {
  const { cfg, ctx } = env;
  const { preferTcp: _tcp, subkey: _old, ...rest } = op;
  const nonce = newNonce(ctx.random);
  let subkey;
  if (cfg.tgsSubkey) {
    const k = randomKey(op.tgt.sessionKey.etype, ctx.random);
    subkey = { etype: k.etype, bytes: k.bytes };
  }
  const bytes = encodeTgsRequest({
    realm: op.realm,
    sname: op.kind === 'tgs' ? op.asked : op.tgt.server.name,
    options: op.options,
    etypes: cfg.etypes,
    till: op.kind === 'tgs' ? new Date(op.till) : UNLIMITED,
    nonce,
    tgt: op.tgt,
    ctime: authenticatorTime(env),
    random: ctx.random,
    ...(subkey ? { subkey } : {}),
  });
  return { ...rest, nonce, bytes, ...(subkey ? { subkey } : {}) } as O;
}

/** Opens and checks a TGS-REP against the request in flight; `server` says which snames are acceptable. */
export function openTgsRep(
  env: StepEnv,
  op: TgsOperation | RenewOperation,
  rep: KdcRep,
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
    now: kdcNow(env),
    maxSkew: env.cfg.maxSkew,
    till: op.kind === 'tgs' ? new Date(op.till) : UNLIMITED,
  });
  return { part, usage };
}

/**
 * A KRB-ERROR in a waiting state: send again over TCP, retry once on the KDC's time, or fail. `rebuild`
 * makes the same request afresh (new nonce, new timestamp) for the retry.
 */
export function onKrbError<O extends Operation>(
  env: StepEnv,
  op: O,
  err: KrbError,
  rebuild: (op: O) => O,
): Move {
  const { say, ctx } = env;
  const code = err.errorCode;
  const state = env.client.state;
  if (code === ErrorCode.KRB_ERR_RESPONSE_TOO_BIG && edge(state, 'response-too-big')) {
    say.say(
      'transport',
      `the KDC of ${op.realm} says its reply is too big for UDP: sending the same request over TCP`,
    );
    return { on: 'response-too-big', next: { ...op, preferTcp: true } };
  }
  const kdcTime = kdcTimeOf(err);
  if (code === ErrorCode.KRB_AP_ERR_SKEW && edge(state, 'timesync-retry')) {
    const offset = kdcTime - ctx.now;
    const apart = `${formatDuration(Math.abs(offset))} ${offset > 0 ? 'behind' : 'ahead of'}`;
    if (env.cfg.timesync && !op.timesyncTried) {
      env.client.cache.kdcOffset = offset;
      say.say(
        'skew',
        `KRB_AP_ERR_SKEW: our clock is ${apart} the KDC's (${isoSeconds(kdcTime)}); kdc_timesync is on, so we adopt the KDC's time (offset ${offset >= 0 ? '+' : '-'}${formatDuration(Math.abs(offset))}) and retry once`,
      );
      return { on: 'timesync-retry', next: rebuild({ ...op, timesyncTried: true }) };
    }
    say.say(
      'skew',
      `KRB_AP_ERR_SKEW: our clock (${isoSeconds(ctx.now)}) is ${apart} the KDC's (${isoSeconds(kdcTime)})` +
        (env.cfg.timesync
          ? '; we already retried with its time once'
          : '; without kdc_timesync the client does not adjust: fix the clock'),
      false,
    );
  }
  return { fail: new KdcError(code, err.realm, askedOf(op), kdcTime, err.eText) };
}
