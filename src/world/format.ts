/**
 * The trace as text, one line per event: virtual time, from -> to, transport, type, result — the form
 * `krbplay scenario run` prints (docs/cli.md) and closing notes quote.
 */
import { isoSeconds } from '../asn1/time';
import type { TraceEvent } from './trace';

export interface FormatOptions {
  /** Show the narration under each message (default false). */
  narration?: boolean;
  /** Leave out actions (default false). */
  messagesOnly?: boolean;
}

function clock(t: number): string {
  const d = new Date(t);
  const ms = String(d.getUTCMilliseconds()).padStart(3, '0');
  return `${isoSeconds(d).slice(11, 19)}.${ms}`;
}

export function formatTraceEvent(e: TraceEvent): string {
  const route = e.kind === 'action' ? `${e.from}` : `${e.from} -> ${e.to}`;
  const transport = e.kind === 'action' ? '' : e.transport;
  const type = e.kind === 'timeout' ? '(timeout)' : e.type;
  return `${clock(e.t)}  ${route.padEnd(13)} ${transport.padEnd(5)} ${type.padEnd(18)} ${e.result}`;
}

export function formatTrace(trace: readonly TraceEvent[], options: FormatOptions = {}): string {
  const lines: string[] = [];
  if (trace.length > 0) lines.push(`# ${isoSeconds(trace[0]!.t)} (times below are UTC)`);
  for (const e of trace) {
    if (options.messagesOnly && e.kind === 'action') continue;
    lines.push(formatTraceEvent(e));
    if (options.narration)
      for (const n of e.narration) lines.push(`${' '.repeat(14)}${n.ok ? '·' : '✗'} ${n.actor}: ${n.text}`);
  }
  return lines.join('\n');
}
