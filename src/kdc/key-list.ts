/**
 * A writable DC's side of a read-only DC's TGT, and the key list (MS-KILE 3.1.5.8, 3.3.5.7.8):
 *
 * - An RODC encrypts its TGTs in its own krbtgt account's key (krbtgt_NNNNN; Entra's AzureADKerberos
 *   object: krbtgt_AzureAD). That key's version number carries the RODC's number in its high 16 bits and
 *   the key's version in the low 16; Windows encodes the whole as a signed 32-bit integer, so an RODC
 *   number of 0x8000 or more is a negative kvno on the wire.
 * - A writable DC opens such a TGT with that key, checks the RODC's password replication policy (a SID
 *   in the denied list wins; otherwise one must be in the allowed list) and issues a full TGT with a PAC
 *   it builds from its own database (the RODC's PAC, for Entra only the user's SID, is not carried).
 * - With KERB-KEY-LIST-REQ (PA 161, SEQUENCE OF etype) in that TGS-REQ for krbtgt, the reply's
 *   EncKDCRepPart carries KERB-KEY-LIST-REP (PA 162, SEQUENCE OF EncryptionKey) in encrypted-pa-data: the
 *   user's long-term keys of the enctypes asked for (etype 23 is the NT hash, for NTLM single sign-on).
 *
 * The refusal of a denied user is KDC_ERR_TGT_REVOKED (20), as a writable DC answers a key-list request
 * for an account the RODC may not cache (docs/modelled.md: the code is what write-ups observe, modelled).
 * Also here: the modelled service rules (Entra's Conditional Access) a cloud realm's KDC applies.
 */
import {
  decodeKerbKeyListReq,
  encodeKerbKeyListRep,
  type EncTicketPart,
  type EncryptionKey,
  type PaData,
  type PrincipalName,
  type Ticket,
} from '../asn1';
import { ErrorCode, KdcOption, PaType, TicketFlag } from '../asn1/registry';
import { etypeName } from '../crypto';
import { formatName, formatPrincipal, krbtgtName, tgsRealmOf } from '../asn1/principal';
import type { PrincipalEntry, RealmState, RodcEntry } from './database';
import { issueTicket } from './issue';
import { findPrincipal, pickKey } from './lookup';
import { attachPac } from './pac';
import { KdcRefusal } from './refusal';
import type { Issued, RequestScope } from './scope';
import { keyOf } from '../protocol/long-term-key';

/** The kvno of an RODC's key as Windows puts it on the wire: id << 16 | version, signed 32-bit. */
export function rodcKvno(rodcId: number, version: number): number {
  return ((rodcId & 0xffff) << 16) | (version & 0xffff) | 0;
}

/** The RODC number and the key version a kvno holds (MS-KILE 3.1.5.8). */
export function splitKvno(kvno: number): { rodcId: number; version: number } {
  const u = kvno >>> 0;
  return { rodcId: u >>> 16, version: u & 0xffff };
}

/** The RODC whose key a TGT is encrypted in, when its kvno names one this realm knows. */
export function rodcOf(db: RealmState, ticket: Ticket): RodcEntry | undefined {
  const kvno = ticket.encPart.kvno;
  if (kvno === undefined || !db.rodcs?.length) return undefined;
  if (tgsRealmOf(ticket.sname) !== db.name || ticket.realm !== db.name) return undefined;
  const { rodcId } = splitKvno(kvno);
  return rodcId === 0 ? undefined : db.rodcs.find((r) => r.id === rodcId);
}

/** The RODC's krbtgt account: its key opens the RODC's TGTs. */
export function rodcAccount(db: RealmState, rodc: RodcEntry): PrincipalEntry {
  const entry = findPrincipal(db, { nameType: 1, nameString: [rodc.account] }, db.name);
  if (!entry)
    throw new KdcRefusal(
      ErrorCode.KDC_ERR_S_PRINCIPAL_UNKNOWN,
      `the read-only DC ${rodc.name} has no krbtgt account ${rodc.account} in ${db.name}`,
    );
  return entry;
}

