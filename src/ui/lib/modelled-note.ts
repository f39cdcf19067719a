/**
 * What the inspector says of a modelled message, the one without bytes: what is modelled in it, and where
 * the real Kerberos around it is. Each kind says its own truth — SMB2's framing carries no Kerberos of its
 * own, an NTLM fallback carries NTLM, Entra's token endpoint carries tokens (and hands back a real cloud TGT).
 */
export interface ModelledRow {
  type: string;
  transport: string;
  result: string;
}

/** The sentences under "Modelled, no bytes." for `row`. */
export function modelledNote(row: ModelledRow): string {
  const how = `(${row.transport.toUpperCase()}: ${row.result})`;
  if (row.type === 'SMB2 SESSION_SETUP' && TICKET_ENCRYPTION.test(row.result))
    return `The playground models this SESSION_SETUP ${how}: the storage account's "Kerberos ticket encryption" setting is checked against the ticket's enctype, and the AP-REQ it carries is not made. The TGS exchange that brought the ticket is real.`;
  if (row.type === 'SMB2 SESSION_SETUP' && ACCOUNT_KEY.test(row.result))
    return `This SESSION_SETUP signs in with the storage account key over NTLMv2 ${how}, not Kerberos: no ticket is sent in it. The page shows it without bytes; the exported capture carries its real NTLMSSP NEGOTIATE, CHALLENGE and AUTHENTICATE inside SPNEGO, which tshark authenticates when given the key.`;
  if (row.type === 'SMB2 SESSION_SETUP')
    return `The playground models this NTLM fallback ${how} without making its NTLMSSP messages: only Kerberos is real here, and no Kerberos ticket was sent in it.`;
  if (FILE_REQUESTS.has(row.type))
    return `The playground models the file server's side of this SMB2 request ${how} (MS-SMB2): what it decides, from the share-level roles and the ACLs. The page shows it without bytes; the exported capture carries it as real SMB 3.1.1, signed or sealed as the session negotiated, after NEGOTIATE, SESSION_SETUP and TREE_CONNECT, whenever its session signed in on the wire (with Kerberos or the storage account key; a modelled NTLM fallback has no bytes, nor its file requests). The Kerberos of this mount is real: the TGS exchange, and the AP-REQ and AP-REP that SESSION_SETUP carries, can be opened.`;
  if (row.type.startsWith('SMB2 '))
    return `The playground models the file server's side of this SMB2 step ${how} (MS-SMB2): what it decides. NEGOTIATE, the Kerberos SESSION_SETUP, TREE_CONNECT and the file requests after them are real SMB 3.1.1 bytes in the exported capture. The Kerberos of this mount is real: the TGS exchange, and the AP-REQ and AP-REP that SESSION_SETUP carries, can be opened.`;
  if (row.type.startsWith('PRT-'))
    return `Entra ID's token endpoint is modelled ${how}: its JSON, JWTs and session key are not made. The cloud TGT it hands back (inside that JSON, in the real response) is a real Kerberos ticket made by the cloud realm's KDC: see it in the tickets panel or with klist.`;
  return `The playground models this step ${how} without making its packets: only Kerberos is real here.`;
}

/** A SESSION_SETUP the "Kerberos ticket encryption" setting decided (src/azure/ticket-encryption.ts). */
const TICKET_ENCRYPTION = /Kerberos ticket encryption|^Kerberos \(modelled\)/;

/** A sign-in with the storage account key (smbAccountKeySession in src/azure/smb.ts): real NTLMSSP in the export. */
const ACCOUNT_KEY = /^NTLMSSP (NEGOTIATE|AUTHENTICATE):/;

/** The file requests of an SMB session (files-server.ts): decided by the share level and the ACLs. */
const FILE_REQUESTS = new Set(
  ['CREATE', 'READ', 'WRITE', 'CLOSE', 'QUERY_DIRECTORY', 'QUERY_INFO', 'SET_INFO'].map((op) => `SMB2 ${op}`),
);

/**
 * The docs/modelled.md entries (their anchors) of a modelled step, the closest first: what its type and
 * result say it is. Every kind of modelled step the trace can make has one (test/unit/ui/modelled-doc.test.ts).
 */
export function modelledEntriesOf(row: ModelledRow): string[] {
  if (row.type === 'SMB2 SESSION_SETUP' && TICKET_ENCRYPTION.test(row.result))
    return ['ad-ds-storage-account-encryption', 'smb2-framing'];
  if (row.type === 'SMB2 SESSION_SETUP' && ACCOUNT_KEY.test(row.result))
    return ['azure-files-authorization', 'smb2-framing'];
  if (row.type === 'SMB2 SESSION_SETUP') return ['ntlm-fallback'];
  if (row.type.startsWith('SMB2 ') && /a cloud-only identity/.test(row.result))
    return ['cloud-only-identities', 'azure-files-authorization', 'smb2-framing'];
  if (FILE_REQUESTS.has(row.type)) return ['azure-files-authorization', 'smb2-framing'];
  if (row.type.startsWith('SMB2 ') || row.transport === 'smb') return ['smb2-framing'];
  if (row.type.startsWith('PRT-'))
    return /cloud TGT krbtgt\//.test(row.result)
      ? ['entra-prt-exchange', 'cloud-tgt-flags', 'cloud-tgt-renewal']
      : ['entra-prt-exchange'];
  if (row.type === 'identifier-uri') return ['storage-app-identifieruris'];
  if (/Entra ID does not renew cloud TGTs/.test(row.result)) return ['cloud-tgt-renewal'];
  return ['modelled-step'];
}
