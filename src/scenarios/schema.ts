/**
 * The scenario schema: what a scenario file (JSON) may say, described once as data with the shapes of
 * shape.ts. The description is the validator (any JSON value becomes a Scenario, or a ScenarioError naming
 * the first bad field and the reason; never anything else), the TypeScript types are inferred from it, and
 * docs/scenarios.md's reference is printed from it (reference.ts).
 *
 * A scenario is a world (realms and their KDC configuration, hosts, network, file servers, clients with
 * their GPO-like settings) and a timeline of actions a person takes on the virtual clock, with expected
 * outcomes: predicates over the run that the runner checks (outcomes.ts). The `kdc` block is the
 * configuration `krbplay kdc --config` reads (kdc-shape.ts), the timeline's actions are the action table's
 * (actions/), the outcomes are predicate-shape.ts's. Fields are read in the order they are listed here;
 * the ones that others refer to (hosts, realms, clients, KDCs, action ids) tell `Known` as they are read.
 * One field is one line: a new field is one more line in its object.
 */
import type { KdcConfig } from '../kdc';
import { actionEntry, actionShape, type ScenarioAction } from './actions';
import { DEFAULT_START, offsetMs, parseIsoTime, parseWhen, timeProblem } from './clock';
import { kdcShape } from './kdc-shape';
import { DEFAULT_PERMISSIONS, SHARE_ROLES } from '../azure/files-authz';
import { TICKET_ENCRYPTIONS } from '../azure/ticket-encryption';
import { outcomesShape } from './predicate-shape';
import {
  andThen,
  bool,
  checked,
  clockOffset,
  computed,
  duration,
  dflt,
  emptyKnown,
  enctypeList,
  hostId,
  knownRealm,
  list,
  map,
  num,
  obj,
  oneOf,
  opt,
  realmName,
  req,
  ScenarioError,
  shape,
  str,
  type Known,
  type Shape,
  type ShapeValue,
} from './shape';

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
export type { Predicate, ScenarioOutcome } from './predicate-shape';

export const DEFAULT_SEED = 1;

const ID = /^[a-z0-9][a-z0-9-]*$/;
const HOST_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const isWindowsJoin = (join: string | undefined) => join === 'entra' || join === 'hybrid';

// ---- small values ------------------------------------------------------------------------------------------

const start = shape(`ISO-8601 UTC time like ${DEFAULT_START}`, (v, path, known) => {
  const text = str().read(v, path, known);
  const ms = parseIsoTime(text);
  if (ms === undefined)
    throw new ScenarioError(path, `"${text}" is not an ISO-8601 UTC time like ${DEFAULT_START}`);
  const problem = timeProblem(ms);
  if (problem) throw new ScenarioError(path, `"${text}" is ${problem}`);
  known.start = ms;
  return text;
});

const suffixes = list(
  str({ pattern: /^\./, hint: 'must be a ".suffix" like ".windows.net"', type: '".suffix"' }),
  { nonEmpty: true },
);

const latency = num({ min: 0, max: 60_000, integer: false, type: 'ms 0–60000' });
const port = num({ min: 1, max: 65535, type: 'TCP port 1–65535' });

/** The file says this of itself: it runs ("available": true or absent) or it cannot yet (false). */
const yes = andThen(bool(), 'true', () => true as const);
const no = andThen(bool(), 'false', () => false as const);

// ---- hosts -------------------------------------------------------------------------------------------------

const hostShape = obj(
  {
    id: req(
      str({ pattern: HOST_ID, hint: 'must be a short id like "ws1"', type: 'short id' }),
      'the short id the rest of the file uses ("ws1", "dc1")',
    ),
    name: req(
      str({ pattern: /^[A-Za-z0-9.-]+$/, hint: 'must be a DNS name', type: 'DNS name' }),
      'its DNS name',
    ),
    clockOffset: opt(clockOffset, 'its clock against true time (default 0)'),
    up: opt(bool(), 'it is up (default true)'),
    modelled: opt(bool(), 'it stands for what is not public (Entra ID): its messages are labelled modelled'),
  },
  { type: 'host' },
);

