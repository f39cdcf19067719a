/**
 * Playing a run one step at a time, each step a snapshot: a catalogue (or pasted) scenario, one step per
 * timeline action. After every step the world is snapshotted — it
 * holds everything, down to who is signed in on each host and the notes on the trace — so going to a step
 * is a restore of its snapshot, and a step not yet played is played once from the last one before it.
 *
 * Whatever the user does — a command typed at a console, a fault from the faults panel, a policy flipped,
 * the clock moved — is a new action put into the timeline right after the current step (`insert`), of the
 * same kinds as a scenario file's own, so the trace says who changed what and when; the steps after it are
 * played again, from it on, or dropped when the user chose to replace them. Every insert can be undone.
 *
 * The loop mirrors src/scenarios/runner.ts (which plays a whole timeline in one go for the CLI): `at`
 * moves the clock first, `advance` moves it before its action runs, and the outcomes are checked over the
 * actions played so far (an outcome about an action not played yet is "not reached").
 */
import {
  ScenarioError,
  actionEntry,
  actionShape,
  actionTitle,
  buildWorld,
  evaluateOutcomes,
  knownOf,
  parseWhen,
  playAction,
  startOf,
  timeProblem,
  type ActionRecord,
  type EventNote,
  type Scenario,
  type ScenarioAction,
} from '../../scenarios';
import { isoSeconds } from '../../asn1/time';
import { World, type TraceEvent, type WorldState } from '../../world';
import type { FaultAction, OutcomeView, ScenarioInfo, StepInfo } from './protocol';
import type { PlayedStep } from './views';

/** The client operations' own start lines: the console line before them already says what was asked. */
const FLOW_STARTS = new Set(['sign-in', 'service-ticket', 'renew']);

interface State {
  world: WorldState;
  /** What each step played so far came to, in order. */
  records: ActionRecord[];
}

/**
 * Where a step of the plan came from: the scenario's own timeline, or the user — typed at a console, a
 * fault from the faults panel, a policy flipped in the world panel, the clock moved on the timeline.
 */
export type EntrySource = 'scenario' | 'typed' | 'fault' | 'policy' | 'clock' | 'tamper';

/** One step of the plan: a timeline action. */
interface Planned {
  action: ScenarioAction;
  source: EntrySource;
}

/** How an insert may be undone: the plan and the states played before it. */
interface UndoPoint {
  plan: Planned[];
  states: State[];
  step: number;
  /** What the insert was, for the undo button's words. */
  title: string;
}

/** Inserts that can be undone, newest last (the oldest are forgotten first). */
export const MAX_UNDO = 50;

/** The trace line an insert of each kind starts with; a typed command's own console line says it all. */
const INSERT_LINES: Record<Exclude<EntrySource, 'scenario' | 'typed'>, string> = {
  fault: 'you changed the world from the faults panel',
  policy: 'you changed a policy',
  clock: 'you moved the clock',
  tamper: 'you tampered with a message',
};

export class PlayError extends Error {
  /** The scenario field at fault, when the scenario's own data is ("timeline[3].at"). */
  readonly field: string | undefined;
  constructor(message: string, field?: string) {
    super(message);
    this.field = field;
  }
}

/** A run stepped one action at a time: `Player.forScenario` plays a validated scenario. */
export class Player {
  readonly info: ScenarioInfo;
  /** The scenario played. */
  readonly scenario: Scenario;
  readonly #plan: Planned[];
  /** states[k]: after k steps. */
  readonly #states: State[] = [];
  #step = 0;
  #world: World;
  #faults = 0;
  readonly #undo: UndoPoint[] = [];

  private constructor(info: ScenarioInfo, scenario: Scenario, plan: Planned[], start: State) {
    this.info = info;
    this.scenario = scenario;
    this.#plan = plan;
    this.#states.push(start);
    this.#world = World.restore(start.world);
  }

