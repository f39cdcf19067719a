/**
 * The KDC: a pure function from request bytes (and the time and randomness handed in) to reply bytes
 * and narrated events, over state that can be snapshotted and restored.
 */
export { Kdc } from './kdc';
export type { KdcContext, KdcRequestFacts, KdcResult } from './kdc';
export { buildKdcState, KdcConfigError } from './config';
export type { KdcConfig, RealmConfig, PrincipalConfig, TrustConfig } from './config';
export type {
  KdcState,
  RealmState,
  PrincipalEntry,
  KeyEntry,
  RealmPolicy,
  TrustEdge,
  RodcEntry,
  ServiceRule,
} from './database';
export { rodcKvno, splitKvno } from './key-list';
export type { NarratedEvent, Stage } from './events';
export { KdcRefusal } from './refusal';
export { computeTicketTimes } from './times';
