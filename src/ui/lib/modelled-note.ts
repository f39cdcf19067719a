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
  if (row.type === 'SMB2 SESSION_SETUP')
    return `The playground models this NTLM fallback ${how} without making its NTLMSSP messages: only Kerberos is real here, and no Kerberos ticket was sent in it.`;
  if (row.type.startsWith('SMB2 '))
    return `The playground models SMB2's own framing ${how} (MS-SMB2) without making its packets. The Kerberos of this mount is real: the TGS exchange, and the AP-REQ and AP-REP that SESSION_SETUP carries, can be opened.`;
  if (row.type.startsWith('PRT-'))
    return `Entra ID's token endpoint is modelled ${how}: its JSON, JWTs and session key are not made. The cloud TGT it hands back (inside that JSON, in the real response) is a real Kerberos ticket made by the cloud realm's KDC: see it in the tickets panel or with klist.`;
  return `The playground models this step ${how} without making its packets: only Kerberos is real here.`;
}

/**
 * The docs/modelled.md entries (their anchors) of a modelled step, the closest first: what its type and
 * result say it is. Every kind of modelled step the trace can make has one (test/unit/ui/modelled-doc.test.ts).
 */
export function modelledEntriesOf(row: ModelledRow): string[] {
  if (row.type === 'SMB2 SESSION_SETUP') return ['ntlm-fallback'];
  if (row.type.startsWith('SMB2 ') || row.transport === 'smb') return ['smb2-framing'];
  if (row.type.startsWith('PRT-'))
    return /cloud TGT krbtgt\//.test(row.result)
      ? ['entra-prt-exchange', 'cloud-tgt-flags', 'cloud-tgt-renewal']
      : ['entra-prt-exchange'];
  if (row.type === 'identifier-uri') return ['storage-app-identifieruris'];
  if (/Entra ID does not renew cloud TGTs/.test(row.result)) return ['cloud-tgt-renewal'];
  return ['modelled-step'];
}
