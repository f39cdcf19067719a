/**
 * The vocabulary the scenario schema is written in: a `Shape` describes one JSON value — what it may be,
 * how it is read, what a learner is told when it is wrong — once, as data, the way asn1/codec.ts
 * describes a message. The validator reads a file through shapes and nothing else, the TypeScript types
 * are inferred from them (`Infer`), and the reference in docs/scenarios.md is printed from them
 * (reference.ts). Reading never throws anything but a ScenarioError naming the field, whatever the input.
 */
import { parseDuration } from '../asn1/time';
import { KrbPlayError } from '../util/errors';
import { DURATION_HINT, parseSignedDuration } from './clock';

/** A bad scenario: the field ("timeline[2].host") and the reason. */
export class ScenarioError extends KrbPlayError {
  readonly field: string;
  readonly reason: string;
  constructor(field: string, reason: string) {
    super('scenario', `${field}: ${reason}`);
    this.field = field;
    this.reason = reason;
  }
}

/** A JSON value in a few words, for a reason ("the string "x"", "a list", "number 3"). */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return `the string "${v.length > 40 ? `${v.slice(0, 40)}…` : v}"`;
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `path.name`, or `name` at the top. */
export const fieldPath = (path: string, name: string): string => (path ? `${path}.${name}` : name);

/**
 * What the reader knows of the file so far, for the fields that refer to another part of it (a host id,
 * a realm, an action id). The scenario's own fields fill it in the order they are read.
 */
export interface Known {
  /** hosts[].id, in the file's order. */
  hosts: string[];
  /** kdc.realms[].name, in the file's order. */
  realms: string[];
  /** Realm → the host of the KDC serving it (kdcs[]). */
  served: Map<string, string>;
  /** Hosts with a client (clients[].host). */
  clients: Set<string>;
  /** Client hosts joined to Entra (entra or hybrid). */
  windows: Set<string>;
  /** Client hosts that are Linux hosts with MIT krb5 (clients[].os "linux"). */
  linux: Set<string>;
  /** Hosts running a KDC (kdcs[].host). */
  kdcHosts: Set<string>;
  /** The timeline's action ids. */
  actionIds: Set<string>;
  /** The scenario's start, ms (an action's `at` counts from it). */
  start: number;
  /** Each host's clock offset from true time, ms (hosts[].clockOffset), for the walk of the clocks. */
  clockOffsets: Map<string, number>;
}

export function emptyKnown(start = 0): Known {
  return {
    hosts: [],
    realms: [],
    served: new Map(),
    clients: new Set(),
    windows: new Set(),
    linux: new Set(),
    kdcHosts: new Set(),
    actionIds: new Set(),
    start,
    clockOffsets: new Map(),
  };
}

/** What the reference shows inside a value: an object's fields, a list's item, a map's values, variants. */
export type Inner =
  | { kind: 'object'; fields: Fields }
  | { kind: 'list'; item: Shape<unknown> }
  | { kind: 'map'; key: string; value: Shape<unknown> }
  | {
      kind: 'variants';
      tag?: string;
      variants: readonly { name: string; shape: Shape<unknown> }[];
      /** Fields every variant has beside its own (an action's do, id, at, note). */
      common?: Fields;
    };

export interface Shape<T> {
  /** How the reference names the value ("text", "whole number 1–65535", "host id"). */
  readonly type: string;
  /** What is said of a required value that is absent (default "is missing"). */
  readonly missing?: string;
  readonly inner?: Inner;
  /** Reads `v`, found at `path`; throws a ScenarioError naming `path` (or a field inside it). */
  read(v: unknown, path: string, known: Known): T;
}

/** One field of an object: its shape, whether it may be absent (and what it then is), what it means. */
export interface Field<T, O extends boolean> {
  readonly shape: Shape<T>;
  readonly optional: O;
  readonly about: string;
  /** The value an absent field gets (the field is then never undefined). */
  readonly fallback?: { value: T; text: string };
  /**
   * What an absent field comes to, from the rest of the file read so far (a default made of other fields,
   * or a refusal naming the field when others need it); undefined leaves it absent. `text` says it in the
   * reference.
   */
  readonly absent?: { text: string; value(path: string, known: Known): T | undefined };
}

export type Fields = Readonly<Record<string, Field<unknown, boolean>>>;

type ValueOf<F> = F extends Field<infer T, boolean> ? T : never;
type Flat<T> = { [K in keyof T]: T[K] } & {};

/** The value an object shape reads: required fields, then the optional ones with `?`. */
export type Infer<F extends Fields> = Flat<
  { -readonly [K in keyof F as F[K] extends Field<unknown, false> ? K : never]: ValueOf<F[K]> } & {
    -readonly [K in keyof F as F[K] extends Field<unknown, false> ? never : K]?: ValueOf<F[K]>;
  }
