/**
 * The Authentication Service exchange (RFC 4120 §3.1): a client proves it knows its long-term key
 * (pre-authentication, §5.2.7.2 PA-ENC-TIMESTAMP) and gets a ticket-granting ticket, with a reply
 * encrypted in that same key.
 */
import {
  decodePaEncTimestamp,
  decodePaEncTsEnc,
  decodePaPacRequest,
  encodeAsRep,
  encodeEncAsRepPart,
  encodeEtypeInfo2,
  encodeMethodData,
  encodeWith,
  ChecksumCodec,
  type EtypeInfo2Entry,
  type PaData,
} from '../asn1';
import { ErrorCode, KdcOption, MessageType, PaType, TicketFlag } from '../asn1/registry';
import { checksum, checksumTypeForEnctype, decrypt, encrypt, IntegrityError, KeyUsage } from '../crypto';
import { formatPrincipal, tgsRealmOf } from '../protocol/principal';
import { formatDuration, isoSeconds, kerberosTimestamp, millisOf } from '../protocol/time';
import type { KeyEntry, PrincipalEntry, RealmState } from './database';
import { asKey, encKdcRepPart, etypeList, etypeName, issueTicket } from './issue';
import type { Issued, RequestScope } from './scope';
import { findPrincipal } from './lookup';
import { attachPac } from './pac';
import { KdcRefusal } from './refusal';

/** RFC 6806 §11: the checksum over the AS-REQ that proves the reply answers this very request. */
const KEY_USAGE_AS_REQ = 56;

