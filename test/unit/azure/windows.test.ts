// The Windows device and Entra ID (src/azure), on the happy-path world: the PRT's 4-hour rule at exact
// virtual times, dsregcmd /RefreshPrt with unlock, the cloud-ticket GPO, cached logon with the DC down, the
// cloud TGT's bytes (a real ticket of the cloud realm's KDC), dsregcmd /status and klist as Windows prints them.
import { describe, expect, test } from 'vitest';
import { decodeEncTicketPart, decodeTicket } from '../../../src/asn1';
import {
  dsregcmdStatus,
  entraOf,
  klist,
  lock,
  logon,
  networkChange,
  prtRefreshReason,
  reboot,
  refreshPrt,
  setPolicy,
  unlock,
  windowsDevice,
  PRT_REFRESH_INTERVAL,
} from '../../../src/azure';
import { decrypt, KeyUsage } from '../../../src/crypto';
import { decodePac } from '../../../src/formats';
import { findPacIn } from '../../../src/protocol/authdata';
import { buildWorld, findScenario, type Scenario } from '../../../src/scenarios';
import { runOperation, type World } from '../../../src/world';
import { keyOf } from '../../../src/protocol/long-term-key';

const HOUR = 3_600_000;
const START = Date.parse('2026-03-02T08:00:00Z');
const PASSWORD = 'Contoso-Alice-2026!';
const CLOUD = 'KERBEROS.MICROSOFTONLINE.COM';

function world(policy = true): World {
  const s = structuredClone(findScenario('happy-path') as Scenario);
  s.clients[0]!.policies = { cloudKerberosTicketRetrieval: policy };
  return buildWorld(s);
}
const cache = (w: World) => w.client('ws1').cache;
const cloudTgt = (w: World) =>
  cache(w).credentials.find((c) => c.server.name.nameString.join('/') === `krbtgt/${CLOUD}`);
const prtRequests = (w: World, from = 0) => w.trace.filter((e) => e.seq > from && e.type === 'PRT-REQUEST');
const advanceTo = (w: World, t: number) => w.elapse(t - w.now);

describe('the PRT: issued at sign-in, refreshed at most every 4 hours, only at a sign-in', () => {
  test('the rule at exact times: 4h minus 1 ms after the update no refresh, at 4h a refresh', () => {
    const w = world();
    logon(w, 'ws1', PASSWORD);
    const ca = windowsDevice(w, 'ws1')!.cloudAp!;
    const updated = ca.prt!.updateTime;
    expect(updated).toBeGreaterThanOrEqual(START);
    expect(prtRefreshReason(ca, updated + PRT_REFRESH_INTERVAL - 1)).toBeUndefined();
    expect(prtRefreshReason(ca, updated + PRT_REFRESH_INTERVAL)).toMatch(/at least 4h/);
  });

  test('unlocks: at 11:59 nothing is asked of Entra; at 12:00:01 the PRT and the cloud TGT are new', () => {
    const w = world();
    logon(w, 'ws1', PASSWORD);
    const first = cloudTgt(w)!;
    const ca = windowsDevice(w, 'ws1')!.cloudAp!;
    advanceTo(w, ca.prt!.updateTime + PRT_REFRESH_INTERVAL - 60_000);
    lock(w, 'ws1');
    const mark = w.trace.length;
    expect(unlock(w, 'ws1', PASSWORD).output).toMatch(/PRT not refreshed/);
    expect(prtRequests(w, mark)).toHaveLength(0);
    advanceTo(w, START + 4 * HOUR + 1000);
    lock(w, 'ws1');
    expect(unlock(w, 'ws1', PASSWORD).output).toMatch(/PRT refreshed/);
    expect(prtRequests(w, mark)).toHaveLength(1);
    expect(cloudTgt(w)!.authtime).toBeGreaterThan(first.authtime);
    // a lock alone never asks
    const before = w.trace.length;
    lock(w, 'ws1');
    expect(prtRequests(w, before)).toHaveLength(0);
  });

  test('dsregcmd /RefreshPrt: the next unlock refreshes whatever the age, once', () => {
    const w = world();
    logon(w, 'ws1', PASSWORD);
    w.elapse(30 * 60_000);
    refreshPrt(w, 'ws1');
    lock(w, 'ws1');
    const mark = w.trace.length;
    expect(unlock(w, 'ws1', PASSWORD).output).toMatch(/PRT refreshed/);
    expect(prtRequests(w, mark)[0]!.result).toMatch(/dsregcmd \/RefreshPrt asked for it/);
    w.elapse(60_000);
    lock(w, 'ws1');
    expect(unlock(w, 'ws1', PASSWORD).output).toMatch(/PRT not refreshed/);
  });

  test('cloud TGTs are not renewed: after 10 hours the cache holds it expired, and no renewal is sent', () => {
    const w = world();
    logon(w, 'ws1', PASSWORD);
    const tgt = cloudTgt(w)!;
    expect(tgt.endtime - tgt.starttime).toBe(10 * HOUR);
    w.elapse(10 * HOUR + 60_000);
    expect(dsregcmdStatus(w, 'ws1')).toMatch(/ {22}CloudTgt : NO/);
    expect(w.trace.some((e) => e.type === 'TGS-REQ')).toBe(false);
  });
});

