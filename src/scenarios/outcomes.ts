/**
 * Checking a scenario's expected outcomes against a run: each predicate (schema.ts) is evaluated over the
 * action records, the trace and the clients' final credential caches, and says why when it does not hold.
 */
import { errorCodes } from '../asn1/registry';
import { parsePrincipal, sameName } from '../asn1/principal';
import type { TraceEvent, World } from '../world';
import type { ActionRecord } from './actions';
import type { Predicate, ScenarioOutcome } from './schema';

export interface OutcomeResult {
  id: string;
  description: string;
  ok: boolean;
  /** False when the run stopped (--until) before what the outcome talks about. */
  reached: boolean;
  /** Why it does not hold (or was not reached). */
  detail?: string;
}

export interface Evidence {
  world: World;
  actions: ActionRecord[];
  /** The run played the whole timeline. */
  complete: boolean;
}

const code = (n: number) => errorCodes.describe(n);

/** "KRB-ERROR 25", "AS-REQ": how the `messages` predicate names a message. */
export function messageLabel(e: TraceEvent): string {
  return e.errorCode !== undefined ? `${e.type} ${e.errorCode}` : e.type;
}

function inScope(e: TraceEvent, actions: ActionRecord[] | undefined): boolean {
  if (!actions) return true;
  return actions.some((a) => e.seq >= a.fromSeq && e.seq <= a.toSeq);
}

/** The undefined when it holds, else why not. */
function check(p: Predicate, ev: Evidence): string | undefined {
  const byId = (id: string) => ev.actions.find((a) => a.id === id);
  if ('action' in p) {
    const a = byId(p.action)!;
    const problems: string[] = [];
    if (p.ok !== undefined && a.ok !== p.ok) problems.push(p.ok ? 'it failed' : 'it succeeded');
    if (p.errorCode !== undefined && a.errorCode !== p.errorCode)
      problems.push(
        `error ${a.errorCode !== undefined ? code(a.errorCode) : 'none'}, expected ${code(p.errorCode)}`,
      );
    if (p.windowsError !== undefined && a.windowsError !== p.windowsError)
      problems.push(`Windows error ${a.windowsError ?? 'none'}, expected ${p.windowsError}`);
    if (p.fromCache !== undefined && a.fromCache !== p.fromCache)
      problems.push(
        p.fromCache ? 'the ticket did not come from the cache' : 'the ticket came from the cache',
      );
    if (p.realm !== undefined && a.realm?.toUpperCase() !== p.realm.toUpperCase())
      problems.push(`the ticket is from ${a.realm ?? 'no realm'}, expected ${p.realm}`);
    if (p.outputMatches !== undefined && !new RegExp(p.outputMatches).test(a.output))
      problems.push(`the output does not match /${p.outputMatches}/`);
    return problems.length ? `action ${p.action}: ${problems.join('; ')} (${a.output})` : undefined;
  }
  if ('klist' in p) {
    const k = p.klist;
    const want = parsePrincipal(k.server);
    const found = ev.world
      .client(k.host)
      .cache.credentials.find(
        (c) =>
          c.server.realm.toUpperCase() === want.realm.toUpperCase() &&
          sameName(c.server.name, want.name, true),
      );
    const present = k.present ?? true;
    if (present && !found) return `${k.host}'s klist has no ticket for ${k.server}`;
    if (!present && found) return `${k.host}'s klist holds a ticket for ${k.server}`;
    if (found && k.etype !== undefined && found.ticketEtype !== k.etype)
      return `the ticket for ${k.server} is etype ${found.ticketEtype}, expected ${k.etype}`;
    return undefined;
  }
  if ('message' in p) {
    const m = p.message;
    const during = m.during ? [byId(m.during)!] : undefined;
    const re = m.resultMatches ? new RegExp(m.resultMatches) : undefined;
    const said = m.narrationMatches ? new RegExp(m.narrationMatches) : undefined;
    const hits = ev.world.trace.filter(
      (e) =>
        e.kind === 'message' &&
        e.type === m.type &&
        (m.errorCode === undefined || e.errorCode === m.errorCode) &&
        (m.from === undefined || e.from === m.from) &&
        (m.to === undefined || e.to === m.to) &&
        (m.transport === undefined || e.transport === m.transport) &&
        (!re || re.test(e.result)) &&
        (!said || e.narration.some((n) => said.test(n.text))) &&
        inScope(e, during),
    );
    const what = `${m.type}${m.errorCode !== undefined ? ` ${code(m.errorCode)}` : ''}${m.from ? ` from ${m.from}` : ''}${m.to ? ` to ${m.to}` : ''}${m.transport ? ` over ${m.transport}` : ''}${m.during ? ` during ${m.during}` : ''}${m.narrationMatches ? ` saying /${m.narrationMatches}/` : ''}`;
    if (m.count !== undefined && hits.length !== m.count)
      return `${what}: seen ${hits.length} times, expected ${m.count}`;
    const present = m.present ?? true;
    if (m.count === undefined && present && hits.length === 0) return `no ${what} in the trace`;
    if (m.count === undefined && !present && hits.length > 0)
      return `${what} is in the trace (seq ${hits[0]!.seq})`;
    return undefined;
  }
  const during = p.messages.during?.map((id) => byId(id)!);
  // the Kerberos messages: the ones with bytes on the wire (the modelled SMB steps have none)
  const seen = ev.world.trace
    .filter((e) => e.kind === 'message' && e.bytes && inScope(e, during))
    .map(messageLabel);
  const want = p.messages.types;
  if (seen.length === want.length && seen.every((t, i) => t === want[i])) return undefined;
  return `messages were [${seen.join(', ')}], expected [${want.join(', ')}]`;
}

/** The action ids an outcome depends on, and whether it speaks of the whole run. */
function dependencies(o: ScenarioOutcome): { ids: string[]; wholeRun: boolean } {
  const ids: string[] = [];
  let wholeRun = false;
  for (const p of o.expect) {
    if ('action' in p) ids.push(p.action);
    else if ('klist' in p) wholeRun = true;
    else if ('message' in p) {
      if (p.message.during) ids.push(p.message.during);
      else wholeRun = true;
    } else if (p.messages.during) ids.push(...p.messages.during);
    else wholeRun = true;
  }
  return { ids, wholeRun };
}

export function evaluateOutcomes(outcomes: readonly ScenarioOutcome[], ev: Evidence): OutcomeResult[] {
  return outcomes.map((o) => {
    const base = { id: o.id, description: o.description };
    const deps = dependencies(o);
    const played = new Set(ev.actions.map((a) => a.id).filter((x): x is string => x !== undefined));
    const missing = deps.ids.filter((id) => !played.has(id));
    if (!ev.complete && (missing.length > 0 || deps.wholeRun)) {
      return {
        ...base,
        ok: false,
        reached: false,
        detail: missing.length
          ? `not reached: the run stopped before ${missing.join(', ')}`
          : 'not reached: it speaks of the whole run, which stopped early',
      };
    }
    if (missing.length > 0) {
      // the user replaced the steps it speaks of
      return {
        ...base,
        ok: false,
        reached: false,
        detail: `not reached: the run no longer has ${missing.join(', ')}`,
      };
    }
    const problems = o.expect.map((p) => check(p, ev)).filter((x): x is string => x !== undefined);
    return problems.length
      ? { ...base, ok: false, reached: true, detail: problems.join('; ') }
      : { ...base, ok: true, reached: true };
  });
}
