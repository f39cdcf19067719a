/**
 * The policies a user may change in the world panel, as they stand at the current step: each client's
 * GPOs (the cloud ticket, the KDC proxy, host-to-realm mappings, the enctypes allowed for Kerberos), each
 * account's msDS-SupportedEncryptionTypes, each realm's DefaultDomainSupportedEncTypes, each Azure Files
 * account's share-level roles and default permission (with when a change reaches the file service), and
 * Conditional Access on each storage app in Entra (MFA, assignment required). Read from the
 * world the step left; changing one is a timeline action (the page inserts it as a 'policy' step).
 */
import { formatName, formatPrincipal } from '../../asn1/principal';
import { entraOf } from '../../azure';
import { settingsOf } from '../../client';
import type { World } from '../../world';
import { DEFAULT_PERMISSIONS, defaultPermissionAt, SHARE_ROLES } from '../../azure/files-authz';

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

/** A share-level role assignment as the account holds it, and whether the file service applies it yet. */
export interface ShareRoleView {
  principal: string;
  role: string;
  /** In force at the current step (assigned and propagated, its removal not yet propagated). */
  inForce: boolean;
  /** Virtual ms when the assignment reaches the file service. */
  effectiveAt: number;
  /** Virtual ms when its removal reaches the file service, if removed. */
  removedAt?: number;
}

/** An Azure Files account's share-level permissions (Azure RBAC roles and the default permission). */
export interface ShareAccessView {
  account: string;
  /** How long a change takes to reach the file service, ms (0: at once). */
  propagationMs: number;
  /** The default share-level permission in force now. */
  defaultPermission: string;
  /** A default set but not yet in force: its value and when it takes effect. */
  pendingDefault?: { value: string; effectiveAt: number };
  /** Assignments not yet removed for good (in force, waiting to be, or waiting to be removed). */
  roles: ShareRoleView[];
  /** The roles that mean something over SMB, by their Azure names, lowest first. */
  roleNames: string[];
  /** The values of the default permission. */
  defaultNames: string[];
  /** The users of the realms the page can pick from (synced users and their SIDs are both accepted). */
  users: string[];
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
  /** Each Azure Files account's share-level permissions. */
  shares: ShareAccessView[];
}

/**
 * The share-level permissions of each Azure Files account, at the time its file server decides by: the
 * server host's own clock (its skew included), as `azure/smb.ts` reads it.
 */
function shareAccess(world: World, users: string[]): ShareAccessView[] {
  const roleNames = Object.entries(SHARE_ROLES)
    .filter(([, r]) => r.rank > 0)
    .sort((a, b) => a[1].rank - b[1].rank)
    .map(([name]) => name);
  return world.services.flatMap((svc) => {
    const authz = svc.smb?.azure;
    if (!authz) return [];
    const now = world.hostNow(svc.host);
    const pending = authz.defaults.filter((d) => d.effectiveAt > now).at(-1);
    return [
      {
        account: authz.account,
        propagationMs: authz.propagationMs,
        defaultPermission: defaultPermissionAt(authz, now),
        ...(pending ? { pendingDefault: { value: pending.value, effectiveAt: pending.effectiveAt } } : {}),
        roles: authz.roles
          .filter((r) => r.removedAt === undefined || r.removedAt > now)
          .map((r) => ({
            principal: r.principal,
            role: r.role,
            inForce: r.effectiveAt <= now,
            effectiveAt: r.effectiveAt,
            ...(r.removedAt !== undefined ? { removedAt: r.removedAt } : {}),
          })),
        roleNames,
        defaultNames: Object.keys(DEFAULT_PERMISSIONS),
        users,
      },
    ];
  });
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
  const users = realms.flatMap((r) =>
    r.accounts.map((a) => a.principal).filter((p) => !p.includes('/') && !p.startsWith('krbtgt')),
  );
  return { hosts, apps: appPolicies(world), realms, shares: shareAccess(world, users) };
}
