/**
 * One SMB2 connection as plain data (a world snapshot carries it), and the exchanges on it as the bytes
 * both ends put on the wire: NEGOTIATE (3.1.1 with its contexts), SESSION_SETUP with the SPNEGO tokens
 * around the Kerberos AP-REQ and AP-REP (the final response signed), and every later request and response
 * of the session sealed in a TRANSFORM_HEADER when the session encrypts (Azure Files with secure transfer
 * does). The two ends are modelled together, so the state holds what both know; the preauth integrity
 * hash follows MS-SMB2 §3.2.5.2 and §3.3.5.5.3.
 *
 * Randomness (GUIDs, salts, session ids, GCM nonces) comes from a seed the caller derives from the trace,
 * so the world's own random stream is not drawn on and the same run gives the same bytes.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { encodeKrb5GssToken, encodeSpnego, GSS_OID, TOK_ID } from '../asn1/gssapi';
import { concatBytes, toHex, utf8 } from '../util';
import { Smb2Error } from './errors';
import { Command, encodeHeader, HeaderFlag, NtStatus } from './header';
import { deriveSessionKeys, preauthNext, PREAUTH_START, sessionKeyFromGss, type SessionKeys } from './keys';
import {
  DEFAULT_CIPHERS,
  DEFAULT_SIGNING,
  errorResponse,
  negotiateRequest,
  negotiateResponse,
  SessionFlag,
  sessionSetupRequest,
  sessionSetupResponse,
  treeConnectRequest,
  treeConnectResponse,
} from './messages';
import { Cipher, encryptMessage, signMessage, SigningAlgorithm } from './protect';

/** One session on the connection: its id (16 hex digits of the u64), keys once set up, nonce counter. */
export interface Smb2SessionState {
  id: string;
  keys?: SessionKeys;
  encrypt: boolean;
  nonces: number;
}

export interface Smb2ConnectionState {
  seed: Uint8Array;
  /** The next MessageId. */
  messageId: number;
  /** The connection's preauth integrity hash after NEGOTIATE. */
  preauth: Uint8Array;
  signing: number;
  cipher: number;
  session?: Smb2SessionState;
  sessions: number;
  /** TreeId of the last share connected, and how many were. */
  treeId: number;
  trees: number;
  files: number;
}

/** The bytes of one exchange: the request, and the response (absent when none came). */
export interface Smb2Exchange {
  request: Uint8Array;
  response: Uint8Array;
}

function derive(seed: Uint8Array, what: string, n: number): Uint8Array {
  return sha256(concatBytes(seed, utf8(what))).subarray(0, n);
}

/** The server's unsolicited SPNEGO token (MS-SPNG NegTokenInit2): Kerberos first, NTLM after. */
function serverHints(): Uint8Array {
  return encodeSpnego({
    negTokenInit: {
      mechTypes: [GSS_OID.MS_KRB5, GSS_OID.KRB5, GSS_OID.NTLMSSP],
      negHints: { hintName: 'not_defined_in_RFC4178@please_ignore' },
    },
  });
}

/**
 * The signing algorithms this model's server supports. It takes the first of the client's list it
 * supports (MS-SMB2 §3.3.5.4), so against Windows' GMAC-then-CMAC it signs with AES-128-CMAC: Wireshark
 * 4.0 verifies CMAC signatures but not GMAC ones, and a capture whose signature can be checked teaches
 * more. GMAC is built (signMessage) for a caller that asks for it.
 */
export const SERVER_SIGNING: readonly number[] = [SigningAlgorithm.AES_CMAC];

/**
 * NEGOTIATE on a new TCP connection: the client offers 2.0.2 to 3.1.1, AES-128-GCM, GMAC then CMAC; the
 * server picks 3.1.1, AES-128-GCM, and the first signing algorithm of the client's it supports.
 */
export function negotiate(
  seed: Uint8Array,
  now: number,
  choice: { signing?: number } = {},
): { state: Smb2ConnectionState; exchange: Smb2Exchange } {
  const signing = choice.signing ?? DEFAULT_SIGNING.find((a) => SERVER_SIGNING.includes(a))!;
  const body = negotiateRequest({
    clientGuid: derive(seed, 'client guid', 16),
    salt: derive(seed, 'client salt', 32),
    ciphers: DEFAULT_CIPHERS,
    signing: DEFAULT_SIGNING,
  });
  const request = concatBytes(encodeHeader(head(Command.NEGOTIATE, 0n, 0, 0n, false)), body);
  const response = concatBytes(
    encodeHeader(head(Command.NEGOTIATE, 0n, 0, 0n, true)),
    negotiateResponse({
      serverGuid: derive(seed, 'server guid', 16),
      salt: derive(seed, 'server salt', 32),
      cipher: Cipher.AES_128_GCM,
      signing,
      securityBuffer: serverHints(),
      now,
    }),
  );
  const preauth = preauthNext(preauthNext(PREAUTH_START, request), response);
  const state: Smb2ConnectionState = {
    seed,
    messageId: 1,
    preauth,
    signing,
    cipher: Cipher.AES_128_GCM,
    sessions: 0,
    treeId: 0,
    trees: 0,
    files: 0,
  };
  return { state, exchange: { request, response } };
}

