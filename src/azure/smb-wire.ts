/**
 * The SMB2 bytes under the SMB server's modelled steps (src/smb2): each step smb.ts plays keeps its trace
 * line and gains the message that crossed TCP 445. NEGOTIATE opens a connection (its state kept in the
 * world, so a later SESSION_SETUP on it, or a snapshot, goes on from there); SESSION_SETUP wraps the real
 * AP-REQ and AP-REP of the trace in SPNEGO, and its session key is the AP-REP's subkey; later messages are
 * sealed (Azure Files: secure transfer requires SMB 3.x encryption) or signed (a server on-prem).
 */

import {
  Access,
  AceFlag,
  AceType,
  encodeSecurityDescriptor,
  queryInfoResponse,
  queryInfoSecurityRequest,
  SdControl,
  SecurityInformation,
  setInfoResponse,
  setInfoSecurityRequest,
  closeRequest,
  closeResponse,
  Command,
  connectionSeed,
  CreateOption,
  createRequest,
  createResponse,
  currentFileId,
  Disposition,
  exchange,
  negotiate,
  nextFileId,
  NtStatus,
  ntlmSessionSetup,
  type NtlmTokens,
  queryDirectoryRequest,
  queryDirectoryResponse,
  readRequest,
  readResponse,
  sessionSetup,
  treeConnect,
  type Smb2ConnectionState,
  type Smb2Exchange,
  writeRequest,
  writeResponse,
} from '../smb2';
import { utf8 } from '../util';
import type { ServiceAccess, ServiceActorState, TraceEvent, World } from '../world';
import { encodeBinarySid } from '../formats';
import { ALL, DELETE, EXECUTE, READ, READ_CONTROL, WRITE, WRITE_DAC, WRITE_OWNER } from './files-authz';
import { NT_STATUS, type FileReply, type FileRequest } from './files-server';

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

/**
 * The storage account key's SESSION_SETUP: two rounds of NTLMSSP in SPNEGO on the host's connection, the
 * session keyed with the exported session key when the server accepted (`sessionKey`), or refused with
 * the server's `status` (STATUS_LOGON_FAILURE when it gives none).
 */