>;

/** The value a shape reads. */
export type ShapeValue<S> = S extends Shape<infer T> ? T : never;

export const req = <T>(shape: Shape<T>, about: string): Field<T, false> => ({
  shape,
  optional: false,
  about,
});
export const opt = <T>(shape: Shape<T>, about: string): Field<T, true> => ({ shape, optional: true, about });
/** A field that, absent, comes from the rest of the file (`absent.value`), or stays absent when that is undefined. */
export const computed = <T, O extends boolean>(
  field: Field<T, O>,
  text: string,
  value: (path: string, known: Known) => T | undefined,
): Field<T, O> => ({ ...field, absent: { text, value } });
/** A field that may be absent and then has `value` (`text` says it in the reference). */
export const dflt = <T>(
  shape: Shape<T>,
  value: T,
  about: string,
  text = JSON.stringify(value),
): Field<T, false> => ({
  shape,
  optional: false,
  about,
  fallback: { value, text },
});

// ---- values ----------------------------------------------------------------------------------------------

/** A shape from a reader function. */
export function shape<T>(
  type: string,
  read: (v: unknown, path: string, known: Known) => T,
  extra: { missing?: string; inner?: Inner } = {},
): Shape<T> {
  return { type, read, ...extra };
}

/** The same shape with one more check after it reads (the check may throw, naming the field). */
export function checked<T>(s: Shape<T>, check: (v: T, path: string, known: Known) => void): Shape<T> {
  return {
    ...s,
    read: (v, path, known) => {
      const value = s.read(v, path, known);
      check(value, path, known);
      return value;
    },
  };
}

/**
 * The same shape read, then turned into another value (a canonical form). Not named `then`: a module
 * exporting `then` is a thenable, and awaiting its dynamic import never settles.
 */
export function andThen<T, U>(
  s: Shape<T>,
  type: string,
  f: (v: T, path: string, known: Known) => U,
): Shape<U> {
  return { ...s, type, read: (v, path, known) => f(s.read(v, path, known), path, known) };
}

interface StrOptions {
  pattern?: RegExp;
  /** The empty string is a value too (a password, a salt). */
  empty?: boolean;
  /** Said after the value when it does not match: `"x" must be …`. */
  hint?: string;
  /** How the reference names it (default "text"). */
  type?: string;
}

function readStr(v: unknown, path: string, o: StrOptions = {}): string {
  if (typeof v !== 'string' || (v === '' && !o.empty))
    throw new ScenarioError(path, `must be a ${o.empty ? '' : 'non-empty '}string, not ${describeValue(v)}`);
  if (o.pattern && !o.pattern.test(v))
    throw new ScenarioError(path, `"${v}" ${o.hint ?? 'is not valid here'}`);
  return v;
}

/** A non-empty string, matching `pattern` when one is given. */
export const str = (o: StrOptions = {}): Shape<string> =>
  shape(o.type ?? 'text', (v, path) => readStr(v, path, o));

interface NumOptions {
  min?: number;
  max?: number;
  /** Default true: whole numbers only. */
  integer?: boolean;
  type?: string;
}

function numType(o: NumOptions): string {
  const what = o.integer === false ? 'number' : 'whole number';
  if (o.min !== undefined && o.max !== undefined) return `${what} ${o.min}–${o.max}`;
  if (o.min !== undefined) return `${what} ≥ ${o.min}`;
  return what;
}

/** A number (whole unless said), in [min, max]. */
export const num = (o: NumOptions = {}): Shape<number> =>
  shape(o.type ?? numType(o), (v, path) => {
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw new ScenarioError(path, `must be a number, not ${describeValue(v)}`);
    if (o.integer !== false && !Number.isInteger(v))
      throw new ScenarioError(path, `must be a whole number, not ${v}`);
    if (o.min !== undefined && v < o.min)
      throw new ScenarioError(path, `must be at least ${o.min}, not ${v}`);
    if (o.max !== undefined && v > o.max) throw new ScenarioError(path, `must be at most ${o.max}, not ${v}`);
    return v;
  });

/** true or false. */
export const bool = (o: { missing?: string } = {}): Shape<boolean> =>
  shape(
    'true or false',
    (v, path) => {
      if (typeof v !== 'boolean')
        throw new ScenarioError(path, `must be true or false, not ${describeValue(v)}`);
      return v;
    },
    o.missing ? { missing: o.missing } : {},
  );

