/**
 * From a validated scenario to a World at its start time: one KDC actor per `kdcs[]` entry, each built
 * from the scenario's KDC configuration for the realms it serves (trust keys come from the trust
 * passwords, so both sides of a trust hold the same key), hosts with their clock offsets, the network,
 * file servers whose keytabs are the keys their realm's KDC holds, and on each client host a Kerberos client
 * with Windows around it (src/azure: joined to AD only, or an Entra or hybrid device), or, on a Linux
 * client, MIT krb5's tools (world/linux-host.ts).
 */
import { addWindowsHost, setUpCloudTrust, setUpEntra } from '../azure';
import { buildKdcState, KdcConfigError, type KdcState } from '../kdc';
import {
  addClient,
  addLinuxHost,
  randomSourceOf,
  netbiosHostName,
  seedRandomState,
  serviceStateFromKdc,
  World,
  type FileNodeState,
  type KdcActorState,
  type LinuxHostConfig,
  type ServiceActorState,
  type SmbShareState,
} from '../world';
import { DEFAULT_ROOT_ACL, SIMPLE_RIGHTS } from '../azure/files-authz';
import { parseDuration } from '../asn1/time';
import { KrbPlayError } from '../util/errors';
import {
  parseIsoTime,
  parseSignedDuration,
  ScenarioError,
  type Scenario,
  type ScenarioClient,
  type ScenarioService,
} from './schema';

/** The KDC actor's id in the world: "kdc-dc1". */
export const kdcActorId = (host: string) => `kdc-${host}`;

const isWindowsDevice = (c: ScenarioClient) => c.join === 'entra' || c.join === 'hybrid';

/** A Linux client: MIT krb5 on the host, its krb5.conf [domain_realm] from `hostRealm`. */
const linuxConfigOf = (c: ScenarioClient): LinuxHostConfig => ({
  host: c.host,
  user: c.user,
  password: c.password,
  ...(c.hostRealm ? { hostRealm: c.hostRealm } : {}),
  ...(c.etypes ? { etypes: c.etypes } : {}),
  ...(c.kdcTimesync !== undefined ? { kdcTimesync: c.kdcTimesync } : {}),
});

export function offsetMs(v: string | number | undefined): number {
  if (v === undefined) return 0;
  return typeof v === 'number' ? v : parseSignedDuration(v)!;
}

export function startOf(s: Scenario): number {
  return parseIsoTime(s.start)!;
}

/** One KDC actor per `kdcs[]` entry, with the databases of the realms it serves. */
function buildKdcs(s: Scenario, seed: number): KdcActorState[] {
  // krbtgt keys without a password come from the seeded source: same seed, same keys.
  const keyRandom = randomSourceOf(seedRandomState((seed ^ 0x6b646373) >>> 0));
  return s.kdcs.map((k) => {
    const indices = s.kdc.realms.map((r, i) => (k.realms.includes(r.name) ? i : -1)).filter((i) => i >= 0);
    let state: KdcState;
    try {
      state = buildKdcState(
        { realms: indices.map((i) => s.kdc.realms[i]!), trusts: s.kdc.trusts ?? [] },
        keyRandom,
      );
    } catch (e) {
      if (e instanceof KdcConfigError) {
        // the field names the realm by its place in the subset: name it by its place in the file
        const field = e.field.replace(/^realms\[(\d+)\]/, (_m, i: string) => `realms[${indices[Number(i)]}]`);
        throw new ScenarioError(`kdc.${field}`, e.message.slice(e.field.length + 2));
      }
      throw e;
    }
    // A DC's PAC names the DC that built it (LOGON_INFO LogonServer) as %LOGONSERVER% does. Entra's cloud
    // KDC is no DC, and what its PACs say there is not public: it keeps the KDC's own default.
    if (k.host !== s.entra?.host) {
      const dcName = netbiosHostName(s.hosts.find((h) => h.id === k.host)?.name ?? k.host);
      for (const realm of state.realms) realm.dcName = dcName;
    }
    return { id: kdcActorId(k.host), host: k.host, state };
  });
}

