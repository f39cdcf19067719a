/**
 * The simulation: virtual clock, hosts, network, KDCs and services on hosts, the trace, snapshots.
 */
export { World, WorldError, UDP_REPLY_LIMIT, UDP_TIMEOUTS, TCP_CONNECT_TIMEOUT } from './world';
export type {
  WorldState,
  HostState,
  LinkState,
  NetworkState,
  KdcLocation,
  KdcActorState,
  ServiceActorState,
  TransportFailure,
  KdcExchange,
} from './world';
export type { TraceEvent, Transport, Narration } from './trace';
export { seedRandomState, randomSourceOf, nextWord } from './random';
export type { RandomState } from './random';
export { addClient, clientOf, runOperation, accessService, errorOf, serviceStateFromKdc } from './flows';
export type { ServiceAccess } from './flows';
export { formatTrace, formatTraceEvent } from './format';
export type { FormatOptions } from './format';
export {
  exportPcapng,
  exportPcap,
  planPcapExport,
  hostAddresses,
  keytabEntries,
  exportKeytab,
  exportCcache,
  exportTraceJson,
  traceToJson,
  traceEventToJson,
} from './export';
export type {
  ExportHost,
  PcapExportOptions,
  PcapPlan,
  SkippedEvent,
  TraceJson,
  TraceEventJson,
  TraceJsonOptions,
} from './export';
