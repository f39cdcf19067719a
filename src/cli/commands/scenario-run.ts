/**
 * `krbplay scenario run`: builds a scenario's world, plays its timeline on the virtual clock, checks its
 * expected outcomes. Contract: docs/cli.md.
 */
import { formatRun, parseUntil, runScenario } from '../../scenarios';
import { KKDCP_LUA, KKDCP_LUA_NAME } from '../../formats/pcap';
import { caseReportHtml, caseReportMarkdown, caseReportOfRun, type CaseAttachment } from '../../support';
import {
  exportKeytab,
  exportPcapng,
  exportSmbSessionKeys,
  formatSecurityLogs,
  securityLogsJson,
  securityLogsOf,
  type World,
} from '../../world';
import { KrbPlayInputError } from '../../util';
import { UsageError } from '../args';
import { defineCommand } from '../command';
import { loadScenario } from '../scenario-load';
import { writeOut } from './files';

/** What a case report attaches: the files --pcap, --keytab, --lua and --smb-keys write. */
function runAttachments(world: World, id: string): CaseAttachment[] {
  const text = (t: string) => new TextEncoder().encode(t);
  return [
    {
      name: `${id}.pcapng`,
      mime: 'application/vnd.tcpdump.pcap',
      bytes: exportPcapng(world),
      about: 'the run as a capture (Kerberos, the KDC proxy as HTTP, SMB2), for Wireshark or tshark',
    },
    {
      name: `${id}.keytab`,
      mime: 'application/octet-stream',
      bytes: exportKeytab(world),
      about: "the KDCs' keys: Wireshark decrypts the capture's tickets with them (kerberos.file)",
    },
    {
      name: KKDCP_LUA_NAME,
      mime: 'text/x-lua',
      bytes: text(KKDCP_LUA),
      about: "Wireshark's reader of the KDC proxy's bodies (tshark -X lua_script:kkdcp.lua)",
    },
    {
      name: 'smb2_seskey_list',
      mime: 'application/octet-stream',
      bytes: text(exportSmbSessionKeys(world)),
      about: "the SMB session keys, as Wireshark's smb2_seskey_list",
    },
  ];
}

