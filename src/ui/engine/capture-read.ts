/**
 * A capture file read in the worker a piece at a time (CaptureStream): never the whole file in memory,
 * only the Kerberos and SMB2 messages found, and of them only the first MAX_RUN_MESSAGES (the rest counted).
 * Between pieces the caller hears the progress and may stop the reading.
 */
import { CaptureError, CaptureStream, type CapturedMessage } from '../../formats/pcap';
import { MAX_RUN_MESSAGES } from './capture-run';
import type { CaptureProgress } from './protocol';

/** How much of the file is read at once. */
export const CAPTURE_CHUNK_BYTES = 1024 * 1024;

export interface CaptureReadHooks {
  /** After each piece: how far the reading has come. May wait (the worker yields to read a 'cancel'). */
  progress(p: CaptureProgress): Promise<void> | void;
  /** Why to stop now, when the page said so. */
  stopped(): string | undefined;
}

export interface CaptureRead {
  /** The first MAX_RUN_MESSAGES messages, in frame order. */
  messages: CapturedMessage[];
  /** How many messages the whole capture holds: Kerberos, SMB2 tokens, and SMB2 rows, kept or not. */
  total: number;
}

export async function readCaptureFile(
  file: Blob,
  hooks: CaptureReadHooks,
  chunk = CAPTURE_CHUNK_BYTES,
  maxSmb2Rows?: number,
): Promise<CaptureRead> {
  // the run keeps a bounded number; the reader is not to refuse a longer capture, only count it
  // SMB2's other commands as rows too (bounded by the reader), around the SESSION_SETUP tokens
  const stream = new CaptureStream({
    maxMessages: Number.MAX_SAFE_INTEGER,
    smb2Rows: true,
    ...(maxSmb2Rows === undefined ? {} : { maxSmb2Rows }),
  });
  const messages: CapturedMessage[] = [];
  let total = 0;
  const keep = (found: CapturedMessage[]) => {
    total += found.length;
    for (const m of found) if (messages.length < MAX_RUN_MESSAGES) messages.push(m);
  };
  for (let at = 0; at < file.size; at += chunk) {
    const why = hooks.stopped();
    if (why) throw new CaptureError(`the capture was not opened: ${why}`);
    const piece = new Uint8Array(await file.slice(at, Math.min(file.size, at + chunk)).arrayBuffer());
    keep(stream.push(piece));
    await hooks.progress({ read: Math.min(file.size, at + chunk), total: file.size, messages: total });
  }
  keep(stream.finish());
  // the SMB2 rows past the reader's bound are left out as well: the page's count says so
  return { messages, total: total + stream.smb2RowsLeftOut };
}
