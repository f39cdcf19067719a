/**
 * The scenario's `kdc` block described with the schema's shapes: realms, their principals and keys, and
 * the trusts between them, as `krbplay kdc --config` reads them (src/kdc/config.ts, docs/cli.md). The
 * block is read as written (no defaults filled in: the KDC fills them when the world is built), but every
 * value is checked here, so a bad one is named with its field ("kdc.realms[1].principals[0].key[0].etype")
 * when the file is read, not found later while the world is built. Its type is the KDC's `KdcConfig`: a
 * compile-time check below keeps the two the same. One field is one line.
 */
import { findEnctype, ITERATIONS_REFUSED_FROM, MAX_ITERATIONS, USABLE_ENCTYPES } from '../crypto';
import type { KdcConfig } from '../kdc';
import { parseDuration } from '../asn1/time';
import { fromHex } from '../util/bytes';
import {
  bool,
  checked,
  describeValue,
  list,
  map,
  num,
  obj,
  oneOrList,
  opt,
  realmName,
  req,
  ScenarioError,
  shape,
  str,
  type Shape,
  type ShapeValue,
} from './shape';

const SID = /^S-1-\d+(-\d+)+$/;

/** A lifetime or a skew as the KDC reads it: "10h", "7d", or milliseconds. */
const kdcDuration: Shape<string | number> = shape('duration like "10h", "7d", "5m", or ms', (v, path) => {
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return v;
  if (typeof v === 'string' && parseDuration(v) !== undefined) return v;
  throw new ScenarioError(path, `${describeValue(v)} is not a duration (write it like 10h, 7d, 5m, 30s)`);
});

/** An enctype by number or name, one the KDC can make keys of (from a password) or hold (a key given). */
const enctype = (usable: (etype: number, implemented: boolean) => boolean): Shape<number | string> =>
  shape('enctype number or name (18, "aes256-cts-hmac-sha1-96")', (v, path) => {
    if (typeof v !== 'number' && typeof v !== 'string')
      throw new ScenarioError(path, `must be an enctype number or name, not ${describeValue(v)}`);
    const info = findEnctype(v);
    if (!info) throw new ScenarioError(path, `${describeValue(v)} is not an enctype the playground knows`);
    if (!usable(info.etype, info.implemented))
      throw new ScenarioError(path, `${info.name} (${info.etype}) cannot be used to make keys here`);
    return v;
  });

const kdcEtypes = list(
  enctype((e) => USABLE_ENCTYPES.includes(e)),
  { nonEmpty: true },
);

const kvno = num({ min: 0, max: 0xffffffff, type: 'key version number 0–4294967295' });

const sid = str({ pattern: SID, hint: 'is not a SID (like "S-1-5-21-1-2-3-1104")', type: 'SID' });

/** A key given as bytes: its length is the enctype's. */
const keyShape = obj(
  {
    etype: req(
      enctype((_e, implemented) => implemented),
      'the enctype',
    ),
    hex: req(str({ type: 'hex' }), 'the key, in hex'),
  },
  {
    type: 'key',
    check: (k, path) => {
      const info = findEnctype(k.etype)!;
      let bytes: Uint8Array;
      try {
        bytes = fromHex(k.hex);
      } catch (e) {
        throw new ScenarioError(`${path}.hex`, (e as Error).message);
      }
      if (bytes.length !== info.keyLength)
        throw new ScenarioError(
          `${path}.hex`,
          `a ${info.name} key is ${info.keyLength} bytes, this one is ${bytes.length}`,
        );
    },
  },
);

/**
 * A principal may ask for any count in a share link: refuse here what string-to-key would refuse when the
 * world is built (and what would hold the page for minutes).
 */
const iterations = checked(num({ min: 1 }), (n, path) => {
  if (n >= ITERATIONS_REFUSED_FROM)
    throw new ScenarioError(
      path,
      `${n} PBKDF2 iterations are too many: the most is ${MAX_ITERATIONS} (2^24 - 1), as in MIT krb5, ` +
        'which refuses more as "Invalid key generation parameters"; so many would take minutes ' +
        '(real KDCs use 4096 with AES-SHA1, 32768 with AES-SHA2)',
    );
});

