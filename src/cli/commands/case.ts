/**
 * `krbplay case FILE`: what a customer pasted (Windows klist, klist tgt, MIT klist, dsregcmd /status,
 * setspn -L, in any order in one file) read back into its facts, the rules checked against them, and the
 * world it describes written as a scenario file. Contract: docs/cli.md.
 */
import { isoSeconds } from '../../asn1/time';
import { parseIsoTime } from '../../scenarios';
import {
  caseFindings,
  caseScenario,
  caseTickets,
  readCase,
  type CaseClock,
  type Finding,
  type PastedCase,
  formatUtcOffset,
  parseUtcOffset,
  PasteError,
  pastedFileText,
} from '../../support';
import { escapeControls as t, KrbPlayInputError } from '../../util';
import { UsageError } from '../args';
import { defineCommand } from '../command';
import { FILE_LIMITS, readFileBytes, writeOut } from './files';

/** The keys whose numbers are times (ms), written in JSON as ISO-8601 UTC strings. */
const TIME_KEYS = new Set([
  'ms',
  'prtUpdateTime',
  'prtExpiryTime',
  'start',
  'end',
  'signIn',
  'mount',
  'takenAt',
  'now',
]);
const jsonTimes = (key: string, value: unknown) =>
  TIME_KEYS.has(key) && typeof value === 'number' ? isoSeconds(value) : value;

const yesNo = (b: boolean | undefined) => (b === undefined ? '?' : b ? 'YES' : 'NO');
const when = (ms: number | undefined) => (ms === undefined ? '?' : isoSeconds(ms));

/** The facts, one block per kind of output. */
function factLines(c: PastedCase): string[] {
  const lines: string[] = [];
  const tickets = caseTickets(c);
  if (tickets.length) lines.push('', 'Tickets:');
  for (const k of tickets)
    lines.push(
      `  ${t(k.server)}  ${when(k.start)} .. ${when(k.end)}${k.expired ? '  (expired)' : ''}  ${t(k.etypes.join(', '))}`,
    );
  for (const d of c.dsregcmds) {
    const j = d.join;
    lines.push(
      '',
      `Device: AzureAdJoined ${yesNo(j.azureAdJoined)}, DomainJoined ${yesNo(j.domainJoined)}${j.domainName ? ` (${t(j.domainName)})` : ''}${j.tenantId ? `, tenant ${t(j.tenantId)}` : ''}`,
      `SSO state: AzureAdPrt ${yesNo(d.sso.azureAdPrt)} (updated ${when(d.sso.prtUpdateTime)}), OnPremTgt ${yesNo(d.sso.onPremTgt)}, CloudTgt ${yesNo(d.sso.cloudTgt)}, KerbTopLevelNames ${t(d.sso.kerbTopLevelNames?.join(',') || '(empty)')}`,
    );
  }
  for (const s of c.setspns)
    for (const a of s.accounts) lines.push('', `SPNs of ${t(a.dn)}:`, ...a.spns.map((n) => `  ${t(n)}`));
  for (const k of c.klistTgts) if (k.error) lines.push('', `klist tgt: ${t(k.error)}`);
  for (const k of c.mitKlists) if (k.error) lines.push('', `MIT klist: ${t(k.error)}`);
  return lines;
}

function findingLines(findings: Finding[]): string[] {
  if (findings.length === 0) return ['', 'Findings: none of the rules the playground knows applies.'];
  const lines = ['', 'Findings:'];
  for (const f of findings) {
    lines.push(`  ${f.severity.toUpperCase().padEnd(8)}${f.title}`, `          ${f.reason}`);
    const sources = [
      ...(f.modelled ? [`docs/modelled.md#${f.modelled}`] : []),
      ...f.sources.map((s) => `${s.text} <${s.url}>`),
    ];
    lines.push(`          Source: ${sources.join('; ')}`);
    if (f.scenario) lines.push(`          Plays as: krbplay scenario run ${f.scenario}`);
  }
  return lines;
}

function caseText(file: string, c: PastedCase, clock: CaseClock | undefined, findings: Finding[]): string {
  const read = c.sections.map((s) => `${s.kind} (lines ${s.from}-${s.to})`).join(', ');
  const lines = [
    `Case ${t(file)}: ${read || 'no klist, dsregcmd or setspn output found'}`,
    clock
      ? `Judged at ${isoSeconds(clock.now)} (${clock.given ? 'given with --at' : 'the latest time the paste shows; give the paste time with --at'})`
      : 'No time in the paste: the rules about times are not checked.',
    c.utcOffset === 0
      ? 'klist times read as UTC: the paste does not say the time zone (klist prints local time; give it with --utc-offset)'
      : `klist times read at ${formatUtcOffset(c.utcOffset)} (--utc-offset); dsregcmd's are UTC`,
    ...factLines(c),
    ...findingLines(findings),
  ];
  if (c.unread.length) lines.push('', 'Lines not read:', ...c.unread.map((l) => `  ${l.line}: ${t(l.text)}`));
  return lines.join('\n') + '\n';
}