export type ScenarioHost = ShapeValue<typeof hostShape>;

/** Hosts are named once; each clock starts between 1970 and 2037; the rest of the file refers to them. */
function registerHosts(hosts: ScenarioHost[], path: string, known: Known): void {
  hosts.forEach((h, i) => {
    if (known.hosts.includes(h.id))
      throw new ScenarioError(`${path}[${i}].id`, `host "${h.id}" is listed twice`);
    known.hosts.push(h.id);
    const offset = offsetMs(h.clockOffset);
    known.clockOffsets.set(h.id, offset);
    const problem = h.clockOffset === undefined ? undefined : timeProblem(known.start + offset);
    if (problem)
      throw new ScenarioError(
        `${path}[${i}].clockOffset`,
        `${JSON.stringify(h.clockOffset)} puts ${h.id}'s clock at a time ${problem}`,
      );
  });
}

// ---- which host serves which realm, and how clients find it ------------------------------------------------

const kdcEntryShape = obj(
  {
    host: req(hostId, 'the host the KDC runs on'),
    realms: req(list(realmName, { nonEmpty: true }), 'the realms (of kdc.realms) it serves'),
  },
  {
    type: 'KDC',
    check: (k, path, known) =>
      k.realms.forEach((r, i) => {
        const other = known.served.get(r);
        if (other !== undefined)
          throw new ScenarioError(`${path}.realms[${i}]`, `${r} is already served by the KDC on ${other}`);
        known.served.set(r, k.host);
      }),
  },
);

export type ScenarioKdc = ShapeValue<typeof kdcEntryShape>;

const kdcsShape = checked(list(kdcEntryShape, { nonEmpty: true }), (kdcs, _path, known) => {
  known.realms.forEach((r, i) => {
    if (!known.served.has(r))
      throw new ScenarioError(`kdc.realms[${i}]`, `no KDC serves ${r} (list it in kdcs[].realms)`);
  });
  known.kdcHosts = new Set(kdcs.map((k) => k.host));
});

