/**
 * The TGS exchange with its referral chase, as step functions (MIT's `krb5_tkt_creds_step`).
 *
 * `startTgs` picks the service's realm (explicit, mapped, or home with canonicalize), answers from the
 * cache when it can, and otherwise sends the first TGS-REQ: for krbtgt/TARGET to the home KDC
 * (TGS_GET_TGT) when the target is another realm without a cached TGT, else for the service itself
 * (TGS_REFERRALS). `tgsStep` reads each TGS-REP: in TGS_GET_TGT a krbtgt/NEXT is the next hop on the
 * path (MIT's STATE_GET_TGT), krbtgt/TARGET means "now ask TARGET for the service"; in TGS_REFERRALS a
 * krbtgt/OTHER instead of the service is a referral (RFC 6806 §8) and the service ticket ends it.
 */
import type { PrincipalName } from '../asn1';
import { ErrorCode, KdcOption } from '../asn1/registry';
import { etypeName } from '../crypto';
import {
  formatName,
  formatPrincipal,
  hostOf,
  krbtgtName,
  parsePrincipal,
  sameName,
  tgsRealmOf,
  type Principal,
} from '../asn1/principal';
import { formatDuration, isoSeconds } from '../asn1/time';
import { KrbPlayError } from '../util/errors';
import {
  findCredential,
  findTgt,
  isExpired,
  storeCredential,
  type CachedCredential,
  type CredentialCache,
} from './cache';
import { ClientInputError, CredentialError, ReferralError } from './errors';
import { onKrbError, openTgsRep, withTgsReq } from './flight';
import { UNLIMITED, credentialOf, type KdcReply } from './messages';
import { realmForHost } from './realm';
import { kdcNow, type Move, type StepEnv, type TgsOperation } from './step';

// ---- starting ----------------------------------------------------------------------------------------

export function startTgs(env: StepEnv, serviceText: string): Move {
  const { say, cfg } = env;
  const cache = env.client.cache;
  const home = cache.defaultPrincipal?.realm;
  const now = kdcNow(env);
  const { name: service, realm: explicitRealm } = parseService(serviceText);
  if (home === undefined) return { fail: noTgt(serviceText) };
  const homeTgt = usableHomeTgt(env, home, now, serviceText);
  // A logon session may hold a valid TGT of another realm handed in without a home TGT (Windows: the
  // cloud TGT of a cached logon, with no DC in sight). Then the home TGT is needed only if that realm's
  // TGT does not serve the request; otherwise the refusal comes first, before anything else is said.
  if (!('tgt' in homeTgt) && !holdsHandedInTgt(cache, home, now)) return homeTgt;
  const towardRealm = tgsRealmOf(service);
  const { target, how, why } = targetRealm(env, service, explicitRealm, towardRealm, home);

  const cached = towardRealm
    ? findTgt(cache, towardRealm, { now })
    : findCredential(cache, { name: service, ...(how !== 'home' ? { realm: target } : {}) }, { now });
  if (cached) {
    say.say(
      'cache',
      `found ${formatPrincipal(cached.server)} in the credential cache, valid until ${isoSeconds(cached.endtime)}: nothing to send`,
    );
    return {
      on: 'found-in-cache',
      done: { ok: true, outcome: 'service-ticket', credential: cached, path: [], fromCache: true },
    };
  }
  if (why) say.say('request', why);

  const base = {
    kind: 'tgs' as const,
    service,
    target,
    how,
    asked: service,
    options: cfg.tgsOptions,
    till: cfg.lifetime !== undefined ? now + cfg.lifetime : UNLIMITED.getTime(),
    hops: 0,
    nonce: 0,
    bytes: new Uint8Array(0),
    timesyncTried: false,
  };
  if (target !== home) {
    const forTarget = findTgt(cache, target, { now });
    if (forTarget && !towardRealm) {
      say.say(
        'cache',
        `a TGT for ${target} is cached (${formatPrincipal(forTarget.server)}): asking ${target} directly`,
      );
      return askService(env, { ...base, tgt: forTarget, realm: target, path: [target] });
    }
    if (!('tgt' in homeTgt)) return homeTgt;
    const op = withTgsReq(env, {
      ...base,
      asked: krbtgtName(target),
      tgt: homeTgt.tgt,
      realm: home,
      path: [home],
    });
    say.say(
      'request',
      `${target} is not our realm: asking our KDC (${home}) for a cross-realm TGT krbtgt/${target}, presenting our TGT`,
    );
    return { on: 'get-cross-realm-tgt', next: op };
  }
  if (!('tgt' in homeTgt)) return homeTgt;
  return askService(env, { ...base, tgt: homeTgt.tgt, realm: home, path: [home] });
}

