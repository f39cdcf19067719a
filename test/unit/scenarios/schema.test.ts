// The scenario schema's validator: every bad field is named with the reason, whatever the input, and a
// good file comes back with its defaults filled in.
import { describe, expect, test } from 'vitest';
import {
  ACTION_KINDS,
  DEFAULT_START,
  parseScenarioJson,
  runScenario,
  ScenarioError,
  validateScenario,
  type Scenario,
} from '../../../src/scenarios';
import kerberos101 from '../../../src/scenarios/catalogue/kerberos-101.json';
import trustReferral from '../../../src/scenarios/catalogue/trust-referral.json';

type Json = Record<string, unknown>;
const base = (): Json => structuredClone(kerberos101) as Json;
const hybrid = (): Json => structuredClone(trustReferral) as Json;
/** kdc.realms[0].principals[0] of a scenario (alice in kerberos-101). */
const alice = (s: Json): Json => (((s.kdc as Json).realms as Json[])[0]!.principals as Json[])[0] as Json;

function errorOf(value: unknown): ScenarioError {
  try {
    validateScenario(value);
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return e as ScenarioError;
  }
  throw new Error('the scenario was accepted');
}

describe('a good scenario', () => {
  test('validates, with the defaults filled in (start, seed, locator over TCP, latency)', () => {
    const s = base();
    delete s.start;
    delete s.seed;
    const v = validateScenario(s) as Scenario;
    expect(v.available).toBe(true);
    expect(v.start).toBe(DEFAULT_START);
    expect(v.start).toBe('2026-03-02T08:00:00Z');
    expect(v.seed).toBe(1);
    expect(v.locator).toEqual({ 'CORP.CONTOSO.COM': { host: 'dc1', transport: 'tcp' } });
    expect(v.timeline.map((a) => a.do)).toEqual(['logon', 'net-use']);
  });

  test('a principal may ask for up to 2^24 - 1 PBKDF2 iterations (only validated here, not derived)', () => {
    const s = base();
    alice(s).iterations = 16777215;
    const v = validateScenario(s) as Scenario;
    expect(v.kdc.realms[0]!.principals![0]!.iterations).toBe(16777215);
  });

  test('an unavailable scenario needs only its header and a reason', () => {
    const v = validateScenario({
      id: 'happy-path',
      title: 't',
      summary: 's',
      teaches: 'x',
      available: false,
      reason: 'needs the PRT',
    });
    expect(v).toEqual({
      id: 'happy-path',
      title: 't',
      summary: 's',
      teaches: 'x',
      available: false,
      reason: 'needs the PRT',
    });
  });
});

