/**
 * The engine behind the page: it plays one scenario at a time (player.ts) — a catalogue scenario or the
 * user's own JSON — keeping a snapshot of the world after every step, and answers
 * the page's requests (protocol.ts) from the snapshot of the current step. Going to a step is
 * `World.restore(snapshot)`; nothing is ever undone by hand. Faults go into the timeline as new actions.
 * Exports (pcapng, keytab, ccache, trace JSON) are made here, from the current step's world.
 *
 * Pure apart from being told where it runs: worker.ts wraps it in a Worker, the unit tests call it.
 */
import { clockMarks } from '../../azure';
import { listMit, listWindows } from '../../client';
import { errorCodes } from '../../asn1/registry';
import { encodeKeytab, type KeytabEntry } from '../../formats';
import { KKDCP_LUA, KKDCP_LUA_NAME } from '../../formats/pcap';
import {
  CATALOGUE_FILES,
  catalogueHeaders,
  findScenario,
  kdcPasswordKeys,
  knownOf,
  osOf,
  parseScenarioJson,
  ScenarioError,
  type AnyScenario,
  type PasswordKey,
  type Scenario,
} from '../../scenarios';
import {
  clientOf,
  klistText,
  exportCcache,
  exportPcapng,
  exportSmbSessionKeys,
  keytabEntries,
  smbSessionKeys,
  securityLogsOf,
  planPcapExport,
  traceToJson,
  World,
  type TraceEvent,
} from '../../world';
import {
  caseReport,
  caseReportHtml,
  caseReportMarkdown,
  type CaseReport,
  type CaseStep,
} from '../../support/case-report';

/** What the case report attaches: what the Export menu gives for the whole world. */
const REPORT_ATTACHMENTS = ['pcapng', 'keytab', 'kkdcp-lua', 'smb-keys'] as const;
import { ASK_ABOVE_ITERATIONS, costlyKeys, type KeyToMake } from './costly-keys';
import { headline, narrationOf, spokenBy, toneOf } from './describe';
import type { CaptureRun } from './capture-run';
import { TraceInspector, worldKeytab } from './inspect';
import { Player, PlayError } from './player';
import { policyView } from './policy-view';
import { passwordKeyFinder, rerunOf } from './reproduce';
import type {
  CatalogueEntry,
  EngineOrigin,
  EngineRequest,
  EngineResults,
  EventDetail,
  ExportFile,
  ExportKind,
  FaultAction,
  InsertSource,
  CommandAnswer,
  HostView,
  KlistStyle,
  KlistView,
  SecurityLogView,
  LoadResult,
  RunLoadResult,
  RealmView,
  ScenarioSource,
  Summary,
  TraceRow,
  WorldView,
} from './protocol';
import { consoleOf, promptOf, ticketSpans } from './views';
import { readCommand } from './typed-command';
import { shellOf, vocabularyOf } from './vocabulary';
import { windowsErrorText, windowsErrorWhy } from './windows-errors';

export class EngineError extends Error {}

/** The scenario the page opens when the link names none. */
export const FIRST_SCENARIO = 'kerberos-101';

export class Engine {
  readonly #origin: EngineOrigin;
  #player: Player | undefined;
  /** A customer's capture opened as a read-only run: the inspector's questions go to it. */
  #capture: CaptureRun | undefined;
  #inspector: TraceInspector | undefined;
  /** What the inspector was built for: the player, its faults, and the keys it knows. */
  #inspectorFor: { player: Player; faults: number; keys: Set<string> } | undefined;

  constructor(origin: EngineOrigin) {
    this.#origin = origin;
  }

