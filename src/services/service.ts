/**
 * A generic Kerberized service (RFC 4120 §3.2): it receives an AP-REQ (bare, or inside a GSS-API or
 * SPNEGO token, as SMB and HTTP carry it), checks it against its own keys — ticket decryption, times,
 * clock skew, replay, the authenticator, the PAC's server signature — answers with an AP-REP when the
 * client asks for mutual authentication, and hands the authenticated identity and the PAC's SIDs to
 * whatever authorizes (share permissions, NTFS ACLs).
 *
 * Pure like the KDC: `accept(bytes, { now, random })`; its state (keys, replay cache) is plain data.
 */
import {
  decodeKerberos,
  encodeApRep,
  encodeEncApRepPart,
  encodeKrb5GssToken,
  IAKERB_OID,
  TOK_ID,
  type ApReq,
  type Authenticator,
  type EncTicketPart,
  type PrincipalName,
} from '../asn1';
import { ApOption, ErrorCode, MessageType } from '../asn1/registry';
import { describeEnctype, encrypt, KeyUsage, randomKey, type Key, type RandomSource } from '../crypto';
import { decodePac, findPacBuffer, FormatError, tokenGroupSids, verifyPac } from '../formats';
import { acceptApReq, type ApReqReceiver, type ReceiverKey } from '../protocol/ap-req';
import { findPacIn } from '../protocol/authdata';
import { Narrator, type NarratedEvent } from '../protocol/events';
import { formatName, formatPrincipal, sameName } from '../asn1/principal';
import { asRefusal, KerberosRefusal, refusalReply } from '../protocol/refusal';
import { expireReplays, type ReplayEntry } from '../protocol/replay';
import { verifyIakerbFinished, type IakerbAcceptorState } from './iakerb';
import { copyKey, keyOf, type LongTermKey } from '../protocol/long-term-key';

/** One long-term key of the service (what its keytab holds). */
/** A key of the service's keytab (made from its password when first used: protocol/long-term-key.ts). */
export type ServiceKey = LongTermKey;

export interface ServiceState {
  realm: string;
  name: PrincipalName;
  keys: ServiceKey[];
  maxSkew: number;
  /**
   * Other names of the same principal the server takes tickets for, in the same keys: an Azure Files
   * account answers to each identifierUri of its app (src/azure/storage-app.ts). Absent: its name only.
   */
  aliases?: PrincipalName[];
  /** Authenticators seen within the skew window (RFC 4120 §3.2.3). */
  replayCache: ReplayEntry[];
}

/** Who the client is, as an authorization layer needs it. */
export interface AuthenticatedIdentity {
  client: { realm: string; name: PrincipalName };
  /** "alice@CORP.CONTOSO.COM". */
  principal: string;
  /** From the PAC when there is one: the user's SID, and every group SID (primary, groups, extra, resource). */
  userSid?: string;
  groupSids: string[];
  /** The PAC's account name and UPN, when present. */
  accountName?: string;
  upn?: string;
  ticketFlags: number;
  authtime: Date;
  endtime: Date;
}

export type AcceptResult =
  | {
      ok: true;
      identity: AuthenticatedIdentity;
      /** The AP-REP to send when the client asked for mutual authentication (RFC 4120 §3.2.4). */
      apRep?: Uint8Array;
      sessionKey: Key;
      /** The key the two sides now share for the session: the service's subkey, else the client's, else the session key. */
      sessionSubkey: Key;
      clientSeqNumber?: number;
      events: NarratedEvent[];
    }
  | { ok: false; errorCode: number; error: Uint8Array; message: string; events: NarratedEvent[] };

export interface AcceptContext {
  now: number;
  random: RandomSource;
  /** Issue our own subkey in the AP-REP, as SMB servers do (default true). */
  serviceSubkey?: boolean;
  /**
   * The AP-REQ closes an IAKERB exchange this service relayed: its authenticator must carry the finish
   * over these tokens, and the AP-REP goes back in a GSS-API token under the IAKERB OID.
   */
  iakerb?: IakerbAcceptorState;
}

export class KerberizedService {
  private state: ServiceState;

  constructor(state: ServiceState) {
    this.state = state;
  }

  snapshot(): ServiceState {
    return structuredClone(this.state);
  }

  static restore(state: ServiceState): KerberizedService {
    return new KerberizedService(structuredClone(state));
  }

  get principal(): string {
    return formatPrincipal({ realm: this.state.realm, name: this.state.name });
  }

  /** Replaces the keys (a password change or key rotation), keeping the replay cache. */
  setKeys(keys: ServiceKey[]): void {
    this.state.keys = keys.map(copyKey);
  }

