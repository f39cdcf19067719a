/**
 * The messages between the page and the engine's Worker, both ways. The page asks; the worker answers
 * each request once, with the same `id`. Everything here is structured-clone data, kept small: the page
 * gets the trace as rows, and the bytes, tree and opened parts of one message only when it asks.
 */

import type { CatalogueHeader } from '../../scenarios';
import type { SecurityEvent } from '../../world';
import type { PolicyView } from './policy-view';

// ---- page → worker ----

export type EngineRequest =
  /** The scenario's steps and where the engine stands (before any load: the first scenario, at its start). */
  | { id: number; kind: 'summary' }
  /** The scenarios the picker offers, available or not. */
  | { id: number; kind: 'catalogue' }
  /** Play another scenario: a catalogue id, or JSON the user wrote (validated). */
  | { id: number; kind: 'load'; source: ScenarioSource }
  /** A catalogue scenario's JSON, as a starting point for the user's own. */
  | { id: number; kind: 'source'; scenario: string }
  /** Put a fault into the timeline at the current step and play it. */
  | { id: number; kind: 'fault'; fault: FaultAction }
  /**
   * Put a timeline action (a scenario file's own kinds, checked as one) into the timeline after the current
   * step and play it; `replaceLater` drops the steps that came after the current one.
   */
  | { id: number; kind: 'insert'; action: unknown; source: InsertSource; replaceLater?: boolean }
  /** Take the last insert (or fault) back. */
  | { id: number; kind: 'undo' }
  /** The whole plan (each step's action and source) and the current step, for a saved run or a share link. */
  | { id: number; kind: 'plan' }
  /** Play a saved or shared run: its base scenario, then its plan (untrusted: every entry checked). */
  | { id: number; kind: 'load-run'; source: ScenarioSource; plan: unknown[]; step: number }
  /**
   * A command line typed at `host`'s console: read into its timeline action and inserted as 'typed'
   * (as `insert`); a line that cannot be read answers with the lines the console prints instead.
   */
  | { id: number; kind: 'command'; host: string; line: string; replaceLater?: boolean }
  /**
   * Only reads a command line (nothing is played): the page asks before it asks the user whether the
   * later steps go, so a mistyped line is printed without a question.
   */
  | { id: number; kind: 'read-command'; host: string; line: string }
  /** A file made from the current step's world: pcapng, keytab, ccache, trace JSON. */
  | { id: number; kind: 'export'; what: ExportKind; host?: string }
  /** Move to step `step` (0 = before anything happened): a snapshot restored, or the step run once. */
  | { id: number; kind: 'goto'; step: number }
  /** Everything the inspector shows for one trace event of the current step. */
  | { id: number; kind: 'detail'; seq: number }
  /** A host's credential cache as `klist` prints it, at the current step. */
  | { id: number; kind: 'klist'; host: string; style: KlistStyle }
  /** Each DC's Security log at the current step. */
  | { id: number; kind: 'security-log' }
  /**
   * The page has drawn its first screen: from now on the worker makes what it makes ahead of need (the
   * scenario's password keys), which until then waits (ahead.ts).
   */
  | { id: number; kind: 'drawn' }
  /**
   * A customer's capture opened as a read-only run (capture-run.ts): the file is read here a piece at a
   * time ('capture-progress'), stopped by 'cancel'; then `detail` answers from it.
   */
  | {
      id: number;
      kind: 'capture';
      file: Blob;
      name: string;
      keytab?: Uint8Array;
      passwords: PasswordGiven[];
    };

/** A principal's password given beside a capture. */
export interface PasswordGiven {
  principal: string;
  password: string;
}

/** How far a capture has been read. */
export interface CaptureProgress {
  read: number;
  total: number;
  /** Kerberos messages found so far. */
  messages: number;
  /** Once the file is read: how many of the messages kept are decoded, of how many. */
  decoded?: { done: number; of: number };
}

