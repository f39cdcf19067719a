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
  netbiosHostName,
  runOperation,
  TCP_CONNECT_TIMEOUT,
  type AzureFilesAuthzState,
  type Endpoint,
  type Protocol,
  type ServiceAccess,
  type ServiceActorState,
  type World,
} from '../world';
import { shareLevel } from './files-authz';
import {
  openSession,
  requestedSecurity,
  serveFile,
  statusText,
  type FileReply,
  type FileRequest,
} from './files-server';
import { ticketEncryptionRefusal, ticketEncryptionRestricts } from './ticket-encryption';
import { wireFile, wireNegotiate, wireNtlmSessionSetup, wireSessionSetup, wireTreeConnect } from './smb-wire';
import {
  connectionSeed,
  ntlmClientAuthenticate,
  ntlmServerChallenge,
  ntlmNegotiate,
  ntlmVerify,
  NtStatus,
  Smb2Error,
  readAuthenticate,
} from '../smb2';
import { fromHex, toHex } from '../util';

/**
 * What the client asks of the server, as plain data (an encoder can make SMB2 of it): NEGOTIATE, the NTLM
 * fallback, the storage account key's NTLMv2 SESSION_SETUP, TREE_CONNECT on a session, and the file
 * requests of files-server.ts.
 */
export type SmbRequest =
  | { op: 'negotiate' }
  | { op: 'ntlm' }
  | { op: 'ntlm-challenge'; host: string }
  | { op: 'account-key'; host: string; negotiate: Uint8Array; authenticate: Uint8Array }
  | { op: 'tree-connect'; share: string; session?: number }
  | { op: 'ticket-encryption'; refused: string }
  | FileRequest;

/** What the sender gets back: whether it worked, the session opened, a file request's reply. */
export interface SmbReply {
  ok: boolean;
  session?: number;
  /** NTLMSSP: the server's CHALLENGE message; after AUTHENTICATE, the exported session key. */
  challenge?: Uint8Array;
  sessionKey?: Uint8Array;
  file?: FileReply;
  windowsError?: number;
  /** A refused SESSION_SETUP's NT status, when it is not STATUS_LOGON_FAILURE. */
  status?: number;
}

/** TREE_CONNECT: the share must exist, and the session's share-level permission must allow something. */
function treeConnect(world: World, svc: ServiceActorState, share: string, id?: number) {
  const smb = svc.smb!;
  if (smb.shares && !smb.shares.some((s) => s.toLowerCase() === share.toLowerCase()))
    return {
      value: { ok: false },
      reply: { type: 'SMB2 TREE_CONNECT', result: 'STATUS_BAD_NETWORK_NAME', windowsError: 67 },
    };
  const session = smb.sessions?.find((s) => s.id === id);
  if (session && smb.azure) {
    const level = shareLevel(smb.azure, session, world.hostNow(svc.host));
    if (level.mask === 0)
      return {
        value: { ok: false, windowsError: 5 },
        reply: {
          type: 'SMB2 TREE_CONNECT',
          result: `${statusText('STATUS_ACCESS_DENIED')}: no share-level permission for ${session.principal} (${level.why})`,
          windowsError: 5,
        },
      };
    session.trees.push(share);
    return {
      value: { ok: true },
      reply: { type: 'SMB2 TREE_CONNECT', result: `connected to ${share}; share level: ${level.why}` },
    };
  }
  session?.trees.push(share);
  return { value: { ok: true }, reply: { type: 'SMB2 TREE_CONNECT', result: `connected to ${share}` } };
}

/** The server's NTLMSSP CHALLENGE to a host: a challenge from a hash of what names it, its target info. */
function ntlmChallengeFor(world: World, svc: ServiceActorState, host: string) {
  const name = world.host(svc.host).name;
  const netbios = (svc.smb!.azure?.account ?? name.split('.')[0]!).toUpperCase();
  const seed = connectionSeed(svc.id, host, 'ntlm', String(world.trace.length));
  const challenge = ntlmServerChallenge(netbios, name, seed.subarray(0, 8), world.hostNow(svc.host));
  (svc.smb!.ntlmChallenges ??= {})[host] = toHex(challenge);
  return {
    value: { ok: true, challenge },
    reply: {
      type: 'SMB2 SESSION_SETUP',
      result: `STATUS_MORE_PROCESSING_REQUIRED: NTLMSSP CHALLENGE from ${netbios} (server challenge ${toHex(challenge.subarray(24, 32))})`,
    },
  };
}