/** The TGT came from a read-only DC: a full TGT for krbtgt, with the key list when asked for. */
export function exchangeRodcTgt(
  scope: RequestScope,
  db: RealmState,
  rodc: RodcEntry,
  checked: { tgt: EncTicketPart; kvno: number },
  reply: (ticket: Ticket, part: EncTicketPart, encryptedPaData: PaData[]) => Issued,
): Issued {
  const { req, say } = scope;
  const { tgt } = checked;
  const { version } = splitKvno(checked.kvno);
  say.say(
    'policy',
    `the TGT is encrypted in ${rodc.account}'s key, kvno ${checked.kvno} (0x${(checked.kvno >>> 0).toString(16).padStart(8, '0')}: RODC number ${rodc.id} in the high 16 bits, key version ${version} in the low 16, MS-KILE 3.1.5.8): a TGT from the read-only DC ${rodc.name}, which this writable DC replaces`,
  );
  const sname = req.reqBody.sname;
  if (!sname || tgsRealmOf(sname) !== db.name) {
    throw new KdcRefusal(
      ErrorCode.KDC_ERR_POLICY,
      `modelled: this DC exchanges a TGT of ${rodc.name} only for a full TGT (krbtgt/${db.name}); the request asks for ${sname ? formatName(sname) : 'nothing'}`,
    );
  }
  const user = findPrincipal(db, tgt.cname, tgt.crealm);
  if (!user)
    throw new KdcRefusal(
      ErrorCode.KDC_ERR_C_PRINCIPAL_UNKNOWN,
      `${formatName(tgt.cname)}@${tgt.crealm} is not in ${db.name}'s directory`,
    );
  checkReplicationPolicy(scope, rodc, user);
  const krbtgt = findPrincipal(db, krbtgtName(db.name), db.name)!;
  let flags = tgt.flags & TicketFlag.PRE_AUTHENT;
  if (req.reqBody.kdcOptions & KdcOption.FORWARDABLE && tgt.flags & TicketFlag.FORWARDABLE)
    flags |= TicketFlag.FORWARDABLE;
  const { ticket, part } = issueTicket(scope, db, {
    server: krbtgt,
    sname: krbtgtName(db.name),
    client: { realm: tgt.crealm, name: tgt.cname },
    authtime: tgt.authtime,
    transited: new Uint8Array(0),
    limits: {
      maxLife: Math.min(db.policy.maxLife, user.maxLife ?? Infinity),
      maxRenew: Math.min(db.policy.maxRenew, user.maxRenew ?? Infinity),
      renewableAllowed: true,
    },
    flags,
    notes: [
      `the PAC of ${rodc.name}'s TGT is not carried: this DC builds the full PAC (user and group SIDs) from its own directory`,
    ],
    authorizationData: (ticketKey) =>
      attachPac(scope, db, {
        client: user,
        pacRequested: true,
        pacRequestedExplicitly: false,
        authtime: tgt.authtime,
        serverKey: ticketKey,
        forTgt: true,
      }),
    issued: (k) =>
      `issued ${formatPrincipal(user)} a full TGT krbtgt/${db.name}, encrypted in krbtgt/${db.name}'s ${etypeName(k.etype)} key (kvno ${k.kvno}), in place of ${rodc.name}'s partial one`,
  });
  return reply(ticket, part, keyList(scope, user));
}

/** The RODC's password replication policy: a denied SID wins; otherwise one SID must be allowed. */
function checkReplicationPolicy(scope: RequestScope, rodc: RodcEntry, user: PrincipalEntry): void {
  const sids = [user.sid, ...(user.groups ?? [])].filter((s): s is string => !!s);
  const denied = sids.find((s) => rodc.denied.includes(s));
  const allowed = sids.find((s) => rodc.allowed.includes(s));
  const who = formatPrincipal(user);
  if (denied || !allowed) {
    const why = denied
      ? `${denied} is a member of the Denied RODC Password Replication Group, which ${rodc.name}'s msDS-NeverRevealGroup names (privileged groups are members of it)`
      : `none of ${who}'s SIDs is in ${rodc.name}'s allowed password replication list`;
    scope.say.say('policy', `${why}: this DC will not hand out ${who}'s keys for it`, false);
    throw new KdcRefusal(
      ErrorCode.KDC_ERR_TGT_REVOKED,
      `${why}; the TGT of ${rodc.name} is refused (the code is modelled, docs/modelled.md)`,
    );
  }
  scope.say.say(
    'policy',
    `${allowed} is in ${rodc.name}'s allowed password replication list and no SID of ${who} is denied`,
  );
}

/** KERB-KEY-LIST-REP for the enctypes KERB-KEY-LIST-REQ asks for (MS-KILE 3.3.5.7.8). */
function keyList(scope: RequestScope, user: PrincipalEntry): PaData[] {
  const { req, say } = scope;
  const pa = req.padata?.find((p) => p.padataType === PaType.KERB_KEY_LIST_REQ);
  if (!pa) return [];
  let asked: number[];
  try {
    asked = decodeKerbKeyListReq(pa.padataValue);
  } catch (e) {
    throw new KdcRefusal(
      ErrorCode.KDC_ERR_PREAUTH_FAILED,
      `KERB-KEY-LIST-REQ cannot be read: ${(e as Error).message}`,
    );
  }
  const keys: EncryptionKey[] = [];
  for (const etype of asked.slice(0, 16)) {
    const k = pickKey(user, [etype]);
    if (k && !keys.some((x) => x.keytype === etype))
      keys.push({ keytype: k.etype, keyvalue: keyOf(k).slice() });
  }
  const names = keys.map(
    (k) => `${etypeName(k.keytype)}${k.keytype === 23 ? ' (the NT hash, for NTLM single sign-on)' : ''}`,
  );
  say.say(
    'issue',
    `KERB-KEY-LIST-REQ asks for ${asked.map(etypeName).join(', ')}: the reply's encrypted-pa-data carries KERB-KEY-LIST-REP with ${formatPrincipal(user)}'s ${names.join(', ') || 'no'} key${keys.length === 1 ? '' : 's'} (MS-KILE 3.3.5.7.8)`,
  );
  return [{ padataType: PaType.KERB_KEY_LIST_REP, padataValue: encodeKerbKeyListRep(keys) }];
}

/** A modelled service rule (Conditional Access in the cloud realm) that refuses this server, if any. */
export function checkServiceRules(scope: RequestScope, db: RealmState, server: PrincipalName): void {
  const name = formatName(server).toLowerCase();
  const rule = db.serviceRules?.find((r) => r.server.toLowerCase() === name);
  if (!rule) return;
  scope.say.say('policy', `modelled: ${rule.text}`, false);
  throw new KdcRefusal(rule.code, `modelled: ${rule.text}`);
}
