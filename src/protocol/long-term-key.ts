/**
 * A long-term key as the KDC's database and a service's keytab hold it, made from its password only when
 * first used: PBKDF2 is slow on purpose, and building a world (the page's first paint waits for it)
 * should not wait for keys no step has needed yet. The key is then kept in the entry, so a snapshot
 * taken after carries it; a snapshot taken before makes it again, from the memo below or the crypto
 * layer's (where the page's worker puts the keys it makes ahead with the browser's PBKDF2).
 */
import { stringToKey } from '../crypto';
import { KrbPlayError } from '../util/errors';

export interface LongTermKey {
  etype: number;
  kvno: number;
  /** The key's bytes: read them with keyOf, which makes them from `from` the first time. */
  key?: Uint8Array;
  /** The password, salt and count the key is made from, until keyOf has made it. */
  from?: { password: string; salt: string; iterations?: number };
}

// the same password, salt and enctype give the same key: a bounded memo spares rebuilt worlds the cost
const memo = new Map<string, Uint8Array>();
const MEMO_ENTRIES = 512;

/** A key from a password (string-to-key, remembered): a copy of its bytes. */
export function deriveKey(
  etype: number,
  password: string,
  salt: string,
  iterations: number | undefined,
): Uint8Array {
  // a JSON array keeps the parts apart whatever characters a password or a salt holds
  const id = JSON.stringify([etype, password, salt, iterations ?? null]);
  let key = memo.get(id);
  if (!key) {
    key = stringToKey(etype, password, salt, iterations === undefined ? {} : { iterations }).bytes;
    if (memo.size >= MEMO_ENTRIES) memo.delete(memo.keys().next().value as string);
    memo.set(id, key);
  }
  return key.slice();
}

/** A key's bytes, made from its password the first time they are wanted and kept in the entry. */
export function keyOf(k: LongTermKey): Uint8Array {
  if (k.key) return k.key;
  if (!k.from) {
    throw new KrbPlayError(
      'config',
      `a key (enctype ${k.etype}, kvno ${k.kvno}) has neither its bytes nor a password`,
    );
  }
  k.key = deriveKey(k.etype, k.from.password, k.from.salt, k.from.iterations);
  delete k.from;
  return k.key;
}

/** A copy of a key that owns its bytes, and stays unmade if the original is. */
export function copyKey<K extends LongTermKey>(k: K): K {
  const { key, from, ...rest } = k;
  if (key) return { ...rest, key: key.slice() } as K;
  return { ...rest, ...(from ? { from: { ...from } } : {}) } as K;
}
