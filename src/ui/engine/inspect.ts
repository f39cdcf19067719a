/**
 * The inspector's view of one traced message: its decoded tree with every encrypted part opened inline,
 * the plaintext bytes of each part (so the hex dump can highlight a field inside it), and the key and key
 * usage that opened it.
 *
 * The world's KDCs hold every long-term key (users', services', krbtgt and trust keys), so a KeyRing made
 * of them opens every ticket and every AS-REP; the session keys and subkeys those reveal open the rest,
 * as Wireshark's key learning does. Messages are decoded in trace order with one ring, each once.
 */
import type { KrbNode } from '../../asn1';
import { NT, parsePrincipal } from '../../asn1/principal';
import { decrypt, IntegrityError, type Key } from '../../crypto';
import {
  decodeMessage,
  KeyRing,
  keyThatOpened,
  messageNode,
  nodeAtPath,
  type DecodedMessage,
  type EncPart,
} from '../../formats/decoder';
import type { KeytabEntry } from '../../formats';
import { equalBytes, fromHex, toHex } from '../../util/bytes';
import { KrbPlayError } from '../../util/errors';
import type { KdcActorState, TraceEvent } from '../../world';
import { baseName, describeValue, enctypeName, keyText, usageText } from './describe';
import type { PartView, PasswordGiven, PasswordKeyView, ViewNode } from './protocol';
import { keyOf } from '../../protocol/long-term-key';

/** The long-term keys of every principal the world's KDCs hold, once each (trust keys sit in both). */
export function worldKeytab(state: { readonly kdcs: readonly KdcActorState[] }): KeytabEntry[] {
  const seen = new Set<string>();
  const entries: KeytabEntry[] = [];
  for (const kdc of state.kdcs) {
    for (const realm of kdc.state.realms) {
      for (const p of realm.principals) {
        for (const k of p.keys) {
          const id = `${p.name.nameString.join('/')}@${p.realm}|${k.etype}|${k.kvno}`;
          if (seen.has(id)) continue;
          seen.add(id);
          entries.push({
            principal: {
              realm: p.realm,
              name: { nameType: p.name.nameType, nameString: [...p.name.nameString] },
            },
            timestamp: 0,
            kvno: k.kvno,
            key: { etype: k.etype, bytes: keyOf(k).slice() },
          });
        }
      }
    }
  }
  return entries;
}

export interface InspectedMessage {
  tree?: ViewNode;
  parts: PartView[];
  problem?: string;
}

/** The keys an inspector opens messages with: a world's KDCs, or what a capture's reader was given. */
export type InspectorKeys =
  | { readonly kdcs: readonly KdcActorState[] }
  | { readonly keytab: readonly KeytabEntry[]; readonly passwords?: readonly PasswordGiven[] };

/** What the inspector needs of a trace event: its number, kind, type and bytes. */
export type InspectableEvent = Pick<TraceEvent, 'seq' | 'kind' | 'type' | 'bytes'>;

export class TraceInspector {
  readonly #ring: KeyRing;
  readonly #longTerm: Key[];
  readonly #done = new Map<number, InspectedMessage>();
  /** The bytes of each message decoded, by number: what `follows` checks a trace against. */
  readonly #bytesOf = new Map<number, Uint8Array>();
  readonly #passwordKey: (key: Key) => PasswordKeyView | undefined;
  readonly #passwords: readonly PasswordGiven[];
  #decodedUpTo = 0;
  /** Told of each message as it is decoded (a capture's run reads its type, times and tickets). */
  onDecoded: ((seq: number, m: DecodedMessage) => void) | undefined;

