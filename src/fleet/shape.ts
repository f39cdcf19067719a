/**
 * A fleet file: many users of one base scenario's world, their habits over several virtual days, and the
 * changes rolled out to all of them. Read through the scenario shapes (`scenarios/shape.ts`), so a bad
 * value is a `ScenarioError` naming its field, and every number is bounded where it enters.
 */
import { parseDuration } from '../asn1/time';
import {
  bool,
  dflt,
  emptyKnown,
  list,
  num,
  obj,
  oneOf,
  opt,
  req,
  ScenarioError,
  shape,
  str,
  type Shape,
  type ShapeValue,
} from '../scenarios/shape';

/** The most clients and days one fleet run plays (10,000 users for a week is the bench). */
export const MAX_CLIENTS = 100_000;
export const MAX_DAYS = 28;

/** "08:00" → ms after midnight. */
export function timeOfDay(text: string): number {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text)!;
  return (Number(m[1]) * 60 + Number(m[2])) * 60_000;
}

const clock: Shape<string> = str({
  pattern: /^([01]\d|2[0-3]):([0-5]\d)$/,
  hint: 'must be a time of day like "08:00" (UTC, 24-hour)',
  type: 'time of day "HH:MM"',
});

/** A duration in whole minutes within [min, max]. */
const minutes = (min: number, max: number): Shape<string> =>
  shape(`duration like "30m" or "9h" (${min / 60_000}m–${max / 3_600_000}h)`, (v, path) => {
    const ms = typeof v === 'string' ? parseDuration(v) : undefined;
    if (ms === undefined)
      throw new ScenarioError(path, `must be a duration like "30m" or "9h", not ${JSON.stringify(v)}`);
    if (ms % 60_000 !== 0) throw new ScenarioError(path, `"${v}" must be whole minutes`);
    if (ms < min || ms > max)
      throw new ScenarioError(path, `"${v}" must be between ${min / 60_000}m and ${max / 3_600_000}h`);
    return v as string;
  });

const chance = num({ min: 0, max: 1, integer: false, type: 'probability 0–1' });

const changeShape = obj(
  {
    day: req(num({ min: 0, max: MAX_DAYS - 1 }), 'the day it happens (0 is the first)'),
    at: req(clock, 'the time of day it happens (UTC)'),
    do: req(
      oneOf(['set-policy', 'dsregcmd-refresh-prt'] as const),
      'a GPO changed (set-policy) or `dsregcmd /RefreshPrt` run at each device reached',
    ),
    policy: opt(
      oneOf(['cloud-kerberos-ticket-retrieval', 'kdc-proxy-servers'] as const),
      'for set-policy: which GPO',
    ),
    enabled: opt(bool(), 'for set-policy: on or off'),
    reach: dflt(chance, 1, 'the share of the devices it reaches (a staged rollout)'),
  },
  {
    type: 'A change rolled out to the fleet',
    check: (c, path) => {
      if (c.do === 'set-policy' && (c.policy === undefined || c.enabled === undefined))
        throw new ScenarioError(`${path}.policy`, 'set-policy needs "policy" and "enabled"');
    },
  },
);

export const fleetShape = obj(
  {
    fleet: req(
      str({ pattern: /^[a-z0-9][a-z0-9-]{0,63}$/, hint: 'must be a lower-case id like "fleet-10h-cliff"' }),
      "the fleet's id",
    ),
    title: req(str(), 'one line: what the fleet shows'),
    summary: dflt(str(), '', 'what to look for in its hours'),
    base: req(
      str({ pattern: /^[a-z0-9-]{1,64}$/, hint: 'must be a catalogue scenario id' }),
      "the catalogue scenario whose world every user's device copies (realms, Entra, the share)",
    ),
    seed: dflt(num({ min: 0, max: 0xffffffff }), 1, 'the seed of every draw: same seed, same fleet'),
    clients: dflt(num({ min: 1, max: MAX_CLIENTS }), 100, 'how many users, each at their own device'),
    days: dflt(num({ min: 1, max: MAX_DAYS }), 5, 'how many virtual days'),
    signIn: dflt(
      obj({
        peak: req(clock, 'the morning peak (UTC)'),
        spread: req(minutes(0, 3 * 3_600_000), 'how far around the peak (one standard deviation)'),
      }),
      { peak: '08:00', spread: '30m' },
      'when users sign in each morning: drawn around the peak, within 3 hours of it',
    ),
    workHours: dflt(
      minutes(3_600_000, 14 * 3_600_000),
      '9h',
      'how long after signing in each user locks and leaves',
    ),
    lunch: dflt(
      obj({
        lock: req(chance, 'the chance a user locks for lunch on a day'),
        at: req(clock, 'when lunch starts (each user up to 30 minutes later)'),
        for: req(minutes(60_000, 3 * 3_600_000), 'how long the session stays locked'),
      }),
      { lock: 0, at: '12:00', for: '45m' },
      'the lunch lock and unlock',
    ),
    networkChange: dflt(chance, 0, 'the chance a device changes network on a day (Wi-Fi, VPN, dock)'),
    changes: dflt(list(changeShape), [], 'what is rolled out to the devices, on which day'),
  },
  { type: 'A fleet: many users of one world over virtual days' },
);

export type Fleet = ShapeValue<typeof fleetShape>;
export type FleetChange = Fleet['changes'][number];

/** Reads a fleet file; a bad value is a ScenarioError naming its field. */
export function validateFleet(value: unknown): Fleet {
  return fleetShape.read(value, '', emptyKnown());
}
