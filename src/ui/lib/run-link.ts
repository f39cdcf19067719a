/**
 * Links to a whole run, and every link the page reads. A run link carries the saved run itself (its base
 * scenario, every step of its plan with where it came from — the scenario, typed, a fault, a policy, the
 * clock — and the current step) as JSON, deflated by the browser's CompressionStream and in base64url:
 * "#/r2/…", where 2 is the link format (format 1 was the scenario links "#/s/<id>" and "#/j/<json>",
 * which still open). "#/m/<id>" names a run kept in this browser ("My scenarios"), so a reload opens it.
 *
 * A link is input from anyone: bounded before decoding (its length), while inflating (what it may
 * become), and checked as a run file is (run-doc.ts); the plan's actions are checked again when played.
 */
import { runProblem, MAX_RUN_FILE_CHARS, type SavedRun } from './run-doc';
import {
  fromBase64Url,
  inflateBounded,
  MAX_LINK_CHARS,
  readShareHash,
  ShareLinkError,
  toBase64Url,
  type SharedScenario,
} from './share';

/** The run-link format this version writes and reads. */
export const RUN_LINK_FORMAT = 2;

/** The most a run link may inflate to: a run file's own cap. */
export const MAX_RUN_LINK_BYTES = MAX_RUN_FILE_CHARS;

/** A saved run's id in "#/m/<id>": what `newRunId` makes, or an older one of the same shape. */
const RUN_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** What a link asks the page to open. */
export type LinkTarget = SharedScenario | { kind: 'run'; run: SavedRun } | { kind: 'saved'; id: string };

/** A fresh id for a run kept in this browser. */
export function newRunId(): string {
  const bytes = new Uint8Array(6);
  globalThis.crypto.getRandomValues(bytes);
  return `run-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

export function isRunId(id: string): boolean {
  return RUN_ID.test(id);
}

/** The hash of a run kept in this browser: "#/m/run-3fa2…". */
export function savedRunHash(id: string): string {
  return `#/m/${id}`;
}

async function deflate(bytes: Uint8Array): Promise<Uint8Array> {
  const out = new Blob([bytes as BlobPart]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(out).arrayBuffer());
}

const chars = (n: number) => n.toLocaleString('en');

/** The hash carrying a whole run: "#/r2/" and the run's JSON deflated, in base64url. */
export async function runHash(run: SavedRun): Promise<string> {
  const problem = runProblem(run);
  if (problem) throw new ShareLinkError(`this run cannot be put in a link: ${problem}`);
  const bytes = new TextEncoder().encode(JSON.stringify(run));
  if (bytes.length > MAX_RUN_LINK_BYTES)
    throw new ShareLinkError(
      `this run is ${chars(bytes.length)} bytes of JSON, more than a link may carry (${chars(MAX_RUN_LINK_BYTES)}): export it as a file instead`,
    );
  const hash = `#/r${RUN_LINK_FORMAT}/${toBase64Url(await deflate(bytes))}`;
  if (hash.length > MAX_LINK_CHARS)
    throw new ShareLinkError(
      `this run compresses to a link of ${chars(hash.length)} characters, more than a link may be (${chars(MAX_LINK_CHARS)}): export it as a file instead`,
    );
  return hash;
}

async function readRunPayload(payload: string): Promise<SavedRun> {
  const bytes = await inflateBounded(fromBase64Url(payload), MAX_RUN_LINK_BYTES);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new ShareLinkError('the run in this link is damaged: it does not hold the JSON of a run');
  }
  const problem = runProblem(value);
  if (problem) throw new ShareLinkError(`the run in this link cannot be opened: ${problem}`);
  return value as SavedRun;
}

/**
 * What a hash asks for, or undefined when it names nothing to open ("#/", "#/crypto"). Every link this
 * playground ever made is read: "#/s/" and "#/j/" (format 1), "#/r2/" (a run), "#/m/" (a run kept in this
 * browser). A link it cannot open throws a ShareLinkError that says why — a link from a newer version
 * says so and which format it is.
 */
export async function readLink(hash: string): Promise<LinkTarget | undefined> {
  const run = /^#\/r(\d{1,6})\/(.*)$/s.exec(hash);
  if (run) {
    if (hash.length > MAX_LINK_CHARS)
      throw new ShareLinkError(
        `this link is ${chars(hash.length)} characters long, more than a link may be (${chars(MAX_LINK_CHARS)}): it was not made by this playground, so it was not opened`,
      );
    const format = Number(run[1]);
    if (format !== RUN_LINK_FORMAT)
      throw new ShareLinkError(
        format > RUN_LINK_FORMAT
          ? `this link holds a run in format ${format}, made by a newer version of the playground; this version reads run links of format ${RUN_LINK_FORMAT}`
          : `this link names run format ${format}, which no version of the playground wrote (run links are format ${RUN_LINK_FORMAT})`,
      );
    return { kind: 'run', run: await readRunPayload(run[2]!.replace(/\/$/, '')) };
  }
  const saved = /^#\/m\/(.*)$/s.exec(hash);
  if (saved) {
    const id = saved[1]!.replace(/\/$/, '');
    if (!isRunId(id))
      throw new ShareLinkError(
        `"${id.slice(0, 64)}" is not the id of a run kept in a browser (they look like run-3fa2c91b07de)`,
      );
    return { kind: 'saved', id };
  }
  return readShareHash(hash);
}