function head(
  command: number,
  messageId: bigint,
  treeId: number,
  sessionId: bigint,
  response: boolean,
  status = 0,
) {
  return {
    command,
    status: response ? status : 0,
    credits: command === Command.NEGOTIATE ? 0 : 1,
    creditCharge: command === Command.NEGOTIATE ? 0 : 1,
    flags: response ? HeaderFlag.SERVER_TO_REDIR : 0,
    messageId,
    treeId,
    sessionId,
  };
}

/** How the server answered the AP-REQ: the AP-REP and the key GSS agreed on, or a refusal. */
export type SessionAnswer =
  { ok: true; apRep: Uint8Array; gssKey: Uint8Array; encrypt: boolean } | { ok: false; status: number };

/**
 * SESSION_SETUP carrying the AP-REQ (`apReqToken`: the krb5 GSS token) in a SPNEGO NegTokenInit; the
 * server's answer carries the AP-REP in a NegTokenResp, signed with the new session's signing key.
 * Keys are derived from the preauth hash over NEGOTIATE and this request (the response is not in it).
 */
export function sessionSetup(
  state: Smb2ConnectionState,
  apReqToken: Uint8Array,
  answer: SessionAnswer,
): Smb2Exchange & { sessionId: string; sessionKey?: Uint8Array } {
  const mid = BigInt(state.messageId++);
  const id = newSessionId(state);
  const token = encodeSpnego({
    negTokenInit: { mechTypes: [GSS_OID.MS_KRB5, GSS_OID.KRB5, GSS_OID.NTLMSSP], mechToken: apReqToken },
  });
  const request = concatBytes(
    encodeHeader(head(Command.SESSION_SETUP, mid, 0, 0n, false)),
    sessionSetupRequest(token),
  );
  const sessionId = id.toString(16).padStart(16, '0');
  if (!answer.ok) {
    const response = concatBytes(
      encodeHeader(head(Command.SESSION_SETUP, mid, 0, id, true, answer.status)),
      errorResponse(),
    );
    return { request, response, sessionId };
  }
  const sessionKey = sessionKeyFromGss(answer.gssKey);
  const keys = deriveSessionKeys(sessionKey, preauthNext(state.preauth, request));
  const reply = encodeSpnego({
    negTokenResp: {
      negState: 0,
      supportedMech: GSS_OID.MS_KRB5,
      responseToken: encodeKrb5GssToken({ tokId: TOK_ID.KRB_AP_REP, krbMessage: answer.apRep }),
    },
  });
  const flags = answer.encrypt ? SessionFlag.ENCRYPT_DATA : 0;
  const unsigned = concatBytes(
    encodeHeader(head(Command.SESSION_SETUP, mid, 0, id, true)),
    sessionSetupResponse(flags, reply),
  );
  const response = signMessage(unsigned, state.signing, keys.signingKey);
  state.session = { id: sessionId, keys, encrypt: answer.encrypt, nonces: 0 };
  return { request, response, sessionId, sessionKey };
}

/** The NTLMSSP messages of a storage-account-key sign-in, as both ends sent them. */
export interface NtlmTokens {
  negotiate: Uint8Array;
  challenge: Uint8Array;
  authenticate: Uint8Array;
}

/**
 * SESSION_SETUP in two rounds carrying NTLMSSP in SPNEGO (MS-SPNG): NEGOTIATE in a NegTokenInit, the
 * CHALLENGE in a NegTokenResp with STATUS_MORE_PROCESSING_REQUIRED and the new SessionId, AUTHENTICATE in
 * a NegTokenResp, then the final response (signed) or the refusal. The session key is NTLM's exported
 * session key; the keys come from the preauth hash over both requests and the first response.
 */