export function wireNtlmSessionSetup(
  world: World,
  host: string,
  svc: Svc,
  tokens: NtlmTokens,
  answer: { sessionKey?: Uint8Array | undefined; status?: number | undefined },
  trips: [{ request: TraceEvent; reply: TraceEvent }, { request: TraceEvent; reply: TraceEvent }],
): void {
  const connection = world.smbConnection(host, svc.id);
  if (!connection) return;
  const out = ntlmSessionSetup(
    connection,
    tokens,
    answer.sessionKey
      ? { ok: true, sessionKey: answer.sessionKey, encrypt: encrypts(world, svc) }
      : { ok: false, status: answer.status ?? NtStatus.LOGON_FAILURE },
  );
  addExchange(world, out.rounds[0], trips[0].request, trips[0].reply);
  world.addSmbWire(trips[1].request.seq, { smb2: out.rounds[1].request });
  world.addSmbWire(trips[1].reply.seq, {
    smb2: out.rounds[1].response,
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
  const connection = keyedConnection(world, host, svc);
  if (connection) addExchange(world, treeConnect(connection, unc, found), request, reply);
}

/** The model's access bits as the NT access mask a Windows client puts in CREATE (MS-DTYP §2.4.3). */
function desiredAccess(mask: number): number {
  const bits: [number, number][] = [
    [READ, Access.FILE_READ_DATA | Access.FILE_READ_ATTRIBUTES | Access.SYNCHRONIZE],
    [WRITE, Access.FILE_WRITE_DATA | Access.FILE_APPEND_DATA],
    [DELETE, Access.DELETE],
    [READ_CONTROL, Access.READ_CONTROL],
    [WRITE_DAC, Access.WRITE_DAC],
  ];
  return bits.reduce((acc, [b, nt]) => (mask & b ? acc | nt : acc), 0);
}

const DISPOSITION = {
  open: Disposition.OPEN,
  create: Disposition.CREATE,
  'overwrite-if': Disposition.OVERWRITE_IF,
} as const;

/** A file step: the request, the server's reply, and for SET_INFO the descriptor the request carried. */
export interface FileStep {
  req: FileRequest;
  reply: FileReply;
  /** SET_INFO: the security descriptor the client sent (`requestedSecurity`), not the server's answer. */
  sent?: FileReply | undefined;
}

/** One file step's request body, command and (on success) response body. */
function fileMessages(
  connection: Smb2ConnectionState,
  { req, reply, sent }: FileStep,
  t: number,
): { command: number; request: Uint8Array; response: () => Uint8Array } {
  switch (req.op) {
    case 'create':
      return {
        command: Command.CREATE,
        request: createRequest({
          name: req.path,
          desiredAccess: desiredAccess(req.access),
          disposition: DISPOSITION[req.disposition],
          createOptions: req.dir ? CreateOption.DIRECTORY_FILE : CreateOption.NON_DIRECTORY_FILE,
        }),
        response: () =>
          createResponse(
            nextFileId(connection),
            { time: t, size: reply.content?.length ?? 0, directory: req.dir || reply.dir === true },
            req.disposition !== 'open',
          ),
      };
    case 'read':
      return {
        command: Command.READ,
        request: readRequest(currentFileId(connection), 65_536, 0),
        response: () => readResponse(utf8(reply.content ?? '')),
      };
    case 'write': {
      const data = utf8(req.data);
      return {
        command: Command.WRITE,
        request: writeRequest(currentFileId(connection), data, 0),
        response: () => writeResponse(data.length),
      };
    }
    case 'close':
      return {
        command: Command.CLOSE,
        request: closeRequest(currentFileId(connection)),
        response: closeResponse,
      };
    case 'query-directory':
      return {
        command: Command.QUERY_DIRECTORY,
        request: queryDirectoryRequest(currentFileId(connection), '*'),
        response: () =>
          queryDirectoryResponse(
            (reply.entries ?? []).map((e) => ({
              name: e.name,
              time: e.modified,
              size: e.size,
              directory: e.dir,
            })),
          ),
      };
    case 'query-info':
      return {
        command: Command.QUERY_INFO,
        request: queryInfoSecurityRequest(currentFileId(connection), SecurityInformation.DACL),
        response: () => queryInfoResponse(securityDescriptor(reply)),
      };
    case 'set-info':
      // icacls writes the whole new DACL: the ACL as it read it with the ACE added, whatever the answer
      return {
        command: Command.SET_INFO,
        request: setInfoSecurityRequest(
          currentFileId(connection),
          SecurityInformation.DACL,
          securityDescriptor(sent ?? reply),
        ),
        response: setInfoResponse,
      };
  }
}

/**
 * The model's rights as the access mask of an ACE (MS-DTYP §2.4.3; FILE_* of MS-SMB2 §2.2.13.1.1), so that
 * icacls' simple rights come to Windows' own masks: R 0x120089, RX 0x1200a9, W 0x100116, M 0x1301bf,
 * F 0x1f01ff (FILE_ALL_ACCESS), D 0x10000.
 */
export function aceMask(mask: number): number {
  const bits: [number, number][] = [
    [READ, Access.FILE_READ_DATA | Access.FILE_READ_EA | Access.FILE_READ_ATTRIBUTES],
    [
      WRITE,
      Access.FILE_WRITE_DATA | Access.FILE_APPEND_DATA | Access.FILE_WRITE_EA | Access.FILE_WRITE_ATTRIBUTES,
    ],
    [EXECUTE, Access.FILE_EXECUTE],
    [DELETE, Access.DELETE],
    [READ_CONTROL, Access.READ_CONTROL],
    [WRITE_DAC, Access.WRITE_DAC],
    [WRITE_OWNER, Access.WRITE_OWNER],
  ];
  const nt = bits.reduce((acc, [b, m]) => (mask & b ? acc | m : acc), 0);
  const synchronize = mask & (READ | WRITE | EXECUTE) ? Access.SYNCHRONIZE : 0;
  return (nt | synchronize | (mask === ALL ? Access.FILE_DELETE_CHILD : 0)) >>> 0;
}

/** The SECURITY_DESCRIPTOR of a QUERY_INFO or SET_INFO reply: its DACL, in canonical order, self-relative. */
export function securityDescriptor(reply: FileReply): Uint8Array {
  return encodeSecurityDescriptor({
    control: SdControl.DACL_AUTO_INHERITED | (reply.protected ? SdControl.DACL_PROTECTED : 0),
    dacl: (reply.acl ?? []).map((a) => ({
      type: a.type === 'deny' ? AceType.ACCESS_DENIED : AceType.ACCESS_ALLOWED,
      flags:
        (a.inherit && reply.dir ? AceFlag.OBJECT_INHERIT | AceFlag.CONTAINER_INHERIT : 0) |
        (a.inherited ? AceFlag.INHERITED : 0),
      mask: aceMask(a.mask),
      sid: encodeBinarySid(a.sid),
    })),
  });
}

/**
 * A file step on the session's tree (CREATE with its desired access, READ, WRITE, QUERY_DIRECTORY, CLOSE):
 * its request and the server's answer, a refusal as the NT status with the ERROR body.
 */
export function wireFile(
  world: World,
  host: string,
  svc: Svc,
  step: FileStep,
  request: TraceEvent,
  answer: TraceEvent,
): void {
  const connection = keyedConnection(world, host, svc);
  if (!connection) return;
  const { reply } = step;
  const m = fileMessages(connection, step, request.t);
  const status = NT_STATUS[reply.status];
  const out = exchange(connection, m.command, m.request, {
    status,
    ...(status === NtStatus.SUCCESS ? { body: m.response() } : {}),
  });
  addExchange(world, out, request, answer);
}

/** The host's connection to the service once its session has keys (later messages are signed or sealed). */
function keyedConnection(world: World, host: string, svc: Svc) {
  const connection = world.smbConnection(host, svc.id);
  return connection?.session?.keys ? connection : undefined;
}

function addExchange(world: World, out: Smb2Exchange, request: TraceEvent, reply: TraceEvent): void {
  world.addSmbWire(request.seq, { smb2: out.request });
  world.addSmbWire(reply.seq, { smb2: out.response });
}
