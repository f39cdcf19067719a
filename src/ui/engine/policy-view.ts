/**
 * The policies a user may change in the world panel, as they stand at the current step: each client's
 * GPOs (the cloud ticket, the KDC proxy, host-to-realm mappings, the enctypes allowed for Kerberos), each
 * account's msDS-SupportedEncryptionTypes, each realm's DefaultDomainSupportedEncTypes, and Conditional
 * Access on each storage app in Entra (MFA, assignment required). Read from the
 * world the step left; changing one is a timeline action (the page inserts it as a 'policy' step).
 */
import { formatName, formatPrincipal } from '../../asn1/principal';
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

/** Conditional Access on a storage account's Entra app (src/azure/conditional-access.ts, modelled). */
export interface AppPolicyView {
  /** The app by its SPN: "cifs/contosofiles.file.core.windows.net". */
  app: string;
  /** A Conditional Access policy requiring MFA covers the app (false: none does, or the app is excluded). */
  mfa: boolean;
  /** "Assignment required?" Yes, and the users assigned. */
  assignmentRequired: boolean;
  assigned: string[];
}

export interface PolicyView {
  hosts: HostPolicyView[];
  /** The storage apps in Entra (the file servers of the cloud realm); empty without Entra. */
  apps: AppPolicyView[];
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

function appPolicies(world: World): AppPolicyView[] {
  const entra = entraOf(world);
  if (!entra) return [];
  const ca = entra.conditionalAccess;
  return world.services
    .filter((s) => s.smb && s.state.realm === entra.realm)
    .map((s) => {
      const app = formatName(s.state.name);
      const assigned = ca?.assignment[app.toLowerCase()];
      return {
        app,
        mfa: ca?.mfa.includes(app.toLowerCase()) ?? false,
        assignmentRequired: assigned !== undefined,
        assigned: [...(assigned ?? [])],
      };
    });
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
  return { hosts, apps: appPolicies(world), realms };
}
