/**
 * The AS exchange as step functions (MIT's `krb5_init_creds_step`): `startAs` sends an AS-REQ without
 * pre-authentication (AS_INITIAL); `asStep` reads the answer — KDC_ERR_PREAUTH_REQUIRED with ETYPE-INFO2
 * (RFC 4120 §5.2.7.5) makes the key and sends PA-ENC-TIMESTAMP (AS_PREAUTH), an AS-REP that checks out
 * starts a fresh cache with the TGT (RFC 4120 §3.1.5).
 */
import { decodeEtypeInfo2, decodeMethodData, type EtypeInfo2Entry, type KdcRep } from '../asn1';
import { ErrorCode, KdcOption, PaType, flagsToNames, kdcOptions } from '../asn1/registry';
import {
  etypeName,
  IterationCountError,
  KeyUsage,
  MAX_ITERATIONS,
  principalSalt,
  stringToKey,
} from '../crypto';
import {
  formatName,
  formatPrincipal,
  krbtgtName,
  parsePrincipal,
  sameName,
  type Principal,
} from '../asn1/principal';
import { isoSeconds } from '../asn1/time';
import type { KeyData } from './cache';
import { ReplyCheckError } from './errors';
import { onKrbError } from './flight';
import {
  UNLIMITED,
  checkEncPaRep,
  checkReply,
  credentialOf,
  encodeAsRequest,
  newNonce,
  openReply,
  paEncTimestamp,
  paPacRequest,
  paReqEncPaRep,
  type KdcReply,
} from './messages';
import { edge } from './states';
import { kdcNow, type AsOperation, type Move, type StepEnv } from './step';

export function startAs(env: StepEnv, req: { password: string } | { keys: KeyData[] }): Move {
  const me = parsePrincipal(env.client.config.principal);
  const { cfg } = env;
  const now = kdcNow(env);
  const till = cfg.lifetime !== undefined ? now + cfg.lifetime : UNLIMITED.getTime();
  const wantsRenew = (cfg.asOptions & KdcOption.RENEWABLE) !== 0;
  const rtime = !wantsRenew
    ? undefined
    : cfg.renewLifetime !== undefined
      ? now + cfg.renewLifetime
      : UNLIMITED.getTime();
  const op = withAsReq(env, {
    kind: 'as',
    realm: me.realm,
    cname: { nameType: 1, nameString: me.name.nameString },
    ...('password' in req ? { password: req.password } : { keys: structuredClone(req.keys) }),
    till: Math.floor(till / 1000) * 1000,
    ...(rtime !== undefined ? { rtime: Math.floor(rtime / 1000) * 1000 } : {}),
    nonce: 0,
    bytes: new Uint8Array(0),
    timesyncTried: false,
  });
  env.say.say(
    'request',
    `signing in as ${formatPrincipal(me)}: an AS-REQ for krbtgt/${me.realm} without pre-authentication, to learn what the KDC requires ` +
      `(options 0x${cfg.asOptions.toString(16).padStart(8, '0')}: ${flagsToNames(cfg.asOptions, kdcOptions).join(', ')}; ` +
      `enctypes ${cfg.etypes.map(etypeName).join(', ')}${cfg.requestPac ? '; asking for a PAC' : ''})`,
  );
  return { on: 'sign-in', next: op };
}

/** `op` with a new AS-REQ, with PA-ENC-TIMESTAMP when it has a reply key; fresh nonce, back to UDP. */
function withAsReq(env: StepEnv, op: AsOperation): AsOperation {
  const { cfg, ctx } = env;
  const padata = [];
  if (op.replyKey) padata.push(paEncTimestamp(op.replyKey, kdcNow(env), ctx.random));
  padata.push(paPacRequest(cfg.requestPac));
  if (cfg.requestEncPaRep) padata.push(paReqEncPaRep());
  const nonce = newNonce(ctx.random);
  // a new request starts over UDP again, as MIT's sendto_kdc does
  const { preferTcp: _tcp, ...rest } = op;
  const bytes = encodeAsRequest({
    realm: op.realm,
    cname: op.cname,
    options: cfg.asOptions,
    etypes: cfg.etypes,
    till: new Date(op.till),
    ...(op.rtime !== undefined ? { rtime: new Date(op.rtime) } : {}),
    nonce,
    padata,
  });
  return { ...rest, nonce, bytes };
}

