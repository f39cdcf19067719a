/**
 * What each user of a fleet does, drawn from the fleet's seed: one list of timed events per user, the
 * same for the same (fleet, seed, user) whoever asks — the real world and the fast model both play it.
 * Every draw comes from the user's own xoshiro128** stream (`world/random.ts`), in a fixed order, so one
 * user can be re-run alone. Times are whole seconds of the world's clock: a person's events fall at a
 * drawn second of their minute, as people's do.
 */
import { parseDuration } from '../asn1/time';
import { nextUnit, seedRandomState, type RandomState } from '../world/random';
import { timeOfDay, type Fleet } from './shape';

const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export type FleetEvent =
  | { t: number; do: 'logon' | 'unlock' | 'lock' | 'net-use' | 'network-change' | 'dsregcmd-refresh-prt' }
  | {
      t: number;
      do: 'set-policy';
      policy: 'cloud-kerberos-ticket-retrieval' | 'kdc-proxy-servers';
      enabled: boolean;
    };

/** "u00042": the user's account name, from its index (0-based). */
export function userName(index: number): string {
  return `u${String(index + 1).padStart(5, '0')}`;
}

/** The user's own random stream: the fleet's seed and the index, spread apart. */
export function userRandom(seed: number, index: number): RandomState {
  return seedRandomState((seed ^ Math.imul(index + 1, 0x9e3779b9)) >>> 0);
}

/** About normal (Irwin–Hall of four uniforms, plain arithmetic, so every engine draws alike), mean 0, sd 1. */
function gauss(r: RandomState): number {
  const sum = nextUnit(r) + nextUnit(r) + nextUnit(r) + nextUnit(r);
  return (sum - 2) * Math.sqrt(3);
}

const ms = (text: string) => parseDuration(text)!;

/** One day's events of one user: sign-in (or unlock), the share, lunch, a network change, the evening lock. */
function dayEvents(fleet: Fleet, r: RandomState, day: number, dayStart: number): FleetEvent[] {
  const spread = ms(fleet.signIn.spread) / MINUTE;
  const offset = Math.max(-180, Math.min(180, Math.round(gauss(r) * spread)));
  const tIn = dayStart + timeOfDay(fleet.signIn.peak) + offset * MINUTE;
  const tOut = tIn + ms(fleet.workHours);
  const lunches = nextUnit(r) < fleet.lunch.lock;
  const tLock = dayStart + timeOfDay(fleet.lunch.at) + Math.floor(nextUnit(r) * 31) * MINUTE;
  const tBack = tLock + ms(fleet.lunch.for);
  const moves = nextUnit(r) < fleet.networkChange;
  const minutesAt = Math.max(1, Math.floor((tOut - tIn) / MINUTE) - 1);
  const tMove = tIn + (1 + Math.floor(nextUnit(r) * minutesAt)) * MINUTE;
  const sec = () => Math.floor(nextUnit(r) * 60) * 1000;
  const [sIn, sLock, sBack, sMove] = [sec(), sec(), sec(), sec()];
  return dayOf(
    day,
    tIn + sIn,
    tOut + sIn,
    lunches ? [tLock + sLock, tBack + sBack] : undefined,
    moves ? tMove + sMove : undefined,
  );
}

function dayOf(
  day: number,
  tIn: number,
  tOut: number,
  lunch: [number, number] | undefined,
  tMove: number | undefined,
): FleetEvent[] {
  const out: FleetEvent[] = [
    { t: tIn, do: day === 0 ? 'logon' : 'unlock' },
    { t: tIn, do: 'net-use' },
  ];
  if (lunch && lunch[0] > tIn && lunch[1] < tOut)
    out.push({ t: lunch[0], do: 'lock' }, { t: lunch[1], do: 'unlock' }, { t: lunch[1], do: 'net-use' });
  if (tMove !== undefined && tMove < tOut) out.push({ t: tMove, do: 'network-change' });
  out.push({ t: tOut, do: 'lock' });
  return out;
}

/** The fleet's changes that reach this user (each change draws once per user, reached or not). */
function changeEvents(fleet: Fleet, r: RandomState, start: number, days: number): FleetEvent[] {
  const out: FleetEvent[] = [];
  for (const c of fleet.changes) {
    const reached = nextUnit(r) < c.reach;
    if (!reached || c.day >= days) continue;
    const t = start + c.day * DAY + timeOfDay(c.at);
    if (c.do === 'set-policy') out.push({ t, do: 'set-policy', policy: c.policy!, enabled: c.enabled! });
    else out.push({ t, do: 'dsregcmd-refresh-prt' });
  }
  return out;
}

/**
 * Every event of user `index` over `days` days from `start` (midnight UTC of the first day), in time
 * order (a change before a person's event at the same minute; otherwise as drawn).
 */
export function userPlan(fleet: Fleet, index: number, start: number, days: number): FleetEvent[] {
  const r = userRandom(fleet.seed, index);
  const changes = changeEvents(fleet, r, start, days);
  const own: FleetEvent[] = [];
  for (let day = 0; day < days; day++) own.push(...dayEvents(fleet, r, day, start + day * DAY));
  const end = start + days * DAY;
  return [...changes, ...own].filter((e) => e.t < end).sort((a, b) => a.t - b.t);
}