describe('bad JSON and bad shapes never crash: one ScenarioError naming the place', () => {
  test.each([
    ['not JSON', '{"id": ', /^\(file\): not valid JSON: /],
    ['a list', '[]', /^\(top\): must be an object, not a list$/],
    ['null', 'null', /^\(top\): must be an object, not null$/],
    ['a number', '42', /^\(top\): must be an object, not number 42$/],
    ['an empty object', '{}', /^id: is missing$/],
  ])('%s', (_what, text, message) => {
    let err: unknown;
    try {
      parseScenarioJson(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ScenarioError);
    expect((err as Error).message).toMatch(message);
  });

  test('random mutations of a good file: only ScenarioErrors, never anything else', () => {
    const values = [null, 0, -1, 1.5, '', 'x', [], {}, true, '\\\\', 'ws9', 99999];
    const paths: string[][] = [];
    const walk = (v: unknown, path: string[]) => {
      if (path.length > 0) paths.push(path);
      if (v && typeof v === 'object') for (const [k, c] of Object.entries(v)) walk(c, [...path, k]);
    };
    walk(base(), []);
    let seen = 0;
    for (const path of paths) {
      for (const value of values) {
        const s = base();
        let o: Record<string, unknown> = s;
        for (const k of path.slice(0, -1)) o = o[k] as Record<string, unknown>;
        o[path.at(-1)!] = value;
        try {
          validateScenario(s);
        } catch (e) {
          expect(e).toBeInstanceOf(ScenarioError);
          seen++;
        }
      }
    }
    expect(seen).toBeGreaterThan(paths.length * 4);
  });
});

describe('each bad field is named, with the reason', () => {
  const cases: [string, (s: Json) => void, string][] = [
    [
      'id with capitals',
      (s) => (s.id = 'Clock_Skew'),
      'id: "Clock_Skew" must be lowercase letters, digits and dashes ("clock-skew")',
    ],
    ['no title', (s) => delete s.title, 'title: is missing'],
    ['teaches not a string', (s) => (s.teaches = 3), 'teaches: must be a non-empty string, not number 3'],
    ['unavailable without a reason', (s) => (s.available = false), 'reason: is missing'],
    [
      'start not ISO',
      (s) => (s.start = 'Monday 8am'),
      'start: "Monday 8am" is not an ISO-8601 UTC time like 2026-03-02T08:00:00Z',
    ],
    ['seed negative', (s) => (s.seed = -1), 'seed: must be at least 0, not -1'],
    [
      'a principal asking for 2^24 PBKDF2 iterations (refused as MIT krb5 refuses it)',
      (s) => (alice(s).iterations = 16777216),
      'kdc.realms[0].principals[0].iterations: 16777216 PBKDF2 iterations are too many: the most is 16777215 ' +
        '(2^24 - 1), as in MIT krb5, which refuses more as "Invalid key generation parameters"; so many would ' +
        'take minutes (real KDCs use 4096 with AES-SHA1, 32768 with AES-SHA2)',
    ],
    [
      'an iteration count that is not a whole number',
      (s) => (alice(s).iterations = 'many'),
      'kdc.realms[0].principals[0].iterations: must be a number, not the string "many"',
    ],
    [
      'an iteration count of 0',
      (s) => (alice(s).iterations = 0),
      'kdc.realms[0].principals[0].iterations: must be at least 1, not 0',
    ],
    [
      'a typo in a top-level field',
      (s) => (s.timelines = []),
      'timelines: unknown field (known here: id, title, summary, teaches, available, reason, start, seed, hosts, kdc, kdcs, locator, network, services, clients, entra, timeline, outcomes)',
    ],
    [
      'a field in the wrong case',
      (s) => ((s.hosts as Json[])[0]!.ClockOffset = '+1m'),
      'hosts[0].ClockOffset: unknown field (did you mean "clockOffset"?)',
    ],
    ['no hosts', (s) => (s.hosts = []), 'hosts: must not be empty'],
    [
      'a host listed twice',
      (s) => ((s.hosts as Json[])[1]!.id = 'ws1'),
      'hosts[1].id: host "ws1" is listed twice',
    ],
    [
      'a bad clock offset',
      (s) => ((s.hosts as Json[])[0]!.clockOffset = 'six minutes'),
      'hosts[0].clockOffset: the string "six minutes" is not a clock offset (write it like "+6m", "-30s" or 0)',
    ],
    [
      'a KDC on an unknown host',
      (s) => ((s.kdcs as Json[])[0]!.host = 'dc9'),
      'kdcs[0].host: there is no host "dc9" (hosts: ws1, dc1, fs1, linux1)',
    ],
    [
      'a KDC for an unknown realm',
      (s) => ((s.kdcs as Json[])[0]!.realms = ['NOPE.TEST']),
      'kdcs[0].realms[0]: "NOPE.TEST" is not one of kdc.realms (CORP.CONTOSO.COM)',
    ],
    [
      'a realm nobody serves',
      (s) => ((s.kdcs as Json[])[0]!.realms = []),
      'kdcs[0].realms: must not be empty',
    ],
    [
      'an unknown field in kdc',
      (s) => ((s.kdc as Json).realm = []),
      'kdc.realm: unknown field (known here: realms, trusts)',
    ],
    [
      'a service on a realm not in kdc',
      (s) => ((s.services as Json[])[0]!.realm = 'OTHER.TEST'),
      'services[0].realm: "OTHER.TEST" is not one of kdc.realms (CORP.CONTOSO.COM)',
    ],
    [
      'a service SPN with a realm',
      (s) => ((s.services as Json[])[0]!.spn = 'cifs/fs1@CORP'),
      'services[0].spn: "cifs/fs1@CORP" must be a service name like "cifs/fs1.corp.contoso.com" (no realm)',
    ],
    [
      'ntlm neither refused nor accepted',
      (s) => ((s.services as Json[])[0]!.ntlm = 'maybe'),
      'services[0].ntlm: must be one of refused, accepted, not the string "maybe"',
    ],
    [
      'a client user without realm',
      (s) => ((s.clients as Json[])[0]!.user = 'alice'),
      'clients[0].user: "alice" must be user@REALM',
    ],
    [
      'an Entra-joined client without Entra ID in the world',
      (s) => ((s.clients as Json[])[0]!.join = 'entra'),
      'clients[0].join: an Entra-joined or hybrid-joined device needs Entra ID: add an "entra" block (host, tenantId, realm)',
    ],
    [
      'a join type that does not exist',
      (s) => ((s.clients as Json[])[0]!.join = 'workgroup'),
      'clients[0].join: must be one of ad, entra, hybrid, not the string "workgroup"',
    ],
    [
      'GPOs on an AD-only device',
      (s) => ((s.clients as Json[])[0]!.policies = { cloudKerberosTicketRetrieval: true }),
      'clients[0].policies: only an Entra-joined or hybrid-joined device ("join": "entra" or "hybrid") has these GPOs',
    ],
    [
      'a Windows-only action on an AD-only device',
      (s) => ((s.timeline as Json[])[0] = { do: 'unlock', host: 'ws1' }),
      'timeline[0].host: ws1 is not Entra-joined or hybrid-joined (clients[].join): it has no PRT, CloudAP or these GPOs',
    ],
    [
      'a client on a host without one',
      (s) => ((s.timeline as Json[])[0]!.host = 'dc1'),
      'timeline[0].host: dc1 has no client (clients[].host)',
    ],
    [
      'an unknown action',
      (s) => ((s.timeline as Json[])[0]!.do = 'shutdown'),
      // every kind of the action table, in its order (a new entry joins the list by itself)
      `timeline[0].do: must be one of ${ACTION_KINDS.join(', ')}, not the string "shutdown"`,
    ],
    [
      'a bad UNC path',
      (s) => ((s.timeline as Json[])[1]!.unc = '//fs1/share'),
      'timeline[1].unc: "//fs1/share" must be a UNC path like \\\\fs1.corp.contoso.com\\share',
    ],
    [
      'a bad duration',
      (s) => (s.timeline as Json[]).push({ do: 'advance', by: 'four hours' }),
      'timeline[2].by: "four hours" is not a duration (write it like 4h, 6m, 30s, 1h30m)',
    ],
    [
      'a bad "at"',
      (s) => ((s.timeline as Json[])[0]!.at = 'tomorrow'),
      'timeline[0].at: "tomorrow" is neither an ISO-8601 UTC time nor "+DURATION"',
    ],
    [
      'a port out of range',
      (s) => (s.timeline as Json[]).push({ do: 'block-port', host: 'fs1', port: 70000 }),
      'timeline[2].port: must be at most 65535, not 70000',
    ],
    [
      'an action id used twice',
      (s) => ((s.timeline as Json[])[1]!.id = 'logon'),
      'timeline[1].id: action id "logon" is used twice',
    ],
    [
      'an action field of another action',
      (s) => ((s.timeline as Json[])[0]!.unc = '\\\\fs1\\x'),
      'timeline[0].unc: unknown field (known here: do, id, at, note, password, host)',
    ],
    ['no outcomes', (s) => (s.outcomes = []), 'outcomes: must not be empty'],
    [
      'an outcome without a predicate',
      (s) => ((s.outcomes as Json[])[0]!.expect = [{}]),
      'outcomes[0].expect[0]: must say what it checks: "action", "klist", "message" or "messages"',
    ],
    [
      'a predicate checking two things',
      (s) => ((s.outcomes as Json[])[0]!.expect = { action: 'logon', klist: {} }),
      'outcomes[0].expect: checks one thing, not action and klist',
    ],
    [
      'an outcome about an unknown action',
      (s) => ((s.outcomes as Json[])[3]!.expect = [{ action: 'mount-2', ok: true }]),
      'outcomes[3].expect[0].action: there is no action "mount-2" in the timeline (give the action an "id")',
    ],
    [
      'a bad regular expression',
      (s) => ((s.outcomes as Json[])[0]!.expect = [{ message: { type: 'AS-REQ', resultMatches: '(' } }]),
      'outcomes[0].expect[0].message.resultMatches: is not a regular expression: Invalid regular expression: /(/: Unterminated group',
    ],
    [
      'a klist of a host without a client',
      (s) => ((s.outcomes as Json[])[4]!.expect = [{ klist: { host: 'fs1', server: 'x@Y' } }]),
      'outcomes[4].expect[0].klist.host: fs1 has no client',
    ],
    [
      'an outcome id used twice',
      (s) => ((s.outcomes as Json[])[1]!.id = 'as-with-preauth'),
      'outcomes[1].id: outcome id "as-with-preauth" is used twice',
    ],
  ];
  test.each(cases)('%s', (_what, mutate, message) => {
    const s = base();
    mutate(s);
    const e = errorOf(s);
    expect(e.message).toBe(message);
    expect(`${e.field}: ${e.reason}`).toBe(message);
  });

  test.each([
    [
      'a trust to a realm not in kdc',
      (s: Json) => (((s.kdc as Json).trusts as Json[])[0]!.to = 'X.TEST'),
      'kdc.trusts[0].to: "X.TEST" is not one of kdc.realms (CORP.CONTOSO.COM, KERBEROS.MICROSOFTONLINE.COM)',
    ],
    [
      'a proxy path on a TCP locator',
      (s: Json) => (((s.locator as Json)['CORP.CONTOSO.COM'] as Json).proxyPath = '/x'),
      'locator.CORP.CONTOSO.COM.proxyPath: only a kkdcp locator has a proxy path',
    ],
    [
      'a locator pointing at the wrong KDC',
      (s: Json) => (((s.locator as Json)['KERBEROS.MICROSOFTONLINE.COM'] as Json).host = 'dc1'),
      'locator.KERBEROS.MICROSOFTONLINE.COM.host: KERBEROS.MICROSOFTONLINE.COM is served by the KDC on entra, not dc1',
    ],
    [
      'a link loss above 1',
      (s: Json) => (((s.network as Json).links as Json[])[0]!.loss = 2),
      'network.links[0].loss: must be at most 1, not 2',
    ],
    [
      'sync-key to the same KDC',
      (s: Json) =>
        (s.timeline as Json[]).push({ do: 'sync-key', principal: 'krbtgt/X@Y', from: 'dc1', to: 'dc1' }),
      'timeline[4].to: the key is copied to another KDC',
    ],
    [
      'rotate-key on a host with no KDC',
      (s: Json) =>
        (s.timeline as Json[]).push({ do: 'rotate-key', kdc: 'ws1', principal: 'krbtgt/X@Y', password: 'p' }),
      'timeline[4].kdc: ws1 runs no KDC (kdcs[].host)',
    ],
    [
      'a bad domain SID (once found only when the world was built)',
      (s: Json) => (((s.kdc as Json).realms as Json[])[1]!.domainSid = 'S-1-12-1'),
      'kdc.realms[1].domainSid: "S-1-12-1" must look like S-1-5-21-a-b-c',
    ],
    [
      'a GPO mapping to an unknown realm',
      (s: Json) =>
        (s.timeline as Json[]).push({ do: 'set-host-realm', host: 'ws1', mapping: { '.x': 'NOPE' } }),
      'timeline[4].mapping[".x"]: "NOPE" is not one of kdc.realms (CORP.CONTOSO.COM, KERBEROS.MICROSOFTONLINE.COM)',
    ],
  ])('%s', (_what, mutate, message) => {
    const s = hybrid();
    mutate(s);
    expect(errorOf(s).message).toBe(message);
  });
});

describe('what only building the world finds, named the same way', () => {
  test('a service whose SPN its realm does not hold', () => {
    const s = base();
    ((s.services as Json[])[0] as Json).spn = 'cifs/fs9.corp.contoso.com';
    expect(() => runScenario(validateScenario(s) as Scenario)).toThrow(
      "services[0].spn: CORP.CONTOSO.COM holds no principal cifs/fs9.corp.contoso.com (add it to kdc.realms[].principals: its keys are the server's keytab)",
    );
  });

  test('an action time before the clock', () => {
    const s = base();
    (s.timeline as Json[])[1]!.at = '2026-03-02T07:00:00Z';
    expect(() => runScenario(validateScenario(s) as Scenario)).toThrow(
      'timeline[1].at: 2026-03-02T07:00:00Z is earlier than the clock (2026-03-02T08:00:00.004Z) when this action comes',
    );
  });

  test('a key rotation of a principal the KDC does not hold', () => {
    const s = hybrid();
    (s.timeline as Json[]).push({
      do: 'rotate-key',
      kdc: 'dc1',
      principal: 'krbtgt/X.TEST@CORP.CONTOSO.COM',
      password: 'p',
    });
    expect(() => runScenario(validateScenario(s) as Scenario)).toThrow(
      'timeline[4].principal: the KDC on dc1 holds no krbtgt/X.TEST@CORP.CONTOSO.COM',
    );
  });
});

describe('scenario clocks stay between 1970-01-01 and 2037-09-12, checked when the file is read', () => {
  const until2037 = /on or after 2037-09-13 .*till 2037-09-13T02:48:05Z/;

  test('an advance too far is refused at its field, before anything runs', () => {
    const s = base();
    (s.timeline as Json[]).splice(1, 0, { do: 'advance', by: '99999999999d' });
    const e = errorOf(s);
    expect(e.field).toBe('timeline[1].by');
    expect(e.reason).toMatch(/^"99999999999d" takes the clock to a time on or after 2037-09-13/);
    expect(e.reason).toMatch(until2037);
  });

  test('advances that add up past the limit are named where they cross it', () => {
    const s = base();
    s.start = '2037-09-01T00:00:00Z';
    (s.timeline as Json[]).splice(1, 0, { do: 'advance', by: '6d' }, { do: 'advance', by: '6d' });
    expect(errorOf(s).field).toBe('timeline[2].by');
  });

  test('a start from 2037-09-13 on, or before 1970, is refused at "start"', () => {
    for (const start of ['2038-01-19T03:14:08Z', '2037-09-13T00:00:00Z']) {
      const s = base();
      s.start = start;
      const e = errorOf(s);
      expect(e.field).toBe('start');
      expect(e.reason).toMatch(until2037);
    }
    const s = base();
    s.start = '1969-12-31T23:59:59Z';
    expect(errorOf(s).reason).toMatch(/before 1970-01-01/);
  });

  test('an action at a time past the limit, absolute or relative, is refused at its "at"', () => {
    for (const at of ['2037-09-13T00:00:00Z', '+99999999999d']) {
      const s = base();
      (s.timeline as Json[])[1]!.at = at;
      const e = errorOf(s);
      expect(e.field).toBe('timeline[1].at');
      expect(e.reason).toMatch(until2037);
    }
  });

  test('a host clock offset or a set-skew that takes a host out of range names the field and the host', () => {
    const a = base();
    ((a.hosts as Json[])[0] as Json).clockOffset = '-99999999d';
    const ea = errorOf(a);
    expect(ea.field).toBe('hosts[0].clockOffset');
    expect(ea.reason).toMatch(/ws1's clock at a time before 1970-01-01/);
    const b = base();
    (b.timeline as Json[]).splice(1, 0, { do: 'set-skew', host: 'ws1', offset: '+9999999d' });
    const eb = errorOf(b);
    expect(eb.field).toBe('timeline[1].offset');
    expect(eb.reason).toMatch(/ws1's clock to a time on or after 2037-09-13/);
  });

  test('the last day still runs, and the client still asks till 20370913024805Z on the wire', () => {
    const s = base();
    s.start = '2037-09-12T20:00:00Z';
    const run = runScenario(validateScenario(s) as Scenario);
    expect(run.outcomes.map((o) => o.ok)).toEqual([true, true, true, true, true]);
    const asReq = run.world.trace.find((e) => e.type === 'AS-REQ' && e.bytes);
    expect(new TextDecoder('latin1').decode(asReq!.bytes)).toContain('20370913024805Z');
  });
});