/** A TGS-REQ for the service itself, to the realm of `op`'s TGT (TGS_REFERRALS). */
function askService(env: StepEnv, op: TgsOperation): Move {
  const next = withTgsReq(env, op);
  env.say.say(
    'request',
    `a TGS-REQ to ${next.realm} for ${formatName(next.service)}, presenting ${formatPrincipal(next.tgt.server)}` +
      (next.options & KdcOption.CANONICALIZE ? ', with canonicalize' : ''),
  );
  return { on: 'get-ticket', next };
}

function noTgt(serviceText: string): CredentialError {
  return new CredentialError(
    'no-tgt',
    `no ticket-granting ticket in the cache: sign in first, then ask for ${serviceText}`,
  );
}

/** The home TGT, or the refusal to ask without one: missing, or expired on our clock (as MIT checks). */
function usableHomeTgt(
  env: StepEnv,
  home: string,
  now: number,
  serviceText: string,
): { tgt: CachedCredential } | { fail: CredentialError } {
  const homeTgt = findTgt(env.client.cache, home, { issuer: home });
  if (!homeTgt) return { fail: noTgt(serviceText) };
  if (env.cfg.checkTgtExpiry && isExpired(homeTgt, now)) {
    return {
      fail: new CredentialError(
        'expired',
        `the TGT ${formatPrincipal(homeTgt.server)} expired ${formatDuration(now - homeTgt.endtime)} ago, at ${isoSeconds(homeTgt.endtime)} (checked on our clock before asking the KDC): sign in again`,
        ErrorCode.KRB_AP_ERR_TKT_EXPIRED,
      ),
    };
  }
  return { tgt: homeTgt };
}

/** A valid TGT for another realm, issued by that realm's KDC (handed in, not obtained through home). */
function holdsHandedInTgt(cache: CredentialCache, home: string, now: number): boolean {
  return cache.credentials.some((c) => {
    const forRealm = tgsRealmOf(c.server.name);
    return forRealm !== undefined && forRealm !== home && c.server.realm === forRealm && !isExpired(c, now);
  });
}

/**
 * Which realm to ask for the service: named explicitly, a TGT's own realm, or the host-to-realm mapping;
 * and why, in words the client says only if it does ask (a ticket in the cache asks no realm anything).
 */
