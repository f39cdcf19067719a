/**
 * The SMB2 bytes under the SMB server's modelled steps (src/smb2): each step smb.ts plays keeps its trace
 * line and gains the message that crossed TCP 445. NEGOTIATE opens a connection (its state kept in the
 * world, so a later SESSION_SETUP on it, or a snapshot, goes on from there); SESSION_SETUP wraps the real
 * AP-REQ and AP-REP of the trace in SPNEGO, and its session key is the AP-REP's subkey; later messages are
 * sealed (Azure Files: secure transfer requires SMB 3.x encryption) or signed (a server on-prem).
 */

import { connectionSeed, negotiate, NtStatus, sessionSetup, treeConnect } from '../smb2';
import type { ServiceAccess, ServiceActorState, TraceEvent, World } from '../world';

type Svc = Readonly<ServiceActorState>;

/** Azure Files encrypts every session (secure transfer); a server on-prem signs. */
function encrypts(world: World, svc: Svc): boolean {
  return /\.file\.core\.windows\.net$/i.test(world.host(svc.host).name ?? '');
}

/** NEGOTIATE that got its answer: a new connection, its two messages' bytes. */
export function wireNegotiate(
  world: World,
  host: string,
  svc: Svc,
  request: TraceEvent,
  reply: TraceEvent,
): void {
  const { state, exchange } = negotiate(connectionSeed(host, svc.id, String(request.seq)), request.t);
  world.setSmbConnection(host, svc.id, state);
  world.addSmbWire(request.seq, { smb2: exchange.request });
  world.addSmbWire(reply.seq, { smb2: exchange.response });
}

/**
 * SESSION_SETUP: the AP-REQ the service was sent after trace event `after` (and its answer) in SMB2
 * SESSION_SETUP messages on the host's connection. Nothing is added when there is no connection or the
 * AP-REQ went unanswered.
 */
export function wireSessionSetup(
  world: World,
  host: string,
  svc: Svc,
  after: number,
  access: ServiceAccess,
): void {
  const connection = world.smbConnection(host, svc.id);
  const trace = world.trace;
  const apReq = trace.slice(after).find((e) => e.from === host && e.to === svc.host && e.type === 'AP-REQ');
  const reply = apReq && trace.find((e) => e.replyTo === apReq.seq && e.kind === 'message');
  if (!connection || !apReq?.bytes || !reply) return;
  const key = access.ok ? access.session?.key.bytes : undefined;
  const out =
    access.ok && key && reply.bytes
      ? sessionSetup(connection, apReq.bytes, {
          ok: true,
          apRep: reply.bytes,
          gssKey: key,
          encrypt: encrypts(world, svc),
        })
      : sessionSetup(connection, apReq.bytes, { ok: false, status: NtStatus.LOGON_FAILURE });
  world.addSmbWire(apReq.seq, { smb2: out.request });
  world.addSmbWire(reply.seq, {
    smb2: out.response,
    ...(out.sessionKey ? { smbSession: { id: out.sessionId, key: out.sessionKey } } : {}),
  });
}

/** TREE_CONNECT on the session: the share's UNC, and the TreeId or STATUS_BAD_NETWORK_NAME. */
export function wireTreeConnect(
  world: World,
  host: string,
  svc: Svc,
  unc: string,
  found: boolean,
  request: TraceEvent,
  reply: TraceEvent,
): void {
  const connection = world.smbConnection(host, svc.id);
  if (!connection?.session?.keys) return;
  const out = treeConnect(connection, unc, found);
  world.addSmbWire(request.seq, { smb2: out.request });
  world.addSmbWire(reply.seq, { smb2: out.response });
}
