/**
 * The simulation: virtual clock, hosts, network, KDCs and services on hosts, the trace, snapshots.
 */
export { World, UDP_REPLY_LIMIT, UDP_TIMEOUTS, TCP_CONNECT_TIMEOUT } from './world';
export type {
  WorldInit,
  TransportFailure,
  Endpoint,
  WireMessage,
  Answer,
  Protocol,
  TripOptions,
  Trip,
} from './world';
export { sendToKdc, kdcListener, kdcProxyListener } from './kdc-exchange';
export type { KdcExchange } from './kdc-exchange';
export { WorldError } from './errors';
export { netbiosHostName } from './addresses';
export type {
  WorldState,
  HostState,
  LinkState,
  NetworkState,
  KdcLocation,
  KdcActorState,
  ServiceActorState,
  SmbShareState,
  TicketEncryption,
  AzureFilesAuthzState,
  ShareRoleAssignmentState,
  AceState,
  FileNodeState,
  SmbSessionState,
  JoinType,
  WindowsHostState,
  LinuxHostState,
  WindowsPolicyState,
  CloudApState,
  PrtState,
  EntraConfig,
  CloudOnlyUser,
  WindowsRelease,
  EntraState,
  ConditionalAccessState,
  KerberosServerState,
  TraceNote,
} from './state';
export { KdcAdmin, keysFromPassword } from './kdc-admin';
export type { TraceEvent, Transport, Narration } from './trace';
export { seedRandomState, randomSourceOf, nextWord } from './random';
export type { RandomState } from './random';
export {
  addClient,
  clientOf,
  runOperation,
  accessService,
  errorOf,
  serviceStateFromKdc,
  serviceListener,
} from './flows';
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
  smbSessionKeys,
  exportSmbSessionKeys,
} from './export';
export type {
  SmbSessionKey,
  ExportHost,
  PcapExportOptions,
  PcapPlan,
  SkippedEvent,
  TraceJson,
  TraceEventJson,
  TraceJsonOptions,
} from './export';
export { BYTE_TAMPERS, SEALED_FIELDS, TAMPER_MESSAGES, WIRE_FIELDS, intercept, valueProblem } from './tamper';
export type {
  Interception,
  PendingTamper,
  SealedField,
  TamperEdit,
  TamperMessage,
  WireField,
} from './tamper';
export { accessServiceViaIakerb, iakerbListener } from './iakerb';
export type { IakerbAccess } from './iakerb';
export {
  addLinuxHost,
  linuxHost,
  kinit,
  klist,
  klistText,
  kvno,
  kdestroy,
  ccacheFile,
  LINUX_UID,
} from './linux-host';
export type { LinuxHostConfig, MitOutcome } from './linux-host';
export {
  SECURITY_EVENT_TITLES,
  formatSecurityLogs,
  securityEventDetails,
  securityEventText,
  securityLogsJson,
  securityLogsOf,
} from './security-log';
export type { DcSecurityLog, SecurityEvent, SecurityEventDetails } from './security-log';
