/**
 * An SMB file server — an on-prem share or Azure Files — modelled around the real Kerberos inside it: the
 * SMB2 messages (NEGOTIATE, SESSION_SETUP, TREE_CONNECT) are steps without bytes, labelled modelled in the
 * trace; the AP-REQ that SESSION_SETUP carries is real and goes to the server's Kerberized service
 * (src/world flows, src/services).
 *
 * When Kerberos gives SMB no ticket (an SPN the KDC does not know, no TGT, no KDC), SPNEGO falls back to
 * NTLM (PROTOCOL-NOTES.md, "Windows client behaviour"): Azure Files refuses NTLM for these identities, so
 * the user sees a credential prompt and System error 1326; an on-prem server may accept it (`ntlm:
 * "accepted"`), which hides the Kerberos failure from the user.
 */
import { formatDuration } from '../asn1/time';
import {
  accessService,
  TCP_CONNECT_TIMEOUT,
  type Endpoint,
  type Protocol,
  type ServiceAccess,
  type ServiceActorState,
  type World,
} from '../world';

type SmbRequest = { op: 'negotiate' } | { op: 'ntlm' } | { op: 'tree-connect'; share: string };

/** The SMB server listening at an endpoint (a service with shares). */
export const smbListener: Protocol<SmbRequest, { ok: boolean }, ServiceActorState> = {
  listener: (world, at) =>
    world.services.find((s) => s.smb && s.host === at.host && s.port === at.port) as
      ServiceActorState | undefined,
  absent: (at) => `nothing listens on ${at.host}:${at.port}`,
  serve(_world, svc, req) {
    const smb = svc.smb!;
    switch (req.op) {
      case 'negotiate':
        return {
          value: { ok: true },
          reply: { type: 'SMB2 NEGOTIATE', result: 'SMB 3.1.1; SPNEGO offers Kerberos and NTLM' },
        };
      case 'ntlm': {
        const ok = smb.ntlm === 'accepted';
        return {
          value: { ok },
          reply: {
            type: 'SMB2 SESSION_SETUP',
            result: ok
              ? 'NTLM accepted (modelled): the share opens without Kerberos'
              : 'STATUS_LOGON_FAILURE (modelled): this server refuses NTLM for the identity; Windows prompts for credentials',
            ...(ok ? {} : { windowsError: 1326 }),
          },
        };
      }
      case 'tree-connect': {
        const ok = !smb.shares || smb.shares.some((s) => s.toLowerCase() === req.share.toLowerCase());
        return {
          value: { ok },
          reply: {
            type: 'SMB2 TREE_CONNECT',
            result: ok ? `connected to ${req.share}` : 'STATUS_BAD_NETWORK_NAME',
            ...(ok ? {} : { windowsError: 67 }),
          },
        };
      }
    }
  },
};

/** The SMB server a name ("contosofiles.file.core.windows.net") reaches: by host name, or by its SPN's host. */
export function findSmbServer(world: World, name: string): Readonly<ServiceActorState> | undefined {
  const lower = name.toLowerCase();
  return world.services.find(
    (s) =>
      s.smb &&
      (world.host(s.host).name.toLowerCase() === lower ||
        s.state.name.nameString[1]?.toLowerCase() === lower),
  );
}

const endpointOf = (svc: Readonly<ServiceActorState>): Endpoint => ({
  host: svc.host,
  port: svc.port,
  transport: 'smb',
});

/** SMB connects first (TCP 445, NEGOTIATE); Kerberos comes only in SESSION_SETUP. */
export function smbNegotiate(
  world: World,
  host: string,
  svc: Readonly<ServiceActorState>,
  server: string,
): boolean {
  const at = endpointOf(svc);
  const trip = world.roundTrip(
    host,
    at,
    smbListener,
    { op: 'negotiate' },
    { type: 'SMB2 NEGOTIATE', result: `connect to ${server}:${at.port}` },
    {
      timeout: TCP_CONNECT_TIMEOUT,
      modelled: true,
      unanswered: (why) => ({
        request: `no answer: ${why.text}`,
        wait: `${host} could not connect to ${svc.host}:${at.port} (waited ${formatDuration(TCP_CONNECT_TIMEOUT)})`,
      }),
    },
  );
  return trip.ok;
}

/** What SESSION_SETUP came to: Kerberos, or NTLM after Kerberos gave no ticket. */
const KDC_ERR_POLICY = 12;

export type SmbSession =
  { ok: true; access: ServiceAccess } | { ok: false; windowsError: number; errorCode?: number };

/** SESSION_SETUP: the AP-REQ for cifs/<server>; without a ticket, the NTLM fallback. */
export function smbSessionSetup(
  world: World,
  host: string,
  svc: Readonly<ServiceActorState>,
  server: string,
): SmbSession {
  const spn = `cifs/${server.toLowerCase()}`;
  const access = accessService(world, host, svc.id, spn);
  if (access.ok) return { ok: true, access };
  const code = access.errorCode !== undefined ? { errorCode: access.errorCode } : {};
  // a policy refusal (Conditional Access in the cloud realm, modelled): Windows shows 1327, no NTLM
  if (access.ticket && !access.ticket.ok && access.errorCode === KDC_ERR_POLICY)
    return { ok: false, windowsError: 1327, ...code };
  if (access.ticket && !access.ticket.ok) {
    // no Kerberos ticket: SPNEGO falls back to NTLM
    const why = access.ticket.error.message;
    const ntlm = world.roundTrip(
      host,
      endpointOf(svc),
      smbListener,
      { op: 'ntlm' },
      {
        type: 'SMB2 SESSION_SETUP',
        result: `NTLM fallback (modelled): no Kerberos ticket for ${spn} (${why}), so SPNEGO offers NTLMSSP`,
      },
      { timeout: TCP_CONNECT_TIMEOUT, connected: true, modelled: true },
    );
    return ntlm.ok && ntlm.value.ok ? { ok: true, access } : { ok: false, windowsError: 1326, ...code };
  }
  // the AP-REQ found no way to the server (53), or the server refused the ticket: STATUS_LOGON_FAILURE
  if (access.ticket?.ok && access.errorCode === undefined) return { ok: false, windowsError: 53 };
  return { ok: false, windowsError: 1326, ...code };
}

/** TREE_CONNECT to a share on the open session: false when the server has no such share. */
export function smbTreeConnect(
  world: World,
  host: string,
  svc: Readonly<ServiceActorState>,
  server: string,
  share: string,
): boolean {
  const trip = world.roundTrip(
    host,
    endpointOf(svc),
    smbListener,
    { op: 'tree-connect', share },
    { type: 'SMB2 TREE_CONNECT', result: `\\\\${server}\\${share}` },
    { timeout: TCP_CONNECT_TIMEOUT, connected: true, modelled: true },
  );
  return trip.ok && trip.value.ok;
}
