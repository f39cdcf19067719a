// The narration shape is shared by the KDC, the client and services: it lives in src/protocol.
export * from '../protocol/events';
