/**
 * The AP exchange seen from the client (RFC 4120 §3.2): an AP-REQ that presents a service ticket with a
 * fresh authenticator, and the check of the service's AP-REP, which proves the service could open the
 * ticket (mutual authentication).
 *
 * The authenticator carries, as real clients send it: a subkey (the key the session will use), a
 * sequence number (where the client's message counter starts) and a checksum. The checksum is either a
 * plain keyed checksum of application data (key usage 10) or, for GSS-API, the 0x8003 "checksum" of
 * RFC 4121 §4.1.1, which is no checksum at all but a little structure: the length of the channel-binding
 * field (16, little-endian), the MD5 of the channel bindings (zeros when there are none), and the GSS
 * context flags the client asks for (little-endian).
 */
import {
  decodeApRep,
  decodeEncApRepPart,
  decodeKrb5GssToken,
  decodeKrbError,
  decodeTicket,
  encodeApReq,
  encodeAuthenticator,
  encodeIakerbFinished,
  encodeKrb5GssToken,
  TOK_ID,
  type ApRep,
  type Checksum,
  type KrbError,
} from '../asn1';
import { ApOption, MessageType } from '../asn1/registry';
import {
  checksum,
  checksumTypeForEnctype,
  decrypt,
  encrypt,
  IntegrityError,
  KeyUsage,
  randomKey,
  etypeName,
} from '../crypto';
import { formatPrincipal, type Principal } from '../asn1/principal';
import { isoSeconds, kerberosTimestamp } from '../asn1/time';
import { concatBytes, u32be, u32le } from '../util/bytes';
import type { CachedCredential, KeyData } from './cache';
import { ApError } from './errors';
import { ClientNarrator, type ClientEvent } from './events';
import type { StepContext } from './step';

/** RFC 4121 §4.1.1.1 context flags (RFC 2744 values). */
export const GssFlag = {
  DELEG: 1,
  MUTUAL: 2,
  REPLAY: 4,
  SEQUENCE: 8,
  CONF: 16,
  INTEG: 32,
} as const;

/** RFC 4121 §4.1.1: the checksum type that marks the GSS-API authenticator checksum. */
export const GSS_CHECKSUM_TYPE = 0x8003;

export type AuthenticatorChecksum =
  | { type: 'none' }
  /** A keyed checksum of application data, key usage 10 (RFC 4120 §5.5.1). */
  | { type: 'plain'; data: Uint8Array }
  /** RFC 4121 §4.1.1; `channelBindings` is the 16-byte MD5 of the bindings (zeros when absent). */
  | { type: 'gss'; flags?: number; channelBindings?: Uint8Array };

export interface ApReqOptions {
  /** Ask the service to prove itself with an AP-REP (AP option mutual-required; default true). */
  mutual?: boolean;
  /** Propose a subkey for the session (default true). */
  subkey?: boolean;
  /** Send an initial sequence number (default true). */
  sequenceNumber?: boolean;
  /** Default: the GSS-API checksum with mutual, replay, sequence, confidentiality and integrity. */
  checksum?: AuthenticatorChecksum;
  /** KDC time minus host time, ms (what kdc_timesync learned), applied to ctime. */
  clockOffset?: number;
  actor?: string;
  /** The GSS-API token's mechanism OID (default krb5); IAKERB sends its AP-REQ under its own. */
  mech?: string;
  /**
   * IAKERB's finish (draft-ietf-kitten-iakerb §4): a checksum over every IAKERB token exchanged, keyed
   * with our subkey, appended to the GSS-API checksum as extension `extension` (4-byte big-endian type and
   * length, RFC 4121 §4.1.1).
   */
  finished?: { conv: Uint8Array; extension: number; usage: number };
}

/** What the client must remember to check the AP-REP: plain data. */
export interface ApRequestContext {
  client: Principal;
  server: Principal;
  sessionKey: KeyData;
  subkey?: KeyData;
  seqNumber?: number;
  /** The authenticator's ctime (whole seconds, ms) and cusec: the AP-REP must echo both. */
  ctime: number;
  cusec: number;
  mutual: boolean;
  /** Built for GSS-API: the AP-REQ went inside an InitialContextToken. */
  gss: boolean;
}

export interface BuiltApReq {
  /** The AP-REQ, DER. */
  apReq: Uint8Array;
  /** What goes on the wire: the GSS-API token (TOK_ID 01 00 + AP-REQ) when gss, else the AP-REQ. */
  token: Uint8Array;
  context: ApRequestContext;
  events: ClientEvent[];
}

/** The RFC 4121 §4.1.1 checksum field: Lgth (16), Bnd, Flags; all little-endian. */
export function gssChecksumBytes(flags: number, channelBindings?: Uint8Array): Uint8Array {
  const bnd = channelBindings ?? new Uint8Array(16);
  if (bnd.length !== 16)
    throw new ApError(`the channel-binding hash must be 16 bytes (MD5), got ${bnd.length}`);
  return concatBytes(u32le(16), bnd, u32le(flags >>> 0));
}

