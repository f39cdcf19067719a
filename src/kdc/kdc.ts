/**
 * The KDC as a pure function: `handle(requestBytes, { now, random }) -> { reply, events }`.
 *
 * No clock, no randomness, no sockets of its own: the browser's virtual world and Node's UDP/TCP/KKDCP
 * adapters hand those in, so the same code serves both, and a run replays byte for byte. The state it
 * keeps (principal databases, trusts, replay cache) is plain data: `snapshot()` and `Kdc.restore()`.
 *
 * A request goes through visible stages, each narrated: decode → look up → pre-authenticate (AS) or
 * check the ticket-granting ticket and authenticator (TGS) → choose enctypes → compute times → issue.
 * Every refusal becomes a KRB-ERROR with the right code, the KDC's time and an e-text (RFC 4120 §5.9.1).
 */
import { decodeValue, AsReqCodec, TgsReqCodec, type KdcReq, type PrincipalName, type Ticket } from '../asn1';
import { ErrorCode, PaType } from '../asn1/registry';
import { krbtgtName } from '../asn1/principal';
import { asRefusal, refusalReply } from '../protocol/refusal';
import { handleAsReq } from './as';
import type { KdcState } from './database';
import { Narrator, type NarratedEvent } from './events';
import { KdcRefusal } from './refusal';
import { expireReplays } from '../protocol/replay';
import type { KdcContext, RequestScope } from './scope';
import { handleTgsReq } from './tgs';

export type { KdcContext } from './scope';

export interface KdcResult {
  /** The reply to send back (AS-REP, TGS-REP or KRB-ERROR). */
  reply: Uint8Array;
  events: NarratedEvent[];
  /** What kind of reply it is, for the trace and the log line. */
  replyType: 'AS-REP' | 'TGS-REP' | 'KRB-ERROR';
  errorCode?: number;
  /** Who asked for what, when the request could be read (krb5kdc's log line). */
  client?: string;
  server?: string;
  /** What the request asked, when it could be read: what a DC's Security log writes of it. */
  request?: KdcRequestFacts;
  /** The ticket the reply carries, when one was issued. */
  ticket?: Ticket;
}

/** The request as the KDC read it, kept so no one downstream decodes it again. */
export interface KdcRequestFacts {
  type: 'AS-REQ' | 'TGS-REQ';
  realm: string;
  cname?: PrincipalName;
  sname?: PrincipalName;
  kdcOptions: number;
  /** It carried PA-ENC-TIMESTAMP (pre-authentication by the password's key). */
  encTimestamp: boolean;
}

export class Kdc {
  private state: KdcState;

  constructor(state: KdcState) {
    this.state = state;
  }

  /** A deep copy of the state: databases, trusts, replay cache. */
  snapshot(): KdcState {
    return structuredClone(this.state);
  }

  static restore(state: KdcState): Kdc {
    return new Kdc(structuredClone(state));
  }

  /** The realms this KDC serves. */
  get realms(): string[] {
    return this.state.realms.map((r) => r.name);
  }

  /** Direct access for the world and tests (e.g. to rotate a key); prefer snapshot() for copies. */
  get database(): KdcState {
    return this.state;
  }

