/**
 * The Ticket-Granting Service exchange (RFC 4120 §3.3): the client shows a ticket-granting ticket and a
 * fresh authenticator (in PA-TGS-REQ) and gets a ticket for a service — or a cross-realm TGT toward the
 * realm that holds it (a referral, RFC 6806 §8), or a renewed or validated ticket.
 */
import {
  decodeApReq,
  encodeEncTgsRepPart,
  encodeTgsRep,
  kdcReqBodyBytes,
  type ApReq,
  type Authenticator,
  type EncTicketPart,
  type PaData,
  type PrincipalName,
  type Ticket,
} from '../asn1';
import { ErrorCode, KdcOption, MessageType, PaType, TicketFlag } from '../asn1/registry';
import { encrypt, etypeName, findChecksumType, KeyUsage, verifyChecksum, type Key } from '../crypto';
import { formatName, formatPrincipal, hostOf, krbtgtName, tgsRealmOf } from '../asn1/principal';
import { formatDuration, isoSeconds, kerberosTimestamp } from '../asn1/time';
import { fromUtf8, utf8 } from '../util/bytes';
import type { PrincipalEntry, RealmState } from './database';
import { encKdcRepPart, issueTicket, sealTicket } from './issue';
import type { Issued, RequestScope } from './scope';
import { findPrincipal, keyFor, nextHop, realmOfHost } from './lookup';
import { carryPac } from './pac';
import { acceptApReq, type AcceptedApReq, type ApReqReceiver } from '../protocol/ap-req';
import { openTicketMemo } from './caches';
import { KdcRefusal } from './refusal';
import { checkServiceRules, exchangeRodcTgt, rodcAccount, rodcOf } from './key-list';
import { keyOf } from '../protocol/long-term-key';

interface CheckedTgt {
  apReq: ApReq;
  tgt: EncTicketPart;
  authenticator: Authenticator;
  /** The realm that issued the TGT (the ticket's realm): this realm, or the one a trust leads from. */
  issuer: string;
  /** The key the TGT was encrypted in. */
  tgtKey: Key;
  sessionKey: Key;
}