/** One RFC 4121 checksum extension: 4-byte big-endian type and length, then IAKERB-FINISHED. */
function finishedExtension(f: NonNullable<ApReqOptions['finished']>, subkey: KeyData): Uint8Array {
  const cksumtype = checksumTypeForEnctype(subkey.etype);
  const data = encodeIakerbFinished({ cksumtype, checksum: checksum(cksumtype, subkey, f.usage, f.conv) });
  return concatBytes(u32be(f.extension), u32be(data.length), data);
}

function uint31(ctx: StepContext): number {
  const b = ctx.random(4);
  return (((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0) & 0x7fffffff;
}

/** Builds the AP-REQ for a service ticket from the cache (RFC 4120 §3.2.2). */
export function buildApReq(cred: CachedCredential, options: ApReqOptions, ctx: StepContext): BuiltApReq {
  const say = new ClientNarrator(options.actor ?? `client ${formatPrincipal(cred.client)}`);
  const mutual = options.mutual ?? true;
  const defaultFlags =
    GssFlag.REPLAY | GssFlag.SEQUENCE | GssFlag.CONF | GssFlag.INTEG | (mutual ? GssFlag.MUTUAL : 0);
  const want = options.checksum ?? { type: 'gss', flags: defaultFlags };
  const sessionKey = cred.sessionKey;
  const now = ctx.now + (options.clockOffset ?? 0);
  const { time, usec } = kerberosTimestamp(now);

  let subkey: KeyData | undefined;
  if ((options.subkey ?? true) || options.finished) {
    const k = randomKey(sessionKey.etype, ctx.random);
    subkey = { etype: k.etype, bytes: k.bytes };
  }
  let cksum: Checksum | undefined;
  if (want.type === 'plain') {
    const cksumtype = checksumTypeForEnctype(sessionKey.etype);
    cksum = { cksumtype, checksum: checksum(cksumtype, sessionKey, KeyUsage.AP_REQ_AUTH_CKSUM, want.data) };
  } else if (want.type === 'gss') {
    cksum = {
      cksumtype: GSS_CHECKSUM_TYPE,
      checksum: concatBytes(
        gssChecksumBytes(want.flags ?? defaultFlags, want.channelBindings),
        options.finished && subkey ? finishedExtension(options.finished, subkey) : new Uint8Array(0),
      ),
    };
  }
  const seqNumber = (options.sequenceNumber ?? true) ? uint31(ctx) : undefined;

  const authenticator = encodeAuthenticator({
    authenticatorVno: 5,
    crealm: cred.client.realm,
    cname: cred.client.name,
    ...(cksum ? { cksum } : {}),
    cusec: usec,
    ctime: time,
    ...(subkey ? { subkey: { keytype: subkey.etype, keyvalue: subkey.bytes } } : {}),
    ...(seqNumber !== undefined ? { seqNumber } : {}),
  });
  const apReq = encodeApReq({
    pvno: 5,
    msgType: MessageType.AP_REQ,
    apOptions: mutual ? ApOption.MUTUAL_REQUIRED : 0,
    ticket: decodeTicket(cred.ticket),
    authenticator: {
      etype: sessionKey.etype,
      cipher: encrypt(sessionKey, KeyUsage.AP_REQ_AUTH, authenticator, ctx.random),
    },
  });
  const gss = want.type === 'gss';
  say.say(
    'ap',
    `an AP-REQ for ${formatPrincipal(cred.server)}: the ticket, and an authenticator encrypted in the session key (key usage 11) ` +
      `with our time ${isoSeconds(time)}` +
      (subkey ? `, a ${etypeName(subkey.etype)} subkey` : '') +
      (seqNumber !== undefined ? `, sequence number ${seqNumber}` : '') +
      (want.type === 'gss'
        ? `, the GSS-API checksum 0x8003 (flags 0x${(want.flags ?? defaultFlags).toString(16)})`
        : want.type === 'plain'
          ? ', a checksum of the application data (key usage 10)'
          : '') +
      (options.finished
        ? `, and the IAKERB finish: a checksum over the ${options.finished.conv.length} bytes of IAKERB tokens exchanged, keyed with the subkey (key usage ${options.finished.usage}, extension ${options.finished.extension})`
        : '') +
      (mutual ? '; mutual authentication required' : ''),
  );
  return {
    apReq,
    token: gss
      ? encodeKrb5GssToken({
          tokId: TOK_ID.KRB_AP_REQ,
          krbMessage: apReq,
          ...(options.mech ? { thisMech: options.mech } : {}),
        })
      : apReq,
    context: {
      client: cred.client,
      server: cred.server,
      sessionKey,
      ...(subkey ? { subkey } : {}),
      ...(seqNumber !== undefined ? { seqNumber } : {}),
      ctime: time.getTime(),
      cusec: usec,
      mutual,
      gss,
    },
    events: say.events,
  };
}

/** The established security context, from the client's side. */
export interface ApSession {
  sessionKey: KeyData;
  initiatorSubkey?: KeyData;
  acceptorSubkey?: KeyData;
  /** The key messages use: the acceptor's subkey, else ours, else the session key (RFC 4121 §2). */
  key: KeyData;
  /** Our first sequence number, and the service's (from the AP-REP). */
  sendSeq?: number;
  recvSeq?: number;
  /** Whether the service proved itself with an AP-REP. */
  mutual: boolean;
}

function sessionOf(
  ctx: ApRequestContext,
  acceptorSubkey?: KeyData,
  recvSeq?: number,
  mutual = false,
): ApSession {
  return {
    sessionKey: ctx.sessionKey,
    ...(ctx.subkey ? { initiatorSubkey: ctx.subkey } : {}),
    ...(acceptorSubkey ? { acceptorSubkey } : {}),
    key: acceptorSubkey ?? ctx.subkey ?? ctx.sessionKey,
    ...(ctx.seqNumber !== undefined ? { sendSeq: ctx.seqNumber } : {}),
    ...(recvSeq !== undefined ? { recvSeq } : {}),
    mutual,
  };
}

/** Without mutual authentication there is no AP-REP: the session stands on the AP-REQ alone. */
export function sessionWithoutApRep(ctx: ApRequestContext): ApSession {
  return sessionOf(ctx);
}

/**
 * Checks the service's answer (RFC 4120 §3.2.5): an AP-REP whose encrypted part opens with the session
 * key (key usage 12) and echoes our authenticator's ctime and cusec; its subkey and sequence number are
 * taken. A KRB-ERROR (the service refused) and a failed check both throw ApError. Accepts the bare
 * message or the GSS-API token around it.
 */
export function acceptApRep(
  ctx: ApRequestContext,
  bytes: Uint8Array,
  actor = `client ${formatPrincipal(ctx.client)}`,
): { session: ApSession; events: ClientEvent[] } {
  const say = new ClientNarrator(actor);
  let msg: { type: 'AP-REP'; value: ApRep } | { type: 'KRB-ERROR'; value: KrbError };
  try {
    if (bytes[0] === 0x60) {
      const t = decodeKrb5GssToken(bytes).message;
      if (t.type === 'AP-REQ') throw new ApError('the service answered with an AP-REQ token, not an AP-REP');
      msg = t;
    } else if (bytes[0] === 0x7e) {
      msg = { type: 'KRB-ERROR', value: decodeKrbError(bytes) };
    } else {
      msg = { type: 'AP-REP', value: decodeApRep(bytes) };
    }
  } catch (e) {
    if (e instanceof ApError) throw e;
    throw new ApError(`the service's answer is neither an AP-REP nor a KRB-ERROR: ${(e as Error).message}`);
  }
  if (msg.type === 'KRB-ERROR') {
    const err = msg.value;
    throw new ApError(
      `the service ${formatPrincipal(ctx.server)} refused our AP-REQ${err.eText ? `: "${err.eText}"` : ''}`,
      err.errorCode,
    );
  }
  let part;
  try {
    part = decodeEncApRepPart(decrypt(ctx.sessionKey, KeyUsage.AP_REP_ENCPART, msg.value.encPart.cipher));
  } catch (e) {
    if (e instanceof IntegrityError) {
      throw new ApError(
        `the AP-REP does not decrypt with the session key (key usage 12): whoever answered could not open the ticket, so it is not ${formatPrincipal(ctx.server)}`,
        31,
      );
    }
    throw new ApError(`the AP-REP's encrypted part does not decode: ${(e as Error).message}`);
  }
  if (part.ctime.getTime() !== ctx.ctime || part.cusec !== ctx.cusec) {
    throw new ApError(
      `mutual authentication failed: the AP-REP echoes ${isoSeconds(part.ctime)}.${String(part.cusec).padStart(6, '0')}, ` +
        `but our authenticator said ${isoSeconds(ctx.ctime)}.${String(ctx.cusec).padStart(6, '0')}`,
      41,
    );
  }
  const acceptorSubkey = part.subkey
    ? { etype: part.subkey.keytype, bytes: part.subkey.keyvalue }
    : undefined;
  say.say(
    'ap',
    `the AP-REP decrypts with the session key (key usage 12) and echoes our time: ${formatPrincipal(ctx.server)} proved it holds its key` +
      (acceptorSubkey ? `; it chose its own ${etypeName(acceptorSubkey.etype)} subkey` : '') +
      (part.seqNumber !== undefined ? `; its sequence numbers start at ${part.seqNumber}` : ''),
  );
  return { session: sessionOf(ctx, acceptorSubkey, part.seqNumber, true), events: say.events };
}