export function handleAsReq(scope: RequestScope, db: RealmState): Issued {
  const { req, ctx, say } = scope;
  const body = req.reqBody;
  const canonicalize = (body.kdcOptions & KdcOption.CANONICALIZE) !== 0;

  if (!body.cname)
    throw new KdcRefusal(ErrorCode.KDC_ERR_C_PRINCIPAL_UNKNOWN, 'the AS-REQ names no client (cname)');
  const client = findPrincipal(db, body.cname, db.name, canonicalize);
  const asked = `${body.cname.nameString.join('/')}@${body.realm}`;
  if (!client) {
    throw new KdcRefusal(
      ErrorCode.KDC_ERR_C_PRINCIPAL_UNKNOWN,
      `client ${asked} is not in the ${db.name} database`,
    );
  }
  scope.client = { realm: client.realm, name: canonicalize ? client.name : body.cname };
  say.say(
    'lookup',
    `looked up the client ${asked}: found ${formatPrincipal(client)}${canonicalize && formatPrincipal(client) !== asked ? ' (canonicalized)' : ''}`,
  );
  const tgsOf = tgsRealmOf(client.name);
  if (tgsOf !== undefined) {
    // krbtgt/REALM and the trust principals krbtgt/OTHER hold the keys tickets are sealed in; they are
    // never clients. Answering one without pre-authentication would hand out an AS-REP in its key, to be
    // guessed offline when the key comes from a password (krbtgtPassword, a trust password). Active
    // Directory keeps the krbtgt account disabled and it "cannot be enabled" (Microsoft, "Active Directory
    // accounts", KRBTGT), so a DC answers KDC_ERR_CLIENT_REVOKED, as for any disabled account; this KDC
    // says the same for trust principals. MIT krb5kdc 1.20 does answer both with an AS-REP (only K/M is
    // DISALLOW_ALL_TIX; its krbtgt key is random, never a password). Checked before pre-authentication:
    // no salt leaves either.
    const what =
      tgsOf === db.name
        ? `the key of ${db.name}'s ticket-granting service: every TGT of the realm is encrypted in it`
        : `a trust key: ${db.name} and ${tgsOf} share it to pass cross-realm tickets`;
    say.say(
      'policy',
      `${formatPrincipal(client)} is ${what}. It is a key the KDC uses, not an account, so it never signs in: a ticket for it would let anyone try passwords against its key offline`,
      false,
    );
    throw new KdcRefusal(
      ErrorCode.KDC_ERR_CLIENT_REVOKED,
      `${formatPrincipal(client)} never signs in: krbtgt and trust principals are not clients (Active Directory keeps krbtgt disabled)`,
    );
  }
  if (client.disabled) {
    throw new KdcRefusal(
      ErrorCode.KDC_ERR_CLIENT_REVOKED,
      `the account ${formatPrincipal(client)} is disabled`,
    );
  }

  if (!body.sname)
    throw new KdcRefusal(ErrorCode.KDC_ERR_S_PRINCIPAL_UNKNOWN, 'the AS-REQ names no server (sname)');
  const server = findPrincipal(db, body.sname, db.name, canonicalize);
  if (!server) {
    throw new KdcRefusal(
      ErrorCode.KDC_ERR_S_PRINCIPAL_UNKNOWN,
      `server ${body.sname.nameString.join('/')}@${db.name} is not in the ${db.name} database`,
    );
  }
  say.say('lookup', `looked up the server ${formatPrincipal(server)}: found`);

  // The reply key: the first enctype in the client's list that the realm permits and the client has.
  const usable = body.etype.filter(
    (e) => db.policy.etypes.includes(e) && client.keys.some((k) => k.etype === e),
  );
  if (usable.length === 0) {
    throw new KdcRefusal(
      ErrorCode.KDC_ERR_ETYPE_NOSUPP,
      `no common enctype: the client offers ${etypeList(body.etype)}; the realm permits ${etypeList(db.policy.etypes)}; ` +
        `${formatPrincipal(client)} has keys for ${etypeList(client.keys.map((k) => k.etype))}`,
    );
  }

  let replyKey = newestKey(client, usable[0]!);
  let preauthenticated = false;
  const encTs = req.padata?.find((p) => p.padataType === PaType.PA_ENC_TIMESTAMP);
  if (encTs) {
    replyKey = checkEncryptedTimestamp(scope, db, client, encTs);
    preauthenticated = true;
  } else if (client.requiresPreauth) {
    say.say(
      'preauth',
      `${formatPrincipal(client)} requires pre-authentication and the request carries none: asking for it, with the salt (ETYPE-INFO2)`,
      false,
    );
    throw new KdcRefusal(
      ErrorCode.KDC_ERR_PREAUTH_REQUIRED,
      'pre-authentication required: prove you know the password by sending the current time encrypted in your key (PA-ENC-TIMESTAMP)',
      encodeMethodData(methodData(client, usable)),
    );
  } else {
    say.say(
      'preauth',
      `${formatPrincipal(client)} does not require pre-authentication: answering without proof (the reply is still encrypted in the client's key)`,
    );
  }
  say.say(
    'etype',
    `will encrypt the reply in ${formatPrincipal(client)}'s ${etypeName(replyKey.etype)} key (kvno ${replyKey.kvno})`,
  );

  const maxLife = Math.min(db.policy.maxLife, client.maxLife ?? Infinity, server.maxLife ?? Infinity);
  const maxRenew = Math.min(db.policy.maxRenew, client.maxRenew ?? Infinity, server.maxRenew ?? Infinity);
  let flags = TicketFlag.INITIAL;
  if (preauthenticated) flags |= TicketFlag.PRE_AUTHENT;
  if (body.kdcOptions & KdcOption.FORWARDABLE && !client.noForwardable) flags |= TicketFlag.FORWARDABLE;
  if (body.kdcOptions & KdcOption.PROXIABLE) flags |= TicketFlag.PROXIABLE;

  const authtime = kerberosTimestamp(ctx.now).time;
  const cname = canonicalize ? client.name : body.cname;
  const sname = canonicalize ? server.name : body.sname;
  const pacAsk = pacRequest(req.padata);
  const { ticket, part: ticketPart } = issueTicket(scope, db, {
    server,
    sname,
    client: { realm: client.realm, name: cname },
    authtime,
    transited: new Uint8Array(0),
    ...(body.addresses ? { caddr: body.addresses } : {}),
    limits: { maxLife, maxRenew, renewableAllowed: true },
    flags,
    authorizationData: (ticketKey) =>
      attachPac(scope, db, {
        client,
        pacRequested: pacAsk ?? true,
        pacRequestedExplicitly: pacAsk === true,
        authtime,
        serverKey: ticketKey,
        forTgt: server.name.nameString[0] === 'krbtgt',
      }),
    issued: (ticketKey) =>
      `issued a ticket for ${formatPrincipal({ realm: db.name, name: sname })}, encrypted in its ${etypeName(ticketKey.etype)} key (kvno ${ticketKey.kvno}, key usage 2)`,
  });

  // RFC 6806 §11: a client that sends PA-REQ-ENC-PA-REP gets a checksum of its request inside the
  // encrypted reply, so a man in the middle cannot have changed the request unnoticed.
  let replyFlags = ticketPart.flags;
  const encryptedPaData: PaData[] = [];
  if (req.padata?.some((p) => p.padataType === PaType.PA_REQ_ENC_PA_REP)) {
    const cksumtype = checksumTypeForEnctype(replyKey.etype);
    const sum = checksum(cksumtype, asKey(replyKey), KEY_USAGE_AS_REQ, scope.bytes);
    encryptedPaData.push({
      padataType: PaType.PA_REQ_ENC_PA_REP,
      padataValue: encodeWith(ChecksumCodec, { cksumtype, checksum: sum }),
    });
    replyFlags |= TicketFlag.ENC_PA_REP;
  }

  const part = encKdcRepPart(ticketPart, {
    nonce: body.nonce,
    srealm: db.name,
    sname,
    flags: replyFlags,
    encryptedPaData,
  });
  const encPart = encrypt(asKey(replyKey), KeyUsage.AS_REP_ENCPART, encodeEncAsRepPart(part), ctx.random);
  const reply = encodeAsRep({
    pvno: 5,
    msgType: MessageType.AS_REP,
    padata: [{ padataType: PaType.PA_ETYPE_INFO2, padataValue: encodeEtypeInfo2([etypeInfo2Of(replyKey)]) }],
    crealm: client.realm,
    cname,
    ticket,
    encPart: { etype: replyKey.etype, kvno: replyKey.kvno, cipher: encPart },
  });
  say.say(
    'issue',
    `answered with an AS-REP: the session key and times, encrypted in ${formatPrincipal(client)}'s key (key usage 3)`,
  );
  return { reply, replyType: 'AS-REP' };
}

