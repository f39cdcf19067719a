/**
 * Building a KDC's state from a configuration a person wrote: realms, principals with passwords or keys,
 * and trusts (the JSON of `krbplay kdc --config`, docs/cli.md). Keys are derived here, once, with the
 * right salts; a bad field is named with the reason and nothing is built.
 */
import {
  findEnctype,
  isStringToKeyRemembered,
  principalSalt,
  randomKey,
  s2kparamsOf,
  USABLE_ENCTYPES,
} from '../crypto';
import type { RandomSource } from '../crypto';
import { fromHex } from '../util/bytes';
import { KrbPlayError } from '../util/errors';
import { krbtgtName, NT } from '../asn1/principal';
import { parseDuration } from '../asn1/time';
import type { KdcState, KeyEntry, PrincipalEntry, RealmState, TrustEdge } from './database';

export interface PrincipalConfig {
  /** "alice", "cifs/fs1.example.test" (components separated by "/"). */
  name: string;
  password?: string;
  key?: { etype: number | string; hex: string } | { etype: number | string; hex: string }[];
  /** Enctypes to derive from the password (default: the realm's). */
  etypes?: (number | string)[];
  requiresPreauth?: boolean;
  kvno?: number;
  salt?: string;
  /** Iteration count for AES string-to-key (default 4096 / 32768). */
  iterations?: number;
  disabled?: boolean;
  nameType?: number;
  sid?: string;
  groups?: string[];
  upn?: string;
  fullName?: string;
  noForwardable?: boolean;
  maxLife?: string | number;
  maxRenew?: string | number;
}

export interface RealmConfig {
  name: string;
  maxLife?: string | number;
  maxRenew?: string | number;
  maxSkew?: string | number;
  etypes?: (number | string)[];
  pac?: boolean;
  /** Follow Windows DCs' 2026 RC4 phase-out (default true in scenarios; `krbplay kdc` sets false). */
  rc4PhaseOut?: boolean;
  principals?: PrincipalConfig[];
  hostRealm?: Record<string, string>;
  domainSid?: string;
  netbiosName?: string;
  /** The krbtgt password; when absent the krbtgt key is random (from the random source). */
  krbtgtPassword?: string;
}

export interface TrustConfig {
  from: string;
  to: string;
  password: string;
  etypes?: (number | string)[];
  bidirectional?: boolean;
  kvno?: number;
}

export interface KdcConfig {
  realms: RealmConfig[];
  trusts?: TrustConfig[];
}

/** A configuration error: names the field ("realms[0].principals[2].password") and the reason. */
export class KdcConfigError extends KrbPlayError {
  readonly field: string;
  constructor(field: string, reason: string) {
    super('config', `${field}: ${reason}`);
    this.field = field;
  }
}

const HOUR = 3_600_000;
const DEFAULTS = { maxLife: 10 * HOUR, maxRenew: 7 * 24 * HOUR, maxSkew: 5 * 60_000 };

function duration(field: string, v: string | number | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return v;
  if (typeof v === 'string') {
    const ms = parseDuration(v);
    if (ms !== undefined) return ms;
  }
  throw new KdcConfigError(field, `"${String(v)}" is not a duration (write it like 10h, 7d, 5m, 30s)`);
}

function etypeList(field: string, list: (number | string)[] | undefined, fallback: number[]): number[] {
  if (list === undefined) return fallback;
  if (!Array.isArray(list) || list.length === 0)
    throw new KdcConfigError(field, 'must be a non-empty list of enctypes');
  return list.map((e, i) => {
    const info = findEnctype(e);
    if (!info) throw new KdcConfigError(`${field}[${i}]`, `unknown enctype "${String(e)}"`);
    if (!USABLE_ENCTYPES.includes(info.etype)) {
      throw new KdcConfigError(
        `${field}[${i}]`,
        `${info.name} (${info.etype}) cannot be used to make keys here`,
      );
    }
    return info.etype;
  });
}