const principalShape = obj(
  {
    name: req(
      str({
        pattern: /^[^@/]+(\/[^@/]+)*$/,
        hint: 'must be a name without a realm, like "alice" or "cifs/fs1.example.test"',
        type: 'principal name without realm',
      }),
      'its name in the realm ("alice", "cifs/fs1.corp.contoso.com")',
    ),
    password: opt(str({ empty: true }), 'its password: keys are made from it with the salt'),
    key: opt(oneOrList(keyShape), 'its key(s) given as bytes, beside or instead of a password'),
    etypes: opt(kdcEtypes, "the enctypes made from the password (default: the realm's)"),
    requiresPreauth: opt(bool(), 'the KDC asks for pre-authentication (default true)'),
    kvno: opt(kvno, 'the key version number (default 1)'),
    salt: opt(str({ empty: true }), 'the salt (default: the realm and the name, RFC 4120)'),
    iterations: opt(iterations, 'PBKDF2 iterations for AES (default 4096; 32768 for AES-SHA2)'),
    disabled: opt(bool(), 'the account is disabled (default false)'),
    nameType: opt(num({ min: -2147483648, max: 2147483647 }), 'the name type (default by its form)'),
    sid: opt(sid, "the account's SID in the PAC"),
    groups: opt(list(sid), 'the SIDs of its groups, in the PAC'),
    upn: opt(str(), 'its user principal name, in the PAC'),
    fullName: opt(str(), 'its display name, in the PAC'),
    noForwardable: opt(bool(), 'its tickets are never forwardable (default false)'),
    maxLife: opt(kdcDuration, "its tickets' longest life (default: the realm's)"),
    maxRenew: opt(kdcDuration, "its tickets' longest renewable life (default: the realm's)"),
  },
  {
    type: 'principal',
    check: (p, path) => {
      if (p.password === undefined && p.key === undefined)
        throw new ScenarioError(path, `principal "${p.name}" needs a password or a key`);
    },
  },
);

/** No name twice in one list: `what` says which kind ("principal", "realm"). */
function unique<T extends { name: string }>(what: string): (items: T[], path: string) => void {
  return (items, path) => {
    const seen = new Set<string>();
    items.forEach((item, i) => {
      if (seen.has(item.name))
        throw new ScenarioError(`${path}[${i}].name`, `${what} "${item.name}" is listed twice`);
      seen.add(item.name);
    });
  };
}

const realmShape = obj(
  {
    name: req(
      str({
        pattern: /^[A-Za-z0-9._-]+$/,
        hint: 'must be a realm name like EXAMPLE.TEST',
        type: 'realm name',
      }),
      'the realm ("CORP.CONTOSO.COM")',
    ),
    maxLife: opt(kdcDuration, "a ticket's longest life (default 10h)"),
    maxRenew: opt(kdcDuration, "a ticket's longest renewable life (default 7d)"),
    maxSkew: opt(kdcDuration, 'the clock skew the KDC allows (default 5m)'),
    etypes: opt(kdcEtypes, 'the enctypes of its keys (default 18, 17, 20, 19, 23)'),
    pac: opt(bool(), 'tickets carry a PAC (default true)'),
    rc4PhaseOut: opt(
      bool(),
      "a PAC realm follows Windows DCs' 2026 RC4 phase-out on the virtual calendar (default true)",
    ),
    principals: opt(checked(list(principalShape), unique('principal')), 'its accounts (krbtgt is added)'),
    hostRealm: opt(map(str(), { key: 'host or ".suffix"', style: 'bracket' }), "the KDC's host → realm map"),
    domainSid: opt(
      str({ pattern: /^S-1-5-21(-\d+){3}$/, hint: 'must look like S-1-5-21-a-b-c', type: 'domain SID' }),
      'the domain SID (default: drawn from the name)',
    ),
    netbiosName: opt(str(), 'the NetBIOS domain name (default: the first label)'),
    krbtgtPassword: opt(str(), "krbtgt's password (default: a random key from the seed)"),
  },
  { type: 'realm' },
);

const trustShape = obj(
  {
    from: req(realmName, 'the trusting realm: it refers its clients to `to`'),
    to: req(realmName, 'the trusted realm'),
    password: req(str(), 'the password of krbtgt/TO@FROM, which both realms hold'),
    etypes: opt(kdcEtypes, 'the enctypes of the trust keys (default 18, 17)'),
    bidirectional: opt(bool(), 'each realm trusts the other (default false)'),
    kvno: opt(kvno, 'the trust key version number (default 1)'),
  },
  {
    type: 'trust',
    check: (t, path) => {
      if (t.from === t.to) throw new ScenarioError(path, 'a realm cannot trust itself');
    },
  },
);

/** The KDC configuration: its realms first (the rest of the file names them), then the trusts. */
export const kdcShape = obj(
  {
    realms: req(
      checked(list(realmShape, { nonEmpty: true }), (realms, path, known) => {
        unique('realm')(realms, path);
        known.realms = realms.map((r) => r.name);
      }),
      'the realms, each with its KDC database',
    ),
    trusts: opt(list(trustShape), 'cross-realm trusts: a krbtgt/TO@FROM key both realms hold'),
  },
  { type: 'KDC configuration' },
);

// The block reads as the KDC's own configuration type: this line fails to compile when they part.
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
export const KDC_SHAPE_IS_KDC_CONFIG: Same<ShapeValue<typeof kdcShape>, KdcConfig> = true;
