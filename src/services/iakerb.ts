/**
 * IAKERB from the acceptor's side (draft-ietf-kitten-iakerb-03; MIT's iakerb_acceptor_step): a service
 * that can reach the KDC relays, for a client that cannot, each KDC request it finds in an IAKERB_PROXY
 * token, and wraps the KDC's reply in a token back. It keeps every token of the conversation, so that
 * when the AP-REQ comes it can check the finish checksum the client computed over the same bytes: a
 * token changed on the way (a realm swapped, a message altered) makes the two disagree.
 *
 * Pure: reading a token and writing the answer are two calls, and whoever hosts the service (the world,
 * or a socket server in Node) carries the request to the KDC in between. The state is plain data.
 */
import {
  decodeIakerbToken,
  decodeIakerbFinished,
  DecodeError,
  encodeIakerbToken,
  encodeKrbError,
  IAKERB_DIALECTS,
  type Authenticator,
  type IakerbDialect,
  type PrincipalName,
} from '../asn1';
import { ErrorCode, MessageType } from '../asn1/registry';
import { describeKeyUsage, IntegrityError, verifyChecksum, type Key } from '../crypto';
import type { Narrator } from '../protocol/events';
import { KerberosRefusal } from '../protocol/refusal';
import { concatBytes } from '../util/bytes';

/** MIT's IAKERB_MAX_HOPS: the most tokens one client may have relayed. */
export const IAKERB_MAX_RELAYS = 16 + 10;

export interface IakerbAcceptorState {
  /** Every IAKERB token received and sent, in order. */
  conv: Uint8Array;
  relays: number;
  /** The client's dialect, from its first token: the service answers in it. */
  dialect?: IakerbDialect;
}

export function newIakerbAcceptor(): IakerbAcceptorState {
  return { conv: new Uint8Array(0), relays: 0 };
}

export type IakerbRequest =
  | { kind: 'relay'; realm: string; message: Uint8Array; messageType: string }
  /** An empty realm and message: the client asks which realm the service is in (draft §3.1). */
  | { kind: 'discovery' }
  | { kind: 'refused'; reason: string };

/** Reads a client's IAKERB_PROXY token; what it relays is for the KDC of `realm`. */
export function readIakerbRequest(state: IakerbAcceptorState, token: Uint8Array): IakerbRequest {
  if (state.relays >= IAKERB_MAX_RELAYS)
    return { kind: 'refused', reason: `the client already had ${IAKERB_MAX_RELAYS} messages relayed` };
  let read;
  try {
    read = decodeIakerbToken(token);
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    return { kind: 'refused', reason: `not an IAKERB token: ${e.message}` };
  }
  state.conv = concatBytes(state.conv, token);
  state.dialect ??= read.dialect;
  if (read.header.targetRealm === '' && read.message.length === 0) return { kind: 'discovery' };
  if (read.header.targetRealm === '' || read.message.length === 0)
    return { kind: 'refused', reason: 'an IAKERB token needs both a target realm and a KDC request' };
  if (read.messageType !== 'AS-REQ' && read.messageType !== 'TGS-REQ')
    return {
      kind: 'refused',
      reason: `a client may have only AS-REQs and TGS-REQs relayed, not a ${read.messageType}`,
    };
  return {
    kind: 'relay',
    realm: read.header.targetRealm,
    message: read.message,
    messageType: read.messageType,
  };
}

/**
 * The token back: the KDC's reply, or, when no KDC answered, a KRB-ERROR of the service's own
 * (KRB_AP_ERR_IAKERB_KDC_NOT_FOUND 85 / _NO_RESPONSE 86). Framed in the draft's dialect, bare in MIT's
 * before 1.22, as each client expects.
 */
