/**
 * From a pasted case, a world built to match: how the device is joined (dsregcmd's AzureAdJoined and
 * DomainJoined, else the TGTs the klist holds), the user's realm (renamed into the template's world),
 * Entra's tenant, the cloud ticket policy, and the times: alice signs in when the PRT was last updated
 * (else when the first TGT started), mounts the share when the storage ticket started, and at the
 * paste's time tries the share again: the engineer then moves the clock to watch the next failure.
 * The scenario is a template's (src/scenarios/templates.ts), validated as any other.
 */
import { formatDuration, isoSeconds } from '../asn1/time';
import { CLOUD_REALM } from '../azure';
import { validateScenario, type Scenario } from '../scenarios';
import { templateScenario, type JoinChoice } from '../scenarios/templates';
import type { PastedCase } from './case';
import { caseClock, caseTickets } from './rules';

/** The names the template's world uses, which a case's own replace. */
const TEMPLATE_REALM = 'CORP.CONTOSO.COM';
const TEMPLATE_TENANT = '3c4e9b1d-5a8f-4e2b-9d6c-1f0a7e8b2c4d';
const UNC = '\\\\contosofiles.file.core.windows.net\\profiles';
const REALM_NAME = /^[A-Z0-9](?:[A-Z0-9-]{0,62}\.)*[A-Z0-9-]{1,63}$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What the world is built from, as read from the case (shown beside the run so the engineer can check). */
export interface CaseWorld {
  join: JoinChoice;
  realm: string;
  tenantId?: string;
  cloudTicketPolicy: boolean;
  azureFiles: boolean;
  signIn: number;
  mount?: number;
  takenAt: number;
}

const sec = (ms: number) => Math.floor(ms / 1000) * 1000;

function joinOf(c: PastedCase, hasCloudTgt: boolean, hasHomeTgt: boolean): JoinChoice {
  const d = c.dsregcmds.find((x) => x.join.azureAdJoined !== undefined || x.join.domainJoined !== undefined);
  if (d) {
    if (d.join.azureAdJoined) return d.join.domainJoined ? 'hybrid' : 'entra';
    return 'ad';
  }
  if (hasCloudTgt) return hasHomeTgt ? 'hybrid' : 'entra';
  return 'ad';
}

/** The facts the world is built from; undefined when the paste shows no time to start at. */
export function caseWorld(c: PastedCase, takenAt?: number): CaseWorld | undefined {
  const clock = caseClock(c, takenAt);
  if (!clock) return undefined;
  const tickets = caseTickets(c);
  const tgts = tickets.filter((t) => /^krbtgt\//i.test(t.server));
  const cloudTgt = tgts.find((t) => t.server.toUpperCase().endsWith(`@${CLOUD_REALM}`));
  const home = tgts.find((t) => !t.server.toUpperCase().endsWith(`@${CLOUD_REALM}`));
  const realm = home?.server.split('@')[1]?.toUpperCase();
  const join = joinOf(c, cloudTgt !== undefined, home !== undefined);
  const d = c.dsregcmds[0];
  const storage = tickets.find((t) => /^cifs\/[^@]+\.file\.core\.windows\.net@/i.test(t.server));
  const starts = tgts.map((t) => t.start).filter((s): s is number => s !== undefined);
  const signIn = d?.sso.prtUpdateTime ?? (starts.length ? Math.min(...starts) : clock.now);
  const tenant = d?.join.tenantId;
  const mount = storage?.start !== undefined && storage.start >= signIn ? storage.start : undefined;
  return {
    join,
    realm: realm && REALM_NAME.test(realm) ? realm : TEMPLATE_REALM,
    ...(tenant && GUID.test(tenant) ? { tenantId: tenant.toLowerCase() } : {}),
    cloudTicketPolicy: d?.sso.kerbTopLevelNames
      ? d.sso.kerbTopLevelNames.length > 0 || d.sso.cloudTgt === true
      : true,
    azureFiles: join !== 'ad' || storage !== undefined,
    signIn: sec(signIn),
    ...(mount !== undefined ? { mount: sec(mount) } : {}),
    // never before the mount: a paste time given earlier than the storage ticket's start is the mount's time
    takenAt: sec(Math.max(clock.now, signIn, mount ?? signIn)),
  };
}

const offset = (ms: number) => (ms <= 0 ? undefined : formatDuration(ms).replace(/ /g, ''));

/** The timeline: sign in, mount when the customer did, and at the paste's time the share again, klist, dsregcmd. */
function timelineOf(w: CaseWorld): Record<string, unknown>[] {
  const at = (ms: number) => (offset(ms - w.signIn) ? { at: `+${offset(ms - w.signIn)}` } : {});
  const windowsState = [
    { id: 'case-klist', do: 'klist', host: 'ws1' },
    ...(w.join !== 'ad' ? [{ id: 'case-dsregcmd', do: 'dsregcmd-status', host: 'ws1' }] : []),
  ];
  if (!w.azureFiles)
    return [
      { id: 'logon', do: 'logon', host: 'ws1' },
      { ...windowsState[0], ...at(w.takenAt) },
      ...windowsState.slice(1),
    ];
  return [
    { id: 'logon', do: 'logon', host: 'ws1' },
    { id: 'mount', do: 'net-use', host: 'ws1', unc: UNC, drive: 'Z:', ...at(w.mount ?? w.signIn) },
    // at the paste's time; a paste taken at the mount itself goes to the share right after it
    {
      id: 'case-time',
      do: 'net-use',
      host: 'ws1',
      unc: UNC,
      drive: 'Y:',
      ...(w.takenAt > (w.mount ?? w.signIn) ? at(w.takenAt) : {}),
    },
    ...windowsState,
  ];
}

/** The scenario file (a value: JSON.stringify it for a link or a file) of the world a case describes. */
export function caseScenarioJson(w: CaseWorld): Record<string, unknown> {
  const base = templateScenario({ join: w.join, realms: 1, azureFiles: w.azureFiles });
  let text = JSON.stringify(base)
    .replaceAll(TEMPLATE_REALM, w.realm)
    .replaceAll(TEMPLATE_REALM.toLowerCase(), w.realm.toLowerCase());
  if (w.tenantId) text = text.replaceAll(TEMPLATE_TENANT, w.tenantId);
  const s = JSON.parse(text) as Record<string, unknown>;
  const clients = s.clients as Record<string, unknown>[];
  if (w.join !== 'ad') clients[0]!.policies = { cloudKerberosTicketRetrieval: w.cloudTicketPolicy };
  return {
    ...s,
    id: 'pasted-case',
    title: `The pasted case: ${w.join === 'ad' ? 'AD' : w.join === 'entra' ? 'Entra' : 'hybrid'} joined, ${w.realm}`,
    summary: `alice signs in at ${isoSeconds(w.signIn)} as the case shows${w.azureFiles ? ', mounts the share' : ''}, and at the paste's time (${isoSeconds(w.takenAt)}) ${w.azureFiles ? 'opens the share again' : 'lists her tickets'}; move the clock to watch what happens next.`,
    teaches: 'The customer’s case, replayed: the world the paste describes, on the virtual clock.',
    start: isoSeconds(w.signIn),
    timeline: timelineOf(w),
  };
}

/** The case's world as a validated scenario; undefined when the paste shows no time to start at. */
export function caseScenario(
  c: PastedCase,
  takenAt?: number,
): { world: CaseWorld; json: Record<string, unknown>; scenario: Scenario } | undefined {
  const world = caseWorld(c, takenAt);
  if (!world) return undefined;
  const json = caseScenarioJson(world);
  return { world, json, scenario: validateScenario(json) as Scenario };
}
