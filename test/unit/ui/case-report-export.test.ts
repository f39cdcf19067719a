// The Export menu's case report, made by the engine: the run up to the current step, the world of the
// failing step looked at and the player put back where it was, the menu's own files attached.
import { describe, expect, test } from 'vitest';
import { Engine } from '../../../src/ui/engine/engine';

describe('the case report in the Export menu', () => {
  test('clock-skew at its end: step 2 failing, klist at that moment, the player still at its end', () => {
    const engine = new Engine({ scope: 'test', script: 'case-report-export.test.ts' });
    const r = engine.load({ kind: 'catalogue', id: 'clock-skew' });
    if (!r.ok) throw new Error(r.problem.reason);
    const end = engine.goto(r.summary.steps.length);
    const file = engine.export('report-md');
    expect(file.name).toBe('clock-skew-case-report.md');
    expect(file.mime).toBe('text/markdown');
    expect(file.about).toMatch(
      /step 2 failing, with clock-skew\.pcapng, clock-skew\.keytab, kkdcp\.lua, smb2_seskey_list attached/,
    );
    const md = new TextDecoder().decode(file.bytes);
    expect(md).toMatch(/^## The failing step: 2\. /m);
    expect(md).toMatch(/KRB_AP_ERR_SKEW \(37\)/);
    // ws1's cache when the logon failed: empty (at the end, after the clock was fixed, it holds tickets)
    expect(md).toMatch(
      /`ws1> klist {3}\(at [^`]+\)`\n\n`{3}\n\nCurrent LogonId is [^\n]+\n\nCached Tickets: \(0\)/,
    );
    for (const name of ['clock-skew.pcapng', 'clock-skew.keytab', 'kkdcp.lua', 'smb2_seskey_list'])
      expect(md).toContain(`- [${name}](data:`);
    // the player is where it was, and its next summary is the same as before the report
    expect(engine.step).toBe(end.step);
    expect(engine.summary()).toEqual(end);

    const html = new TextDecoder().decode(engine.export('report-html').bytes);
    expect(html).toMatch(/^<!doctype html>/);
  });

  test('a run with no failing step: the report speaks of the current step', () => {
    const engine = new Engine({ scope: 'test', script: 'case-report-export.test.ts' });
    const r = engine.load({ kind: 'catalogue', id: 'kerberos-101' });
    if (!r.ok) throw new Error(r.problem.reason);
    engine.goto(1);
    const md = new TextDecoder().decode(engine.export('report-md').bytes);
    expect(md).toContain('the end of the run; no step failed');
    expect(md).not.toContain('## The failing step');
    expect(md).toMatch(/^1\. .* ok: /m);
    expect(md).not.toMatch(/^2\. /m);
  });
});
