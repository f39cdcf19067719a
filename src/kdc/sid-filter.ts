/**
 * SID filtering where a PAC crosses a trust (MS-PAC §4.1.2.2, "SID Filtering and Claims Transformation").
 *
 * A realm that shares a cross-realm key with this one makes the TGTs it sends here, PAC included, and signs
 * them with that key: the signatures prove which realm wrote the PAC, not that what it says is true. So
 * the KDC that receives it keeps only what that realm may speak for, as a Windows DC filters a PAC that
 * comes over an external or forest trust (MS-PAC §4.1.2.2: a trust passes the SIDs of the domains on its
 * other side and "does not allow SIDs that are local to its forest to come over"):
 *
 *  - the user is an account of the trusted domain: LOGON_INFO's LogonDomainId is the domain the trusted
 *    realm speaks for here. A PAC that makes the user an account of this realm's own domain is refused
 *    outright (KDC_ERR_POLICY, 12, the code a Windows DC gives an invalid cross-realm ticket): removing
 *    the user's own SID would leave no identity to issue a ticket to;
 *  - the user's groups (GroupIds, relative to LogonDomainId) are the trusted domain's and pass;
 *  - ExtraSids and resource groups pass only when they belong to that same domain. Dropped are: SIDs of
 *    this realm's own domain (its RIDs 500, 512, 519…: the ForestSpecific rule, only this domain's own KDC
 *    may put them in a ticket), well-known SIDs (S-1-5-18 Local System, S-1-5-32-544 BUILTIN\Administrators,
 *    S-1-5-9 Enterprise Domain Controllers, S-1-5-21-0-0-0-496/497…, the AlwaysFilter rule: the KDC that
 *    issues the ticket adds them itself when they apply), and SIDs of any other domain, which the trusted
 *    realm does not speak for (the quarantine rule of an external trust; this model knows no forest of
 *    several domains behind a trust, so the trusted domain is the one the PAC's user belongs to);
 *  - S-1-18-1 and S-1-18-2, which say how the user proved who they are (MS-DTYP §2.4.2.4), pass.
 *
 * Entra ID (modelled) gets the on-prem user's own SID and groups this way, as Entra Connect syncs them:
 * they are SIDs of the trusted on-prem domain.
 */
import type { GroupMembership, KerbValidationInfo, SidAndAttributes } from '../formats';
import type { RealmState } from './database';

/** UserFlags bits (MS-PAC §2.5): ExtraSids holds SIDs; ResourceGroupIds holds groups. */
const LOGON_EXTRA_SIDS = 0x20;
const LOGON_RESOURCE_GROUPS = 0x200;

/** MS-DTYP §2.4.2.4: the asserted-identity SIDs, which a trust passes. */
const PASSED_WELL_KNOWN = new Set(['S-1-18-1', 'S-1-18-2']);

/** Names of well-known SIDs a learner meets in a hostile PAC (MS-DTYP §2.4.2.4). */
const WELL_KNOWN_NAMES: Record<string, string> = {
  'S-1-1-0': 'Everyone',
  'S-1-5-7': 'Anonymous',
  'S-1-5-9': 'Enterprise Domain Controllers',
  'S-1-5-11': 'Authenticated Users',
  'S-1-5-18': 'Local System',
  'S-1-5-19': 'Local Service',
  'S-1-5-20': 'Network Service',
  'S-1-5-32-544': 'BUILTIN\\Administrators',
  'S-1-5-32-548': 'BUILTIN\\Account Operators',
  'S-1-5-32-549': 'BUILTIN\\Server Operators',
  'S-1-5-32-551': 'BUILTIN\\Backup Operators',
  'S-1-5-21-0-0-0-496': 'Compounded Authentication',
  'S-1-5-21-0-0-0-497': 'Claims Valid',
};

/** Well-known RIDs of a domain (MS-DTYP §2.4.2.4), for the narration. */
const DOMAIN_RID_NAMES: Record<number, string> = {
  498: 'Enterprise Read-only Domain Controllers',
  500: 'Administrator',
  501: 'Guest',
  502: 'krbtgt',
  512: 'Domain Admins',
  513: 'Domain Users',
  515: 'Domain Computers',
  516: 'Domain Controllers',
  517: 'Cert Publishers',
  518: 'Schema Admins',
  519: 'Enterprise Admins',
  520: 'Group Policy Creator Owners',
  521: 'Read-only Domain Controllers',
  526: 'Key Admins',
  527: 'Enterprise Key Admins',
};

/** The domain part of an account or group SID (S-1-5-21-a-b-c-RID → S-1-5-21-a-b-c); else undefined. */
export function domainOf(sid: string): string | undefined {
  const m = /^(S-1-5-21-\d+-\d+-\d+)-\d+$/.exec(sid);
  return m ? m[1] : undefined;
}