  static forScenario(scenario: Scenario, source: ScenarioInfo['source']): Player {
    let world: World;
    try {
      world = buildWorld(scenario);
    } catch (e) {
      if (e instanceof ScenarioError) throw new PlayError(e.message, e.field);
      throw e;
    }
    const info: ScenarioInfo = {
      id: scenario.id,
      title: scenario.title,
      summary: scenario.summary,
      teaches: scenario.teaches,
      source,
      start: startOf(scenario),
    };
    const plan = scenario.timeline.map((action): Planned => ({ action, source: 'scenario' }));
    return new Player(info, scenario, plan, { world: world.snapshot(), records: [] });
  }

  get step(): number {
    return this.#step;
  }

  get stepCount(): number {
    return this.#plan.length;
  }

  get world(): World {
    return this.#world;
  }

  /** The steps played so far, with what each came to. */
  get records(): readonly ActionRecord[] {
    return this.#states[this.#step]!.records;
  }

  /** The world at steps 0..current (the timeline of tickets reads the credentials each held). */
  history(): readonly WorldState[] {
    return this.#states.slice(0, this.#step + 1).map((s) => s.world);
  }

  /** The world before anything happened (its KDCs' first keys). */
  get initial(): WorldState {
    return this.#states[0]!.world;
  }

  /** The client hosts (the console has one tab each). */
  clientHosts(): string[] {
    return this.#world.clientHosts();
  }

  /** The user of each client host ("alice@CORP.CONTOSO.COM"). */
  users(): Map<string, string> {
    return new Map(this.scenario.clients.map((c) => [c.host, c.user]));
  }

  /** The steps played up to the current one: the action each ran and what it came to. */
  played(): PlayedStep[] {
    const users = this.users();
    return this.records.map((record, i) => {
      const p = this.#plan[i]!;
      return { action: p.action, title: actionTitle(p.action, users), record };
    });
  }

  noteOf(seq: number): EventNote | undefined {
    return this.#world.noteOf(seq);
  }

  /** Whether the trace list shows the event (the client flows' own start lines are left out). */
  shown(e: TraceEvent): boolean {
    return !(e.kind === 'action' && FLOW_STARTS.has(e.type));
  }

  /**
   * Modelled: said so by the step, or a message without bytes to or from a modelled host. A message with
   * bytes is real wherever it goes: the Kerberos that Entra's KDC answers through the KDC proxy is.
   */
  modelled(e: TraceEvent): boolean {
    if (e.modelled) return true;
    if (e.kind !== 'message' || e.bytes !== undefined) return false;
    const hosts = new Set(this.scenario.hosts.filter((h) => h.modelled).map((h) => h.id));
    return hosts.has(e.from) || hosts.has(e.to);
  }