/** One of a few words. */
export function oneOf<T extends string>(values: readonly T[]): Shape<T> {
  return shape(
    `one of ${values.map((x) => `"${x}"`).join(', ')}`,
    (v, path) => {
      if (typeof v !== 'string' || !values.includes(v as T))
        throw new ScenarioError(path, `must be one of ${values.join(', ')}, not ${describeValue(v)}`);
      return v as T;
    },
    { missing: `is missing (one of ${values.join(', ')})` },
  );
}

/** A list of `item`s (not empty, when said). */
export function list<T>(item: Shape<T>, o: { nonEmpty?: boolean } = {}): Shape<T[]> {
  return shape(
    `list of ${item.type}${o.nonEmpty ? ' (at least one)' : ''}`,
    (v, path, known) => {
      if (!Array.isArray(v)) throw new ScenarioError(path, `must be a list, not ${describeValue(v)}`);
      if (o.nonEmpty && v.length === 0) throw new ScenarioError(path, 'must not be empty');
      return v.map((x, i) => item.read(x, `${path}[${i}]`, known));
    },
    { inner: { kind: 'list', item } },
  );
}

/** One `item`, or a list of them (`key` or `key[i]` is named). */
export function oneOrList<T>(item: Shape<T>): Shape<T | T[]> {
  return shape(
    `${item.type}, or a list of them`,
    (v, path, known) => (Array.isArray(v) ? list(item).read(v, path, known) : item.read(v, path, known)),
    { inner: { kind: 'list', item } },
  );
}

/**
 * An object whose keys the file chooses (a realm, a host name), each holding a `value`. A value's field is
 * named `path.KEY` (`dot`) or `path["KEY"]` (`bracket`, for keys holding dots).
 */
export function map<T>(
  value: Shape<T>,
  o: { key: string; style: 'dot' | 'bracket'; keyCheck?: (key: string, path: string, known: Known) => void },
): Shape<Record<string, T>> {
  return shape(
    `object: ${o.key} → ${value.type}`,
    (v, path, known) => {
      if (!isObject(v)) throw new ScenarioError(path, `must be an object, not ${describeValue(v)}`);
      const out: Record<string, T> = {};
      for (const [k, x] of Object.entries(v)) {
        const at = o.style === 'dot' ? `${path}.${k}` : `${path}["${k}"]`;
        o.keyCheck?.(k, at, known);
        out[k] = value.read(x, at, known);
      }
      return out;
    },
    { inner: { kind: 'map', key: o.key, value } },
  );
}

/** Reads the fields of an object in order (an absent one gets its fallback, or is missing). */
export function readFields<F extends Fields>(
  fields: F,
  v: Record<string, unknown>,
  path: string,
  known: Known,
): Infer<F> {
  const out: Record<string, unknown> = {};
  for (const [name, f] of Object.entries(fields)) {
    const at = fieldPath(path, name);
    const raw = v[name];
    if (raw === undefined) {
      const value = f.fallback ? structuredClone(f.fallback.value) : f.absent?.value(at, known);
      if (value !== undefined) out[name] = value;
      else if (!f.optional) throw new ScenarioError(at, f.shape.missing ?? 'is missing');
      continue;
    }
    out[name] = f.shape.read(raw, at, known);
  }
  return out as Infer<F>;
}

/** Every field of `v` is one of `known`: anything else is a typo worth naming. */
export function refuseUnknown(v: Record<string, unknown>, known: readonly string[], path: string): void {
  for (const k of Object.keys(v)) {
    if (known.includes(k)) continue;
    const near = known.find((u) => u.toLowerCase() === k.toLowerCase());
    throw new ScenarioError(
      fieldPath(path, k),
      `unknown field${near ? ` (did you mean "${near}"?)` : ` (known here: ${known.join(', ')})`}`,
    );
  }
}

export interface ObjShape<T> extends Shape<T> {
  readonly fields: Fields;
}

/**
 * An object with the given fields (in the order they are read and listed). `check` runs once they are
 * read, for what involves several fields; unknown fields are refused after it.
 */
export function obj<F extends Fields>(
  fields: F,
  o: { type?: string; check?: (v: Infer<F>, path: string, known: Known) => void } = {},
): ObjShape<Infer<F>> {
  return {
    type: o.type ?? 'object',
    fields,
    inner: { kind: 'object', fields },
    read(v, path, known) {
      if (!isObject(v))
        throw new ScenarioError(path || '(top)', `must be an object, not ${describeValue(v)}`);
      const out = readFields(fields, v, path, known);
      o.check?.(out, path, known);
      refuseUnknown(v, Object.keys(fields), path);
      return out;
    },
  };
}

// ---- references to other parts of the file ---------------------------------------------------------------