function newestKey(entry: PrincipalEntry, etype: number): KeyEntry {
  return entry.keys.filter((k) => k.etype === etype).reduce((a, b) => (b.kvno > a.kvno ? b : a));
}

function etypeInfo2Of(k: KeyEntry): EtypeInfo2Entry {
  return {
    etype: k.etype,
    ...(k.salt !== undefined ? { salt: k.salt } : {}),
    ...(k.s2kparams ? { s2kparams: k.s2kparams } : {}),
  };
}

/**
 * The METHOD-DATA of KDC_ERR_PREAUTH_REQUIRED (RFC 4120 §5.2.7): the pre-authentication methods this KDC
 * accepts, and ETYPE-INFO2 with the salt and parameters of each key the client could use, in its order.
 */
function methodData(client: PrincipalEntry, usable: number[]): PaData[] {
  const info = usable.map((e) => etypeInfo2Of(newestKey(client, e)));
  return [
    { padataType: PaType.PA_ETYPE_INFO2, padataValue: encodeEtypeInfo2(info) },
    { padataType: PaType.PA_ENC_TIMESTAMP, padataValue: new Uint8Array(0) },
  ];
}

/** PA-PAC-REQUEST (MS-KILE §2.2.3): what the client asked for; undefined when it did not say (a PAC by default). */
function pacRequest(padata: PaData[] | undefined): boolean | undefined {
  const p = padata?.find((x) => x.padataType === PaType.PA_PAC_REQUEST);
  if (!p) return undefined;
  try {
    return decodePaPacRequest(p.padataValue).includePac;
  } catch {
    return undefined;
  }
}

