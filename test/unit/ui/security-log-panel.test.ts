// The Security log panel's model: the engine's log at the current step (it follows the clock), read newest
// first, narrowed by event id, by result and by search; each event's details as Event Viewer lays them out.
import { beforeAll, describe, expect, test } from 'vitest';
import { Engine } from '../../../src/ui/engine/engine';
import type { SecurityLogView } from '../../../src/ui/engine/protocol';
import { NO_FILTER, securityLogCounts, securityLogRows } from '../../../src/ui/lib/security-log';
import { securityEventDetails } from '../../../src/world';

let engine: Engine;
let steps: number;

beforeAll(() => {
  engine = new Engine({ scope: 'test', script: 'security-log-panel.test.ts' });
  const r = engine.load({ kind: 'catalogue', id: 'kerberos-101' });
  if (!r.ok) throw new Error(r.problem.reason);
  steps = r.summary.steps.length;
});

const events = (v: SecurityLogView) => v.dcs.find((d) => d.realms.includes('CORP.CONTOSO.COM'))!.events;

describe('the Security log panel', () => {
  test('follows the clock: nothing before the first step, more at the end, the same again after a step back', () => {
    engine.goto(0);
    const atStart = events(engine.securityLog());
    engine.goto(steps);
    const atEnd = events(engine.securityLog());
    engine.goto(1);
    const afterOne = events(engine.securityLog());
    expect(atStart).toEqual([]);
    expect(afterOne.length).toBeGreaterThan(0);
    expect(atEnd.length).toBeGreaterThan(afterOne.length);
    expect(atEnd.slice(0, afterOne.length)).toEqual(afterOne);
  });

  test('rows are newest first; filters by id and result; the search needs every word, in any case', () => {
    engine.goto(steps);
    const log = events(engine.securityLog());
    const all = securityLogRows(log, NO_FILTER);
    expect(all.map((r) => r.index)).toEqual(log.map((_, i) => i).reverse());
    const tgts = securityLogRows(log, { ...NO_FILTER, id: 4768 });
    expect(tgts.length).toBe(securityLogCounts(log)[4768]);
    expect(tgts.length).toBeGreaterThan(0);
    expect(tgts.every((r) => r.event.id === 4768 && r.subject === 'alice' && r.code === '0x0')).toBe(true);
    expect(securityLogRows(log, { ...NO_FILTER, result: 'failure' })).toEqual([]);
    expect(securityLogRows(log, { ...NO_FILTER, result: 'success' }).length).toBe(log.length);
    const cifs = securityLogRows(log, { ...NO_FILTER, query: 'CIFS/FS1 4769' });
    expect(cifs.length).toBeGreaterThan(0);
    expect(cifs.every((r) => r.event.id === 4769 && r.subject.startsWith('cifs/fs1'))).toBe(true);
    expect(securityLogRows(log, { ...NO_FILTER, query: 'cifs 4768' })).toEqual([]);
  });

  test("a wrong password: the panel's failure filter finds the 4771 with 0x18", () => {
    const source = engine.source('kerberos-101');
    const s = JSON.parse(source) as { clients: { password: string }[] };
    s.clients[0]!.password = 'not-the-password';
    const r = engine.load({ kind: 'json', text: JSON.stringify(s) });
    if (!r.ok) throw new Error(r.problem.reason);
    engine.goto(r.summary.steps.length);
    const failures = securityLogRows(events(engine.securityLog()), { ...NO_FILTER, result: 'failure' });
    expect(failures[0]).toMatchObject({ subject: 'alice', code: '0x18', event: { id: 4771 } });
    engine.load({ kind: 'catalogue', id: 'kerberos-101' });
  });

  test("an event's details: the System block, then its fields under their EventData names", () => {
    engine.goto(steps);
    const e = events(engine.securityLog()).find((x) => x.id === 4768)!;
    const d = securityEventDetails(e, 'dc1');
    expect(d.title).toBe('A Kerberos authentication ticket (TGT) was requested.');
    expect(d.system).toContainEqual(['EventID', '4768']);
    expect(d.system).toContainEqual(['Task Category', 'Kerberos Authentication Service']);
    expect(d.system).toContainEqual(['Computer', 'dc1']);
    expect(d.system).toContainEqual(['TimeCreated', new Date(e.at).toISOString()]);
    expect(d.eventData.map(([k]) => k)).toEqual([
      'TargetUserName',
      'TargetDomainName',
      'ServiceName',
      'IpAddress',
      'IpPort',
      'TicketOptions',
      'Status',
      'TicketEncryptionType',
      'PreAuthType',
    ]);
    expect(d.eventData).toContainEqual(['Status', '0x0']);
  });
});
