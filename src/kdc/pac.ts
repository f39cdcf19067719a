/**
 * The PAC (MS-PAC) in tickets, as an Active Directory KDC handles it:
 *  - AS: build it from the account (user SID, groups, names: LOGON_INFO, CLIENT_INFO, UPN_DNS_INFO, and
 *    for TGTs PAC_ATTRIBUTES_INFO and PAC_REQUESTOR), sign it with the ticket's server key and the realm's
 *    krbtgt key, and wrap it as AD-IF-RELEVANT { AD-WIN2K-PAC } (MS-PAC §2.1, RFC 4120 §5.2.6.1);
 *  - TGS: find it in the TGT, check the signatures it can (MS-PAC §2.8), filter the SIDs of a PAC that
 *    came over a trust (MS-PAC §4.1.2.2, sid-filter.ts), and re-sign it for the new ticket (server
 *    signature with the new ticket's key, KDC signature with this realm's krbtgt key).
 */
import type { AuthorizationData, EncTicketPart } from '../asn1';
import { etypeName, type Key } from '../crypto';
import { findPacIn, wrapPac } from '../protocol/authdata';
import { ErrorCode } from '../asn1/registry';
import {
  buildPac,
  decodePac,
  encodePacBufferContent,
  FILETIME_NEVER,
  PacAttributeFlags,
  parseSid,
  SE_GROUP_DEFAULT,
  unixSecondsToFileTime,
  PAC_BUFFER_NAMES,
  verifyPac,
  type KerbValidationInfo,
  type PacVerification,
  type PacBuffer,
  type PacBufferContent,
} from '../formats';
import { formatName, krbtgtName } from '../asn1/principal';
import type { KeyEntry, PrincipalEntry, RealmState } from './database';
import { asKey, ticketKeyOf } from './issue';
import type { RequestScope } from './scope';
import { findPrincipal } from './lookup';
import { KdcRefusal } from './refusal';
import { filterLogonInfo, localDomainsOf, refusedIdentity } from './sid-filter';
import { bytesKey } from '../protocol/memo';
import { cachesOf } from './caches';

const DOMAIN_USERS_RID = 513;
/** UF_NORMAL_ACCOUNT | UF_DONT_EXPIRE_PASSWD, the usual userAccountControl of a user. */
const USER_ACCOUNT_CONTROL = 0x10 | 0x200;
/** LOGON_EXTRA_SIDS (MS-PAC §2.5 UserFlags): ExtraSids holds SIDs from other domains. */
const LOGON_EXTRA_SIDS = 0x20;

/** This realm's own krbtgt key: it makes the KDC signature (MS-PAC §2.8.5). */
export function krbtgtKeyOf(db: RealmState): KeyEntry {
  const entry = findPrincipal(db, krbtgtName(db.name), db.name);
  if (!entry) throw new KdcRefusal(ErrorCode.KRB_ERR_GENERIC, `${db.name} has no krbtgt/${db.name} key`);
  return ticketKeyOf(entry, db);
}

export interface NewPacInput {
  client: PrincipalEntry;
  pacRequested: boolean;
  /** Whether the client said so explicitly (PA-PAC-REQUEST) or got it by default. */
  pacRequestedExplicitly: boolean;
  authtime: Date;
  /** The key the ticket is encrypted in (for a TGT: the krbtgt key). */
  serverKey: KeyEntry;
  /** True when the ticket is a TGT: it then also carries PAC_ATTRIBUTES_INFO and PAC_REQUESTOR. */
  forTgt: boolean;
}

/** The RID of an account: from its SID when it has one, else a stable number from its place in the database. */
function ridOf(db: RealmState, client: PrincipalEntry): { domainSid: string; rid: number; userSid: string } {
  if (client.sid) {
    const parts = client.sid.split('-');
    const rid = Number(parts.pop());
    return { domainSid: parts.join('-'), rid, userSid: client.sid };
  }
  const rid = 1100 + db.principals.indexOf(client);
  return { domainSid: db.domainSid, rid, userSid: `${db.domainSid}-${rid}` };
}

