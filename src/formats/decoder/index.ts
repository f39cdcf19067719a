/**
 * The decoder with key learning: decoded Kerberos messages (one, or a capture's sequence) opened with
 * keytabs, passwords and the session keys earlier messages revealed, as Wireshark's dissector does.
 * Used by `krbplay decode`, the simulation's trace and the UI inspector.
 *
 *   const ring = new KeyRing().addKeytab(decodeKeytab(bytes)).addPassword('alice@EXAMPLE.TEST', 'pw');
 *   const messages = decodeCapture(readCapture(pcap), ring);   // or decodeMessage(bytes, ring)
 *   const parts = openMessage(decodeKerberos(bytes), ring, { frame: 7 }); // on an already decoded message
 */
export { KeyRing, principalText, ticketId } from './keyring';
export type { Candidate, LearntKey, PrincipalRef, RequestKeys, SessionRole } from './keyring';
export { keyThatOpened, openMessage, ticketWithPacZeroed } from './open';
export type { EncPart, OpenOptions } from './open';
export { decodeMessage, decodeCapture, ntlmsspMessage } from './messages';
export type { DecodedMessage, MessageMeta, CaptureItem, Transport, Smb2Seen } from './messages';
export { attachPacs, pacNode } from './pac-tree';
export type { PacKeys } from './pac-tree';
export { renderMessages, explainMessages, nodeAtPath, messageNode } from './render';
export type { RenderOptions, NodeExplanation } from './render';
