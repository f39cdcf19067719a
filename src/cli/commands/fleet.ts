/**
 * `krbplay fleet`: a fleet (a preset id or a fleet file) played over its virtual days, counted per hour.
 * Contract: docs/cli.md.
 */
import { isoSeconds } from '../../asn1/time';
import {
  CAUSE_WORDS,
  CAUSES,
  exchanges,
  FLEET_PRESET_IDS,
  fleetBase,
  fleetCsv,
  fleetJson,
  findFleetPreset,
  MAX_CLIENTS,
  MAX_DAYS,
  runFleet,
  userName,
  userScenario,
  validateFleet,
  type Fleet,
  type FleetReport,
} from '../../fleet';
import { formatRun, runScenario, ScenarioError } from '../../scenarios';
import { KrbPlayInputError } from '../../util';
import { UsageError } from '../args';
import { defineCommand, table } from '../command';
import { isScenarioFile } from '../scenario-load';
import { FILE_LIMITS, readFileBytes } from './files';

function loadFleet(arg: string): Fleet {
  if (!isScenarioFile(arg)) {
    const preset = findFleetPreset(arg);
    if (!preset)
      throw new KrbPlayInputError(
        `no fleet preset '${arg}' (one of: ${FLEET_PRESET_IDS.join(', ')}; or give a FILE.json)`,
      );
    return preset;
  }
  const bytes = readFileBytes(arg, 'fleet file', FILE_LIMITS.scenario);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw new KrbPlayInputError(`${arg}: not a UTF-8 JSON file: ${(e as Error).message}`);
  }
  try {
    return validateFleet(value);
  } catch (e) {
    if (e instanceof ScenarioError) throw new KrbPlayInputError(`${arg}: ${e.message}`);
    throw e;
  }
}

function count(flag: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,9}$/.test(text) || Number(text) < min || Number(text) > max)
    throw new UsageError(`--${flag}: '${text}' must be a whole number from ${min} to ${max}`);
  return Number(text);
}

function summary(report: FleetReport): string {
  const rows = report.hours
    .map((h, i) => [i, h] as const)
    .filter(([, h]) => h.as + h.tgs + h.prt + h.failures > 0)
    .map(([i, h]) => {
      const why = CAUSES.filter((c) => h.users[c] > 0).map((c) => `${h.users[c]} ${c}`);
      return `${isoSeconds(report.start + i * 3_600_000)
        .slice(0, 16)
        .replace(
          'T',
          ' ',
        )}  ${[h.as, h.tgs, h.kkdcp, h.prt, h.held, h.failures].map((n) => String(n).padStart(7)).join('')}  ${why.join(', ')}`;
    });
  const lines = [
    `fleet ${report.fleet}: ${report.clients} users, ${report.days} days from ${isoSeconds(report.start)}, seed ${report.seed}${report.complete ? '' : ' (stopped early)'}`,
    `hour (UTC)             AS    TGS  KKDCP    PRT   held  fails  users who cannot reach the share, by why`,
    ...rows,
    '',
    `${exchanges(report)} requests (AS, TGS, PRT); ${report.totalFailures} failed share accesses.`,
  ];
  const causes = CAUSES.filter((c) => report.failures.some((f) => f.cause === c));
  if (causes.length) lines.push('Causes:', ...table(causes.map((c) => [c, CAUSE_WORDS[c]] as const)));
  if (report.failures.length) {
    lines.push('First failures (re-run one: krbplay fleet ID --user NAME):');
    for (const f of report.failures.slice(0, 5))
      lines.push(`  ${f.user} at ${isoSeconds(f.t)}: ${f.what} failed (1326), ${f.cause}`);
  }
  return lines.join('\n') + '\n';
}

