/**
 * The scenario schema: what a scenario file (JSON) may say, as TypeScript types, and the validator that
 * turns any JSON value into a Scenario or names the first bad field and the reason. It never throws
 * anything but a ScenarioError, whatever the input.
 *
 * A scenario is a world (realms and their KDC configuration, hosts, network, file servers, clients with
 * their GPO-like settings) and a timeline of actions a person takes on the virtual clock, with expected
 * outcomes: predicates over the run that the runner checks (outcomes.ts). The KDC configuration is the one
 * `krbplay kdc --config` reads (docs/cli.md); its own fields are checked when the world is built, and
 * named with the `kdc.` prefix.
 */
import { ITERATIONS_REFUSED_FROM, MAX_ITERATIONS } from '../crypto';
import type { KdcConfig } from '../kdc';
import { actionEntry, actionShape, type ScenarioAction } from './actions';
import { DEFAULT_START, offsetMs, parseIsoTime, parseSignedDuration, parseWhen, timeProblem } from './clock';
import { enctypeList, emptyKnown, ScenarioError, type Known } from './shape';

export { ScenarioError } from './shape';
export {
  DEFAULT_START,
  EARLIEST_TIME,
  TIME_LIMIT,
  parseIsoTime,
  parseSignedDuration,
  parseWhen,
  timeProblem,
} from './clock';
export { ACTION_KINDS } from './actions';
export type { ActionKind, ScenarioAction, WindowsPolicyName } from './actions';

export const DEFAULT_SEED = 1;

// ---- the types --------------------------------------------------------------------------------------------

export interface ScenarioHost {
  /** Short id used everywhere else in the file ("ws1", "dc1"). */
  id: string;
  /** DNS name ("ws1.corp.contoso.com"). */
  name: string;
  /** The host's clock against true time: "+6m", "-30s", or ms. */
  clockOffset?: string | number;
  up?: boolean;
  /** This host stands for something whose internals are not public (Entra ID): its messages are labelled modelled. */
  modelled?: boolean;
}

export interface ScenarioKdc {
  /** The host the KDC runs on. */
  host: string;
  /** The realms (from kdc.realms) this KDC serves. */
  realms: string[];
}

export interface ScenarioLocation {
  host: string;
  transport: 'udp' | 'tcp' | 'kkdcp';
  /** kkdcp only: the proxy's URL path ("/<tenant>/kerberos"). */
  proxyPath?: string;
}

export interface ScenarioLink {
  a: string;
  b: string;
  up?: boolean;
  latency?: number;
  loss?: number;
}

export interface ScenarioNetwork {
  /** Default one-way latency, ms (default 1). */
  latency?: number;
  links?: ScenarioLink[];
  blocked?: { host: string; port: number }[];
}

export interface ScenarioService {
  id: string;
  /** The host the service runs on; its DNS name is what `net use \\NAME\share` names. */
  host: string;
  /** "cifs/fs1.corp.contoso.com": keys come from the KDC database of `realm` (its keytab). */
  spn: string;
  realm: string;
  /** Default 445 over SMB. */
  port?: number;
  /** Share names `net use` may connect to (default: any). */
  shares?: string[];
  /**
   * What the server does when the client falls back to NTLM (modelled: no NTLM bytes are made).
   * Azure Files refuses NTLM for these identities (default "refused").
   */
  ntlm?: 'refused' | 'accepted';
}

export interface ScenarioClient {
  host: string;
  /** "alice@CORP.CONTOSO.COM". */
  user: string;
  password: string;
  /**
   * The host's system (default "windows"). A "linux" host runs MIT krb5's kinit, klist, kvno and kdestroy
   * (world/linux-host.ts): no Windows, no join, no GPOs; `hostRealm` is its krb5.conf [domain_realm].
   */
  os?: 'windows' | 'linux';
  /**
   * How the device is joined: "ad" (domain-joined only: no PRT), "entra" (Entra-joined) or "hybrid"
   * (Entra hybrid-joined). Entra and hybrid devices run the Windows model of src/azure (PRT, cloud TGT,
   * cached logon) and need the scenario's `entra` block.
   */
  join?: 'ad' | 'entra' | 'hybrid';
  /** Entra/hybrid devices: their GPOs (default: both off). */
  policies?: {
    /** "Allow retrieving the cloud kerberos ticket during the logon". */
    cloudKerberosTicketRetrieval?: boolean;
    /** "Specify KDC proxy servers for Kerberos clients", naming the cloud realm's proxy. */
    kdcProxyServers?: boolean;
  };
  /** Enctypes the client offers (default 18, 17, 23, as Windows). */
  etypes?: number[];
  /** GPO "Define host name-to-Kerberos realm mappings": "host" or ".suffix" → realm. */
  hostRealm?: Record<string, string>;
  /**
   * GPO "Allow retrieving the cloud kerberos ticket during the logon": the cloud realm's top-level names
   * (KerbTopLevelNames) send matching hosts to that realm, after the explicit mappings.
   */
  cloudKerberosTicketRetrieval?: { realm: string; topLevelNames: string[] };
  kdcTimesync?: boolean;
}

