/**
 * SMB2 as a capture carries it, read only as far as a run needs: which command each message is, its
 * status and session, and the security buffer of SESSION_SETUP (the GSS-API or SPNEGO token that src/asn1
 * decodes). The message comes out of the Direct TCP framing (MS-SMB2 §2.1: a 4-byte header, type 0 and a
 * 24-bit length, on TCP 445); a compound request (§3.2.4.1.4) is followed through NextCommand; an SMB 3
 * message sealed in a TRANSFORM_HEADER (§2.2.41) is seen as encrypted, which it is, not as broken.
 *
 * The playground's own SMB2 (src/smb2) writes these messages; this reader is the capture's side of them,
 * in the formats layer, which src/smb2 does not sit under.
 */

/** One SMB2 message found in a capture. */
export interface Smb2Message {
  /** MS-SMB2 §2.2.1.2 Command; -1 for a sealed message, whose command is inside the ciphertext. */
  command: number;
  /** "SESSION_SETUP", "TREE_CONNECT", … ; "encrypted" for a TRANSFORM_HEADER, "compressed" for §2.2.42. */
  name: string;
  /** SMB2_FLAGS_SERVER_TO_REDIR; undefined when sealed (the port then tells). */
  response?: boolean;
  /** The NT status (MS-ERREF §2.3) of a response; 0 in a request. */
  status: number;
  /** SessionId as tshark shows it: "0x" and 16 hex digits. */
  sessionId: string;
  messageId?: number;
  /** SESSION_SETUP only: the security buffer, when it holds anything. */
  token?: Uint8Array;
}

/** §2.2.1.2: the commands, by number. */
const COMMANDS = [
  'NEGOTIATE',
  'SESSION_SETUP',
  'LOGOFF',
  'TREE_CONNECT',
  'TREE_DISCONNECT',
  'CREATE',
  'CLOSE',
  'FLUSH',
  'READ',
  'WRITE',
  'LOCK',
  'IOCTL',
  'CANCEL',
  'ECHO',
  'QUERY_DIRECTORY',
  'CHANGE_NOTIFY',
  'QUERY_INFO',
  'SET_INFO',
  'OPLOCK_BREAK',
  'SERVER_TO_CLIENT_NOTIFICATION',
];

export const SMB2_SESSION_SETUP = 1;
const HEADER = 64;
const TRANSFORM_HEADER = 52;
const FLAG_RESPONSE = 0x1;
const STATUS_SUCCESS = 0;
const STATUS_MORE_PROCESSING_REQUIRED = 0xc000_0016;

/** The first four bytes of an SMB message: 0xFE 'SMB' (SMB2), 0xFD (sealed), 0xFC (compressed), 0xFF (SMB1). */
export function smbProtocolId(
  b: Uint8Array,
  at: number,
): 'smb2' | 'sealed' | 'compressed' | 'smb1' | undefined {
  if (b.length < at + 4 || b[at + 1] !== 0x53 || b[at + 2] !== 0x4d || b[at + 3] !== 0x42) return undefined;
  switch (b[at]) {
    case 0xfe:
      return 'smb2';
    case 0xfd:
      return 'sealed';
    case 0xfc:
      return 'compressed';
    case 0xff:
      return 'smb1';
    default:
      return undefined;
  }
}

/**
 * Whether a stream's first bytes are a Direct TCP header (type 0) in front of an SMB message, after any
 * empty keep-alives (type 0x85); undefined until enough bytes are in to say.
 */
export function looksLikeDirectTcpSmb(b: Uint8Array): boolean | undefined {
  let at = 0;
  while (b.length >= at + 4 && b[at] === 0x85 && b[at + 1] === 0 && b[at + 2] === 0 && b[at + 3] === 0)
    at += 4;
  if (b.length < at + 8) return at > 0 ? undefined : false;
  return b[at] === 0 && smbProtocolId(b, at + 4) !== undefined;
}

const u16 = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8);
const u32 = (b: Uint8Array, at: number) => (u16(b, at) | (u16(b, at + 2) << 16)) >>> 0;

function sessionIdAt(b: Uint8Array, at: number): string {
  let hex = '';
  for (let i = 7; i >= 0; i--) hex += b[at + i]!.toString(16).padStart(2, '0');
  return `0x${hex}`;
}

/**
 * The SMB2 messages of one Direct TCP message (the bytes after its 4-byte header). `whole` is false when
 * only the start of a large message is at hand (a READ or WRITE of megabytes): the first header is read,
 * nothing after it. An SMB1 message gives nothing (Windows may open with an SMB1 NEGOTIATE).
 */
export function readSmb2(message: Uint8Array, whole = true): Smb2Message[] {
  const id = smbProtocolId(message, 0);
  if ((id === 'sealed' || id === 'compressed') && message.length >= TRANSFORM_HEADER) {
    // §2.2.41: ProtocolId, Signature(16), Nonce(16), OriginalMessageSize, Reserved, Flags, SessionId at 44;
    // §2.2.42's compression header has no session: it is shown by what it is.
    const sessionId = id === 'sealed' ? sessionIdAt(message, 44) : '0x0000000000000000';
    return [{ command: -1, name: id === 'sealed' ? 'encrypted' : 'compressed', status: 0, sessionId }];
  }
  if (id !== 'smb2') return [];
  const out: Smb2Message[] = [];
  for (let at = 0; at + HEADER <= message.length;) {
    // §2.2.1.2 NextCommand: 8-byte aligned, past this header; anything else (0, or a value inside the
    // header) ends the chain, and this message runs to the end
    const next = u32(message, at + 20);
    const chained = next >= HEADER && next % 8 === 0;
    const end = chained ? Math.min(message.length, at + next) : message.length;
    out.push(oneMessage(message.subarray(at, end), whole));
    if (!chained || !whole || smbProtocolId(message, at + next) !== 'smb2') break;
    at += next;
  }
  return out;
}

function oneMessage(m: Uint8Array, whole: boolean): Smb2Message {
  const command = u16(m, 12);
  const response = (u32(m, 16) & FLAG_RESPONSE) !== 0;
  const status = u32(m, 8);
  const lo = u32(m, 24);
  const hi = u32(m, 28);
  const found: Smb2Message = {
    command,
    name: COMMANDS[command] ?? `command 0x${command.toString(16).padStart(4, '0')}`,
    response,
    status: response ? status : 0,
    sessionId: sessionIdAt(m, 40),
    ...(hi < 0x20_0000 ? { messageId: hi * 2 ** 32 + lo } : {}),
  };
  if (command === SMB2_SESSION_SETUP && whole) {
    const token = securityBuffer(m, response, status);
    if (token && token.length > 0) found.token = token;
  }
  return found;
}

/**
 * §2.2.5 (request: offset at 12, length at 14 of the body) and §2.2.6 (response: at 4 and 6), both counted
 * from the header's first byte. A response with another status carries the ERROR body (§2.2.2) instead.
 */
function securityBuffer(m: Uint8Array, response: boolean, status: number): Uint8Array | undefined {
  if (response && status !== STATUS_SUCCESS && status !== STATUS_MORE_PROCESSING_REQUIRED) return undefined;
  const at = HEADER + (response ? 4 : 12);
  if (m.length < at + 4) return undefined;
  const offset = u16(m, at);
  const length = u16(m, at + 2);
  if (length === 0 || offset < HEADER || offset + length > m.length) return undefined;
  return m.slice(offset, offset + length);
}