/** The progress line on a terminal (stderr), redrawn in place. */
function progressLine(): ((done: number, total: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  let shown = -1;
  return (done, total) => {
    const pct = Math.floor((done * 100) / total);
    if (pct === shown && done !== total) return;
    shown = pct;
    process.stderr.write(`\rfleet: ${done} of ${total} users (${pct}%)${done === total ? '\n' : ''}`);
  };
}

export const fleet = defineCommand({
  name: 'fleet',
  summary: 'Play a fleet of users over virtual days and count each hour.',
  description: `
Plays every user of a fleet (a preset id, or a fleet file: src/fleet/shape.ts) over its virtual days:
each user's sign-ins, locks, unlocks, share accesses and network changes are drawn from the fleet's
seed, and the fleet's changes (GPOs, dsregcmd /RefreshPrt) are rolled out as it says. Users are played
on the fast model of the Windows, CloudAP and Kerberos rules (no bytes); --real N plays the first N in
the real world (every message encoded and encrypted) — both count alike (a test compares them).

Per virtual hour: AS, TGS and MS-KKDCP requests, PRT requests, valid tickets held at the hour's end,
failed share accesses, and the users who could not reach the share by why.
--csv: one line per hour (hour,as,tgs,kkdcp,prt,held,failures,users_<cause>…).
--json: {"fleet","seed","clients","days","start","complete","hours":[{"t",…}],"totalFailures",
"failures":[{"index","user","t","what","cause"}]} (at most 10,000 failures listed).
--user NAME plays that one user in the real world and prints its whole run as \`scenario run\` does
(with --json, its events): byte for byte the same each time.

Exit status 0, 1 for a bad fleet file or an unknown preset, 2 for a usage error.`,
  positionals: [{ name: 'ID|FILE.json', required: true, help: 'a fleet preset id or a fleet file' }],
  options: {
    clients: {
      type: 'string',
      valueName: 'N',
      help: `how many users (1–${MAX_CLIENTS}; default the file's)`,
    },
    days: {
      type: 'string',
      valueName: 'D',
      help: `how many virtual days (1–${MAX_DAYS}; default the file's)`,
    },
    real: { type: 'string', valueName: 'N', help: 'play the first N users in the real world (default 0)' },
    user: {
      type: 'string',
      valueName: 'NAME',
      help: 'play one user (u00042) in the real world: its full run',
    },
    csv: { type: 'boolean', help: 'one CSV line per hour' },
    json: { type: 'boolean', help: 'print one JSON document' },
  },
  examples: [
    'krbplay fleet fleet-10h-cliff',
    'krbplay fleet fleet-4h-prt --clients 10000 --days 7 --csv > hours.csv',
    'krbplay fleet fleet-10h-cliff --user u00042 --days 2',
  ],
  run({ options, positionals }, io) {
    if (options.csv && options.json) throw new UsageError('--csv and --json: choose one');
    const f = loadFleet(positionals[0]!);
    const clients = count('clients', options.clients, 1, MAX_CLIENTS) ?? f.clients;
    const days = count('days', options.days, 1, MAX_DAYS) ?? f.days;
    if (options.user !== undefined) {
      const m = /^u(\d{5})$/.exec(options.user);
      const index = m ? Number(m[1]) - 1 : -1;
      if (index < 0 || index >= clients)
        throw new UsageError(
          `--user: '${options.user}' is not a user of this fleet (u00001 to ${userName(clients - 1)})`,
        );
      const run = runScenario(userScenario(f, fleetBase(f), index, days));
      io.stdout(options.json ? JSON.stringify(run.json) + '\n' : formatRun(run));
      return 0;
    }
    const real = count('real', options.real, 0, clients) ?? 0;
    const progress = progressLine();
    const report = runFleet(f, {
      clients,
      days,
      real: new Set(Array.from({ length: real }, (_, i) => i)),
      ...(progress ? { progress } : {}),
    });
    if (options.csv) io.stdout(fleetCsv(report));
    else if (options.json) io.stdout(JSON.stringify(fleetJson(report)) + '\n');
    else io.stdout(summary(report));
    return 0;
  },
});
