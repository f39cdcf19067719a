/**
 * What an administrator changes around Azure Files, outside any SMB session: an RBAC role assigned to or
 * removed from an identity, the storage account's default share-level permission (both reach the file
 * service after the account's propagation delay, on the virtual clock), and a user taken out of a group
 * in the directory (the PAC of the user's next TGT no longer carries it; tickets already issued still do).
 */
import { formatDuration, isoSeconds } from '../asn1/time';
import type { AzureFilesAuthzState, ServiceActorState, World } from '../world';
import { DEFAULT_PERMISSIONS, SHARE_ROLES } from './files-authz';
import { sidName } from './files-server';
import { say, type WindowsOutcome } from './windows-host';

/** The Azure Files account a service is, or why not. */
export function storageAccount(
  world: World,
  id: string,
): { svc: ServiceActorState; authz: AzureFilesAuthzState } | string {
  const svc = world.services.find((s) => s.id === id);
  if (!svc?.smb) return `there is no file server "${id}"`;
  if (!svc.smb.azure) return `"${id}" is not an Azure Files account (services[].azureFiles)`;
  return { svc: world.service(id), authz: world.service(id).smb!.azure! };
}

/** When a change made now reaches the file service, in words. */
function takesEffect(world: World, authz: AzureFilesAuthzState): { at: number; words: string } {
  const at = world.now + authz.propagationMs;
  return {
    at,
    words:
      authz.propagationMs === 0
        ? 'in force at once'
        : `in force at ${isoSeconds(at)} (propagation ${formatDuration(authz.propagationMs)}, modelled)`,
  };
}

/** Assigns (or removes) an RBAC role on the account for a user or a SID. */
export function setShareRole(
  world: World,
  account: string,
  principal: string,
  role: string,
  remove: boolean,
): WindowsOutcome {
  const found = storageAccount(world, account);
  if (typeof found === 'string') return { ok: false, output: found };
  const { svc, authz } = found;
  const when = takesEffect(world, authz);
  const smb = SHARE_ROLES[role]!.rank > 0 ? '' : ' (a REST/OAuth role: it grants nothing over SMB)';
  if (remove) {
    const live = authz.roles.filter(
      (r) => r.principal.toLowerCase() === principal.toLowerCase() && r.role === role,
    );
    for (const r of live) r.removedAt ??= when.at;
    const output = `Azure RBAC: ${role} removed from ${principal} on ${authz.account}; ${when.words}`;
    say(world, svc.host, 'role removed', output);
    return { ok: live.length > 0, output };
  }
  authz.roles.push({ principal, role, effectiveAt: when.at });
  const output = `Azure RBAC: ${role} assigned to ${principal} on ${authz.account}${smb}; ${when.words}`;
  say(world, svc.host, 'role assigned', output);
  return { ok: true, output };
}

/** Sets the account's default share-level permission. */
export function setDefaultSharePermission(world: World, account: string, value: string): WindowsOutcome {
  const found = storageAccount(world, account);
  if (typeof found === 'string') return { ok: false, output: found };
  const { svc, authz } = found;
  const when = takesEffect(world, authz);
  authz.defaults.push({ value, effectiveAt: when.at });
  const role = DEFAULT_PERMISSIONS[value];
  const output = `${authz.account}: default share-level permission ${value}${role ? ` (${role} for every authenticated identity)` : ' (no access without an RBAC role)'}; ${when.words}`;
  say(world, svc.host, 'default share permission', output);
  return { ok: true, output };
}

/** Takes a user out of a group on every KDC that holds the account (the on-prem one and Entra's synced copy). */
export function removeGroupMember(world: World, principal: string, group: string): WindowsOutcome {
  let changed = 0;
  for (const k of world.kdcs) {
    const kdc = world.kdc(k.host);
    for (const e of kdc.entries(principal)) {
      if (!e.groups?.some((g) => g.toUpperCase() === group.toUpperCase())) continue;
      changed += kdc.setGroups(
        principal,
        e.groups.filter((g) => g.toUpperCase() !== group.toUpperCase()),
      );
      say(
        world,
        k.host,
        'group membership',
        `${principal} is no longer a member of ${sidName(world, group)} in the database on ${k.host}: the PAC of the next TGT leaves it out; tickets already issued still carry it`,
      );
    }
  }
  if (changed === 0)
    return { ok: false, output: `${principal} is not a member of ${group} in any database here` };
  return { ok: true, output: `${principal} removed from ${group}` };
}
