// The DC's Security log: the events a Windows KDC writes for each exchange, with their fields and codes.
import { describe, expect, test } from 'vitest';
import { runScenario, validateScenario, type Scenario } from '../../../src/scenarios';
import { SECURITY_LOG_MAX } from '../../../src/world/kdc-admin';
import { runOperation } from '../../../src/world/flows';
import { securityEventDetails, securityEventText, type SecurityEvent } from '../../../src/world/security-log';
import kerberos101 from '../../../src/scenarios/catalogue/kerberos-101.json';

type Json = typeof kerberos101;

function scenario(change: (s: Json) => void = () => {}): Scenario {
  const s = structuredClone(kerberos101);
  change(s);
  return validateScenario(s) as Scenario;
}

function logOf(s: Scenario): readonly SecurityEvent[] {
  const run = runScenario(s);
  const dc = run.world.kdcsServing('CORP.CONTOSO.COM')[0]!;
  return dc.securityLog;
}

const field = (e: SecurityEvent, name: string) => e.fields.find(([k]) => k === name)?.[1];

describe('the DC Security log', () => {
  test('kerberos-101: one 4768 for the TGT, then 4769 for the file server, all successes', () => {
    const log = logOf(scenario());
    expect(log.map((e) => e.id)[0]).toBe(4768);
    const tgt = log[0]!;
    expect(tgt.keyword).toBe('Audit Success');
    expect(field(tgt, 'Account Name')).toBe('alice');
    expect(field(tgt, 'Supplied Realm Name')).toBe('CORP.CONTOSO.COM');
    expect(field(tgt, 'Service Name')).toBe('krbtgt/CORP.CONTOSO.COM');
    expect(field(tgt, 'Result Code')).toBe('0x0');
    expect(field(tgt, 'Ticket Encryption Type')).toBe('0x12');
    expect(field(tgt, 'Pre-Authentication Type')).toBe('2');
    expect(field(tgt, 'Client Address')).toMatch(/^::ffff:\d+\.\d+\.\d+\.\d+$/);
    expect(field(tgt, 'Ticket Options')).toMatch(/^0x[0-9A-F]+$/);
    const cifs = log.find((e) => e.id === 4769 && field(e, 'Service Name') === 'cifs/fs1.corp.contoso.com');
    expect(cifs).toBeDefined();
    expect(field(cifs!, 'Failure Code')).toBe('0x0');
    // the first AS-REQ's KDC_ERR_PREAUTH_REQUIRED is part of every logon and is not written
    expect(log.some((e) => e.keyword === 'Audit Failure')).toBe(false);
  });

  test('a wrong password: 4771 with Failure Code 0x18, not a 4768', () => {
    const log = logOf(
      scenario((s) => {
        s.clients[0]!.password = 'not-the-password';
      }),
    );
    const failed = log.filter((e) => e.id === 4771);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed[0]!.keyword).toBe('Audit Failure');
    expect(field(failed[0]!, 'Failure Code')).toBe('0x18');
    expect(field(failed[0]!, 'Pre-Authentication Type')).toBe('2');
    expect(log.some((e) => e.id === 4768 && e.keyword === 'Audit Success')).toBe(false);
    expect(securityEventText(failed[0]!)).toContain('4771 Audit Failure Account Name: alice');
  });

  test('an unknown user: 4768 failure with Result Code 0x6', () => {
    const log = logOf(
      scenario((s) => {
        s.clients[0]!.user = 'nobody@CORP.CONTOSO.COM';
      }),
    );
    const tgt = log.find((e) => e.id === 4768);
    expect(tgt?.keyword).toBe('Audit Failure');
    expect(field(tgt!, 'Result Code')).toBe('0x6');
    expect(field(tgt!, 'Ticket Encryption Type')).toBe('0xFFFFFFFF');
  });

  test('the log is plain data in the world: a snapshot carries it', () => {
    const run = runScenario(scenario());
    const copy = structuredClone(run.world.snapshot());
    const dc = copy.kdcs.find((k) => k.securityLog?.length);
    expect(dc?.securityLog?.map((e) => e.id)).toEqual(
      run.world.kdcsServing('CORP.CONTOSO.COM')[0]!.securityLog.map((e) => e.id),
    );
  });

  test('the log is bounded: past SECURITY_LOG_MAX events the oldest go, as a log that overwrites as needed', () => {
    const run = runScenario(scenario());
    const dc = run.world.kdcsServing('CORP.CONTOSO.COM')[0]!;
    const first = dc.securityLog[0]!;
    const written = dc.securityLog.length;
    for (let i = 0; i < SECURITY_LOG_MAX; i++) dc.audit({ ...first, fields: [['Account Name', `u${i}`]] });
    expect(dc.securityLog.length).toBe(SECURITY_LOG_MAX);
    // the run's own events were the oldest: all gone, the newest kept in order
    expect(dc.securityLog.slice(0, written).map((e) => field(e, 'Account Name'))).toEqual(
      Array.from({ length: written }, (_, i) => `u${i}`),
    );
    expect(field(dc.securityLog.at(-1)!, 'Account Name')).toBe(`u${SECURITY_LOG_MAX - 1}`);
  });

  test('a renewal the KDC refuses: a 4769 failure with its Status (0xD, KDC_ERR_BADOPTION), not a 4770', () => {
    const run = runScenario(scenario());
    const dc = run.world.kdc(run.world.kdcsServing('CORP.CONTOSO.COM')[0]!.host);
    dc.refuseRenewals('CORP.CONTOSO.COM', 'this realm renews nothing');
    const before = dc.securityLog.length;
    expect(runOperation(run.world, 'ws1', { kind: 'renew' }).ok).toBe(false);
    const written = dc.securityLog.slice(before);
    expect(written.map((e) => e.id)).toEqual([4769]);
    const failed = written[0]!;
    expect(failed.keyword).toBe('Audit Failure');
    expect(field(failed, 'Service Name')).toBe('krbtgt/CORP.CONTOSO.COM');
    expect(field(failed, 'Failure Code')).toBe('0xD');
    const xml = securityEventDetails(failed, 'dc1');
    expect(xml.system).toContainEqual(['Keywords', '0x8010000000000000']);
    expect(xml.eventData).toContainEqual(['Status', '0xD']);
    expect(securityEventText(failed)).toContain('Failure Code: 0xD');
  });
});