export type KlistStyle = 'windows' | 'mit';

/** A typed command: the run after it was played, or the lines the console prints under it. */
export type CommandAnswer = { ok: true; summary: Summary } | { ok: false; error: string[] };

/** Who put an action in: typed at a console, a fault, a policy flipped, the clock moved. */
export type InsertSource = 'typed' | 'fault' | 'policy' | 'clock' | 'tamper';

export type EngineRequestKind = EngineRequest['kind'];

/**
 * What the page says about a `load` that needs costly keys (over 2^18 PBKDF2 iterations): go ahead or
 * not, when asked ('derive'); stop deriving ('cancel'). Neither is answered on its own: the `load` is.
 */
export type EngineControl = { kind: 'derive'; id: number; go: boolean } | { kind: 'cancel'; id: number };

/** What each request is answered with. */
export interface EngineResults {
  summary: Summary;
  catalogue: CatalogueEntry[];
  load: LoadResult;
  source: string;
  fault: Summary;
  insert: Summary;
  undo: Summary;
  plan: RunPlan;
  'load-run': RunLoadResult;
  command: CommandAnswer;
  'read-command': { ok: true } | { ok: false; error: string[] };
  export: ExportFile;
  goto: Summary;
  detail: EventDetail;
  klist: KlistView;
  'security-log': SecurityLogView;
  drawn: true;
  capture: Summary;
}

// ---- worker → page ----

export type EngineResponse =
  /**
   * `keysMade`: how many keys the worker had made from passwords (string-to-key runs) when it answered;
   * 0 when the page first shows a world, since keys are made when a step first needs them.
   */
  | { id: number; ok: true; result: EngineResults[EngineRequestKind]; keysMade?: number }
  | { id: number; ok: false; error: string }
  /** Before a `load` derives costly keys: the page asks the user, then sends `derive`. */
  | { id: number; kind: 'confirm'; plan: DerivationPlan }
  /** While a `load` derives them (a few times a second). */
  | { id: number; kind: 'progress'; progress: DerivationProgress }
  /** While a `capture` is read (a few times a second). */
  | { id: number; kind: 'capture-progress'; progress: CaptureProgress };

/** A key a scenario makes from a password with more than 2^18 PBKDF2 iterations. */
export interface CostlyKey {
  /** "alice@CORP.CONTOSO.COM". */
  principal: string;
  /** The scenario field that asks for the count: "kdc.realms[0].principals[0].iterations". */
  field: string;
  /** "aes256-cts-hmac-sha1-96 (18)". */
  etype: string;
  iterations: number;
  /** Who makes it: "the KDC of CORP.CONTOSO.COM", "the client on ws1" (another password). */
  who: string;
}

export interface DerivationPlan {
  keys: CostlyKey[];
  /** How long they should take in this tab, measured on a short run of each enctype's PBKDF2. */
  estimateMs: number;
}

export interface DerivationProgress {
  /** The key being made (0-based) of `keys`. */
  key: number;
  keys: number;
  current: CostlyKey;
  /** Of all the work, 0 to 1. */
  fraction: number;
  elapsedMs: number;
}

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
  /** The timeline action's id (outcomes name actions by it). */
  actionId?: string;
  /** The timeline action's kind ("logon", "net-use"). */
  do?: string;
  /** Put in by the user (typed, a fault, a policy, the clock), not the scenario's own. */
  injected?: true;
  /** Where a step the user put in came from. */
  source?: 'typed' | 'fault' | 'policy' | 'clock' | 'tamper';
  /** Once played: what it came to, and the console's one line about it. */
  result?: 'ok' | 'failed';
  output?: string;
  /** Once played: the virtual clock when the step ended (the timeline's clock steps back to it). */
  t?: number;
}

export type ScenarioSource = { kind: 'catalogue'; id: string } | { kind: 'json'; text: string };

/** One entry of the picker: a catalogue file's header (scenarios/catalogue.ts). */
export type CatalogueEntry = CatalogueHeader;