function targetRealm(
  env: StepEnv,
  service: PrincipalName,
  explicitRealm: string | undefined,
  towardRealm: string | undefined,
  home: string,
): { target: string; how: TgsOperation['how']; why?: string } {
  if (explicitRealm) {
    const why = `${formatName(service)} is asked for in realm ${explicitRealm}, named explicitly`;
    return { target: explicitRealm, how: 'explicit', why };
  }
  if (towardRealm) return { target: towardRealm, how: 'explicit' };
  const host = hostOf(service);
  const choice = host ? realmForHost(host, env.cfg.hostRealm, home) : { realm: home, how: 'home' as const };
  const why =
    choice.how === 'home'
      ? `no host-to-realm mapping for ${host ?? formatName(service)}: asking the home realm ${home} with canonicalize, so that it can refer us on`
      : `the host-to-realm mapping (${choice.how === 'exact' ? 'exact host' : 'suffix'} "${choice.rule}") puts ${host} in ${choice.realm}`;
  return { target: choice.realm, how: choice.how, why };
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

// ---- receiving -----------------------------------------------------------------------------------------

/** The answer to a TGS-REQ, in TGS_GET_TGT or TGS_REFERRALS. */
export function tgsStep(env: StepEnv, op: TgsOperation, reply: KdcReply, kdc: string): Move {
  if (reply.type === 'KRB-ERROR') return onKrbError(env, op, reply.error, (o) => withTgsReq(env, o));
  const rep = reply.rep;
  const canonicalize = (op.options & KdcOption.CANONICALIZE) !== 0;
  const askingTgt = tgsRealmOf(op.asked) !== undefined;
  const { part } = openTgsRep(
    env,
    op,
    rep,
    (s) =>
      sameName(s, op.asked, canonicalize) ||
      (canonicalize || askingTgt ? (tgsRealmOf(s) ?? op.realm) !== op.realm : false),
    `${formatName(op.asked)}@${op.realm}`,
  );
  const cred = credentialOf(rep, part, kdc);
  const gotRealm = tgsRealmOf(part.sname);
  env.say.say(
    'verify',
    `the TGS-REP decrypts with ${op.subkey ? 'our subkey (key usage 9)' : 'the TGT session key (key usage 8)'}; ` +
      `the nonce matches; it holds ${formatPrincipal(cred.server)}, valid until ${isoSeconds(cred.endtime)}`,
  );
  storeCredential(env.client.cache, cred);

  if (gotRealm !== undefined && !sameName(part.sname, op.asked, canonicalize)) {
    // A cross-realm TGT we did not ask for by name: the next hop on a path, or a referral.
    return followHop(env, op, cred, part.srealm, gotRealm);
  }
  if (env.client.state === 'TGS_GET_TGT') return reachedTarget(env, op, cred);
  if (!sameName(part.sname, op.asked)) {
    env.say.say(
      'verify',
      `the KDC canonicalized the service name: ${formatName(op.asked)} is ${formatName(part.sname)}`,
    );
  }
  env.say.say(
    'cache',
    `stored the service ticket ${formatPrincipal(cred.server)} (session key ${etypeName(cred.sessionKey.etype)})`,
  );
  return {
    on: 'service-ticket',
    done: { ok: true, outcome: 'service-ticket', credential: cred, path: op.path, fromCache: false },
  };
}

/** krbtgt/NEXT from `srealm`: on to NEXT, unless the hop limit or a loop stops the chase. */
function followHop(
  env: StepEnv,
  op: TgsOperation,
  cred: CachedCredential,
  srealm: string,
  gotRealm: string,
): Move {
  const inGetTgt = env.client.state === 'TGS_GET_TGT';
  const refusal = hopRefusal(env, op, gotRealm, inGetTgt ? 'path' : 'referral');
  if (refusal) return { fail: refusal };
  const hops = op.hops + 1;
  const moved = {
    ...op,
    hops,
    path: [...op.path, gotRealm],
    tgt: cred,
    realm: gotRealm,
    timesyncTried: false,
  };
  const { maxHops } = env.cfg;
  if (inGetTgt) {
    env.say.say(
      'referral',
      `${srealm} has no direct trust to ${op.target}: it gave us a TGT for ${gotRealm}, the next realm on its path (hop ${hops} of ${maxHops}); asking ${gotRealm} for krbtgt/${op.target}`,
    );
    return { on: 'cross-realm-hop', next: withTgsReq(env, moved) };
  }
  env.say.say(
    'referral',
    `the DC of ${srealm} referred us to ${gotRealm} (a TGT ${formatPrincipal(cred.server)} instead of ${formatName(op.asked)}); following the referral (hop ${hops} of ${maxHops})`,
  );
  return { on: 'referral', next: withTgsReq(env, moved) };
}

/** krbtgt/TARGET in hand: done if that TGT was what was asked for, else ask TARGET for the service. */
function reachedTarget(env: StepEnv, op: TgsOperation, cred: CachedCredential): Move {
  const hops = op.hops + 1;
  const path = [...op.path, op.target];
  if (tgsRealmOf(op.service) !== undefined) {
    env.say.say('cache', `stored the cross-realm TGT ${formatPrincipal(cred.server)}`);
    return {
      on: 'cross-realm-tgt',
      done: { ok: true, outcome: 'service-ticket', credential: cred, path, fromCache: false },
    };
  }
  const moved = {
    ...op,
    hops,
    path,
    asked: op.service,
    tgt: cred,
    realm: op.target,
    timesyncTried: false,
  };
  env.say.say(
    'request',
    `we hold a TGT for ${op.target} (${formatPrincipal(cred.server)}, hop ${hops} of ${env.cfg.maxHops}): asking ${op.target} for ${formatName(op.service)}`,
  );
  return { on: 'reached-target-realm', next: withTgsReq(env, moved) };
}

/** The hop limit and loop detection, before a cross-realm TGT is followed. */
function hopRefusal(
  env: StepEnv,
  op: TgsOperation,
  next: string,
  what: 'path' | 'referral',
): ReferralError | undefined {
  const { maxHops, detectLoops } = env.cfg;
  const path = [...op.path, next];
  if (detectLoops && op.path.includes(next)) {
    env.say.say(
      'referral',
      `${op.realm} sends us to ${next}, where we have been already: a referral loop; stopping`,
      false,
    );
    return new ReferralError(
      'loop',
      path,
      maxHops,
      `the ${what === 'path' ? 'cross-realm path' : 'referrals'} for ${formatName(op.service)} went in a loop: ${next} came up a second time`,
    );
  }
  if (op.hops + 1 > maxHops) {
    env.say.say(
      'referral',
      `${op.realm} sends us to ${next}: that would be hop ${op.hops + 1}, over the limit of ${maxHops}; stopping`,
      false,
    );
    return new ReferralError(
      'hop-limit',
      path,
      maxHops,
      `gave up on ${formatName(op.service)} after ${maxHops} cross-realm hops (the limit); the KDCs keep referring onwards`,
    );
  }
  return undefined;
}
