/**
 * Azure Files' SMB security setting "Kerberos ticket encryption" (ARM's kerberosTicketEncryption; the
 * portal's File shares > Security profile): which ticket enctypes the account's SMB server takes, RC4-HMAC
 * and/or AES-256, both by default ("Maximum compatibility"). Microsoft documents that the SMB security
 * settings are checked when the SMB session is set up and that a session that does not meet them fails
 * with STATUS_ACCESS_DENIED, which `net use` shows as System error 5 (docs/modelled.md, "AD DS storage
 * account encryption"). The check is modelled on the ticket's own enctype (its enc-part), which is what the
 * setting names; the AP-REQ itself is not made for a refused SESSION_SETUP.
 */
import type { ServiceActorState, TicketEncryption, World } from '../world';
import { say, type WindowsOutcome } from './windows-host';

export const TICKET_ENCRYPTIONS: readonly TicketEncryption[] = ['RC4-HMAC', 'AES-256'];

/** The enctype each value of the setting stands for (RFC 4757 rc4-hmac, RFC 3962 aes256-cts-hmac-sha1-96). */
const ETYPE: Readonly<Record<TicketEncryption, number>> = { 'RC4-HMAC': 23, 'AES-256': 18 };

/** The setting in force on a server (absent: both values). */
export const ticketEncryptionOf = (svc: Readonly<ServiceActorState>): readonly TicketEncryption[] =>
  svc.smb?.ticketEncryption ?? TICKET_ENCRYPTIONS;

/** The setting leaves a value out (with both, the server takes any ticket it has a key for, as before). */
export const ticketEncryptionRestricts = (svc: Readonly<ServiceActorState>): boolean =>
  TICKET_ENCRYPTIONS.some((v) => !ticketEncryptionOf(svc).includes(v));

/** Why the server refuses a ticket of this enctype, or undefined when the setting allows it. */
export function ticketEncryptionRefusal(svc: Readonly<ServiceActorState>, etype: number): string | undefined {
  const allowed = ticketEncryptionOf(svc);
  if (allowed.some((v) => ETYPE[v] === etype)) return undefined;
  const name = (Object.keys(ETYPE) as TicketEncryption[]).find((v) => ETYPE[v] === etype);
  return `the ticket is encrypted with ${name ?? `enctype ${etype}`} (${etype}); the storage account's SMB security settings allow Kerberos ticket encryption ${allowed.join(', ') || 'none'} only`;
}

/** An administrator changes the setting (portal, Update-AzStorageFileServiceProperty -SmbKerberosTicketEncryption). */
export function setTicketEncryption(world: World, id: string, allowed: TicketEncryption[]): WindowsOutcome {
  const svc = world.services.find((s) => s.id === id);
  if (!svc?.smb) return { ok: false, output: `there is no file server "${id}"` };
  const values = TICKET_ENCRYPTIONS.filter((v) => allowed.includes(v));
  if (values.length === 0)
    return {
      ok: false,
      output: `${id}: Kerberos ticket encryption needs at least one value (${TICKET_ENCRYPTIONS.join(' or ')}); with none, every ticket would be refused, and Azure does not accept an empty setting. The setting is unchanged`,
    };
  const smb = world.service(id).smb!;
  smb.ticketEncryption = values;
  const output = `${id}: SMB security settings, Kerberos ticket encryption ${smb.ticketEncryption.join(', ')}; checked at the next SMB session setup`;
  say(world, svc.host, 'smb security settings', output);
  return { ok: true, output };
}
