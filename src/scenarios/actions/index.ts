/**
 * The action table: every kind of timeline action, one entry each (action-table.ts says what an entry
 * holds). A Windows host's actions (windows.ts), the world's controls (world.ts), a KDC administrator's
 * (kdc-admin.ts). Everything that handles actions goes through here: the validator reads an action with
 * `actionShape`, the runner and the page's player run it with `runAction`, the step bar names it with
 * `actionTitle`, the console prints it with `commandLine` (and `parseCommand` reads one typed), and
 * docs/scenarios.md lists the entries.
 */
import type { TraceNote, World } from '../../world';
import type { ActionBase, ActionOf, ActionRun, AnyActionEntry, HostOs, RunContext } from '../action-table';
import { CommandLineError, sameWord, words } from '../action-table';
import { parseWhen } from '../clock';
import {
  describeValue,
  fieldPath,
  isObject,
  obj,
  oneOf,
  opt,
  readFields,
  refuseUnknown,
  req,
  ScenarioError,
  shape,
  str,
  type Known,
  type Shape,
} from '../shape';
import { CLOUD_ACTIONS } from './cloud';
import { ENCTYPE_POLICY_ACTIONS } from './enctype-policy';
import { KDC_ACTIONS } from './kdc-admin';
import { MIT_ACTIONS } from './mit';
import { TAMPER_ACTIONS } from './tamper';
import { WINDOWS_ACTIONS } from './windows';
import { helpAction, WINDOWS_SHELL_ACTIONS } from './windows-shell';
export { shellAfter } from './windows-shell';
import { WORLD_ACTIONS } from './world';

export { WINDOWS_ERRORS } from '../../azure';
export type { WindowsPolicyName } from './windows';

/**
 * Every entry, in the order the validator lists the kinds (the order it always listed them: the first
 * four Windows commands, the world's controls, the KDC administrator's, then the other Windows actions).
 */
export const ACTIONS = [
  ...WINDOWS_ACTIONS.slice(0, 4),
  ...WORLD_ACTIONS,
  ...KDC_ACTIONS,
  ...WINDOWS_ACTIONS.slice(4),
  ...ENCTYPE_POLICY_ACTIONS,
  ...TAMPER_ACTIONS,
  ...CLOUD_ACTIONS,
  ...WINDOWS_SHELL_ACTIONS,
  // help lists the typed entries, itself included: read when it runs, once the table is whole
  helpAction(() => typedAt('windows')),
  ...MIT_ACTIONS,
] as const;

/** A timeline action, as a scenario file writes it (each entry's fields, and the common ones). */
export type ScenarioAction = ActionBase & ActionOf<(typeof ACTIONS)[number]>;
export type ActionKind = ScenarioAction['do'];

export const ACTION_KINDS: readonly ActionKind[] = ACTIONS.map((e) => e.do);

const BY_KIND = new Map<string, AnyActionEntry>(ACTIONS.map((e) => [e.do, e]));

/** The entry of a kind of action. */
export function actionEntry(kind: string): AnyActionEntry {
  const entry = BY_KIND.get(kind);
  if (!entry) throw new ScenarioError('do', `there is no action "${kind}"`);
  return entry;
}

/** What an action came to, for the outcomes and the page. */
export interface ActionRecord {
  index: number;
  id?: string;
  do: ActionKind;
  host?: string;
  /** When it started, virtual ms. */
  t: number;
  /** The trace events it produced: seq from..to (to < from when none). */
  fromSeq: number;
  toSeq: number;
  ok: boolean;
  errorCode?: number;
  windowsError?: number;
  /** What the console printed, one line. */
  output: string;
  fromCache?: boolean;
  /** The realm of the ticket obtained (its server's realm). */
  realm?: string;
}

/** What the layers above the world note about a trace event: the Windows error a step showed. */
export type EventNote = TraceNote;

const ID = /^[a-z0-9][a-z0-9-]*$/;

/** The fields every action may have, before its own. */
const BASE_FIELDS = ['do', 'id', 'at', 'note'];

const actionIdShape = str({
  pattern: ID,
  hint: 'must be lowercase letters, digits and dashes',
  type: 'action id',
});
const atShape = shape('"TIME" (ISO-8601 UTC) or "+DURATION" after the start', (v, path, known) => {
  const at = str().read(v, path, known);
  if (parseWhen(at, known.start) === undefined)
    throw new ScenarioError(path, `"${at}" is neither an ISO-8601 UTC time nor "+DURATION"`);
  return at;
});

/** The fields every action has beside its own, as the reference lists them. */
const COMMON_FIELDS = {
  do: req({ ...oneOf(ACTION_KINDS), type: 'one of the kinds below' }, 'the kind of action'),
  id: opt(actionIdShape, 'outcomes refer to the action by it'),
  at: opt(atShape, 'run at this time (the clock advances to it)'),
  note: opt(str(), 'shown in the trace beside the action'),
};

/** One timeline action: `do` picks the entry, whose fields are read after the common ones. */
export const actionShape: Shape<ScenarioAction> = shape(
  'action',
  (v, path, known: Known) => {
    if (!isObject(v)) throw new ScenarioError(path, `must be an object, not ${describeValue(v)}`);
    const kinds = oneOf(ACTION_KINDS);
    if (v.do === undefined) throw new ScenarioError(fieldPath(path, 'do'), kinds.missing!);
    const entry = actionEntry(kinds.read(v.do, fieldPath(path, 'do'), known));
    const base: ActionBase = {};
    if (v.id !== undefined) base.id = actionIdShape.read(v.id, fieldPath(path, 'id'), known);
    if (v.at !== undefined) base.at = atShape.read(v.at, fieldPath(path, 'at'), known);
    if (v.note !== undefined) base.note = str().read(v.note, fieldPath(path, 'note'), known);
    const own = readFields(entry.fields, v, path, known);
    entry.check?.(own as never, path, known);
    refuseUnknown(v, [...BASE_FIELDS, ...Object.keys(entry.fields)], path);
    return { ...base, do: entry.do, ...own } as ScenarioAction;
  },
  {
    inner: {
      kind: 'variants',
      tag: 'do',
      variants: ACTIONS.map((e) => ({ name: e.do, shape: obj(e.fields, { type: e.about }) })),
      common: COMMON_FIELDS,
    },
  },
);