export function handleTgsReq(scope: RequestScope, db: RealmState): Issued {
  const { req, ctx, say } = scope;
  const body = req.reqBody;
  const checked = checkTgt(scope, db);
  const { tgt, issuer } = checked;
  scope.client = { realm: tgt.crealm, name: tgt.cname };
  const clientText = formatPrincipal({ realm: tgt.crealm, name: tgt.cname });
  checkLineage(scope, db, checked, clientText);
  const rodc = rodcOf(db, checked.apReq.ticket);
  if (rodc) {
    const kvno = checked.apReq.ticket.encPart.kvno!;
    return exchangeRodcTgt(scope, db, rodc, { tgt, kvno }, (t, p, pa) => reply(scope, checked, t, p, pa));
  }

  if (req.padata?.some((p) => p.padataType === PaType.PA_FX_FAST)) {
    // RFC 6113 §5.4: a KDC that does not use FAST answers from the outer request; MIT clients armor every
    // TGS-REQ and accept such a reply (PROTOCOL-NOTES.md).
    say.say(
      'fast',
      'the request is FAST-armored (PA-FX-FAST, RFC 6113); this KDC answers from the outer request, which a FAST client accepts',
    );
  }
  if (body.kdcOptions & (KdcOption.ENC_TKT_IN_SKEY | KdcOption.CNAME_IN_ADDL_TKT)) {
    throw new KdcRefusal(
      ErrorCode.KDC_ERR_BADOPTION,
      'user-to-user (enc-tkt-in-skey) and constrained delegation (cname-in-addl-tkt) are not offered by this KDC',
    );
  }

  if (body.kdcOptions & (KdcOption.RENEW | KdcOption.VALIDATE)) return renewOrValidate(scope, db, checked);

  if (!body.sname)
    throw new KdcRefusal(ErrorCode.KDC_ERR_S_PRINCIPAL_UNKNOWN, 'the TGS-REQ names no server (sname)');
  const canonicalize = (body.kdcOptions & KdcOption.CANONICALIZE) !== 0;
  const target = resolveServer(scope, db, body.sname, canonicalize);
  const { server, replySname } = target;
  if (server.name.nameString[0] !== 'krbtgt') checkServiceRules(scope, db, server.name);

  if (tgt.endtime.getTime() <= ctx.now) {
    // Accepted within the clock-skew allowance, yet no ticket may outlive the TGT it was asked with.
    throw new KdcRefusal(
      ErrorCode.KRB_AP_ERR_TKT_EXPIRED,
      `the ticket-granting ticket ended at ${isoSeconds(tgt.endtime)}, ${formatDuration(ctx.now - tgt.endtime.getTime())} ago; ` +
        `within the ${formatDuration(db.policy.maxSkew)} clock-skew allowance it is still read, but no new ticket can outlive it`,
    );
  }
  // RFC 4120 §2.6-2.7: forwardable only if asked and the TGT is; pre-authent and hw-authent carry over.
  let flags = tgt.flags & (TicketFlag.PRE_AUTHENT | TicketFlag.HW_AUTHENT);
  if (body.kdcOptions & KdcOption.FORWARDABLE && tgt.flags & TicketFlag.FORWARDABLE)
    flags |= TicketFlag.FORWARDABLE;
  if (body.kdcOptions & KdcOption.PROXIABLE && tgt.flags & TicketFlag.PROXIABLE)
    flags |= TicketFlag.PROXIABLE;
  if (body.kdcOptions & KdcOption.FORWARDED && tgt.flags & TicketFlag.FORWARDABLE)
    flags |= TicketFlag.FORWARDED;
  if (tgt.flags & TicketFlag.FORWARDED) flags |= TicketFlag.FORWARDED;

  const transited = transitedAfter(tgt, issuer);
  const notes: string[] = [];
  if (tgt.crealm !== db.name) {
    // This KDC accepts every path its trusts allow, and says so in the ticket (RFC 4120 §2.7).
    flags |= TicketFlag.TRANSITED_POLICY_CHECKED;
    notes.push(
      `the client is from ${tgt.crealm}; realms transited so far: ${fromUtf8(transited) || 'none'} — accepted`,
    );
  }

  const { ticket, part } = issueTicket(scope, db, {
    server,
    sname: replySname,
    client: { realm: tgt.crealm, name: tgt.cname },
    authtime: tgt.authtime,
    transited,
    ...(tgt.caddr ? { caddr: tgt.caddr } : {}),
    limits: {
      maxLife: Math.min(db.policy.maxLife, server.maxLife ?? Infinity),
      maxRenew: Math.min(db.policy.maxRenew, server.maxRenew ?? Infinity),
      ticketEnd: tgt.endtime,
      ...(tgt.renewTill ? { ticketRenewTill: tgt.renewTill } : {}),
      renewableAllowed: (tgt.flags & TicketFlag.RENEWABLE) !== 0,
    },
    flags,
    notes,
    authorizationData: (ticketKey) =>
      carryPac(scope, db, { tgt, issuer, tgtKey: checked.tgtKey, serverKey: ticketKey, server }),
    issued: (ticketKey) =>
      `issued ${clientText} a ticket for ${formatName(replySname)}@${db.name}, encrypted in ${formatPrincipal(server)}'s ${etypeName(ticketKey.etype)} key (kvno ${ticketKey.kvno})`,
  });
  return reply(scope, checked, ticket, part);
}

/**
 * A cross-realm TGT may not name a client of this very realm. The trusted realm made the TGT in the key
 * it shares with this one, so it can write any client name into it; only this realm's own KDC vouches for
 * this realm's accounts. MIT krb5kdc refuses such a TGT with KDC_ERR_POLICY and logs "INVALID LINEAGE"
 * (tgs_policy.c, checked for every TGS-REQ but S4U2Self, which this KDC does not offer). Realm names are
 * compared without regard to case, as Active Directory compares domain names, so "example.test" cannot
 * pass for EXAMPLE.TEST.
 */
