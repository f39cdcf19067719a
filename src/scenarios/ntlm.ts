/**
 * The NTLM fallback, modelled (PROTOCOL-NOTES.md, "Windows client behaviour"): when Kerberos gives SMB no
 * ticket (an SPN the KDC does not know, no TGT, no KDC), SPNEGO offers NTLM instead. Azure Files refuses
 * NTLM for these identities: the user sees a credential prompt and System error 1326. An on-prem file
 * server may accept it (`ntlm: "accepted"`), which hides the Kerberos failure from the user.
 *
 * No NTLM bytes are made: the two SESSION_SETUP steps are labelled modelled in the trace.
 */
import { latency, recordStep, type RunContext } from './actions';
import type { ScenarioService } from './schema';

export function ntlmFallback(
  ctx: RunContext,
  host: string,
  svc: ScenarioService,
  server: string,
  why: string,
): { ok: true } | { ok: false; windowsError: number } {
  const w = ctx.world;
  const port = svc.port ?? 445;
  const request = recordStep(ctx, {
    from: host,
    to: svc.host,
    transport: 'smb',
    port,
    type: 'SMB2 SESSION_SETUP',
    result: `NTLM fallback (modelled): no Kerberos ticket for cifs/${server.toLowerCase()} (${why}), so SPNEGO offers NTLMSSP`,
  });
  w.raw.now += latency(w, host, svc.host);
  const accepted = svc.ntlm === 'accepted';
  recordStep(
    ctx,
    {
      from: svc.host,
      to: host,
      transport: 'smb',
      port,
      type: 'SMB2 SESSION_SETUP',
      result: accepted
        ? 'NTLM accepted (modelled): the share opens without Kerberos'
        : 'STATUS_LOGON_FAILURE (modelled): this server refuses NTLM for the identity; Windows prompts for credentials',
      replyTo: request.seq,
    },
    accepted ? {} : { windowsError: 1326 },
  );
  w.raw.now += latency(w, svc.host, host);
  return accepted ? { ok: true } : { ok: false, windowsError: 1326 };
}
