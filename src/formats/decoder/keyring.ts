/**
 * The keys a decoder may try, and the keys it learns as it reads, the way Wireshark's Kerberos dissector
 * does (packet-kerberos.c "key learning"): long-term keys from keytabs and from passwords (derived with
 * the salt ETYPE-INFO2 announced earlier, or the principal's default salt, RFC 4120 §4 and §5.2.7.5),
 * then the session keys and subkeys that opened parts reveal, each remembered with the frame that taught
 * it, so that a later part can say "session key learnt in frame 16".
 *
 * Pure: no I/O, no clock. Password-derived keys are computed once per (principal, enctype, salt,
 * iterations) and cached, since PBKDF2 is by far the slowest thing a decoder does.
 */
import { findEnctype, principalSalt, stringToKey, type Key } from '../../crypto';
import { toHex } from '../../util/bytes';
import { KrbPlayError } from '../../util/errors';
import type { Keytab, KeytabEntry } from '../keytab';
import { formatPrincipal, NT, parsePrincipal, type Principal } from '../../asn1/principal';

/** A key to try, with the words that say where it came from ("keytab alice@EXAMPLE.TEST kvno 1"). */
export interface Candidate {
  readonly key: Key;
  readonly label: string;
}

/** A principal as messages carry it: name components and the realm they belong to. */
export interface PrincipalRef {
  readonly nameType?: number;
  readonly components: readonly string[];
  readonly realm: string;
}

/** What a session key is for; the decoder asks for keys by role. */
export type SessionRole =
  /** The key of a ticket (EncTicketPart.key, EncKDCRepPart.key): tickets are matched by their cipher. */
  | 'ticket'
  /** An authenticator's subkey. */
  | 'subkey'
  /** The FAST armor key (RFC 6113 §5.4.1.1, KRB-FX-CF2). */
  | 'armor'
  /** A FAST-strengthened reply key (RFC 6113 §5.4.3). */
  | 'strengthened';

/** A session key learnt from a decrypted part. */
export interface LearntKey extends Candidate {
  readonly role: SessionRole;
  /** The frame whose message revealed it. */
  readonly frame: number;
}

/** What a TGS-REQ or AP-REQ revealed once its authenticator opened: the keys its answer may use. */
export interface RequestKeys {
  readonly frame: number;
  readonly kind: 'as' | 'tgs' | 'ap';
  /** The ticket's session key (TGS-REP usage 8; AP-REP usage 12); an armored AS-REQ has none. */
  readonly sessionKey?: LearntKey;
  /** The authenticator's subkey (TGS-REP usage 9). */
  readonly subkey?: LearntKey;
  /** The FAST armor key of a TGS-REQ (RFC 6113 §5.4.1.1). */
  readonly armorKey?: LearntKey;
}

interface PasswordEntry {
  readonly principal: Principal;
  readonly password: string;
}

interface SaltInfo {
  readonly salt: string | Uint8Array;
  readonly s2kparams?: Uint8Array;
}

/** How many learnt requests are kept for matching replies: captures are long, answers come soon. */
const MAX_PENDING = 64;

/** Services whose tickets' keys are remembered (see `ticketOpened`); the oldest are forgotten first. */
const MAX_SERVICES_REMEMBERED = 4096;

/**
 * What tickets of one service (one kvno and enctype) taught about the keytab's other keys: the key that
 * opened one, and how many of its tickets each other key failed to open.
 */
interface ServiceKeys {
  opener?: Candidate;
  failures: Map<Candidate, number>;
}

/** "name/instance@REALM" with the realm upper-cased, for matching principals loosely on realm case. */
function principalKey(p: PrincipalRef | Principal): string {
  const components = 'components' in p ? p.components : p.name.nameString;
  return `${components.join('/')}@${p.realm.toUpperCase()}`;
}

/** Failed tickets after which a key is not tried again on a service's tickets (see `ticketOpened`). */
const RULED_OUT = 2;

/** A service's key identity: its name, the enctype and the kvno of the enc-part. */
function serviceId(p: PrincipalRef, etype: number, kvno: number): string {
  return `${principalKey(p)}|${etype}|${kvno}`;
}

/** An NT-ENTERPRISE name (RFC 6806 §5) "user@dns.domain" stands for user@REALM: compare on that. */
function enterpriseUser(p: PrincipalRef): PrincipalRef | undefined {
  if (p.components.length !== 1) return undefined;
  const at = p.components[0]!.lastIndexOf('@');
  if (at <= 0) return undefined;
  return { components: [p.components[0]!.slice(0, at)], realm: p.realm };
}