  accept(bytes: Uint8Array, ctx: AcceptContext): AcceptResult {
    const say = new Narrator(`service ${this.principal}`);
    // A service sees few requests: it forgets what has expired on every one (sweep interval 0).
    expireReplays(this.state, ctx.now, 0);
    try {
      return this.check(bytes, ctx, say);
    } catch (e) {
      const r = asRefusal(e);
      const error = refusalReply(r, say, { now: ctx.now, realm: this.state.realm, sname: this.state.name });
      return { ok: false, errorCode: r.code, error, message: r.message, events: say.events };
    }
  }

  private check(bytes: Uint8Array, ctx: AcceptContext, say: Narrator): AcceptResult {
    let apReq: ApReq;
    try {
      const decoded = decodeKerberos(bytes);
      if (decoded.type !== 'AP-REQ') {
        throw new KerberosRefusal(ErrorCode.KRB_AP_ERR_MSG_TYPE, `expected an AP-REQ, got ${decoded.type}`);
      }
      apReq = decoded.value;
      const framing = decoded.framing.length ? ` (inside ${decoded.framing.join(' / ')})` : '';
      say.say('decode', `decoded an AP-REQ${framing}`);
    } catch (e) {
      if (e instanceof KerberosRefusal) throw e;
      throw new KerberosRefusal(
        ErrorCode.KRB_AP_ERR_MSG_TYPE,
        `the token is not an AP-REQ: ${(e as Error).message}`,
      );
    }
    const {
      ticket: part,
      authenticator: auth,
      sessionKey,
      ticketKey: key,
      client,
    } = acceptApReq(apReq, this.receiver(ctx.now), say);
    if (ctx.iakerb) verifyIakerbFinished(ctx.iakerb, auth, say);
    const identity = this.identityOf(part, key, client, say);

    const clientSubkey: Key | undefined = auth.subkey
      ? { etype: auth.subkey.keytype, bytes: auth.subkey.keyvalue }
      : undefined;
    const mutual =
      apReq.apOptions & ApOption.MUTUAL_REQUIRED ? this.apRep(auth, sessionKey, ctx, say) : undefined;
    const sessionSubkey = mutual?.subkey ?? clientSubkey ?? sessionKey;
    const apRep =
      mutual && ctx.iakerb
        ? encodeKrb5GssToken({ thisMech: IAKERB_OID, tokId: TOK_ID.KRB_AP_REP, krbMessage: mutual.apRep })
        : mutual?.apRep;
    say.say(
      'issue',
      `authenticated ${client}${identity.userSid ? ` (SID ${identity.userSid}, ${identity.groupSids.length} group SIDs)` : ''}`,
    );
    return {
      ok: true,
      identity,
      ...(apRep ? { apRep } : {}),
      sessionKey,
      sessionSubkey,
      ...(auth.seqNumber !== undefined ? { clientSeqNumber: auth.seqNumber } : {}),
      events: say.events,
    };
  }

  /**
   * The AP-REP for mutual authentication (RFC 4120 §3.2.4): the authenticator's time echoed, encrypted in
   * the session key, with a subkey of the service's own unless told otherwise (SMB servers send one).
   */
  private apRep(
    auth: Authenticator,
    sessionKey: Key,
    ctx: AcceptContext,
    say: Narrator,
  ): { apRep: Uint8Array; subkey?: Key } {
    const ours = ctx.serviceSubkey === false ? undefined : randomKey(sessionKey.etype, ctx.random);
    const seq = new DataView(ctx.random(4).buffer).getUint32(0) & 0x3fffffff;
    const encPart = encodeEncApRepPart({
      ctime: auth.ctime,
      cusec: auth.cusec,
      ...(ours ? { subkey: { keytype: ours.etype, keyvalue: ours.bytes } } : {}),
      seqNumber: seq,
    });
    const apRep = encodeApRep({
      pvno: 5,
      msgType: MessageType.AP_REP,
      encPart: {
        etype: sessionKey.etype,
        cipher: encrypt(sessionKey, KeyUsage.AP_REP_ENCPART, encPart, ctx.random),
      },
    });
    say.say(
      'issue',
      `the client asked for mutual authentication: answering with an AP-REP that echoes its time, encrypted in the session key (key usage 12)${ours ? ', with a subkey of our own' : ''}`,
    );
    return { apRep, ...(ours ? { subkey: ours } : {}) };
  }