/**
 * A malformed NTLMSSP message (a field no well-formed client sends, NtlmFormatError, or a message cut
 * short or of the wrong type, Smb2Error; not a wrong key): Windows answers SESSION_SETUP with
 * STATUS_INVALID_PARAMETER, and `net use` shows System error 87.
 */
function invalidParameter(e: Smb2Error) {
  const status = NtStatus.INVALID_PARAMETER;
  return {
    value: { ok: false, windowsError: 87, status },
    reply: {
      type: 'SMB2 SESSION_SETUP',
      result: `STATUS_INVALID_PARAMETER (0x${status.toString(16).toUpperCase()}): ${e.message}`,
      windowsError: 87,
    },
  };
}

/**
 * The client's AUTHENTICATE read: the user it names, whether that is the account's `localhost\\account`,
 * and the NTLMv2 check against the key (undefined when it does not match). Throws Smb2Error for a
 * malformed message.
 */
function checkAuthenticate(
  azure: AzureFilesAuthzState | undefined,
  challenge: Uint8Array | undefined,
  req: { negotiate: Uint8Array; authenticate: Uint8Array },
) {
  const a = readAuthenticate(req.authenticate);
  const user = `${a.domain}\\${a.user}`;
  const named = azure !== undefined && user.toLowerCase() === `localhost\\${azure.account}`.toLowerCase();
  const checked =
    named && azure.accountKey !== undefined && challenge
      ? ntlmVerify(azure.accountKey, challenge.subarray(24, 32), {
          negotiate: req.negotiate,
          challenge,
          authenticate: req.authenticate,
        })
      : undefined;
  return { user, named, checked };
}

/**
 * SESSION_SETUP's second round with the storage account key: the server checks the NTLMv2 response
 * against the key it holds (NTProofStr, then the MIC) for `localhost\account`; the exported session key
 * becomes the SMB session key.
 */
function accountKeySession(
  svc: ServiceActorState,
  req: { host: string; negotiate: Uint8Array; authenticate: Uint8Array },
) {
  const azure = svc.smb!.azure;
  const sent = svc.smb!.ntlmChallenges?.[req.host];
  const challenge = sent ? fromHex(sent) : undefined;
  if (svc.smb!.ntlmChallenges) delete svc.smb!.ntlmChallenges[req.host];
  let read: ReturnType<typeof checkAuthenticate>;
  try {
    read = checkAuthenticate(azure, challenge, req);
  } catch (e) {
    if (e instanceof Smb2Error) return invalidParameter(e);
    throw e;
  }
  const { user, named, checked } = read;
  if (!checked)
    return {
      value: { ok: false, windowsError: 1326 },
      reply: {
        type: 'SMB2 SESSION_SETUP',
        result: `STATUS_LOGON_FAILURE: ${named ? 'the NTProofStr does not match the one the storage account key gives' : `${user} is not localhost\\${azure?.account ?? '<account>'}`}`,
        windowsError: 1326,
      },
    };
  const s = openSession(svc, { host: req.host, principal: user, groupSids: [], superuser: true });
  return {
    value: { ok: true, session: s.id, sessionKey: checked.exportedSessionKey },
    reply: {
      type: 'SMB2 SESSION_SETUP',
      result: `NTLMv2: the NTProofStr matches the storage account key: ${user} signed in, superuser, no ACL applies (session ${s.id})`,
    },
  };
}

