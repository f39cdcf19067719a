/**
 * The messages between the page and the engine's Worker, both ways. The page asks; the worker answers
 * each request once, with the same `id`. Everything here is structured-clone data, kept small: the page
 * gets the trace as rows, and the bytes, tree and opened parts of one message only when it asks.
 */

// ---- page → worker ----

export type EngineRequest =
  /** The story's steps and where the engine stands (the first request; it builds the world). */
  | { id: number; kind: 'summary' }
  /** Move to step `step` (0 = before anything happened): a snapshot restored, or the step run once. */
  | { id: number; kind: 'goto'; step: number }
  /** Everything the inspector shows for one trace event of the current step. */
  | { id: number; kind: 'detail'; seq: number }
  /** A host's credential cache as `klist` prints it, at the current step. */
  | { id: number; kind: 'klist'; host: string; style: KlistStyle };

export type KlistStyle = 'windows' | 'mit';

export type EngineRequestKind = EngineRequest['kind'];

/** What each request is answered with. */
export interface EngineResults {
  summary: Summary;
  goto: Summary;
  detail: EventDetail;
  klist: KlistView;
}

// ---- worker → page ----

export type EngineResponse =
  | { id: number; ok: true; result: EngineResults[EngineRequestKind] }
  | { id: number; ok: false; error: string };

/** Where the engine runs, so the page can say so (and a test can check it). */
export interface EngineOrigin {
  /** The global scope's class: "DedicatedWorkerGlobalScope" in a Worker. */
  scope: string;
  /** The worker script's URL. */
  script: string;
}

export interface StepInfo {
  index: number;
  title: string;
  about: string;
  fails: boolean;
}

/** The whole picture at one step: the clock, the world and the trace so far. */
export interface Summary {
  engine: EngineOrigin;
  /** 0 = the world before the first step; steps.length = the story's end. */
  step: number;
  steps: StepInfo[];
  /** The world's virtual time, ms since the epoch. */
  now: number;
  world: WorldView;
  trace: TraceRow[];
}

export interface HostView {
  id: string;
  name: string;
  /** "client alice@CORP.CONTOSO.COM", "KDC for CORP.CONTOSO.COM", "file server cifs/…". */
  roles: string[];
  /** The host's own clock reading, and how far it is from true time (ms). */
  clock: number;
  clockOffset: number;
  up: boolean;
}

export interface RealmView {
  name: string;
  kdcHost: string;
  transport: string;
  /** Realms whose principals may use this realm's services (direct trusts into it). */
  trustedBy: string[];
}

export interface WorldView {
  hosts: HostView[];
  realms: RealmView[];
}

/** How a row is drawn. */
export type RowTone = 'request' | 'reply' | 'error' | 'action' | 'failure' | 'timeout';

/** One trace event as the trace list draws it (trace.ts has the full format). */
export interface TraceRow {
  seq: number;
  t: number;
  kind: 'message' | 'action' | 'timeout';
  from: string;
  to: string;
  transport: string;
  port?: number;
  type: string;
  errorCode?: number;
  /** "KDC_ERR_PREAUTH_REQUIRED" for an error code. */
  errorName?: string;
  result: string;
  replyTo?: number;
  modelled: boolean;
  /** The step that made it (1-based). */
  step: number;
  tone: RowTone;
  /** A message the world could decode and the inspector can open. */
  inspectable: boolean;
  /** The narration line in plain words. */
  headline?: string;
  /** For a request whose answer came from a referral. */
  referral?: boolean;
}

/** One field of the inspector's tree. */
export interface ViewNode {
  /** Unique within the message: "0", "0.3", "0.3.2", and "p1" for the root of opened part 1. */
  id: string;
  /** The RFC field name ("req-body", "padata[0]") or the type at a root ("AS-REQ"). */
  name: string;
  tag: string;
  /** Which bytes the offsets are in: 0 the message, k ≥ 1 the plaintext of part k-1. */
  space: number;
  offset: number;
  length: number;
  /** The value as shown (hex cut when long). */
  value?: string;
  /** What the value means: "aes256-cts-hmac-sha1-96", "forwardable renewable initial". */
  note?: string;
  children?: ViewNode[];
  /** On an EncryptedData node: the index of its part in `EventDetail.parts`. */
  part?: number;
}

/** One encrypted part of a message, and whether the world's keys opened it. */
export interface PartView {
  /** RFC field names from the message: "ticket.enc-part". */
  path: string;
  etype: string;
  kvno?: number;
  keyUsage: number;
  /** "KDC-REP ticket": what RFC 4120 §7.5.1 says the usage protects. */
  usageText: string;
  decrypted: boolean;
  /** "the krbtgt/CORP.CONTOSO.COM@CORP.CONTOSO.COM key (kvno 1)" or "the session key from #5 (AS-REP)". */
  key?: string;
  reason?: string;
  /** The plaintext (its tree is a child of the EncryptedData node, in space index+1). */
  plain?: Uint8Array;
}

export interface NarrationLine {
  actor: string;
  stage: string;
  text: string;
  ok: boolean;
}

export interface EventDetail {
  row: TraceRow;
  /** The bytes on the wire (a KKDCP message: the HTTP body). */
  bytes?: Uint8Array;
  tree?: ViewNode;
  parts: PartView[];
  /** What the actors said about this message (a reply shows what was said about its request). */
  narration: NarrationLine[];
  /** Why the bytes did not decode, when they did not. */
  problem?: string;
}

export interface KlistView {
  host: string;
  style: KlistStyle;
  text: string;
}
