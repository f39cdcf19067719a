/**
 * The Authentication Service exchange (RFC 4120 §3.1): a client proves it knows its long-term key
 * (pre-authentication, §5.2.7.2 PA-ENC-TIMESTAMP) and gets a ticket-granting ticket, with a reply
 * encrypted in that same key.
 *
 * The stages: look up the client and the server → choose the reply key → pre-authenticate (padata.ts)
 * → issue the ticket (issue.ts) → answer with the AS-REP.
 */
import {
  encodeAsRep,
  encodeEncAsRepPart,
  encodeEtypeInfo2,
  encodeMethodData,
  type EtypeInfo2Entry,
  type PaData,
  type PrincipalName,
} from '../asn1';
import { ErrorCode, KdcOption, MessageType, PaType, TicketFlag } from '../asn1/registry';
import { encrypt, etypeName, KeyUsage } from '../crypto';
import { formatPrincipal, tgsRealmOf } from '../asn1/principal';
import { kerberosTimestamp } from '../asn1/time';
import type { KeyEntry, PrincipalEntry, RealmState } from './database';
import { asKey, encKdcRepPart, etypeList, issueTicket } from './issue';
import { findPrincipal } from './lookup';
import { attachPac } from './pac';
import { knownPadata, preauthHints, requestOptions } from './padata';
import { KdcRefusal } from './refusal';
import type { Issued, RequestScope } from './scope';

export function handleAsReq(scope: RequestScope, db: RealmState): Issued {
  const { req, ctx, say } = scope;
  const body = req.reqBody;
  const canonicalize = (body.kdcOptions & KdcOption.CANONICALIZE) !== 0;
  const { client, cname } = lookUpClient(scope, db, canonicalize);
  const { server, sname } = lookUpServer(scope, db, canonicalize);
  const { replyKey, preauthenticated } = preauthenticate(scope, db, client);
  say.say(
    'etype',
    `will encrypt the reply in ${formatPrincipal(client)}'s ${etypeName(replyKey.etype)} key (kvno ${replyKey.kvno})`,
  );

  let flags = TicketFlag.INITIAL;
  if (preauthenticated) flags |= TicketFlag.PRE_AUTHENT;
  if (body.kdcOptions & KdcOption.FORWARDABLE && !client.noForwardable) flags |= TicketFlag.FORWARDABLE;
  if (body.kdcOptions & KdcOption.PROXIABLE) flags |= TicketFlag.PROXIABLE;
  const authtime = kerberosTimestamp(ctx.now).time;
  const { includePac } = requestOptions(req.padata);
  const { ticket, part: ticketPart } = issueTicket(scope, db, {
    server,
    sname,
    client: { realm: client.realm, name: cname },
    authtime,
    transited: new Uint8Array(0),
    ...(body.addresses ? { caddr: body.addresses } : {}),
    limits: {
      maxLife: Math.min(db.policy.maxLife, client.maxLife ?? Infinity, server.maxLife ?? Infinity),
      maxRenew: Math.min(db.policy.maxRenew, client.maxRenew ?? Infinity, server.maxRenew ?? Infinity),
      renewableAllowed: true,
    },
    flags,
    authorizationData: (ticketKey) =>
      attachPac(scope, db, {
        client,
        pacRequested: includePac ?? true,
        pacRequestedExplicitly: includePac === true,
        authtime,
        serverKey: ticketKey,
        forTgt: server.name.nameString[0] === 'krbtgt',
      }),
    issued: (ticketKey) =>
      `issued a ticket for ${formatPrincipal({ realm: db.name, name: sname })}, encrypted in its ${etypeName(ticketKey.etype)} key (kvno ${ticketKey.kvno}, key usage 2)`,
  });

  let replyFlags = ticketPart.flags;
  const encryptedPaData: PaData[] = [];
  for (const { type } of knownPadata(req.padata)) {
    const added = type.encrypted?.(scope, replyKey);
    if (!added) continue;
    encryptedPaData.push(added.padata);
    replyFlags |= added.flags;
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
  return { reply, replyType: 'AS-REP', ticket };
}

/** The client: in the database, an account that may sign in (not disabled, not a krbtgt key). */
function lookUpClient(
  scope: RequestScope,
  db: RealmState,
  canonicalize: boolean,
): { client: PrincipalEntry; cname: PrincipalName } {
  const { req, say } = scope;
  const body = req.reqBody;
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
  const cname = canonicalize ? client.name : body.cname;
  scope.client = { realm: client.realm, name: cname };
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
  return { client, cname };
}

/** The server the ticket is for (for an AS-REQ, usually krbtgt/REALM). */
function lookUpServer(
  scope: RequestScope,
  db: RealmState,
  canonicalize: boolean,
): { server: PrincipalEntry; sname: PrincipalName } {
  const { req, say } = scope;
  const body = req.reqBody;
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
  return { server, sname: canonicalize ? server.name : body.sname };
}

/**
 * The reply key, and whether the client proved it holds it. The reply key is the client's newest key of
 * the first enctype in its list that the realm permits and it has; pre-authentication (a `verify` entry
 * of the PA table) may name another. A client that must pre-authenticate and did not gets
 * KDC_ERR_PREAUTH_REQUIRED with the methods and salts to do so.
 */
function preauthenticate(
  scope: RequestScope,
  db: RealmState,
  client: PrincipalEntry,
): { replyKey: KeyEntry; preauthenticated: boolean } {
  const { req, say } = scope;
  const body = req.reqBody;
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
  const proof = knownPadata(req.padata).find(({ type }) => type.verify);
  if (proof) return { replyKey: proof.type.verify!(scope, db, client, proof.pa), preauthenticated: true };
  if (client.requiresPreauth) {
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
  }
  say.say(
    'preauth',
    `${formatPrincipal(client)} does not require pre-authentication: answering without proof (the reply is still encrypted in the client's key)`,
  );
  return { replyKey: newestKey(client, usable[0]!), preauthenticated: false };
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
  return [{ padataType: PaType.PA_ETYPE_INFO2, padataValue: encodeEtypeInfo2(info) }, ...preauthHints()];
}
