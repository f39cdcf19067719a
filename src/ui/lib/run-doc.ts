/**
 * A saved run ("My scenarios"): the base scenario (a catalogue id or the user's JSON), the player's whole
 * plan (each step's action and where it came from) and the current step, with a format number. It is a
 * document kind of the work store, and the same value is what a run's JSON file holds. Every part is
 * bounded and checked where it enters; the actions themselves are checked again when played
 * (`Player.fromPlan`), since a saved or imported run is untrusted.
 */
import type { DocKind } from './work-store';

/** The run format this version writes; older formats are named when refused. */
export const RUN_FORMAT = 1;
/** The most steps a run may plan. */
export const MAX_PLAN = 2000;
/** The longest run file accepted on import. */
export const MAX_RUN_FILE_CHARS = 2 * 1024 * 1024;
const SOURCES = ['scenario', 'typed', 'fault', 'policy', 'clock', 'tamper'];

export interface SavedRun {
  format: number;
  name: string;
  base: { kind: 'catalogue'; id: string } | { kind: 'json'; text: string };
  plan: { action: unknown; source: string }[];
  step: number;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Why a value is not a saved run, or undefined when it is one. */
export function runProblem(v: unknown): string | undefined {
  if (!isObject(v)) return 'a run is a JSON object';
  if (v.format !== RUN_FORMAT)
    return `this run has format ${JSON.stringify(v.format)}; this version reads format ${RUN_FORMAT}`;
  if (typeof v.name !== 'string' || v.name.length === 0 || v.name.length > 200)
    return 'name: a run needs a name of 1 to 200 characters';
  const base = v.base;
  const baseOk =
    isObject(base) &&
    ((base.kind === 'catalogue' && typeof base.id === 'string' && base.id.length <= 100) ||
      (base.kind === 'json' && typeof base.text === 'string' && base.text.length <= MAX_RUN_FILE_CHARS));
  if (!baseOk) return "base: a catalogue scenario's id or the text of a scenario file";
  if (!Array.isArray(v.plan)) return 'plan: a list of steps';
  if (v.plan.length > MAX_PLAN)
    return `plan: ${v.plan.length} steps, more than the ${MAX_PLAN} a run may have`;
  const bad = v.plan.findIndex(
    (p) => !isObject(p) || !SOURCES.includes(p.source as string) || !isObject(p.action),
  );
  if (bad >= 0) return `plan[${bad}]: each step is an action and its source (${SOURCES.join(', ')})`;
  if (!Number.isInteger(v.step) || (v.step as number) < 0 || (v.step as number) > v.plan.length)
    return `step: a step from 0 to ${v.plan.length}`;
  return undefined;
}

/** The work store's document kind for runs. */
export const RUN: DocKind<SavedRun> = {
  name: 'run',
  is: (v: unknown): v is SavedRun => runProblem(v) === undefined,
};

export class RunFileError extends Error {}

/** Reads an imported run file: bounded, JSON, and a run; otherwise a RunFileError saying why. */
export function parseRunFile(text: string): SavedRun {
  if (text.length > MAX_RUN_FILE_CHARS)
    throw new RunFileError(
      `this file has ${text.length} characters; a run file may have ${MAX_RUN_FILE_CHARS}`,
    );
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new RunFileError(`this file is not JSON: ${(e as Error).message}`);
  }
  const problem = runProblem(value);
  if (problem) throw new RunFileError(`this file is not a saved run: ${problem}`);
  return value as SavedRun;
}
