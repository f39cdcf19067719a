/**
 * "My scenarios": the user's runs, kept in this browser as they are made. A run is the base scenario (a
 * catalogue id or the user's JSON), the whole plan (the scenario's steps and what the user put in:
 * typed commands, faults, policies, clock moves) and the current step — `SavedRun` (lib/run-doc.ts), a
 * document kind of the versioned work store (lib/work-store.ts).
 *
 * - Kept without asking: once the user has put something into the timeline, every change (and every
 *   step moved) is written; the address bar then names the kept run ("#/m/<id>"), so a reload opens the
 *   same run at the same step. A write the browser refuses is said, with the way out (export a file).
 * - Listed, renamed, duplicated, deleted (with undo), exported and imported as JSON files (bounded,
 *   checked, refused with a reason). A stored entry that cannot be read is listed as damaged and left as
 *   it is; the others are unaffected.
 * - Shared: the share link carries the whole run ("#/r2/…", lib/run-link.ts); a link pasted into an open
 *   tab is followed (`follow`, on hashchange). A run that no longer plays opens its base scenario and
 *   says which entry could not be played and why; what is stored is not touched.
 */
import type { EngineClient } from '../engine/engine-client';
import type { ScenarioSource, Summary } from '../engine/protocol';
import { parseRunFile, RUN, RUN_FORMAT, RunFileError, type SavedRun } from '../lib/run-doc';
import { isRunId, newRunId, readLink, runHash, savedRunHash } from '../lib/run-link';
import { dayOf, minuteOf } from '../lib/time';
import { WorkStore, type Doc, type WriteResult } from '../lib/work-store';
import type { Playground, RunHooks } from './playground.svelte';

/** One run as the list shows it. */
export interface RunEntry {
  id: string;
  name: string;
  /** The base scenario's id, or "your JSON". */
  base: string;
  steps: number;
  /** Steps the user put in. */
  yours: number;
  step: number;
  at: number;
  versions: number;
  /** Set when the stored entry cannot be read: why (it is left as it is). */
  damaged?: string;
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));
const MAX_NAME = 200;