/** Entra ID in the world: the host standing for login.microsoftonline.com, which runs the cloud realm's KDC. */
export interface ScenarioEntra {
  host: string;
  tenantId: string;
  /** The cloud realm (KERBEROS.MICROSOFTONLINE.COM), one of kdc.realms, served by the KDC on `host`. */
  realm: string;
  /** KerbTopLevelNames handed to Windows with the cloud TGT (default [".windows.net"]). */
  topLevelNames: string[];
}

/** A machine-checkable statement about the run. */
export type Predicate =
  /** An action ended as stated (ok, Kerberos error code, Windows error). */
  | {
      action: string;
      ok?: boolean;
      errorCode?: number;
      windowsError?: number;
      /** The ticket came from the credential cache (nothing was sent). */
      fromCache?: boolean;
      /** The ticket (or TGT) obtained belongs to this realm (the server's realm). */
      realm?: string;
      /** A regular expression the console output must match. */
      outputMatches?: string;
    }
  /** A ticket is (or is not) in a client's final klist. */
  | { klist: { host: string; server: string; present?: boolean; etype?: number } }
  /** A message crossed the network (optionally: during an action, with an error code, a number of times). */
  | {
      message: {
        type: string;
        errorCode?: number;
        from?: string;
        to?: string;
        transport?: string;
        during?: string;
        resultMatches?: string;
        count?: number;
        present?: boolean;
      };
    }
  /** The exact sequence of message types ("KRB-ERROR 25") over the run or during the actions named. */
  | { messages: { types: string[]; during?: string[] } };

export interface ScenarioOutcome {
  id: string;
  description: string;
  /** Every predicate must hold. */
  expect: Predicate[];
}

interface ScenarioHeader {
  id: string;
  title: string;
  summary: string;
  /** What the scenario teaches (SCENARIOS.md's second column). */
  teaches: string;
}

export interface UnavailableScenario extends ScenarioHeader {
  available: false;
  /** One line: why it cannot run yet. */
  reason: string;
}

export interface Scenario extends ScenarioHeader {
  available: true;
  start: string;
  seed: number;
  kdc: KdcConfig;
  kdcs: ScenarioKdc[];
  locator: Record<string, ScenarioLocation>;
  hosts: ScenarioHost[];
  network: ScenarioNetwork;
  services: ScenarioService[];
  clients: ScenarioClient[];
  /** Present when a client is Entra-joined or hybrid-joined. */
  entra?: ScenarioEntra;
  timeline: ScenarioAction[];
  outcomes: ScenarioOutcome[];
}

export type AnyScenario = Scenario | UnavailableScenario;

// ---- reading JSON values with a path ----------------------------------------------------------------------

type Json = unknown;

function isObject(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: Json): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return `the string "${v.length > 40 ? `${v.slice(0, 40)}…` : v}"`;
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}

/** Reads one object, field by field, and refuses fields it does not know. */
class Obj {
  private readonly used = new Set<string>();
  constructor(
    readonly path: string,
    readonly value: Record<string, Json>,
  ) {}

  static of(path: string, v: Json): Obj {
    if (!isObject(v)) throw new ScenarioError(path || '(top)', `must be an object, not ${describe(v)}`);
    return new Obj(path, v);
  }

  field(name: string): string {
    return this.path ? `${this.path}.${name}` : name;
  }

  has(name: string): boolean {
    return this.value[name] !== undefined;
  }

  raw(name: string): Json {
    this.used.add(name);
    return this.value[name];
  }

  str(name: string, opts: { pattern?: RegExp; hint?: string } = {}): string {
    const v = this.raw(name);
    if (v === undefined) throw new ScenarioError(this.field(name), 'is missing');
    if (typeof v !== 'string' || v === '')
      throw new ScenarioError(this.field(name), `must be a non-empty string, not ${describe(v)}`);
    if (opts.pattern && !opts.pattern.test(v))
      throw new ScenarioError(this.field(name), `"${v}" ${opts.hint ?? 'is not valid here'}`);
    return v;
  }

  optStr(name: string, opts: { pattern?: RegExp; hint?: string } = {}): string | undefined {
    return this.has(name) ? this.str(name, opts) : (this.raw(name), undefined);
  }

