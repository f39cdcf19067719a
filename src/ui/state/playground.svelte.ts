/**
 * The state behind the playground page: where the story stands (from the engine's Worker), the message
 * selected in the trace and its detail, the field selected in the inspector, and the klist view.
 * Components read it and call its methods; all talking to the Worker happens here.
 */
import { SvelteSet } from 'svelte/reactivity';
import type { EngineClient } from '../engine/engine-client';
import type { EventDetail, KlistStyle, KlistView, Summary, TraceRow, ViewNode } from '../engine/protocol';
import type { Span } from '../lib/hex';
import { findNode, initiallyOpen, nodeAtByte, pathTo } from '../lib/tree';

export type PlaygroundStatus = 'starting' | 'ready' | 'busy' | 'error';

/** The host whose credential cache the klist pane shows. */
export const KLIST_HOST = 'ws1';

/** The message to show after moving to a step: the first the step sent, else the last one before it. */
export function messageToShow(trace: readonly TraceRow[], step: number): number | undefined {
  const inspectable = trace.filter((r) => r.inspectable);
  return (inspectable.find((r) => r.step === step) ?? inspectable.at(-1))?.seq;
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

  readonly #engine: EngineClient;
  #detailToken = 0;
  #klistToken = 0;

  constructor(engine: EngineClient) {
    this.#engine = engine;
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

  async start(): Promise<void> {
    await this.#move(() => this.#engine.ask('summary', {}));
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
    try {
      const summary = await ask();
      this.summary = summary;
      this.status = 'ready';
      const seq = messageToShow(summary.trace, summary.step);
      if (seq === undefined) this.#clearSelection();
      else await this.select(seq);
      void this.loadKlist();
    } catch (e) {
      this.status = 'error';
      this.error = e instanceof Error ? e.message : String(e);
    }
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
      const view = await this.#engine.ask('klist', { host: KLIST_HOST, style: this.klistStyle });
      if (token !== this.#klistToken) return;
      this.klist = view;
      this.klistError = undefined;
    } catch (e) {
      if (token !== this.#klistToken) return;
      this.klistError = e instanceof Error ? e.message : String(e);
    }
  }
}
