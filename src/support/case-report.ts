/**
 * A case report for a support ticket: one self-contained HTML file (its CSS inline, every attachment a
 * data: link, nothing fetched) or Markdown, with the run's timeline, the failing step and what the actors
 * said about it, each client's klist and dsregcmd /status at that moment, the DCs' Security logs, the trace,
 * and the exports attached. Pure: the page's engine and `krbplay scenario run --report` hand in the world
 * at the moment the report speaks of and the files, and write the text where they can.
 */
import { dsregcmdStatus, klist, windowsDevice } from '../azure';
import { actionTitle, buildWorld, playAction, type ScenarioRun } from '../scenarios';
import { isoSeconds } from '../asn1/time';
import { escapeControls } from '../util/printable';
import {
  formatTraceEvent,
  klistText,
  securityEventText,
  securityLogsOf,
  type DcSecurityLog,
  type TraceEvent,
  type World,
} from '../world';

/** A file attached to the report, as the Export menu makes it. */
export interface CaseAttachment {
  name: string;
  mime: string;
  bytes: Uint8Array;
  /** What it holds and how to open it, in a sentence. */
  about: string;
}

/** One played step of the timeline. */
export interface CaseStep {
  /** 1-based, as the page counts steps. */
  index: number;
  title: string;
  /** When it started (virtual ms). */
  t: number;
  ok: boolean;
  /** What the console printed for it, one line. */
  output: string;
  /** The trace events it made: seq fromSeq..toSeq. */
  fromSeq: number;
  toSeq: number;
}

export interface CaseOutcome {
  id: string;
  description: string;
  state: 'ok' | 'failed' | 'pending';
  detail?: string;
}

export interface CaseReportInput {
  scenario: { id: string; title: string; summary: string };
  /** The steps played, in order. */
  steps: readonly CaseStep[];
  /** The world at the end of the failing step (the first that failed), or at the run's end. */
  world: World;
  /** The client hosts whose klist (and dsregcmd /status, on Windows) the report shows. */
  clients: readonly { host: string; os?: 'windows' | 'linux' }[];
  outcomes: readonly CaseOutcome[];
  attachments: readonly CaseAttachment[];
}

/** A console's output at the report's moment. */
export interface CaseConsole {
  host: string;
  command: string;
  text: string;
}

/** The report as data: what both renderings show. */
export interface CaseReport {
  title: string;
  summary: string;
  scenario: string;
  /** The moment the report speaks of: the failing step's end, or the run's. */
  at: number;
  steps: CaseStep[];
  failing?: CaseStep;
  /** The failing step's trace lines, each with what the actors said about it. */
  explanation: { line: string; narration: string[] }[];
  consoles: CaseConsole[];
  securityLog: DcSecurityLog[];
  trace: string[];
  outcomes: CaseOutcome[];
  attachments: readonly CaseAttachment[];
}

const line = (e: TraceEvent) => escapeControls(formatTraceEvent(e));

function consolesOf(world: World, clients: CaseReportInput['clients']): CaseConsole[] {
  const out: CaseConsole[] = [];
  for (const c of clients) {
    const now = world.hostNow(c.host);
    const at = `(at ${isoSeconds(now)}, ${c.host}'s clock)`;
    if (c.os === 'linux') {
      const text = klistText(world, c.host, { etypes: true, flags: true }).text;
      out.push({ host: c.host, command: `${c.host}$ klist -e -f   ${at}`, text });
      continue;
    }
    out.push({
      host: c.host,
      command: `${c.host}> klist   ${at}`,
      text: klist(world, c.host),
    });
    out.push({
      host: c.host,
      command: `${c.host}> dsregcmd /status`,
      text: windowsDevice(world, c.host)
        ? dsregcmdStatus(world, c.host)
        : `not shown: ${c.host} is joined to Active Directory only (no Entra join), so it has no PRT and no cloud TGT`,
    });
  }
  return out;
}

