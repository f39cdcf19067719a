/**
 * Opening the encrypted parts of one decoded message with the keys of a KeyRing, and learning the keys
 * they reveal, in the order a reader would: a ticket before the authenticator it vouches for, a reply's
 * FAST envelope before the reply key it strengthens.
 *
 * Which key opens what (RFC 4120 §7.5.1 key usages; RFC 6113 §5.4 for FAST):
 *   Ticket enc-part (2)              the service's long-term key, by sname@realm, etype and kvno
 *   PA-ENC-TIMESTAMP (1)             the client's long-term key
 *   AS-REP enc-part (3)              the client's long-term key (or its FAST-strengthened form)
 *   TGS-REQ authenticator (7)        the TGT's session key (from the AS-REP, or the TGT opened by keytab)
 *   enc-authorization-data (4 / 5)   the TGT session key / the authenticator subkey
 *   TGS-REP enc-part (8 / 9)         the TGT session key / the authenticator subkey of the request
 *   AP-REQ authenticator (11)        the service ticket's session key
 *   AP-REP (12), KRB-PRIV (13), KRB-CRED (14)  the session key or subkey of the AP exchange
 *   enc-fast-req (51), enc-fast-rep (52)       the armor key KRB-FX-CF2(subkey, ticket session key)
 *   PA-ENCRYPTED-CHALLENGE (54 / 55) KRB-FX-CF2(armor key, client long-term key)
 */
import {
  AuthorizationDataCodec,
  KrbFastReqCodec,
  KrbFastResponseCodec,
  PA_TYPE,
  PaEncTsEncCodec,
  decodeAdIfRelevant,
  decodeApReq,
  decodeEtypeInfo,
  decodeEtypeInfo2,
  decodeKerberos,
  decodeMethodData,
  decodePaFxFastReply,
  decodePaFxFastRequest,
  decodeWith,
  encodeAdIfRelevant,
  encodeEncTicketPart,
  DecodeError,
  // PA-ENC-TIMESTAMP and PA-ENCRYPTED-CHALLENGE are both EncryptedData (RFC 4120 §5.2.7.2, RFC 6113 §5.4.6).
  EncryptedDataCodec as PaEncTimestampLike,
} from '../../asn1';
import type {
  ApReq,
  Authenticator,
  Codec,
  DecodedKerberos,
  EncApRepPart,
  EncKdcRepPart,
  EncKrbCredPart,
  EncTicketPart,
  EncryptedData,
  EncryptionKey,
  KdcRep,
  KdcReq,
  KrbCred,
  KrbError,
  KrbFastReq,
  KrbFastResponse,
  KrbNode,
  KrbPriv,
  ApRep,
  PaData,
  PrincipalName,
  Ticket,
} from '../../asn1';
import { cf2, decrypt, describeEnctype, findEnctype, IntegrityError, type Key } from '../../crypto';
import { KrbPlayError } from '../../util/errors';
import { type Candidate, type KeyRing, type LearntKey, type PrincipalRef, principalText } from './keyring';
import { attachPacs } from './pac-tree';

/** One encrypted part and what became of it (docs/cli.md, ENCPART). */
export interface EncPart {
  /** RFC field names joined by dots from the message ("ticket.enc-part", "padata[0].padata-value"). */
  path: string;
  etype: number;
  kvno?: number;
  keyUsage: number;
  decrypted: boolean;
  /** The key that opened it: "keytab cifs/fs1.example.test@EXAMPLE.TEST kvno 1", "session key learnt in frame 16". */
  key?: string;
  /** Why it stayed closed (or why its plaintext could not be read). */
  reason?: string;
  /** The plaintext decoded, offsets relative to the plaintext. */
  plain?: KrbNode;
}

/**
 * The key that opened each part, by the part itself: the inspector decrypts again with exactly it (a
 * FAST-strengthened reply key is made on the way and remembered nowhere else). Kept off `EncPart` so
 * that the JSON the CLI prints carries no key.
 */
