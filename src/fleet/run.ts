/**
 * A fleet run: every user's plan played, the sampled users in the real world (real bytes, full traces)
 * and the rest on the fast model, their hours added up. Same fleet, same options: the same report, byte
 * for byte (the plans are drawn from the seed; neither path reads a clock or Math.random).
 */
import { isoSeconds } from '../asn1/time';
import { addHours, CAUSES, emptyHour, type FleetFailure, type HourCounts } from './counts';
import { modelUser } from './model';
import { DAY, HOUR, userName, userPlan } from './plan';
import type { Fleet } from './shape';
import { realUser } from './real';
import { fleetBase, userScenario, type FleetBase } from './world';

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

/**
 * A fleet run that goes a few users at a time (`next`), so a worker can answer a cancel between slices;
 * `runFleet` runs one to the end.
 */
export class FleetRunner {
  readonly clients: number;
  readonly days: number;
  done = 0;
  private readonly base: FleetBase;
  private readonly hours: HourCounts[];
  private readonly failures: FleetFailure[] = [];
  private readonly real: number[] = [];
  private totalFailures = 0;

  constructor(
    private readonly fleet: Fleet,
    private readonly options: Omit<FleetOptions, 'progress'> = {},
  ) {
    this.base = fleetBase(fleet);
    this.clients = options.clients ?? fleet.clients;
    this.days = options.days ?? fleet.days;
    this.hours = Array.from({ length: this.days * 24 }, emptyHour);
  }

  /** Plays up to `count` more users; true while some are left. */
  next(count: number): boolean {
    const { fleet, base, days } = this;
    const end = Math.min(this.clients, this.done + count);
    for (let i = this.done; i < end; i++) {
      let tally;
      if (this.options.real?.has(i)) {
        tally = realUser(userScenario(fleet, base, i, days), base, i, days * 24).tally;
        this.real.push(i);
      } else tally = modelUser(base, i, userPlan(fleet, i, base.start, days), days * 24);
      addHours(this.hours, tally.hours);
      this.totalFailures += tally.failures.length;
      for (const f of tally.failures) if (this.failures.length < MAX_LISTED_FAILURES) this.failures.push(f);
    }
    this.done = end;
    return this.done < this.clients;
  }

  report(): FleetReport {
    return {
      fleet: this.fleet.fleet,
      seed: this.fleet.seed,
      clients: this.done,
      days: this.days,
      start: this.base.start,
      hours: this.hours,
      failures: this.failures,
      totalFailures: this.totalFailures,
      real: this.real,
      complete: this.done === this.clients,
    };
  }
}

export function runFleet(fleet: Fleet, options: FleetOptions = {}): FleetReport {
  const { progress, ...rest } = options;
  const runner = new FleetRunner(fleet, rest);
  while (runner.next(1)) if (progress?.(runner.done, runner.clients) === false) return runner.report();
  progress?.(runner.done, runner.clients);
  return runner.report();
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