/** The domain SIDs of a realm: its own, and those of its accounts' SIDs (an account may carry another). */
export function localDomainsOf(db: RealmState): Set<string> {
  const out = new Set([db.domainSid]);
  for (const p of db.principals) {
    // Entries of other realms (cross-realm keys, the users Entra syncs in) are not this domain's accounts.
    if (p.realm !== db.name || !p.sid) continue;
    const d = domainOf(p.sid);
    if (d) out.add(d);
  }
  return out;
}

export interface SidFilterScope {
  /** The realm answering: the trusting side. */
  realm: string;
  localDomains: ReadonlySet<string>;
  /** The realm the TGT came from. */
  issuer: string;
}

export interface DroppedSid {
  sid: string;
  why: string;
}

export type SidFilterResult =
  | { ok: true; info: KerbValidationInfo; dropped: DroppedSid[]; trustedDomain: string }
  | { ok: false; why: string };

function label(sid: string, scope: SidFilterScope): string {
  const known = WELL_KNOWN_NAMES[sid];
  if (known) return `${sid} (${known})`;
  const domain = domainOf(sid);
  const rid = Number(sid.slice(sid.lastIndexOf('-') + 1));
  const ridName = DOMAIN_RID_NAMES[rid];
  if (domain && scope.localDomains.has(domain) && ridName) return `${sid} (${ridName} of ${scope.realm})`;
  if (sid.startsWith('S-1-5-32-')) return `${sid} (a BUILTIN group)`;
  return sid;
}

/** Why a SID may not pass from the trusted domain `trusted`, or undefined when it may. */
function verdict(sid: string, trusted: string, scope: SidFilterScope): string | undefined {
  if (PASSED_WELL_KNOWN.has(sid)) return undefined;
  const domain = domainOf(sid);
  if (domain && scope.localDomains.has(domain)) {
    return `a SID of ${scope.realm}'s own domain: only ${scope.realm}'s own KDC may grant it`;
  }
  if (!domain && sid.startsWith('S-1-5-21-')) return 'not the SID of an account or group of a domain';
  if (!domain || domain === 'S-1-5-21-0-0-0') {
    return `a well-known SID: the KDC that issues a ticket adds these itself, no trusted realm may`;
  }
  if (domain !== trusted) {
    return `a SID of another domain (${domain}): over this trust only SIDs of the user's own domain, ${trusted}, pass`;
  }
  return undefined;
}

/** Checks an identity SID the PAC asserts (the user, UPN_DNS_INFO's, PAC_REQUESTOR's): why it is refused. */
export function refusedIdentity(sid: string, what: string, scope: SidFilterScope): string | undefined {
  const domain = domainOf(sid);
  if (domain && scope.localDomains.has(domain)) {
    return (
      `the PAC from ${scope.issuer} says ${what} is ${label(sid, scope)}, an account of ${scope.realm}'s own domain: ` +
      `a trusted realm may speak only for its own accounts, so ${scope.realm} refuses the ticket rather than pass a borrowed identity on`
    );
  }
  if (!domain || domain === 'S-1-5-21-0-0-0') {
    return `the PAC from ${scope.issuer} says ${what} is ${label(sid, scope)}, which is not an account of any domain`;
  }
  return undefined;
}

/** Applies the rules above to LOGON_INFO (KERB_VALIDATION_INFO) from a PAC that came over a trust. */
export function filterLogonInfo(info: KerbValidationInfo, scope: SidFilterScope): SidFilterResult {
  const trusted = info.logonDomainId;
  if (trusted === null) {
    return {
      ok: false,
      why: `the PAC from ${scope.issuer} names no logon domain, so the user's SID cannot be checked against the trust`,
    };
  }
  const userRefused = refusedIdentity(`${trusted}-${info.userId >>> 0}`, 'the user', scope);
  if (userRefused) return { ok: false, why: userRefused };

  const dropped: DroppedSid[] = [];
  const extraSids: SidAndAttributes[] = info.extraSids.filter((s) => {
    const why = verdict(s.sid, trusted, scope);
    if (why) dropped.push({ sid: label(s.sid, scope), why });
    return !why;
  });

  let resourceGroupDomainSid = info.resourceGroupDomainSid;
  let resourceGroupIds: readonly GroupMembership[] = info.resourceGroupIds;
  if (resourceGroupDomainSid !== null) {
    const domainWhy = verdict(`${resourceGroupDomainSid}-0`, trusted, scope);
    if (domainWhy) {
      for (const g of resourceGroupIds) {
        dropped.push({
          sid: label(`${resourceGroupDomainSid}-${g.relativeId >>> 0}`, scope),
          why: domainWhy,
        });
      }
      resourceGroupDomainSid = null;
      resourceGroupIds = [];
    }
  }

  let userFlags = info.userFlags;
  if (extraSids.length === 0) userFlags &= ~LOGON_EXTRA_SIDS;
  if (resourceGroupIds.length === 0) userFlags &= ~LOGON_RESOURCE_GROUPS;
  return {
    ok: true,
    trustedDomain: trusted,
    dropped,
    info: { ...info, userFlags, extraSids, resourceGroupDomainSid, resourceGroupIds },
  };
}