/** Gathers what the report shows from the run. */
export function caseReport(input: CaseReportInput): CaseReport {
  const { world } = input;
  const failing = input.steps.find((s) => !s.ok);
  const explanation = failing
    ? world.trace
        .filter((e) => e.seq >= failing.fromSeq && e.seq <= failing.toSeq)
        .map((e) => ({
          line: line(e),
          narration: e.narration.map(
            (n) => `${n.ok ? '' : '✗ '}${escapeControls(n.actor)}: ${escapeControls(n.text)}`,
          ),
        }))
    : [];
  return {
    title: escapeControls(input.scenario.title),
    summary: escapeControls(input.scenario.summary),
    scenario: input.scenario.id,
    at: world.now,
    steps: [...input.steps],
    ...(failing ? { failing } : {}),
    explanation,
    consoles: consolesOf(world, input.clients),
    securityLog: securityLogsOf(world.kdcs),
    trace: world.trace.map(line),
    outcomes: [...input.outcomes],
    attachments: input.attachments,
  };
}

/**
 * The report of a whole run (`krbplay scenario run --report`): the world at the failing step's end is
 * the same world built again from the scenario's seed and played up to that step (the same bytes).
 */
export function caseReportOfRun(
  run: ScenarioRun,
  attachments: readonly CaseAttachment[],
  until?: number,
): CaseReport {
  const s = run.scenario;
  const users = new Map(s.clients.map((c) => [c.host, c.user]));
  const steps: CaseStep[] = run.actions.map((r, i) => ({
    index: i + 1,
    title: actionTitle(s.timeline[r.index]!, users),
    t: r.t,
    ok: r.ok,
    output: r.output,
    fromSeq: r.fromSeq,
    toSeq: r.toSeq,
  }));
  const failing = run.actions.findIndex((r) => !r.ok);
  let world = run.world;
  if (failing >= 0 && failing < run.actions.length - 1) {
    world = buildWorld(s, s.seed);
    for (let i = 0; i <= failing; i++)
      playAction(world, s, s.timeline[i]!, i, until !== undefined ? { until } : {});
  }
  return caseReport({
    scenario: s,
    steps,
    world,
    clients: s.clients.map((c) => ({ host: c.host, ...(c.os ? { os: c.os } : {}) })),
    outcomes: run.outcomes.map((o) => ({
      id: o.id,
      description: o.description,
      state: !o.reached ? 'pending' : o.ok ? 'ok' : 'failed',
      ...(o.detail ? { detail: o.detail } : {}),
    })),
    attachments,
  });
}

// ---- rendering ----------------------------------------------------------------------------------------

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** RFC 4648 base64, for data: links. */
export function base64(bytes: Uint8Array): string {
  const out: string[] = [];
  for (let i = 0; i < bytes.length; i += 3) {
    const [a, b, c] = [bytes[i]!, bytes[i + 1], bytes[i + 2]];
    const n = (a << 16) | ((b ?? 0) << 8) | (c ?? 0);
    out.push(
      B64[n >> 18]!,
      B64[(n >> 12) & 63]!,
      b === undefined ? '=' : B64[(n >> 6) & 63]!,
      c === undefined ? '=' : B64[n & 63]!,
    );
  }
  return out.join('');
}

const dataUrl = (a: CaseAttachment) => `data:${a.mime};base64,${base64(a.bytes)}`;
const iso = (ms: number) => new Date(ms).toISOString();

function stepText(s: CaseStep): string {
  return `${s.index}. ${iso(s.t)} ${s.ok ? 'ok' : 'FAILED'}: ${escapeControls(s.title)}${s.output ? ` — ${escapeControls(s.output)}` : ''}`;
}

const fence = (text: string) => {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const f = '`'.repeat(longest + 1);
  return `${f}\n${text.replace(/\n+$/, '')}\n${f}`;
};

function logLines(logs: readonly DcSecurityLog[]): string[] {
  return logs.flatMap((dc) => [
    `${dc.host} (${dc.realms.join(', ')}): ${dc.events.length} events`,
    ...dc.events.map((e) => `${iso(e.at)}  ${securityEventText(e)}`),
  ]);
}