/** The scenario being played. */
export interface ScenarioInfo {
  id: string;
  title: string;
  summary: string;
  teaches: string;
  source: 'catalogue' | 'user';
  /** The virtual time it starts at. */
  start: number;
}

/** A scenario the user wrote that does not validate: the field at fault and why. */
export interface ScenarioProblem {
  field: string;
  reason: string;
}

export type LoadResult = { ok: true; summary: Summary } | { ok: false; problem: ScenarioProblem };

/** An expected outcome of the scenario, as far as the run has come. */
export interface OutcomeView {
  id: string;
  description: string;
  /** 'pending': the run has not reached what it speaks of. */
  state: 'ok' | 'failed' | 'pending';
  /** Why it does not hold. */
  detail?: string;
}

/** What the faults panel can change, at the current virtual time. */
export type FaultAction =
  | { do: 'set-skew'; host: string; offsetMs: number }
  | { do: 'host-down' | 'host-up'; host: string }
  | { do: 'block-port' | 'unblock-port'; host: string; port: number }
  | { do: 'link-down' | 'link-up'; a: string; b: string }
  | { do: 'advance'; by: string };

export type ExportKind =
  | 'pcapng'
  | 'keytab'
  | 'ccache'
  | 'trace-json'
  | 'kkdcp-lua'
  | 'smb-keys'
  /** The case report (src/support/case-report.ts): one self-contained HTML file, or Markdown. */
  | 'report-html'
  | 'report-md';

export interface ExportFile {
  name: string;
  mime: string;
  bytes: Uint8Array;
  /** What the file holds, in a sentence ("14 frames; 6 events left out: …"). */
  about: string;
}

/** One credential a client held at some step: the timeline draws its lifetime. */
export interface TicketSpan {
  host: string;
  /** "krbtgt/CORP.CONTOSO.COM@CORP.CONTOSO.COM". */
  server: string;
  client: string;
  /** "TGT", "referral TGT", "service ticket". */
  kind: 'tgt' | 'referral' | 'service';
  authtime: number;
  start: number;
  end: number;
  renewTill?: number;
  /** Still in the cache at the current step (else replaced, purged or gone with a restore). */
  held: boolean;
}

/** One line of a client host's console. */
export interface ConsoleLine {
  /** 'command': what was typed (after the prompt); 'out': what it printed; 'note': the client's own account. */
  kind: 'command' | 'out' | 'error' | 'note';
  text: string;
  t: number;
  /** A command's prompt as it stood when it was typed ("C:\\Users\\alice>", "PS C:\\Users\\alice>"). */
  prompt?: string;
  /** A Windows system error the line shows, and what it means here. */
  windowsError?: number;
  explain?: string;
}

export interface ConsoleView {
  host: string;
  user: string;
  lines: ConsoleLine[];
  /** The prompt the console shows now: cmd's or PowerShell's (the host's state at this step), or a Linux host's shell's. */
  prompt?: string;
  /** What Tab completes to at this prompt. */
  completion?: Vocabulary;
  /** A Linux host (MIT krb5's tools only); absent on Windows. */
  os?: 'linux';
}

/** What a line can complete to. */
export interface Vocabulary {
  /** The prompt's commands, by name ("klist get", "net use", "whoami /groups"). */
  commands: readonly string[];
  /** Host names ("contosofiles.file.core.windows.net"). */
  hosts: readonly string[];
  /** Service principal names without their realm ("cifs/fs1.corp.contoso.com", "krbtgt/CORP.CONTOSO.COM"). */
  spns: readonly string[];
  /** Shares of the file servers ("\\contosofiles.file.core.windows.net\profiles"). */
  shares: readonly string[];
}

