/**
 * Node-only adapters: the pure KDC behind real sockets (UDP and TCP, RFC 4120 §7.2; MS-KKDCP over
 * HTTP(S)), with the operating system's randomness and the wall clock.
 */
export { KdcService, logLine } from './service';
export type { KdcServiceOptions, Transport } from './service';
export { KdcServer } from './kdc-server';
export type { KdcServerOptions } from './kdc-server';
export { KkdcpServer } from './kkdcp-server';
export type { KkdcpServerOptions } from './kkdcp-server';
export { DEFAULT_LIMITS } from './limits';
export type { ServerLimits } from './limits';
export { makeSelfSignedCertificate } from './tls-cert';
export type { SelfSignedCertificate } from './tls-cert';
export { cryptoRandom } from './random';
export { nodePbkdf2 } from './pbkdf2';
export { nodeCryptoPrimitives, useNodeCrypto } from './crypto';
export {
  KdcTransport,
  KdcAddressError,
  parseKdcAddress,
  runClientOverNetwork,
  wallClock,
  isResponseTooBig,
} from './kdc-client';
export type { KdcAddress, KdcAttempt, KdcTransportOptions, AsyncTransport } from './kdc-client';