/** The answer to an AS-REQ, in AS_INITIAL or AS_PREAUTH. */
export function asStep(env: StepEnv, op: AsOperation, reply: KdcReply, kdc: string): Move {
  if (reply.type !== 'KRB-ERROR') return onAsRep(env, op, reply.rep, kdc);
  const err = reply.error;
  if (err.errorCode === ErrorCode.KDC_ERR_PREAUTH_REQUIRED && edge(env.client.state, 'preauth-required')) {
    return preauth(env, op, err.eData);
  }
  return onKrbError(env, op, err, (o) => withAsReq(env, o));
}

/** ETYPE-INFO2 out of KDC_ERR_PREAUTH_REQUIRED's e-data (METHOD-DATA, RFC 4120 §5.9.1). */
function etypeInfoOf(eData: Uint8Array | undefined): EtypeInfo2Entry[] | ReplyCheckError {
  try {
    const md = eData ? decodeMethodData(eData) : [];
    const info = md.find((p) => p.padataType === PaType.PA_ETYPE_INFO2);
    return info ? decodeEtypeInfo2(info.padataValue) : [];
  } catch (e) {
    return new ReplyCheckError(
      'decode',
      `KDC_ERR_PREAUTH_REQUIRED carries e-data that does not decode: ${(e as Error).message}`,
    );
  }
}

function preauth(env: StepEnv, op: AsOperation, eData: Uint8Array | undefined): Move {
  const { say } = env;
  const entries = etypeInfoOf(eData);
  if (entries instanceof ReplyCheckError) return { fail: entries };
  const offered = env.cfg.etypes;
  let entry = entries.find((en) => offered.includes(en.etype) && canMakeKey(op, en.etype));
  if (!entry && entries.length === 0) {
    // No ETYPE-INFO2: RFC 4120 §3.1.3 default salt, our first enctype.
    const etype = offered.find((e) => canMakeKey(op, e));
    if (etype !== undefined) entry = { etype };
    say.say(
      'preauth',
      'the KDC wants pre-authentication but sent no ETYPE-INFO2: using the default salt (realm + name)',
    );
  }
  if (!entry) {
    return {
      fail: new ReplyCheckError(
        'preauth',
        `the KDC wants pre-authentication with ${entries.map((en) => etypeName(en.etype)).join(', ')}, none of which we can make a key for`,
        ErrorCode.KDC_ERR_ETYPE_NOSUPP,
      ),
    };
  }
  const key = replyKeyOf(op, entry);
  if (key instanceof ReplyCheckError) return { fail: key };
  const salt = entry.salt ?? principalSalt(op.realm, op.cname.nameString);
  if (entries.length > 0) {
    say.say(
      'preauth',
      `the KDC wants pre-authentication; the salt for ${etypeName(entry.etype)} is ${salt}` +
        (entry.s2kparams ? ` and the s2kparams ask for ${iterationsOf(entry.s2kparams)} iterations` : ''),
    );
  }
  const next = withAsReq(env, { ...op, replyKey: key });
  say.say(
    'preauth',
    `${op.password !== undefined ? 'made the key from the password (string-to-key)' : 'took the key from the keytab'} and sent our time encrypted in it ` +
      `(PA-ENC-TIMESTAMP, ${etypeName(key.etype)}, key usage 1), with a new nonce`,
  );
  return { on: 'preauth-required', next };
}

function canMakeKey(op: AsOperation, etype: number): boolean {
  return op.password !== undefined || (op.keys ?? []).some((k) => k.etype === etype);
}