describe('the GPO "Allow retrieving the cloud kerberos ticket during the logon"', () => {
  test('off: the PRT comes without a cloud TGT, Kerberos gets no top-level names, the SPN goes home', () => {
    const w = world(false);
    logon(w, 'ws1', PASSWORD);
    expect(prtRequests(w)[0]!.result).not.toMatch(/tgt=true/);
    expect(cloudTgt(w)).toBeUndefined();
    expect(w.client('ws1').config.hostRealm).toBeUndefined();
    expect(dsregcmdStatus(w, 'ws1')).toMatch(
      /AzureAdPrt : YES[\s\S]*CloudTgt : NO\n\s+KerbTopLevelNames :\n$/,
    );
  });

  test('turned on later: nothing changes until a sign-in refreshes the PRT', () => {
    const w = world(false);
    logon(w, 'ws1', PASSWORD);
    setPolicy(w, 'ws1', 'cloud-kerberos-ticket-retrieval', true);
    expect(cloudTgt(w)).toBeUndefined();
    w.elapse(5 * HOUR);
    lock(w, 'ws1');
    unlock(w, 'ws1', PASSWORD);
    expect(cloudTgt(w)).toBeDefined();
    expect(w.client('ws1').config.hostRealm).toEqual({ '.windows.net': CLOUD });
  });
});

describe('logon without a DC: cached logon', () => {
  test('after an online logon: cached credentials, no on-prem TGT, the cloud TGT still comes', () => {
    const w = world();
    expect(logon(w, 'ws1', PASSWORD).ok).toBe(true);
    w.elapse(24 * HOUR);
    reboot(w, 'ws1');
    w.setLink('ws1', 'dc1', { up: false });
    const r = logon(w, 'ws1', PASSWORD);
    expect(r.ok).toBe(true);
    expect(r.output).toMatch(/signed in using cached account information/);
    expect(windowsDevice(w, 'ws1')!.logonKind).toBe('cached');
    expect(cache(w).credentials.map((c) => c.server.name.nameString.join('/'))).toEqual([`krbtgt/${CLOUD}`]);
    expect(dsregcmdStatus(w, 'ws1')).toMatch(/OnPremTgt : NO\n\s+CloudTgt : YES/);
    // the cloud realm's TGT serves the cifs SPN with no home TGT at all
    const t = runOperation(w, 'ws1', {
      kind: 'service-ticket',
      service: 'cifs/contosofiles.file.core.windows.net',
    });
    expect(t.ok && t.credential.server.realm).toBe(CLOUD);
  });

  test('a wrong password against the cached verifier: 1326; a user never seen online: 1311', () => {
    const w = world();
    logon(w, 'ws1', PASSWORD);
    reboot(w, 'ws1');
    w.setLink('ws1', 'dc1', { up: false });
    expect(logon(w, 'ws1', 'wrong')).toMatchObject({ ok: false, windowsError: 1326 });
    const fresh = world();
    fresh.setLink('ws1', 'dc1', { up: false });
    expect(logon(fresh, 'ws1', PASSWORD)).toMatchObject({ ok: false, windowsError: 1311 });
  });
});