/** Azure Files' authorization state from the file: roles and default permission in force from the start. */
function azureFilesOf(svc: ScenarioService, start: number): Pick<SmbShareState, 'azure' | 'files'> {
  const az = svc.azureFiles;
  if (!az) return {};
  const files: Record<string, FileNodeState[]> = {};
  for (const f of az.files ?? []) {
    const nodes = (files[f.share.toLowerCase()] ??= [
      { path: '', dir: true, acl: DEFAULT_ROOT_ACL.map((a) => ({ ...a })), modified: start },
    ]);
    nodes.push({
      path: f.path,
      dir: f.dir ?? false,
      ...(f.dir ? {} : { content: f.content ?? '' }),
      acl: (f.acl ?? []).map((a) => ({
        type: a.type,
        sid: a.sid,
        mask: SIMPLE_RIGHTS.find(([l]) => l === a.rights)![1],
        ...(a.inherit ? { inherit: true } : {}),
      })),
      ...(f.protected ? { protected: true } : {}),
      modified: start,
    });
  }
  return {
    azure: {
      account: az.account,
      ...(az.accountKey !== undefined ? { accountKey: az.accountKey } : {}),
      // in force from before the start, whatever the file server's clock says
      defaults: [{ value: az.defaultPermission ?? 'None', effectiveAt: 0 }],
      roles: (az.roles ?? []).map((r) => ({ ...r, effectiveAt: 0 })),
      propagationMs: az.propagation ? parseDuration(az.propagation)! : 0,
    },
    files,
  };
}

/** The file servers: SMB servers whose keytabs are the keys their realm's KDC holds. */
function buildServices(s: Scenario, kdcs: KdcActorState[], start: number): ServiceActorState[] {
  const kdcFor = (realm: string) => kdcs.find((k) => k.state.realms.some((r) => r.name === realm))!;
  return s.services.map((svc, i) => {
    let state;
    try {
      state = serviceStateFromKdc(kdcFor(svc.realm).state, svc.realm, svc.spn);
    } catch (e) {
      if (e instanceof KrbPlayError)
        throw new ScenarioError(
          `services[${i}].spn`,
          `${svc.realm} holds no principal ${svc.spn} (add it to kdc.realms[].principals: its keys are the server's keytab)`,
        );
      throw e;
    }
    return {
      id: svc.id,
      host: svc.host,
      port: svc.port ?? 445,
      transport: 'smb' as const,
      state,
      smb: {
        ntlm: svc.ntlm ?? 'refused',
        ...(svc.shares ? { shares: [...svc.shares] } : {}),
        ...azureFilesOf(svc, start),
        ...(svc.kerberosTicketEncryption ? { ticketEncryption: [...svc.kerberosTicketEncryption] } : {}),
      },
    };
  });
}

export function buildWorld(s: Scenario, seed = s.seed): World {
  const start = startOf(s);
  const kdcs = buildKdcs(s, seed);
  const services = buildServices(s, kdcs, start);

  const world = World.create({
    seed,
    now: start,
    hosts: s.hosts.map((h) => ({
      id: h.id,
      name: h.name,
      clockOffset: offsetMs(h.clockOffset),
      up: h.up ?? true,
    })),
    network: {
      latency: s.network.latency ?? 1,
      links: (s.network.links ?? []).map((l) => ({ ...l, up: l.up ?? true })),
      blocked: (s.network.blocked ?? []).map((b) => ({ ...b })),
    },
    locator: Object.fromEntries(
      Object.entries(s.locator).map(([realm, loc]) => [
        realm,
        { host: loc.host, transport: loc.transport, ...(loc.proxyPath ? { proxyPath: loc.proxyPath } : {}) },
      ]),
    ),
    kdcs,
    services,
  });

  // the host-to-realm table comes with Windows below (src/azure/windows-host.ts applyKerberosConfig)
  s.clients.forEach((c, i) => {
    try {
      if (c.os === 'linux') return void addLinuxHost(world, linuxConfigOf(c));
      addClient(world, c.host, {
        principal: c.user,
        ...(c.etypes ? { etypes: c.etypes } : {}),
        ...(c.kdcTimesync !== undefined ? { kdcTimesync: c.kdcTimesync } : {}),
      });
    } catch (e) {
      if (e instanceof KrbPlayError) throw new ScenarioError(`clients[${i}].user`, e.message);
      throw e;
    }
  });

  // Entra ID, then Windows on every client host (src/azure): Entra and hybrid devices need Entra first
  if (s.entra) {
    const users = s.clients.filter(isWindowsDevice).map((c) => c.user);
    try {
      setUpEntra(world, s.entra, [...new Set(users)]);
      setUpCloudTrust(world);
    } catch (e) {
      if (e instanceof KrbPlayError) throw new ScenarioError('entra', e.message);
      throw e;
    }
  }
  for (const c of s.clients) {
    if (c.os === 'linux') continue;
    addWindowsHost(world, {
      host: c.host,
      join: c.join ?? 'ad',
      user: c.user,
      password: c.password,
      cloudKerberosTicketRetrieval: c.policies?.cloudKerberosTicketRetrieval ?? false,
      ...(c.windows ? { os: c.windows } : {}),
      ...(c.hostRealm ? { mapping: c.hostRealm } : {}),
      ...(c.policies?.kdcProxyServers ? { kdcProxyPolicy: true } : {}),
      ...(c.cloudKerberosTicketRetrieval ? { topLevelNames: c.cloudKerberosTicketRetrieval } : {}),
    });
  }
  return world;
}