  handle(bytes: Uint8Array, ctx: KdcContext): KdcResult {
    const say = new Narrator(`KDC ${this.state.realms[0]?.name ?? ''}`);
    this.expireReplayCache(ctx.now);
    let scope: RequestScope | undefined;
    try {
      const tag = bytes[0];
      // [APPLICATION 10] AS-REQ = 0x6a, [APPLICATION 12] TGS-REQ = 0x6c (RFC 4120 §5.4.1)
      if (tag !== 0x6a && tag !== 0x6c) {
        throw new KdcRefusal(
          ErrorCode.KRB_AP_ERR_MSG_TYPE,
          `a KDC answers AS-REQ and TGS-REQ; this message starts with byte 0x${(tag ?? 0).toString(16).padStart(2, '0')}, which is neither`,
        );
      }
      const isAs = tag === 0x6a;
      let req: KdcReq;
      try {
        // The value only: nothing here reads the field tree, which the decoder and the inspector build.
        req = decodeValue(isAs ? AsReqCodec : TgsReqCodec, bytes);
      } catch (e) {
        throw new KdcRefusal(
          ErrorCode.KRB_ERR_GENERIC,
          `the ${isAs ? 'AS-REQ' : 'TGS-REQ'} could not be decoded: ${e instanceof Error ? e.message : String(e)}`,
        );
      }
      const realmDb = this.state.realms.find((r) => r.name === req.reqBody.realm);
      if (realmDb) say.setActor(`KDC ${realmDb.name}`);
      say.say(
        'decode',
        `decoded ${isAs ? 'an AS-REQ' : 'a TGS-REQ'} for realm ${req.reqBody.realm} (${bytes.length} bytes)`,
      );
      scope = { state: this.state, ctx, say, req, bytes };
      if (!realmDb) {
        throw new KdcRefusal(
          ErrorCode.KDC_ERR_WRONG_REALM,
          `this KDC serves ${this.realms.join(', ')}, not ${req.reqBody.realm}`,
        );
      }
      const issued = isAs ? handleAsReq(scope, realmDb) : handleTgsReq(scope, realmDb);
      return {
        ...issued,
        events: say.events,
        ...this.logNames(scope),
        ...this.requestFacts(scope),
      };
    } catch (e) {
      return this.refuse(asRefusal(e), scope, say, ctx);
    }
  }

  private logNames(scope: RequestScope | undefined): { client?: string; server?: string } {
    if (!scope) return {};
    const b = scope.req.reqBody;
    const out: { client?: string; server?: string } = {};
    if (scope.client) out.client = `${scope.client.name.nameString.join('/')}@${scope.client.realm}`;
    else if (b.cname) out.client = `${b.cname.nameString.join('/')}@${b.realm}`;
    if (b.sname) out.server = `${b.sname.nameString.join('/')}@${b.realm}`;
    return out;
  }

  private requestFacts(scope: RequestScope | undefined): { request?: KdcRequestFacts } {
    if (!scope) return {};
    const { req, bytes } = scope;
    const b = req.reqBody;
    const request: KdcRequestFacts = {
      type: bytes[0] === 0x6a ? 'AS-REQ' : 'TGS-REQ',
      realm: b.realm,
      kdcOptions: b.kdcOptions,
      encTimestamp: req.padata?.some((p) => p.padataType === PaType.PA_ENC_TIMESTAMP) ?? false,
    };
    if (b.cname) request.cname = b.cname;
    if (b.sname) request.sname = b.sname;
    return { request };
  }

  /** RFC 4120 §5.9.1: the error names the server and, when known, the client; stime is the KDC's time. */
  private refuse(r: KdcRefusal, scope: RequestScope | undefined, say: Narrator, ctx: KdcContext): KdcResult {
    const body = scope?.req.reqBody;
    const realm = body?.realm ?? this.state.realms[0]?.name ?? 'UNKNOWN';
    const client = scope?.client ?? (body?.cname ? { realm: body.realm, name: body.cname } : undefined);
    const reply = refusalReply(r, say, {
      now: ctx.now,
      realm,
      sname: body?.sname ?? krbtgtName(realm),
      ...(client ? { client } : {}),
    });
    return {
      reply,
      replyType: 'KRB-ERROR',
      errorCode: r.code,
      events: say.events,
      ...this.logNames(scope),
      ...this.requestFacts(scope),
    };
  }

  /**
   * RFC 4120 §3.2.3: entries older than the skew window can no longer be replayed, so they go — swept at
   * most once a second of KDC time, since a KDC under load sees many requests a second (replay.ts).
   */
  private expireReplayCache(now: number): void {
    expireReplays(this.state, now, 1000);
  }
}
