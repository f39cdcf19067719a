/**
 * One user of a fleet as a scenario of its own: the base scenario's world (realms, Entra, the share), its
 * one device given to this user, the network without latency (so every time of the user's plan is exact
 * and the fast model's comparisons are the world's), and the user's plan as a timeline: each event after
 * an `advance` to it, the clock moved in steps that stop at every hour (where the fleet counts tickets).
 * It goes through the same validator and runner as any scenario file: re-running one user is
 * `runScenario(userScenario(…))`, byte for byte the same each time.
 */
import { parseDuration } from '../asn1/time';
import { CATALOGUE_FILES } from '../scenarios/catalogue/index';
import { ScenarioError, validateScenario, type Scenario, type ScenarioAction } from '../scenarios/schema';
import { DAY, HOUR, userName, userPlan, type FleetEvent } from './plan';
import type { Fleet } from './shape';

/** What a fleet needs of its base: one Entra or hybrid device, its user, the share, the lifetimes. */
export interface FleetBase {
  raw: Record<string, unknown>;
  /** Midnight UTC of the base's start day: the fleet's first hour. */
  start: number;
  host: string;
  realm: string;
  unc: string;
  initial: { cloud: boolean; kdcProxy: boolean };
  /** Ticket lifetimes as the base's KDCs grant them (the on-prem TGT, the cloud TGT, the cifs ticket). */
  life: { tgt: number; cloudTgt: number; cifs: number };
}

type Json = Record<string, unknown>;
const asList = (v: unknown) => (Array.isArray(v) ? (v as Json[]) : []);

function lifeOf(realm: Json | undefined, principal?: Json): number {
  const of = (v: unknown) =>
    typeof v === 'string' ? parseDuration(v) : typeof v === 'number' ? v : undefined;
  const realmLife = of(realm?.maxLife) ?? 10 * HOUR;
  const own = of(principal?.maxLife);
  return own !== undefined ? Math.min(own, realmLife) : realmLife;
}

/** The base scenario a fleet names, checked to be one the fleet can copy. */
export function fleetBase(fleet: Fleet): FleetBase {
  const raw = CATALOGUE_FILES.find((f) => (f as Json).id === fleet.base) as Json | undefined;
  const bad = (why: string) => new ScenarioError('base', `"${fleet.base}" ${why}`);
  if (!raw) throw bad('is not a scenario of the catalogue (krbplay scenario list)');
  const scenario = validateScenario(raw);
  if (!('timeline' in scenario)) throw bad('is not available in this playground');
  const clients = scenario.clients;
  if (clients.length !== 1 || (clients[0]!.join !== 'hybrid' && clients[0]!.join !== 'entra'))
    throw bad('must have exactly one Entra-joined or hybrid-joined device');
  const service = scenario.services.find((s) => s.shares && s.shares.length > 0);
  if (!scenario.entra || !service) throw bad('must have Entra ID and a file share');
  const client = clients[0]!;
  const realms = asList((raw.kdc as Json).realms);
  const home = realms.find((r) => r.name === client.user.split('@')[1]);
  const cloud = realms.find((r) => r.name === scenario.entra!.realm);
  const svcRealm = realms.find((r) => r.name === service.realm);
  const svcPrincipal = asList(svcRealm?.principals).find((p) => p.name === service.spn);
  const server = service.spn.split('/')[1]!;
  return {
    raw,
    start: Math.floor(Date.parse(scenario.start) / DAY) * DAY,
    host: client.host,
    realm: client.user.split('@')[1]!,
    unc: `\\\\${server}\\${service.shares![0]!}`,
    initial: {
      cloud: client.policies?.cloudKerberosTicketRetrieval === true,
      kdcProxy: client.policies?.kdcProxyServers === true,
    },
    life: { tgt: lifeOf(home), cloudTgt: lifeOf(cloud), cifs: lifeOf(svcRealm, svcPrincipal) },
  };
}

/** The base's world with its one user renamed to this fleet user, and no latency on the network. */
function userWorld(base: FleetBase, index: number): Json {
  const world = structuredClone(base.raw);
  const client = asList(world.clients)[0]!;
  const [oldName, realm] = (client.user as string).split('@') as [string, string];
  const name = userName(index);
  const r = asList((world.kdc as Json).realms).find((x) => x.name === realm)!;
  const p = asList(r.principals).find((x) => x.name === oldName)!;
  p.name = name;
  if (typeof p.upn === 'string') p.upn = `${name}@${p.upn.split('@')[1]}`;
  if (typeof p.sid === 'string') p.sid = p.sid.replace(/-\d+$/, `-${10_000 + index}`);
  p.fullName = `Fleet user ${index + 1}`;
  // every fleet user has the base user's password and one salt: one key (made once) serves them all
  p.salt = `${realm}fleet`;
  client.user = `${name}@${realm}`;
  const net = (world.network as Json | undefined) ?? {};
  world.network = { ...net, latency: 0, links: asList(net.links).map((l) => ({ ...l, latency: 0 })) };
  return world;
}

/** A fleet event as a timeline action of the device. */
function actionOf(e: FleetEvent, host: string, unc: string): ScenarioAction {
  if (e.do === 'net-use') return { do: 'net-use', host, unc, drive: 'Z:' } as ScenarioAction;
  if (e.do === 'set-policy')
    return { do: 'set-policy', host, policy: e.policy, enabled: e.enabled } as ScenarioAction;
  return { do: e.do, host } as ScenarioAction;
}

const seconds = (ms: number) => `${ms / 1000}s`;

/** The clock moved from `from` to `to` in steps that stop at each whole hour. */
function advances(from: number, to: number): ScenarioAction[] {
  const out: ScenarioAction[] = [];
  let t = from;
  while (t < to) {
    const next = Math.min(to, (Math.floor(t / HOUR) + 1) * HOUR);
    out.push({ do: 'advance', by: seconds(next - t) } as ScenarioAction);
    t = next;
  }
  return out;
}

/** The scenario of user `index`: what the real world plays for that user, step by step. */
export function userScenario(fleet: Fleet, base: FleetBase, index: number, days: number): Scenario {
  return validateScenario(userScenarioFile(fleet, base, index, days)) as Scenario;
}

/** The same as a scenario file (JSON), for the page's editor and player. */
export function userScenarioFile(
  fleet: Fleet,
  base: FleetBase,
  index: number,
  days: number,
): Record<string, unknown> {
  const plan = userPlan(fleet, index, base.start, days);
  const timeline: ScenarioAction[] = [];
  let t = base.start;
  for (const e of plan) {
    const action = actionOf(e, base.host, base.unc);
    if (e.do === 'logon') action.id = 'logon';
    timeline.push(...advances(t, e.t), action);
    t = e.t;
  }
  timeline.push(...advances(t, base.start + days * DAY));
  const world = userWorld(base, index);
  const file = {
    ...world,
    id: `${fleet.fleet}-${userName(index)}`,
    title: `${fleet.title}: ${userName(index)}`,
    start: new Date(base.start).toISOString().replace('.000Z', 'Z'),
    seed: fleet.seed,
    timeline,
    outcomes: [
      {
        id: 'signed-in',
        description: `${userName(index)} signs in on the first morning`,
        expect: [{ action: 'logon', ok: true }],
      },
    ],
  };
  return file;
}