function checkLineage(scope: RequestScope, db: RealmState, checked: CheckedTgt, clientText: string): void {
  const { issuer, tgt } = checked;
  if (issuer === db.name || tgt.crealm.toUpperCase() !== db.name.toUpperCase()) return;
  scope.say.say(
    'policy',
    `the TGT was issued by ${issuer}, yet it names ${clientText}, a user of ${db.name} itself. ` +
      `A trusted realm vouches only for its own users (and those it passes on); only ${db.name} itself signs in ${db.name}'s users, ` +
      `so a TGT like this one is what a compromised or hostile ${issuer} would make to impersonate them`,
    false,
  );
  throw new KdcRefusal(
    ErrorCode.KDC_ERR_POLICY,
    `a cross-realm TGT from ${issuer} names ${clientText}, a client of ${db.name}: only ${db.name} itself vouches for its users (MIT: INVALID LINEAGE)`,
  );
}

/** The TGS-REP (RFC 4120 §5.4.2), its part encrypted in the authenticator's subkey or the TGT session key. */
function reply(
  scope: RequestScope,
  checked: CheckedTgt,
  ticket: Ticket,
  part: EncTicketPart,
  encryptedPaData: PaData[] = [],
): Issued {
  const { req, ctx, say } = scope;
  const { tgt, authenticator } = checked;
  const repPart = encKdcRepPart(part, {
    nonce: req.reqBody.nonce,
    srealm: req.reqBody.realm,
    sname: ticket.sname,
    encryptedPaData,
  });
  const subkey = authenticator.subkey;
  const replyKey: Key = subkey ? { etype: subkey.keytype, bytes: subkey.keyvalue } : checked.sessionKey;
  const usage = subkey ? KeyUsage.TGS_REP_ENCPART_SUBKEY : KeyUsage.TGS_REP_ENCPART_SESSKEY;
  const cipher = encrypt(replyKey, usage, encodeEncTgsRepPart(repPart), ctx.random);
  const bytes = encodeTgsRep({
    pvno: 5,
    msgType: MessageType.TGS_REP,
    crealm: tgt.crealm,
    cname: tgt.cname,
    ticket,
    encPart: { etype: replyKey.etype, cipher },
  });
  say.say(
    'issue',
    `answered with a TGS-REP, encrypted in the ${subkey ? "authenticator's subkey (key usage 9)" : 'TGT session key (key usage 8)'}`,
  );
  return { reply: bytes, replyType: 'TGS-REP', ticket };
}

/** The bytes the authenticator's checksum covers: the KDC-REQ-BODY inside req-body's [4] wrapper. */
function reqBodyBytes(scope: RequestScope): Uint8Array {
  const body = kdcReqBodyBytes(scope.bytes);
  if (!body) throw new KdcRefusal(ErrorCode.KRB_ERR_GENERIC, 'the TGS-REQ has no req-body');
  return body;
}

/**
 * PA-TGS-REQ (RFC 4120 §3.3.2, §5.5.1): an AP-REQ whose ticket is a TGT for this realm, opened with this
 * realm's krbtgt key (or the cross-realm key it shares with the issuing realm) and accepted as any AP-REQ
 * is (ap-req.ts); then the authenticator's checksum must cover this very request body.
 */
function checkTgt(scope: RequestScope, db: RealmState): CheckedTgt {
  const { req, say } = scope;
  const pa = req.padata?.find((p) => p.padataType === PaType.PA_TGS_REQ);
  if (!pa) {
    throw new KdcRefusal(
      ErrorCode.KDC_ERR_PADATA_TYPE_NOSUPP,
      'a TGS-REQ must carry PA-TGS-REQ: the ticket-granting ticket and an authenticator',
    );
  }
  let apReq: ApReq;
  try {
    apReq = decodeApReq(pa.padataValue);
  } catch (e) {
    throw new KdcRefusal(
      ErrorCode.KRB_AP_ERR_MSG_TYPE,
      `PA-TGS-REQ does not hold an AP-REQ: ${(e as Error).message}`,
    );
  }
  const accepted = acceptApReq(apReq, tgsReceiver(scope, db), say);
  checkReqBodyChecksum(scope, accepted);
  const { ticket: tgt, authenticator, sessionKey, ticketKey } = accepted;
  return { apReq, tgt, authenticator, issuer: apReq.ticket.realm, tgtKey: ticketKey, sessionKey };
}