function logonInfo(db: RealmState, client: PrincipalEntry, authtime: Date): KerbValidationInfo {
  const { domainSid, rid } = ridOf(db, client);
  const groups = client.groups ?? [`${domainSid}-${DOMAIN_USERS_RID}`];
  const inDomain = groups.filter(
    (g) => g.startsWith(`${domainSid}-`) && g.split('-').length === domainSid.split('-').length + 1,
  );
  const extra = groups.filter((g) => !inDomain.includes(g));
  const account = client.accountName ?? client.name.nameString[0]!;
  const now = unixSecondsToFileTime(authtime.getTime() / 1000);
  return {
    logonTime: now,
    logoffTime: FILETIME_NEVER,
    kickOffTime: FILETIME_NEVER,
    passwordLastSet: now,
    passwordCanChange: now,
    passwordMustChange: FILETIME_NEVER,
    effectiveName: account,
    fullName: client.fullName ?? account,
    logonScript: '',
    profilePath: '',
    homeDirectory: '',
    homeDirectoryDrive: '',
    logonCount: 1,
    badPasswordCount: 0,
    userId: rid,
    primaryGroupId: DOMAIN_USERS_RID,
    groupIds: inDomain.map((g) => ({ relativeId: Number(g.split('-').pop()), attributes: SE_GROUP_DEFAULT })),
    userFlags: extra.length ? LOGON_EXTRA_SIDS : 0,
    userSessionKey: new Uint8Array(16),
    logonServer: db.dcName ?? 'KDC',
    logonDomainName: db.netbiosName,
    logonDomainId: domainSid,
    userAccountControl: USER_ACCOUNT_CONTROL,
    subAuthStatus: 0,
    lastSuccessfulILogon: 0n,
    lastFailedILogon: 0n,
    failedILogonCount: 0,
    extraSids: extra.map((sid) => ({ sid, attributes: SE_GROUP_DEFAULT })),
    resourceGroupDomainSid: null,
    resourceGroupIds: [],
  };
}

/** AS: the PAC for a new ticket, or undefined when the realm issues none or the client asked for none. */
export function attachPac(
  scope: RequestScope,
  db: RealmState,
  input: NewPacInput,
): AuthorizationData | undefined {
  const { say } = scope;
  if (!db.policy.pac) return undefined;
  if (!input.pacRequested) {
    say.say('pac', 'the client asked for no PAC (PA-PAC-REQUEST false): the ticket carries none');
    return undefined;
  }
  const { client } = input;
  const { userSid } = ridOf(db, client);
  parseSid(userSid); // a malformed SID in the database is a bug to surface here, not in a service
  const account = client.accountName ?? client.name.nameString[0]!;
  const buffers: PacBufferContent[] = [
    { kind: 'logonInfo', type: 1, logonInfo: logonInfo(db, client, input.authtime) },
    {
      kind: 'clientInfo',
      type: 10,
      clientInfo: {
        clientId: unixSecondsToFileTime(input.authtime.getTime() / 1000),
        name: formatName(client.name),
      },
    },
    {
      kind: 'upnDnsInfo',
      type: 12,
      upnDnsInfo: {
        upn: client.upn ?? `${account}@${db.name.toLowerCase()}`,
        dnsDomainName: db.name,
        flags: (client.upn ? 0 : 1) | 2,
        samName: account,
        sid: userSid,
      },
    },
  ];
  if (input.forTgt) {
    // Since the 2021 hardening (KB5008380) DCs put these in TGTs: was the PAC asked for, and by whom.
    buffers.push({
      kind: 'attributes',
      type: 17,
      attributes: {
        flagsLength: 2,
        flags: [
          input.pacRequestedExplicitly
            ? PacAttributeFlags.PAC_WAS_REQUESTED
            : PacAttributeFlags.PAC_WAS_GIVEN_IMPLICITLY,
        ],
      },
    });
    buffers.push({ kind: 'requestor', type: 18, requestor: { sid: userSid } });
  }
  const krbtgt = krbtgtKeyOf(db);
  const pac = buildPac(buffers, { serverKey: asKey(input.serverKey), kdcKey: asKey(krbtgt) });
  const groups = client.groups?.length ?? 1;
  say.say(
    'pac',
    `built the PAC: user SID ${userSid}, ${groups} group SID${groups === 1 ? '' : 's'}; signed with the ticket's ${etypeName(input.serverKey.etype)} key and the krbtgt key`,
  );
  return wrapPac(pac);
}

export interface CarryPacInput {
  tgt: EncTicketPart;
  /** The realm that issued the TGT. */
  issuer: string;
  /** The key the TGT was encrypted in (this realm's krbtgt key, or the cross-realm key). */
  tgtKey: Key;
  /** The key the new ticket is encrypted in. */
  serverKey: KeyEntry;
  server: PrincipalEntry;
}

/**
 * The buffers a TGT's PAC passes on to the new ticket, signatures left out (and, unless the new ticket is
 * a TGT, PAC_ATTRIBUTES_INFO and PAC_REQUESTOR): each decoded and encoded again, as the new PAC lays
 * them out. A client shows the same TGT for every ticket it asks for, and these bytes are a pure
 * function of the PAC's bytes, so the KDC remembers them under exactly those bytes (caches.ts); a PAC
 * that does not decode throws as before and is not remembered.
 */
