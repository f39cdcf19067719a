/**
 * The first slice's story, as data: a two-realm world (CORP.CONTOSO.COM trusts FABRIKAM.COM both ways)
 * and the steps a learner steps through — alice signs in on ws1, gets a ticket for a file server in the
 * other forest through a referral (RFC 6806 §8), opens its share, then signs in again once ws1's clock
 * has run 6 minutes fast and is refused (KRB_AP_ERR_SKEW, RFC 4120 §5.9.1).
 *
 * Pure: it runs in the engine's Worker, and in Node for the unit tests. Each step is a function of the
 * world; the engine snapshots the world after every step, so stepping back is `World.restore`.
 */
import { buildKdcState, type KdcConfig, type KdcState } from '../../kdc';
import {
  accessService,
  addClient,
  randomSourceOf,
  runOperation,
  seedRandomState,
  serviceStateFromKdc,
  World,
} from '../../world';

export const CORP = 'CORP.CONTOSO.COM';
export const FABRIKAM = 'FABRIKAM.COM';
export const FILE_SPN = 'cifs/files.fabrikam.com';
/** Monday 2026-03-02 08:00:00Z: the playground's epoch. */
export const START = Date.UTC(2026, 2, 2, 8, 0, 0);
const SEED = 2026;
const MIN = 60_000;
const HOUR = 60 * MIN;

/** One step of the story: what a person does, in the words the step bar shows. */
export interface ScenarioStep {
  /** Short: "alice signs in on ws1". */
  title: string;
  /** A sentence or two: what the learner should watch for. */
  about: string;
  /** True when the step is meant to fail (the page draws it as the failure it is). */
  fails?: boolean;
  run(world: World): void;
}

/**
 * One configuration for both forests: each DC's database is built from it with only its own realm, so
 * the trust keys (krbtgt/FABRIKAM.COM@CORP.CONTOSO.COM and back) land in both, as `netdom trust` makes them.
 */
const forests = (realm: string): KdcConfig => ({
  realms: [
    {
      name: CORP,
      netbiosName: 'CORP',
      domainSid: 'S-1-5-21-3623811015-3361044348-30300820',
      principals: [
        {
          name: 'alice',
          password: 'Passw0rd!',
          sid: 'S-1-5-21-3623811015-3361044348-30300820-1104',
          groups: ['S-1-5-21-3623811015-3361044348-30300820-513'],
          upn: 'alice@corp.contoso.com',
          fullName: 'Alice Example',
        },
      ],
      // The DC knows which DNS domains belong to the other forest (the forest trust's name suffixes).
      hostRealm: { '.fabrikam.com': FABRIKAM },
    },
    {
      name: FABRIKAM,
      netbiosName: 'FABRIKAM',
      domainSid: 'S-1-5-21-1004336348-1177238915-682003330',
      principals: [{ name: FILE_SPN, password: 'files-machine-secret', etypes: [18] }],
    },
  ].filter((r) => r.name === realm),
  trusts: [{ from: CORP, to: FABRIKAM, password: 'forest-trust-secret', bidirectional: true, etypes: [18] }],
});

/** The world before anything happens. Deterministic: same seed, same bytes. */
export function buildWorld(): World {
  const random = randomSourceOf(seedRandomState(SEED));
  const corp: KdcState = buildKdcState(forests(CORP), random);
  const fabrikam: KdcState = buildKdcState(forests(FABRIKAM), random);
  const host = (id: string, name: string) => ({ id, name, clockOffset: 0, up: true });
  const world = World.create({
    seed: SEED,
    now: START,
    hosts: [
      host('ws1', 'ws1.corp.contoso.com'),
      host('dc1', 'dc1.corp.contoso.com'),
      host('dc2', 'dc2.fabrikam.com'),
      host('files', 'files.fabrikam.com'),
    ],
    // A LAN inside each forest, a WAN link between them.
    network: {
      latency: 1,
      links: [
        { a: 'ws1', b: 'dc2', up: true, latency: 12 },
        { a: 'ws1', b: 'files', up: true, latency: 12 },
      ],
      blocked: [],
    },
    // Windows reaches its DCs over TCP from the start (MaxPacketSize 1): a PAC rarely fits a datagram.
    locator: {
      [CORP]: { host: 'dc1', transport: 'tcp' },
      [FABRIKAM]: { host: 'dc2', transport: 'tcp' },
    },
    kdcs: [
      { id: 'kdc-corp', host: 'dc1', state: corp },
      { id: 'kdc-fabrikam', host: 'dc2', state: fabrikam },
    ],
    services: [
      {
        id: 'files',
        host: 'files',
        port: 445,
        transport: 'smb',
        state: serviceStateFromKdc(fabrikam, FABRIKAM, FILE_SPN),
      },
    ],
  });
  addClient(world, 'ws1', { principal: `alice@${CORP}` });
  return world;
}

export const STEPS: readonly ScenarioStep[] = [
  {
    title: 'alice signs in on ws1',
    about:
      'ws1 asks dc1 for a TGT without proof, is told to pre-authenticate (error 25) with the salt to use, ' +
      'and asks again with a timestamp encrypted in the key made from her password.',
    run: (w) => {
      runOperation(w, 'ws1', { kind: 'sign-in', password: 'Passw0rd!' });
    },
  },
  {
    title: 'ws1 asks for a ticket to \\\\files.fabrikam.com',
    about:
      'dc1 does not hold cifs/files.fabrikam.com: it answers with a referral TGT for FABRIKAM.COM, ' +
      'which ws1 takes to dc2 for the service ticket.',
    run: (w) => {
      runOperation(w, 'ws1', { kind: 'service-ticket', service: FILE_SPN });
    },
  },
  {
    title: 'ws1 opens \\\\files.fabrikam.com\\share',
    about:
      'The ticket comes from ws1’s cache; the AP-REQ rides in SMB SESSION_SETUP, and the file server ' +
      'proves itself with an AP-REP (mutual authentication).',
    run: (w) => {
      accessService(w, 'ws1', 'files', FILE_SPN);
    },
  },
  {
    title: 'two hours later, ws1’s clock is 6 minutes fast',
    about: 'Nothing crosses the network: the world’s clock moves on and ws1’s own clock drifts.',
    run: (w) => {
      w.elapse(2 * HOUR, 'two hours pass');
      w.setClockOffset('ws1', 6 * MIN);
    },
  },
  {
    title: 'alice signs in again — and is refused',
    about:
      'Her encrypted timestamp is 6 minutes off dc1’s clock, beyond the 5 minutes Kerberos tolerates: ' +
      'KRB_AP_ERR_SKEW (37).',
    fails: true,
    run: (w) => {
      runOperation(w, 'ws1', { kind: 'sign-in', password: 'Passw0rd!' });
    },
  },
];
