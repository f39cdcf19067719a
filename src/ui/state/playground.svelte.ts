/**
 * The state behind the playground page: the scenario played and where it stands (from the engine's
 * Worker), the message selected in the trace and its detail, the field selected in the inspector, the
 * console's host and its klist, the user's own scenario JSON (kept, with its versions, in the work store
 * over localStorage: lib/work-store.ts), faults, exports and share links, and a link that cannot be opened. Components read it and call its methods; all talking to the Worker happens here.
 */
import { SvelteSet } from 'svelte/reactivity';
import type { EngineClient } from '../engine/engine-client';
import type {
  CaptureProgress,
  CatalogueEntry,
  EventDetail,
  ExportKind,
  FaultAction,
  InsertSource,
  KlistStyle,
  KlistView,
  SecurityLogView,
  PasswordGiven,
  RunLoadResult,
  ScenarioProblem,
  ScenarioSource,
  Summary,
  TraceRow,
  ViewNode,
} from '../engine/protocol';
import type { Span } from '../lib/hex';
import { Draft, type Conflict, type KeepState, type Undo } from '../lib/draft';
import { migrateLegacyJson, MY_SCENARIO, SCENARIO_JSON } from '../lib/saved-json';
import { catalogueHash, jsonHash, readShareHash, type SharedScenario } from '../lib/share';
import { WorkStore, type Doc, type Version } from '../lib/work-store';
import { expansionSlices, findNode, initiallyOpen, nodeAtByte, pathTo } from '../lib/tree';
import { readDeepLink } from '../lib/deep-link';
import { unknownPlaygroundLink } from '../lib/route';
import { followDeepLink } from './follow-link';

export type PlaygroundStatus = 'starting' | 'ready' | 'busy' | 'error';

/** This browser's localStorage, or undefined when the browser does not let the page have it. */
export function browserStorage(): Storage | undefined {
  try {
    return globalThis.localStorage ?? undefined;
  } catch {
    // a SecurityError: storage is switched off for this site
    return undefined;
  }
}

