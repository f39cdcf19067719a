/**
 * The policies a user may change in the world panel, as they stand at the current step: each client's
 * GPOs (the cloud ticket, the KDC proxy, host-to-realm mappings, the enctypes allowed for Kerberos), each
 * account's msDS-SupportedEncryptionTypes and each realm's DefaultDomainSupportedEncTypes. Read from the
 * world the step left; changing one is a timeline action (the page inserts it as a 'policy' step).
 */
import { formatPrincipal } from '../../asn1/principal';
import { entraOf } from '../../azure';
import { settingsOf } from '../../client';
import type { World } from '../../world';

export interface HostPolicyView {
  host: string;
  /** Entra-joined or hybrid: the cloud GPOs (cloud ticket, KDC proxy) apply. */
  device: boolean;
  /** GPO "Allow retrieving the Azure AD Kerberos Ticket Granting Ticket during logon". */
  cloudTicket: boolean;
  /** GPO "Specify KDC proxy servers for Kerberos clients". */
  kdcProxy: boolean;
  /** What that GPO names: the cloud realm and its KDC proxy ("KERBEROS.MICROSOFTONLINE.COM → …"). */
  kdcProxyServer?: { realm: string; server: string };
  /** GPO "Define host name-to-Kerberos realm mappings": "host" or ".suffix" → realm. */
  hostRealm: Record<string, string>;
  /** GPO "Configure encryption types allowed for Kerberos" (absent: Not Configured). */
  allowedEtypes?: number[];
  /** What the client offers now, in order. */
  offers: number[];
}

export interface AccountPolicyView {
  /** "cifs/fs1.corp.contoso.com@CORP.CONTOSO.COM". */
  principal: string;
  /** msDS-SupportedEncryptionTypes (absent: not set, the realm's default applies). */
  supportedEtypes?: number[];
  /** The enctypes it has keys for. */
  keys: number[];
}

export interface RealmPolicyView {
  realm: string;
  /** The enctypes the realm permits. */
  etypes: number[];
  /** DefaultDomainSupportedEncTypes (absent: not set). */
  defaultEtypes?: number[];
  accounts: AccountPolicyView[];
}

export interface PolicyView {
  hosts: HostPolicyView[];
  /** The scenario's own realms (the cloud realm's KDC is Entra's, not the user's to administer). */
  realms: RealmPolicyView[];
}

function hostPolicy(world: World, host: string): HostPolicyView | undefined {
  const d = world.windowsHost(host);
  if (!d) return undefined;
  const entra = entraOf(world);
  return {
    host,
    device: d.cloudAp !== undefined,
    cloudTicket: d.policy.cloudKerberosTicketRetrieval,
    kdcProxy: d.policy.kdcProxy,
    ...(entra ? { kdcProxyServer: { realm: entra.realm, server: entra.kdcProxy } } : {}),
    hostRealm: { ...d.policy.hostRealm },
    ...(d.policy.allowedEtypes ? { allowedEtypes: [...d.policy.allowedEtypes] } : {}),
    offers: [...settingsOf(world.client(host).config).etypes],
  };
}

export function policyView(world: World): PolicyView {
  const hosts = world.clientHosts().flatMap((h) => hostPolicy(world, h) ?? []);
  const cloud = entraOf(world)?.realm;
  const seen = new Set<string>();
  const realms: RealmPolicyView[] = [];
  for (const kdc of world.kdcs) {
    for (const db of kdc.state.realms) {
      if (db.name === cloud || seen.has(db.name)) continue;
      seen.add(db.name);
      realms.push({
        realm: db.name,
        etypes: [...db.policy.etypes],
        ...(db.policy.defaultSupportedEtypes ? { defaultEtypes: [...db.policy.defaultSupportedEtypes] } : {}),
        accounts: db.principals
          .filter((p) => p.realm === db.name)
          .map((p) => ({
            principal: formatPrincipal(p),
            ...(p.supportedEtypes ? { supportedEtypes: [...p.supportedEtypes] } : {}),
            keys: [...new Set(p.keys.map((k) => k.etype))],
          })),
      });
    }
  }
  return { hosts, realms };
}