/** The KDC as the receiver of the AP-REQ in PA-TGS-REQ: its keys are the database's krbtgt entries. */
function tgsReceiver(scope: RequestScope, db: RealmState): ApReqReceiver {
  const { req, ctx, state } = scope;
  const options = req.reqBody.kdcOptions;
  const tgtName = (ticket: Ticket) => `${formatName(ticket.sname)}@${ticket.realm}`;
  // a read-only DC's TGT is opened with its own krbtgt account's key (key-list.ts)
  const keyName = (ticket: Ticket) => {
    const rodc = rodcOf(db, ticket);
    return rodc ? `${rodc.account}@${db.name}` : tgtName(ticket);
  };
  return {
    ticketKey(ticket) {
      if (tgsRealmOf(ticket.sname) !== db.name) {
        throw new KdcRefusal(
          ErrorCode.KRB_AP_ERR_NOT_US,
          `the ticket in PA-TGS-REQ is for ${tgtName(ticket)}, not for this KDC (krbtgt/${db.name})`,
        );
      }
      const rodc = rodcOf(db, ticket);
      if (rodc) {
        const k = keyFor(
          rodcAccount(db, rodc),
          ticket.encPart.etype,
          ticket.encPart.kvno,
          'the TGT of a read-only DC',
        );
        return { etype: k.etype, kvno: k.kvno, bytes: keyOf(k) };
      }
      const tgsEntry = findPrincipal(db, ticket.sname, ticket.realm);
      if (!tgsEntry) {
        throw new KdcRefusal(
          ErrorCode.KDC_ERR_S_PRINCIPAL_UNKNOWN,
          `${db.name} holds no key for ${tgtName(ticket)}: there is no trust from ${ticket.realm} to ${db.name}`,
        );
      }
      const k = keyFor(tgsEntry, ticket.encPart.etype, ticket.encPart.kvno, 'the ticket-granting ticket');
      return { etype: k.etype, kvno: k.kvno, bytes: keyOf(k) };
    },
    openTicket: (key, ticket, open) =>
      openTicketMemo(state, key.etype, key.bytes, ticket.encPart.cipher, open),
    authenticatorUsage: KeyUsage.TGS_REQ_AUTH,
    maxSkew: db.policy.maxSkew,
    now: ctx.now,
    times: {
      what: 'TGT',
      validating: (options & KdcOption.VALIDATE) !== 0,
      ...(options & KdcOption.RENEW
        ? { afterExpiry: 'an expired ticket cannot be renewed, only replaced by signing in again' }
        : {}),
    },
    replay: {
      cache: state,
      id: (client, a, ticket) =>
        `${client}|${formatName(req.reqBody.sname ?? ticket.sname)}|${a.ctime.getTime()}|${a.cusec}`,
      seen: 'this exact authenticator (same client, time and microseconds) was seen before',
    },
    words: {
      clock: "the KDC's",
      sessionKey: 'the TGT session key',
      ticket: 'ticket-granting ticket',
      wrongKey: (k, ticket) => ({
        say: `the TGT does not decrypt with ${keyName(ticket)}'s ${etypeName(k.etype)} key (kvno ${k.kvno})`,
        refuse: `the ticket-granting ticket does not decrypt with ${tgtName(ticket)}'s key: it was changed, or made with another key`,
      }),
      opened: (client, k, ticket) =>
        `decrypted the TGT of ${client} with ${keyName(ticket)}'s ${etypeName(k.etype)} key (kvno ${k.kvno}); issued by ${ticket.realm}`,
    },
  };
}

/**
 * RFC 4120 §5.5.1: in PA-TGS-REQ the authenticator's checksum covers the KDC-REQ-BODY as sent (key usage
 * 6), so nobody can change the request on its way without the KDC noticing. A checksum that does not
 * verify is KRB_AP_ERR_BAD_INTEGRITY, as MIT krb5kdc answers it (test/interop/tamper-mit.test.ts).
 */