function carriedContent(
  scope: RequestScope,
  pacBytes: Uint8Array,
  forTgt: boolean,
): readonly PacBufferContent[] {
  const id = `${forTgt ? 'tgt' : 'service'}\u0000${bytesKey(pacBytes)}`;
  return cachesOf(scope.state).carriedPac.get(id, () =>
    decodePac(pacBytes)
      .buffers.filter((b) => ![6, 7, 16, 19].includes(b.type) && (forTgt || (b.type !== 17 && b.type !== 18)))
      .map(contentOf),
  );
}

/** The content a re-encoded buffer carries (no offsets, sizes or bytes of the PAC it came from). */
function contentOf(b: PacBuffer): PacBufferContent {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { offset, size, bytes, infoOffset, error, ...rest } = b;
  return { kind: 'raw', type: b.type, data: encodePacBufferContent(rest as PacBufferContent) };
}

/**
 * The buffers a PAC from another realm passes on, after SID filtering (MS-PAC §4.1.2.2, see sid-filter.ts).
 * Not remembered as `carriedContent` is: what passes depends on this realm's database as well as on the
 * PAC's bytes, and the narration says each time what was removed. A PAC that asserts an identity of this
 * realm's own domain is refused with KDC_ERR_POLICY (12).
 */
function filteredContent(
  scope: RequestScope,
  db: RealmState,
  issuer: string,
  pacBytes: Uint8Array,
  forTgt: boolean,
): PacBufferContent[] {
  const { say } = scope;
  const filter = { realm: db.name, localDomains: localDomainsOf(db), issuer };
  const refuse = (why: string): never => {
    say.say('pac', `SID filtering (MS-PAC §4.1.2.2): ${why}`, false);
    throw new KdcRefusal(ErrorCode.KDC_ERR_POLICY, why);
  };
  const out: PacBufferContent[] = [];
  const notes: string[] = [];
  let dropped: { sid: string; why: string }[] = [];
  let kept = '';
  for (const b of decodePac(pacBytes).buffers) {
    if ([6, 7, 16, 19].includes(b.type) || (!forTgt && (b.type === 17 || b.type === 18))) continue;
    if (b.kind === 'logonInfo') {
      const r = filterLogonInfo(b.logonInfo, filter);
      if (!r.ok) refuse(r.why);
      else {
        dropped = r.dropped;
        const groups = r.info.groupIds.length;
        kept = `the user ${r.trustedDomain}-${r.info.userId >>> 0} and ${groups} group${groups === 1 ? '' : 's'} of that domain pass`;
        out.push({ kind: 'logonInfo', type: 1, logonInfo: r.info });
      }
      continue;
    }
    if (b.kind === 'upnDnsInfo' && b.upnDnsInfo.sid) {
      const why = refusedIdentity(b.upnDnsInfo.sid, 'the user (UPN_DNS_INFO)', filter);
      if (why) refuse(why);
    }
    if (b.kind === 'requestor') {
      const why = refusedIdentity(b.requestor.sid, 'the requestor (PAC_REQUESTOR)', filter);
      if (why) refuse(why);
    }
    if (b.type === 13 || b.type === 14 || b.type === 15) {
      // Device groups would need their own filtering and claims a transformation policy (MS-PAC §4.1.2.2);
      // this KDC applies neither, so it does not pass them over a trust.
      notes.push(
        `left out the ${PAC_BUFFER_NAMES[b.type] ?? `type ${b.type}`} buffer, which this KDC does not filter`,
      );
      continue;
    }
    out.push(contentOf(b));
  }
  // One sentence per reason, the SIDs it removed after it: what a learner reads to see why each went.
  const byWhy = new Map<string, string[]>();
  for (const d of dropped) byWhy.set(d.why, [...(byWhy.get(d.why) ?? []), d.sid]);
  const removed = [...byWhy].map(
    ([why, sids]) => `${why.charAt(0).toUpperCase()}${why.slice(1)}: ${sids.join(', ')}.`,
  );
  say.say(
    'pac',
    [
      `SID filtering (MS-PAC §4.1.2.2): the PAC came from ${issuer} over a trust, which vouches for the user's own domain and no other; ${kept || 'it has no LOGON_INFO'}.`,
      dropped.length === 0
        ? 'Nothing to remove.'
        : `Removed ${dropped.length} SID${dropped.length === 1 ? '' : 's'}.`,
      ...removed,
      ...notes.map((n) => `${n.charAt(0).toUpperCase()}${n.slice(1)}.`),
    ].join(' '),
  );
  return out;
}