/** Runs one action on the world. */
export function runAction(world: World, action: ScenarioAction, cx: RunContext): ActionRun {
  return actionEntry(action.do).run(world, action as never, cx);
}

/** The step bar's words for an action; `users` maps client hosts to their users. */
export function actionTitle(action: ScenarioAction, users: ReadonlyMap<string, string> = new Map()): string {
  return actionEntry(action.do).title(action as never, users);
}

/** What a person types for an action at the host's prompt; undefined when it is not typed. */
export function commandLine(action: ScenarioAction): string | undefined {
  return actionEntry(action.do).command?.print(action as never);
}

/** The entries a person can type, longest name first (so "klist get" is tried before "klist"). */
const TYPED: readonly AnyActionEntry[] = (ACTIONS as readonly AnyActionEntry[])
  .filter((e) => e.command)
  .sort((a, b) => words(b.command!.name).length - words(a.command!.name).length);

/** The entries typed at a prompt of `os`. */
const typedAt = (os: HostOs) => TYPED.filter((e) => (e.command!.os ?? 'windows') === os);

/** Every entry a person can type at a prompt of `os`. */
export const typedEntries = (os: HostOs = 'windows'): readonly AnyActionEntry[] => typedAt(os);

/**
 * The entries of `os` whose command name a line begins with: the longest name first, then in table
 * order. Windows matches names in any case; a Linux shell only the name as it is spelled.
 */
export function commandEntries(line: string, os: HostOs = 'windows'): AnyActionEntry[] {
  const typed = words(line);
  const same = os === 'linux' ? (a: string | undefined, b: string) => a === b : sameWord;
  const matching = typedAt(os).filter((e) => words(e.command!.name).every((w, i) => same(typed[i], w)));
  const longest = matching.length ? words(matching[0]!.command!.name).length : 0;
  return matching.filter((e) => words(e.command!.name).length === longest);
}

/** An entry's fields from the words, or undefined when they do not fit it. */
function fitting(e: AnyActionEntry, args: readonly string[]): [AnyActionEntry, object] | undefined {
  try {
    return [
      e,
      e.command!.parse(args, (reason) => {
        throw new CommandLineError('', reason);
      }),
    ];
  } catch (err) {
    if (err instanceof CommandLineError) return undefined;
    throw err;
  }
}

/** What the console can read, one syntax a line (for help and for the error of an unknown command). */
export const COMMAND_SYNTAX: readonly string[] = typedAt('windows').map((e) => e.command!.syntax);

/** What a Linux host's prompt can read (MIT krb5's tools), one syntax a line. */
export const LINUX_COMMAND_SYNTAX: readonly string[] = typedAt('linux').map((e) => e.command!.syntax);

/** The system `host` runs, as the scenario says (a host it does not know is taken as Windows). */
export const osOf = (host: string, known?: Known): HostOs => (known?.linux.has(host) ? 'linux' : 'windows');

/** What a prompt says of a line it has no command for: the shell's own words, then what it knows. */
function unknownCommand(line: string, typed: readonly string[], os: HostOs): CommandLineError {
  if (os === 'linux') {
    const what = typed.length === 0 ? 'nothing was typed' : `bash: ${typed[0]}: command not found`;
    return new CommandLineError(
      line.trim(),
      `${what}; on this Linux host the playground knows MIT krb5's ${LINUX_COMMAND_SYNTAX.join(', ')}`,
    );
  }
  const what =
    typed.length === 0 ? 'nothing was typed' : `'${typed[0]}' is not a command the playground knows`;
  return new CommandLineError(line.trim(), `${what}; it knows: ${COMMAND_SYNTAX.join(', ')}`);
}

/**
 * The action a command line typed at `host`'s prompt stands for. The prompt is the host's system's
 * (`os`: by default what `known` says of the host): the entry of that system whose command name is the
 * longest match reads the words after it; with `known` (the scenario's hosts, clients and realms) the
 * action is then checked as the scenario's own timeline would be. Anything else is a CommandLineError
 * that says why.
 */
export function parseCommand(
  host: string,
  line: string,
  known?: Known,
  os: HostOs = osOf(host, known),
): ScenarioAction {
  const typed = words(line);
  const [entry, ...others] = commandEntries(line, os);
  if (!entry) throw unknownCommand(line, typed, os);
  const command = entry.command!;
  const bad = (reason: string): never => {
    throw new CommandLineError(line.trim(), reason, command.syntax);
  };
  const args = typed.slice(words(command.name).length);
  // entries of the same name ("net use" maps, lists, deletes): the first whose words fit reads them
  const [chosen, fields] = [entry, ...others].reduceRight<[AnyActionEntry, object] | undefined>(
    (found, e) => fitting(e, args) ?? found,
    undefined,
  ) ?? [entry, command.parse(args, bad)];
  const action = { do: chosen.do, host, ...fields };
  if (!known) return action as ScenarioAction;
  try {
    return actionShape.read(action, '', known);
  } catch (e) {
    if (e instanceof ScenarioError) bad(`${e.field}: ${e.reason}`);
    throw e;
  }
}