  steps(): StepInfo[] {
    const users = this.users();
    const records = this.#states.at(-1)!.records;
    return this.#plan.map((p, i) => {
      const played = i < this.#states.length - 1 ? records[i] : undefined;
      const base: StepInfo = {
        index: i + 1,
        title: actionTitle(p.action, users),
        about: p.action.note ?? '',
        fails: false,
        ...(p.action.id ? { actionId: p.action.id } : {}),
        do: p.action.do,
      };
      if (p.source !== 'scenario') {
        base.injected = true;
        base.source = p.source;
      }
      if (played) {
        base.result = played.ok ? 'ok' : 'failed';
        base.output = played.output;
        if (!played.ok) base.fails = true;
        base.t = this.#states[i + 1]!.world.now;
      }
      return base;
    });
  }

  /** The scenario's expected outcomes, as far as the run has come. */
  outcomes(): OutcomeView[] {
    const state = this.#states[this.#step]!;
    const results = evaluateOutcomes(this.scenario.outcomes, {
      world: this.#world,
      actions: [...state.records],
      complete: this.#step === this.#plan.length,
    });
    return results.map((o) => ({
      id: o.id,
      description: o.description,
      state: !o.reached ? 'pending' : o.ok ? 'ok' : 'failed',
      ...(o.detail !== undefined && o.reached ? { detail: o.detail } : {}),
    }));
  }

  goto(step: number): void {
    if (!Number.isInteger(step) || step < 0 || step > this.#plan.length) {
      throw new PlayError(`there is no step ${step}: the story has steps 0 to ${this.#plan.length}`);
    }
    while (this.#states.length <= step) this.#playNext();
    this.#step = step;
    this.#world = World.restore(this.#states[step]!.world);
  }

  /** How many steps come after the current one (an insert here asks whether to replace them). */
  get later(): number {
    return this.#plan.length - this.#step;
  }

  /**
   * Puts an action into the timeline right after the current step, at the current virtual time, and plays
   * it. The action is checked as a scenario file's timeline action is (`value` may come from anywhere: a
   * console, a panel, a saved run); a problem is a PlayError naming the field. The steps after it are
   * played again on the changed world, or dropped with `replaceLater`. The insert can be undone.
   */
  insert(
    value: unknown,
    source: Exclude<EntrySource, 'scenario'>,
    opts: { replaceLater?: boolean } = {},
  ): void {
    let action: ScenarioAction;
    try {
      action = actionShape.read(value, 'action', knownOf(this.scenario));
    } catch (e) {
      if (e instanceof ScenarioError) throw new PlayError(e.reason, e.field);
      throw e;
    }
    this.#checkClocks(action);
    const point: UndoPoint = {
      plan: [...this.#plan],
      states: [...this.#states],
      step: this.#step,
      title: actionTitle(action, this.users()),
    };
    if (opts.replaceLater) this.#plan.length = this.#step;
    this.#plan.splice(this.#step, 0, { action, source });
    this.#states.length = this.#step + 1;
    try {
      this.goto(this.#step + 1);
    } catch (e) {
      this.#restore(point);
      throw e;
    }
    this.#undo.push(point);
    if (this.#undo.length > MAX_UNDO) this.#undo.shift();
    if (source === 'fault') this.#faults++;
  }

  /** The whole plan as data, for a saved run or a share link: every step's action and where it came from. */
  plan(): { action: ScenarioAction; source: EntrySource }[] {
    return this.#plan.map((p) => ({ action: structuredClone(p.action), source: p.source }));
  }

  /**
   * Builds a run from a scenario and a plan given out by `plan()` — untrusted (a saved run, a share link):
   * every entry is checked as `insert` checks it and played in turn. The first entry that cannot be played
   * stops the rebuild: the run keeps the base scenario and `problem` says which entry and why.
   */
  static fromPlan(
    scenario: Scenario,
    source: ScenarioInfo['source'],
    plan: readonly unknown[],
    step: number,
  ): { player: Player; problem?: PlayError & { entry: number } } {
    const built = Player.forScenario(scenario, source);
    const entries: Planned[] = [];
    try {
      plan.forEach((raw, i) => {
        const entry = raw as { action?: unknown; source?: unknown } | null;
        const src = entry?.source;
        if (!['scenario', 'typed', 'fault', 'policy', 'clock', 'tamper'].includes(src as string))
          throw Object.assign(
            new PlayError(`entry ${i}: source must be scenario, typed, fault, policy, clock or tamper`),
            { entry: i },
          );
        try {
          entries.push({
            action: actionShape.read(entry!.action, `plan[${i}].action`, knownOf(scenario)),
            source: src as EntrySource,
          });
        } catch (e) {
          if (e instanceof ScenarioError) throw Object.assign(new PlayError(e.reason, e.field), { entry: i });
          throw e;
        }
      });
      const player = new Player(built.info, scenario, entries, built.#states[0]!);
      player.goto(Math.max(0, Math.min(Math.trunc(Number(step)) || 0, entries.length)));
      return { player };
    } catch (e) {
      if (!(e instanceof PlayError)) throw e;
      const entry = (e as { entry?: number }).entry ?? -1;
      return { player: built, problem: Object.assign(e, { entry }) };
    }
  }

  /** What the last insert was, if one can be undone. */
  get undoable(): string | undefined {
    return this.#undo.at(-1)?.title;
  }

  /** Takes the last insert back: the plan, the steps played and the current step as they were before it. */
  undo(): boolean {
    const point = this.#undo.pop();
    if (!point) return false;
    this.#restore(point);
    // the inspector decodes again: the trace it was built for has changed
    this.#faults++;
    return true;
  }

  #restore(point: UndoPoint): void {
    this.#plan.splice(0, this.#plan.length, ...point.plan);
    this.#states.splice(0, this.#states.length, ...point.states);
    this.#step = point.step;
    this.#world = World.restore(this.#states[point.step]!.world);
  }

  /** Puts a fault from the faults panel into the timeline at the current step (see `insert`). */
  inject(fault: FaultAction): void {
    this.insert(this.#faultAction(fault), 'fault');
  }

  /** How many times the plan changed under the trace (the inspector's decoding starts again after one). */
  get faults(): number {
    return this.#faults;
  }

  /**
   * The panel's fault as a timeline action, written as a scenario file writes it: the panel gives a skew
   * in milliseconds (the file's `offset`), everything else as it is. `insert` then checks it like any
   * other entry — the action table's fields and checks, and the clocks it moves.
   */
  #faultAction(f: FaultAction): Record<string, unknown> {
    const note = 'applied from the faults panel';
    if (f.do === 'set-skew') return { do: 'set-skew', host: f.host, offset: f.offsetMs, note };
    return { ...f, note };
  }

  /**
   * Refuses an action that would take a clock where no Kerberos time can go (before 1970, after 2037-09-12),
   * as the validator refuses it in a scenario file: an advance moves every host's clock, a skew one host's.
   */
  #checkClocks(action: ScenarioAction): void {
    const effect = actionEntry(action.do).clock?.(action as never);
    const now = this.#world.now;
    if (action.at !== undefined) {
      const at = parseWhen(action.at, startOf(this.scenario));
      const problem = at === undefined ? undefined : timeProblem(at);
      if (problem) throw new PlayError(`"${action.at}" takes the clock to a time ${problem}`, 'action.at');
    }
    if (!effect) return;
    if ('offset' in effect) {
      const problem = timeProblem(now + effect.offset);
      if (problem)
        throw new PlayError(
          `${effect.text} puts ${effect.host}'s clock at a time ${problem}`,
          `action.${effect.field}`,
        );
      return;
    }
    if (effect.advance <= 0)
      throw new PlayError(`${effect.text} does not move the clock forward`, `action.${effect.field}`);
    for (const h of this.#world.hosts) {
      const problem = timeProblem(now + h.clockOffset + effect.advance);
      if (problem)
        throw new PlayError(
          `${effect.text} takes ${h.id}'s clock to a time ${problem}`,
          `action.${effect.field}`,
        );
    }
  }

  #playNext(): void {
    const i = this.#states.length - 1;
    const base = this.#states[i]!;
    const planned = this.#plan[i]!;
    const world = World.restore(base.world);
    const record = this.#playAction(world, planned, i);
    this.#states.push({ world: world.snapshot(), records: [...base.records, record] });
  }

  #playAction(world: World, planned: Planned, i: number): ActionRecord {
    const scenario = this.scenario;
    const action = planned.action;
    // field names speak of the user's file: its own index, not counting faults put in
    const fileIndex = this.#plan.slice(0, i).filter((p) => p.source === 'scenario').length;
    const faultsBefore = this.#plan.slice(0, i).some((p) => p.source !== 'scenario');
    // the step's events: from the fault's own line and the clock moving to `at`, to the action's last
    const fromSeq = world.trace.length + 1;
    if (planned.source !== 'scenario' && planned.source !== 'typed') {
      world.action(
        action.do === 'link-down' || action.do === 'link-up'
          ? action.a
          : 'host' in action
            ? action.host
            : 'local',
        planned.source,
        `${INSERT_LINES[planned.source]}: ${actionTitle(action)} (at ${isoSeconds(world.now)})`,
      );
    }
    try {
      const { record } = playAction(world, scenario, action, fileIndex, {
        recordIndex: i,
        allowEarlier: faultsBefore,
      });
      // the step starts with the fault's own line and the clock moving to `at`
      return { ...record, fromSeq };
    } catch (e) {
      if (e instanceof ScenarioError) throw new PlayError(e.message, e.field);
      throw e;
    }
  }
}