export function iakerbAnswerToken(
  state: IakerbAcceptorState,
  realm: string,
  answer: { reply: Uint8Array } | { noKdc: 'not-found' | 'no-response'; now: number; sname: PrincipalName },
): Uint8Array {
  const dialect = state.dialect ?? 'draft';
  const message =
    'reply' in answer
      ? answer.reply
      : encodeKrbError({
          pvno: 5,
          msgType: MessageType.KRB_ERROR,
          stime: new Date(Math.floor(answer.now / 1000) * 1000),
          susec: 0,
          errorCode:
            answer.noKdc === 'not-found'
              ? ErrorCode.KRB_AP_ERR_IAKERB_KDC_NOT_FOUND
              : ErrorCode.KRB_AP_ERR_IAKERB_KDC_NO_RESPONSE,
          realm,
          sname: answer.sname,
        });
  const token = encodeIakerbToken(
    { header: { targetRealm: realm }, message, framed: IAKERB_DIALECTS[dialect].frameAll },
    dialect,
  );
  state.conv = concatBytes(state.conv, token);
  state.relays++;
  return token;
}

/** The extensions after the RFC 4121 §4.1.1 checksum's flags (and delegation): 4-byte BE type, length. */
export function gssChecksumExtensions(cksum: Uint8Array): { type: number; data: Uint8Array }[] {
  if (cksum.length < 24) return [];
  const view = new DataView(cksum.buffer, cksum.byteOffset, cksum.byteLength);
  let at = 24;
  const flags = view.getUint32(20, true);
  if (flags & 1 && cksum.length >= 28) at = 28 + view.getUint16(26, true);
  const out: { type: number; data: Uint8Array }[] = [];
  while (at + 8 <= cksum.length) {
    const type = view.getUint32(at);
    const len = view.getUint32(at + 4);
    if (at + 8 + len > cksum.length)
      throw new KerberosRefusal(
        ErrorCode.KRB_AP_ERR_MSG_TYPE,
        'a GSS-API checksum extension runs past the end',
      );
    out.push({ type, data: cksum.subarray(at + 8, at + 8 + len) });
    at += 8 + len;
  }
  return out;
}

/**
 * Checks the IAKERB finish in the AP-REQ's authenticator: the IAKERB-FINISHED extension (2 in the draft,
 * 1 in MIT before 1.22) must hold a checksum, keyed with the client's subkey, over exactly the tokens
 * this service received and sent.
 */
export function verifyIakerbFinished(state: IakerbAcceptorState, auth: Authenticator, say: Narrator): void {
  const dialect = IAKERB_DIALECTS[state.dialect ?? 'draft'];
  const ext =
    auth.cksum?.cksumtype === 0x8003
      ? gssChecksumExtensions(auth.cksum.checksum).find((e) => e.type === dialect.finishedExtension)
      : undefined;
  if (!ext)
    throw new KerberosRefusal(
      ErrorCode.KRB_AP_ERR_INAPP_CKSUM,
      `the AP-REQ after IAKERB carries no IAKERB-FINISHED (checksum extension ${dialect.finishedExtension})`,
    );
  if (!auth.subkey)
    throw new KerberosRefusal(
      ErrorCode.KRB_AP_ERR_INAPP_CKSUM,
      'the IAKERB finish needs a subkey, and the authenticator has none',
    );
  const key: Key = { etype: auth.subkey.keytype, bytes: auth.subkey.keyvalue };
  let ok: boolean;
  try {
    const { checksum } = decodeIakerbFinished(ext.data);
    ok = verifyChecksum(checksum.cksumtype, key, dialect.finishedUsage, state.conv, checksum.checksum);
  } catch (e) {
    if (!(e instanceof DecodeError) && !(e instanceof IntegrityError)) throw e;
    ok = false;
  }
  if (!ok)
    throw new KerberosRefusal(
      ErrorCode.KRB_AP_ERR_BAD_INTEGRITY,
      `the IAKERB finish does not match the ${state.conv.length} bytes of tokens this service relayed: a token was changed on the way`,
    );
  say.say(
    'checksum',
    `the IAKERB finish verifies: the client's checksum over the ${state.conv.length} bytes of IAKERB tokens, keyed with its subkey (key usage ${describeKeyUsage(dialect.finishedUsage)}), matches what this service relayed`,
  );
}
