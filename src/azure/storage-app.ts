/**
 * The storage account's app registration in Entra ID (modelled; docs/modelled.md, "storage-app-identifieruris"):
 * Entra's KDC issues a ticket for cifs/<name> only when the storage account's app lists
 * api://<tenant>/CIFS/<name> among its identifierUris. Enabling Entra Kerberos on the account lists its
 * public name (contosofiles.file.core.windows.net); a private endpoint's name
 * (contosofiles.privatelink.file.core.windows.net) must be added by hand, else a mount by that name gets
 * KDC_ERR_S_PRINCIPAL_UNKNOWN (7), SMB falls back to NTLM, which Azure Files refuses: System error 1326
 * (Microsoft's Azure Files SMB authentication troubleshooting doc). Here the app's key is the key the cloud
 * realm's KDC holds for the account's SPN, so an added identifierUri is one more name for the same key.
 */
import { formatPrincipal, sameName } from '../asn1/principal';
import type { World } from '../world';
import type { WindowsOutcome } from './windows-host';

/** `api://<tenant>/CIFS/<name>` is added to the identifierUris of the app whose SPN is `app` ("cifs/…"). */
export function addIdentifierUri(world: World, app: string, name: string): WindowsOutcome {
  const entra = world.entra;
  if (!entra)
    return { ok: false, output: 'this world has no Entra ID: there is no app registration to change' };
  const kdc = world.kdc(entra.host);
  const realm = entra.realm;
  const entry = kdc.entries(`${app}@${realm}`, realm)[0];
  if (!entry) return { ok: false, output: `Entra ID has no storage account app for ${app}` };
  const uri = `api://${entra.tenantId}/CIFS/${name.toLowerCase()}`;
  const spn = `cifs/${name.toLowerCase()}@${realm}`;
  if (kdc.entries(spn, realm).length > 0)
    return { ok: true, output: `${uri} is already among the app's identifierUris` };
  kdc.addPrincipal(realm, {
    ...structuredClone(entry),
    name: { nameType: entry.name.nameType, nameString: ['cifs', name.toLowerCase()] },
  });
  // the storage account's SMB server takes tickets for the new name too: the same app, the same key
  for (const svc of world.services.filter(
    (x) => x.state.realm === realm && sameName(x.state.name, entry.name),
  )) {
    const state = world.service(svc.id).state;
    state.aliases = [
      ...(state.aliases ?? []),
      { nameType: entry.name.nameType, nameString: ['cifs', name.toLowerCase()] },
    ];
  }
  world.action(
    entra.host,
    'identifier-uri',
    `modelled: the app registration of ${formatPrincipal(entry)} gets identifierUri ${uri}: Entra's KDC now issues tickets for ${spn} in the storage account's key`,
  );
  return { ok: true, output: `identifierUris += ${uri}` };
}