/** The whole picture at one step: the clock, the world and the trace so far. */
export interface Summary {
  engine: EngineOrigin;
  scenario: ScenarioInfo;
  /** 0 = the world before the first step; steps.length = the scenario's end. */
  step: number;
  steps: StepInfo[];
  /** The world's virtual time, ms since the epoch. */
  now: number;
  world: WorldView;
  trace: TraceRow[];
  /** The scenario's expected outcomes so far. */
  outcomes: OutcomeView[];
  /** Every credential each client held up to this step. */
  tickets: TicketSpan[];
  /** One console per client host: commands, what they printed, the errors explained. */
  consoles: ConsoleView[];
  /** How many times the plan changed under the trace (faults, inserts, undos). */
  faults: number;
  /** Steps after the current one (an insert here replaces them or goes before them). */
  later: number;
  /** What the last insert was, when one can be undone. */
  undoable?: string;
  /** Times worth moving the clock to: each TGT's end and renew-till, each PRT's refresh and expiry. */
  clockMarks: ClockMarkView[];
  /** A capture's run: nothing can be played, inserted, tampered with or moved (capture-run.ts). */
  readOnly?: true;
}

/** A time on the timeline's clock (src/azure/on-its-own.ts `clockMarks`), in true time. */
export interface ClockMarkView {
  host: string;
  kind: 'tgt-end' | 'renew-till' | 'prt-refresh' | 'prt-expiry';
  t: number;
  label: string;
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

export interface LinkView {
  a: string;
  b: string;
  up: boolean;
  latency?: number;
}

export interface WorldView {
  hosts: HostView[];
  realms: RealmView[];
  links: LinkView[];
  /** Ports a firewall drops on the way to a host. */
  blocked: { host: string; port: number }[];
  /** Each client's host-to-realm mapping (the GPO "Define host name-to-Kerberos realm mappings"). */
  policies: { host: string; hostRealm: Record<string, string> }[];
  /** Every policy the world panel lets the user change, as it stands at this step. */
  policy: PolicyView;
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
  /** A Windows system error the step ended with (53, 1326…), and its text. */
  windowsError?: number;
  windowsErrorText?: string;
  /** What the Windows error usually means when Kerberos is involved. */
  windowsErrorWhy?: string;
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
  /** The key that opened it, in hex (of enctype `etypeNumber`): what `krbplay decode --key` needs. */
  keyHex?: string;
  etypeNumber?: number;
  /** When that key is a principal's long-term key made from a password the scenario gives. */
  passwordKey?: PasswordKeyView;
}

/** A long-term key and the password it was made from (RFC 3961 §3 string-to-key). */
export interface PasswordKeyView {
  /** As MIT prints it: "alice@CORP.CONTOSO.COM". */
  principal: string;
  kvno: number;
  etype: number;
  password: string;
  saltHex: string;
  /** The PBKDF2 count, when not the enctype's default. */
  iterations?: number;
}

/**
 * How `krbplay scenario run` replays the scenario up to a step: the catalogue id (or, for the user's own
 * scenario, a file name to save it as) and the virtual time to stop at; or why no command can.
 */
export type RerunView = { scenario: string; file?: true; until?: number; note?: string } | { why: string };

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
  /** The `krbplay scenario run` line for the event's step. */
  rerun?: RerunView;
}

/** Each DC's Security log as it stands at the current step (oldest event first). */
export interface SecurityLogView {
  dcs: { host: string; realms: string[]; events: SecurityEvent[] }[];
}

export interface KlistView {
  host: string;
  style: KlistStyle;
  text: string;
}

/** A run's plan as data: every step's action with where it came from, and the current step. */
export interface RunPlan {
  plan: { action: unknown; source: string }[];
  step: number;
}

/**
 * A run loaded: its base scenario's own problem (as `load`), or the run played; when an entry of its plan
 * could not be played, the base scenario at its start and which entry and why (`planProblem`).
 */
export type RunLoadResult =
  | Extract<LoadResult, { ok: false }>
  | { ok: true; summary: Summary; planProblem?: { entry: number; reason: string } };
