/**
 * A run as text (`krbplay scenario run` without --json): one line per event (virtual time, from -> to,
 * transport, type, result), then the final klist of each Windows client and what dsregcmd /status would
 * say (on a Linux host, MIT's klist), then the outcomes.
 */
import { dsregcmdStatus, klist, windowsDevice } from '../azure';
import { isoSeconds } from '../asn1/time';
import { escapeControls } from '../util/printable';
import { formatTraceEvent, klistText } from '../world';
import type { ScenarioRun } from './runner';

export function formatRunEvents(run: ScenarioRun): string[] {
  const lines: string[] = [];
  let day = '';
  run.trace.forEach((e, i) => {
    const d = isoSeconds(e.t).slice(0, 10);
    if (d !== day) {
      lines.push(`# ${d} (times are UTC)`);
      day = d;
    }
    // run.json.events is run.trace, one for one
    // Names and e-texts in an event come from the scenario and the wire: escaped, one event is one line.
    lines.push(escapeControls(`${formatTraceEvent(e)}${run.json.events[i]?.modelled ? '  [modelled]' : ''}`));
  });
  return lines;
}

export function formatRun(run: ScenarioRun): string {
  const s = run.scenario;
  const lines = [
    `Scenario ${s.id}: ${escapeControls(s.title)}`,
    `Start ${run.json.start}; seed ${s.seed}`,
    '',
  ];
  lines.push(...formatRunEvents(run));
  if (!run.complete) lines.push(`# the run stopped at ${run.json.stoppedAt} (--until)`);
  for (const c of s.clients) {
    const now = run.world.hostNow(c.host);
    if (c.os === 'linux') {
      lines.push('', `${c.host}$ klist   (at ${isoSeconds(now)}, ${c.host}'s clock)`);
      lines.push(...klistText(run.world, c.host, { etypes: false, flags: false }).text.split('\n'));
      continue;
    }
    lines.push('', `${c.host}> klist   (at ${isoSeconds(now)}, ${c.host}'s clock)`);
    lines.push(...klist(run.world, c.host).replace(/\n+$/, '').split('\n').slice(1));
    if (windowsDevice(run.world, c.host)) {
      lines.push('', `${c.host}> dsregcmd /status   (at ${isoSeconds(now)})`);
      lines.push(...dsregcmdStatus(run.world, c.host).replace(/\n+$/, '').split('\n'));
    } else {
      lines.push(
        '',
        `${c.host}> dsregcmd /status   not shown: ${c.host} is joined to Active Directory only (no Entra join), so it has no PRT and no cloud TGT`,
      );
    }
  }
  lines.push('', 'Outcomes:');
  for (const o of run.outcomes) {
    const mark = o.ok ? 'ok  ' : o.reached ? 'FAIL' : 'n/a ';
    lines.push(`  ${mark}  ${o.id}: ${escapeControls(o.description)}`);
    if (o.detail) lines.push(`        ${escapeControls(o.detail)}`);
  }
  const held = run.outcomes.filter((o) => o.ok).length;
  const notReached = run.outcomes.filter((o) => !o.reached).length;
  lines.push(
    '',
    `${held} of ${run.outcomes.length} outcomes hold${notReached ? ` (${notReached} not reached before --until)` : ''}.`,
  );
  return lines.join('\n') + '\n';
}
