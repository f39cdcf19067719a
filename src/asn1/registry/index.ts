/**
 * The protocol registries: every number Kerberos puts on the wire, with its RFC name and a line a learner
 * understands. The crypto registries (enctypes, checksum types, key usages) live in src/crypto.
 */
export * from './table';
export * from './flags';
export * from './message-types';
export * from './pa-types';
export * from './name-types';
export * from './error-codes';
export * from './ticket-flags';
export * from './kdc-options';
export * from './ap-options';
export * from './fast-options';
export * from './pac-options';
export * from './ad-types';