/** A name for this page load, in the versions it keeps (so it never amends another tab's typing). */
function tabName(): string {
  const bytes = new Uint8Array(6);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** The host whose credential cache the klist pane shows first. */
export const KLIST_HOST = 'ws1';

/**
 * "Expand all" opens this many nodes a frame: the tree then draws only the fields in sight (TreeView), so
 * a slice costs a walk of the fields on screen and a window of rows, whatever the tree's size.
 */
const EXPAND_SLICE = 40;

/** The scenario the page opens with when the link names none. */
export const FIRST_SCENARIO = 'kerberos-101';

/**
 * What keeps the user's runs ("My scenarios": state/my-runs.svelte.ts) hears from the page: a scenario
 * loaded, a run shown after any change; it opens the links it reads and makes the share link of a run.
 */
export interface RunHooks {
  loaded(source: ScenarioSource): void;
  shown(summary: Summary): void;
  /** Opens what `hash` names if it is a run's link; false when it is not one, or could not be opened. */
  open(hash: string): Promise<boolean>;
  /** The hash carrying the whole run, or undefined when the scenario's own link says it all. */
  shareHash(): Promise<string | undefined>;
}

/** A file the engine made, offered to the reader. */
export interface Download {
  name: string;
  about: string;
  url: string;
  size: number;
}

/**
 * The row to show after moving to a step: the first Kerberos message the step sent; else, when it sent
 * none (a mount refused before Kerberos, a clock change), its first failure or message, or its last line;
 * else (step 0) the last message before it.
 */
export function messageToShow(trace: readonly TraceRow[], step: number): number | undefined {
  const inspectable = trace.filter((r) => r.inspectable);
  const own = trace.filter((r) => r.step === step);
  const pick =
    own.find((r) => r.inspectable) ??
    own.find((r) => r.tone === 'failure' || r.windowsError !== undefined) ??
    own.find((r) => r.kind === 'message') ??
    own.at(-1) ??
    inspectable.at(-1);
  return pick?.seq;
}

export class Playground {
  status = $state<PlaygroundStatus>('starting');
  /** How many keys the engine had made from passwords when it gave the summary shown (0 at first paint). */
  keysMade = $state<number | undefined>();
  /** Why the engine cannot go on (the page shows it instead of the panes). */
  error = $state<string | undefined>();
  summary = $state.raw<Summary | undefined>();

  selectedSeq = $state<number | undefined>();
  detail = $state.raw<EventDetail | undefined>();
  detailError = $state<string | undefined>();
  selectedNodeId = $state<string | undefined>();
  /** Tree nodes shown open. */
  readonly open = new SvelteSet<string>();
  /** Which bytes the hex dump shows: 0 the message, k the plaintext of part k-1. */
  hexSpace = $state(0);

  klistStyle = $state<KlistStyle>('windows');
  klist = $state.raw<KlistView | undefined>();
  klistError = $state<string | undefined>();
  /** Each DC's Security log at the current step. */
  securityLog = $state.raw<SecurityLogView | undefined>();

  /** The picker's scenarios. */
  catalogue = $state.raw<CatalogueEntry[]>([]);
  /** A problem that does not stop the page (a step the scenario's data cannot play, a refused fault). */
  notice = $state<string | undefined>();
  /** The console's host. */
  consoleHost = $state(KLIST_HOST);

  /** The JSON editor: open or not, its text, and what is wrong with it. */
  editorOpen = $state(false);
  editorText = $state('');
  problem = $state<ScenarioProblem | undefined>();
  /** The user's text from an earlier visit, offered back until taken or forgotten. */
  saved = $state.raw<Version<string> | undefined>();
  /** Whether the editor's text is kept in this browser (and as which version), or why not. */
  keep = $state.raw<KeepState>({ state: 'new' });
  /** The last replacement of the editor's text (a copy, a file, a link), which Undo takes back. */
  undo = $state.raw<Undo | undefined>();
  /** Another tab changed the user's scenario: theirs, waiting for the user's choice. */
  conflict = $state.raw<Conflict<string> | undefined>();
  /** The versions kept of the user's scenario, newest first. */
  history = $state.raw<Version<string>[]>([]);
  /** The user's scenario just forgotten, until the undo is no longer offered. */
  forgotten = $state.raw<Doc<string> | undefined>();
  /** A problem of the editor's own (a file too large, a copy that could not be made safely). */
  editorNotice = $state<string | undefined>();
  /** The share link the page was opened with could not be played: why (the page offers to go on). */
  linkProblem = $state<string | undefined>();

  /** The last file made (its link stays until the next). */
  lastDownload = $state<Download | undefined>();
  /** The share link of what is played. */
  shareLink = $state<string | undefined>();
  /** The user's runs, kept and shared (set by MyRuns). */
  runs: RunHooks | undefined;

  readonly #engine: EngineClient;
  readonly #storage: Storage | undefined;
  readonly #store: WorkStore;
  readonly #draft: Draft<string>;
  #unwatch: (() => void) | undefined;
  #detailToken = 0;
  #klistToken = 0;
  #logToken = 0;
  /** The JSON text of the user's scenario being played (for its share link). */
  #playingJson: string | undefined;

  constructor(engine: EngineClient, storage: Storage | undefined = browserStorage()) {
    this.#engine = engine;
    this.#storage = storage;
    this.#store = new WorkStore(storage, { tab: tabName(), now: () => Date.now() });
    this.#draft = new Draft(this.#store, SCENARIO_JSON, MY_SCENARIO);
  }

  readonly step = $derived(this.summary?.step ?? 0);
  readonly stepCount = $derived(this.summary?.steps.length ?? 0);
  readonly atStart = $derived(this.step === 0);
  readonly atEnd = $derived(this.step >= this.stepCount);
  readonly currentStep = $derived(this.summary?.steps[this.step - 1]);
  readonly selectedRow = $derived(this.summary?.trace.find((r) => r.seq === this.selectedSeq));
  readonly selectedNode = $derived<ViewNode | undefined>(
    this.selectedNodeId ? findNode(this.detail?.tree, this.selectedNodeId) : undefined,
  );
  readonly hexBytes = $derived<Uint8Array | undefined>(
    this.hexSpace === 0 ? this.detail?.bytes : this.detail?.parts[this.hexSpace - 1]?.plain,
  );
  /** The selected field's bytes, when they are in the bytes the hex dump shows. */
  readonly highlight = $derived<Span | undefined>(
    this.selectedNode && this.selectedNode.space === this.hexSpace
      ? { start: this.selectedNode.offset, end: this.selectedNode.offset + this.selectedNode.length }
      : undefined,
  );

  readonly scenario = $derived(this.summary?.scenario);
  readonly console = $derived(
    this.summary?.consoles.find((c) => c.host === this.consoleHost) ?? this.summary?.consoles[0],
  );

  /**
   * Opens the page: the user's kept text (offered back), the picker's list, then the scenario the link
   * in `hash` asks for (a catalogue id, or JSON in the link), else the first one. A link that cannot be
   * played — damaged, too large, an id the catalogue does not have — is said (`linkProblem`) over the
   * first scenario, and stays in the address bar until the user goes on without it; a link whose JSON
   * does not validate opens in the editor with the field at fault, the user's own text kept as a version.
   * `events` is where other tabs' writes are heard (the window).
   */
  async start(hash = '', events?: EventTarget): Promise<void> {
    this.#openStore(events);
    // a deep link: the share link, then the step, message and field to open (lib/deep-link.ts)
    const deep = readDeepLink(hash);
    let shared: SharedScenario | undefined;
    try {
      shared = await readShareHash(deep.base);
    } catch (e) {
      this.linkProblem = messageOf(e);
    }
    try {
      this.catalogue = await this.#engine.ask('catalogue', {});
    } catch (e) {
      this.status = 'error';
      this.error = messageOf(e);
      return;
    }
    if (this.runs && (await this.runs.open(hash))) return;
    if (shared?.kind === 'catalogue') {
      const id = shared.id;
      const entry = this.catalogue.find((c) => c.id === id);
      if (!entry) {
        this.linkProblem = `there is no scenario with the id "${id}" in this playground (the picker lists the ${this.catalogue.length} there are); the link may be mistyped, or made for another version`;
        shared = undefined;
      } else if (!entry.available) {
        this.linkProblem = `the scenario "${id}" cannot be played yet: it ${entry.reason ?? 'is not available'}`;
        shared = undefined;
      }
    }
    if (!shared && this.linkProblem === undefined && unknownPlaygroundLink(hash))
      this.linkProblem = `its address (${hash.slice(0, 60)}${hash.length > 60 ? '…' : ''}) is none the playground makes: its links look like ${catalogueHash(FIRST_SCENARIO)}`;
    const loaded = shared ? await this.load(shared) : false;
    if (shared && !loaded && shared.kind === 'json' && this.problem) {
      // the link's scenario does not validate: into the editor, the user's own text kept as a version
      this.#replaceText(shared.text, 'from a share link');
      this.editorOpen = true;
    }
    if (!this.summary) {
      const problem = this.problem;
      await this.load(
        { kind: 'catalogue', id: FIRST_SCENARIO },
        { keepHash: this.linkProblem !== undefined },
      );
      if (problem && this.editorOpen) this.problem = problem;
    }
    if (loaded) {
      const problems = [...deep.problems, ...(await followDeepLink(this, deep))];
      if (problems.length > 0)
        this.notice = `Part of this link could not be followed: ${problems.join('; ')}.`;
    }
  }

  #drawnSaid = false;
  /**
   * The page has drawn its first screen: the worker may now make what it makes ahead of need (the keys a
   * first step will want), which waits until then so as not to share the cores with the page's first frames.
   */
  drawn(): void {
    if (this.#drawnSaid) return;
    this.#drawnSaid = true;
    void this.#engine.ask('drawn', {}).catch(() => undefined);
  }

  /** The user goes on without the link that could not be opened: it leaves the address bar. */
  dropLink(): void {
    this.linkProblem = undefined;
    if (this.scenario && this.#playingJson === undefined && typeof history !== 'undefined')
      history.replaceState(null, '', catalogueHash(this.scenario.id));
  }

  /** Stops hearing other tabs (the page is going away). */
  dispose(): void {
    this.#unwatch?.();
    this.#unwatch = undefined;
  }

  #openStore(events: EventTarget | undefined): void {
    migrateLegacyJson(this.#store, this.#storage);
    const head = this.#draft.load();
    this.saved = head && head.value.trim() !== '' ? head : undefined;
    this.editorText = head?.value ?? '';
    this.#sync();
    if (events && !this.#unwatch) {
      this.#unwatch = this.#store.watch(events, SCENARIO_JSON, (change) => {
        const taken = this.#draft.external(change, { value: this.editorText, editing: this.editorOpen });
        if (taken !== undefined) {
          this.editorText = taken;
          if (this.saved) this.saved = this.#draft.history()[0];
        } else if (this.#draft.keep.state === 'new' && !this.#draft.conflict) {
          // the other tab forgot it
          this.saved = undefined;
          this.editorText = '';
        }
        this.#sync();
      });
    }
  }

  /** Copies what the draft knows into the page's state. */
  #sync(): void {
    const d = this.#draft;
    this.keep = d.keep;
    this.undo = d.undo;
    this.conflict = d.conflict;
    this.history = d.history();
  }

  /**
   * Replaces the editor's text with `text` (a copy, a file, a link's scenario), kept as a new version with
   * an undo. When the text on screen is not kept itself (storage full, a conflict), it is not thrown away:
   * the replacement is refused with a sentence.
   */
  #replaceText(text: string, label: string): boolean {
    if (text === this.editorText) return true;
    const keep = this.keep;
    if (keep.state === 'not-kept' && this.editorText.trim() !== '') {
      this.editorNotice = `Not replaced with the ${label}: the text in the editor is not kept in this browser (${keep.message}), and it would be lost. Keep it first (see above), or save it as a file.`;
      return false;
    }
    this.editorNotice = undefined;
    this.#draft.replace(text, label);
    this.editorText = text;
    this.#sync();
    return true;
  }

  /**
   * Plays a scenario; false (and the problem shown in the editor) when the user's JSON does not validate.
   * `keepHash`: leave the address bar as it is (it holds a link the page could not open).
   */
  async load(source: ScenarioSource, options: { keepHash?: boolean } = {}): Promise<boolean> {
    this.status = this.summary ? 'busy' : 'starting';
    this.notice = undefined;
    try {
      const r = await this.#engine.ask('load', { source });
      if (!r.ok) {
        this.problem = r.problem;
        this.status = this.summary ? 'ready' : 'starting';
        return false;
      }
      this.problem = undefined;
      this.#playingJson = source.kind === 'json' ? source.text : undefined;
      this.shareLink = undefined;
      this.runs?.loaded(source);
      if (!options.keepHash) {
        // the address bar now names what is played: a link that could not be opened is gone from it
        this.linkProblem = undefined;
        if (source.kind !== 'json' && typeof history !== 'undefined')
          history.replaceState(null, '', catalogueHash(r.summary.scenario.id));
      }
      if (!r.summary.consoles.some((c) => c.host === this.consoleHost)) {
        this.consoleHost = r.summary.consoles[0]?.host ?? KLIST_HOST;
      }
      await this.#show(r.summary);
      return true;
    } catch (e) {
      if (this.summary) {
        this.status = 'ready';
        this.notice = messageOf(e);
      } else if (!(source.kind === 'catalogue' && source.id === FIRST_SCENARIO)) {
        // a link's scenario (start): the first scenario is still to be tried, so nothing is broken yet
        this.status = 'starting';
        this.linkProblem = `this link’s scenario could not be played: ${messageOf(e)}`;
      } else {
        this.status = 'error';
        this.error = messageOf(e);
      }
      return false;
    }
  }

  pick = (id: string) => this.load({ kind: 'catalogue', id });

  /**
   * Plays a saved or shared run (`runs` reads and keeps it): its base scenario, then its plan. The answer
   * says when the base cannot be played, or which entry of the plan could not (the base is then shown).
   */
  async openRun(source: ScenarioSource, plan: unknown[], step: number): Promise<RunLoadResult> {
    this.status = this.summary ? 'busy' : 'starting';
    this.notice = undefined;
    try {
      const r = await this.#engine.ask('load-run', { source, plan, step });
      if (!r.ok) {
        this.status = this.summary ? 'ready' : 'starting';
        return r;
      }
      this.problem = undefined;
      this.#playingJson = source.kind === 'json' ? source.text : undefined;
      this.shareLink = undefined;
      this.linkProblem = undefined;
      if (!r.summary.consoles.some((c) => c.host === this.consoleHost))
        this.consoleHost = r.summary.consoles[0]?.host ?? KLIST_HOST;
      await this.#show(r.summary);
      return r;
    } catch (e) {
      this.status = this.summary ? 'ready' : 'starting';
      throw e;
    }
  }

  /** The editor's text changed: keep it (as the current version), and say so if it cannot be kept. */
  editJson(text: string): void {
    this.editorText = text;
    this.editorNotice = undefined;
    const before = this.keep;
    this.#draft.edit(text);
    this.keep = this.#draft.keep;
    this.conflict = this.#draft.conflict;
    // the history changes only when a version is added (typing amends the current one)
    if (before.state !== 'kept' || this.keep.state !== 'kept' || before.n !== this.keep.n) this.#sync();
  }

  /** A file the user chose, as the editor's new text (a version of its own, with an undo). */
  loadFile(name: string, text: string): void {
    this.#replaceText(text, `file ${name}`);
  }

  /** Opens the editor: with the user's saved text, or with a copy of the scenario played (undoable). */
  async openEditor(from: 'saved' | 'current' | 'keep' = 'keep'): Promise<void> {
    if (from === 'saved' && this.saved) {
      this.editorText = this.saved.value;
      this.saved = undefined;
    } else if (from === 'current' && this.scenario) {
      let copy: string | undefined;
      if (this.#playingJson !== undefined) copy = this.#playingJson;
      else if (this.scenario.source === 'catalogue') {
        copy = await this.#engine.ask('source', { scenario: this.scenario.id });
      }
      if (copy !== undefined) this.#replaceText(copy, `copy of ${this.scenario.id}`);
      this.saved = undefined;
    }
    this.editorOpen = true;
  }

  closeEditor(): void {
    this.editorOpen = false;
  }

  /** "Forget it": the kept text is removed, with an undo while the page is open. */
  forgetSaved(): void {
    this.forgotten = this.#draft.forget();
    this.saved = undefined;
    this.editorText = '';
    this.#sync();
  }

  unforget(): void {
    if (!this.forgotten) return;
    const head = this.#draft.unforget(this.forgotten);
    this.forgotten = undefined;
    if (head) {
      this.saved = head;
      this.editorText = head.value;
    }
    this.#sync();
  }

  /** Undoes the last replacement of the editor's text. */
  undoReplace(): void {
    const v = this.#draft.undoReplace();
    if (v !== undefined) this.editorText = v;
    this.editorNotice = undefined;
    this.#sync();
  }

  /** Makes an earlier version the editor's text again (itself a new version, so it can be undone). */
  restoreVersion(n: number): void {
    const v = this.#draft.restore(n);
    if (v !== undefined) this.editorText = v;
    this.#sync();
  }

  /** Settles a conflict with another tab for the text in this one (theirs stays in the history). */
  keepMine(): void {
    this.#draft.keepMine(this.editorText);
    this.#sync();
  }

  /** Settles a conflict with another tab for theirs (this tab's text is kept as a version first). */
  takeTheirs(): void {
    const v = this.#draft.takeTheirs(this.editorText);
    if (v !== undefined) this.editorText = v;
    this.#sync();
  }

  /** Storage full: drop all but the two newest versions, and keep the editor's text. */
  freeSpace(): void {
    this.#draft.freeSpace(this.editorText);
    this.#sync();
  }

  /** What is stored is damaged: set it aside (under a key of its own) and keep the editor's text. */
  replaceDamaged(): void {
    this.#draft.replaceDamaged(this.editorText);
    this.#sync();
  }

  /** The editor's text as a file the user keeps (when the browser will not keep it). */
  saveTextAsFile(): void {
    const url = URL.createObjectURL(new Blob([this.editorText], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'my-scenario.json';
    a.rel = 'noopener';
    document.body.append(a);
    a.dispatchEvent(new MouseEvent('click', { bubbles: false, cancelable: true }));
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }

  async runEditor(): Promise<void> {
    // a run ends a burst of typing: what runs is kept as a version of its own
    this.#draft.checkpoint(this.editorText);
    this.#sync();
    if (await this.load({ kind: 'json', text: this.editorText })) this.editorOpen = false;
  }

  /** Puts a fault into the timeline at the current step and plays it. */
  async applyFault(fault: FaultAction): Promise<void> {
    if (!this.summary || this.status !== 'ready') return;
    this.notice = undefined;
    await this.#move(() => this.#engine.ask('fault', { fault }));
  }

  /**
   * Puts a timeline action into the timeline after the current step and plays it (a typed command, a
   * policy flipped, the clock moved). At an earlier step the caller says whether the later steps go
   * (`replaceLater`) or stay after it; either way `undoInsert` takes it back.
   */
  async insertAction(
    action: unknown,
    source: InsertSource,
    opts: { replaceLater?: boolean } = {},
  ): Promise<void> {
    if (!this.summary || this.status !== 'ready') return;
    await this.#move(() =>
      this.#engine.ask('insert', { action, source, ...(opts.replaceLater ? { replaceLater: true } : {}) }),
    );
  }

  /**
   * A line typed at `host`'s console, played as a typed step after the current one (replacing the later
   * steps with `replaceLater`). Answers the lines to print under the command when it could not be
   * played (an unknown command, a bad argument); nothing is thrown and the run stays where it was.
   */
  async typeCommand(host: string, line: string, opts: { replaceLater?: boolean } = {}): Promise<string[]> {
    if (!this.summary || this.status !== 'ready') return ['The playground is busy: type the command again.'];
    this.status = 'busy';
    this.notice = undefined;
    try {
      const answer = await this.#engine.ask('command', {
        host,
        line,
        ...(opts.replaceLater ? { replaceLater: true } : {}),
      });
      if (!answer.ok) {
        this.status = 'ready';
        return answer.error;
      }
      await this.#show(answer.summary);
      return [];
    } catch (e) {
      this.status = 'ready';
      return [e instanceof Error ? e.message : String(e)];
    }
  }

  /**
   * Reads a line typed at `host`'s console without playing it: the lines to print under it when it is
   * not a command the playground can read, else none.
   */
  async readCommand(host: string, line: string): Promise<string[]> {
    try {
      const read = await this.#engine.ask('read-command', { host, line });
      return read.ok ? [] : read.error;
    } catch (e) {
      return [messageOf(e)];
    }
  }

  /** Takes the last thing the user put into the timeline back. */
  async undoInsert(): Promise<void> {
    if (!this.summary?.undoable || this.status !== 'ready') return;
    await this.#move(() => this.#engine.ask('undo', {}));
  }

  /** Makes a file in the worker and hands it to the browser as a download (a Blob URL: no network). */
  async download(what: ExportKind, host?: string): Promise<void> {
    try {
      const file = await this.#engine.ask('export', { what, ...(host ? { host } : {}) });
      if (this.lastDownload) URL.revokeObjectURL(this.lastDownload.url);
      const url = URL.createObjectURL(new Blob([file.bytes as BlobPart], { type: file.mime }));
      this.lastDownload = { name: file.name, about: file.about, url, size: file.bytes.length };
      const a = document.createElement('a');
      a.href = url;
      a.download = file.name;
      a.rel = 'noopener';
      document.body.append(a);
      // a click that does not bubble: the export menu stays open to say what the file holds
      a.dispatchEvent(new MouseEvent('click', { bubbles: false, cancelable: true }));
      a.remove();
    } catch (e) {
      this.notice = `The export failed: ${e instanceof Error ? e.message : String(e)}`;
    }
  }

  /** The link that opens this scenario (and, for the user's own, carries its JSON). */
  async share(): Promise<string | undefined> {
    if (!this.scenario) return undefined;
    let hash: string;
    try {
      hash =
        (await this.runs?.shareHash()) ??
        (this.#playingJson !== undefined
          ? await jsonHash(this.#playingJson)
          : catalogueHash(this.scenario.id));
    } catch (e) {
      this.notice = `No share link: ${messageOf(e)}`;
      return undefined;
    }
    const link = `${location.origin}${location.pathname}${hash}`;
    this.shareLink = link;
    return link;
  }

  setConsoleHost(host: string): void {
    this.consoleHost = host;
    void this.loadKlist();
  }

  goto(step: number): Promise<void> {
    if (!this.summary || step < 0 || step > this.stepCount || step === this.step) return Promise.resolve();
    return this.#move(() => this.#engine.ask('goto', { step }));
  }

  first = () => this.goto(0);
  back = () => this.goto(this.step - 1);
  forward = () => this.goto(this.step + 1);
  last = () => this.goto(this.stepCount);

  async #move(ask: () => Promise<Summary>): Promise<void> {
    this.status = this.summary ? 'busy' : 'starting';
    this.notice = undefined;
    try {
      await this.#show(await ask());
    } catch (e) {
      if (this.summary) {
        // the world is still there: say what went wrong and stay where we were
        this.status = 'ready';
        this.notice = e instanceof Error ? e.message : String(e);
      } else {
        this.status = 'error';
        this.error = e instanceof Error ? e.message : String(e);
      }
    }
  }

  async #show(summary: Summary): Promise<void> {
    this.summary = summary;
    this.keysMade = this.#engine.keysMade;
    this.status = 'ready';
    this.runs?.shown(summary);
    const seq = messageToShow(summary.trace, summary.step);
    if (seq === undefined) this.#clearSelection();
    else await this.select(seq);
    // a capture's run has no world: no host holds a cache to list, no DC keeps a log
    if (!summary.readOnly) {
      void this.loadKlist();
      void this.loadSecurityLog();
    }
  }

  /**
   * Opens a customer's capture as a read-only run, read in the worker a piece at a time; `progress` hears
   * how far it has come. Resolves when it is shown; rejects with the reason it could not be opened.
   */
  async openCapture(
    file: Blob,
    name: string,
    keytab: Uint8Array | undefined,
    passwords: PasswordGiven[],
    progress?: (p: CaptureProgress) => void,
  ): Promise<void> {
    this.#engine.captureProgress = progress ? (_, p) => progress(p) : undefined;
    this.status = 'busy';
    try {
      const summary = await this.#engine.ask('capture', {
        file,
        name,
        passwords,
        ...(keytab ? { keytab } : {}),
      });
      await this.#show(summary);
    } catch (e) {
      this.status = this.summary ? 'ready' : 'starting';
      throw e;
    } finally {
      this.#engine.captureProgress = undefined;
    }
  }

  /** Stops reading the capture being opened (openCapture rejects). */
  cancelCapture(): void {
    this.#engine.cancelKind('capture');
  }

  #clearSelection(): void {
    this.selectedSeq = undefined;
    this.#stopExpanding();
    this.detail = undefined;
    this.detailError = undefined;
    this.selectedNodeId = undefined;
    this.hexSpace = 0;
  }

  async select(seq: number): Promise<void> {
    const token = ++this.#detailToken;
    this.selectedSeq = seq;
    this.detailError = undefined;
    try {
      const detail = await this.#engine.ask('detail', { seq });
      if (token !== this.#detailToken) return;
      this.detail = detail;
      this.#stopExpanding();
      this.open.clear();
      for (const id of initiallyOpen(detail.tree)) this.open.add(id);
      this.selectedNodeId = undefined;
      this.hexSpace = 0;
    } catch (e) {
      if (token !== this.#detailToken) return;
      this.detail = undefined;
      this.detailError = e instanceof Error ? e.message : String(e);
    }
  }

  /** Selects a field: its bytes show highlighted, in the message or in the plaintext they belong to. */
  selectNode(id: string): void {
    const node = findNode(this.detail?.tree, id);
    if (!node) return;
    this.selectedNodeId = id;
    this.hexSpace = node.space;
    for (const a of pathTo(this.detail?.tree, id).slice(0, -1)) this.open.add(a);
  }

  /** A click on a byte of the hex dump selects the innermost field holding it. */
  selectByte(offset: number): void {
    const node = nodeAtByte(this.detail?.tree, this.hexSpace, offset);
    if (node) this.selectNode(node.id);
  }

  toggle(id: string): void {
    this.#stopExpanding();
    if (this.open.has(id)) this.open.delete(id);
    else this.open.add(id);
  }

  showSpace(space: number): void {
    this.hexSpace = space;
  }

  /**
   * Opens every node of the tree, or closes all but the root. A big tree opens a slice at a time, one slice
   * a frame (the first at once), parents first, so that no task draws it all; closing it, opening another
   * message or opening or closing one node stops what is left.
   */
  expandAll(expand: boolean): void {
    this.#stopExpanding();
    const tree = this.detail?.tree;
    if (!expand) {
      this.open.clear();
      if (tree) this.open.add(tree.id);
      return;
    }
    const slices = expansionSlices(tree, EXPAND_SLICE);
    const next = (i: number) => {
      for (const id of slices[i] ?? []) this.open.add(id);
      if (i + 1 >= slices.length) return this.#stopExpanding();
      const frame = requestAnimationFrame(() => next(i + 1));
      this.#expanding = () => cancelAnimationFrame(frame);
      this.expanding = true;
    };
    next(0);
  }

  /** True while "expand all" is still opening the tree, a slice a frame. */
  expanding = $state(false);
  #expanding: (() => void) | undefined;

  #stopExpanding(): void {
    this.#expanding?.();
    this.#expanding = undefined;
    this.expanding = false;
  }

  setKlistStyle(style: KlistStyle): void {
    this.klistStyle = style;
    void this.loadKlist();
  }

  async loadKlist(): Promise<void> {
    const token = ++this.#klistToken;
    try {
      const host = this.console?.host ?? KLIST_HOST;
      const view = await this.#engine.ask('klist', { host, style: this.klistStyle });
      if (token !== this.#klistToken) return;
      this.klist = view;
      this.klistError = undefined;
    } catch (e) {
      if (token !== this.#klistToken) return;
      this.klistError = e instanceof Error ? e.message : String(e);
    }
  }

  /** The DCs' Security logs at the current step (the panel follows the clock as the run moves). */
  async loadSecurityLog(): Promise<void> {
    const token = ++this.#logToken;
    try {
      const view = await this.#engine.ask('security-log', {});
      if (token === this.#logToken) this.securityLog = view;
    } catch (e) {
      if (token === this.#logToken) this.notice = `The Security log could not be read: ${messageOf(e)}`;
    }
  }
}