  /** The player: the first scenario, at its start, until the page loads one (as the page opens it). */
  get #p(): Player {
    this.#player ??= Player.forScenario(findScenario(FIRST_SCENARIO) as Scenario, 'catalogue');
    return this.#player;
  }

  /** Shows a capture instead of a scenario (the capture page's engine shows nothing else). */
  showCapture(run: CaptureRun): Summary {
    this.#capture = run;
    return run.summary(this.#origin);
  }

  /** Whether a scenario is open yet (the first one is opened by the first question about it). */
  get playing(): boolean {
    return this.#player !== undefined;
  }

  get step(): number {
    return this.#p.step;
  }

  get world(): World {
    return this.#p.world;
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
      case 'security-log':
        return this.securityLog();
      case 'capture':
        // the file is read a piece at a time by the worker, which hands the run to showCapture
        throw new EngineError('a capture is opened by the worker, not by the engine');
      case 'catalogue':
        return this.catalogue();
      case 'load':
        return this.load(req.source);
      case 'source':
        return this.source(req.scenario);
      case 'fault':
        return this.fault(req.fault);
      case 'insert':
        return this.insert(req.action, req.source, req.replaceLater ?? false);
      case 'undo':
        this.#p.undo();
        return this.summary();
      case 'plan':
        return { plan: this.#p.plan(), step: this.#p.step };
      case 'load-run':
        return this.loadRun(req.source, req.plan, req.step);
      case 'command':
        return this.command(req.host, req.line, req.replaceLater ?? false);
      case 'read-command': {
        const read = readCommand(req.host, req.line);
        return read.ok ? { ok: true } : read;
      }
      case 'export':
        return this.export(req.what, req.host);
      case 'drawn':
        // (the worker opens what it holds until then: worker.ts)
        return true;
    }
  }

  /** The picker's list: each scenario's header, the scenarios themselves validated when opened. */
  catalogue(): CatalogueEntry[] {
    return catalogueHeaders();
  }

  /** Plays another scenario. A scenario the user wrote that does not validate is a problem, not an error. */
  load(source: ScenarioSource): LoadResult {
    let player: Player;
    try {
      let s: AnyScenario | undefined;
      if (source.kind === 'catalogue') {
        s = findScenario(source.id);
        if (!s) throw new EngineError(`there is no scenario "${source.id}" in the catalogue`);
      } else {
        s = parseScenarioJson(source.text);
      }
      if (!s.available) {
        if (source.kind === 'catalogue') throw new EngineError(`${s.id} is not available yet: ${s.reason}`);
        return { ok: false, problem: { field: 'available', reason: `is false: ${s.reason}` } };
      }
      player = Player.forScenario(s as Scenario, source.kind === 'json' ? 'user' : 'catalogue');
    } catch (e) {
      const problem =
        e instanceof ScenarioError
          ? { field: e.field, reason: e.reason }
          : e instanceof PlayError && e.field
            ? { field: e.field, reason: e.message }
            : undefined;
      if (!problem) throw e;
      // the user's JSON goes back to its editor; a catalogue file that does not validate (the picker lists
      // it from its header) is the playground's own fault, said where the page says a failed load
      if (source.kind === 'catalogue')
        throw new EngineError(
          `the scenario "${source.id}" in this playground's catalogue does not validate (${problem.field}: ${problem.reason})`,
        );
      return { ok: false, problem };
    }
    this.#player = player;
    return { ok: true, summary: this.summary() };
  }

  /**
   * The keys over 2^18 PBKDF2 iterations a scenario would make (costly-keys.ts), for the worker to derive
   * ahead with the user's consent; or, for the user's JSON, why it does not validate (load says the same).
   */
  costlyKeys(source: ScenarioSource): KeyToMake[] {
    const s = this.#scenarioOf(source);
    return s?.available ? costlyKeys(s as Scenario) : [];
  }

  /**
   * The keys the scenario's KDCs make from passwords (kdcPasswordKeys), but the costly ones: the worker
   * makes them ahead with the browser's PBKDF2 before the world is built. Empty when it does not validate.
   */
  passwordKeys(source: ScenarioSource): PasswordKey[] {
    const s = this.#scenarioOf(source);
    if (!s?.available) return [];
    return kdcPasswordKeys((s as Scenario).kdc).filter((k) => (k.iterations ?? 0) <= ASK_ABOVE_ITERATIONS);
  }

  #scenarioOf(source: ScenarioSource): AnyScenario | undefined {
    try {
      if (source.kind === 'json') return parseScenarioJson(source.text);
      if (source.kind === 'catalogue') return findScenario(source.id);
    } catch (e) {
      if (e instanceof ScenarioError) return undefined; // load reports it
      throw e;
    }
    return undefined;
  }

  /** A catalogue scenario's file, as the user would start editing it. */
  source(id: string): string {
    const file = CATALOGUE_FILES.find((f) => (f as { id?: unknown }).id === id);
    if (!file) throw new EngineError(`there is no scenario "${id}" in the catalogue`);
    return JSON.stringify(file, null, 2) + '\n';
  }

  goto(step: number): Summary {
    try {
      this.#p.goto(step);
    } catch (e) {
      if (e instanceof PlayError) {
        throw new EngineError(e.field ? `${e.field}: ${e.message}` : e.message);
      }
      throw e;
    }
    return this.summary();
  }

  fault(fault: FaultAction): Summary {
    try {
      this.#p.inject(fault);
    } catch (e) {
      if (e instanceof PlayError) throw new EngineError(e.message);
      throw e;
    }
    return this.summary();
  }

  /** Plays a saved or shared run: its base scenario as `load` does, then its plan checked entry by entry. */
  loadRun(source: ScenarioSource, plan: unknown[], step: number): RunLoadResult {
    const base = this.load(source);
    if (!base.ok) return base;
    const p = this.#p;
    const { player, problem } = Player.fromPlan(p.scenario, p.info.source, plan, step);
    this.#player = player;
    if (!problem) return { ok: true, summary: this.summary() };
    const reason = problem.field ? `${problem.field}: ${problem.message}` : problem.message;
    return { ok: true, summary: this.summary(), planProblem: { entry: problem.entry, reason } };
  }

  insert(action: unknown, source: InsertSource, replaceLater: boolean): Summary {
    try {
      this.#p.insert(action, source, { replaceLater });
    } catch (e) {
      if (e instanceof PlayError) {
        throw new EngineError(e.field ? `${e.field}: ${e.message}` : e.message);
      }
      throw e;
    }
    return this.summary();
  }

  /** A line typed at `host`'s console, played as a 'typed' insert, or the error lines it prints. */
  command(host: string, line: string, replaceLater: boolean): CommandAnswer {
    const w = this.#p.world;
    const linux = osOf(host, knownOf(this.#p.scenario)) === 'linux';
    const shell = w.hosts.some((h) => h.id === host) ? shellOf(w, host) : 'cmd';
    const read = readCommand(host, line, linux ? 'linux' : shell);
    if (!read.ok) return read;
    try {
      return { ok: true, summary: this.insert(read.action, 'typed', replaceLater) };
    } catch (e) {
      // checked against the world (a host it does not have, an SPN it cannot know): printed, not thrown
      if (e instanceof EngineError) return { ok: false, error: [`${line.trim()}: ${e.message}`] };
      throw e;
    }
  }

  summary(): Summary {
    const p = this.#p;
    const w = p.world;
    const users = p.users();
    return {
      engine: this.#origin,
      scenario: p.info,
      step: p.step,
      steps: p.steps(),
      now: w.now,
      world: this.#worldView(),
      trace: w.trace.filter((e) => p.shown(e)).map((e) => this.#row(e, w.trace)),
      outcomes: p.outcomes(),
      tickets: ticketSpans(p.history()),
      consoles: p.clientHosts().map((h) => ({
        ...consoleOf(h, users.get(h) ?? h, p.played(), w.trace, (seq) => p.noteOf(seq), promptOf(w, h)),
        completion: vocabularyOf(w, w.linuxHost(h) ? 'linux' : shellOf(w, h)),
        ...(w.linuxHost(h) ? { os: 'linux' as const } : {}),
      })),
      faults: p.faults,
      later: p.later,
      ...(p.undoable !== undefined ? { undoable: p.undoable } : {}),
      clockMarks: clockMarks(w),
    };
  }

  detail(seq: number): EventDetail {
    if (this.#capture) return this.#capture.detail(seq);
    const p = this.#p;
    const trace = p.world.trace;
    const event = trace.find((e) => e.seq === seq);
    if (!event) {
      throw new EngineError(`there is no event #${seq} at step ${p.step} (the trace has ${trace.length})`);
    }
    const narration = narrationOf(event, trace).map((n) => ({ ...n }));
    const row = this.#row(event, trace);
    const rerun = rerunOf(p, row.step);
    if (event.kind !== 'message' || !event.bytes) return { row, parts: [], narration, rerun };
    const inspected = this.#inspectorNow(trace).inspect(trace, seq);
    return {
      row,
      rerun,
      bytes: event.bytes.slice(),
      ...(inspected?.tree ? { tree: inspected.tree } : {}),
      parts: inspected?.parts ?? [],
      narration,
      ...(inspected?.problem ? { problem: inspected.problem } : {}),
    };
  }

  /**
   * The inspector decodes the trace in order once, learning session keys as it goes. It starts again
   * for another scenario, after a fault (the trace after it is another story), when the trace no longer
   * has the messages it read (an insert at an earlier step played the later ones again), and when the KDCs
   * hold a key it does not know (a password change, a key rotation).
   */
  #inspectorNow(trace: readonly TraceEvent[]): TraceInspector {
    const p = this.#p;
    const ids = (kdcs: Parameters<typeof worldKeytab>[0]) =>
      worldKeytab(kdcs).map(
        (e) => `${e.principal.name.nameString.join('/')}@${e.principal.realm}|${e.key.etype}|${e.kvno}`,
      );
    const now = ids(p.world);
    const f = this.#inspectorFor;
    if (
      !this.#inspector ||
      !f ||
      f.player !== p ||
      f.faults !== p.faults ||
      now.some((id) => !f.keys.has(id)) ||
      !this.#inspector.follows(trace)
    ) {
      const kdcs = { kdcs: [...p.initial.kdcs, ...p.world.kdcs] };
      this.#inspector = new TraceInspector(kdcs, passwordKeyFinder(kdcs.kdcs, p.scenario));
      this.#inspectorFor = { player: p, faults: p.faults, keys: new Set(ids(kdcs)) };
    }
    return this.#inspector;
  }

  klist(host: string, style: KlistStyle): KlistView {
    let client;
    try {
      client = clientOf(this.#p.world, host);
    } catch {
      throw new EngineError(`${host} has no Kerberos client, so no credential cache`);
    }
    const now = this.#p.world.hostNow(host);
    // a Linux host has MIT's klist only: -e -f as that host prints it (its cache file, en_US dates)
    if (this.#p.world.linuxHost(host))
      return {
        host,
        style: 'mit',
        text: klistText(this.#p.world, host, { etypes: true, flags: true }).text,
      };
    const logonId = this.#p.world.windowsHost(host)?.logonId;
    const text =
      style === 'mit'
        ? listMit(client.cache, { now })
        : listWindows(client.cache, { now, ...(logonId ? { logonId } : {}) });
    return { host, style, text };
  }

  /** Each DC's Security log at the current step: what it wrote up to now (a step back restores it). */
  securityLog(): SecurityLogView {
    const dcs = securityLogsOf(this.#p.world.kdcs).map((d) => ({ ...d, events: [...d.events] }));
    return { dcs };
  }

  export(what: ExportKind, host?: string): ExportFile {
    const p = this.#p;
    const w = p.world;
    const base = p.info.id;
    const at = `step ${p.step}`;
    switch (what) {
      case 'pcapng': {
        const plan = planPcapExport(w);
        const frames = plan.messages.length;
        const smb = plan.messages.filter((m) => m.transport === 'smb').length;
        const left = plan.skipped.length
          ? `; ${plan.skipped.length} trace events are left out (modelled steps with no bytes on a wire)`
          : '';
        return {
          name: `${base}.pcapng`,
          mime: 'application/vnd.tcpdump.pcap',
          bytes: exportPcapng(w),
          about: `${frames} messages up to ${at}: Kerberos (AS, TGS, the KDC proxy's HTTP)${smb ? ` and ${smb} SMB2 messages on TCP 445` : ''}${left}. ${howToOpen(base)}`,
        };
      }
      case 'kkdcp-lua':
        return {
          name: KKDCP_LUA_NAME,
          mime: 'text/x-lua',
          bytes: new TextEncoder().encode(KKDCP_LUA),
          about: `a Wireshark dissector for the KDC proxy's bodies (Wireshark has none): tshark -X lua_script:${KKDCP_LUA_NAME}, or copy it into Wireshark's personal Lua plugins folder (Help → About Wireshark → Folders).`,
        };
      case 'smb-keys': {
        const keys = smbSessionKeys(w);
        return {
          name: 'smb2_seskey_list',
          // not text/plain: a browser would add ".txt", and Wireshark reads the file by this exact name
          mime: 'application/octet-stream',
          bytes: new TextEncoder().encode(exportSmbSessionKeys(w)),
          about: keys.length
            ? `${keys.length} SMB session${keys.length === 1 ? '' : 's'} up to ${at} (id and session key): put the file in your Wireshark profile folder, or give each line to tshark as -o uat:smb2_seskey_list:LINE; Wireshark then opens the encrypted SMB3 and checks the signatures.`
            : `no SMB session was set up up to ${at}: the file is empty.`,
        };
      }
      case 'keytab': {
        const entries = this.#keytab();
        return {
          name: `${base}.keytab`,
          mime: 'application/octet-stream',
          bytes: encodeKeytab({ entries }),
          about: `${entries.length} long-term keys of the world’s KDCs: in Wireshark, Preferences → Protocols → KRB5 → Kerberos keytab file, and tick “Try to decrypt Kerberos blobs”.`,
        };
      }
      case 'ccache': {
        const h = host ?? p.clientHosts()[0];
        if (!h) throw new EngineError('this world has no Kerberos client, so no credential cache');
        let bytes: Uint8Array;
        try {
          bytes = exportCcache(w, h);
        } catch {
          throw new EngineError(`${h} has no Kerberos client, so no credential cache`);
        }
        const n = w.client(h).cache.credentials.length;
        return {
          name: `${base}-${h}.ccache`,
          mime: 'application/octet-stream',
          bytes,
          about: `${h}'s credential cache at ${at} (${n} ticket${n === 1 ? '' : 's'}): klist -c FILE lists it.`,
        };
      }
      case 'report-html':
      case 'report-md':
        return this.#report(what === 'report-html' ? 'html' : 'md');
      case 'trace-json': {
        const json = { scenario: p.info.id, step: p.step, ...traceToJson(w) };
        const text = JSON.stringify(json, null, 2) + '\n';
        return {
          name: `${base}-trace.json`,
          mime: 'application/json',
          bytes: new TextEncoder().encode(text),
          about: `${w.trace.length} trace events up to ${at}, with the bytes in hex.`,
        };
      }
    }
  }

  /**
   * The case report of the run up to the current step: its timeline, the first failing step with the
   * world as it was at that step's end (klist, dsregcmd, the Security log), the outcomes, and what the
   * Export menu gives attached.
   */
  #report(format: 'html' | 'md'): ExportFile {
    const p = this.#p;
    const here = p.step;
    const steps: CaseStep[] = p.played().map((s, i) => ({
      index: i + 1,
      title: s.title,
      t: s.record.t,
      ok: s.record.ok,
      output: s.record.output,
      fromSeq: s.record.fromSeq,
      toSeq: s.record.toSeq,
    }));
    const attachments = REPORT_ATTACHMENTS.map((k) => this.export(k));
    const outcomes = p.outcomes();
    const failing = steps.find((s) => !s.ok);
    let report: CaseReport;
    try {
      if (failing && failing.index !== here) p.goto(failing.index);
      report = caseReport({
        scenario: p.info,
        steps,
        world: p.world,
        clients: p.scenario.clients.map((c) => ({ host: c.host, ...(c.os ? { os: c.os } : {}) })),
        outcomes,
        attachments,
      });
    } finally {
      if (p.step !== here) p.goto(here);
    }
    const text = format === 'html' ? caseReportHtml(report) : caseReportMarkdown(report);
    return {
      name: `${p.info.id}-case-report.${format}`,
      mime: format === 'html' ? 'text/html' : 'text/markdown',
      bytes: new TextEncoder().encode(text),
      about: `the run up to step ${here}${failing ? `, step ${failing.index} failing` : ''}, with ${attachments.map((a) => a.name).join(', ')} attached: one file that opens offline.`,
    };
  }

  /** The keys of the KDCs at the start and now (a rotated key and its predecessor both decrypt). */
  #keytab(): KeytabEntry[] {
    const p = this.#p;
    const seen = new Set<string>();
    const out: KeytabEntry[] = [];
    for (const world of [World.restore(p.initial), p.world]) {
      for (const e of keytabEntries(world)) {
        const id = `${e.principal.name.nameString.join('/')}@${e.principal.realm}|${e.kvno}|${e.key.etype}|${Array.from(e.key.bytes).join(',')}`;
        if (seen.has(id)) continue;
        seen.add(id);
        out.push(e);
      }
    }
    return out;
  }

  #row(e: TraceEvent, trace: readonly TraceEvent[]): TraceRow {
    const p = this.#p;
    const line = headline(e, trace);
    // a referral is a ticket to another realm's krbtgt: a reply, and never an error
    const referral =
      e.kind === 'message' &&
      e.replyTo !== undefined &&
      e.errorCode === undefined &&
      e.type !== 'KRB-ERROR' &&
      (trace.find((x) => x.seq === e.replyTo)?.narration ?? []).some(
        (n) => n.stage === 'referral' && !spokenBy(n, e.to),
      );
    const windowsError = e.windowsError ?? p.noteOf(e.seq)?.windowsError;
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
      modelled: p.modelled(e),
      ...(windowsError !== undefined
        ? {
            windowsError,
            windowsErrorText: windowsErrorText(windowsError),
            ...(windowsErrorWhy(windowsError) ? { windowsErrorWhy: windowsErrorWhy(windowsError) } : {}),
          }
        : {}),
      step: this.#stepOf(e.seq),
      tone: toneOf(e),
      inspectable: e.kind === 'message' && e.bytes !== undefined,
      ...(line ? { headline: line } : {}),
      ...(referral ? { referral } : {}),
    };
  }

  /** The step whose run recorded trace event `seq`. */
  #stepOf(seq: number): number {
    const records = this.#p.records;
    const i = records.findIndex((r) => seq >= r.fromSeq && seq <= r.toSeq);
    return i >= 0 ? i + 1 : this.#p.step;
  }

  #worldView(): WorldView {
    const w = this.#p.world;
    const roles = new Map<string, string[]>();
    const add = (host: string, role: string) => roles.set(host, [...(roles.get(host) ?? []), role]);
    for (const host of w.clientHosts()) add(host, `client ${w.client(host).config.principal}`);
    for (const k of w.kdcs) add(k.host, `KDC for ${k.state.realms.map((r) => r.name).join(', ')}`);
    for (const s of w.services) {
      add(s.host, `${s.state.name.nameString.join('/')}@${s.state.realm} (${s.transport} ${s.port})`);
    }
    const hosts: HostView[] = w.hosts.map((h) => ({
      id: h.id,
      name: h.name,
      roles: roles.get(h.id) ?? [],
      clock: w.hostNow(h.id),
      clockOffset: h.clockOffset,
      up: h.up,
    }));
    const trusts = w.kdcs.flatMap((k) => k.state.trusts);
    const realms: RealmView[] = Object.entries(w.locator).map(([name, loc]) => ({
      name,
      kdcHost: loc.host,
      transport: loc.transport,
      trustedBy: [...new Set(trusts.filter((t) => t.to === name).map((t) => t.from))],
    }));
    const policies = w.clientHosts().map((host) => ({
      host,
      hostRealm: { ...(w.client(host).config.hostRealm ?? {}) },
    }));
    return {
      hosts,
      realms,
      links: w.network.links.map((l) => ({
        a: l.a,
        b: l.b,
        up: l.up,
        ...(l.latency !== undefined ? { latency: l.latency } : {}),
      })),
      blocked: w.network.blocked.map((b) => ({ ...b })),
      policies,
      policy: policyView(w),
    };
  }
}

/** The tshark line that opens a capture export with the files exported beside it. */
export function howToOpen(base: string): string {
  return (
    `Open it with the keytab, kkdcp.lua and the SMB session keys: tshark -2 -r ${base}.pcapng ` +
    `-X lua_script:${KKDCP_LUA_NAME} -o kerberos.decrypt:TRUE -o kerberos.file:${base}.keytab ` +
    `-o smb2.verify_signatures:TRUE -o uat:smb2_seskey_list:LINE (each line of smb2_seskey_list).`
  );
}
