/**
 * The engine behind the page: it runs the story (scenario.ts) once, keeps a snapshot of the world after
 * every step, and answers the page's requests (protocol.ts) from the snapshot of the current step.
 * Going to a step is `World.restore(snapshot)`; nothing is ever undone by hand.
 *
 * Pure apart from being told where it runs: worker.ts wraps it in a Worker, the unit tests call it.
 */
import { listMit, listWindows, type ClientSnapshot } from '../../client';
import { errorCodes } from '../../asn1/registry';
import { clientOf, World, type TraceEvent, type WorldState } from '../../world';
import { headline, narrationOf, spokenBy, toneOf } from './describe';
import { TraceInspector } from './inspect';
import type {
  EngineOrigin,
  EngineRequest,
  EngineResults,
  EventDetail,
  HostView,
  KlistStyle,
  KlistView,
  RealmView,
  Summary,
  TraceRow,
  WorldView,
} from './protocol';
import { buildWorld, STEPS, type ScenarioStep } from './scenario';

export class EngineError extends Error {}

export class Engine {
  readonly #origin: EngineOrigin;
  readonly #steps: readonly ScenarioStep[];
  /** snapshots[k]: the world after k steps. */
  readonly #snapshots: WorldState[] = [];
  /** stepOf[seq - 1]: the step whose run recorded trace event `seq`. */
  readonly #stepOf: number[] = [];
  readonly #inspector: TraceInspector;
  #world: World;
  #step: number;

  constructor(origin: EngineOrigin, steps: readonly ScenarioStep[] = STEPS, make: () => World = buildWorld) {
    this.#origin = origin;
    this.#steps = steps;
    const world = make();
    this.#snapshots.push(world.snapshot());
    steps.forEach((s, i) => {
      s.run(world);
      while (this.#stepOf.length < world.trace.length) this.#stepOf.push(i + 1);
      this.#snapshots.push(world.snapshot());
    });
    this.#inspector = new TraceInspector(this.#snapshots[0]!);
    // The page opens on the whole story; |< goes back to its start.
    this.#step = steps.length;
    this.#world = World.restore(this.#snapshots[this.#step]!);
  }

  get step(): number {
    return this.#step;
  }

  get world(): World {
    return this.#world;
  }

  handle(req: EngineRequest): EngineResults[EngineRequest['kind']] {
    switch (req.kind) {
      case 'summary':
        return this.summary();
      case 'goto':
        return this.goto(req.step);
      case 'detail':
        return this.detail(req.seq);
      case 'klist':
        return this.klist(req.host, req.style);
    }
  }

  goto(step: number): Summary {
    if (!Number.isInteger(step) || step < 0 || step > this.#steps.length) {
      throw new EngineError(`there is no step ${step}: the story has steps 0 to ${this.#steps.length}`);
    }
    this.#step = step;
    this.#world = World.restore(this.#snapshots[step]!);
    return this.summary();
  }

  summary(): Summary {
    const w = this.#world;
    return {
      engine: this.#origin,
      step: this.#step,
      steps: this.#steps.map((s, i) => ({
        index: i + 1,
        title: s.title,
        about: s.about,
        fails: s.fails === true,
      })),
      now: w.now,
      world: this.#worldView(),
      trace: w.trace.map((e) => this.#row(e, w.trace)),
    };
  }

  detail(seq: number): EventDetail {
    const trace = this.#world.trace;
    const event = trace.find((e) => e.seq === seq);
    if (!event) {
      throw new EngineError(
        `there is no event #${seq} at step ${this.#step} (the trace has ${trace.length})`,
      );
    }
    const narration = narrationOf(event, trace).map((n) => ({ ...n }));
    const row = this.#row(event, trace);
    if (event.kind !== 'message' || !event.bytes) return { row, parts: [], narration };
    const inspected = this.#inspector.inspect(trace, seq);
    return {
      row,
      bytes: event.bytes.slice(),
      ...(inspected?.tree ? { tree: inspected.tree } : {}),
      parts: inspected?.parts ?? [],
      narration,
      ...(inspected?.problem ? { problem: inspected.problem } : {}),
    };
  }

  klist(host: string, style: KlistStyle): KlistView {
    let client;
    try {
      client = clientOf(this.#world, host);
    } catch {
      throw new EngineError(`${host} has no Kerberos client, so no credential cache`);
    }
    const now = this.#world.hostNow(host);
    const text = style === 'mit' ? listMit(client.cache, { now }) : listWindows(client.cache, { now });
    return { host, style, text };
  }

  #row(e: TraceEvent, trace: readonly TraceEvent[]): TraceRow {
    const line = headline(e, trace);
    const referral =
      e.kind === 'message' &&
      e.replyTo !== undefined &&
      (trace.find((x) => x.seq === e.replyTo)?.narration ?? []).some(
        (n) => n.stage === 'referral' && !spokenBy(n, e.to),
      );
    return {
      seq: e.seq,
      t: e.t,
      kind: e.kind,
      from: e.from,
      to: e.to,
      transport: e.transport,
      ...(e.port !== undefined ? { port: e.port } : {}),
      type: e.type,
      ...(e.errorCode !== undefined
        ? { errorCode: e.errorCode, errorName: errorCodes.nameOf(e.errorCode) }
        : {}),
      result: e.result,
      ...(e.replyTo !== undefined ? { replyTo: e.replyTo } : {}),
      modelled: e.modelled === true,
      step: this.#stepOf[e.seq - 1] ?? this.#step,
      tone: toneOf(e),
      inspectable: e.kind === 'message' && e.bytes !== undefined,
      ...(line ? { headline: line } : {}),
      ...(referral ? { referral } : {}),
    };
  }

  #worldView(): WorldView {
    const raw = this.#world.raw;
    const roles = new Map<string, string[]>();
    const add = (host: string, role: string) => roles.set(host, [...(roles.get(host) ?? []), role]);
    for (const [host, snap] of Object.entries(raw.clients)) {
      add(host, `client ${(snap as ClientSnapshot).config.principal}`);
    }
    for (const k of raw.kdcs) add(k.host, `KDC for ${k.state.realms.map((r) => r.name).join(', ')}`);
    for (const s of raw.services) {
      add(s.host, `${s.state.name.nameString.join('/')}@${s.state.realm} (${s.transport} ${s.port})`);
    }
    const hosts: HostView[] = raw.hosts.map((h) => ({
      id: h.id,
      name: h.name,
      roles: roles.get(h.id) ?? [],
      clock: this.#world.hostNow(h.id),
      clockOffset: h.clockOffset,
      up: h.up,
    }));
    const trusts = raw.kdcs.flatMap((k) => k.state.trusts);
    const realms: RealmView[] = Object.entries(raw.locator).map(([name, loc]) => ({
      name,
      kdcHost: loc.host,
      transport: loc.transport,
      trustedBy: [...new Set(trusts.filter((t) => t.to === name).map((t) => t.from))],
    }));
    return { hosts, realms };
  }
}
