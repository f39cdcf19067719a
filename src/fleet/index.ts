export { validateFleet, fleetShape, MAX_CLIENTS, MAX_DAYS, type Fleet } from './shape';
export { userPlan, userName, HOUR, DAY, type FleetEvent } from './plan';
export { fleetBase, userScenario, userScenarioFile, type FleetBase } from './world';
export { modelUser, causeOf } from './model';
export { realUser } from './real';
export { CAUSES, CAUSE_WORDS, type FailureCause, type FleetFailure, type HourCounts } from './counts';
export {
  runFleet,
  FleetRunner,
  fleetCsv,
  fleetJson,
  exchanges,
  MAX_LISTED_FAILURES,
  type FleetOptions,
  type FleetReport,
} from './run';
export { findFleetPreset, FLEET_PRESET_IDS, FLEET_PRESET_FILES } from './presets';