const locationShape = obj(
  {
    host: req(hostId, "the host of the realm's KDC"),
    transport: dflt(oneOf(['udp', 'tcp', 'kkdcp'] as const), 'tcp', 'how requests travel'),
    proxyPath: opt(str({ pattern: /^\//, hint: 'must start with "/"' }), "kkdcp only: the proxy's URL path"),
  },
  {
    type: 'location',
    check: (l, path) => {
      if (l.proxyPath !== undefined && l.transport !== 'kkdcp')
        throw new ScenarioError(`${path}.proxyPath`, 'only a kkdcp locator has a proxy path');
    },
  },
);

export type ScenarioLocation = ShapeValue<typeof locationShape>;

/** Each realm over TCP to the host serving it (Windows sends Kerberos over TCP). */
function defaultLocator(known: Known): Record<string, ScenarioLocation> {
  const locator: Record<string, ScenarioLocation> = {};
  for (const [realm, host] of known.served) locator[realm] = { host, transport: 'tcp' };
  return locator;
}

const locatorShape = andThen(
  map(locationShape, { key: 'realm', style: 'dot', keyCheck: knownRealm }),
  'object: realm → location',
  (given, path, known) => {
    for (const [realm, l] of Object.entries(given))
      if (l.host !== known.served.get(realm))
        throw new ScenarioError(
          `${path}.${realm}.host`,
          `${realm} is served by the KDC on ${known.served.get(realm)}, not ${l.host}`,
        );
    return { ...defaultLocator(known), ...given };
  },
);

// ---- the network -------------------------------------------------------------------------------------------

const linkShape = obj(
  {
    a: req(hostId, 'one end'),
    b: req(hostId, 'the other end'),
    up: opt(bool(), 'the link is up (default true)'),
    latency: opt(latency, "one-way latency, ms (default: the network's)"),
    loss: opt(num({ min: 0, max: 1, integer: false, type: 'fraction 0–1' }), 'the share of packets lost'),
  },
  { type: 'link' },
);

const blockedShape = obj(
  { host: req(hostId, 'the host'), port: req(port, 'the port a firewall drops') },
  { type: 'blocked port' },
);

const networkShape = obj(
  {
    latency: dflt(latency, 1, 'default one-way latency, ms'),
    links: dflt(list(linkShape), [], 'links between two hosts that differ from the default'),
    blocked: dflt(list(blockedShape), [], 'ports a firewall drops from the start'),
  },
  { type: 'network' },
);

export type ScenarioLink = ShapeValue<typeof linkShape>;
export type ScenarioNetwork = ShapeValue<typeof networkShape>;

// ---- file servers ------------------------------------------------------------------------------------------

const SID = str({ pattern: /^S-1-\d+(-\d+)+$/, hint: 'must be a SID like S-1-5-21-1-2-3-1107', type: 'SID' });

const aceShape = obj(
  {
    type: req(oneOf(['allow', 'deny'] as const), 'allow or deny'),
    sid: req(SID, 'the user or group it applies to'),
    rights: req(oneOf(['F', 'M', 'RX', 'R', 'W', 'D'] as const), "icacls' simple rights"),
    inherit: opt(bool(), "inherited by the folder's files and subfolders ((OI)(CI))"),
  },
  { type: 'ACE' },
);

const fileShape = obj(
  {
    share: req(str({ type: 'share name' }), 'the share it is on'),
    path: req(
      str({
        pattern: /^[^\\<>:"|?*]+(\\[^\\<>:"|?*]+)*$/,
        hint: 'must be a path inside the share like finance\\budget.xlsx',
        type: 'path in the share',
      }),
      'its path inside the share (folders first)',
    ),
    dir: opt(bool(), 'a folder'),
    content: opt(str({ pattern: /^[^]{0,10000}$/, type: 'text' }), "a file's text"),
    acl: opt(list(aceShape), 'its explicit ACEs (the root and folders above add theirs by inheritance)'),
    protected: opt(bool(), 'inheritance from the folder above disabled'),
  },
  { type: 'file' },
);

const azureFilesShape = obj(
  {
    account: req(
      str({ pattern: /^[a-z0-9]{3,24}$/, hint: 'must be a storage account name', type: 'account name' }),
      'the storage account name (the key signs in as localhost\\NAME)',
    ),
    accountKey: opt(
      str({ pattern: /^\S{1,128}$/, type: 'key' }),
      'the storage account key (net use /user:localhost\\NAME KEY)',
    ),
    defaultPermission: opt(
      oneOf(Object.keys(DEFAULT_PERMISSIONS)),
      'the default share-level permission (default None)',
    ),
    roles: opt(
      list(
        obj(
          {
            principal: req(str({ type: 'user or SID' }), 'a user "alice@CORP.CONTOSO.COM" or a SID'),
            role: req(oneOf(Object.keys(SHARE_ROLES)), 'the Azure role'),
          },
          { type: 'role assignment' },
        ),
      ),
      'RBAC roles in force from the start',
    ),
    propagation: opt(
      duration,
      'how long a later role change takes to reach the file service (default 0: at once)',
    ),
    files: opt(
      list(fileShape),
      "the shares' files and folders at the start (each share's root has the default ACL)",
    ),
  },
  { type: 'Azure Files authorization' },
);

const serviceShape = obj(
  {
    id: req(str({ pattern: HOST_ID, hint: 'must be a short id like "fs1"', type: 'short id' }), 'names it'),
    host: req(hostId, 'the host it runs on: `net use \\\\NAME\\share` names its DNS name'),
    spn: req(
      str({
        pattern: /^[^@]+\/[^@]+$/,
        hint: 'must be a service name like "cifs/fs1.corp.contoso.com" (no realm)',
        type: 'service name',
      }),
      "its principal: the keytab is the realm's keys for it",
    ),
    realm: req(realmName, 'the realm whose KDC holds its keys'),
    port: opt(port, 'default 445, over SMB'),
    shares: opt(list(str({ type: 'share name' })), 'the shares `net use` may connect to (default: any)'),
    ntlm: opt(
      oneOf(['refused', 'accepted'] as const),
      'what it does when the client falls back to NTLM (default refused, modelled)',
    ),
    azureFiles: opt(
      azureFilesShape,
      'Azure Files: share-level roles, the default permission, the key, files and ACLs',
    ),
    kerberosTicketEncryption: opt(
      list(oneOf(TICKET_ENCRYPTIONS), { nonEmpty: true }),
      'a storage account\'s SMB setting "Kerberos ticket encryption" (not set: both, RC4-HMAC and AES-256)',
    ),
  },
  { type: 'service' },
);

export type ScenarioService = ShapeValue<typeof serviceShape>;

const servicesShape = checked(list(serviceShape), (services, path) => {
  const seen = new Set<string>();
  services.forEach((s, i) => {
    if (seen.has(s.id)) throw new ScenarioError(`${path}[${i}].id`, `service "${s.id}" is listed twice`);
    seen.add(s.id);
  });
});

// ---- clients -----------------------------------------------------------------------------------------------

const userShape = checked(
  str({ pattern: /^[^@/]+@[A-Za-z0-9._-]+$/, hint: 'must be user@REALM', type: 'user "name@REALM"' }),
  (user, path, known) => knownRealm(user.split('@')[1]!, path, known),
);

const policiesShape = obj(
  {
    cloudKerberosTicketRetrieval: opt(
      bool(),
      '"Allow retrieving the cloud kerberos ticket during the logon"',
    ),
    kdcProxyServers: opt(
      bool(),
      '"Specify KDC proxy servers for Kerberos clients", naming the cloud realm\'s proxy',
    ),
  },
  { type: 'GPOs' },
);

const cloudTicketShape = obj(
  {
    realm: req(realmName, 'the cloud realm'),
    topLevelNames: req(suffixes, 'KerbTopLevelNames: hosts under them go to the cloud realm'),
  },
  { type: 'cloud kerberos ticket GPO' },
);

const clientShape = obj(
  {
    host: req(hostId, 'the host the person sits at'),
    user: req(userShape, 'who logs on ("alice@CORP.CONTOSO.COM")'),
    password: req(str(), 'their password'),
    os: opt(
      oneOf(['windows', 'linux'] as const),
      'its system (default windows); a linux host runs MIT kinit, klist, kvno, kdestroy: no join, no GPOs',
    ),
    join: opt(oneOf(['ad', 'entra', 'hybrid'] as const), 'how the device is joined (default ad: no PRT)'),
    policies: opt(policiesShape, 'Entra or hybrid devices: their GPOs (default: both off)'),
    etypes: opt(enctypeList, 'the enctypes it offers (default 18, 17, 23, as Windows)'),
    hostRealm: opt(
      map(str(), { key: 'host or ".suffix"', style: 'dot' }),
      'GPO "host name-to-Kerberos realm mappings"',
    ),
    cloudKerberosTicketRetrieval: opt(
      cloudTicketShape,
      "AD devices: the cloud realm's top-level names, after the mappings",
    ),
    kdcTimesync: opt(bool(), 'it sets its clock from the KDC (default false)'),
    windows: opt(
      oneOf(['windows-11', 'windows-10', 'server-2025', 'server-2022'] as const),
      'the Windows release (default a current Windows 11): cloud-only users need 11 or Server 2025',
    ),
  },
  {
    type: 'client',
    check: (c, path) => {
      if (c.os === 'linux') refuseWindowsOnly(c, path);
      const windows = isWindowsJoin(c.join);
      if (c.policies && !windows)
        throw new ScenarioError(
          `${path}.policies`,
          'only an Entra-joined or hybrid-joined device ("join": "entra" or "hybrid") has these GPOs',
        );
      if (c.cloudKerberosTicketRetrieval && windows)
        throw new ScenarioError(
          `${path}.cloudKerberosTicketRetrieval`,
          'on an Entra or hybrid device the cloud realm and its top-level names come from Entra with the PRT: turn the GPO on with "policies": {"cloudKerberosTicketRetrieval": true}',
        );
    },
  },
);

export type ScenarioClient = ShapeValue<typeof clientShape>;

/** What only a Windows client has, refused on a Linux host with the field named and why. */
function refuseWindowsOnly(c: object, path: string): void {
  const why: Record<string, string> = {
    join: 'a Linux host is not joined here (it runs MIT kinit, klist, kvno and kdestroy): leave "join" out',
    policies: 'these are Windows GPOs: a Linux host has none',
    windows: 'a Windows release: a Linux host has none',
    cloudKerberosTicketRetrieval:
      'a Windows GPO: a Linux host maps host names to realms with "hostRealm" (krb5.conf [domain_realm])',
  };
  for (const [name, reason] of Object.entries(why))
    if (name in c && (c as Record<string, unknown>)[name] !== undefined)
      throw new ScenarioError(`${path}.${name}`, reason);
}

const clientsShape = checked(list(clientShape, { nonEmpty: true }), (clients, path, known) => {
  clients.forEach((c, i) => {
    if (known.clients.has(c.host))
      throw new ScenarioError(`${path}[${i}].host`, `${c.host} already has a client`);
    known.clients.add(c.host);
    if (isWindowsJoin(c.join)) known.windows.add(c.host);
    if (c.os === 'linux') known.linux.add(c.host);
  });
});

// ---- Entra ID ----------------------------------------------------------------------------------------------

const trustSid = str({
  pattern: /^S-1-\d+(-\d+)+$/,
  hint: 'is not a SID (like "S-1-5-21-1-2-3-513")',
  type: 'SID',
});

const cloudTrustShape = obj(
  {
    domain: req(realmName, 'the on-prem realm whose DCs hold the AzureADKerberos object and krbtgt_AzureAD'),
    rodcId: dflt(
      num({ min: 1, max: 0xffff }),
      28087,
      "the RODC number of AzureADKerberos: the high 16 bits of krbtgt_AzureAD's kvno (MS-KILE 3.1.5.8)",
    ),
    allowed: req(
      list(trustSid),
      "SIDs in the object's allowed password replication list (msDS-RevealOnDemandGroup)",
    ),
    denied: dflt(
      list(trustSid),
      [],
      'SIDs denied: members of the Denied RODC Password Replication Group (msDS-NeverRevealGroup)',
    ),
  },
  { type: 'cloud Kerberos trust' },
);

const objectId = str({
  pattern: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  hint: 'must be an Entra object ID (a GUID like f82d79af-1278-4894-ac01-d90e30875cf8)',
  type: 'object ID',
});

const cloudOnlyUserShape = obj(
  {
    name: req(
      str({ pattern: /^[^@/\\\s]+$/, hint: 'must be an account name like "bob"', type: 'account name' }),
      'the account in the cloud realm: a client signs in as NAME@<the cloud realm>',
    ),
    upn: req(
      str({
        pattern: /^[^@\s]+@[A-Za-z0-9.-]+$/,
        hint: 'must be like bob@contoso.onmicrosoft.com',
        type: 'UPN',
      }),
      'its sign-in name in Entra',
    ),
    objectId: req(objectId, 'its Entra object ID: its SID is S-1-12-1 and the ID as four numbers'),
    password: req(str(), 'its Entra password'),
    groups: opt(list(objectId), "object IDs of its Entra groups: their cloud SIDs join the tickets' PAC"),
    fullName: opt(str(), 'its display name'),
  },
  { type: 'cloud-only user' },
);

const entraShape = obj(
  {
    host: req(hostId, "the host standing for login.microsoftonline.com: it runs the cloud realm's KDC"),
    tenantId: req(
      str({ pattern: /^[A-Za-z0-9-]+$/, hint: 'must be a tenant id (a GUID)', type: 'tenant id' }),
      'the tenant',
    ),
    realm: req(realmName, 'the cloud realm (KERBEROS.MICROSOFTONLINE.COM), served by the KDC on `host`'),
    topLevelNames: dflt(suffixes, ['.windows.net'], 'KerbTopLevelNames handed to Windows with the cloud TGT'),
    cloudTrust: opt(
      cloudTrustShape,
      'Windows Hello for Business cloud Kerberos trust: the AzureADKerberos read-only DC object in an on-prem domain',
    ),
    cloudOnlyUsers: opt(
      list(cloudOnlyUserShape),
      'users who exist only in Entra (no AD account), Entra Kerberos for cloud-only identities (preview)',
    ),
  },
  {
    type: 'Entra ID',
    check: (e, path, known) => {
      const server = known.served.get(e.realm);
      if (server !== e.host)
        throw new ScenarioError(
          `${path}.host`,
          `${e.realm} is served by the KDC on ${server}, not ${e.host}: Entra runs the cloud realm's KDC`,
        );
    },
  },
);

export type ScenarioEntra = ShapeValue<typeof entraShape>;

/** Without an entra block, no client may be Entra-joined or hybrid-joined. */
function noEntra(_path: string, known: Known): undefined {
  const i = [...known.clients].findIndex((h) => known.windows.has(h));
  if (i >= 0)
    throw new ScenarioError(
      `clients[${i}].join`,
      'an Entra-joined or hybrid-joined device needs Entra ID: add an "entra" block (host, tenantId, realm)',
    );
  return undefined;
}

// ---- the timeline ------------------------------------------------------------------------------------------

const timelineShape = checked(list(actionShape, { nonEmpty: true }), (timeline, path, known) => {
  timeline.forEach((a, i) => {
    if (a.id === undefined) return;
    if (known.actionIds.has(a.id))
      throw new ScenarioError(`${path}[${i}].id`, `action id "${a.id}" is used twice`);
    known.actionIds.add(a.id);
  });
  checkClocks(timeline, known);
});

// ---- the file ----------------------------------------------------------------------------------------------

const kdcBlock: Shape<KdcConfig> = kdcShape;

const HEADER = {
  id: req(
    str({
      pattern: ID,
      hint: 'must be lowercase letters, digits and dashes ("clock-skew")',
      type: 'scenario id',
    }),
    'the scenario id ("clock-skew")',
  ),
  title: req(str(), 'its title'),
  summary: req(str(), 'what happens, in a sentence or two'),
  teaches: req(str(), 'what it teaches'),
};

const unavailableShape = obj(
  {
    ...HEADER,
    available: req(no, 'false: the scenario cannot run yet'),
    reason: req(str(), 'why, in a line'),
  },
  { type: 'A scenario of the catalogue that cannot run yet: its header and why.' },
);

const availableShape = andThen(
  obj(
    {
      ...HEADER,
      available: dflt(yes, true, 'true (or absent): the scenario runs'),
      reason: opt(str(), 'read only when "available" is false'),
      start: dflt(start, DEFAULT_START, 'the virtual clock at the start'),
      seed: dflt(
        num({ min: 0, max: 0xffffffff }),
        DEFAULT_SEED,
        'the seed of every random value: same seed, same bytes',
      ),
      hosts: req(checked(list(hostShape, { nonEmpty: true }), registerHosts), 'the machines'),
      kdc: req(kdcBlock, 'the realms and their KDC databases, as `krbplay kdc --config` reads them'),
      kdcs: req(kdcsShape, 'which host runs a KDC for which realms'),
      locator: computed(
        req(locatorShape, "how clients find each realm's KDC"),
        'each realm over TCP to its KDC',
        (_p, known) => defaultLocator(known),
      ),
      network: dflt(networkShape, { latency: 1, links: [], blocked: [] }, 'latency, links and firewalls'),
      services: dflt(servicesShape, [], 'the file servers'),
      clients: req(clientsShape, 'the people at their machines'),
      entra: computed(
        opt(entraShape, 'Entra ID in the world'),
        'required when a client is Entra-joined or hybrid-joined',
        noEntra,
      ),
      timeline: req(timelineShape, 'what happens, in order, on the virtual clock'),
      outcomes: req(outcomesShape, 'what must hold at the end'),
    },
    { type: 'A scenario that runs: its world, its timeline, and the outcomes it expects.' },
  ),
  'A scenario that runs: its world, its timeline, and the outcomes it expects.',
  ({ reason: _ignored, ...scenario }) => scenario,
);

export type UnavailableScenario = ShapeValue<typeof unavailableShape>;
export type Scenario = ShapeValue<typeof availableShape>;
export type AnyScenario = Scenario | UnavailableScenario;

/** A whole scenario file: "available": false makes it a header and a reason. */
export const scenarioShape: Shape<AnyScenario> = shape(
  'scenario',
  (v, path, known) =>
    typeof v === 'object' && v !== null && (v as { available?: unknown }).available === false
      ? unavailableShape.read(v, path, known)
      : availableShape.read(v, path, known),
  {
    inner: {
      kind: 'variants',
      tag: 'available',
      variants: [
        { name: 'true', shape: availableShape },
        { name: 'false', shape: unavailableShape },
      ],
    },
  },
);

// ---- reading -----------------------------------------------------------------------------------------------

/** Parses scenario text (a file's content): bad JSON is a ScenarioError naming the place. */
export function parseScenarioJson(text: string): AnyScenario {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ScenarioError('(file)', `not valid JSON: ${(e as Error).message}`);
  }
  return validateScenario(value);
}

/** Checks a JSON value against the schema. Returns the scenario with defaults filled in; throws ScenarioError. */
export function validateScenario(value: unknown): AnyScenario {
  try {
    return scenarioShape.read(value, '', emptyKnown(parseIsoTime(DEFAULT_START)!));
  } catch (e) {
    if (e instanceof ScenarioError) throw e;
    // A bug in the validator must not look like a crash of the caller: name it plainly.
    throw new ScenarioError('(top)', `cannot be read: ${(e as Error).message}`);
  }
}

/**
 * What a validated scenario offers the fields that refer to it (its hosts, realms, clients, KDCs and
 * action ids): a command typed at one of its hosts is checked against it as its timeline was.
 */
export function knownOf(s: Scenario): Known {
  const known = emptyKnown(parseIsoTime(s.start)!);
  known.hosts = s.hosts.map((h) => h.id);
  for (const h of s.hosts) known.clockOffsets.set(h.id, offsetMs(h.clockOffset));
  known.realms = s.kdc.realms.map((r) => r.name);
  for (const k of s.kdcs) for (const r of k.realms) known.served.set(r, k.host);
  known.clients = new Set(s.clients.map((c) => c.host));
  known.windows = new Set(s.clients.filter((c) => isWindowsJoin(c.join)).map((c) => c.host));
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
function checkClocks(timeline: ScenarioAction[], known: Known): void {
  const offsets = new Map(known.clockOffsets);
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
  let clock = known.start;
  timeline.forEach((a, i) => {
    if (a.at !== undefined) {
      clock = Math.max(clock, parseWhen(a.at, known.start)!);
      check(clock, `timeline[${i}].at`, `"${a.at}"`);
    }
    const effect = actionEntry(a.do).clock?.(a as never);
    if (effect && 'advance' in effect) clock += effect.advance;
    if (effect && 'offset' in effect) offsets.set(effect.host, effect.offset);
    if (effect) check(clock, `timeline[${i}].${effect.field}`, effect.text);
  });
}
