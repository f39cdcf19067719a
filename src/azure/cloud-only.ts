/**
 * Entra Kerberos for cloud-only identities (preview since late 2025; docs/modelled.md, "Cloud-only
 * identities"): users who exist only in Entra ID, with no Active Directory account anywhere.
 *
 * - Entra's cloud realm is their only realm: the cloud KDC holds them as bob@KERBEROS.MICROSOFTONLINE.COM,
 *   keyed with a per-user key Entra keeps (modelled, as for synced users), and the PAC of their tickets
 *   carries cloud SIDs: the user's and its groups', each S-1-12-1 and the object ID's four numbers
 *   (cloud-sid.ts). Microsoft documents that these tickets carry cloud SIDs, not the PAC's layout: the
 *   playground puts the user's cloud SID as the user and its groups' as extra SIDs (modelled).
 * - Signing in is Entra's alone (CloudAP's PRT request, modelled): no DC, no on-prem TGT, no cached logon
 *   verifier of an AD logon.
 * - Microsoft lists Windows 11 Enterprise/Pro and Windows Server 2025 as the clients that support it. What an
 *   older client does is not documented: the playground's older client signs in and gets its PRT but no
 *   cloud TGT for the cloud-only user (modelled), so a mount falls back to NTLM, which Azure Files refuses
 *   (1326).
 * - Azure Files gives cloud-only identities the account's default share-level permission only: an RBAC role
 *   assigned to one does not apply (files-authz.ts).
 */
import type { PrincipalEntry } from '../kdc';
import { NT, parsePrincipal } from '../asn1/principal';
import type { CloudOnlyUser, EntraState, WindowsRelease, World } from '../world';
import { cloudSidFromObjectId } from './cloud-sid';

/** The Windows releases Microsoft lists for Entra Kerberos with cloud-only identities. */
export const CLOUD_ONLY_RELEASES: readonly WindowsRelease[] = ['windows-11', 'server-2025'];

export const RELEASE_NAMES: Readonly<Record<WindowsRelease, string>> = {
  'windows-11': 'Windows 11',
  'windows-10': 'Windows 10',
  'server-2025': 'Windows Server 2025',
  'server-2022': 'Windows Server 2022',
};

/** The cloud-only user a principal names ("bob@KERBEROS.MICROSOFTONLINE.COM"), if it is one. */
export function cloudOnlyUser(entra: EntraState | undefined, user: string): CloudOnlyUser | undefined {
  if (!entra) return undefined;
  const p = parsePrincipal(user);
  if (p.realm !== entra.realm) return undefined;
  const name = p.name.nameString.join('/').toLowerCase();
  return entra.cloudOnlyUsers?.find((u) => u.name.toLowerCase() === name);
}

export const isCloudOnly = (world: World, user: string): boolean =>
  cloudOnlyUser(world.entra, user) !== undefined;

/** The cloud KDC's entry for a cloud-only user: its realm is the cloud realm, its SIDs cloud SIDs. */
export function cloudOnlyEntry(realm: string, user: CloudOnlyUser, key: Uint8Array): PrincipalEntry {
  return {
    realm,
    name: { nameType: NT.PRINCIPAL, nameString: [user.name] },
    keys: [{ etype: 18, kvno: 1, key }],
    requiresPreauth: false,
    disabled: false,
    noForwardable: false,
    sid: cloudSidFromObjectId(user.objectId),
    groups: (user.groups ?? []).map(cloudSidFromObjectId),
    upn: user.upn.toLowerCase(),
    ...(user.fullName ? { fullName: user.fullName } : {}),
  };
}

/**
 * Why CloudAP on this release asks for no cloud TGT for a cloud-only user (modelled: the refusal is
 * Microsoft's list of supported clients, what an older one shows is not documented), or undefined.
 */
export function cloudOnlyReleaseRefusal(release: WindowsRelease | undefined): string | undefined {
  const os = release ?? 'windows-11';
  if (CLOUD_ONLY_RELEASES.includes(os)) return undefined;
  return `${RELEASE_NAMES[os]} does not support Entra Kerberos for cloud-only identities (Windows 11 or Windows Server 2025 only): CloudAP asks for no cloud TGT (modelled)`;
}