export const caseCommand = defineCommand({
  name: 'case',
  summary: 'Read pasted klist, dsregcmd or setspn output: its facts, the rules, a scenario of it.',
  description: `
Reads a text file holding what a customer pasted: Windows klist (and klist -li), klist tgt, MIT klist
(plain, -e, -f), dsregcmd /status, setspn -L, in any order. Every line no reader understood is listed.
The rules the playground knows are checked at the paste's time (--at; else the latest time the paste
shows): the cloud TGT expired and not renewed, the cloud ticket policy off, a PRT over 4 h old, RC4
after the 2026 updates, clock skew, no storage ticket. Each finding names its reason and sources.

klist prints the customer's local time and dsregcmd UTC: --utc-offset +02:00 (UTC-12:00 to
UTC+14:00; a negative one as --utc-offset=-05:00 or UTC-05:00) reads the klist times at that offset;
without it they are read as UTC, and the text says so.

--scenario F writes the world the case describes as a scenario file (join, realm, tenant, the cloud
ticket policy, sign-in, mount and paste times), which krbplay scenario run F plays.
JSON: {"at","atGiven","sections":[{"kind","from","to"}],"windowsKlists","klistTgts","mitKlists",
"dsregcmds","setspns","unread":[{"line","text"}],"utcOffset","findings":[{"id","severity","title","reason",
"modelled","sources":[{"text","url"}],"scenario"}],"world"} (times as ISO-8601 UTC).

Exit status 0 when the file was read (findings or not), 1 for a file that cannot be read (too large,
too many lines, not UTF-8), 2 for a usage error (--at not a time, --utc-offset not an offset).`,
  positionals: [{ name: 'FILE', required: true, help: 'the pasted text' }],
  options: {
    at: { type: 'string', valueName: 'TIME', help: "the paste's time, ISO-8601 UTC (2026-03-02T18:05:00Z)" },
    'utc-offset': {
      type: 'string',
      valueName: '±HH:MM',
      help: "the customer's UTC offset, at which klist's local times are read (default +00:00)",
    },
    scenario: {
      type: 'string',
      valueName: 'F',
      help: 'write the world the case describes as a scenario file',
    },
    json: { type: 'boolean', help: 'print one JSON document' },
  },
  examples: [
    'krbplay case customer.txt',
    'krbplay case customer.txt --at 2026-03-02T18:05:00Z --scenario case.json',
    'krbplay case customer.txt --utc-offset=-05:00',
    'krbplay case customer.txt --json',
  ],
  run({ options, positionals }, io) {
    const file = positionals[0]!;
    let takenAt: number | undefined;
    if (options.at !== undefined) {
      takenAt = parseIsoTime(options.at);
      if (takenAt === undefined)
        throw new UsageError(`--at: '${options.at}' is not an ISO-8601 UTC time (2026-03-02T18:05:00Z)`);
    }
    let utcOffset = 0;
    if (options['utc-offset'] !== undefined) {
      try {
        utcOffset = parseUtcOffset(options['utc-offset']);
      } catch (e) {
        if (!(e instanceof PasteError)) throw e;
        throw new UsageError(`--utc-offset: ${e.message.replace(/^paste: /, '')}`);
      }
    }
    let text: string;
    try {
      text = pastedFileText(readFileBytes(file, 'pasted text', FILE_LIMITS.paste));
    } catch (e) {
      if (e instanceof PasteError)
        throw new KrbPlayInputError(`${file}: ${e.message.replace(/^paste: /, '')}`);
      throw e;
    }
    const c = readCase(text, undefined, utcOffset);
    const { clock, findings } = caseFindings(c, takenAt);
    const built = options.scenario !== undefined || options.json ? caseScenario(c, takenAt) : undefined;
    if (options.scenario !== undefined) {
      if (!built)
        throw new KrbPlayInputError(`${file}: the paste shows no time, so no world can be built from it`);
      writeOut(
        options.scenario,
        new TextEncoder().encode(JSON.stringify(built.json, null, 2) + '\n'),
        'scenario file',
      );
    }
    if (options.json) {
      const doc = { at: clock?.now, atGiven: clock?.given ?? false, ...c, findings, world: built?.world };
      io.stdout(
        JSON.stringify(doc, (k, v: unknown) => (k === 'at' ? jsonTimes('now', v) : jsonTimes(k, v))) + '\n',
      );
      return 0;
    }
    io.stdout(caseText(file, c, clock, findings));
    if (options.scenario !== undefined)
      io.stdout(
        `\nWrote the case's world to ${options.scenario}: krbplay scenario run ${options.scenario}\n`,
      );
    return 0;
  },
});
