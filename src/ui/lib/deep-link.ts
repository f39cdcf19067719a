/**
 * Deep links: a share link ("#/s/kerberos-101", or "#/j/…" with the user's JSON) followed by where to
 * look in the run — a step, a message of the trace (its seq) and a field of the inspector's tree (its
 * path of RFC field names below the message, dots between them):
 *
 *   #/s/kerberos-101/step/2/msg/12/field/req-body.sname
 *
 * A link is input from anyone, so every part is bounded and checked here before the page acts on it; a
 * part that cannot be read is dropped with a sentence that says why, and the parts before it still open
 * (a good step with a damaged field opens the step). Whether the step, the message and the field exist
 * in the scenario is for the page to say once it plays it (`fieldByPath` finds the field in a tree).
 */
import type { ViewNode } from '../engine/protocol';

/** Where in a run a link points. */
export interface DeepTarget {
  step?: number;
  /** A trace event's seq. */
  seq?: number;
  /** Field names below the message's root, outermost first ("req-body", "sname"). */
  field?: string[];
}

/** A hash read: the share link it starts with (for share.ts), where to look, and what could not be read. */
export interface DeepLink extends DeepTarget {
  /** The hash without the deep part: "#/s/kerberos-101". */
  base: string;
  /** Sentences, one per part that could not be read. */
  problems: string[];
}

/** The longest deep part (after the share link) a link may have: 40 field names of 50 characters fit. */
export const MAX_DEEP_CHARS = 2048;
/** Steps and trace events a link may name: far beyond any scenario (the catalogue's longest has 12 steps). */
export const MAX_STEP = 9999;
export const MAX_SEQ = 999_999;
/** The deepest field a link may name (the PAC's fields sit about 20 deep). */
export const MAX_FIELD_DEPTH = 40;
export const MAX_FIELD_NAME_CHARS = 120;

const KEYS = ['step', 'msg', 'field'] as const;
type Key = (typeof KEYS)[number];

/** How a text from a link is quoted in a sentence: cut short, so a hostile link cannot flood the page. */
const quoted = (text: string) => JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);

/**
 * Reads a hash. A hash that is not a share link ("#/", "#/crypto", another route) comes back whole as
 * `base`, with nothing to follow.
 */