  /** `passwordKey` says which password made a long-term key, when one did (reproduce.ts). */
  constructor(keys: InspectorKeys, passwordKey: (key: Key) => PasswordKeyView | undefined = () => undefined) {
    const keytab = 'kdcs' in keys ? worldKeytab(keys) : keys.keytab;
    this.#passwords = 'kdcs' in keys ? [] : (keys.passwords ?? []);
    this.#ring = new KeyRing().addKeytab(keytab);
    for (const p of this.#passwords) this.#ring.addPassword(p.principal, p.password);
    this.#longTerm = keytab.map((e) => e.key);
    this.#passwordKey = passwordKey;
  }

  /**
   * Whether `trace` still tells the story this inspector has read: at every number it has read, the same
   * message, byte for byte (or still none). An insert at an earlier step plays the later steps again, and
   * their numbers may then name other messages: the inspector cannot unlearn what it read, so it is made
   * again (engine.ts).
   */
  follows(trace: readonly InspectableEvent[]): boolean {
    for (const e of trace) {
      if (e.seq > this.#decodedUpTo) break;
      const had = this.#bytesOf.get(e.seq);
      const has = e.kind === 'message' ? e.bytes : undefined;
      if (had === has) continue;
      if (!had || !has || !equalBytes(had, has)) return false;
    }
    return true;
  }

  /**
   * The message with sequence number `seq`. Every earlier message of `trace` is decoded first, in order,
   * so that the keys they reveal are known; `trace` must be the same story each time (a prefix of it).
   */
  inspect(trace: readonly InspectableEvent[], seq: number): InspectedMessage | undefined {
    for (const e of trace) {
      if (e.seq > seq) break;
      if (e.seq <= this.#decodedUpTo) continue;
      if (e.kind === 'message' && e.bytes) {
        this.#bytesOf.set(e.seq, e.bytes);
        this.#done.set(e.seq, this.#decode(e, trace));
      }
      this.#decodedUpTo = e.seq;
    }
    return this.#done.get(seq);
  }

  #decode(event: InspectableEvent, trace: readonly InspectableEvent[]): InspectedMessage {
    let m: DecodedMessage;
    try {
      m = decodeMessage(event.bytes!, this.#ring, { frame: event.seq });
    } catch (e) {
      if (!(e instanceof KrbPlayError)) throw e;
      return { parts: [], problem: `the bytes do not decode as Kerberos: ${e.message}` };
    }
    this.onDecoded?.(event.seq, m);
    const typeOf = (seq: number) => trace.find((x) => x.seq === seq)?.type;
    const located = locateParts(m);
    const parts: PartView[] = m.encParts.map((p, i) => {
      const view: PartView = {
        path: p.path,
        etype: enctypeName(p.etype),
        ...(p.kvno !== undefined ? { kvno: p.kvno } : {}),
        keyUsage: p.keyUsage,
        usageText: usageText(p.keyUsage),
        decrypted: p.decrypted,
        ...(p.key ? { key: keyText(p.key, typeOf) } : {}),
        ...(p.reason ? { reason: p.reason } : {}),
      };
      const cipher = located[i]?.cipher;
      if (p.decrypted && cipher) {
        const opened = this.#plaintext(p, cipher);
        if (opened) {
          view.plain = opened.plain;
          view.keyHex = toHex(opened.key.bytes);
          view.etypeNumber = opened.key.etype;
          const made = this.#passwordKey(opened.key);
          if (made) view.passwordKey = made;
        }
      }
      return view;
    });
    return { tree: viewTree(m.tree, m.encParts, located), parts };
  }

  /**
   * The plaintext of an opened part, decrypted again with the key the decoder opened it with (a
   * FAST-strengthened reply key included); failing that, the long-term keys and the learnt ones, of
   * which only the right one passes the integrity check.
   */
  #plaintext(part: EncPart, cipher: Uint8Array): { plain: Uint8Array; key: Key } | undefined {
    const used = keyThatOpened(part);
    const learnt = [
      ...this.#ring.learnt('ticket'),
      ...this.#ring.learnt('subkey'),
      ...this.#ring.learnt('armor'),
      ...this.#ring.learnt('strengthened'),
    ];
    for (const key of [
      ...(used ? [used] : []),
      ...learnt.map((k) => k.key),
      ...this.#longTerm,
      ...this.#fromPasswords(part),
    ]) {
      if (key.etype !== part.etype) continue;
      try {
        return { plain: decrypt(key, part.keyUsage, cipher), key };
      } catch (e) {
        if (e instanceof IntegrityError || e instanceof KrbPlayError) continue;
        throw e;
      }
    }
    return undefined;
  }

  /** The keys the passwords given make for a part's enctype, with the salts the capture announced. */
  #fromPasswords(part: EncPart): Key[] {
    return this.#passwords.flatMap((p) => {
      const named = parsePrincipal(p.principal, undefined, NT.PRINCIPAL);
      const ref = { nameType: named.name.nameType, components: named.name.nameString, realm: named.realm };
      return this.#ring.longTermKeys(ref, part.etype).map((c) => c.key);
    });
  }
}

