/**
 * The trace: every message that crosses the simulated network, in order, and every action a person
 * took. It is what the UI draws (sequence diagram, inspector, timeline) and what exports read (pcapng).
 *
 * Format (the UI reads this; keep it stable and documented here):
 *
 *   TraceEvent {
 *     seq        1, 2, 3… in the order things happened
 *     t          the world's virtual time, ms since the epoch, when the message left (or the action ran)
 *     kind       'message' (bytes on the wire) | 'action' (something a person did: sign in, advance 4h)
 *                | 'timeout' (a message that got no answer, and the wait for it)
 *     from, to   host ids ("ws1", "dc1"); for an action, the host it ran on (to = from)
 *     transport  'udp' | 'tcp' | 'kkdcp' | 'smb' | 'https' | 'local'
 *     port       the destination port (88, 443, 445)
 *     type       what the bytes are: "AS-REQ", "KRB-ERROR", "AP-REQ", "KDC-PROXY-MESSAGE"…; for an action
 *                its name ("signIn")
 *     bytes      the exact bytes on the wire (for 'message'); a KKDCP message is the HTTP body
 *     inner      for a KKDCP message, the Kerberos message inside it
 *     errorCode  a KRB-ERROR's error-code
 *     windowsError  a Windows system error a modelled step ended with (5, 53, 1326…)
 *     result     one line: "KDC_ERR_PREAUTH_REQUIRED (25)", "TGT for alice@…", "lost", "port 88 blocked"
 *     narration  what each actor said about it (the KDC's pipeline stages, the client's checks)
 *     replyTo    for a reply, the seq of its request
 *     modelled   true when the step is a model of something not standardised (Entra internals)
 *     smb2       for an SMB step, the SMB2 message as it crossed TCP 445 (a TRANSFORM_HEADER around it once
 *                the session encrypts); `bytes` keeps the Kerberos token inside, if any (src/smb2)
 *     smbSession on the SESSION_SETUP response that opened an SMB session: its id (16 hex digits) and
 *                session key, which the capture export gives Wireshark (uat:smb2_seskey_list)
 *   }
 *
 * The decoded tree and the opened encrypted parts are not stored: they are derived from `bytes` on demand
 * (the inspector asks for one event at a time), which keeps snapshots small.
 */
import type { NarratedEvent } from '../protocol/events';

export type Transport = 'udp' | 'tcp' | 'kkdcp' | 'smb' | 'https' | 'local';

export interface Narration {
  actor: string;
  stage: string;
  text: string;
  ok: boolean;
}

export interface TraceEvent {
  seq: number;
  t: number;
  kind: 'message' | 'action' | 'timeout';
  from: string;
  to: string;
  transport: Transport;
  port?: number;
  type: string;
  bytes?: Uint8Array;
  inner?: Uint8Array;
  errorCode?: number;
  windowsError?: number;
  result: string;
  narration: Narration[];
  replyTo?: number;
  modelled?: boolean;
  smb2?: Uint8Array;
  smbSession?: { id: string; key: Uint8Array };
}

export type { NarratedEvent };