export function readDeepLink(hash: string): DeepLink {
  const m = /^(#\/[sj]\/[^/]*)(\/.*)?$/.exec(hash);
  if (!m) return { base: hash, problems: [] };
  const base = m[1]!;
  // one "/" at the end is forgiven, as a path's would be (and as share.ts forgives it)
  const tail = (m[2] ?? '').replace(/\/$/, '');
  if (tail === '') return { base, problems: [] };
  // a #/j/ link whose next part is not a deep link's is one link with a "/" inside it: share.ts says so
  if (base.startsWith('#/j/') && !/^\/(step|msg|field)(\/|$)/.test(tail)) return { base: hash, problems: [] };
  if (tail.length > MAX_DEEP_CHARS)
    return {
      base,
      problems: [
        `the part of the link after the scenario is ${tail.length.toLocaleString('en')} characters long, more than a link to a field needs (${MAX_DEEP_CHARS.toLocaleString('en')}): only the scenario was opened`,
      ],
    };
  const out: DeepLink = { base, problems: [] };
  const parts = tail.slice(1).split('/');
  for (let i = 0; i < parts.length; i += 2) {
    const key = parts[i]!;
    const value = parts[i + 1];
    const problem = readPart(out, key, value);
    if (problem) {
      // what comes after a part that cannot be read is not followed: it would point into the wrong place
      out.problems.push(problem);
      break;
    }
  }
  return out;
}

/** Reads one "key/value" pair into `out`; a sentence when it cannot. */
function readPart(out: DeepLink, key: string, value: string | undefined): string | undefined {
  if (!(KEYS as readonly string[]).includes(key))
    return `the link's part ${quoted(key)} is not one the playground knows (a link may name a step, a msg and a field, in that order)`;
  const k = key as Key;
  if (value === undefined || value === '') return `the link names a ${k} but gives no value for it`;
  const order = KEYS.indexOf(k);
  if (k === 'step' ? out.step !== undefined : k === 'msg' ? out.seq !== undefined : out.field !== undefined)
    return `the link names the ${k} twice`;
  if (KEYS.slice(order + 1).some((later) => (later === 'msg' ? out.seq : out.field) !== undefined))
    return `the link names the ${k} after what it holds (a link goes step, then msg, then field)`;
  if (k === 'step') return readNumber(value, 'step', MAX_STEP, (n) => (out.step = n));
  if (k === 'msg') {
    if (out.step === undefined) return 'the link names a message but not the step it belongs to';
    return readNumber(value, 'message', MAX_SEQ, (n) => (out.seq = n));
  }
  if (out.seq === undefined) return 'the link names a field but not the message it belongs to';
  const field = readField(value);
  if (typeof field === 'string') return field;
  out.field = field;
  return undefined;
}

function readNumber(value: string, what: string, max: number, set: (n: number) => void): string | undefined {
  if (!/^\d{1,7}$/.test(value))
    return `the link's ${what} ${quoted(value)} is not a number: a ${what} is a whole number, like 3`;
  const n = Number(value);
  if (n > max) return `the link's ${what} ${n} is beyond any scenario (at most ${max.toLocaleString('en')})`;
  if (what === 'message' && n === 0) return 'the link names message 0: the trace counts from 1';
  set(n);
  return undefined;
}

/** A field path's names, or a sentence. Each name is URI-encoded in the link, so it may hold dots and spaces. */
function readField(value: string): string[] | string {
  const raw = value.split('.');
  if (raw.length > MAX_FIELD_DEPTH)
    return `the link's field is ${raw.length} names deep, deeper than any field the inspector shows (at most ${MAX_FIELD_DEPTH})`;
  const names: string[] = [];
  for (const r of raw) {
    let name: string;
    try {
      name = decodeURIComponent(r);
    } catch {
      return `the link's field name ${quoted(r)} is damaged (a "%" not followed by two hex digits)`;
    }
    if (name.trim() === '') return "the link's field path has an empty name in it (two dots in a row?)";
    if (name.length > MAX_FIELD_NAME_CHARS || [...name].some((c) => c.charCodeAt(0) < 0x20))
      return `the link's field name ${quoted(name)} is not a field name the inspector shows`;
    names.push(name);
  }
  return names;
}

/** A field name as a link spells it: dots and anything a URL would mangle, escaped. */
const encodeName = (name: string) => encodeURIComponent(name).replace(/\./g, '%2E');

/** The hash for a place in a run: the share link's hash, then the step, the message and the field. */
export function deepLinkHash(base: string, target: DeepTarget): string {
  let hash = base.replace(/\/$/, '');
  if (target.step === undefined) return hash;
  hash += `/step/${target.step}`;
  if (target.seq === undefined) return hash;
  hash += `/msg/${target.seq}`;
  if (!target.field || target.field.length === 0) return hash;
  return `${hash}/field/${target.field.map(encodeName).join('.')}`;
}

/**
 * The names from below the root down to node `id` (a second sibling of the same name is "name~2"), or
 * undefined when the tree does not hold it; [] for the root itself.
 */
export function fieldPathOf(root: ViewNode | undefined, id: string): string[] | undefined {
  if (!root) return undefined;
  if (root.id === id) return [];
  const kids = root.children ?? [];
  for (let i = 0; i < kids.length; i++) {
    const below = fieldPathOf(kids[i], id);
    if (below) return [siblingName(kids, i), ...below];
  }
  return undefined;
}

function siblingName(kids: readonly ViewNode[], i: number): string {
  const name = kids[i]!.name;
  const k = kids.slice(0, i).filter((c) => c.name === name).length;
  return k === 0 ? name : `${name}~${k + 1}`;
}

/** The node a field path names, or how far it got: the deepest node found and the first name not found. */
export function fieldByPath(root: ViewNode, path: readonly string[]): { node: ViewNode; missing?: string } {
  let node = root;
  for (const name of path) {
    const kids = node.children ?? [];
    const i = kids.findIndex((_, j) => siblingName(kids, j) === name);
    if (i < 0) return { node, missing: name };
    node = kids[i]!;
  }
  return { node };
}
