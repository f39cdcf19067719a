/**
 * The fleet presets: fleet files beside the catalogue (not in its list of scenario ids), each made to show
 * one of the seed's timing issues across many users.
 */
import cliff from './presets/fleet-10h-cliff.json';
import prt from './presets/fleet-4h-prt.json';
import { validateFleet, type Fleet } from './shape';

export const FLEET_PRESET_FILES: readonly unknown[] = [cliff, prt];

/** The preset with this id, validated; undefined when there is none. */
export function findFleetPreset(id: string): Fleet | undefined {
  const file = FLEET_PRESET_FILES.find((f) => (f as { fleet?: unknown }).fleet === id);
  return file === undefined ? undefined : validateFleet(file);
}

export const FLEET_PRESET_IDS: readonly string[] = FLEET_PRESET_FILES.map(
  (f) => (f as { fleet: string }).fleet,
);
