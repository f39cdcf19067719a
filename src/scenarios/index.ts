/**
 * Scenarios as data: the schema and its validator (schema.ts), the catalogue of built-in scenarios
 * (catalogue/*.json), the runner that builds a world from a scenario, plays its timeline on the virtual
 * clock and checks its expected outcomes (runner.ts), and the run as text (text.ts).
 */
export {
  validateScenario,
  knownOf,
  parseScenarioJson,
  parseWhen,
  parseIsoTime,
  ScenarioError,
  DEFAULT_START,
  DEFAULT_SEED,
  ACTION_KINDS,
  timeProblem,
  TIME_LIMIT,
} from './schema';
export type {
  Scenario,
  UnavailableScenario,
  AnyScenario,
  ScenarioAction,
  ActionKind,
  ScenarioOutcome,
  Predicate,
  ScenarioHost,
  ScenarioService,
  ScenarioClient,
  ScenarioEntra,
  WindowsPolicyName,
} from './schema';
export { catalogue, catalogueHeaders, findScenario, type CatalogueHeader } from './catalogue';
export { buildWorld } from './build';
export { runScenario, parseUntil, eventTime, clientCache, playAction } from './runner';
export type { RunOptions, ScenarioRun, ScenarioRunJson, ScenarioEvent, PlayOptions } from './runner';
export type { ActionRecord, EventNote } from './actions';
export {
  ACTIONS,
  actionEntry,
  actionShape,
  actionTitle,
  commandLine,
  parseCommand,
  COMMAND_SYNTAX,
  LINUX_COMMAND_SYNTAX,
  osOf,
  runAction,
  shellAfter,
} from './actions';
export { CommandLineError } from './action-table';
export { readShellLine, ShellRefusal, shellCommands, notRecognized } from './shell';
export type { ShellKind } from './shell';
export type { ActionOutcome, ActionRun, RunContext, CommandLine, HostOs } from './action-table';
export { evaluateOutcomes } from './outcomes';
export { startOf } from './build';
export { CATALOGUE_FILES } from './catalogue/index';
export { WINDOWS_ERRORS } from './actions';
export type { OutcomeResult } from './outcomes';
export { formatRun, formatRunEvents } from './text';
export { kdcPasswordKeys, makePasswordKeysAhead } from './password-keys';
export type { PasswordKey } from './password-keys';
