/**
 * The KDC's state: a principal database per realm, the trusts between realms, and the replay cache.
 * Everything here is plain data (no classes, no closures) so the world can snapshot it with
 * structuredClone and restore it exactly — stepping back in the UI is a restore, never an undo.
 */
import type { LongTermKey } from '../protocol/long-term-key';
import type { PrincipalName } from '../asn1';
import type { ReplayEntry } from '../protocol/replay';

export type { ReplayEntry } from '../protocol/replay';

/** One long-term key of a principal, as MIT's database keeps it (one per enctype and kvno). */
export interface KeyEntry extends LongTermKey {
  /** The salt the key was made with, sent to clients in ETYPE-INFO2 (undefined: no salt, e.g. rc4). */
  salt?: string;
  /** The string-to-key parameters sent in ETYPE-INFO2 (the AES iteration count), when not the default. */
  s2kparams?: Uint8Array;
}

export interface PrincipalEntry {
  /** The principal's realm (for cross-realm krbtgt entries, the realm that issues tickets with the key). */
  realm: string;
  name: PrincipalName;
  keys: KeyEntry[];
  /** The client must prove it knows the key before the KDC answers (RFC 4120 §5.2.7; MIT +requires_preauth). */
  requiresPreauth: boolean;
  /** A disabled account gets KDC_ERR_CLIENT_REVOKED (18). */
  disabled: boolean;
  /** Tickets for this client are never forwardable (MIT -allow_forwardable). */
  noForwardable: boolean;
  /** Longest ticket life for this principal in ms (undefined: the realm's). */
  maxLife?: number;
  /** Longest renewable life in ms (undefined: the realm's). */
  maxRenew?: number;
  /** Windows identity for the PAC. */
  sid?: string;
  groups?: string[];
  /** The user principal name (alice@corp.contoso.com), for NT-ENTERPRISE lookups and UPN_DNS_INFO. */
  upn?: string;
  /** The account name shown in the PAC (sAMAccountName); defaults to the first name component. */
  accountName?: string;
  /** A display name for LOGON_INFO (full name). */
  fullName?: string;
  /**
   * Active Directory's msDS-SupportedEncryptionTypes, as a list: the enctypes this account accepts for
   * its tickets and session keys (undefined: the realm's list, as a DC's DefaultDomainSupportedEncTypes).
   */
  supportedEtypes?: number[];
}

export interface RealmPolicy {
  /** Longest ticket life (RFC 4120 §3.1.3), ms. */
  maxLife: number;
  /** Longest renewable life, ms. */
  maxRenew: number;
  /** Largest clock difference tolerated (RFC 4120 §1.6: "typically 5 minutes"), ms. */
  maxSkew: number;
  /** Enctypes the realm permits, in the KDC's order of preference. */
  etypes: number[];
  /**
   * A DC's DefaultDomainSupportedEncTypes: the enctypes assumed for an account without
   * msDS-SupportedEncryptionTypes (undefined: every enctype the realm permits).
   */
  defaultSupportedEtypes?: number[];
  /** Issue a PAC (MS-PAC) in tickets, as Active Directory does. */
  pac: boolean;
  /**
   * Follow Windows DCs' 2026 RC4 phase-out on the KDC's calendar (rc4-phase.ts) when the realm issues a
   * PAC. Undefined: follow it; false: a KDC that is no Windows DC (`krbplay kdc` by default).
   */
  rc4PhaseOut?: boolean;
  /**
   * Why this realm's KDC refuses every renewal (KDC_ERR_BADOPTION), when it does: Entra ID does not renew
   * cloud TGTs (modelled, src/azure/cloud-tgt.ts). Undefined: renewals as RFC 4120 §3.3.3.1.
   */
  refuseRenewal?: string;
}

export interface RealmState {
  name: string;
  policy: RealmPolicy;
  principals: PrincipalEntry[];
  /** host-to-realm mapping (".example.test" = suffix, "host.example.test" = exact), as [domain_realm]. */
  hostRealm: Record<string, string>;
  /** The domain SID for PACs ("S-1-5-21-…"); group RIDs are relative to it. */
  domainSid: string;
  /** The NetBIOS-style domain name for the PAC (LOGON_INFO LogonDomainName). */
  netbiosName: string;
  /**
   * The NetBIOS name of the DC that issues this realm's tickets (LOGON_INFO LogonServer, "DC1"), as the
   * client's %LOGONSERVER% shows it; "KDC" when the KDC runs on no named host (`krbplay kdc`).
   */
  dcName?: string;
  /** Read-only DC objects whose TGTs this realm's writable DCs accept (key-list.ts). */
  rodcs?: RodcEntry[];
  /** Modelled rules that refuse service tickets for some servers (Entra's Conditional Access, key-list.ts). */
  serviceRules?: ServiceRule[];
}

/**
 * A read-only DC as a writable DC sees it (MS-KILE 3.1.5.8): its number, which makes the high 16 bits of
 * its krbtgt account's key version, and its password replication policy (the SIDs whose keys it may
 * hold: allowed, and denied, which wins). Entra's CN=AzureADKerberos object is one (cloud Kerberos trust).
 */
export interface RodcEntry {
  id: number;
  /** Its name in the directory ("AzureADKerberos"). */
  name: string;
  /** Its krbtgt account, a principal of this realm ("krbtgt_AzureAD"). */
  account: string;
  allowed: string[];
  denied: string[];
}

/** A service whose tickets the KDC refuses (modelled), with the code and words it answers with. */
export interface ServiceRule {
  /** The server's name without realm, matched without regard to case ("cifs/contosofiles.file.core.windows.net"). */
  server: string;
  code: number;
  text: string;
}

/** A direct trust: principals of `from` may use services of `to` (both realms hold krbtgt/to@from). */
export interface TrustEdge {
  from: string;
  to: string;
}

export interface KdcState {
  realms: RealmState[];
  trusts: TrustEdge[];
  replayCache: ReplayEntry[];
}

/** A principal's lookup key: components joined by "/", "@", realm. Case matters, as in MIT. */
export function principalKey(name: PrincipalName, realm: string): string {
  return `${name.nameString.join('/')}@${realm}`;
}
