/**
 * What the inspector needs to offer "reproduce it yourself" commands (src/formats/reproduce.ts writes
 * them): which password a long-term key was made from, and how `krbplay scenario run` stops after a step.
 * The page only gets facts; the commands are written where they are shown.
 */
import { formatPrincipal } from '../../asn1/principal';
import { isStringToKeyRemembered, iterationCount, stringToKey, findEnctype, type Key } from '../../crypto';
import { equalBytes, toHex, utf8 } from '../../util/bytes';
import { actionEntry, parseWhen, startOf, type Scenario } from '../../scenarios';
import type { KdcActorState } from '../../world';
import type { Player } from './player';
import type { PasswordKeyView, RerunView } from './protocol';
import { keyOf } from '../../protocol/long-term-key';

/** Every string a scenario gives as a password (KDC principals, krbtgt, trusts, clients, the timeline's). */
function passwordsOf(scenario: Scenario): string[] {
  const out = new Set<string>();
  const walk = (v: unknown, key: string): void => {
    if (typeof v === 'string') {
      if (/password$/i.test(key)) out.add(v);
    } else if (Array.isArray(v)) {
      for (const x of v) walk(x, key);
    } else if (typeof v === 'object' && v !== null) {
      for (const [k, x] of Object.entries(v)) walk(x, k);
    }
  };
  walk(scenario, '');
  return [...out];
}

/**
 * Finds, for a key the inspector opened a part with, the principal's key entry and the scenario password
 * it was made from. Only PBKDF2 derivations the crypto layer already made are tried (the inspector's keytab made
 * every password key of the world, worldKeytab in inspect.ts), so no PBKDF2 runs here.
 */
export function passwordKeyFinder(
  kdcs: readonly KdcActorState[],
  scenario: Scenario | undefined,
): (key: Key) => PasswordKeyView | undefined {
  const passwords = scenario ? passwordsOf(scenario) : [];
  const memo = new Map<string, PasswordKeyView | undefined>();
  return (key) => {
    const id = `${key.etype}:${toHex(key.bytes)}`;
    if (memo.has(id)) return memo.get(id);
    let found: PasswordKeyView | undefined;
    search: for (const kdc of kdcs) {
      for (const realm of kdc.state.realms) {
        for (const p of realm.principals) {
          for (const k of p.keys) {
            if (k.etype !== key.etype || !equalBytes(keyOf(k), key.bytes)) continue;
            const info = findEnctype(k.etype);
            const iterations =
              k.s2kparams && info?.defaultIterations
                ? iterationCount(k.etype, { s2kparams: k.s2kparams }, info.defaultIterations)
                : undefined;
            const params = iterations !== undefined ? { iterations } : {};
            const salt = k.salt ?? '';
            // rc4-hmac's string-to-key is one MD4 and takes no salt: cheap enough to run for each
            const cheap = info?.defaultIterations === null;
            for (const password of passwords) {
              if (!cheap && !isStringToKeyRemembered(k.etype, password, salt, params)) continue;
              if (!equalBytes(stringToKey(k.etype, password, salt, params).bytes, keyOf(k))) continue;
              found = {
                principal: formatPrincipal({ realm: p.realm, name: p.name }),
                kvno: k.kvno,
                etype: k.etype,
                password,
                saltHex: toHex(utf8(salt)),
                ...(iterations !== undefined ? { iterations } : {}),
              };
              break search;
            }
          }
        }
      }
    }
    memo.set(id, found);
    return found;
  };
}

/**
 * The `krbplay scenario run` line that plays the scenario up to the end of `step`, from the player's own
 * records. The runner's --until plays every action that starts at or before the stop time, an `advance`
 * up to it (src/scenarios/runner.ts), so the stop is the step's start, or an advance's end; when the
 * next action would start at that very instant the stop is 1 ms earlier for an advance, and otherwise
 * the view says the run plays the next step too.
 */
export function rerunOf(p: Player, step: number): RerunView {
  const scenario = p.scenario;
  const name = p.info.source === 'user' ? `${scenario.id}.json` : scenario.id;
  const file = p.info.source === 'user' ? { file: true as const } : {};
  const steps = p.steps();
  if (steps.slice(0, Math.min(step + 1, steps.length)).some((s) => s.injected)) {
    return { why: 'faults put in from the panel are not in the scenario, so no command replays them' };
  }
  if (step <= 0) return { why: 'step 0 is the world before anything happened' };
  if (step >= steps.length) return { scenario: name, ...file };
  const record = p.records[step - 1];
  const action = scenario.timeline[step - 1];
  const history = p.history();
  const next = scenario.timeline[step];
  if (!record || !action || !next || history.length <= step) {
    return { why: `step ${step} has not been played yet` };
  }
  const end = history[step]!.now;
  // how far the action itself moves the clock (the table says: an advance does)
  const effect = actionEntry(action.do).clock?.(action as never);
  const advance = effect && 'advance' in effect ? effect.advance : 0;
  let until = record.t + advance;
  const nextStart = next.at !== undefined ? (parseWhen(next.at, startOf(scenario)) ?? end) : end;
  let note: string | undefined;
  if (Math.max(nextStart, end) <= until) {
    if (advance > 0) {
      until -= 1;
      note = `the run stops 1 ms before this advance ends: step ${step + 1} starts at that very instant`;
    } else {
      note = `the run also plays step ${step + 1} (and any later step at the same instant): it starts at the very instant this one ends, and --until cannot stop between them`;
    }
  }
  return { scenario: name, ...file, until, ...(note ? { note } : {}) };
}
