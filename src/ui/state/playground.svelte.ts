/**
 * The state behind the playground page: the scenario played and where it stands (from the engine's
 * Worker), the message selected in the trace and its detail, the field selected in the inspector, the
 * console's host and its klist, the user's own scenario JSON (kept in localStorage), faults, exports and
 * share links. Components read it and call its methods; all talking to the Worker happens here.
 */
import { SvelteSet } from 'svelte/reactivity';
import type { EngineClient } from '../engine/engine-client';
import type {
  CatalogueEntry,
  EventDetail,
  ExportKind,
  FaultAction,
  KlistStyle,
  KlistView,
  ScenarioProblem,
  ScenarioSource,
  Summary,
  TraceRow,
  ViewNode,
} from '../engine/protocol';
import type { Span } from '../lib/hex';
import { forgetSavedJson, loadSavedJson, saveJson, type SavedJson } from '../lib/saved-json';
import { catalogueHash, jsonHash } from '../lib/share';
import { findNode, initiallyOpen, nodeAtByte, pathTo } from '../lib/tree';

export type PlaygroundStatus = 'starting' | 'ready' | 'busy' | 'error';

/** The host whose credential cache the klist pane shows first. */
export const KLIST_HOST = 'ws1';

/** The scenario the page opens with when the link names none. */
export const FIRST_SCENARIO = 'kerberos-101';

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
  saved = $state<SavedJson | undefined>();

  /** The last file made (its link stays until the next). */
  lastDownload = $state<Download | undefined>();
  /** The share link of what is played. */
  shareLink = $state<string | undefined>();

  readonly #engine: EngineClient;
  readonly #storage: Storage | undefined;
  #detailToken = 0;
  #klistToken = 0;
  /** The JSON text of the user's scenario being played (for its share link). */
  #playingJson: string | undefined;

  constructor(engine: EngineClient, storage: Storage | undefined = globalThis.localStorage) {
    this.#engine = engine;
    this.#storage = storage;
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
   * Opens the page: the picker's list, then the scenario the link asks for (a catalogue id, or JSON in
   * the link), else the first one. The user's text from an earlier visit is offered back.
   */
  async start(shared?: ScenarioSource): Promise<void> {
    this.saved = loadSavedJson(this.#storage);
    try {
      this.catalogue = await this.#engine.ask('catalogue', {});
    } catch (e) {
      this.status = 'error';
      this.error = e instanceof Error ? e.message : String(e);
      return;
    }
    const source = shared ?? { kind: 'catalogue', id: FIRST_SCENARIO };
    const ok = await this.load(source);
    if (!ok && !this.summary) {
      // a link whose scenario does not validate: say why in the editor, and play the first one
      const problem = this.problem;
      await this.load({ kind: 'catalogue', id: FIRST_SCENARIO });
      this.problem ??= problem; // the first one loading does not answer the link's problem
    }
  }

  /** Plays a scenario; false (and the problem shown in the editor) when the user's JSON does not validate. */
  async load(source: ScenarioSource): Promise<boolean> {
    this.status = this.summary ? 'busy' : 'starting';
    this.notice = undefined;
    try {
      const r = await this.#engine.ask('load', { source });
      if (!r.ok) {
        this.problem = r.problem;
        if (source.kind === 'json') {
          this.editorText = source.text;
          this.editorOpen = true;
        }
        this.status = this.summary ? 'ready' : 'starting';
        return false;
      }
      this.problem = undefined;
      this.#playingJson = source.kind === 'json' ? source.text : undefined;
      this.shareLink = undefined;
      if (source.kind !== 'json' && typeof history !== 'undefined') {
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
        this.notice = e instanceof Error ? e.message : String(e);
      } else {
        this.status = 'error';
        this.error = e instanceof Error ? e.message : String(e);
      }
      return false;
    }
  }

  pick = (id: string) => this.load({ kind: 'catalogue', id });

  /** The editor's text changed: keep it (it is never lost), and forget the problem until the next run. */
  editJson(text: string): void {
    this.editorText = text;
    saveJson(text, this.#storage);
  }

  /** Opens the editor: with the user's saved text, or with a copy of the scenario played. */
  async openEditor(from: 'saved' | 'current' | 'keep' = 'keep'): Promise<void> {
    if (from === 'saved' && this.saved) {
      this.editorText = this.saved.text;
      this.saved = undefined;
    } else if (from === 'current' && this.scenario) {
      if (this.#playingJson !== undefined) this.editorText = this.#playingJson;
      else if (this.scenario.source === 'catalogue') {
        this.editorText = await this.#engine.ask('source', { scenario: this.scenario.id });
      }
      saveJson(this.editorText, this.#storage);
    }
    this.editorOpen = true;
  }

  closeEditor(): void {
    this.editorOpen = false;
  }

  forgetSaved(): void {
    forgetSavedJson(this.#storage);
    this.saved = undefined;
  }

  async runEditor(): Promise<void> {
    saveJson(this.editorText, this.#storage);
    if (await this.load({ kind: 'json', text: this.editorText })) this.editorOpen = false;
  }

  /** Puts a fault into the timeline at the current step and plays it. */
  async applyFault(fault: FaultAction): Promise<void> {
    if (!this.summary || this.status !== 'ready') return;
    this.notice = undefined;
    await this.#move(() => this.#engine.ask('fault', { fault }));
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
    const hash =
      this.#playingJson !== undefined ? await jsonHash(this.#playingJson) : catalogueHash(this.scenario.id);
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
    this.status = 'ready';
    const seq = messageToShow(summary.trace, summary.step);
    if (seq === undefined) this.#clearSelection();
    else await this.select(seq);
    void this.loadKlist();
  }

  #clearSelection(): void {
    this.selectedSeq = undefined;
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
    if (this.open.has(id)) this.open.delete(id);
    else this.open.add(id);
  }

  showSpace(space: number): void {
    this.hexSpace = space;
  }

  /** Opens every node of the tree, or closes all but the root. */
  expandAll(expand: boolean): void {
    this.open.clear();
    const walk = (n: ViewNode | undefined) => {
      if (!n) return;
      if (expand || n === this.detail?.tree) this.open.add(n.id);
      if (expand) for (const c of n.children ?? []) walk(c);
    };
    walk(this.detail?.tree);
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
}
