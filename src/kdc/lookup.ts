/**
 * Finding things in the KDC's state: realms, principals (exact, case-insensitive for canonicalization,
 * by UPN for NT-ENTERPRISE names), keys by enctype and kvno, the next hop toward another realm, and the
 * realm a host belongs to.
 */
import type { PrincipalName } from '../asn1';
import { ErrorCode } from '../asn1/registry';
import { describeEnctype, findEnctype } from '../crypto';
import { formatPrincipal, NT } from '../asn1/principal';
import type { KdcState, KeyEntry, PrincipalEntry, RealmState } from './database';
import { KdcRefusal } from './refusal';

export function findRealm(state: KdcState, name: string): RealmState | undefined {
  return (
    state.realms.find((r) => r.name === name) ??
    state.realms.find((r) => r.name.toUpperCase() === name.toUpperCase())
  );
}

const isNamed = (p: PrincipalEntry, name: PrincipalName, realm: string) =>
  p.realm === realm &&
  p.name.nameString.length === name.nameString.length &&
  p.name.nameString.every((c, i) => c === name.nameString[i]);

const nameId = (realm: string, components: readonly string[]) => `${realm}\u0000${components.join('\u0000')}`;

/** Where each name@realm sits in a database's list, for the list it was made from. */
interface PrincipalIndex {
  list: readonly PrincipalEntry[];
  length: number;
  at: Map<string, number>;
}

const INDEX = Symbol('principal index');

/**
 * The index of a database's principals, kept beside the database as the KDC's caches are (memo.ts: a
 * snapshot leaves it behind) and made again when the list is another or has grown or shrunk. Entries are
 * added and removed, never renamed in place. The first entry of a name wins, as a scan finds it.
 */
function principalIndex(db: RealmState): PrincipalIndex {
  const held = (db as unknown as Record<symbol, PrincipalIndex | undefined>)[INDEX];
  if (held && held.list === db.principals && held.length === db.principals.length) return held;
  const at = new Map<string, number>();
  db.principals.forEach((p, i) => {
    const id = nameId(p.realm, p.name.nameString);
    if (!at.has(id)) at.set(id, i);
  });
  const made = { list: db.principals, length: db.principals.length, at };
  Object.defineProperty(db, INDEX, { value: made, enumerable: false, writable: false, configurable: true });
  return made;
}

/**
 * The entry named exactly name@realm: one Map lookup, where a scan of the list would read every account
 * of a large realm (10,000 users of a fleet) on every request. A found entry is checked to bear the name.
 */
function exactPrincipal(db: RealmState, name: PrincipalName, realm: string): PrincipalEntry | undefined {
  const i = principalIndex(db).at.get(nameId(realm, name.nameString));
  if (i === undefined) return undefined;
  const p = db.principals[i]!;
  return isNamed(p, name, realm) ? p : db.principals.find((e) => isNamed(e, name, realm));
}

/**
 * The entry for name@realm in a realm's database. With `canonicalize`, names match case-insensitively and
 * an NT-ENTERPRISE name ("alice@corp.contoso.com" as one component, RFC 6806 §5) is looked up by UPN.
 */
export function findPrincipal(
  db: RealmState,
  name: PrincipalName,
  realm: string,
  canonicalize = false,
): PrincipalEntry | undefined {
  const exact = exactPrincipal(db, name, realm);
  if (exact || !canonicalize) return exact;
  if (name.nameType === NT.ENTERPRISE && name.nameString.length === 1) {
    const upn = name.nameString[0]!.toLowerCase();
    const byUpn = db.principals.find((p) => p.upn?.toLowerCase() === upn);
    if (byUpn) return byUpn;
    const [user] = upn.split('@');
    return db.principals.find(
      (p) =>
        p.realm === db.name && p.name.nameString.length === 1 && p.name.nameString[0]!.toLowerCase() === user,
    );
  }
  return db.principals.find(
    (p) =>
      p.realm.toUpperCase() === realm.toUpperCase() &&
      p.name.nameString.length === name.nameString.length &&
      p.name.nameString.every((c, i) => c.toLowerCase() === name.nameString[i]!.toLowerCase()),
  );
}

/** The newest key of the first enctype in `preference` the principal has; undefined when none. */
export function pickKey(entry: PrincipalEntry, preference: readonly number[]): KeyEntry | undefined {
  for (const etype of preference) {
    const keys = entry.keys.filter((k) => k.etype === etype);
    if (keys.length > 0) return keys.reduce((a, b) => (b.kvno > a.kvno ? b : a));
  }
  return undefined;
}

/**
 * The key that must open an EncryptedData: same enctype, and the kvno if the sender named one.
 * No such key gives the error a real KDC or service gives (BADKEYVER 44, or ETYPE_NOSUPP 14).
 */
export function keyFor(
  entry: PrincipalEntry,
  etype: number,
  kvno: number | undefined,
  what: string,
): KeyEntry {
  const sameType = entry.keys.filter((k) => k.etype === etype);
  const who = formatPrincipal(entry);
  if (sameType.length === 0) {
    throw new KdcRefusal(
      ErrorCode.KDC_ERR_ETYPE_NOSUPP,
      `${what} is encrypted with ${describeEnctype(etype)}, but ${who} has no key of that type (it has ${entry.keys
        .map((k) => findEnctype(k.etype)?.name ?? k.etype)
        .join(', ')})`,
    );
  }
  if (kvno === undefined) return sameType.reduce((a, b) => (b.kvno > a.kvno ? b : a));
  const k = sameType.find((x) => x.kvno === kvno);
  if (!k) {
    throw new KdcRefusal(
      ErrorCode.KRB_AP_ERR_BADKEYVER,
      `${what} was made with key version ${kvno} of ${who}, but the database holds version ${sameType
        .map((x) => x.kvno)
        .join(', ')}: the key was changed since`,
    );
  }
  return k;
}

/**
 * The next realm on the way from `from` to `to` over the trusts (breadth-first, like MIT's capaths
 * computed from the trust graph). Undefined when no path exists.
 */
export function nextHop(state: KdcState, from: string, to: string): string | undefined {
  if (from === to) return undefined;
  const firstStep = new Map<string, string>();
  const queue = [from];
  const seen = new Set([from]);
  while (queue.length > 0) {
    const realm = queue.shift()!;
    for (const t of state.trusts) {
      if (t.from !== realm || seen.has(t.to)) continue;
      seen.add(t.to);
      firstStep.set(t.to, realm === from ? t.to : firstStep.get(realm)!);
      if (t.to === to) return firstStep.get(t.to);
      queue.push(t.to);
    }
  }
  return undefined;
}

/**
 * The realm a host belongs to, per the realm's host-to-realm table ([domain_realm]: an exact host name
 * wins over a ".suffix"; the longest suffix wins). Undefined when the table does not say.
 */
export function realmOfHost(db: RealmState, host: string): string | undefined {
  const h = host.toLowerCase();
  if (db.hostRealm[h]) return db.hostRealm[h];
  let best: [string, string] | undefined;
  for (const [domain, realm] of Object.entries(db.hostRealm)) {
    if (domain.startsWith('.') && (h.endsWith(domain) || h === domain.slice(1))) {
      if (!best || domain.length > best[0].length) best = [domain, realm];
    }
  }
  return best?.[1];
}
