/**
 * The fleet's worker (fleet-worker.ts), apart from the engine's: a fleet run is long, so it has a Worker of
 * its own that plays users in slices and reads a cancel between them, while the playground's engine and
 * the page stay free. Plain structured-clone data both ways.
 */
import type { FailureCause, FleetFailure, HourCounts } from '../../fleet/counts';

export type FleetRequest =
  /** Play a preset for `clients` users over `days` days. */
  | { kind: 'run'; id: number; preset: string; clients: number; days: number }
  /** Stop the run `id` at the next slice. */
  | { kind: 'cancel'; id: number }
  /** One user's scenario file, and the step (1-based, after it was played) of a failure at `t`. */
  | { kind: 'user'; id: number; preset: string; days: number; failure: FleetFailure };

export interface FleetView {
  fleet: string;
  title: string;
  clients: number;
  days: number;
  start: number;
  complete: boolean;
  hours: HourCounts[];
  /** The first failures (at most FLEET_VIEW_FAILURES). */
  failures: FleetFailure[];
  totalFailures: number;
}

/** How many failures the page lists. */
export const FLEET_VIEW_FAILURES = 200;

export type FleetResponse =
  | { kind: 'progress'; id: number; done: number; total: number }
  | { kind: 'done'; id: number; view: FleetView }
  | { kind: 'user'; id: number; text: string; step: number }
  | { kind: 'error'; id: number; message: string };

export type { FailureCause, FleetFailure, HourCounts };