export function ntlmSessionSetup(
  state: Smb2ConnectionState,
  tokens: NtlmTokens,
  answer: { ok: true; sessionKey: Uint8Array; encrypt: boolean } | { ok: false; status: number },
): { rounds: [Smb2Exchange, Smb2Exchange]; sessionId: string; sessionKey?: Uint8Array } {
  const id = newSessionId(state);
  const sessionId = id.toString(16).padStart(16, '0');
  const mid1 = BigInt(state.messageId++);
  const request1 = concatBytes(
    encodeHeader(head(Command.SESSION_SETUP, mid1, 0, 0n, false)),
    sessionSetupRequest(
      encodeSpnego({ negTokenInit: { mechTypes: [GSS_OID.NTLMSSP], mechToken: tokens.negotiate } }),
    ),
  );
  const challenge = encodeSpnego({
    negTokenResp: { negState: 1, supportedMech: GSS_OID.NTLMSSP, responseToken: tokens.challenge },
  });
  const response1 = concatBytes(
    encodeHeader(head(Command.SESSION_SETUP, mid1, 0, id, true, NtStatus.MORE_PROCESSING_REQUIRED)),
    sessionSetupResponse(0, challenge),
  );
  const mid2 = BigInt(state.messageId++);
  const request2 = concatBytes(
    encodeHeader(head(Command.SESSION_SETUP, mid2, 0, id, false)),
    sessionSetupRequest(encodeSpnego({ negTokenResp: { responseToken: tokens.authenticate } })),
  );
  const first = { request: request1, response: response1 };
  if (!answer.ok) {
    const response = concatBytes(
      encodeHeader(head(Command.SESSION_SETUP, mid2, 0, id, true, answer.status)),
      errorResponse(),
    );
    return { rounds: [first, { request: request2, response }], sessionId };
  }
  const preauth = preauthNext(preauthNext(preauthNext(state.preauth, request1), response1), request2);
  const keys = deriveSessionKeys(answer.sessionKey, preauth);
  const unsigned = concatBytes(
    encodeHeader(head(Command.SESSION_SETUP, mid2, 0, id, true)),
    sessionSetupResponse(
      answer.encrypt ? SessionFlag.ENCRYPT_DATA : 0,
      encodeSpnego({ negTokenResp: { negState: 0 } }),
    ),
  );
  const response2 = signMessage(unsigned, state.signing, keys.signingKey);
  state.session = { id: sessionId, keys, encrypt: answer.encrypt, nonces: 0 };
  return {
    rounds: [first, { request: request2, response: response2 }],
    sessionId,
    sessionKey: answer.sessionKey,
  };
}

/** A new session's id: from the seed, with bits set as Windows servers' ids have them. */
function newSessionId(state: Smb2ConnectionState): bigint {
  state.sessions += 1;
  return (
    BigInt.asUintN(64, BigInt('0x' + toHex(derive(state.seed, `session ${state.sessions}`, 8)))) |
    0x0000_0400_0000_0001n
  );
}

/** The session's id as a u64. */
function sessionIdOf(s: Smb2SessionState): bigint {
  return BigInt('0x' + s.id);
}

/** A message of the session as it goes on the wire: sealed when the session encrypts, else signed. */
function protect(
  state: Smb2ConnectionState,
  s: Smb2SessionState,
  message: Uint8Array,
  fromServer: boolean,
): Uint8Array {
  const keys = s.keys!;
  if (!s.encrypt) return signMessage(message, state.signing, keys.signingKey);
  s.nonces += 1;
  const nonce = concatBytes(derive(state.seed, `nonce ${s.id}`, 4), new Uint8Array(8));
  new DataView(nonce.buffer).setUint32(4, s.nonces, true);
  return encryptMessage(message, fromServer ? keys.decryptionKey : keys.encryptionKey, nonce, sessionIdOf(s));
}

/**
 * One request and its response on the established session (TREE_CONNECT, CREATE, READ…): `status` is
 * the response's NT status; a status other than success gets the ERROR body.
 */
export function exchange(
  state: Smb2ConnectionState,
  command: number,
  requestBody: Uint8Array,
  answer: { status: number; body?: Uint8Array; treeId?: number },
): Smb2Exchange {
  const s = state.session;
  if (!s?.keys)
    throw new Smb2Error('no SMB2 session is set up on this connection: SESSION_SETUP comes first');
  const mid = BigInt(state.messageId++);
  const id = sessionIdOf(s);
  const treeIn = command === Command.TREE_CONNECT ? 0 : state.treeId;
  const treeOut = answer.treeId ?? treeIn;
  const request = concatBytes(encodeHeader(head(command, mid, treeIn, id, false)), requestBody);
  const ok = answer.status === NtStatus.SUCCESS;
  const response = concatBytes(
    encodeHeader(head(command, mid, treeOut, id, true, answer.status)),
    ok && answer.body ? answer.body : errorResponse(),
  );
  return { request: protect(state, s, request, false), response: protect(state, s, response, true) };
}

/** TREE_CONNECT to \\server\share: a new TreeId when the share exists, else STATUS_BAD_NETWORK_NAME. */
export function treeConnect(
  state: Smb2ConnectionState,
  unc: string,
  found: boolean,
  maximalAccess = 0x001f01ff,
): Smb2Exchange {
  const treeId = found ? ++state.trees : 0;
  const out = exchange(state, Command.TREE_CONNECT, treeConnectRequest(unc), {
    status: found ? NtStatus.SUCCESS : NtStatus.BAD_NETWORK_NAME,
    body: treeConnectResponse(maximalAccess),
    treeId,
  });
  if (found) state.treeId = treeId;
  return out;
}

/** A new FileId (persistent and volatile halves) for CREATE. */
export function nextFileId(state: Smb2ConnectionState): Uint8Array {
  state.files += 1;
  return currentFileId(state);
}

/** The FileId the last CREATE handed out (the handle later READ, WRITE… and CLOSE name). */
export function currentFileId(state: Smb2ConnectionState): Uint8Array {
  return derive(state.seed, `file ${state.files}`, 16);
}

/** The seed of a connection: a hash of what names it in the trace (no draw on the world's random). */
export function connectionSeed(...parts: string[]): Uint8Array {
  return sha256(utf8(parts.join('\n')));
}