function checkReqBodyChecksum(scope: RequestScope, accepted: AcceptedApReq): void {
  const { say } = scope;
  const cksum = accepted.authenticator.cksum;
  if (!cksum) {
    throw new KdcRefusal(
      ErrorCode.KRB_AP_ERR_INAPP_CKSUM,
      'the authenticator carries no checksum over the request body (RFC 4120 §5.5.1)',
    );
  }
  const info = findChecksumType(cksum.cksumtype);
  if (!info?.implemented || !info.keyed) {
    throw new KdcRefusal(
      ErrorCode.KDC_ERR_SUMTYPE_NOSUPP,
      `the request-body checksum is of type ${info?.name ?? cksum.cksumtype}, which is not a keyed checksum this KDC accepts`,
    );
  }
  let good: boolean;
  try {
    good = verifyChecksum(
      cksum.cksumtype,
      accepted.sessionKey,
      KeyUsage.TGS_REQ_AUTH_CKSUM,
      reqBodyBytes(scope),
      cksum.checksum,
    );
  } catch {
    good = false;
  }
  if (!good) {
    say.say(
      'checksum',
      'the checksum over req-body does not match: the request was changed after the client made it',
      false,
    );
    throw new KdcRefusal(
      ErrorCode.KRB_AP_ERR_BAD_INTEGRITY,
      'the request body was modified: its checksum (key usage 6) does not match',
    );
  }
  say.say(
    'checksum',
    `verified the ${info.name} checksum over req-body with the TGT session key (key usage 6)`,
  );
}

/**
 * Who the new ticket is for. The server itself when this realm holds it; a cross-realm TGT for the next
 * hop toward another realm (by the trusts); or, with canonicalize, a referral toward the realm the
 * host-to-realm table names for a host-based name (RFC 6806 §8). Otherwise KDC_ERR_S_PRINCIPAL_UNKNOWN.
 */
function resolveServer(
  scope: RequestScope,
  db: RealmState,
  sname: PrincipalName,
  canonicalize: boolean,
): { server: PrincipalEntry; replySname: PrincipalName } {
  const { state, say } = scope;
  const wanted = `${formatName(sname)}@${db.name}`;
  const found = findPrincipal(db, sname, db.name, canonicalize);
  if (found) {
    say.say('lookup', `looked up the server ${wanted}: found`);
    return { server: found, replySname: canonicalize ? found.name : sname };
  }
  const towardRealm = tgsRealmOf(sname);
  let goal: string | undefined;
  let why = '';
  if (towardRealm) {
    goal = towardRealm;
    why = `the client asks for a TGT to ${towardRealm}, which ${db.name} does not trust directly`;
  } else if (canonicalize) {
    const host = hostOf(sname);
    const mapped = host ? realmOfHost(db, host) : undefined;
    if (host && mapped && mapped !== db.name) {
      goal = mapped;
      why = `${db.name} does not hold ${formatName(sname)}; its host-to-realm table maps ${host} to ${mapped}`;
    }
  }
  if (goal) {
    const hop = nextHop(state, db.name, goal);
    const tgsEntry = hop ? findPrincipal(db, krbtgtName(hop), db.name) : undefined;
    if (hop && tgsEntry) {
      say.say(
        'referral',
        `${why}, so it refers the client with a cross-realm TGT krbtgt/${hop}@${db.name}${hop === goal ? '' : ` (the next hop toward ${goal})`} (RFC 6806 §8)`,
      );
      return { server: tgsEntry, replySname: krbtgtName(hop) };
    }
    say.say('referral', `${why}, but there is no trust path from ${db.name} to ${goal}`, false);
  }
  const hint =
    !canonicalize &&
    hostOf(sname) &&
    realmOfHost(db, hostOf(sname)!) &&
    realmOfHost(db, hostOf(sname)!) !== db.name
      ? ` (the host maps to ${realmOfHost(db, hostOf(sname)!)}, but the request did not set canonicalize, so no referral)`
      : '';
  throw new KdcRefusal(
    ErrorCode.KDC_ERR_S_PRINCIPAL_UNKNOWN,
    `server ${wanted} is not in the ${db.name} database${hint}`,
  );
}