const openedWith = new WeakMap<EncPart, Key>();

/** The key that opened `part` in this decoder, if one did. */
export const keyThatOpened = (part: EncPart): Key | undefined => openedWith.get(part);

export interface OpenOptions {
  /** The frame this message is (1 for a single input); keys learnt here are remembered with it. */
  frame?: number;
}

/** A key to try for one usage. */
interface Attempt {
  cand: Candidate;
  usage: number;
  /** False for keys tried only in case (other principals' keys, keys given): their failure says little. */
  own?: boolean;
}

interface Opened<T> {
  part: EncPart;
  key?: Candidate;
  value?: T;
  plainBytes?: Uint8Array;
  /** The attempts made, in order; when the part opened, the last one opened it. */
  tried: readonly Attempt[];
}

/** Beyond this many failed keys a part is given up: a capture full of strangers must stay quick. */
const MAX_ATTEMPTS = 256;

const join = (a: string, b: string) => (a ? `${a}.${b}` : b);
const keyOf = (k: EncryptionKey): Key => ({ etype: k.keytype, bytes: k.keyvalue });
const refOf = (name: PrincipalName | undefined, realm: string): PrincipalRef | undefined =>
  name ? { nameType: name.nameType, components: name.nameString, realm } : undefined;

function listLabels(attempts: readonly Attempt[]): string {
  const labels = [...new Set(attempts.map((a) => a.cand.label))];
  const shown = labels.slice(0, 3).join('; ');
  return labels.length > 3 ? `${shown} and ${labels.length - 3} more` : shown;
}

/** The attempts of one enctype, each key and usage once, lazily: a key made by KRB-FX-CF2 costs PRF rounds. */
function* distinct(attempts: Iterable<Attempt>, etype: number): Generator<Attempt> {
  const seen = new Set<string>();
  for (const a of attempts) {
    if (a.cand.key.etype !== etype) continue;
    let id = `${a.usage}|`;
    for (const b of a.cand.key.bytes) id += b.toString(16).padStart(2, '0');
    if (seen.has(id)) continue;
    seen.add(id);
    yield a;
  }
}

/** What a plaintext should decode as: a codec, or the [APPLICATION n] types the recogniser may find. */
type PlainReader<T> = { codec: Codec<T> } | { types: readonly string[] };

function readPlain<T>(plain: Uint8Array, reader: PlainReader<T>): { value: T; node: KrbNode } {
  if ('codec' in reader) return decodeWith(reader.codec, plain);
  const d = decodeKerberos(plain);
  if (!reader.types.includes(d.type)) {
    throw new DecodeError(0, `the plaintext is ${d.type}, where ${reader.types.join(' or ')} was expected`);
  }
  return { value: d.value as T, node: d.tree };
}

class MessageOpener {
  readonly parts: EncPart[] = [];

  constructor(
    readonly ring: KeyRing,
    readonly frame: number,
  ) {}

