/**
 * Every key a KDC configuration makes from a password, listed before the KDC is built, so that a host
 * with a fast PBKDF2 (OpenSSL in krbplay, WebCrypto in the page's worker, after it has shown the world) can
 * make them all ahead, several at once; the KDC, which makes each key when first used
 * (protocol/long-term-key.ts), then finds it made (the crypto layer remembers them) instead of running the
 * pure-JS PBKDF2 for every principal and enctype in turn. A hundred password principals with the default
 * five enctypes are 400 AES keys, 32768 HMAC-SHA-384 rounds each for enctype 20: that was 25-29 s.
 *
 * The list follows src/kdc/config.ts (passwordKeys and its callers): a principal's enctypes, else its
 * realm's, else 18, 17, 20, 19, 23; its salt, else the realm and its name; krbtgtPassword with the krbtgt
 * salt; each trust, both ways, with krbtgt/TO@FROM's salt and the trust's enctypes, else 18, 17. A key
 * left out is not wrong, only slow: the KDC makes it itself. (The tests check that nothing is left out.)
 */
import {
  findEnctype,
  isStringToKeyRemembered,
  USABLE_ENCTYPES,
  principalSalt,
  stringToKeyAsync,
  type Pbkdf2Provider,
  type StringToKeyParams,
} from '../crypto';
import type { KdcConfig } from '../kdc';
import { KrbPlayError } from '../util/errors';

export interface PasswordKey {
  readonly etype: number;
  readonly password: string;
  readonly salt: string;
  /** The principal's own count, when it has one. */
  readonly iterations?: number;
}

const REALM_DEFAULT_ETYPES = [18, 17, 20, 19, 23];
const TRUST_DEFAULT_ETYPES = [18, 17];

/** The enctypes a KDC makes keys of (rc4-hmac's costs one MD4, but is listed too); unknown ones skipped. */
function usable(list: unknown, fallback: readonly number[]): number[] {
  const names: unknown[] = Array.isArray(list) ? list : [...fallback];
  return names
    .map((e) => (typeof e === 'number' || typeof e === 'string' ? findEnctype(e)?.etype : undefined))
    .filter((e): e is number => e !== undefined && USABLE_ENCTYPES.includes(e));
}

/** The password keys of a configuration, each once. Malformed parts are skipped: the build names them. */
export function kdcPasswordKeys(config: KdcConfig): PasswordKey[] {
  const out = new Map<string, PasswordKey>();
  const add = (etypes: number[], password: unknown, salt: string, iterations?: unknown) => {
    if (typeof password !== 'string') return;
    const n = typeof iterations === 'number' ? iterations : undefined;
    for (const etype of etypes) {
      out.set(`${etype}|${n ?? ''}|${salt}|${password}`, {
        etype,
        password,
        salt,
        ...(n !== undefined ? { iterations: n } : {}),
      });
    }
  };
  for (const r of Array.isArray(config?.realms) ? config.realms : []) {
    if (typeof r?.name !== 'string') continue;
    const realmEtypes = usable(r.etypes, REALM_DEFAULT_ETYPES);
    for (const p of Array.isArray(r.principals) ? r.principals : []) {
      if (typeof p?.name !== 'string') continue;
      const salt = typeof p.salt === 'string' ? p.salt : principalSalt(r.name, p.name.split('/'));
      add(p.etypes !== undefined ? usable(p.etypes, []) : realmEtypes, p.password, salt, p.iterations);
    }
    if (r.krbtgtPassword) add(realmEtypes, r.krbtgtPassword, principalSalt(r.name, ['krbtgt', r.name]));
  }
  for (const t of Array.isArray(config?.trusts) ? config.trusts : []) {
    if (typeof t?.from !== 'string' || typeof t.to !== 'string') continue;
    const etypes = usable(t.etypes, TRUST_DEFAULT_ETYPES);
    const directions = t.bidirectional
      ? [
          [t.from, t.to],
          [t.to, t.from],
        ]
      : [[t.from, t.to]];
    for (const [from, to] of directions) add(etypes, t.password, principalSalt(from!, ['krbtgt', to!]));
  }
  return [...out.values()];
}

const paramsOf = (k: PasswordKey): StringToKeyParams =>
  k.iterations !== undefined ? { iterations: k.iterations } : {};

/**
 * Makes the keys not made yet with the host's PBKDF2, `parallel` at a time. A key string-to-key refuses
 * (a bad count) or the host fails to make is skipped: building the KDC then says what is wrong, or makes
 * it the slow way.
 */
export async function makePasswordKeysAhead(
  keys: readonly PasswordKey[],
  pbkdf2: Pbkdf2Provider,
  parallel = 8,
): Promise<number> {
  const todo = keys.filter((k) => {
    try {
      return !isStringToKeyRemembered(k.etype, k.password, k.salt, paramsOf(k));
    } catch (e) {
      if (e instanceof KrbPlayError) return false;
      throw e;
    }
  });
  let next = 0;
  let made = 0;
  const worker = async () => {
    while (next < todo.length) {
      const k = todo[next++]!;
      try {
        await stringToKeyAsync(k.etype, k.password, k.salt, paramsOf(k), undefined, pbkdf2);
        made++;
      } catch {
        // left for the KDC to make, or to refuse with the field named
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, todo.length) }, worker));
  return made;
}