/**
 * RENEW (RFC 4120 §3.3.3.1): the presented renewable ticket comes back with a new end, up to renew-till.
 * VALIDATE: a postdated ticket whose start has come loses INVALID. Both keep the session key, as MIT does.
 */
function renewOrValidate(scope: RequestScope, db: RealmState, checked: CheckedTgt): Issued {
  const { req, ctx, say } = scope;
  const { tgt, apReq } = checked;
  const renew = (req.reqBody.kdcOptions & KdcOption.RENEW) !== 0;
  const now = kerberosTimestamp(ctx.now).time;
  const tgsEntry = findPrincipal(db, apReq.ticket.sname, apReq.ticket.realm)!;
  const ticketKey = keyFor(tgsEntry, apReq.ticket.encPart.etype, undefined, 'the renewed ticket');
  let times: { starttime: Date; endtime: Date; renewTill?: Date };
  let flags = tgt.flags;
  if (renew) {
    if (db.policy.refuseRenewal) throw new KdcRefusal(ErrorCode.KDC_ERR_BADOPTION, db.policy.refuseRenewal);
    if (!(tgt.flags & TicketFlag.RENEWABLE) || !tgt.renewTill) {
      throw new KdcRefusal(
        ErrorCode.KDC_ERR_BADOPTION,
        'the ticket is not renewable: it was issued without the renewable flag',
      );
    }
    if (tgt.renewTill.getTime() < ctx.now) {
      throw new KdcRefusal(
        ErrorCode.KRB_AP_ERR_TKT_EXPIRED,
        `the ticket could be renewed only until ${isoSeconds(tgt.renewTill)}; sign in again for a new one`,
      );
    }
    const life = tgt.endtime.getTime() - (tgt.starttime ?? tgt.authtime).getTime();
    const end = new Date(Math.min(now.getTime() + life, tgt.renewTill.getTime()));
    times = { starttime: now, endtime: end, renewTill: tgt.renewTill };
    say.say(
      'policy',
      `renewed: the ticket now runs from ${isoSeconds(now)} until ${isoSeconds(end)} (renewable until ${isoSeconds(tgt.renewTill)})`,
    );
  } else {
    if (!(tgt.flags & TicketFlag.INVALID))
      throw new KdcRefusal(
        ErrorCode.KDC_ERR_BADOPTION,
        'only an invalid (postdated) ticket can be validated',
      );
    const start = (tgt.starttime ?? tgt.authtime).getTime();
    if (start > ctx.now + db.policy.maxSkew) {
      throw new KdcRefusal(
        ErrorCode.KRB_AP_ERR_TKT_NYV,
        `the postdated ticket starts at ${isoSeconds(start)}: too early to validate`,
      );
    }
    flags &= ~TicketFlag.INVALID;
    times = {
      starttime: tgt.starttime ?? tgt.authtime,
      endtime: tgt.endtime,
      ...(tgt.renewTill ? { renewTill: tgt.renewTill } : {}),
    };
    say.say('policy', 'validated the postdated ticket: its start time has come');
  }
  const part: EncTicketPart = { ...tgt, flags, starttime: times.starttime, endtime: times.endtime };
  if (times.renewTill) part.renewTill = times.renewTill;
  const ticket = sealTicket(part, db.name, apReq.ticket.sname, ticketKey, ctx.random);
  return reply(scope, checked, ticket, part);
}

/**
 * TransitedEncoding (RFC 4120 §3.3.3.2, DOMAIN-X500-COMPRESS): a TGT issued by a realm other than the
 * client's own adds that realm to the list of realms the authentication went through.
 */
function transitedAfter(tgt: EncTicketPart, issuer: string): Uint8Array {
  const before = fromUtf8(tgt.transited.contents);
  if (issuer === tgt.crealm) return tgt.transited.contents;
  const list = before ? before.split(',') : [];
  if (!list.includes(issuer)) list.push(issuer);
  return utf8(list.join(','));
}