  /** Tries each key in turn; the first whose integrity check passes opens the part. */
  open<T>(
    path: string,
    enc: EncryptedData,
    attempts: Iterable<Attempt>,
    reader: PlainReader<T>,
    noKey: () => string,
    defaultUsage: number,
  ): Opened<T> {
    const part: EncPart = {
      path,
      etype: enc.etype,
      ...(enc.kvno !== undefined ? { kvno: enc.kvno } : {}),
      keyUsage: defaultUsage,
      decrypted: false,
    };
    this.parts.push(part);
    if (enc.etype === 0) {
      // RFC 4120 §5.8.1: a KRB-CRED (a .kirbi file) may carry its part with etype 0, in the clear.
      part.keyUsage = defaultUsage;
      return this.#finish(part, reader, enc.cipher, [], {
        key: { etype: 0, bytes: new Uint8Array(0) },
        label: 'none (etype 0: not encrypted)',
      });
    }
    const info = findEnctype(enc.etype);
    if (!info?.implemented) {
      part.reason = `${describeEnctype(enc.etype)} ${info ? 'is not implemented by the playground' : 'is not a known enctype'}`;
      return { part, tried: [] };
    }
    const tried: Attempt[] = [];
    for (const a of distinct(attempts, enc.etype)) {
      if (tried.length >= MAX_ATTEMPTS) break;
      tried.push(a);
      let plain: Uint8Array;
      try {
        plain = decrypt(a.cand.key, a.usage, enc.cipher);
      } catch (e) {
        if (e instanceof IntegrityError || e instanceof KrbPlayError) continue;
        throw e;
      }
      part.keyUsage = a.usage;
      return this.#finish(part, reader, plain, tried, a.cand);
    }
    const ownTried = tried.filter((a) => a.own !== false);
    if (ownTried.length > 0) {
      const others = tried.length - ownTried.length;
      part.reason = `integrity check failed with ${listLabels(ownTried)}${others > 0 ? ` (and ${others} other key(s) of this enctype)` : ''}`;
    } else {
      part.reason =
        noKey() + (tried.length > 0 ? `; ${tried.length} other key(s) of this enctype did not fit` : '');
    }
    return { part, tried };
  }

  #finish<T>(
    part: EncPart,
    reader: PlainReader<T>,
    plain: Uint8Array,
    tried: readonly Attempt[],
    cand: Candidate,
  ): Opened<T> {
    part.decrypted = true;
    part.key = cand.label;
    openedWith.set(part, cand.key);
    try {
      const d = readPlain(plain, reader);
      part.plain = d.node;
      return { part, key: cand, value: d.value, plainBytes: plain, tried };
    } catch (e) {
      if (!(e instanceof KrbPlayError)) throw e;
      part.reason = `decrypted, but the plaintext does not decode: ${e.message}`;
      return { part, key: cand, plainBytes: plain, tried };
    }
  }

  // ---- tickets and AP-REQs ----

  /** Opens a ticket with its service's key and learns its session key; falls back on one learnt before. */
  ticket(path: string, t: Ticket): LearntKey | undefined {
    const service: PrincipalRef = {
      nameType: t.sname.nameType,
      components: t.sname.nameString,
      realm: t.realm,
    };
    const { etype, kvno } = t.encPart;
    const own = this.ring.longTermKeys(service, etype, kvno);
    const skipped = this.ring.ruledOut(service, etype, kvno);
    const attempts: Attempt[] = [
      ...own.map((cand) => ({ cand, usage: 2 })),
      ...[...this.ring.otherKeys(service, etype, kvno), ...this.ring.givenKeys(etype)].map((cand) => ({
        cand,
        usage: 2,
        own: false,
      })),
    ];
    const o = this.open<EncTicketPart>(
      join(path, 'enc-part'),
      t.encPart,
      attempts,
      { types: ['EncTicketPart'] },
      () => {
        const held = this.ring.kvnosHeld(service, etype);
        const what = `${principalText(service)}${kvno !== undefined ? ` kvno ${kvno}` : ''} (${describeEnctype(etype)})`;
        return held.length > 0
          ? `no key for ${what}: the keys at hand have kvno ${held.join(', ')}`
          : `no key for ${what}`;
      },
      2,
    );
    // What this ticket taught about the keytab's other keys, so that the next ticket of the same service
    // does not pay for them again.
    const opener = o.part.decrypted ? o.key : undefined;
    const failed = o.tried.filter((a) => a.own === false && a.cand !== opener).map((a) => a.cand);
    this.ring.ticketOpened(service, etype, kvno, failed, opener);
    if (!o.part.decrypted && skipped > 0) {
      o.part.reason += `; ${skipped} other keytab key(s) of this enctype were not tried again: they failed on earlier tickets of ${principalText(service)} kvno ${kvno}`;
    }
    if (o.value && o.key && o.part.plain) {
      const etp = o.value;
      this.#verifyPacs(o.part.plain, etp, t, o.key);
      return this.ring.learnTicketKey(t.encPart.cipher, keyOf(etp.key), this.frame);
    }
    return this.ring.ticketKey(t.encPart.cipher);
  }

  #verifyPacs(node: KrbNode, etp: EncTicketPart, t: Ticket, opener: Candidate): void {
    const longTerm =
      opener.label.startsWith('keytab ') ||
      opener.label.startsWith('password of ') ||
      opener.label.startsWith('key given');
    attachPacs(node, {
      serverKey: longTerm ? opener.key : undefined,
      kdcKeys: this.ring.krbtgtKeys(t.realm).map((c) => c.key),
      ticketForChecksum: () => ticketWithPacZeroed(etp),
    });
  }

  /**
   * An AP-REQ (alone, in PA-TGS-REQ, or as FAST armor): its ticket, then its authenticator in the ticket's
   * session key. Returns the keys it revealed.
   */
  apReq(
    path: string,
    ap: ApReq,
    usage: number,
  ): { sessionKey: LearntKey; subkey?: LearntKey; authenticator?: Authenticator } | undefined {
    const sessionKey = this.ticket(join(path, 'ticket'), ap.ticket);
    const attempts: Attempt[] = [
      ...(sessionKey ? [sessionKey] : []),
      ...this.ring.givenKeys(ap.authenticator.etype),
    ].map((cand) => ({ cand, usage }));
    const o = this.open<Authenticator>(
      join(path, 'authenticator'),
      ap.authenticator,
      attempts,
      { types: ['Authenticator'] },
      () => `the ticket's session key is not known: the ticket did not open and no earlier reply carried it`,
      usage,
    );
    if (!sessionKey) return undefined;
    if (!o.value) return { sessionKey };
    const subkey = o.value.subkey ? this.ring.learn('subkey', keyOf(o.value.subkey), this.frame) : undefined;
    return { sessionKey, ...(subkey ? { subkey } : {}), authenticator: o.value };
  }

  // ---- FAST (RFC 6113 §5.4) ----

  /** A PA-FX-FAST request: explicit armor (an AP-REQ) or, in a TGS-REQ, the implicit TGT armor. */
  fastRequest(
    path: string,
    pa: PaData,
    implicit: { sessionKey: LearntKey; subkey?: LearntKey } | undefined,
    client: PrincipalRef | undefined,
  ): LearntKey | undefined {
    let req;
    try {
      req = decodePaFxFastRequest(pa.padataValue).armoredData;
    } catch {
      return undefined;
    }
    const base = join(path, 'armored-data');
    let armorKey: LearntKey | undefined;
    if (req.armor?.armorType === 1) {
      let ap: ApReq | undefined;
      try {
        ap = decodeApReq(req.armor.armorValue);
      } catch {
        ap = undefined;
      }
      const keys = ap && this.apReq(join(base, 'armor.armor-value'), ap, 11);
      if (keys?.subkey) armorKey = this.#armor(keys.subkey.key, keys.sessionKey.key);
    } else if (implicit?.subkey) {
      armorKey = this.#armor(implicit.subkey.key, implicit.sessionKey.key);
    }
    const o = this.open<KrbFastReq>(
      join(base, 'enc-fast-req'),
      req.encFastReq,
      armorKey ? [{ cand: armorKey, usage: 51 }] : [],
      { codec: KrbFastReqCodec },
      () =>
        req.armor
          ? 'the armor key is not known: the armor ticket or its authenticator did not open'
          : 'the armor key is not known: the TGS-REQ authenticator (with its subkey) did not open',
      51,
    );
    if (o.value) {
      const inner = join(base, 'enc-fast-req');
      o.value.padata.forEach((p, i) =>
        this.#challenge(join(inner, `padata[${i}].padata-value`), p, armorKey, client, 54),
      );
    }
    return armorKey;
  }

  #armor(subkey: Key, ticketKey: Key): LearntKey | undefined {
    try {
      return this.ring.learn('armor', cf2(subkey, ticketKey, 'subkeyarmor', 'ticketarmor'), this.frame);
    } catch {
      return undefined;
    }
  }

  /** PA-ENCRYPTED-CHALLENGE (RFC 6113 §5.4.6): the challenge key is KRB-FX-CF2(armor key, long-term key). */
  #challenge(
    path: string,
    pa: PaData,
    armorKey: LearntKey | undefined,
    client: PrincipalRef | undefined,
    usage: 54 | 55,
  ): void {
    if (pa.padataType !== PA_TYPE.ENCRYPTED_CHALLENGE) return;
    let enc: EncryptedData;
    try {
      enc = decodeWith(PaEncTimestampLike, pa.padataValue).value;
    } catch {
      return;
    }
    const attempts: Attempt[] = [];
    if (armorKey && client) {
      for (const lt of this.ring.longTermKeys(client, enc.etype)) {
        try {
          const pepper = usage === 54 ? 'clientchallengearmor' : 'kdcchallengearmor';
          attempts.push({
            cand: {
              key: cf2(armorKey.key, lt.key, pepper, 'challengelongterm'),
              label: `challenge key from ${armorKey.label} and ${lt.label}`,
            },
            usage,
          });
        } catch {
          // an enctype without a PRF cannot make the challenge key
        }
      }
    }
    this.open(
      path,
      enc,
      attempts,
      { codec: PaEncTsEncCodec },
      () =>
        !armorKey
          ? 'the FAST armor key is not known'
          : ((client && this.ring.passwordRefusal(client, enc.etype)) ??
            `no long-term key for ${client ? principalText(client) : 'the client'}`),
      usage,
    );
  }

  /** A PA-FX-FAST reply: enc-fast-rep in the armor key of a request seen before. */
  fastReply(path: string, pa: PaData, kind: 'as' | 'tgs'): KrbFastResponse | undefined {
    let rep;
    try {
      rep = decodePaFxFastReply(pa.padataValue).armoredData;
    } catch {
      return undefined;
    }
    const armors = [
      ...this.ring.requests(kind).flatMap((r) => (r.armorKey ? [r.armorKey] : [])),
      ...this.ring.learnt('armor'),
    ];
    const o = this.open<KrbFastResponse>(
      join(path, 'armored-data.enc-fast-rep'),
      rep.encFastRep,
      armors.map((cand) => ({ cand, usage: 52 })),
      { codec: KrbFastResponseCodec },
      () => 'no FAST armor key learnt from an earlier request',
      52,
    );
    return o.value;
  }

  // ---- the messages ----

  kdcReq(req: KdcReq, kind: 'as' | 'tgs'): void {
    const body = req.reqBody;
    const client = refOf(body.cname, body.realm);
    let tgt: { sessionKey: LearntKey; subkey?: LearntKey; authenticator?: Authenticator } | undefined;
    const padata = req.padata ?? [];
    // PA-TGS-REQ first: the authenticator's keys open the FAST envelope and the authorization data.
    padata.forEach((pa, i) => {
      if (pa.padataType !== PA_TYPE.TGS_REQ) return;
      let ap: ApReq;
      try {
        ap = decodeApReq(pa.padataValue);
      } catch {
        return;
      }
      tgt = this.apReq(`padata[${i}].padata-value`, ap, 7);
    });
    const fastClient =
      client ?? (tgt?.authenticator ? refOf(tgt.authenticator.cname, tgt.authenticator.crealm) : undefined);
    let armorKey: LearntKey | undefined;
    padata.forEach((pa, i) => {
      const path = `padata[${i}].padata-value`;
      if (pa.padataType === PA_TYPE.ENC_TIMESTAMP) this.#encTimestamp(path, pa, client);
      else if (pa.padataType === PA_TYPE.FX_FAST) armorKey = this.fastRequest(path, pa, tgt, fastClient);
      else if (pa.padataType === PA_TYPE.ENCRYPTED_CHALLENGE) this.#challenge(path, pa, armorKey, client, 54);
    });
    if (body.encAuthorizationData) {
      const attempts: Attempt[] = [];
      if (tgt?.subkey) attempts.push({ cand: tgt.subkey, usage: 5 });
      if (tgt) attempts.push({ cand: tgt.sessionKey, usage: 4 });
      this.open(
        'req-body.enc-authorization-data',
        body.encAuthorizationData,
        attempts,
        { codec: AuthorizationDataCodec },
        () => 'the TGT session key and subkey are not known',
        tgt?.subkey ? 5 : 4,
      );
    }
    body.additionalTickets?.forEach((t, i) => this.ticket(`req-body.additional-tickets[${i}]`, t));
    if (kind === 'tgs' && tgt) {
      this.ring.rememberRequest({
        frame: this.frame,
        kind: 'tgs',
        sessionKey: tgt.sessionKey,
        ...(tgt.subkey ? { subkey: tgt.subkey } : {}),
        ...(armorKey ? { armorKey } : {}),
      });
    } else if (kind === 'as' && armorKey) {
      this.ring.rememberRequest({ frame: this.frame, kind: 'as', armorKey });
    }
  }

  #encTimestamp(path: string, pa: PaData, client: PrincipalRef | undefined): void {
    let enc: EncryptedData;
    try {
      enc = decodeWith(PaEncTimestampLike, pa.padataValue).value;
    } catch {
      return;
    }
    const attempts: Attempt[] = [
      ...(client ? this.ring.longTermKeys(client, enc.etype, enc.kvno) : []),
      ...this.ring.givenKeys(enc.etype),
    ].map((cand) => ({ cand, usage: 1 }));
    this.open(
      path,
      enc,
      attempts,
      { codec: PaEncTsEncCodec },
      () =>
        client
          ? (this.ring.passwordRefusal(client, enc.etype) ??
            `no key for ${principalText(client)} (${describeEnctype(enc.etype)}): give its password or a keytab`)
          : 'the request names no client (cname)',
      1,
    );
  }

  /** Salts announced in padata (ETYPE-INFO2, ETYPE-INFO, PW-SALT) for the client's password keys. */
  learnSalts(padata: readonly PaData[] | undefined, client: PrincipalRef | undefined): void {
    if (!client) return;
    for (const pa of padata ?? []) {
      try {
        if (pa.padataType === PA_TYPE.ETYPE_INFO2) {
          for (const e of decodeEtypeInfo2(pa.padataValue)) {
            if (e.salt !== undefined) this.ring.learnSalt(client, e.etype, e.salt, e.s2kparams);
          }
        } else if (pa.padataType === PA_TYPE.ETYPE_INFO) {
          for (const e of decodeEtypeInfo(pa.padataValue)) {
            if (e.salt !== undefined) this.ring.learnSalt(client, e.etype, e.salt);
          }
        }
      } catch {
        // a malformed hint teaches nothing; the tree shows it as it is
      }
    }
  }

  kdcRep(rep: KdcRep, kind: 'as' | 'tgs'): void {
    const client = refOf(rep.cname, rep.crealm)!;
    this.learnSalts(rep.padata, client);
    let fast: KrbFastResponse | undefined;
    (rep.padata ?? []).forEach((pa, i) => {
      if (pa.padataType === PA_TYPE.FX_FAST)
        fast = this.fastReply(`padata[${i}].padata-value`, pa, kind) ?? fast;
    });
    if (fast) this.learnSalts(fast.padata, client);
    const strengthen = fast?.strengthenKey ? keyOf(fast.strengthenKey) : undefined;
    const ring = this.ring;
    const frame = this.frame;
    function* strengthened(reply: Candidate, usage: number): Generator<Attempt> {
      if (!strengthen) return;
      let key: Key;
      try {
        key = cf2(strengthen, reply.key, 'strengthenkey', 'replykey');
      } catch {
        return;
      }
      yield { cand: ring.candidate('strengthened', key, frame), usage };
    }
    const etype = rep.encPart.etype;
    let attempts: Iterable<Attempt>;
    let noKey: () => string;
    if (kind === 'as') {
      attempts = (function* () {
        const own = ring.longTermKeys(client, etype);
        for (const c of own) yield* strengthened(c, 3);
        for (const cand of own) yield { cand, usage: 3 };
        for (const cand of ring.givenKeys(etype)) yield { cand, usage: 3 };
      })();
      noKey = () =>
        ring.passwordRefusal(client, etype) ??
        `no key for ${principalText(client)} (${describeEnctype(etype)}): give its password or a keytab`;
    } else {
      attempts = (function* () {
        for (const r of ring.requests('tgs')) {
          if (r.subkey) {
            yield* strengthened(r.subkey, 9);
            yield { cand: r.subkey, usage: 9 };
          }
          if (r.sessionKey) {
            yield* strengthened(r.sessionKey, 8);
            yield { cand: r.sessionKey, usage: 8 };
          }
        }
        for (const k of ring.learnt('ticket', etype)) yield { cand: k, usage: 8 };
        for (const k of ring.learnt('subkey', etype)) yield { cand: k, usage: 9 };
        for (const cand of ring.givenKeys(etype)) {
          yield { cand, usage: 8 };
          yield { cand, usage: 9 };
        }
      })();
      noKey = () => 'no TGT session key or authenticator subkey learnt from an earlier TGS-REQ';
    }
    const o = this.open<EncKdcRepPart>(
      'enc-part',
      rep.encPart,
      attempts,
      { types: ['EncASRepPart', 'EncTGSRepPart'] },
      noKey,
      kind === 'as' ? 3 : 8,
    );
    if (o.value) this.ring.learnTicketKey(rep.ticket.encPart.cipher, keyOf(o.value.key), this.frame);
    this.ticket('ticket', rep.ticket);
  }

  krbError(err: KrbError, lastClient: PrincipalRef | undefined): void {
    if (!err.eData) return;
    const client = refOf(err.cname, err.crealm ?? err.realm) ?? lastClient;
    try {
      this.learnSalts(decodeMethodData(err.eData), client);
    } catch {
      // e-data that is not METHOD-DATA (TYPED-DATA, or opaque) carries no salt
    }
  }

  apExchangeKeys(etype: number, usage: number, withSubkeys: boolean): Attempt[] {
    const out: Attempt[] = [];
    for (const r of this.ring.requests('ap')) {
      if (withSubkeys && r.subkey) out.push({ cand: r.subkey, usage });
      if (r.sessionKey) out.push({ cand: r.sessionKey, usage });
    }
    if (withSubkeys) for (const k of this.ring.learnt('subkey', etype)) out.push({ cand: k, usage });
    for (const k of this.ring.learnt('ticket', etype)) out.push({ cand: k, usage });
    for (const cand of this.ring.givenKeys(etype)) out.push({ cand, usage });
    return out;
  }

  apRep(rep: ApRep): void {
    const o = this.open<EncApRepPart>(
      'enc-part',
      rep.encPart,
      this.apExchangeKeys(rep.encPart.etype, 12, true),
      { types: ['EncAPRepPart'] },
      () => 'no session key learnt from an earlier AP-REQ',
      12,
    );
    if (o.value?.subkey) this.ring.learn('subkey', keyOf(o.value.subkey), this.frame);
  }

  krbPriv(priv: KrbPriv): void {
    this.open(
      'enc-part',
      priv.encPart,
      this.apExchangeKeys(priv.encPart.etype, 13, true),
      { types: ['EncKrbPrivPart'] },
      () => 'no session key or subkey learnt from an earlier AP exchange',
      13,
    );
  }

  krbCred(cred: KrbCred): void {
    cred.tickets.forEach((t, i) => this.ticket(`tickets[${i}]`, t));
    const o = this.open<EncKrbCredPart>(
      'enc-part',
      cred.encPart,
      this.apExchangeKeys(cred.encPart.etype, 14, true),
      { types: ['EncKrbCredPart'] },
      () => 'no session key or subkey learnt from an earlier AP exchange',
      14,
    );
    o.value?.ticketInfo.forEach((info, i) => {
      const t = cred.tickets[i];
      if (t) this.ring.learnTicketKey(t.encPart.cipher, keyOf(info.key), this.frame);
    });
  }
}