/** The key the reply is in: string-to-key of the password with the KDC's salt, or the keytab's key. */
function replyKeyOf(op: AsOperation, entry: EtypeInfo2Entry): KeyData | ReplyCheckError {
  if (op.password === undefined) {
    const k = (op.keys ?? []).find((x) => x.etype === entry.etype);
    return k ?? new ReplyCheckError('preauth', `no key of ${etypeName(entry.etype)} to answer with`, 14);
  }
  const salt = entry.salt ?? principalSalt(op.realm, op.cname.nameString);
  let k;
  try {
    k = stringToKey(entry.etype, op.password, salt, entry.s2kparams ? { s2kparams: entry.s2kparams } : {});
  } catch (e) {
    // MIT's client refuses such s2kparams at once (KRB5_ERR_BAD_S2K_PARAMS): the KDC is misconfigured
    // or hostile, and waiting minutes for PBKDF2 helps nobody.
    if (!(e instanceof IterationCountError)) throw e;
    return new ReplyCheckError(
      's2kparams',
      `the KDC of ${op.realm} asks for ${e.iterations} PBKDF2 iterations (ETYPE-INFO2 s2kparams) to make ` +
        `the ${etypeName(entry.etype)} key from the password: refused, since the most a client accepts ` +
        `is ${MAX_ITERATIONS} (2^24 - 1), as MIT krb5; so many would take minutes`,
    );
  }
  return { etype: k.etype, bytes: k.bytes };
}

function onAsRep(env: StepEnv, op: AsOperation, rep: KdcRep, kdc: string): Move {
  const { say, cfg } = env;
  let key = op.replyKey;
  if (!key) {
    // The KDC answered without asking for pre-authentication: the salt, if any, is in the AS-REP's padata.
    let entry: EtypeInfo2Entry = { etype: rep.encPart.etype };
    const info = rep.padata?.find((p) => p.padataType === PaType.PA_ETYPE_INFO2);
    if (info) entry = decodeEtypeInfo2(info.padataValue)[0] ?? entry;
    const made = replyKeyOf(op, entry);
    if (made instanceof ReplyCheckError) return { fail: made };
    key = made;
    say.say(
      'reply',
      `the KDC answered at once, without asking for pre-authentication: making our ${etypeName(entry.etype)} key to read it`,
    );
  }
  const part = openReply(rep, key, KeyUsage.AS_REP_ENCPART, `our ${etypeName(key.etype)} key`);
  const me: Principal = { realm: op.realm, name: op.cname };
  const canonicalize = (cfg.asOptions & KdcOption.CANONICALIZE) !== 0;
  checkReply(rep, part, {
    nonce: op.nonce,
    realm: op.realm,
    ...(canonicalize ? {} : { client: me }),
    server: (s) => sameName(s, krbtgtName(op.realm), canonicalize),
    serverText: `krbtgt/${op.realm}`,
    now: kdcNow(env),
    maxSkew: cfg.maxSkew,
    till: new Date(op.till),
    ...(op.rtime !== undefined ? { rtime: new Date(op.rtime) } : {}),
  });
  const protectedRep = cfg.requestEncPaRep && checkEncPaRep(part, key, op.bytes);
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
  const offset = env.client.cache.kdcOffset;
  env.client.cache = {
    defaultPrincipal: cred.client,
    credentials: [cred],
    ...(offset !== undefined ? { kdcOffset: offset } : {}),
  };
  say.say('cache', `stored the TGT in a fresh credential cache for ${formatPrincipal(cred.client)}`);
  return {
    on: 'as-rep',
    done: { ok: true, outcome: 'signed-in', credential: cred, path: [op.realm], fromCache: false },
  };
}

/** The AES iteration count in s2kparams (RFC 3962 §4: 4 bytes, big-endian). */
function iterationsOf(s2kparams: Uint8Array): number {
  return s2kparams.length === 4 ? new DataView(s2kparams.buffer, s2kparams.byteOffset, 4).getUint32(0) : NaN;
}
