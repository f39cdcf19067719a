// One Windows host, whatever its join: a domain-joined workstation keeps its logon session, the password
// the LSA holds, its GPO mapping and its mapped drives in its own state in the world, as an Entra or
// hybrid device does (windows.test.ts), and its console commands run through the same functions.
import { describe, expect, test } from 'vitest';
import {
  applyHostRealmGpo,
  klistGet,
  klistPurge,
  logon,
  netUse,
  passwordChanged,
  windowsDevice,
  windowsHost,
} from '../../../src/azure';
import { buildWorld, findScenario, type Scenario } from '../../../src/scenarios';

const PASSWORD = 'Contoso-Alice-2026!';
const domainJoined = () => buildWorld(findScenario('kerberos-101') as Scenario);

describe('a domain-joined Windows host', () => {
  test('its Windows state: AD only, no CloudAP; signed out until a logon, then active', () => {
    const w = domainJoined();
    const ws1 = windowsHost(w, 'ws1');
    expect(ws1).toMatchObject({ join: 'ad', user: 'alice@CORP.CONTOSO.COM', session: 'signed-out' });
    expect(windowsDevice(w, 'ws1')).toBeUndefined();
    expect(logon(w, 'ws1')).toMatchObject({ ok: true, realm: 'CORP.CONTOSO.COM' });
    expect(windowsHost(w, 'ws1').session).toBe('active');
  });

  test('a wrong password: 1326 on the console, and the LSA keeps the password it held', () => {
    const w = domainJoined();
    const r = logon(w, 'ws1', 'not-her-password');
    expect(r).toMatchObject({ ok: false, windowsError: 1326, errorCode: 24 });
    const failed = w.trace.at(-1)!;
    expect(failed.type).toBe('logon failed');
    expect(w.noteOf(failed.seq)?.windowsError).toBe(1326);
    expect(windowsHost(w, 'ws1')).toMatchObject({ session: 'signed-out', password: PASSWORD });
  });

  test('klist purge prints what Windows klist prints: the LogonId, then the two lines, and no count', () => {
    const w = domainJoined();
    logon(w, 'ws1');
    const logonId = windowsHost(w, 'ws1').logonId!;
    const expected = `Current LogonId is ${logonId}\n\tDeleting all tickets:\n\tTicket(s) purged!`;
    expect(klistPurge(w, 'ws1')).toEqual({ ok: true, output: expected });
    expect(w.trace.at(-1)!.result).toBe(expected);
    expect(w.client('ws1').cache.credentials).toEqual([]);
  });

  test('after klist purge, klist get signs in again with the password the LSA holds — a changed one', () => {
    const w = domainJoined();
    logon(w, 'ws1');
    klistPurge(w, 'ws1');
    passwordChanged(w, 'alice@CORP.CONTOSO.COM', 'a-new-one');
    expect(windowsHost(w, 'ws1').password).toBe('a-new-one');
    // the KDC still has the old keys: the LSA's new password is refused, so no TGT and no ticket
    const before = w.trace.length;
    expect(klistGet(w, 'ws1', 'cifs/fs1.corp.contoso.com').ok).toBe(false);
    const lines = w.trace.slice(before);
    expect(lines.some((e) => e.type === 'lsa' && /signs in again/.test(e.result))).toBe(true);
    expect(lines.some((e) => e.type === 'KRB-ERROR' && e.errorCode === 24)).toBe(true);
  });

  test('net use Z: maps the drive in the host state; a GPO mapping lands in the Kerberos client', () => {
    const w = domainJoined();
    logon(w, 'ws1');
    expect(netUse(w, 'ws1', '\\\\fs1.corp.contoso.com\\share', 'z:').ok).toBe(true);
    expect(windowsHost(w, 'ws1').drives).toEqual({ 'Z:': '\\\\fs1.corp.contoso.com\\share' });
    applyHostRealmGpo(w, 'ws1', { '.fabrikam.com': 'FABRIKAM.COM' });
    expect(windowsHost(w, 'ws1').policy.hostRealm).toEqual({ '.fabrikam.com': 'FABRIKAM.COM' });
    expect(w.client('ws1').config.hostRealm).toEqual({ '.fabrikam.com': 'FABRIKAM.COM' });
  });
});
