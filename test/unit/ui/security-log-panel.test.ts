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

  test("an event's details as the XML holds them: the System block, then EventData in Windows' order", () => {
    engine.goto(steps);
    const e = events(engine.securityLog()).find((x) => x.id === 4768)!;
    const d = securityEventDetails(e, 'dc1');
    expect(d.title).toBe('A Kerberos authentication ticket (TGT) was requested.');
    expect(d.system).toEqual([
      ['Provider', 'Microsoft-Windows-Security-Auditing'],
      ['EventID', '4768'],
      ['Version', '0'],
      ['Level', '0'],
      ['Task', '14339'],
      ['Opcode', '0'],
      ['Keywords', '0x8020000000000000'],
      ['TimeCreated', new Date(e.at).toISOString()],
      ['Channel', 'Security'],
      ['Computer', 'dc1'],
    ]);
    // 4768: the account, the service, then the ticket's options, status, enctype and pre-auth, then the address
    expect(d.eventData.map(([k]) => k).join(' ')).toBe(
      'TargetUserName TargetDomainName ServiceName TicketOptions Status TicketEncryptionType PreAuthType IpAddress IpPort',
    );
    expect(d.eventData).toContainEqual(['Status', '0x0']);
  });

  test('4769 is a Service Ticket Operations task with its Status after the address; 4771 an audit failure', () => {
    engine.goto(steps);
    const tgs = securityEventDetails(
      events(engine.securityLog()).find((x) => x.id === 4769)!,
      'dc1',
    );
    expect(tgs.system).toContainEqual(['Task', '14337']);
    expect(tgs.eventData.map(([k]) => k).join(' ')).toBe(
      'ServiceName TicketOptions TicketEncryptionType IpAddress IpPort Status TransmittedServices',
    );
    const s = JSON.parse(engine.source('kerberos-101')) as { clients: { password: string }[] };
    s.clients[0]!.password = 'not-the-password';
    const r = engine.load({ kind: 'json', text: JSON.stringify(s) });
    if (!r.ok) throw new Error(r.problem.reason);
    engine.goto(r.summary.steps.length);
    const failed = securityEventDetails(
      events(engine.securityLog()).find((x) => x.id === 4771)!,
      'dc1',
    );
    expect(failed.system).toContainEqual(['Keywords', '0x8010000000000000']);
    expect(failed.system).toContainEqual(['Task', '14339']);
    expect(failed.eventData.map(([k]) => k).join(' ')).toBe(
      'TargetUserName ServiceName TicketOptions Status PreAuthType IpAddress IpPort',
    );
    engine.load({ kind: 'catalogue', id: 'kerberos-101' });
  });

  test('4770, a renewal: the members Windows writes for it, no Status and no TransmittedServices', () => {
    const renewed = securityEventDetails(
      {
        id: 4770,
        at: 0,
        keyword: 'Audit Success',
        fields: [
          ['Service Name', 'krbtgt/CORP.CONTOSO.COM'],
          ['Client Address', '::ffff:10.0.0.10'],
          ['Client Port', '0'],
          ['Ticket Options', '0x40810002'],
          ['Ticket Encryption Type', '0x12'],
          ['Transited Services', '-'],
        ],
      },
      'dc1',
    );
    expect(renewed.system).toContainEqual(['Task', '14337']);
    expect(renewed.eventData.map(([k]) => k).join(' ')).toBe(
      'ServiceName TicketOptions TicketEncryptionType IpAddress IpPort',
    );
  });
});