describe('the cloud TGT is real Kerberos from the cloud realm', () => {
  test("its bytes decode and open with the cloud KDC's krbtgt key: alice, her SID in the PAC, 10 hours", () => {
    const w = world();
    logon(w, 'ws1', PASSWORD);
    const cred = cloudTgt(w)!;
    expect(cred.kdcCalled).toBe('TicketSuppliedAtLogon');
    const ticket = decodeTicket(cred.ticket);
    expect(ticket.realm).toBe(CLOUD);
    expect(ticket.sname.nameString).toEqual(['krbtgt', CLOUD]);
    expect(ticket.encPart.etype).toBe(18);
    const entra = entraOf(w)!;
    const krbtgt = w.kdc(entra.host).entries(`krbtgt/${CLOUD}@${CLOUD}`, CLOUD)[0]!;
    const key = krbtgt.keys.find((k) => k.etype === 18 && k.kvno === ticket.encPart.kvno)!;
    const part = decodeEncTicketPart(
      decrypt({ etype: 18, bytes: keyOf(key) }, KeyUsage.KDC_REP_TICKET, ticket.encPart.cipher),
    );
    expect(part.crealm).toBe('CORP.CONTOSO.COM');
    expect(part.cname.nameString).toEqual(['alice']);
    expect(Array.from(part.key.keyvalue)).toEqual(Array.from(cred.sessionKey.bytes));
    expect(part.endtime.getTime() - part.authtime.getTime()).toBe(10 * HOUR);
    const pac = decodePac(findPacIn(part.authorizationData)!);
    const logonInfo = pac.buffers.find((b) => b.type === 1) as unknown as { sids: { userSid: string } };
    expect(logonInfo.sids.userSid).toBe('S-1-5-21-2146773085-903363285-719344707-1104');
  });

  test('the PRT steps are modelled HTTPS events without bytes', () => {
    const w = world();
    logon(w, 'ws1', PASSWORD);
    const steps = w.trace.filter((e) => e.type.startsWith('PRT-'));
    expect(steps.map((e) => [e.type, e.transport, e.port, e.modelled, e.bytes])).toEqual([
      ['PRT-REQUEST', 'https', 443, true, undefined],
      ['PRT-RESPONSE', 'https', 443, true, undefined],
    ]);
    expect(steps[0]!.narration[0]!.text).toMatch(/^modelled: /);
  });
});

describe('what the console prints', () => {
  test('dsregcmd /status: the SSO State fields, right-aligned as dsregcmd does', () => {
    const w = world();
    logon(w, 'ws1', PASSWORD);
    const text = dsregcmdStatus(w, 'ws1');
    const prt = windowsDevice(w, 'ws1')!.cloudAp!.prt!;
    const when = (ms: number) =>
      new Date(ms)
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, '.000 UTC');
    for (const line of [
      '                 AzureAdJoined : YES',
      '                  DomainJoined : YES',
      '                    AzureAdPrt : YES',
      `          AzureAdPrtUpdateTime : ${when(prt.updateTime)}`,
      `          AzureAdPrtExpiryTime : ${when(prt.expiresAt)}`,
      '           AzureAdPrtAuthority : https://login.microsoftonline.com/3c4e9b1d-5a8f-4e2b-9d6c-1f0a7e8b2c4d',
      '                     OnPremTgt : YES',
      '                      CloudTgt : YES',
      '             KerbTopLevelNames : .windows.net',
    ])
      expect(text.split('\n')).toContain(line);
    expect(prt.expiresAt - prt.updateTime).toBe(14 * 24 * HOUR);
  });

  test('klist: the cloud TGT as Windows lists it, Kdc Called: TicketSuppliedAtLogon', () => {
    const w = world();
    logon(w, 'ws1', PASSWORD);
    expect(klist(w, 'ws1')).toMatch(
      /Server: krbtgt\/KERBEROS\.MICROSOFTONLINE\.COM @ KERBEROS\.MICROSOFTONLINE\.COM\n\tKerbTicket Encryption Type: AES-256-CTS-HMAC-SHA1-96[\s\S]*?Kdc Called: TicketSuppliedAtLogon/,
    );
  });

  test('a network change hides the KDC proxy from Kerberos; the KDC proxy GPO brings it back', () => {
    const w = world();
    logon(w, 'ws1', PASSWORD);
    expect(w.locatorFor('ws1', CLOUD)?.transport).toBe('kkdcp');
    networkChange(w, 'ws1');
    const spn = { kind: 'service-ticket' as const, service: 'cifs/contosofiles.file.core.windows.net' };
    const lost = runOperation(w, 'ws1', spn);
    expect(lost.ok).toBe(false);
    // ws1's own locator hides the cloud realm; DNS, and every other host, still find its KDC proxy
    expect(w.locatorFor('ws1', CLOUD)).toBeUndefined();
    expect(w.locator[CLOUD]).toBeDefined();
    setPolicy(w, 'ws1', 'kdc-proxy-servers', true);
    expect(runOperation(w, 'ws1', spn).ok).toBe(true);
  });
});
