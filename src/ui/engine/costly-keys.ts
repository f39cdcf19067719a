/**
 * Keys a scenario will make from passwords with a costly PBKDF2: a principal whose `iterations` exceed
 * 2^18. Up to 2^24 - 1 is allowed (as MIT krb5), and at that count one key takes about a minute, so the
 * engine never derives one in the middle of building a world. It lists them first (costlyKeys), the page
 * asks the user, and the worker derives them ahead (deriveAhead: sliced, with progress, stoppable); the
 * crypto layer remembers each, so the KDC, the client and the decoder then find them made.
 *
 * The list follows the rules the world is built by: the KDC derives each enctype of the principal (its
 * own list, else its realm's, else 18, 17, 20, 19, 23) with its salt (its own, else realm and name); a
 * client signing in with another password (a wrong one, or a logon's own) derives the enctypes it offers
 * (default 18, 17, 23) that the KDC holds, with the salt and count the KDC announces.
 */
import {
  describeEnctype,
  findEnctype,
  isStringToKeyRemembered,
  principalSalt,
  stringToKeyAsync,
  type StringToKeyParams,
} from '../../crypto';
import { parsePrincipal } from '../../asn1/principal';
import { actionEntry, type Scenario } from '../../scenarios';
import type { CostlyKey } from './protocol';

/** Above this many iterations a key is derived ahead, with the user's consent, progress and a way out. */
export const ASK_ABOVE_ITERATIONS = 2 ** 18;

/** The realm's enctypes when neither the principal nor the realm lists them (src/kdc/config.ts). */
const KDC_DEFAULT_ETYPES = [18, 17, 20, 19, 23];
/** What a client offers when the scenario names no enctypes (src/client/machine.ts, as Windows). */
const CLIENT_DEFAULT_ETYPES = [18, 17, 23];

/** One key to make: what the page is told (CostlyKey), and the password it is made from. */
export interface KeyToMake extends CostlyKey {
  readonly etypeNumber: number;
  readonly password: string;
  readonly salt: string;
}

const etypeNumbers = (list: readonly (number | string)[]) =>
  list.map((e) => findEnctype(e)?.etype).filter((e): e is number => e !== undefined);

/** Every costly key the scenario's KDCs and clients will make, once each. */
export function costlyKeys(s: Scenario): KeyToMake[] {
  const out = new Map<string, KeyToMake>();
  s.kdc.realms.forEach((realm, ri) => {
    (realm.principals ?? []).forEach((p, pi) => {
      if (p.password === undefined || p.iterations === undefined || p.iterations <= ASK_ABOVE_ITERATIONS)
        return;
      const components = p.name.split('/');
      const principal = `${p.name}@${realm.name}`;
      const salt = p.salt ?? principalSalt(realm.name, components);
      const held = etypeNumbers(p.etypes ?? realm.etypes ?? KDC_DEFAULT_ETYPES).filter(
        (e) => findEnctype(e)?.defaultIterations,
      );
      const add = (etype: number, password: string, who: string) => {
        const id = `${etype}|${salt}|${p.iterations}|${password}`;
        if (out.has(id)) return;
        out.set(id, {
          principal,
          field: `kdc.realms[${ri}].principals[${pi}].iterations`,
          etype: describeEnctype(etype),
          iterations: p.iterations!,
          who,
          etypeNumber: etype,
          password,
          salt,
        });
      };
      for (const etype of held) add(etype, p.password, `the KDC of ${realm.name}`);
      for (const c of s.clients) {
        let user;
        try {
          user = parsePrincipal(c.user);
        } catch {
          continue; // the world build names a bad user; nothing to derive for it
        }
        if (user.realm !== realm.name || user.name.nameString.join('/') !== p.name) continue;
        const passwords = new Set([c.password]);
        for (const a of s.timeline) {
          // any action that types a password on the client's host (the table says which: logon, unlock)
          const typed = actionEntry(a.do).password?.(a as never);
          if (typed !== undefined && 'host' in a && a.host === c.host) passwords.add(typed);
        }
        passwords.delete(p.password);
        const offered = etypeNumbers(c.etypes ?? CLIENT_DEFAULT_ETYPES).filter((e) => held.includes(e));
        for (const pw of passwords) for (const etype of offered) add(etype, pw, `the client on ${c.host}`);
      }
    });
  });
  return [...out.values()];
}

const paramsOf = (k: KeyToMake): StringToKeyParams => ({ iterations: k.iterations });

/** The keys not made yet (a scenario played again in the same tab costs nothing the second time). */
export function stillToMake(keys: readonly KeyToMake[]): KeyToMake[] {
  return keys.filter((k) => !isStringToKeyRemembered(k.etypeNumber, k.password, k.salt, paramsOf(k)));
}

/** Progress over all the keys: which one is being made, and the PBKDF2 rounds of each. */
export interface AheadProgress {
  /** 0-based index of the key being made. */
  key: number;
  done: number;
  total: number;
}

/**
 * Makes each key with the sliced PBKDF2 (stringToKeyAsync), telling `progress` after every slice; a
 * `progress` that throws stops it (the error comes out, the key half-made is dropped, the ones made stay
 * remembered).
 */
export async function deriveAhead(
  keys: readonly KeyToMake[],
  progress: (p: AheadProgress) => Promise<void>,
): Promise<void> {
  for (const [i, k] of keys.entries()) {
    await progress({ key: i, done: 0, total: 1 });
    await stringToKeyAsync(k.etypeNumber, k.password, k.salt, paramsOf(k), (done, total) =>
      progress({ key: i, done, total }),
    );
  }
}