/** The principal as text, as labels and reasons print it. */
export function principalText(p: PrincipalRef): string {
  return formatPrincipal({
    realm: p.realm,
    name: { nameType: p.nameType ?? 1, nameString: [...p.components] },
  });
}

function sameKey(a: Key, b: Key): boolean {
  return a.etype === b.etype && toHex(a.bytes) === toHex(b.bytes);
}

/** A ticket's identity for key learning: its enc-part ciphertext (two tickets never share one). */
export function ticketId(cipher: Uint8Array): string {
  return `${cipher.length}:${toHex(cipher.subarray(0, 32))}:${toHex(cipher.subarray(cipher.length - 16))}`;
}

export class KeyRing {
  readonly #entries: KeytabEntry[] = [];
  readonly #passwords: PasswordEntry[] = [];
  readonly #given: Candidate[] = [];
  /** principalKey → etype → the salt ETYPE-INFO2 (or PW-SALT/ETYPE-INFO) announced. */
  readonly #salts = new Map<string, Map<number, SaltInfo>>();
  readonly #derived = new Map<string, Key>();
  /** principalKey|etype → why a password's key for it was not made (2^24 iterations asked, say). */
  readonly #refused = new Map<string, string>();
  readonly #tickets = new Map<string, LearntKey>();
  readonly #requests: RequestKeys[] = [];
  readonly #learnt: LearntKey[] = [];
  /** One Candidate per keytab entry, its label written once, so that keys can be told apart by identity. */
  readonly #entryCandidates = new Map<KeytabEntry, Candidate>();
  readonly #keytabCandidates = new Set<Candidate>();
  readonly #services = new Map<string, ServiceKeys>();

  /** Adds every entry of a keytab (service keys, krbtgt keys, users' keys: all are tried where they fit). */
  addKeytab(keytab: Keytab | readonly KeytabEntry[]): this {
    const entries: readonly KeytabEntry[] = Array.isArray(keytab) ? keytab : (keytab as Keytab).entries;
    for (const e of entries) this.#entries.push(e);
    return this;
  }

  /** A password for a principal ("alice@EXAMPLE.TEST"): its keys are derived when a part needs them. */
  addPassword(principal: string | Principal, password: string): this {
    const p = typeof principal === 'string' ? parsePrincipal(principal, undefined, NT.PRINCIPAL) : principal;
    this.#passwords.push({ principal: p, password });
    return this;
  }

  /** A raw key to try on any part of its enctype (a session key the user knows, say). */
  addKey(key: Key, label = `key given (etype ${key.etype})`): this {
    this.#given.push({ key, label });
    return this;
  }

  get keytabEntries(): readonly KeytabEntry[] {
    return this.#entries;
  }

  /** Remembers the salt a KDC announced for a principal (ETYPE-INFO2, RFC 4120 §5.2.7.5). */
  learnSalt(principal: PrincipalRef, etype: number, salt: string | Uint8Array, s2kparams?: Uint8Array): void {
    const k = principalKey(principal);
    let m = this.#salts.get(k);
    if (!m) this.#salts.set(k, (m = new Map()));
    m.set(etype, { salt, ...(s2kparams ? { s2kparams } : {}) });
  }

