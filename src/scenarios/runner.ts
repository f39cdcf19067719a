/**
 * The runner: builds the world a scenario describes, plays its timeline on the virtual clock (up to an
 * optional stop time), checks the expected outcomes, and gives back the run as docs/cli.md's scenario
 * JSON: `{ id, start, events: [EVENT…], outcomes: [{id, description, ok}] }`. Same scenario, same seed:
 * the same events, byte for byte.
 */
import type { CredentialCache } from '../client';
import { isoSeconds } from '../asn1/time';
import type { TraceEvent, World } from '../world';
import { runAction, type ActionRecord } from './actions';
import { buildWorld, startOf } from './build';
import { evaluateOutcomes, type OutcomeResult } from './outcomes';
import { parseWhen, ScenarioError, type Scenario, type ScenarioAction } from './schema';

export interface RunOptions {
  /** Stop the timeline at this virtual time (ms since the epoch): actions that would start later are not played. */
  until?: number;
  /** Another seed than the scenario's. */
  seed?: number;
}

/** One event as docs/cli.md's scenario JSON has it. */
export interface ScenarioEvent {
  t: string;
  from: string;
  to: string;
  transport: TraceEvent['transport'];
  type: string;
  /** For an ACTION: what was done ("net use", "advance", "result"). */
  action?: string;
  errorCode?: number;
  windowsError?: number;
  result: string;
  modelled?: true;
}

export interface ScenarioRunJson {
  id: string;
  start: string;
  /** Present when --until stopped the run early: the virtual time it stopped at. */
  stoppedAt?: string;
  events: ScenarioEvent[];
  outcomes: { id: string; description: string; ok: boolean; reached?: false; detail?: string }[];
}

export interface ScenarioRun {
  scenario: Scenario;
  world: World;
  actions: ActionRecord[];
  outcomes: OutcomeResult[];
  /** The whole timeline was played. */
  complete: boolean;
  /** The trace events shown (the flows' own "start" lines are left out: the console line says it). */
  trace: TraceEvent[];
  json: ScenarioRunJson;
}

/** ISO-8601 UTC with milliseconds ("2026-03-02T08:00:00.001Z"), as the world's JSON export writes them. */
export function eventTime(t: number): string {
  return new Date(t).toISOString();
}

/** The client operations' own start lines: the console line before them already says what was asked. */
const FLOW_STARTS = new Set(['sign-in', 'service-ticket', 'renew']);

/** Parses --until: "2026-03-02T09:00:00Z" or "+1h" (after the scenario's start). */
export function parseUntil(text: string, scenario: Scenario): number | undefined {
  return parseWhen(text, startOf(scenario));
}

export interface PlayOptions {
  /** The index the record gets (default: the action's index in the timeline). */
  recordIndex?: number;
  /** Stop an `advance` at this virtual time (the runner's --until); the result is then `partial`. */
  until?: number;
  /** Accept an `at` earlier than the clock (a fault inserted before it moved the clock on). */
  allowEarlier?: boolean;
}

/**
 * Plays one timeline action: the clock moves to its `at` (an `at` earlier than the clock is the scenario's
 * error, unless allowed), an `advance` moves it on, then the action runs. The runner and the UI's
 * step-by-step player both play through here, so they cannot drift apart.
 */
export function playAction(
  world: World,
  scenario: Scenario,
  action: ScenarioAction,
  index: number,
  options: PlayOptions = {},
): { record: ActionRecord; partial: boolean } {
  if (action.at !== undefined) {
    const target = parseWhen(action.at, startOf(scenario))!;
    if (target < world.now && !options.allowEarlier) {
      throw new ScenarioError(
        `timeline[${index}].at`,
        `${action.at} is earlier than the clock (${eventTime(world.now)}) when this action comes`,
      );
    }
    if (target > world.now) world.elapse(target - world.now, `the clock moves to ${isoSeconds(target)}`);
  }
  const t = world.now;
  const fromSeq = world.trace.length + 1;
  const { partial, ...out } = runAction(world, action, {
    field: (name) => `timeline[${index}].${name}`,
    ...(options.until !== undefined ? { until: options.until } : {}),
  });
  const record: ActionRecord = {
    index: options.recordIndex ?? index,
    ...(action.id !== undefined ? { id: action.id } : {}),
    do: action.do,
    ...('host' in action ? { host: action.host } : {}),
    t,
    fromSeq,
    toSeq: world.trace.length,
    ...out,
  };
  return { record, partial: partial === true };
}

export function runScenario(scenario: Scenario, options: RunOptions = {}): ScenarioRun {
  const world = buildWorld(scenario, options.seed ?? scenario.seed);
  const start = startOf(scenario);
  const until = options.until;
  const actions: ActionRecord[] = [];
  let complete = true;

  const stopAt = (t: number) => {
    complete = false;
    if (t > world.now) world.elapse(t - world.now, `the run stops at ${isoSeconds(t)} (--until)`);
  };

  for (const [index, action] of scenario.timeline.entries()) {
    if (until !== undefined) {
      // --until: an action that would start after the stop time is not played
      const startsAt = action.at !== undefined ? parseWhen(action.at, start)! : world.now;
      if (startsAt > until && startsAt >= world.now) {
        stopAt(until);
        break;
      }
      if (world.now > until) {
        complete = false;
        break;
      }
    }
    const { record, partial } = playAction(
      world,
      scenario,
      action,
      index,
      until !== undefined ? { until } : {},
    );
    actions.push(record);
    if (partial) {
      complete = false;
      break;
    }
  }
  if (!complete && until !== undefined && world.now < until) stopAt(until);

  const outcomes = evaluateOutcomes(scenario.outcomes, { world, actions, complete });
  const modelledHosts = new Set(scenario.hosts.filter((h) => h.modelled).map((h) => h.id));
  const trace = world.trace.filter((e) => !(e.kind === 'action' && FLOW_STARTS.has(e.type)));
  const events = trace.map((e): ScenarioEvent => {
    const note = world.noteOf(e.seq);
    const modelled =
      e.modelled || (e.kind === 'message' && (modelledHosts.has(e.from) || modelledHosts.has(e.to)));
    return {
      t: eventTime(e.t),
      from: e.from,
      to: e.to,
      transport: e.transport,
      type: e.kind === 'action' ? 'ACTION' : e.kind === 'timeout' ? 'TIMEOUT' : e.type,
      ...(e.kind === 'action' ? { action: e.type } : {}),
      ...(e.errorCode !== undefined ? { errorCode: e.errorCode } : {}),
      ...(note?.windowsError !== undefined ? { windowsError: note.windowsError } : {}),
      result: e.result,
      ...(modelled ? { modelled: true as const } : {}),
    };
  });
  const json: ScenarioRunJson = {
    id: scenario.id,
    start: isoSeconds(start),
    ...(complete ? {} : { stoppedAt: eventTime(world.now) }),
    events,
    outcomes: outcomes.map((o) => ({
      id: o.id,
      description: o.description,
      ok: o.ok,
      ...(o.reached ? {} : { reached: false as const }),
      ...(o.detail !== undefined ? { detail: o.detail } : {}),
    })),
  };
  return { scenario, world, actions, outcomes, complete, trace, json };
}

/** The credential cache of a client host at the end of the run. */
export function clientCache(run: ScenarioRun, host: string): CredentialCache {
  return run.world.client(host).cache;
}