  num(name: string, opts: { min?: number; max?: number; integer?: boolean } = {}): number {
    const v = this.raw(name);
    if (v === undefined) throw new ScenarioError(this.field(name), 'is missing');
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw new ScenarioError(this.field(name), `must be a number, not ${describe(v)}`);
    if (opts.integer !== false && !Number.isInteger(v))
      throw new ScenarioError(this.field(name), `must be a whole number, not ${v}`);
    if (opts.min !== undefined && v < opts.min)
      throw new ScenarioError(this.field(name), `must be at least ${opts.min}, not ${v}`);
    if (opts.max !== undefined && v > opts.max)
      throw new ScenarioError(this.field(name), `must be at most ${opts.max}, not ${v}`);
    return v;
  }

  optNum(name: string, opts: { min?: number; max?: number; integer?: boolean } = {}): number | undefined {
    return this.has(name) ? this.num(name, opts) : (this.raw(name), undefined);
  }

  optBool(name: string): boolean | undefined {
    const v = this.raw(name);
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean')
      throw new ScenarioError(this.field(name), `must be true or false, not ${describe(v)}`);
    return v;
  }

  list(name: string, opts: { optional?: boolean; nonEmpty?: boolean } = {}): { path: string; value: Json }[] {
    const v = this.raw(name);
    if (v === undefined) {
      if (opts.optional) return [];
      throw new ScenarioError(this.field(name), 'is missing');
    }
    if (!Array.isArray(v)) throw new ScenarioError(this.field(name), `must be a list, not ${describe(v)}`);
    if (opts.nonEmpty && v.length === 0) throw new ScenarioError(this.field(name), 'must not be empty');
    return v.map((value, i) => ({ path: `${this.field(name)}[${i}]`, value }));
  }

  obj(name: string): Obj {
    return Obj.of(this.field(name), this.raw(name));
  }

  stringMap(name: string): Record<string, string> | undefined {
    const v = this.raw(name);
    if (v === undefined) return undefined;
    const o = Obj.of(this.field(name), v);
    const out: Record<string, string> = {};
    for (const k of Object.keys(o.value)) out[k] = o.str(k);
    return out;
  }

  enumOf<T extends string>(name: string, values: readonly T[], fallback?: T): T {
    const v = this.raw(name);
    if (v === undefined && fallback !== undefined) return fallback;
    if (v === undefined)
      throw new ScenarioError(this.field(name), `is missing (one of ${values.join(', ')})`);
    if (typeof v !== 'string' || !values.includes(v as T))
      throw new ScenarioError(this.field(name), `must be one of ${values.join(', ')}, not ${describe(v)}`);
    return v as T;
  }

  /** Every field of the object was read: anything else is a typo worth naming. */
  done(): void {
    for (const k of Object.keys(this.value)) {
      if (!this.used.has(k)) {
        const near = [...this.used].find((u) => u.toLowerCase() === k.toLowerCase());
        throw new ScenarioError(
          this.field(k),
          `unknown field${near ? ` (did you mean "${near}"?)` : ` (known here: ${[...this.used].join(', ')})`}`,
        );
      }
    }
  }
}

// ---- small formats ----------------------------------------------------------------------------------------

const ID = /^[a-z0-9][a-z0-9-]*$/;
const HOST_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

// ---- the validator ---------------------------------------------------------------------------------------

/** Parses scenario text (a file's content): bad JSON is a ScenarioError naming the place. */
export function parseScenarioJson(text: string): AnyScenario {
  let value: Json;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ScenarioError('(file)', `not valid JSON: ${(e as Error).message}`);
  }
  return validateScenario(value);
}

/** Checks a JSON value against the schema. Returns the scenario with defaults filled in; throws ScenarioError. */
export function validateScenario(value: Json): AnyScenario {
  try {
    return readScenario(value);
  } catch (e) {
    if (e instanceof ScenarioError) throw e;
    // A bug in the validator must not look like a crash of the caller: name it plainly.
    throw new ScenarioError('(top)', `cannot be read: ${(e as Error).message}`);
  }
}

/** What only a Windows client has, refused on a Linux host with the field named and why. */
function refuseWindowsOnly(o: Obj): void {
  const why: Record<string, string> = {
    join: 'a Linux host is not joined here (it runs MIT kinit, klist, kvno and kdestroy): leave "join" out',
    policies: 'these are Windows GPOs: a Linux host has none',
    cloudKerberosTicketRetrieval:
      'a Windows GPO: a Linux host maps host names to realms with "hostRealm" (krb5.conf [domain_realm])',
  };
  for (const [name, reason] of Object.entries(why))
    if (o.has(name)) throw new ScenarioError(o.field(name), reason);
}

