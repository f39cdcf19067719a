// The case report: the run's timeline, the first failing step with what the actors said and the world as it
// was at that step's end (klist, dsregcmd, the Security log), the exports attached as data: links that
// decode to the same bytes, and nothing the HTML would fetch.
import { describe, expect, test } from 'vitest';
import { findScenario, runScenario, type Scenario } from '../../../src/scenarios';
import {
  base64,
  caseReportHtml,
  caseReportMarkdown,
  caseReportOfRun,
  type CaseAttachment,
} from '../../../src/support';
import { exportPcapng } from '../../../src/world';

const clockSkew = findScenario('clock-skew') as Scenario;
const run = runScenario(clockSkew);
const attachments: CaseAttachment[] = [
  {
    name: 'clock-skew.pcapng',
    mime: 'application/vnd.tcpdump.pcap',
    bytes: exportPcapng(run.world),
    about: 'the capture',
  },
  {
    name: 'three.bin',
    mime: 'application/octet-stream',
    bytes: new Uint8Array([0xff, 0x00, 0x7f]),
    about: '<b>&',
  },
];
const report = caseReportOfRun(run, attachments);

/** Every data: link of the HTML, by the attachment's name, decoded. */
function attachedIn(html: string): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const m of html.matchAll(/href="data:[^;"]+;base64,([A-Za-z0-9+/=]*)" data-attachment="([^"]+)"/g))
    out.set(m[2]!, new Uint8Array(Buffer.from(m[1]!, 'base64')));
  return out;
}

describe('the case report', () => {
  test('the timeline, and the first failing step with the KDC saying why', () => {
    expect(report.steps.map((s) => s.ok)).toEqual(run.actions.map((a) => a.ok));
    const first = run.actions.findIndex((a) => !a.ok);
    expect(first).toBeGreaterThan(-1);
    expect(first).toBeLessThan(run.actions.length - 1);
    expect(report.failing?.index).toBe(first + 1);
    const said = report.explanation.flatMap((x) => [x.line, ...x.narration]).join('\n');
    expect(said).toMatch(/KRB_AP_ERR_SKEW \(37\)/);
    expect(report.explanation.some((x) => x.narration.some((n) => n.startsWith('✗ KDC ')))).toBe(true);
  });

  test('the state at the failing step, not at the end: the later steps are not in its trace', () => {
    const failing = report.failing!;
    expect(report.at).toBeLessThan(run.world.now);
    expect(report.trace.length).toBe(run.world.trace.filter((e) => e.seq <= failing.toSeq).length);
    expect(report.trace.length).toBeLessThan(run.world.trace.length);
    expect(report.consoles.map((c) => c.command.split('   ')[0])).toEqual([
      'ws1> klist',
      'ws1> dsregcmd /status',
    ]);
    expect(report.consoles[0]!.text).toMatch(/Cached Tickets: \(0\)/);
    const dc1 = report.securityLog.find((d) => d.host === 'dc1')!;
    expect(dc1.events.every((e) => e.at <= report.at)).toBe(true);
  });

  test('HTML: one file, inline CSS, no script and nothing fetched; attachments decode to their bytes', () => {
    const html = caseReportHtml(report);
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<style>');
    expect(html).not.toMatch(/<script|<link|<img|<iframe|\bsrc=/i);
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!);
    expect(hrefs.length).toBe(attachments.length);
    expect(hrefs.every((h) => h.startsWith('data:'))).toBe(true);
    const got = attachedIn(html);
    for (const a of attachments) expect(got.get(a.name)).toEqual(a.bytes);
    expect(html).toContain('&lt;b&gt;&amp;');
    expect(html).toContain('id="failing"');
    expect(html).toMatch(/4768 Audit Failure Account Name: alice; .*Result Code: 0x25/);
  });

  test('Markdown: the same sections, the attachments as data: links', () => {
    const md = caseReportMarkdown(report);
    for (const h of [
      '## Timeline',
      '## The failing step: ',
      '## The clients at that moment',
      '## Security log',
      '## Outcomes',
      '## Trace',
      '## Attachments',
    ])
      expect(md).toContain(h);
    expect(md).toContain(`- [three.bin](data:application/octet-stream;base64,/wB/) (3 bytes)`);
  });

  test('base64 is RFC 4648 for every length mod 3', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 255]) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + 11) & 0xff);
      expect(base64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    }
  });
});
