/**
 * pcap and pcapng: reading the Kerberos messages out of a capture (UDP, TCP reassembled, MS-KKDCP over
 * plain HTTP, SMB2 SESSION_SETUP's tokens), and writing messages as a capture that Wireshark dissects as Kerberos.
 */
export { CaptureError } from './errors';
export { readCapture, CaptureReader, MAX_CAPTURE_MESSAGES, MAX_SMB2_ROWS, MAX_TCP_STREAMS } from './read';
export { readSmb2 } from './smb2';
export type { Smb2Message } from './smb2';
export { CaptureStream } from './stream';
export type { CapturedMessage, ReadCaptureOptions } from './read';
export { MAX_INTERFACES, readCaptureFrames } from './container';
export type { CaptureFrame } from './container';
export { decodeFrame, LINKTYPE } from './layers';
export type { TransportPacket } from './layers';
export { DEFAULT_STREAM_LIMITS } from './tcp';
export type { StreamLimits } from './tcp';
export { looksLikeKerberos, kerberosMessageType } from './kerberos';
export { writePcapng, writePcap, synthesiseFrames } from './write';
export type { MessageToWrite, WriteCaptureOptions, SynthesisedFrame } from './write';
export { KKDCP_LUA, KKDCP_LUA_NAME } from './kkdcp-lua';