  /**
   * The long-term keys of a principal for an enctype: keytab entries of that principal and kvno
   * (any kvno when the part names none), then keys derived from its password.
   */
  longTermKeys(principal: PrincipalRef, etype: number, kvno?: number): Candidate[] {
    const out: Candidate[] = [];
    for (const e of this.#entries) {
      if (e.key.etype !== etype || !this.#matches(e.principal, principal)) continue;
      if (kvno !== undefined && e.kvno !== kvno) continue;
      out.push(this.#candidateOf(e));
    }
    for (const pw of this.#passwords) {
      if (!this.#matches(pw.principal, principal)) continue;
      const key = this.#derive(pw, principal, etype);
      if (key) out.push({ key, label: `password of ${formatPrincipal(pw.principal)}` });
    }
    return out;
  }

  /**
   * Why a password given for this principal could not make its key of this enctype (the salt information
   * asked for a string-to-key the crypto layer refuses), in words for the part's reason; else undefined.
   */
  passwordRefusal(principal: PrincipalRef, etype: number): string | undefined {
    return this.#refused.get(`${principalKey(principal)}|${etype}`);
  }

  /** Keytab kvnos held for a principal and enctype: says "the keytab has kvno 1" when kvno 2 is wanted. */
  kvnosHeld(principal: PrincipalRef, etype: number): number[] {
    return this.#entries
      .filter((e) => e.key.etype === etype && this.#matches(e.principal, principal))
      .map((e) => e.kvno);
  }

  /**
   * Keytab keys of other principals with this enctype (and kvno, when named), tried last as Wireshark
   * tries its whole keytab: a ticket for an alias or a differently spelt name still opens. The key that
   * opened a ticket of the same service before comes first; keys ruled out for it (see `ticketOpened`)
   * are left out.
   */
  otherKeys(principal: PrincipalRef, etype: number, kvno?: number): Candidate[] {
    const known = kvno !== undefined ? this.#services.get(serviceId(principal, etype, kvno)) : undefined;
    const out: Candidate[] = [];
    for (const e of this.#entries) {
      if (e.key.etype !== etype || (kvno !== undefined && e.kvno !== kvno)) continue;
      if (this.#matches(e.principal, principal)) continue;
      const c = this.#candidateOf(e);
      if (known && (known.failures.get(c) ?? 0) >= RULED_OUT) continue;
      if (c === known?.opener) out.unshift(c);
      else out.push(c);
    }
    return out;
  }

  /** How many keytab keys `otherKeys` leaves out for this service, having ruled them out. */
  ruledOut(principal: PrincipalRef, etype: number, kvno?: number): number {
    const known = kvno !== undefined ? this.#services.get(serviceId(principal, etype, kvno)) : undefined;
    if (!known) return 0;
    let n = 0;
    for (const count of known.failures.values()) if (count >= RULED_OUT) n++;
    return n;
  }

  /**
   * What trying keys on a ticket of `service` (kvno and enctype as its enc-part names them) showed:
   * `failed`, the keys whose integrity check failed, and `opener`, the key that opened it, if one did.
   *
   * A service has one key per kvno and enctype, so a key that fails on one of its tickets fails on all
   * of them: it is not tried again once that is sure, which is when another key opened the same ticket,
   * or when it failed on two different tickets (a single ticket damaged in the capture proves nothing).
   * Without this, every ticket of a capture paid one decryption per keytab key: 2,000 AS-REPs against a
   * 256-key keytab meant half a million failed decryptions. Without a kvno nothing is learnt (the
   * service's key may differ from ticket to ticket).
   */
  ticketOpened(
    service: PrincipalRef,
    etype: number,
    kvno: number | undefined,
    failed: readonly Candidate[],
    opener: Candidate | undefined,
  ): void {
    if (kvno === undefined) return;
    const id = serviceId(service, etype, kvno);
    let known = this.#services.get(id);
    if (known) this.#services.delete(id);
    else known = { failures: new Map() };
    this.#services.set(id, known); // most recently used last
    if (this.#services.size > MAX_SERVICES_REMEMBERED) {
      this.#services.delete(this.#services.keys().next().value as string);
    }
    for (const c of failed) {
      if (!this.#keytabCandidates.has(c)) continue; // only keytab keys are remembered; a given key is tried every time
      known.failures.set(c, opener ? RULED_OUT : (known.failures.get(c) ?? 0) + 1);
    }
    if (opener && this.#keytabCandidates.has(opener)) known.opener = opener;
  }

  /** Keys given as such (addKey), for an enctype. */
  givenKeys(etype: number): Candidate[] {
    return this.#given.filter((c) => c.key.etype === etype);
  }

  /**
   * krbtgt/REALM@REALM keys: they sign a PAC's KDC, ticket and full checksums (MS-PAC §2.8). An Active
   * Directory keytab may name the same key by its account, `krbtgt@REALM` (Samba's `samba-tool domain
   * exportkeytab` does): that entry counts too.
   */
  krbtgtKeys(realm: string): Candidate[] {
    const all: Candidate[] = [];
    for (const etype of new Set([...this.#entries.map((e) => e.key.etype), 18, 17, 20, 19, 23])) {
      all.push(...this.longTermKeys({ components: ['krbtgt', realm], realm }, etype));
      all.push(...this.longTermKeys({ components: ['krbtgt'], realm }, etype));
    }
    return all;
  }

  /** Remembers the session key of a ticket (from EncTicketPart, or from the reply that carried it). */
  learnTicketKey(cipher: Uint8Array, key: Key, frame: number): LearntKey {
    const id = ticketId(cipher);
    const known = this.#tickets.get(id);
    if (known && sameKey(known.key, key)) return known;
    const learnt: LearntKey = { key, frame, role: 'ticket', label: `session key learnt in frame ${frame}` };
    this.#tickets.set(id, learnt);
    this.#learnt.push(learnt);
    return learnt;
  }

  /** The session key of a ticket seen before, if a decrypted part revealed it. */
  ticketKey(cipher: Uint8Array): LearntKey | undefined {
    return this.#tickets.get(ticketId(cipher));
  }

  /** Makes a learnt key of another role (subkey, armor key, strengthened reply key) and remembers it. */
  learn(role: Exclude<SessionRole, 'ticket'>, key: Key, frame: number): LearntKey {
    const learnt = this.candidate(role, key, frame);
    this.#learnt.push(learnt);
    return learnt;
  }

  /** The same as learn, without remembering: for a key that is only a guess until it opens something. */
  candidate(role: Exclude<SessionRole, 'ticket'>, key: Key, frame: number): LearntKey {
    const label =
      role === 'subkey'
        ? `authenticator subkey learnt in frame ${frame}`
        : role === 'armor'
          ? `FAST armor key (KRB-FX-CF2) from frame ${frame}`
          : `FAST strengthened reply key (KRB-FX-CF2) from frame ${frame}`;
    return { key, frame, role, label };
  }

  /** Records what a request's authenticator revealed, for its reply. */
  rememberRequest(keys: RequestKeys): void {
    this.#requests.push(keys);
    if (this.#requests.length > MAX_PENDING) this.#requests.shift();
  }

  /** Requests seen so far of a kind, newest first. */
  requests(kind: 'as' | 'tgs' | 'ap'): RequestKeys[] {
    return this.#requests.filter((r) => r.kind === kind).reverse();
  }

  /** Every learnt key of a role and enctype, newest first. */
  learnt(role: SessionRole, etype?: number): LearntKey[] {
    return this.#learnt
      .filter((k) => k.role === role && (etype === undefined || k.key.etype === etype))
      .reverse();
  }

  #candidateOf(e: KeytabEntry): Candidate {
    let c = this.#entryCandidates.get(e);
    if (!c) {
      c = { key: e.key, label: `keytab ${formatPrincipal(e.principal)} kvno ${e.kvno}` };
      this.#entryCandidates.set(e, c);
      this.#keytabCandidates.add(c);
    }
    return c;
  }

  #matches(have: Principal, want: PrincipalRef): boolean {
    const h = principalKey(have);
    if (h === principalKey(want)) return true;
    const ent = enterpriseUser(want);
    return ent !== undefined && h === principalKey(ent);
  }

  #derive(pw: PasswordEntry, asked: PrincipalRef, etype: number): Key | undefined {
    const info = findEnctype(etype);
    if (!info?.implemented) return undefined;
    const learnt =
      this.#salts.get(principalKey(asked))?.get(etype) ??
      this.#salts.get(principalKey(pw.principal))?.get(etype);
    // RFC 4120 §4: without ETYPE-INFO2, the salt is the realm and the name components of the principal.
    const salt = learnt?.salt ?? principalSalt(pw.principal.realm, pw.principal.name.nameString);
    const saltHex = typeof salt === 'string' ? `s:${salt}` : `x:${toHex(salt)}`;
    const params = learnt?.s2kparams ? toHex(learnt.s2kparams) : '';
    const cacheKey = `${principalKey(pw.principal)}|${pw.password}|${etype}|${saltHex}|${params}`;
    let key = this.#derived.get(cacheKey);
    if (!key) {
      try {
        key = stringToKey(etype, pw.password, salt, learnt?.s2kparams ? { s2kparams: learnt.s2kparams } : {});
      } catch (e) {
        if (!(e instanceof KrbPlayError)) throw e;
        // the part stays closed and says why; the decoder goes on with the other parts and messages
        this.#refused.set(
          `${principalKey(asked)}|${etype}`,
          `the password of ${formatPrincipal(pw.principal)} was not used: ${e.message}`,
        );
        return undefined;
      }
      this.#refused.delete(`${principalKey(asked)}|${etype}`);
      this.#derived.set(cacheKey, key);
    }
    return key;
  }
}