  /** The service as the receiver of an AP-REQ: its keys are its keytab's. */
  private receiver(now: number): ApReqReceiver {
    const me = this.principal;
    return {
      ticketKey: (ticket) => {
        const ticketFor = `${formatName(ticket.sname)}@${ticket.realm}`;
        const named = [this.state.name, ...(this.state.aliases ?? [])];
        if (ticket.realm !== this.state.realm || !named.some((n) => sameName(ticket.sname, n, true))) {
          throw new KerberosRefusal(
            ErrorCode.KRB_AP_ERR_NOT_US,
            `the ticket is for ${ticketFor}, not for ${me}`,
          );
        }
        return this.keyFor(ticket.encPart.etype, ticket.encPart.kvno);
      },
      authenticatorUsage: KeyUsage.AP_REQ_AUTH,
      maxSkew: this.state.maxSkew,
      now,
      times: { afterExpiry: 'get a new one from the KDC' },
      replay: {
        cache: this.state,
        id: (client, a) => `${client}|${a.ctime.getTime()}|${a.cusec}`,
        seen: 'this exact authenticator was seen before: someone is replaying a captured AP-REQ',
      },
      words: {
        clock: "the service's",
        sessionKey: "the ticket's session key",
        ticket: 'ticket',
        wrongKey: (k) => ({
          refuse: `the ticket does not decrypt with ${me}'s ${describeEnctype(k.etype)} key: the KDC and the service do not share the same key (or the ticket was changed)`,
        }),
        opened: (client, k) =>
          `decrypted the ticket with ${me}'s ${describeEnctype(k.etype)} key: it is ${client}'s`,
      },
    };
  }

  private keyFor(etype: number, kvno: number | undefined): ReceiverKey {
    const sameType = this.state.keys.filter((k) => k.etype === etype);
    if (sameType.length === 0) {
      throw new KerberosRefusal(
        ErrorCode.KRB_AP_ERR_NOKEY,
        `the ticket is encrypted with ${describeEnctype(etype)}, and ${this.principal} has no key of that type in its keytab`,
      );
    }
    const k =
      kvno === undefined
        ? sameType.reduce((a, b) => (b.kvno > a.kvno ? b : a))
        : sameType.find((x) => x.kvno === kvno);
    if (!k) {
      throw new KerberosRefusal(
        ErrorCode.KRB_AP_ERR_BADKEYVER,
        `the ticket was made with key version ${kvno} of ${this.principal}, but the service holds version ${sameType.map((x) => x.kvno).join(', ')}: the two sides' keys are out of step`,
      );
    }
    return { etype: k.etype, kvno: k.kvno, bytes: keyOf(k) };
  }

  /** The identity for authorization: the PAC's SIDs, once its server signature (MS-PAC §2.8.4) checks. */
  private identityOf(part: EncTicketPart, key: Key, principal: string, say: Narrator): AuthenticatedIdentity {
    const identity: AuthenticatedIdentity = {
      client: { realm: part.crealm, name: part.cname },
      principal,
      groupSids: [],
      ticketFlags: part.flags,
      authtime: part.authtime,
      endtime: part.endtime,
    };
    const pacBytes = findPacIn(part.authorizationData);
    if (!pacBytes) {
      say.say('pac', 'the ticket carries no PAC: the service knows the name only, no SIDs');
      return identity;
    }
    let check;
    try {
      check = verifyPac(pacBytes, { serverKey: key });
    } catch (e) {
      // A PAC whose header or layout is broken was not made by a KDC: the ticket has been tampered with.
      if (!(e instanceof FormatError)) throw e;
      throw new KerberosRefusal(ErrorCode.KRB_AP_ERR_MODIFIED, `the PAC cannot be read: ${e.message}`);
    }
    if (check.server.status !== 'valid') {
      throw new KerberosRefusal(
        ErrorCode.KRB_AP_ERR_MODIFIED,
        `the PAC's server signature does not verify: ${check.server.reason ?? check.server.status}`,
      );
    }
    const pac = decodePac(pacBytes);
    const sids = findPacBuffer(pac, 'logonInfo')?.sids;
    if (sids) {
      if (sids.userSid) identity.userSid = sids.userSid;
      identity.groupSids = tokenGroupSids(sids);
    }
    const upn = findPacBuffer(pac, 'upnDnsInfo')?.upnDnsInfo;
    if (upn) {
      identity.upn = upn.upn;
      if (upn.samName) identity.accountName = upn.samName;
    }
    say.say(
      'pac',
      `verified the PAC's server signature with ${this.principal}'s key; user SID ${identity.userSid ?? 'none'}`,
    );
    return identity;
  }
}