function passwordKeys(
  etypes: number[],
  password: string,
  salt: string,
  kvno: number,
  iterations: number | undefined,
): KeyEntry[] {
  return etypes.map((etype) => {
    const rc4 = etype === 23;
    // the count is checked now (a bad one is the configuration's fault), the key made when first used
    isStringToKeyRemembered(etype, password, salt, iterations === undefined ? {} : { iterations });
    const entry: KeyEntry = {
      etype,
      kvno,
      from: { password, salt, ...(iterations !== undefined ? { iterations } : {}) },
    };
    if (!rc4) entry.salt = salt;
    if (!rc4 && iterations !== undefined && iterations !== findEnctype(etype)!.defaultIterations) {
      entry.s2kparams = s2kparamsOf(iterations);
    }
    return entry;
  });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function buildPrincipal(
  field: string,
  realm: string,
  realmEtypes: number[],
  p: PrincipalConfig,
): PrincipalEntry {
  if (!isObject(p)) throw new KdcConfigError(field, 'must be an object');
  if (typeof p.name !== 'string' || p.name === '' || p.name.includes('@')) {
    throw new KdcConfigError(
      `${field}.name`,
      'must be a name without a realm, like "alice" or "cifs/fs1.example.test"',
    );
  }
  const components = p.name.split('/');
  if (components.some((c) => c === '')) throw new KdcConfigError(`${field}.name`, 'has an empty component');
  const kvno = p.kvno ?? 1;
  if (!Number.isInteger(kvno) || kvno < 0 || kvno > 0xffffffff)
    throw new KdcConfigError(`${field}.kvno`, 'must be a whole number');
  const keys: KeyEntry[] = [];
  if (p.password !== undefined) {
    if (typeof p.password !== 'string') throw new KdcConfigError(`${field}.password`, 'must be a string');
    const salt = p.salt ?? principalSalt(realm, components);
    keys.push(
      ...passwordKeys(
        etypeList(`${field}.etypes`, p.etypes, realmEtypes),
        p.password,
        salt,
        kvno,
        p.iterations,
      ),
    );
  }
  if (p.key !== undefined) {
    const list = Array.isArray(p.key) ? p.key : [p.key];
    list.forEach((k, i) => {
      const f = `${field}.key${Array.isArray(p.key) ? `[${i}]` : ''}`;
      if (!isObject(k)) throw new KdcConfigError(f, 'must be {"etype": …, "hex": "…"}');
      const info = findEnctype(k.etype as number | string);
      if (!info || !info.implemented)
        throw new KdcConfigError(`${f}.etype`, `unknown enctype "${String(k.etype)}"`);
      let bytes: Uint8Array;
      try {
        bytes = fromHex(String(k.hex));
      } catch (e) {
        throw new KdcConfigError(`${f}.hex`, (e as Error).message);
      }
      if (bytes.length !== info.keyLength) {
        throw new KdcConfigError(
          `${f}.hex`,
          `a ${info.name} key is ${info.keyLength} bytes, this one is ${bytes.length}`,
        );
      }
      keys.push({ etype: info.etype, kvno, key: bytes });
    });
  }
  if (keys.length === 0) throw new KdcConfigError(field, `principal "${p.name}" needs a password or a key`);
  const nameType = p.nameType ?? (components.length === 2 ? NT.SRV_HST : NT.PRINCIPAL);
  const entry: PrincipalEntry = {
    realm,
    name: { nameType, nameString: components },
    keys,
    requiresPreauth: p.requiresPreauth ?? true,
    disabled: p.disabled ?? false,
    noForwardable: p.noForwardable ?? false,
  };
  if (p.maxLife !== undefined) entry.maxLife = duration(`${field}.maxLife`, p.maxLife, 0);
  if (p.maxRenew !== undefined) entry.maxRenew = duration(`${field}.maxRenew`, p.maxRenew, 0);
  for (const k of ['sid', 'upn', 'fullName'] as const) {
    const v = p[k];
    if (v !== undefined) {
      if (typeof v !== 'string') throw new KdcConfigError(`${field}.${k}`, 'must be a string');
      entry[k] = v;
    }
  }
  if (p.sid !== undefined && !/^S-1-\d+(-\d+)+$/.test(p.sid))
    throw new KdcConfigError(`${field}.sid`, `"${p.sid}" is not a SID`);
  if (p.groups !== undefined) {
    if (
      !Array.isArray(p.groups) ||
      p.groups.some((g) => typeof g !== 'string' || !/^S-1-\d+(-\d+)+$/.test(g))
    ) {
      throw new KdcConfigError(`${field}.groups`, 'must be a list of SIDs like "S-1-5-21-1-2-3-513"');
    }
    entry.groups = [...p.groups];
  }
  return entry;
}

/** FNV-1a, 32 bits: a stable number from text (the core has no randomness of its own). */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * A realm's domain SID when the configuration gives none: S-1-5-21 and three numbers drawn from the realm's
 * name. Every Active Directory domain has a SID of its own, and SID filtering across a trust (MS-PAC
 * §4.1.2.2) tells this domain's SIDs from a trusted one's by it: two realms sharing one would see each
 * other's users as their own. The same name always gives the same SID, so a world replays byte for byte.
 */
function defaultDomainSid(realm: string): string {
  const name = realm.toUpperCase();
  return `S-1-5-21-${[1, 2, 3].map((i) => fnv1a(`${name}#${i}`)).join('-')}`;
}

/** Builds the KDC's state. The random source makes krbtgt keys that have no password. */
export function buildKdcState(config: KdcConfig, random: RandomSource): KdcState {
  if (!isObject(config)) throw new KdcConfigError('(top)', 'the configuration must be a JSON object');
  if (!Array.isArray(config.realms) || config.realms.length === 0) {
    throw new KdcConfigError('realms', 'must list at least one realm');
  }
  const names = new Set<string>();
  const realms: RealmState[] = config.realms.map((r, ri) => {
    const f = `realms[${ri}]`;
    if (!isObject(r)) throw new KdcConfigError(f, 'must be an object');
    if (typeof r.name !== 'string' || !/^[A-Za-z0-9._-]+$/.test(r.name)) {
      throw new KdcConfigError(`${f}.name`, 'must be a realm name like EXAMPLE.TEST');
    }
    if (names.has(r.name)) throw new KdcConfigError(`${f}.name`, `realm ${r.name} is listed twice`);
    names.add(r.name);
    const etypes = etypeList(`${f}.etypes`, r.etypes, [18, 17, 20, 19, 23]);
    const principals = (r.principals ?? []).map((p, pi) =>
      buildPrincipal(`${f}.principals[${pi}]`, r.name, etypes, p),
    );
    const seen = new Set<string>();
    principals.forEach((p, pi) => {
      const id = p.name.nameString.join('/');
      if (seen.has(id))
        throw new KdcConfigError(`${f}.principals[${pi}].name`, `principal "${id}" is listed twice`);
      seen.add(id);
    });
    if (!seen.has(`krbtgt/${r.name}`)) {
      const keys = r.krbtgtPassword
        ? passwordKeys(etypes, r.krbtgtPassword, principalSalt(r.name, ['krbtgt', r.name]), 1, undefined)
        : etypes.map((etype) => ({ etype, kvno: 1, key: randomKey(etype, random).bytes }));
      principals.push({
        realm: r.name,
        name: krbtgtName(r.name),
        keys,
        requiresPreauth: false,
        disabled: false,
        noForwardable: false,
      });
    }
    const hostRealm: Record<string, string> = {};
    for (const [k, v] of Object.entries(r.hostRealm ?? {})) {
      if (typeof v !== 'string') throw new KdcConfigError(`${f}.hostRealm["${k}"]`, 'must be a realm name');
      hostRealm[k.toLowerCase()] = v;
    }
    if (r.rc4PhaseOut !== undefined && typeof r.rc4PhaseOut !== 'boolean')
      throw new KdcConfigError(`${f}.rc4PhaseOut`, 'must be true or false');
    const domainSid = r.domainSid ?? defaultDomainSid(r.name);

    if (!/^S-1-5-21(-\d+){3}$/.test(domainSid))
      throw new KdcConfigError(`${f}.domainSid`, 'must look like S-1-5-21-a-b-c');
    return {
      name: r.name,
      policy: {
        maxLife: duration(`${f}.maxLife`, r.maxLife, DEFAULTS.maxLife),
        maxRenew: duration(`${f}.maxRenew`, r.maxRenew, DEFAULTS.maxRenew),
        maxSkew: duration(`${f}.maxSkew`, r.maxSkew, DEFAULTS.maxSkew),
        etypes,
        pac: r.pac ?? true,
        ...(r.rc4PhaseOut !== undefined ? { rc4PhaseOut: r.rc4PhaseOut } : {}),
      },
      principals,
      hostRealm,
      domainSid,
      netbiosName: r.netbiosName ?? r.name.split('.')[0]!.slice(0, 15),
    };
  });

  const trusts: TrustEdge[] = [];
  (config.trusts ?? []).forEach((t, ti) => {
    const f = `trusts[${ti}]`;
    if (!isObject(t)) throw new KdcConfigError(f, 'must be an object');
    for (const side of ['from', 'to'] as const) {
      if (typeof t[side] !== 'string' || t[side] === '')
        throw new KdcConfigError(`${f}.${side}`, 'must be a realm name');
    }
    if (t.from === t.to) throw new KdcConfigError(f, 'a realm cannot trust itself');
    if (typeof t.password !== 'string' || t.password === '')
      throw new KdcConfigError(`${f}.password`, 'must be a non-empty string');
    const directions: [string, string][] = [[t.from, t.to]];
    if (t.bidirectional) directions.push([t.to, t.from]);
    const etypes = etypeList(`${f}.etypes`, t.etypes, [18, 17]);
    for (const [from, to] of directions) {
      // Both realms hold krbtgt/to@from with the same key (docs/cli.md): `from` encrypts cross-realm
      // TGTs with it, `to` decrypts them. Realms this KDC does not serve simply don't get the entry.
      const salt = principalSalt(from, ['krbtgt', to]);
      for (const held of realms.filter((r) => r.name === from || r.name === to)) {
        held.principals.push({
          realm: from,
          name: krbtgtName(to),
          keys: passwordKeys(etypes, t.password, salt, t.kvno ?? 1, undefined),
          requiresPreauth: false,
          disabled: false,
          noForwardable: false,
        });
      }
      trusts.push({ from, to });
    }
  });
  return { realms, trusts, replayCache: [] };
}