function readScenario(value: Json): AnyScenario {
  const top = Obj.of('', value);
  const header: ScenarioHeader = {
    id: top.str('id', { pattern: ID, hint: 'must be lowercase letters, digits and dashes ("clock-skew")' }),
    title: top.str('title'),
    summary: top.str('summary'),
    teaches: top.str('teaches'),
  };
  const available = top.optBool('available') ?? true;
  if (!available) {
    const reason = top.str('reason');
    top.done();
    return { ...header, available: false, reason };
  }
  top.raw('reason');

  const startText = top.optStr('start') ?? DEFAULT_START;
  const start = parseIsoTime(startText);
  if (start === undefined)
    throw new ScenarioError('start', `"${startText}" is not an ISO-8601 UTC time like ${DEFAULT_START}`);
  const startProblem = timeProblem(start);
  if (startProblem) throw new ScenarioError('start', `"${startText}" is ${startProblem}`);
  const seed = top.optNum('seed', { min: 0, max: 0xffffffff }) ?? DEFAULT_SEED;

  // hosts
  const hosts = top.list('hosts', { nonEmpty: true }).map(({ path, value }) => {
    const o = Obj.of(path, value);
    const h: ScenarioHost = {
      id: o.str('id', { pattern: HOST_ID, hint: 'must be a short id like "ws1"' }),
      name: o.str('name', { pattern: /^[A-Za-z0-9.-]+$/, hint: 'must be a DNS name' }),
    };
    const offset = o.raw('clockOffset');
    if (offset !== undefined) {
      h.clockOffset = offsetValue(o.field('clockOffset'), offset);
    }
    const up = o.optBool('up');
    if (up !== undefined) h.up = up;
    const modelled = o.optBool('modelled');
    if (modelled !== undefined) h.modelled = modelled;
    o.done();
    return h;
  });
  const hostIds = new Set<string>();
  hosts.forEach((h, i) => {
    if (hostIds.has(h.id)) throw new ScenarioError(`hosts[${i}].id`, `host "${h.id}" is listed twice`);
    hostIds.add(h.id);
  });
  const hostRef = (field: string, id: string) => {
    if (!hostIds.has(id))
      throw new ScenarioError(field, `there is no host "${id}" (hosts: ${[...hostIds].join(', ')})`);
    return id;
  };
  const hostField = (o: Obj, name: string) => hostRef(o.field(name), o.str(name));

  // realms: the KDC configuration (checked in depth when the world is built)
  const kdcObj = top.obj('kdc');
  const realmNames: string[] = [];
  kdcObj.list('realms', { nonEmpty: true }).forEach(({ path, value }) => {
    const r = Obj.of(path, value);
    realmNames.push(r.str('name'));
    // A share link may carry any count: refuse here, with the field named, what string-to-key would refuse
    // when the world is built (and what would hold the page for minutes).
    const principals = r.value.principals;
    if (Array.isArray(principals)) {
      principals.forEach((p, i) => {
        if (!isObject(p) || p.iterations === undefined) return;
        const field = `${r.field('principals')}[${i}].iterations`;
        const n = Obj.of(`${r.field('principals')}[${i}]`, p).num('iterations', { min: 1 });
        if (n >= ITERATIONS_REFUSED_FROM) {
          throw new ScenarioError(
            field,
            `${n} PBKDF2 iterations are too many: the most is ${MAX_ITERATIONS} (2^24 - 1), as in MIT krb5, ` +
              'which refuses more as "Invalid key generation parameters"; so many would take minutes ' +
              '(real KDCs use 4096 with AES-SHA1, 32768 with AES-SHA2)',
          );
        }
      });
    }
  });
  kdcObj.list('trusts', { optional: true }).forEach(({ path, value }) => {
    const t = Obj.of(path, value);
    for (const side of ['from', 'to']) {
      const realm = t.str(side);
      if (!realmNames.includes(realm))
        throw new ScenarioError(
          t.field(side),
          `"${realm}" is not one of kdc.realms (${realmNames.join(', ')})`,
        );
    }
  });
  for (const k of Object.keys(kdcObj.value)) {
    if (k !== 'realms' && k !== 'trusts')
      throw new ScenarioError(kdcObj.field(k), 'unknown field (known here: realms, trusts)');
  }
  const kdc = structuredClone(kdcObj.value) as unknown as KdcConfig;
  const realmRef = (field: string, realm: string) => {
    if (!realmNames.includes(realm))
      throw new ScenarioError(field, `"${realm}" is not one of kdc.realms (${realmNames.join(', ')})`);
    return realm;
  };

  // which host serves which realm
  const served = new Map<string, string>();
  const kdcs = top.list('kdcs', { nonEmpty: true }).map(({ path, value }) => {
    const o = Obj.of(path, value);
    const host = hostField(o, 'host');
    const realms = o.list('realms', { nonEmpty: true }).map((r) => {
      if (typeof r.value !== 'string')
        throw new ScenarioError(r.path, `must be a realm name, not ${describe(r.value)}`);
      realmRef(r.path, r.value);
      if (served.has(r.value))
        throw new ScenarioError(r.path, `${r.value} is already served by the KDC on ${served.get(r.value)}`);
      served.set(r.value, host);
      return r.value;
    });
    o.done();
    return { host, realms };
  });
  realmNames.forEach((r, i) => {
    if (!served.has(r))
      throw new ScenarioError(`kdc.realms[${i}]`, `no KDC serves ${r} (list it in kdcs[].realms)`);
  });

  // the locator: default, each realm over TCP to the host serving it (Windows sends Kerberos over TCP)
  const locator: Record<string, ScenarioLocation> = {};
  for (const [realm, host] of served) locator[realm] = { host, transport: 'tcp' };
  if (top.has('locator')) {
    const lo = top.obj('locator');
    for (const realm of Object.keys(lo.value)) {
      realmRef(lo.field(realm), realm);
      const o = lo.obj(realm);
      const loc: ScenarioLocation = {
        host: hostField(o, 'host'),
        transport: o.enumOf('transport', ['udp', 'tcp', 'kkdcp'] as const, 'tcp'),
      };
      const proxyPath = o.optStr('proxyPath', { pattern: /^\//, hint: 'must start with "/"' });
      if (proxyPath !== undefined) {
        if (loc.transport !== 'kkdcp')
          throw new ScenarioError(o.field('proxyPath'), 'only a kkdcp locator has a proxy path');
        loc.proxyPath = proxyPath;
      }
      if (loc.host !== served.get(realm))
        throw new ScenarioError(
          o.field('host'),
          `${realm} is served by the KDC on ${served.get(realm)}, not ${loc.host}`,
        );
      o.done();
      locator[realm] = loc;
    }
    lo.done();
  } else top.raw('locator');

  // network
  const network: ScenarioNetwork = { latency: 1, links: [], blocked: [] };
  if (top.has('network')) {
    const n = top.obj('network');
    network.latency = n.optNum('latency', { min: 0, max: 60_000, integer: false }) ?? 1;
    network.links = n.list('links', { optional: true }).map(({ path, value }) => {
      const o = Obj.of(path, value);
      const link: ScenarioLink = { a: hostField(o, 'a'), b: hostField(o, 'b') };
      const up = o.optBool('up');
      if (up !== undefined) link.up = up;
      const latency = o.optNum('latency', { min: 0, max: 60_000, integer: false });
      if (latency !== undefined) link.latency = latency;
      const loss = o.optNum('loss', { min: 0, max: 1, integer: false });
      if (loss !== undefined) link.loss = loss;
      o.done();
      return link;
    });
    network.blocked = n.list('blocked', { optional: true }).map(({ path, value }) => {
      const o = Obj.of(path, value);
      const b = { host: hostField(o, 'host'), port: o.num('port', { min: 1, max: 65535 }) };
      o.done();
      return b;
    });
    n.done();
  } else top.raw('network');

  // services
  const serviceIds = new Set<string>();
  const services = top.list('services', { optional: true }).map(({ path, value }) => {
    const o = Obj.of(path, value);
    const s: ScenarioService = {
      id: o.str('id', { pattern: HOST_ID, hint: 'must be a short id like "fs1"' }),
      host: hostField(o, 'host'),
      spn: o.str('spn', {
        pattern: /^[^@]+\/[^@]+$/,
        hint: 'must be a service name like "cifs/fs1.corp.contoso.com" (no realm)',
      }),
      realm: realmRef(o.field('realm'), o.str('realm')),
    };
    if (serviceIds.has(s.id)) throw new ScenarioError(o.field('id'), `service "${s.id}" is listed twice`);
    serviceIds.add(s.id);
    const port = o.optNum('port', { min: 1, max: 65535 });
    if (port !== undefined) s.port = port;
    const shares = o.list('shares', { optional: true }).map((x) => {
      if (typeof x.value !== 'string' || x.value === '')
        throw new ScenarioError(x.path, 'must be a share name');
      return x.value;
    });
    if (o.has('shares')) s.shares = shares;
    if (o.has('ntlm')) s.ntlm = o.enumOf('ntlm', ['refused', 'accepted'] as const);
    else o.raw('ntlm');
    o.done();
    return s;
  });

  // clients
  const clientHosts = new Set<string>();
  const clients = top.list('clients', { nonEmpty: true }).map(({ path, value }) => {
    const o = Obj.of(path, value);
    const c: ScenarioClient = {
      host: hostField(o, 'host'),
      user: o.str('user', { pattern: /^[^@/]+@[A-Za-z0-9._-]+$/, hint: 'must be user@REALM' }),
      password: o.str('password'),
    };
    if (clientHosts.has(c.host)) throw new ScenarioError(o.field('host'), `${c.host} already has a client`);
    clientHosts.add(c.host);
    realmRef(o.field('user'), c.user.split('@')[1]!);
    if (o.has('os')) c.os = o.enumOf('os', ['windows', 'linux'] as const);
    else o.raw('os');
    if (c.os === 'linux') refuseWindowsOnly(o);
    if (o.has('join')) c.join = o.enumOf('join', ['ad', 'entra', 'hybrid'] as const);
    else o.raw('join');
    const windows = c.join === 'entra' || c.join === 'hybrid';
    if (o.has('policies')) {
      if (!windows)
        throw new ScenarioError(
          o.field('policies'),
          'only an Entra-joined or hybrid-joined device ("join": "entra" or "hybrid") has these GPOs',
        );
      const g = o.obj('policies');
      const ck = g.optBool('cloudKerberosTicketRetrieval');
      const kp = g.optBool('kdcProxyServers');
      g.done();
      c.policies = {
        ...(ck !== undefined ? { cloudKerberosTicketRetrieval: ck } : {}),
        ...(kp !== undefined ? { kdcProxyServers: kp } : {}),
      };
    } else o.raw('policies');
    if (o.has('etypes')) c.etypes = enctypeList.read(o.raw('etypes'), o.field('etypes'), emptyKnown());
    else o.raw('etypes');
    const hr = o.stringMap('hostRealm');
    if (hr) c.hostRealm = hr;
    if (o.has('cloudKerberosTicketRetrieval')) {
      if (windows)
        throw new ScenarioError(
          o.field('cloudKerberosTicketRetrieval'),
          'on an Entra or hybrid device the cloud realm and its top-level names come from Entra with the PRT: turn the GPO on with "policies": {"cloudKerberosTicketRetrieval": true}',
        );
      const g = o.obj('cloudKerberosTicketRetrieval');
      c.cloudKerberosTicketRetrieval = {
        realm: realmRef(g.field('realm'), g.str('realm')),
        topLevelNames: g.list('topLevelNames', { nonEmpty: true }).map((x) => {
          if (typeof x.value !== 'string' || !x.value.startsWith('.'))
            throw new ScenarioError(x.path, 'must be a ".suffix" like ".windows.net"');
          return x.value;
        }),
      };
      g.done();
    } else o.raw('cloudKerberosTicketRetrieval');
    const ts = o.optBool('kdcTimesync');
    if (ts !== undefined) c.kdcTimesync = ts;
    o.done();
    return c;
  });
  const windowsHosts = new Set(
    clients.filter((c) => c.join === 'entra' || c.join === 'hybrid').map((c) => c.host),
  );

  // Entra ID
  let entra: ScenarioEntra | undefined;
  if (top.has('entra')) {
    const e = top.obj('entra');
    entra = {
      host: hostField(e, 'host'),
      tenantId: e.str('tenantId', { pattern: /^[A-Za-z0-9-]+$/, hint: 'must be a tenant id (a GUID)' }),
      realm: realmRef(e.field('realm'), e.str('realm')),
      topLevelNames: e.has('topLevelNames')
        ? e.list('topLevelNames', { nonEmpty: true }).map((x) => {
            if (typeof x.value !== 'string' || !x.value.startsWith('.'))
              throw new ScenarioError(x.path, 'must be a ".suffix" like ".windows.net"');
            return x.value;
          })
        : (e.raw('topLevelNames'), ['.windows.net']),
    };
    if (served.get(entra.realm) !== entra.host)
      throw new ScenarioError(
        e.field('host'),
        `${entra.realm} is served by the KDC on ${served.get(entra.realm)}, not ${entra.host}: Entra runs the cloud realm's KDC`,
      );
    e.done();
  } else top.raw('entra');
  if (windowsHosts.size > 0 && !entra) {
    const i = clients.findIndex((c) => windowsHosts.has(c.host));
    throw new ScenarioError(
      `clients[${i}].join`,
      `an Entra-joined or hybrid-joined device needs Entra ID: add an "entra" block (host, tenantId, realm)`,
    );
  }
  const kdcHosts = new Set(kdcs.map((k) => k.host));

  // the timeline: each action read through its entry in the action table
  const known = emptyKnown(start);
  known.hosts = [...hostIds];
  known.realms = realmNames;
  known.served = served;
  known.clients = clientHosts;
  known.windows = windowsHosts;
  known.linux = new Set(clients.filter((c) => c.os === 'linux').map((c) => c.host));
  known.kdcHosts = kdcHosts;
  const actionIds = new Map<string, number>();
  const timeline = top.list('timeline', { nonEmpty: true }).map(({ path, value }, index) => {
    const action = actionShape.read(value, path, known);
    if (action.id !== undefined) {
      if (actionIds.has(action.id))
        throw new ScenarioError(`${path}.id`, `action id "${action.id}" is used twice`);
      actionIds.set(action.id, index);
    }
    return action;
  });

  checkClocks(start, hosts, timeline);

  // outcomes
  const outcomeIds = new Set<string>();
  const outcomes = top.list('outcomes', { nonEmpty: true }).map(({ path, value }) => {
    const o = Obj.of(path, value);
    const id = o.str('id', { pattern: ID, hint: 'must be lowercase letters, digits and dashes' });
    if (outcomeIds.has(id)) throw new ScenarioError(o.field('id'), `outcome id "${id}" is used twice`);
    outcomeIds.add(id);
    const description = o.str('description');
    const rawExpect = o.raw('expect');
    if (rawExpect === undefined) throw new ScenarioError(o.field('expect'), 'is missing');
    const list = Array.isArray(rawExpect)
      ? rawExpect.map((v, i) => ({ path: `${o.field('expect')}[${i}]`, value: v }))
      : [{ path: o.field('expect'), value: rawExpect }];
    if (list.length === 0) throw new ScenarioError(o.field('expect'), 'must hold at least one predicate');
    const expect = list.map((p) => readPredicate(p.path, p.value, { actionIds, hostRef, clientHosts }));
    o.done();
    return { id, description, expect };
  });

  top.done();
  return {
    ...header,
    available: true,
    start: startText,
    seed,
    kdc,
    kdcs,
    locator,
    hosts,
    network,
    services,
    clients,
    ...(entra ? { entra } : {}),
    timeline,
    outcomes,
  };
}

/**
 * What a validated scenario offers the fields that refer to it (its hosts, realms, clients, KDCs and
 * action ids): a command typed at one of its hosts is checked against it as its timeline was.
 */
export function knownOf(s: Scenario): Known {
  const known = emptyKnown(parseIsoTime(s.start)!);
  known.hosts = s.hosts.map((h) => h.id);
  known.realms = s.kdc.realms.map((r) => r.name);
  for (const k of s.kdcs) for (const r of k.realms) known.served.set(r, k.host);
  known.clients = new Set(s.clients.map((c) => c.host));
  known.windows = new Set(
    s.clients.filter((c) => c.join === 'entra' || c.join === 'hybrid').map((c) => c.host),
  );
  known.linux = new Set(s.clients.filter((c) => c.os === 'linux').map((c) => c.host));
  known.kdcHosts = new Set(s.kdcs.map((k) => k.host));
  for (const a of s.timeline) if (a.id !== undefined) known.actionIds.add(a.id);
  return known;
}

/**
 * Walks the timeline's clock as the runner will (an `at` moves it to that time if later, an `advance` on
 * by its duration) and checks that neither it nor any host's clock (it plus the host's offset) leaves
 * 1970-01-01 … 2037-09-12, naming the field that takes it out. A later step would otherwise fail deep in
 * the run (a time KerberosTime cannot encode, or every ticket refused after 2037-09-13).
 */
function checkClocks(start: number, hosts: ScenarioHost[], timeline: ScenarioAction[]): void {
  const offsets = new Map(hosts.map((h) => [h.id, offsetMs(h.clockOffset)]));
  const check = (clock: number, field: string, what: string) => {
    for (const [host, offset] of offsets) {
      const problem = timeProblem(clock + offset);
      if (problem)
        throw new ScenarioError(
          field,
          `${what} takes ${offset === 0 ? 'the clock' : `${host}'s clock`} to a time ${problem}`,
        );
    }
  };
  hosts.forEach((h, i) => {
    if (h.clockOffset !== undefined) {
      const problem = timeProblem(start + offsetMs(h.clockOffset));
      if (problem)
        throw new ScenarioError(
          `hosts[${i}].clockOffset`,
          `${JSON.stringify(h.clockOffset)} puts ${h.id}'s clock at a time ${problem}`,
        );
    }
  });
  let clock = start;
  timeline.forEach((a, i) => {
    if (a.at !== undefined) {
      clock = Math.max(clock, parseWhen(a.at, start)!);
      check(clock, `timeline[${i}].at`, `"${a.at}"`);
    }
    const effect = actionEntry(a.do).clock?.(a as never);
    if (effect && 'advance' in effect) clock += effect.advance;
    if (effect && 'offset' in effect) offsets.set(effect.host, effect.offset);
    if (effect) check(clock, `timeline[${i}].${effect.field}`, effect.text);
  });
}

function offsetValue(field: string, v: Json): string | number {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && parseSignedDuration(v) !== undefined) return v;
  throw new ScenarioError(field, `${describe(v)} is not a clock offset (write it like "+6m", "-30s" or 0)`);
}

const PRINCIPAL = { pattern: /^[^@]+@[A-Za-z0-9._-]+$/, hint: 'must be name@REALM' };

interface PredicateRefs {
  actionIds: Map<string, number>;
  hostRef: (field: string, id: string) => string;
  clientHosts: Set<string>;
}

function regex(field: string, text: string): string {
  try {
    new RegExp(text);
  } catch (e) {
    throw new ScenarioError(field, `is not a regular expression: ${(e as Error).message}`);
  }
  return text;
}

const MESSAGE_TYPE = /^[A-Z0-9][A-Za-z0-9 _-]*$/;

function readPredicate(path: string, value: Json, refs: PredicateRefs): Predicate {
  const o = Obj.of(path, value);
  const kinds = ['action', 'klist', 'message', 'messages'].filter((k) => o.has(k));
  if (kinds.length !== 1) {
    throw new ScenarioError(
      path,
      kinds.length === 0
        ? 'must say what it checks: "action", "klist", "message" or "messages"'
        : `checks one thing, not ${kinds.join(' and ')}`,
    );
  }
  const actionRef = (field: string, id: string) => {
    if (!refs.actionIds.has(id))
      throw new ScenarioError(field, `there is no action "${id}" in the timeline (give the action an "id")`);
    return id;
  };
  let p: Predicate;
  switch (kinds[0]) {
    case 'action': {
      const action = actionRef(o.field('action'), o.str('action'));
      const pred: Extract<Predicate, { action: string }> = { action };
      const ok = o.optBool('ok');
      if (ok !== undefined) pred.ok = ok;
      const errorCode = o.optNum('errorCode', { min: -2147483648, max: 2147483647 });
      if (errorCode !== undefined) pred.errorCode = errorCode;
      const windowsError = o.optNum('windowsError', { min: 0 });
      if (windowsError !== undefined) pred.windowsError = windowsError;
      const fromCache = o.optBool('fromCache');
      if (fromCache !== undefined) pred.fromCache = fromCache;
      const realm = o.optStr('realm');
      if (realm !== undefined) pred.realm = realm;
      const om = o.optStr('outputMatches');
      if (om !== undefined) pred.outputMatches = regex(o.field('outputMatches'), om);
      p = pred;
      break;
    }
    case 'klist': {
      const k = o.obj('klist');
      const host = refs.hostRef(k.field('host'), k.str('host'));
      if (!refs.clientHosts.has(host)) throw new ScenarioError(k.field('host'), `${host} has no client`);
      const server = k.str('server', PRINCIPAL);
      const present = k.optBool('present');
      const etype = k.optNum('etype', { min: 0 });
      k.done();
      p = {
        klist: {
          host,
          server,
          ...(present !== undefined ? { present } : {}),
          ...(etype !== undefined ? { etype } : {}),
        },
      };
      break;
    }
    case 'message': {
      const m = o.obj('message');
      const pred: Extract<Predicate, { message: object }>['message'] = {
        type: m.str('type', {
          pattern: MESSAGE_TYPE,
          hint: 'must be a message type like "AS-REQ" or "KRB-ERROR"',
        }),
      };
      const errorCode = m.optNum('errorCode', { min: 0 });
      if (errorCode !== undefined) pred.errorCode = errorCode;
      for (const side of ['from', 'to'] as const) {
        const h = m.optStr(side);
        if (h !== undefined) pred[side] = refs.hostRef(m.field(side), h);
      }
      const transport = m.optStr('transport');
      if (transport !== undefined) {
        if (!['udp', 'tcp', 'kkdcp', 'smb', 'https', 'local'].includes(transport))
          throw new ScenarioError(
            m.field('transport'),
            `"${transport}" is not a transport (udp, tcp, kkdcp, smb, https, local)`,
          );
        pred.transport = transport;
      }
      const during = m.optStr('during');
      if (during !== undefined) pred.during = actionRef(m.field('during'), during);
      const rm = m.optStr('resultMatches');
      if (rm !== undefined) pred.resultMatches = regex(m.field('resultMatches'), rm);
      const count = m.optNum('count', { min: 0 });
      if (count !== undefined) pred.count = count;
      const present = m.optBool('present');
      if (present !== undefined) pred.present = present;
      m.done();
      p = { message: pred };
      break;
    }
    default: {
      const m = o.obj('messages');
      const types = m.list('types').map((x) => {
        if (typeof x.value !== 'string' || !MESSAGE_TYPE.test(x.value))
          throw new ScenarioError(
            x.path,
            `must be a message type like "AS-REQ" or "KRB-ERROR 25", not ${describe(x.value)}`,
          );
        return x.value;
      });
      const during = m.has('during')
        ? m.list('during', { nonEmpty: true }).map((x) => {
            if (typeof x.value !== 'string') throw new ScenarioError(x.path, 'must be an action id');
            return actionRef(x.path, x.value);
          })
        : (m.raw('during'), undefined);
      m.done();
      p = { messages: { types, ...(during ? { during } : {}) } };
    }
  }
  o.done();
  return p;
}
