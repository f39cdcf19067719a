/**
 * The SMB2 packet header (MS-SMB2 §2.2.1.2, the synchronous form) and the numbers it carries: commands
 * (§2.2.1.2 Command), flags, and the NT status codes (MS-ERREF §2.3.1) the playground's steps end with.
 */
import { Smb2Error } from './errors';
import { LeReader, LeWriter } from './wire';

export const SMB2_MAGIC = new Uint8Array([0xfe, 0x53, 0x4d, 0x42]); // 0xFE 'S' 'M' 'B'
export const HEADER_SIZE = 64;
/** Where the 16-byte signature sits in the header. */
export const SIGNATURE_OFFSET = 48;

export const Command = {
  NEGOTIATE: 0x0000,
  SESSION_SETUP: 0x0001,
  LOGOFF: 0x0002,
  TREE_CONNECT: 0x0003,
  TREE_DISCONNECT: 0x0004,
  CREATE: 0x0005,
  CLOSE: 0x0006,
  READ: 0x0008,
  WRITE: 0x0009,
  QUERY_DIRECTORY: 0x000e,
  QUERY_INFO: 0x0010,
  SET_INFO: 0x0011,
} as const;
export type Command = (typeof Command)[keyof typeof Command];

export const HeaderFlag = {
  SERVER_TO_REDIR: 0x0000_0001,
  SIGNED: 0x0000_0008,
} as const;

/** NT status values (MS-ERREF §2.3.1) that SMB2 answers carry here. */
export const NtStatus = {
  SUCCESS: 0x0000_0000,
  INVALID_PARAMETER: 0xc000_000d,
  MORE_PROCESSING_REQUIRED: 0xc000_0016,
  ACCESS_DENIED: 0xc000_0022,
  OBJECT_NAME_NOT_FOUND: 0xc000_0034,
  LOGON_FAILURE: 0xc000_006d,
  BAD_NETWORK_NAME: 0xc000_00cc,
  NO_MORE_FILES: 0x8000_0006,
  NETWORK_SESSION_EXPIRED: 0xc000_035c,
} as const;

export interface Smb2Header {
  command: number;
  /** A response's NT status; 0 in requests (ChannelSequence/Reserved). */
  status: number;
  /** Credits asked for (request) or granted (response). */
  credits: number;
  creditCharge: number;
  flags: number;
  messageId: bigint;
  treeId: number;
  sessionId: bigint;
  signature?: Uint8Array;
}

/** The 64-byte header; the signature is zero unless given (signing fills it in afterwards). */
export function encodeHeader(h: Smb2Header): Uint8Array {
  return new LeWriter()
    .bytes(SMB2_MAGIC)
    .u16(HEADER_SIZE)
    .u16(h.creditCharge)
    .u32(h.status)
    .u16(h.command)
    .u16(h.credits)
    .u32(h.flags)
    .u32(0) // NextCommand: one message per transport frame here
    .u64(h.messageId)
    .u32(0xfeff) // Reserved (the process id Windows sends)
    .u32(h.treeId)
    .u64(h.sessionId)
    .bytes(h.signature ?? new Uint8Array(16))
    .done();
}

export function decodeHeader(message: Uint8Array): Smb2Header {
  const r = new LeReader(message, 'SMB2 header');
  const magic = r.slice(0, 4, 'ProtocolId');
  if (!magic.every((b, i) => b === SMB2_MAGIC[i])) {
    const hex = Array.from(magic, (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new Smb2Error(`not an SMB2 message: it starts ${hex}, not fe 53 4d 42 (0xFE 'SMB')`);
  }
  return {
    creditCharge: r.u16(6, 'CreditCharge'),
    status: r.u32(8, 'Status'),
    command: r.u16(12, 'Command'),
    credits: r.u16(14, 'CreditRequest/CreditResponse'),
    flags: r.u32(16, 'Flags'),
    messageId: r.u64(24, 'MessageId'),
    treeId: r.u32(36, 'TreeId'),
    sessionId: r.u64(40, 'SessionId'),
    signature: r.slice(SIGNATURE_OFFSET, 16, 'Signature'),
  };
}