/**
 * PA-ENC-TIMESTAMP (RFC 4120 §5.2.7.2): the client's current time encrypted in its key, key usage 1.
 * It decrypts only with the right password, and must be within the allowed clock skew.
 */
function checkEncryptedTimestamp(
  scope: RequestScope,
  db: RealmState,
  client: PrincipalEntry,
  pa: PaData,
): KeyEntry {
  const { ctx, say } = scope;
  let enc;
  try {
    enc = decodePaEncTimestamp(pa.padataValue);
  } catch (e) {
    throw new KdcRefusal(
      ErrorCode.KDC_ERR_PREAUTH_FAILED,
      `PA-ENC-TIMESTAMP could not be decoded: ${(e as Error).message}`,
    );
  }
  const candidates = client.keys.filter(
    (k) => k.etype === enc.etype && (enc.kvno === undefined || k.kvno === enc.kvno),
  );
  if (candidates.length === 0) {
    throw new KdcRefusal(
      ErrorCode.KDC_ERR_ETYPE_NOSUPP,
      `the encrypted timestamp uses ${etypeName(enc.etype)}${enc.kvno !== undefined ? ` kvno ${enc.kvno}` : ''}, a key ${formatPrincipal(client)} does not have`,
    );
  }
  const key = candidates.reduce((a, b) => (b.kvno > a.kvno ? b : a));
  let plain: Uint8Array;
  try {
    plain = decrypt(asKey(key), KeyUsage.AS_REQ_PA_ENC_TS, enc.cipher);
  } catch (e) {
    if (e instanceof IntegrityError) {
      say.say(
        'preauth',
        `the encrypted timestamp does not decrypt with ${formatPrincipal(client)}'s ${etypeName(key.etype)} key: the password the client used is wrong`,
        false,
      );
      throw new KdcRefusal(
        ErrorCode.KDC_ERR_PREAUTH_FAILED,
        `pre-authentication failed: the timestamp is not encrypted in ${formatPrincipal(client)}'s key (wrong password)`,
      );
    }
    throw e;
  }
  let ts;
  try {
    ts = decodePaEncTsEnc(plain);
  } catch (e) {
    throw new KdcRefusal(
      ErrorCode.KDC_ERR_PREAUTH_FAILED,
      `the decrypted timestamp is not a PA-ENC-TS-ENC: ${(e as Error).message}`,
    );
  }
  const offset = millisOf(ts.patimestamp, ts.pausec ?? 0) - ctx.now;
  const within = `${formatDuration(db.policy.maxSkew)}`;
  if (Math.abs(offset) > db.policy.maxSkew) {
    say.say(
      'preauth',
      `the timestamp decrypts, but the client's clock is ${formatDuration(Math.abs(offset))} ${offset > 0 ? 'ahead of' : 'behind'} the KDC's; at most ${within} is allowed`,
      false,
    );
    throw new KdcRefusal(
      ErrorCode.KRB_AP_ERR_SKEW,
      `clock skew too great: the client's time ${isoSeconds(ts.patimestamp)} is ${formatDuration(Math.abs(offset))} ${offset > 0 ? 'ahead of' : 'behind'} the KDC's ${isoSeconds(ctx.now)} (at most ${within})`,
    );
  }
  say.say(
    'preauth',
    `checked pre-authentication: the timestamp decrypts with ${formatPrincipal(client)}'s ${etypeName(key.etype)} key and is ${formatDuration(Math.abs(offset))} off, within ${within}`,
  );
  return key;
}