function tabName(): string {
  const bytes = new Uint8Array(6);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function baseOf(source: ScenarioSource): SavedRun['base'] {
  return source.kind === 'catalogue'
    ? { kind: 'catalogue', id: source.id }
    : { kind: 'json', text: source.text };
}

function sourceOf(base: SavedRun['base']): ScenarioSource {
  return base.kind === 'catalogue' ? { kind: 'catalogue', id: base.id } : { kind: 'json', text: base.text };
}

const clip = (name: string) => name.trim().slice(0, MAX_NAME);

function setHash(hash: string): void {
  if (typeof history !== 'undefined' && typeof location !== 'undefined' && location.hash !== hash)
    history.replaceState(null, '', hash);
}

export class MyRuns implements RunHooks {
  /** The kept runs, newest first (damaged ones too, as such). */
  list = $state.raw<RunEntry[]>([]);
  /** The run on screen, when it is kept. */
  current = $state<string | undefined>();
  /** A sentence about keeping runs (a write refused, an import refused, a run that no longer plays). */
  notice = $state<string | undefined>();
  /** The run just deleted, until its undo is no longer offered. */
  removed = $state.raw<Doc<SavedRun> | undefined>();

  readonly #pg: Playground;
  readonly #engine: EngineClient;
  readonly #store: WorkStore;
  #unwatch: (() => void) | undefined;
  /** What the run on screen starts from (for keeping it and for its link). */
  #base: SavedRun['base'] | undefined;
  /** The run on screen was deleted: it is not kept again until another one is opened. */
  #paused = false;
  #rev = 0;
  #name = '';
  #opening = false;
  #queue: Promise<void> = Promise.resolve();

  constructor(pg: Playground, engine: EngineClient, storage: Storage | undefined, events?: EventTarget) {
    this.#pg = pg;
    this.#engine = engine;
    this.#store = new WorkStore(storage, { tab: tabName(), now: () => Date.now() });
    pg.runs = this;
    this.refresh();
    if (events) this.#unwatch = this.#store.watch(events, RUN, () => this.refresh());
  }

  dispose(): void {
    this.#unwatch?.();
    this.#unwatch = undefined;
  }

  /** Resolves when every write asked for so far is made (for tests, and before a page goes away). */
  settled(): Promise<void> {
    return this.#queue;
  }

  refresh(): void {
    this.list = this.#store.list(RUN).map((s): RunEntry => {
      const r = s.damaged ? undefined : this.#store.read(RUN, s.id);
      if (!r || r.status !== 'ok')
        return {
          id: s.id,
          name: s.id,
          base: '',
          steps: 0,
          yours: 0,
          step: 0,
          at: s.at,
          versions: 0,
          damaged: s.damaged ?? (r && 'message' in r ? r.message : 'it cannot be read'),
        };
      const run = r.doc.versions.at(-1)!.value;
      return {
        id: s.id,
        name: run.name,
        base: run.base.kind === 'catalogue' ? run.base.id : 'your JSON',
        steps: run.plan.length,
        yours: run.plan.filter((p) => p.source !== 'scenario').length,
        step: run.step,
        at: s.at,
        versions: s.versions,
      };
    });
  }

  // ---- hooks from the page ----

  loaded(source: ScenarioSource): void {
    if (this.#opening) return;
    this.#base = baseOf(source);
    this.#paused = false;
    this.current = undefined;
    this.#rev = 0;
  }

  shown(summary: Summary): void {
    if (this.#opening || this.#paused || !this.#base) return;
    const base = this.#base;
    this.#queue = this.#queue
      .then(() => this.#keep(base, summary))
      .catch((e: unknown) => {
        this.notice = `Your run could not be kept: ${messageOf(e)}`;
      });
  }

  async open(hash: string): Promise<boolean> {
    // scenario links ("#/s/", "#/j/") are the page's own to open
    if (!/^#\/(r\d+|m)\//.test(hash)) return false;
    let target;
    try {
      target = await readLink(hash);
    } catch (e) {
      this.#pg.linkProblem = messageOf(e);
      return false;
    }
    if (target?.kind === 'run') return this.#openShared(target.run);
    if (target?.kind === 'saved') return this.openSaved(target.id, { fromLink: true });
    return false;
  }

  async shareHash(): Promise<string | undefined> {
    await this.#queue;
    const { plan, step } = await this.#engine.ask('plan', {});
    if (!this.#base) return undefined;
    if (step === 0 && plan.every((p) => p.source === 'scenario')) return undefined;
    return runHash({
      format: RUN_FORMAT,
      name: this.#name || this.#defaultName(),
      base: this.#base,
      plan,
      step,
    });
  }

  /** A link pasted into the address bar of the open tab (hashchange): opened as at start. */
  async follow(hash: string): Promise<void> {
    if (this.current && hash === savedRunHash(this.current)) return;
    await this.#queue;
    let target;
    try {
      target = await readLink(hash);
    } catch (e) {
      this.#pg.linkProblem = messageOf(e);
      return;
    }
    if (!target) return;
    this.#pg.linkProblem = undefined;
    if (target.kind === 'run') await this.#openShared(target.run);
    else if (target.kind === 'saved') await this.openSaved(target.id, { fromLink: true });
    else if (target.kind === 'catalogue') {
      const entry = this.#pg.catalogue.find((c) => c.id === target.id);
      if (!entry?.available)
        this.#pg.linkProblem = entry
          ? `the scenario "${target.id}" cannot be played yet: it ${entry.reason ?? 'is not available'}`
          : `there is no scenario with the id "${target.id}" in this playground`;
      else await this.#pg.load(target);
    } else if (!(await this.#pg.load(target)))
      this.#pg.linkProblem =
        `the scenario in this link does not validate: ${this.#pg.problem?.field ?? ''} ${this.#pg.problem?.reason ?? ''}`.trim();
  }

  // ---- the list's actions ----

  /** Opens a kept run: the same plan at the same step; a plan that no longer plays is said. */
  async openSaved(id: string, opts: { fromLink?: boolean } = {}): Promise<boolean> {
    await this.#queue;
    const r = isRunId(id) ? this.#store.read(RUN, id) : undefined;
    if (!r || r.status !== 'ok') {
      const why =
        !r || r.status === 'absent'
          ? `there is no run "${id}" kept in this browser (it was deleted, or kept in another browser)`
          : r.message;
      if (opts.fromLink) this.#pg.linkProblem = why;
      else this.notice = why;
      return false;
    }
    const run = r.doc.versions.at(-1)!.value;
    const played = await this.#play(run);
    if (played === 'run') {
      this.current = id;
      this.#rev = r.doc.rev;
      this.#name = run.name;
      setHash(savedRunHash(id));
    }
    return played !== 'nothing';
  }

  rename(id: string, name: string): boolean {
    const n = clip(name);
    if (n === '') {
      this.notice = 'A run needs a name (1 to 200 characters).';
      return false;
    }
    return this.#update(id, (run) => ({ ...run, name: n }), `renamed “${n}”`);
  }

  duplicate(id: string): string | undefined {
    const r = this.#store.read(RUN, id);
    if (r.status !== 'ok') {
      this.notice = r.status === 'absent' ? `there is no run "${id}"` : r.message;
      return undefined;
    }
    const run = r.doc.versions.at(-1)!.value;
    const copy = newRunId();
    const w = this.#store.write(
      RUN,
      copy,
      { ...run, name: clip(`copy of ${run.name}`) },
      { base: 0, label: `copy of ${id}` },
    );
    this.refresh();
    return this.#said(w) ? copy : undefined;
  }

  remove(id: string): void {
    const r = this.#store.read(RUN, id);
    const base = r.status === 'ok' ? r.doc.rev : 0;
    const out = this.#store.remove(RUN, id, { base });
    if (!out.ok) this.notice = out.message;
    else {
      this.removed = out.removed;
      if (this.current === id) {
        // the run stays on screen, no longer kept (until another scenario or run is opened)
        this.current = undefined;
        this.#paused = true;
      }
    }
    this.refresh();
  }

  undoRemove(): void {
    if (!this.removed) return;
    this.#said(this.#store.putBack(RUN, this.removed));
    this.removed = undefined;
    this.refresh();
  }

  /** A kept run as a file's name and text (the same JSON a run file holds). */
  exportRun(id: string): { name: string; text: string } | undefined {
    const r = this.#store.read(RUN, id);
    if (r.status !== 'ok') {
      this.notice = r.status === 'absent' ? `there is no run "${id}"` : r.message;
      return undefined;
    }
    const run = r.doc.versions.at(-1)!.value;
    const stem =
      run.name
        .replace(/[^A-Za-z0-9._-]+/g, '-')
        .replace(/^-+|-+$/g, '')
        .slice(0, 60) || 'run';
    return { name: `${stem}.run.json`, text: JSON.stringify(run, null, 2) + '\n' };
  }

  /** A run file the user chose: checked, then kept as a new run (not opened). */
  importFile(fileName: string, text: string): string | undefined {
    let run: SavedRun;
    try {
      run = parseRunFile(text);
    } catch (e) {
      if (!(e instanceof RunFileError)) throw e;
      this.notice = `${fileName} was not imported: ${e.message}`;
      return undefined;
    }
    const id = newRunId();
    const w = this.#store.write(RUN, id, run, { base: 0, label: `imported from ${fileName.slice(0, 100)}` });
    this.refresh();
    if (!this.#said(w)) return undefined;
    this.notice = undefined;
    return id;
  }

  // ---- inside ----

  #defaultName(): string {
    const s = this.#pg.scenario;
    const now = Date.now();
    const when = `${dayOf(now)} ${minuteOf(now)}`;
    return clip(`${s?.id ?? 'run'} · ${when}`);
  }

  async #keep(base: SavedRun['base'], summary: Summary): Promise<void> {
    if (this.#base !== base) return; // another scenario was loaded meanwhile
    const { plan, step } = await this.#engine.ask('plan', {});
    if (!this.current && plan.every((p) => p.source === 'scenario')) return;
    const label = summary.steps[step - 1]?.title ?? 'the start';
    if (!this.current) {
      const id = newRunId();
      this.#name = this.#defaultName();
      const w = this.#store.write(
        RUN,
        id,
        { format: RUN_FORMAT, name: this.#name, base, plan, step },
        { base: 0, label },
      );
      if (this.#said(w)) {
        this.current = id;
        this.#rev = w.ok ? w.doc.rev : 0;
        setHash(savedRunHash(id));
      }
      this.refresh();
      return;
    }
    const id = this.current;
    const head = this.#store.read(RUN, id);
    const prev = head.status === 'ok' ? head.doc.versions.at(-1)!.value : undefined;
    const name = prev?.name ?? this.#name;
    const samePlan = prev !== undefined && JSON.stringify(prev.plan) === JSON.stringify(plan);
    const run: SavedRun = { format: RUN_FORMAT, name, base, plan, step };
    const w = this.#store.write(RUN, id, run, {
      base: this.#rev,
      label: samePlan ? 'moved to another step' : label,
      amend: samePlan,
    });
    if (!w.ok && w.why === 'conflict') {
      // another tab changed this run meanwhile: theirs stays, this tab's goes on as a copy
      const copy = newRunId();
      const c = this.#store.write(
        RUN,
        copy,
        { ...run, name: clip(`${name} (this tab)`) },
        { base: 0, label },
      );
      if (this.#said(c)) {
        this.current = copy;
        this.#rev = c.ok ? c.doc.rev : 0;
        setHash(savedRunHash(copy));
        this.notice = `Another tab changed “${name}” meanwhile: theirs is kept as it is, and this tab’s run is kept as “${name} (this tab)”.`;
      }
    } else if (this.#said(w) && w.ok) this.#rev = w.doc.rev;
    this.refresh();
  }

  /**
   * Plays a run (kept or shared): 'run' when it played; 'base' when its plan no longer plays (the base
   * scenario is open, and where and why is said); 'nothing' when not even the base could be opened.
   */
  async #play(run: SavedRun): Promise<'run' | 'base' | 'nothing'> {
    this.#opening = true;
    let r;
    try {
      r = await this.#pg.openRun(sourceOf(run.base), run.plan, run.step);
    } catch (e) {
      this.notice = `“${run.name}” could not be opened: ${messageOf(e)}`;
      return 'nothing';
    } finally {
      this.#opening = false;
    }
    if (!r.ok) {
      this.notice = `“${run.name}” could not be opened: the scenario it starts from does not validate (${r.problem.field ? `${r.problem.field}: ` : ''}${r.problem.reason}). It is kept as it was.`;
      return 'nothing';
    }
    this.#base = run.base;
    this.#paused = false;
    if (r.planProblem) {
      const e = run.plan[r.planProblem.entry] as { source?: unknown; action?: { do?: unknown } } | undefined;
      const what = e ? ` (${String(e.source)}: ${String(e.action?.do ?? 'no action')})` : '';
      this.#pg.notice = `“${run.name}” could not be played from step ${r.planProblem.entry + 1}${what}: ${r.planProblem.reason}. Its base scenario is open at the start instead; the kept run is left as it was.`;
      this.current = undefined;
      this.#rev = 0;
      return 'base';
    }
    return 'run';
  }

  async #openShared(run: SavedRun): Promise<boolean> {
    const played = await this.#play(run);
    if (played !== 'run') return played === 'base';
    // a run from a link is kept in this browser as a run of its own
    const id = newRunId();
    this.#name = run.name;
    const w = this.#store.write(RUN, id, run, { base: 0, label: 'opened from a link' });
    if (this.#said(w) && w.ok) {
      this.current = id;
      this.#rev = w.doc.rev;
      setHash(savedRunHash(id));
    } else this.current = undefined;
    this.refresh();
    return true;
  }

  /** Says a refused write (storage full, switched off, damaged…); true when it was made. */
  #said(w: WriteResult<SavedRun>): w is Extract<WriteResult<SavedRun>, { ok: true }> {
    if (w.ok) return true;
    this.notice = `Your run is not kept in this browser: ${w.message}. Export it as a file to keep it.`;
    return false;
  }

  #update(id: string, change: (run: SavedRun) => SavedRun, label: string): boolean {
    const r = this.#store.read(RUN, id);
    if (r.status !== 'ok') {
      this.notice = r.status === 'absent' ? `there is no run "${id}"` : r.message;
      return false;
    }
    const run = change(r.doc.versions.at(-1)!.value);
    const w = this.#store.write(RUN, id, run, { base: r.doc.rev, label });
    if (w.ok && id === this.current) {
      this.#rev = w.doc.rev;
      this.#name = run.name;
    }
    this.refresh();
    return this.#said(w);
  }
}
