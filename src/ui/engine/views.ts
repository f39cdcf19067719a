/**
 * What the timeline and the consoles show, read from the run: every credential each client held up to
 * the current step (the timeline of ticket lifetimes), and each client host's console (the commands of
 * the timeline, what they printed, the Windows errors explained). Pure: the engine calls these with the
 * player's history and trace.
 */
import type { CachedCredential } from '../../client';
import { formatPrincipal } from '../../asn1/principal';
import { promptFor } from '../../azure';
import {
  commandLine,
  shellAfter,
  type ActionRecord,
  type EventNote,
  type ScenarioAction,
} from '../../scenarios';
import type { TraceEvent, World, WorldState } from '../../world';
import type { ConsoleLine, ConsoleView, TicketSpan } from './protocol';
import { windowsErrorText, windowsErrorWhy } from './windows-errors';

/**
 * Every credential the clients held at any of the given steps (oldest first), once each; `held` says
 * whether the last state still holds it. A renewed or replaced ticket shows as a new span.
 */
export function ticketSpans(history: readonly WorldState[]): TicketSpan[] {
  const spans = new Map<string, TicketSpan>();
  const current = history.at(-1);
  const heldNow = new Set<string>();
  const keyOf = (host: string, c: CachedCredential) =>
    `${host}|${formatPrincipal(c.server)}|${c.authtime}|${c.starttime}|${c.endtime}`;
  for (const { id, client } of current?.hosts ?? []) {
    for (const c of client?.cache.credentials ?? []) heldNow.add(keyOf(id, c));
  }
  for (const state of history) {
    for (const { id: host, client } of state.hosts) {
      for (const c of client?.cache.credentials ?? []) {
        const key = keyOf(host, c);
        if (spans.has(key)) continue;
        const n = c.server.name.nameString;
        const kind: TicketSpan['kind'] =
          n.length === 2 && n[0] === 'krbtgt' ? (n[1] === c.server.realm ? 'tgt' : 'referral') : 'service';
        spans.set(key, {
          host,
          server: formatPrincipal(c.server),
          client: formatPrincipal(c.client),
          kind,
          authtime: c.authtime,
          start: c.starttime,
          end: c.endtime,
          ...(c.renewTill !== undefined ? { renewTill: c.renewTill } : {}),
          held: heldNow.has(key),
        });
      }
    }
  }
  return [...spans.values()];
}

/** A played step: the action it ran, and what it came to. */
export interface PlayedStep {
  action: ScenarioAction;
  title: string;
  record: ActionRecord;
}

/** What a person types for an action, at the Windows prompt (the action table prints it). */
export const commandOf = (a: ScenarioAction): string | undefined => commandLine(a);

/** The trace's echo of what was typed: the prompt line already says it. */
const ECHOES = new Set([
  'net use',
  'klist get',
  'fault',
  'policy',
  'clock',
  'tamper',
  'sign-in',
  'service-ticket',
  'renew',
]);

function hostOfAction(a: ScenarioAction): string | undefined {
  if ('host' in a) return a.host;
  return undefined;
}

/**
 * The console of one client host: for each step that ran on it, the command (or what happened, for a
 * sign-in or a clock change), then every line the host printed while it ran; the client's own account
 * of a Kerberos operation ("ws1: got cifs/…") as a note; a Windows error with its meaning.
 */
/** A Linux host's shell prompt ("alice@linux1:~$"); undefined on Windows, whose prompt the page writes. */
export function promptOf(world: World, host: string): string | undefined {
  const linux = world.linuxHost(host);
  return linux ? `${linux.user.split('@')[0]}@${host}:~$` : undefined;
}

export function consoleOf(
  host: string,
  user: string,
  played: readonly PlayedStep[],
  trace: readonly TraceEvent[],
  noteOf: (seq: number) => EventNote | undefined,
  prompt?: string,
): ConsoleView {
  const lines: ConsoleLine[] = [];
  let shell: 'cmd' | 'powershell' = 'cmd';
  for (const step of played) {
    const r = step.record;
    const events = trace.filter(
      (e) => e.seq >= r.fromSeq && e.seq <= r.toSeq && e.kind === 'action' && e.from === host,
    );
    const onThisHost = hostOfAction(step.action) === host;
    if (!onThisHost && events.length === 0) continue;
    const command = commandOf(step.action);
    if (command && onThisHost)
      lines.push({ kind: 'command', text: command, t: r.t, prompt: prompt ?? promptFor(user, shell) });
    if (onThisHost) shell = shellAfter(step.action.do, shell);
    else lines.push({ kind: 'note', text: `— ${step.title}`, t: r.t });
    for (const e of events) {
      if (ECHOES.has(e.type) || e.type === 'logon') continue;
      const windowsError = noteOf(e.seq)?.windowsError;
      const own = e.type === 'result' && e.result.startsWith(`${host}: `);
      const failed = windowsError !== undefined || e.type === 'logon failed' || / failed: /.test(e.result);
      const line: ConsoleLine = {
        kind: own && !failed ? 'note' : failed ? 'error' : 'out',
        text: e.result,
        t: e.t,
      };
      if (windowsError !== undefined) {
        line.windowsError = windowsError;
        const why = windowsErrorWhy(windowsError);
        line.explain = `${windowsErrorText(windowsError)}${why ? ` — ${why}` : ''}`;
      }
      lines.push(line);
    }
  }
  return { host, user, lines, prompt: prompt ?? promptFor(user, shell) };
}