/** A host id of hosts[]. */
export const hostId: Shape<string> = shape('host id', (v, path, known) => {
  const id = readStr(v, path);
  if (!known.hosts.includes(id))
    throw new ScenarioError(path, `there is no host "${id}" (hosts: ${known.hosts.join(', ')})`);
  return id;
});

/** A host with a client (clients[].host). */
export const clientHost = (wording = ' (clients[].host)'): Shape<string> =>
  shape('client host id', (v, path, known) => {
    const h = hostId.read(v, path, known);
    if (!known.clients.has(h)) throw new ScenarioError(path, `${h} has no client${wording}`);
    return h;
  });

/** A Windows client host (clients[].os is not "linux"): the one where Windows' actions happen. */
export const windowsClientHost: Shape<string> = shape('Windows client host id', (v, path, known) => {
  const h = clientHost().read(v, path, known);
  if (known.linux.has(h))
    throw new ScenarioError(
      path,
      `${h} is a Linux host (clients[].os): it runs MIT's kinit, klist, kvno and kdestroy, not Windows`,
    );
  return h;
});

/** A Linux client host (clients[].os "linux"): MIT krb5's tools run there. */
export const linuxHost: Shape<string> = shape('Linux client host id', (v, path, known) => {
  const h = clientHost().read(v, path, known);
  if (!known.linux.has(h))
    throw new ScenarioError(
      path,
      `${h} is not a Linux host (clients[].os "linux"): MIT's tools are not there`,
    );
  return h;
});

/** A client host joined to Entra ("join": "entra" or "hybrid"): it has CloudAP, a PRT, the cloud GPOs. */
export const entraHost: Shape<string> = shape('Entra or hybrid client host id', (v, path, known) => {
  const h = clientHost().read(v, path, known);
  if (!known.windows.has(h))
    throw new ScenarioError(
      path,
      `${h} is not Entra-joined or hybrid-joined (clients[].join): it has no PRT, CloudAP or these GPOs`,
    );
  return h;
});

/** A host running a KDC (kdcs[].host). */
export const kdcHost: Shape<string> = shape('KDC host id', (v, path, known) => {
  const h = hostId.read(v, path, known);
  if (!known.kdcHosts.has(h)) throw new ScenarioError(path, `${h} runs no KDC (kdcs[].host)`);
  return h;
});

/** Checks that `realm` is one of kdc.realms. */
export function knownRealm(realm: string, path: string, known: Known): string {
  if (!known.realms.includes(realm))
    throw new ScenarioError(path, `"${realm}" is not one of kdc.realms (${known.realms.join(', ')})`);
  return realm;
}

/** A realm of kdc.realms. */
export const realmName: Shape<string> = shape('realm of kdc.realms', (v, path, known) =>
  knownRealm(readStr(v, path), path, known),
);

/** An action id of the timeline. */
export const actionRef: Shape<string> = shape('action id', (v, path, known) => {
  const id = readStr(v, path);
  if (!known.actionIds.has(id))
    throw new ScenarioError(path, `there is no action "${id}" in the timeline (give the action an "id")`);
  return id;
});

// ---- values every part of a scenario writes the same way -------------------------------------------------

/** A positive duration: "4h", "30m", "1h30m". */
export const duration: Shape<string> = shape('duration like "4h", "30m", "1h30m"', (v, path) => {
  const text = readStr(v, path);
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0) throw new ScenarioError(path, `"${text}" ${DURATION_HINT}`);
  return text;
});

/** A clock's distance from true time: "+6m", "-30s", or milliseconds. */
export const clockOffset: Shape<string | number> = shape('offset like "+6m", "-30s", or ms', (v, path) => {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && parseSignedDuration(v) !== undefined) return v;
  throw new ScenarioError(
    path,
    `${describeValue(v)} is not a clock offset (write it like "+6m", "-30s" or 0)`,
  );
});

/** The enctypes a scenario may name (RFC 3961 numbers the playground implements). */
export const enctypeList: Shape<number[]> = list(
  shape('enctype number', (v, path) => {
    if (typeof v !== 'number' || ![17, 18, 19, 20, 23].includes(v))
      throw new ScenarioError(
        path,
        `must be an enctype number (17, 18, 19, 20, 23), not ${describeValue(v)}`,
      );
    return v;
  }),
  { nonEmpty: true },
);

/** A principal name with its realm: "alice@CORP.CONTOSO.COM", "krbtgt/X@Y". */
export const principalName: Shape<string> = str({
  pattern: /^[^@]+@[A-Za-z0-9._-]+$/,
  hint: 'must be name@REALM',
  type: 'principal "name@REALM"',
});
