// Refusals are shared by the KDC and services: the class lives in src/protocol.
export { KerberosRefusal as KdcRefusal } from '../protocol/refusal';