/** The SMB server listening at an endpoint (a service with shares). */
export const smbListener: Protocol<SmbRequest, SmbReply, ServiceActorState> = {
  listener: (world, at) =>
    world.services.find((s) => s.smb && s.host === at.host && s.port === at.port) as
      ServiceActorState | undefined,
  absent: (at) => `nothing listens on ${at.host}:${at.port}`,
  serve(world, svc, req) {
    const smb = svc.smb!;
    switch (req.op) {
      case 'ntlm-challenge':
        return ntlmChallengeFor(world, svc, req.host);
      case 'account-key':
        return accountKeySession(svc, req);
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
      case 'tree-connect':
        return treeConnect(world, svc, req.share, req.session);
      case 'ticket-encryption':
        return {
          value: { ok: false, windowsError: 5 },
          reply: {
            type: 'SMB2 SESSION_SETUP',
            result: `${statusText('STATUS_ACCESS_DENIED')}: ${req.refused}`,
            windowsError: 5,
          },
        };
      default: {
        const file = serveFile(world, svc, req);
        return {
          value: { ok: file.status === 'STATUS_SUCCESS', file },
          reply: {
            type: `SMB2 ${req.op.toUpperCase().replace('-', '_')}`,
            result: `${statusText(file.status)}${file.why ? `: ${file.why}` : ''}`,
            ...(file.status === 'STATUS_ACCESS_DENIED' ? { windowsError: 5 } : {}),
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
  if (trip.ok) wireNegotiate(world, host, svc, trip.request, trip.reply);
  return trip.ok;
}

/** What SESSION_SETUP came to: Kerberos, or NTLM after Kerberos gave no ticket. */
const KDC_ERR_POLICY = 12;

export type SmbSession =
  | { ok: true; access: ServiceAccess; session: number }
  | { ok: false; windowsError: number; errorCode?: number };

/**
 * The server keeps the session SESSION_SETUP opened, with the identity its service found in the ticket it
 * validated (the PAC's SIDs): later requests are checked against it.
 */
function keepSession(
  world: World,
  host: string,
  svc: Readonly<ServiceActorState>,
  access: ServiceAccess,
): number {
  const id = access.identity;
  return openSession(world.service(svc.id), {
    host,
    // NTLM accepted (an on-prem server): the user the client signed in as, no PAC
    principal: id?.principal ?? world.client(host).config.principal,
    ...(id?.userSid ? { userSid: id.userSid } : {}),
    groupSids: id ? [...id.groupSids] : [],
  }).id;
}

/**
 * A SESSION_SETUP whose ticket's enctype the account's "Kerberos ticket encryption" setting leaves out:
 * STATUS_ACCESS_DENIED, System error 5 (ticket-encryption.ts). Modelled: the AP-REQ it carries is not made.
 */
function refuseTicketEncryption(
  world: World,
  host: string,
  svc: Readonly<ServiceActorState>,
  spn: string,
  etype: number,
  refused: string,
): SmbSession {
  world.roundTrip(
    host,
    endpointOf(svc),
    smbListener,
    { op: 'ticket-encryption', refused },
    {
      type: 'SMB2 SESSION_SETUP',
      result: `Kerberos (modelled): the AP-REQ for ${spn}, its ticket encrypted with enctype ${etype}`,
    },
    { timeout: TCP_CONNECT_TIMEOUT, connected: true, modelled: true },
  );
  return { ok: false, windowsError: 5 };
}

/** SESSION_SETUP: the AP-REQ for cifs/<server>; without a ticket, the NTLM fallback. */
export function smbSessionSetup(
  world: World,
  host: string,
  svc: Readonly<ServiceActorState>,
  server: string,
): SmbSession {
  const spn = `cifs/${server.toLowerCase()}`;
  // a restrictive "Kerberos ticket encryption" setting: the ticket first, refused by its enctype
  const first = ticketEncryptionRestricts(svc)
    ? runOperation(world, host, { kind: 'service-ticket', service: spn })
    : undefined;
  if (first?.ok) {
    const refused = ticketEncryptionRefusal(svc, first.credential.ticketEtype);
    if (refused) return refuseTicketEncryption(world, host, svc, spn, first.credential.ticketEtype, refused);
  }
  const before = world.trace.length;
  const access: ServiceAccess =
    first && !first.ok
      ? {
          ok: false,
          error: first.error.message,
          ...(first.error.code !== undefined ? { errorCode: first.error.code } : {}),
          ticket: first,
        }
      : accessService(world, host, svc.id, spn);
  wireSessionSetup(world, host, svc, before, access);
  if (access.ok) return { ok: true, access, session: keepSession(world, host, svc, access) };
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
    return ntlm.ok && ntlm.value.ok
      ? { ok: true, access, session: keepSession(world, host, svc, access) }
      : { ok: false, windowsError: 1326, ...code };
  }
  // the AP-REQ found no way to the server (53), or the server refused the ticket: STATUS_LOGON_FAILURE
  if (access.ticket?.ok && access.errorCode === undefined) return { ok: false, windowsError: 53 };
  return { ok: false, windowsError: 1326, ...code };
}

/** TREE_CONNECT to a share on the open session: 67 when the server has no such share, 5 without share-level access. */
export function smbTreeConnect(
  world: World,
  host: string,
  svc: Readonly<ServiceActorState>,
  server: string,
  share: string,
  session?: number,
): { ok: true } | { ok: false; windowsError: number } {
  const trip = world.roundTrip(
    host,
    endpointOf(svc),
    smbListener,
    { op: 'tree-connect', share, ...(session !== undefined ? { session } : {}) },
    { type: 'SMB2 TREE_CONNECT', result: `\\\\${server}\\${share}` },
    { timeout: TCP_CONNECT_TIMEOUT, connected: true, modelled: true },
  );
  if (trip.ok)
    wireTreeConnect(world, host, svc, `\\\\${server}\\${share}`, trip.value.ok, trip.request, trip.reply);
  if (trip.ok && trip.value.ok) return { ok: true };
  return { ok: false, windowsError: (trip.ok && trip.value.windowsError) || 67 };
}

/**
 * SESSION_SETUP with the storage account key (`net use ... /user:localhost\account KEY`): NTLMSSP in two
 * rounds, NEGOTIATE then the server's CHALLENGE, and AUTHENTICATE with the NTLMv2 response the typed key
 * gives. The client's challenge and chosen session key come from a hash of what names the sign-in. A
 * refusal carries the Windows error the server's status maps to.
 */
export function smbAccountKeySession(
  world: World,
  host: string,
  svc: Readonly<ServiceActorState>,
  user: string,
  key: string,
): { ok: true; session: number } | { ok: false; windowsError: number } {
  const opts = { timeout: TCP_CONNECT_TIMEOUT, connected: true, modelled: true };
  const negotiate = ntlmNegotiate();
  const first = world.roundTrip(
    host,
    endpointOf(svc),
    smbListener,
    { op: 'ntlm-challenge', host },
    { type: 'SMB2 SESSION_SETUP', result: `NTLMSSP NEGOTIATE: ${user} with the storage account key` },
    opts,
  );
  const challenge = first.ok ? first.value.challenge : undefined;
  if (!first.ok || !challenge) return { ok: false, windowsError: 1326 };
  const [domain, name] = user.includes('\\') ? (user.split('\\') as [string, string]) : ['', user];
  const seed = connectionSeed(host, svc.id, 'ntlm client', String(first.request.seq));
  const authenticate = ntlmClientAuthenticate({
    password: key,
    user: name,
    domain,
    workstation: netbiosHostName(world.host(host).name),
    negotiate,
    challenge,
    clientChallenge: seed.subarray(0, 8),
    exportedSessionKey: seed.subarray(8, 24),
    now: world.hostNow(host),
  });
  const trip = world.roundTrip(
    host,
    endpointOf(svc),
    smbListener,
    { op: 'account-key', host, negotiate, authenticate },
    { type: 'SMB2 SESSION_SETUP', result: `NTLMSSP AUTHENTICATE: the NTLMv2 response for ${user}` },
    opts,
  );
  if (trip.ok) {
    const tokens = { negotiate, challenge, authenticate };
    wireNtlmSessionSetup(world, host, svc, tokens, trip.value, [first, trip]);
  }
  if (trip.ok && trip.value.ok && trip.value.session !== undefined)
    return { ok: true, session: trip.value.session };
  // the server's refusal says which error `net use` prints: 1326 for a wrong key, 87 for a malformed message
  return { ok: false, windowsError: (trip.ok && trip.value.windowsError) || 1326 };
}

/** A file request on an open session: the server's reply, or undefined when nothing came back. */
export function smbFileRequest(
  world: World,
  host: string,
  svc: Readonly<ServiceActorState>,
  req: FileRequest,
  what: string,
): FileReply | undefined {
  // SET_INFO's descriptor is the client's, fixed before the server decides
  const sent = req.op === 'set-info' ? requestedSecurity(svc, req) : undefined;
  const trip = world.roundTrip(
    host,
    endpointOf(svc),
    smbListener,
    req,
    { type: `SMB2 ${req.op.toUpperCase().replace('-', '_')}`, result: what },
    { timeout: TCP_CONNECT_TIMEOUT, connected: true, modelled: true },
  );
  if (trip.ok && trip.value.file)
    wireFile(world, host, svc, { req, sent, reply: trip.value.file }, trip.request, trip.reply);
  return trip.ok ? trip.value.file : undefined;
}