export const scenarioRun = defineCommand({
  name: 'scenario run',
  summary: 'Run a scenario and check its outcomes.',
  description: `
Builds the world of a built-in scenario (ID, see krbplay scenario list) or of a scenario file, plays
its timeline on the virtual clock and checks its expected outcomes. Same scenario, same events.

Text: one line per event (virtual time, from -> to, transport, type, result; "[modelled]" where the
step models what is not public or not made byte for byte), then the final klist of each Windows client
and its dsregcmd /status (not shown without an Entra join), then the outcomes.
JSON: {"id":"…","start":"…","events":[EVENT…],"outcomes":[{"id":"…","description":"…","ok":true}]}.

--security-log adds each DC's Security log: the 4768/4769/4770/4771 events a Windows DC would write
for the exchanges it answered, one line each (in JSON, "securityLog":[{"dc","realms","events"}]).

--report FILE.html|FILE.md writes a case report for a support ticket: the timeline, the first failing
step with what the actors said, each client's klist and dsregcmd /status at that step's end, the DCs'
Security logs, the outcomes and the trace, with the capture, keytab, kkdcp.lua and SMB session keys
attached as data: links (the HTML needs nothing else and opens offline).

--until TIME|+DURATION stops the timeline: actions that would start later are not played, an advance
is cut short, and outcomes about what did not happen are "not reached" (they do not fail the run).
--pcap and --keytab write the run's Kerberos and SMB2 messages (pcapng) and the KDCs' keys (keytab),
for Wireshark or tshark; --lua writes kkdcp.lua (a Wireshark dissector for the KDC proxy's bodies) and
--smb-keys the SMB session keys (Wireshark's smb2_seskey_list), which open the SMB3 encryption:
  tshark -2 -r F.pcapng -X lua_script:kkdcp.lua -o kerberos.decrypt:TRUE -o kerberos.file:F.keytab
         -o smb2.verify_signatures:TRUE -o uat:smb2_seskey_list:LINE (each line of --smb-keys)

Exit status 0 when every outcome holds, 1 when one does not (named on stderr) or the scenario is bad
(the field and the reason), 2 for a usage error.`,
  positionals: [{ name: 'ID|FILE.json', required: true, help: 'a catalogue id or a scenario file' }],
  options: {
    json: { type: 'boolean', help: 'print one JSON document' },
    until: { type: 'string', valueName: 'TIME|+DURATION', help: 'stop the timeline at this virtual time' },
    pcap: { type: 'string', valueName: 'F', help: 'write the run as a pcapng capture' },
    keytab: { type: 'string', valueName: 'F', help: "write the KDCs' keys as a keytab" },
    lua: { type: 'string', valueName: 'F', help: "write kkdcp.lua, Wireshark's reader of KDC proxy bodies" },
    'smb-keys': { type: 'string', valueName: 'F', help: 'write the SMB session keys (smb2_seskey_list)' },
    report: {
      type: 'string',
      valueName: 'FILE.html|FILE.md',
      help: 'write a case report: timeline, failing step, klist, dsregcmd, Security log, exports attached',
    },
    'security-log': {
      type: 'boolean',
      help: "print each DC's Security log (4768, 4769, 4770, 4771) after the run",
    },
  },
  examples: [
    'krbplay scenario run trust-referral',
    'krbplay scenario run clock-skew --json',
    'krbplay scenario run kerberos-101 --until +1s',
    'krbplay scenario run kerberos-101 --security-log',
    'krbplay scenario run tgt-expiry-10h --report case.html',
    'krbplay scenario run my-scenario.json --pcap run.pcapng --keytab run.keytab',
    'krbplay scenario run happy-path --pcap run.pcapng --keytab run.keytab --lua kkdcp.lua --smb-keys smb2_seskey_list',
  ],
  run({ options, positionals }, io) {
    const scenario = loadScenario(positionals[0]!);
    if (!scenario.available) {
      throw new KrbPlayInputError(`scenario '${scenario.id}' is not available yet: ${scenario.reason}`);
    }
    let until: number | undefined;
    if (options.until !== undefined) {
      until = parseUntil(options.until, scenario);
      if (until === undefined) {
        throw new UsageError(
          `--until: '${options.until}' is neither an ISO-8601 UTC time (2026-03-02T09:00:00Z) nor +DURATION (+4h, +10h5m)`,
        );
      }
    }
    const report = options.report;
    if (report !== undefined && !/\.(html|md)$/i.test(report))
      throw new UsageError(`--report: '${report}' must end in .html or .md (the report's format)`);
    const run = runScenario(scenario, until !== undefined ? { until } : {});
    if (report) {
      const r = caseReportOfRun(run, runAttachments(run.world, scenario.id), until);
      const text = /\.html$/i.test(report) ? caseReportHtml(r) : caseReportMarkdown(r);
      writeOut(report, new TextEncoder().encode(text), 'case report');
    }
    if (options.pcap) writeOut(options.pcap, exportPcapng(run.world), 'capture');
    if (options.keytab) writeOut(options.keytab, exportKeytab(run.world), 'keytab');
    if (options.lua) writeOut(options.lua, new TextEncoder().encode(KKDCP_LUA), 'Lua dissector');
    const smbKeys = options['smb-keys'];
    if (smbKeys)
      writeOut(smbKeys, new TextEncoder().encode(exportSmbSessionKeys(run.world)), 'SMB session keys');
    const logs = options['security-log'] ? securityLogsOf(run.world.kdcs) : undefined;
    if (options.json)
      io.stdout(
        JSON.stringify(logs ? { ...run.json, securityLog: securityLogsJson(logs) } : run.json) + '\n',
      );
    else {
      io.stdout(formatRun(run));
      if (logs) io.stdout(formatSecurityLogs(logs));
      if (options.pcap) io.stdout(`Wrote the capture to ${options.pcap}.\n`);
      if (options.keytab) io.stdout(`Wrote the keytab to ${options.keytab}.\n`);
      if (options.lua) io.stdout(`Wrote the KDC proxy dissector to ${options.lua}.\n`);
      if (smbKeys) io.stdout(`Wrote the SMB session keys to ${smbKeys}.\n`);
      if (report) io.stdout(`Wrote the case report to ${report}.\n`);
    }
    const failed = run.outcomes.filter((o) => o.reached && !o.ok);
    if (failed.length > 0) {
      io.stderr(
        `krbplay scenario run: ${failed.length} of ${run.outcomes.length} outcomes do not hold: ${failed
          .map((o) => `${o.id} (${o.detail ?? 'does not hold'})`)
          .join('; ')}\n`,
      );
      return 1;
    }
    return 0;
  },
});