/**
 * TGS: verify the TGT's PAC and re-sign it for the new ticket. The server signature of a TGT's PAC is made
 * with the TGT's own key, so it can always be checked; the KDC signature only when this realm made it. A
 * PAC another realm made passes through SID filtering first: its signatures say who wrote it, not that
 * the trust allows what it says.
 */
export function carryPac(
  scope: RequestScope,
  db: RealmState,
  input: CarryPacInput,
): AuthorizationData | undefined {
  const { say } = scope;
  const pacBytes = findPacIn(input.tgt.authorizationData);
  if (!pacBytes) {
    if (db.policy.pac) say.say('pac', 'the TGT carries no PAC, so the new ticket carries none either');
    return undefined;
  }
  const local = input.issuer === db.name;
  const check = checkedPac(scope, pacBytes, input.tgtKey, local);
  if (check.server.status !== 'valid' || (local && check.kdc.status !== 'valid')) {
    const what = check.server.status !== 'valid' ? 'server' : 'KDC';
    const reason =
      (check.server.status !== 'valid' ? check.server.reason : check.kdc.reason) ?? check.server.status;
    say.say('pac', `the PAC's ${what} signature does not verify: ${reason}`, false);
    throw new KdcRefusal(
      ErrorCode.KRB_AP_ERR_MODIFIED,
      `the PAC in the ticket-granting ticket fails its ${what} signature check: ${reason}`,
    );
  }
  const forTgt = input.server.name.nameString[0] === 'krbtgt';
  const signedBy = local ? 'server and KDC' : `server; the KDC signature was made by ${input.issuer}`;
  if (!local) say.say('pac', `verified the PAC's signatures (${signedBy})`);
  const keys = () => ({ serverKey: asKey(input.serverKey), kdcKey: asKey(krbtgtKeyOf(db)) });
  let authorizationData: AuthorizationData;
  if (local) authorizationData = resignedLocalPac(scope, pacBytes, forTgt, keys());
  else {
    const content = filteredContent(scope, db, input.issuer, pacBytes, forTgt);
    authorizationData = wrapPac(buildPac(content, keys()));
  }
  say.say(
    'pac',
    local
      ? `verified the PAC's signatures (${signedBy}) and re-signed it for ${formatName(input.server.name)}`
      : `re-signed the filtered PAC for ${formatName(input.server.name)}, with its key and ${db.name}'s krbtgt key`,
  );
  return authorizationData;
}

/**
 * The TGT's PAC signatures checked with the TGT's key: the server signature, and for a TGT of this realm
 * the KDC signature too (the same krbtgt key made both). Remembered by the PAC's bytes and the key
 * (caches.ts): a client shows the same TGT for every service ticket it asks for.
 */
function checkedPac(scope: RequestScope, pacBytes: Uint8Array, tgtKey: Key, local: boolean): PacVerification {
  const id = `${local ? 'local' : 'trust'}\u0000${tgtKey.etype}\u0000${bytesKey(tgtKey.bytes)}\u0000${bytesKey(pacBytes)}`;
  return cachesOf(scope.state).checkedPac.get(id, () =>
    verifyPac(pacBytes, { serverKey: tgtKey, ...(local ? { kdcKey: tgtKey } : {}) }),
  );
}

/**
 * A PAC of this realm re-signed for a new ticket and wrapped as authorization data: a pure function of the
 * TGT's PAC bytes, the kind of ticket and the two keys (HMAC checksums are deterministic), so the KDC
 * remembers it under all of them (caches.ts). Each call gets its own copy of the bytes.
 */
function resignedLocalPac(
  scope: RequestScope,
  pacBytes: Uint8Array,
  forTgt: boolean,
  keys: { serverKey: Key; kdcKey: Key },
): AuthorizationData {
  const id =
    `${forTgt ? 'tgt' : 'service'}\u0000${keys.serverKey.etype}\u0000${bytesKey(keys.serverKey.bytes)}` +
    `\u0000${keys.kdcKey.etype}\u0000${bytesKey(keys.kdcKey.bytes)}\u0000${bytesKey(pacBytes)}`;
  const remembered = cachesOf(scope.state).resignedPac.get(id, () =>
    wrapPac(buildPac(carriedContent(scope, pacBytes, forTgt), keys)),
  );
  return remembered.map((ad) => ({ adType: ad.adType, adData: ad.adData.slice() }));
}