/** The report as Markdown: attachments as data: links (a viewer that allows them opens the files). */
export function caseReportMarkdown(r: CaseReport): string {
  const md: string[] = [
    `# Case report: ${r.title}`,
    '',
    `Scenario \`${r.scenario}\`: ${r.summary}`,
    '',
    `The report speaks of ${iso(r.at)} (virtual time, UTC): ${r.failing ? `the end of step ${r.failing.index}, the first that failed` : 'the end of the run; no step failed'}.`,
    '',
    '## Timeline',
    '',
    ...r.steps.map(stepText),
    '',
  ];
  if (r.failing) {
    md.push(`## The failing step: ${stepText(r.failing)}`, '');
    for (const x of r.explanation)
      md.push(`- \`${x.line.replace(/`/g, "'")}\``, ...x.narration.map((n) => `  - ${n}`));
    md.push('');
  }
  md.push('## The clients at that moment', '');
  for (const c of r.consoles) md.push(`\`${c.command}\``, '', fence(c.text), '');
  md.push('## Security log', '', fence(logLines(r.securityLog).join('\n')), '');
  md.push('## Outcomes', '');
  for (const o of r.outcomes)
    md.push(
      `- ${o.state}: ${o.id}: ${escapeControls(o.description)}${o.detail ? ` (${escapeControls(o.detail)})` : ''}`,
    );
  md.push('', '## Trace', '', fence(r.trace.join('\n')), '', '## Attachments', '');
  for (const a of r.attachments)
    md.push(`- [${a.name}](${dataUrl(a)}) (${a.bytes.length} bytes): ${a.about}`);
  return md.join('\n') + '\n';
}

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const CSS = `body{font:15px/1.45 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1f24;background:#fff}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ccd;padding-bottom:.2rem}
pre{background:#f4f5f7;border:1px solid #dde;padding:.6rem;overflow:auto;font-size:12.5px}
.failed{color:#a4161a;font-weight:600}.ok{color:#1a6e2e}ol li{margin:.15rem 0}
a{color:#0b5cad}@media (prefers-color-scheme:dark){body{background:#15181c;color:#e4e7eb}
pre{background:#1f2328;border-color:#394049}.failed{color:#ff8a8a}.ok{color:#7fd49a}a{color:#8cc4ff}}`;

const pre = (text: string) => `<pre>${esc(text.replace(/\n+$/, ''))}</pre>`;

/** The report as one HTML file that needs nothing else: inline CSS, no script, attachments as data: links. */
export function caseReportHtml(r: CaseReport): string {
  const h: string[] = [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    `<title>Case report: ${esc(r.title)}</title><style>${CSS}</style></head><body>`,
    `<h1>Case report: ${esc(r.title)}</h1>`,
    `<p>Scenario <code>${esc(r.scenario)}</code>: ${esc(r.summary)}</p>`,
    `<p>The report speaks of <time datetime="${iso(r.at)}">${iso(r.at)}</time> (virtual time, UTC): ${r.failing ? `the end of step ${r.failing.index}, the first that failed` : 'the end of the run; no step failed'}.</p>`,
    '<h2>Timeline</h2><ol>',
    ...r.steps.map(
      (s) =>
        `<li class="${s.ok ? 'ok' : 'failed'}" data-step="${s.index}">${esc(iso(s.t))} ${s.ok ? 'ok' : 'FAILED'}: ${esc(s.title)}${s.output ? ` — ${esc(s.output)}` : ''}</li>`,
    ),
    '</ol>',
  ];
  if (r.failing) {
    h.push(`<h2 id="failing">The failing step: ${esc(r.failing.index + '. ' + r.failing.title)}</h2><ul>`);
    for (const x of r.explanation) {
      h.push(`<li><code>${esc(x.line)}</code>`);
      if (x.narration.length) h.push(`<ul>${x.narration.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>`);
      h.push('</li>');
    }
    h.push('</ul>');
  }
  h.push('<h2>The clients at that moment</h2>');
  for (const c of r.consoles) h.push(`<h3><code>${esc(c.command)}</code></h3>`, pre(c.text));
  h.push('<h2 id="security-log">Security log</h2>', pre(logLines(r.securityLog).join('\n')));
  h.push('<h2>Outcomes</h2><ul>');
  for (const o of r.outcomes)
    h.push(
      `<li class="${o.state === 'failed' ? 'failed' : o.state === 'ok' ? 'ok' : ''}">${esc(o.state)}: ${esc(o.id)}: ${esc(o.description)}${o.detail ? ` (${esc(o.detail)})` : ''}</li>`,
    );
  h.push('</ul><h2>Trace</h2>', pre(r.trace.join('\n')), '<h2 id="attachments">Attachments</h2><ul>');
  for (const a of r.attachments)
    h.push(
      `<li><a download="${esc(a.name)}" href="${dataUrl(a)}" data-attachment="${esc(a.name)}">${esc(a.name)}</a> (${a.bytes.length} bytes): ${esc(a.about)}</li>`,
    );
  h.push('</ul></body></html>');
  return h.join('\n') + '\n';
}
