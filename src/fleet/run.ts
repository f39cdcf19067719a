/**
 * A fleet run: every user's plan played, the sampled users in the real world (real bytes, full traces)
 * and the rest on the fast model, their hours added up. Same fleet, same options: the same report, byte
 * for byte (the plans are drawn from the seed; neither path reads a clock or Math.random).
 */
import { isoSeconds } from '../asn1/time';
import { addHours, CAUSES, emptyHour, type FleetFailure, type HourCounts } from './counts';
import { modelUser } from './model';
import { DAY, HOUR, userName, userPlan } from './plan';
import { realUser } from './real';
import type { Fleet } from './shape';
import { fleetBase, userScenario } from './world';

export interface FleetOptions {
  /** Override the file's clients and days. */
  clients?: number;
  days?: number;
  /** Users played in the real world: every user whose index is listed (default none). */
  real?: ReadonlySet<number>;
  /** Told after each user (done, of total); answering false stops the run (cancelled). */
  progress?: (done: number, total: number) => boolean | void;
}

/** The most failures a report lists one by one (all of them are counted). */
export const MAX_LISTED_FAILURES = 10_000;

export interface FleetReport {
  fleet: string;
  seed: number;
  clients: number;
  days: number;
  start: number;
  hours: HourCounts[];
  /** The failures, in user then time order, up to MAX_LISTED_FAILURES. */
  failures: FleetFailure[];
  totalFailures: number;
  /** Users played in the real world. */
  real: number[];
  complete: boolean;
}

export function runFleet(fleet: Fleet, options: FleetOptions = {}): FleetReport {
  const base = fleetBase(fleet);
  const clients = options.clients ?? fleet.clients;
  const days = options.days ?? fleet.days;
  const count = days * 24;
  const hours = Array.from({ length: count }, emptyHour);
  const failures: FleetFailure[] = [];
  const real: number[] = [];
  let totalFailures = 0;
  let complete = true;
  for (let i = 0; i < clients; i++) {
    let tally;
    if (options.real?.has(i)) {
      tally = realUser(userScenario(fleet, base, i, days), base, i, count).tally;
      real.push(i);
    } else tally = modelUser(base, i, userPlan(fleet, i, base.start, days), count);
    addHours(hours, tally.hours);
    totalFailures += tally.failures.length;
    for (const f of tally.failures) if (failures.length < MAX_LISTED_FAILURES) failures.push(f);
    if (options.progress?.(i + 1, clients) === false) {
      complete = false;
      break;
    }
  }
  return {
    fleet: fleet.fleet,
    seed: fleet.seed,
    clients,
    days,
    start: base.start,
    hours,
    failures,
    totalFailures,
    real,
    complete,
  };
}

/** Exchanges with a KDC or Entra the report counts (AS, TGS and PRT requests). */
export function exchanges(report: FleetReport): number {
  return report.hours.reduce((n, h) => n + h.as + h.tgs + h.prt, 0);
}

const CSV_HEAD = [
  'hour',
  'as',
  'tgs',
  'kkdcp',
  'prt',
  'held',
  'failures',
  ...CAUSES.map((c) => `users_${c}`),
];

/** One line per virtual hour, the causes as columns (users who could not reach the share, by why). */
export function fleetCsv(report: FleetReport): string {
  const rows = report.hours.map((h, i) =>
    [
      isoSeconds(report.start + i * HOUR),
      h.as,
      h.tgs,
      h.kkdcp,
      h.prt,
      h.held,
      h.failures,
      ...CAUSES.map((c) => h.users[c]),
    ].join(','),
  );
  return [CSV_HEAD.join(','), ...rows].join('\n') + '\n';
}

/** The report as JSON: hours with their times, failures with theirs. */
export function fleetJson(report: FleetReport): unknown {
  return {
    fleet: report.fleet,
    seed: report.seed,
    clients: report.clients,
    days: report.days,
    start: isoSeconds(report.start),
    complete: report.complete,
    hours: report.hours.map((h, i) => ({ t: isoSeconds(report.start + i * HOUR), ...h })),
    totalFailures: report.totalFailures,
    failures: report.failures.map((f) => ({ ...f, t: isoSeconds(f.t) })),
  };
}

export { DAY, userName };