/** MS-PAC §2.8.2: the ticket checksum covers the EncTicketPart with the PAC replaced by one zero byte. */
export function ticketWithPacZeroed(etp: EncTicketPart): Uint8Array | undefined {
  try {
    const ad = etp.authorizationData?.map((e) => {
      if (e.adType !== 1) return e;
      const inner = decodeAdIfRelevant(e.adData);
      if (!inner.some((x) => x.adType === 128)) return e;
      return {
        adType: 1,
        adData: encodeAdIfRelevant(
          inner.map((x) => (x.adType === 128 ? { adType: 128, adData: new Uint8Array([0]) } : x)),
        ),
      };
    });
    return encodeEncTicketPart({ ...etp, ...(ad ? { authorizationData: ad } : {}) });
  } catch {
    return undefined;
  }
}

/** Per-KeyRing memory across messages that is not a key: the last AS client, for errors that name none. */
const lastAsClient = new WeakMap<KeyRing, PrincipalRef>();

/**
 * Opens every encrypted part of one decoded message that the keyring allows, learning the keys it
 * reveals into the keyring (with `frame`). Returns the parts in the order met.
 */
export function openMessage(decoded: DecodedKerberos, ring: KeyRing, options: OpenOptions = {}): EncPart[] {
  const m = new MessageOpener(ring, options.frame ?? 1);
  switch (decoded.type) {
    case 'AS-REQ': {
      const body = decoded.value.reqBody;
      const client = refOf(body.cname, body.realm);
      if (client) lastAsClient.set(ring, client);
      m.kdcReq(decoded.value, 'as');
      break;
    }
    case 'TGS-REQ':
      m.kdcReq(decoded.value, 'tgs');
      break;
    case 'AS-REP':
      m.kdcRep(decoded.value, 'as');
      break;
    case 'TGS-REP':
      m.kdcRep(decoded.value, 'tgs');
      break;
    case 'KRB-ERROR':
      m.krbError(decoded.value, lastAsClient.get(ring));
      break;
    case 'AP-REQ': {
      const keys = m.apReq('', decoded.value, 11);
      if (keys) {
        ring.rememberRequest({
          frame: m.frame,
          kind: 'ap',
          sessionKey: keys.sessionKey,
          ...(keys.subkey ? { subkey: keys.subkey } : {}),
        });
      }
      break;
    }
    case 'AP-REP':
      m.apRep(decoded.value);
      break;
    case 'KRB-PRIV':
      m.krbPriv(decoded.value);
      break;
    case 'KRB-CRED':
      m.krbCred(decoded.value);
      break;
    case 'Ticket':
      m.ticket('', decoded.value);
      break;
    case 'EncTicketPart': {
      // Already plaintext: show its PAC, verified with whatever krbtgt key is at hand.
      const realm = decoded.value.crealm;
      attachPacs(decoded.tree, {
        kdcKeys: ring.krbtgtKeys(realm).map((c) => c.key),
        ticketForChecksum: () => ticketWithPacZeroed(decoded.value),
      });
      break;
    }
    default:
      break;
  }
  return m.parts;
}
