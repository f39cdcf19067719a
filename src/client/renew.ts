/**
 * Renewal as step functions: `startRenew` presents a renewable ticket in a TGS-REQ with the RENEW option
 * (RFC 4120 §3.3.3.1, TGS_RENEW); `renewStep` stores the ticket that comes back in place of the old one.
 */
import { KdcOption } from '../asn1/registry';
import { formatPrincipal, parsePrincipal, sameName } from '../asn1/principal';
import { isoSeconds } from '../asn1/time';
import { findCredential, findTgt, storeCredential, type CachedCredential } from './cache';
import { CredentialError } from './errors';
import { onKrbError, openTgsRep, withTgsReq } from './flight';
import { credentialOf, type KdcReply } from './messages';
import { kdcNow, type Move, type RenewOperation, type StepEnv } from './step';

export function startRenew(env: StepEnv, serverText: string | undefined): Move {
  const cache = env.client.cache;
  const home = cache.defaultPrincipal?.realm;
  let cred: CachedCredential | undefined;
  if (serverText) {
    const p = parsePrincipal(serverText, home);
    cred = findCredential(cache, { name: p.name, realm: p.realm });
  } else if (home) {
    cred = findTgt(cache, home, { issuer: home });
  }
  if (!cred) {
    return {
      fail: new CredentialError(
        'no-credential',
        `nothing to renew: ${serverText ?? 'no TGT'} is not in the cache`,
      ),
    };
  }
  const now = kdcNow(env);
  // RFC 4120 §3.3.3.1: the new ticket keeps the flags of the old one; ask for them again with RENEW.
  const keep = cred.flags & (KdcOption.FORWARDABLE | KdcOption.PROXIABLE | KdcOption.RENEWABLE);
  const op: RenewOperation = withTgsReq(env, {
    kind: 'renew',
    tgt: cred,
    options: (KdcOption.RENEW | keep) >>> 0,
    realm: cred.server.realm,
    nonce: 0,
    bytes: new Uint8Array(0),
    timesyncTried: false,
  });
  env.say.say(
    'renew',
    `renewing ${formatPrincipal(cred.server)} at ${isoSeconds(now)}: it ends at ${isoSeconds(cred.endtime)}` +
      (cred.renewTill !== undefined
        ? ` and may be renewed until ${isoSeconds(cred.renewTill)}`
        : ' and carries no renew-till') +
      '; a TGS-REQ with the RENEW option presents the ticket itself',
  );
  return { on: 'renew', next: op };
}

/** The answer to a renewal, in TGS_RENEW. */
export function renewStep(env: StepEnv, op: RenewOperation, reply: KdcReply, kdc: string): Move {
  if (reply.type === 'KRB-ERROR') return onKrbError(env, op, reply.error, (o) => withTgsReq(env, o));
  const old = op.tgt;
  const { part } = openTgsRep(
    env,
    op,
    reply.rep,
    (s) => sameName(s, old.server.name),
    formatPrincipal(old.server),
  );
  const cred = credentialOf(reply.rep, part, kdc);
  storeCredential(env.client.cache, cred);
  env.say.say(
    'renew',
    `renewed ${formatPrincipal(cred.server)}: now valid from ${isoSeconds(cred.starttime)} until ${isoSeconds(cred.endtime)} ` +
      `(it was until ${isoSeconds(old.endtime)})` +
      (cred.renewTill !== undefined ? `, still renewable until ${isoSeconds(cred.renewTill)}` : '') +
      (cred.sessionKey.etype === old.sessionKey.etype ? '' : '; new session key type'),
  );
  return {
    on: 'renewed',
    done: { ok: true, outcome: 'renewed', credential: cred, path: [op.realm], fromCache: false },
  };
}