interface Located {
  /** The EncryptedData node the part's path names. */
  node: KrbNode;
  cipher?: Uint8Array;
}

/**
 * Finds each part's EncryptedData node: by its path from the message, or, for a part inside another
 * part's plaintext (a ticket inside a decrypted KRB-CRED), from that plaintext.
 */
export function locateParts(m: Pick<DecodedMessage, 'tree' | 'type' | 'encParts'>): (Located | undefined)[] {
  const top = messageNode(m);
  return m.encParts.map((p) => {
    const holder = m.encParts
      .filter((q) => q !== p && q.plain && p.path.startsWith(`${q.path}.`))
      .sort((a, b) => b.path.length - a.path.length)[0];
    const node = holder
      ? nodeAtPath(holder.plain!, p.path.slice(holder.path.length + 1))
      : nodeAtPath(top, p.path);
    if (!node) return undefined;
    const c = cipherOf(node)?.value;
    let cipher: Uint8Array | undefined;
    if (typeof c === 'string') {
      try {
        cipher = fromHex(c);
      } catch {
        cipher = undefined;
      }
    }
    return { node, ...(cipher ? { cipher } : {}) };
  });
}

/**
 * The `cipher` field of an EncryptedData node; a PA-DATA's padata-value holds its EncryptedData one
 * level down (an OCTET STRING with DER inside), so single-child wrappers are looked through.
 */
function cipherOf(node: KrbNode): KrbNode | undefined {
  let n: KrbNode | undefined = node;
  for (let hops = 0; n && hops < 4; hops++) {
    const kids: KrbNode[] = n.children ?? [];
    const hit = kids.find((x) => x.name === 'cipher');
    if (hit) return hit;
    n = kids.length === 1 ? kids[0] : undefined;
  }
  return undefined;
}

/**
 * The decoder's tree as the page draws it: ids, values phrased, and each opened part's plaintext tree
 * hung under its EncryptedData node (in its own byte space, so the hex dump knows which bytes to show).
 */
export function viewTree(
  root: KrbNode,
  parts: readonly EncPart[],
  located: readonly (Located | undefined)[],
): ViewNode {
  const partAt = new Map<KrbNode, number[]>();
  located.forEach((l, i) => {
    if (l) partAt.set(l.node, [...(partAt.get(l.node) ?? []), i]);
  });
  const convert = (n: KrbNode, id: string, space: number, parent: string): ViewNode => {
    const v: ViewNode = { id, name: n.name, tag: n.tag, space, offset: n.offset, length: n.length };
    if (n.value !== undefined) {
      const shown = describeValue(n.name, n.value, parent);
      v.value = shown.value;
      if (shown.note) v.note = shown.note;
    }
    const kids = (n.children ?? []).map((c, i) => convert(c, `${id}.${i}`, space, baseName(n.name)));
    for (const i of partAt.get(n) ?? []) {
      v.part = i;
      const plain = parts[i]?.plain;
      if (plain) kids.push(convert(plain, `p${i + 1}`, i + 1, ''));
    }
    if (kids.length > 0) v.children = kids;
    return v;
  };
  return convert(root, '0', 0, '');
}
