// A Linux host with MIT krb5 (clients[].os "linux"): kinit, klist, kvno and kdestroy are entries of the
// action table, read only at a Linux host's prompt, run by the host's own Kerberos client over the
// world's network, and printed as MIT's tools print them (klist's layout, MIT's error words).
import { describe, expect, test } from 'vitest';
import {
  actionEntry,
  commandLine,
  knownOf,
  parseCommand,
  runScenario,
  validateScenario,
  type Scenario,
} from '../../../src/scenarios';
import kerberos101 from '../../../src/scenarios/catalogue/kerberos-101.json';

type Json = Record<string, unknown>;

/** kerberos-101 (ws1, and the Linux host linux1) with `timeline` instead of its own. */
function world(timeline: Json[]): Scenario {
  const s = structuredClone(kerberos101) as Json;
  s.timeline = timeline;
  s.outcomes = [{ id: 'ran', description: 'it ran', expect: [{ action: 'a0' }] }];
  return validateScenario(s) as Scenario;
}

const at = (timeline: Json[]) => runScenario(world(timeline.map((a, i) => ({ id: `a${i}`, ...a }))));

describe('kinit, klist, kvno, kdestroy on linux1', () => {
  test('kinit gets a TGT, kvno a cifs ticket, klist lists both as MIT does, kdestroy empties the cache', () => {
    const run = at([
      { do: 'kinit', host: 'linux1' },
      { do: 'kvno', host: 'linux1', spn: 'cifs/fs1.corp.contoso.com' },
      { do: 'mit-klist', host: 'linux1', etypes: true },
      { do: 'kdestroy', host: 'linux1' },
      { do: 'mit-klist', host: 'linux1' },
    ]);
    const [kinit, kvno, klist, kdestroy, after] = run.actions;
    expect(kinit).toMatchObject({ ok: true, output: '' });
    // the AS exchange left linux1, as ws1's sign-in would
    const messages = run.trace.filter((e) => e.kind === 'message' && e.from === 'linux1').map((e) => e.type);
    expect(messages).toEqual(['AS-REQ', 'AS-REQ', 'TGS-REQ']);
    expect(kvno).toMatchObject({ ok: true, output: 'cifs/fs1.corp.contoso.com@CORP.CONTOSO.COM: kvno = 1' });
    expect(klist!.output).toBe(
      [
        'Ticket cache: FILE:/tmp/krb5cc_1000',
        'Default principal: alice@CORP.CONTOSO.COM',
        '',
        'Valid starting       Expires              Service principal',
        '03/02/2026 08:00:00  03/02/2026 18:00:00  krbtgt/CORP.CONTOSO.COM@CORP.CONTOSO.COM',
        '\tEtype (skey, tkt): aes256-cts-hmac-sha1-96, aes256-cts-hmac-sha1-96 ',
        '03/02/2026 08:00:00  03/02/2026 18:00:00  cifs/fs1.corp.contoso.com@CORP.CONTOSO.COM',
        '\tEtype (skey, tkt): aes256-cts-hmac-sha1-96, aes256-cts-hmac-sha1-96 ',
      ].join('\n'),
    );
    expect(kdestroy).toMatchObject({ ok: true, output: '' });
    expect(after).toMatchObject({
      ok: false,
      output: 'klist: No credentials cache found (filename: /tmp/krb5cc_1000)',
    });
    // ws1 was not touched: its cache is its own
    expect(run.world.client('ws1').cache.credentials).toHaveLength(0);
  });
});

describe("MIT's words when it goes wrong", () => {
  test('a wrong password: "Password incorrect", and the cache kinit had before stays', () => {
    const run = at([
      { do: 'kinit', host: 'linux1' },
      { do: 'kinit', host: 'linux1', password: 'not-her-password' },
      { do: 'mit-klist', host: 'linux1' },
    ]);
    expect(run.actions[1]).toMatchObject({
      ok: false,
      errorCode: 24,
      output: 'kinit: Password incorrect while getting initial credentials',
    });
    expect(run.actions[2]!.output).toMatch(/krbtgt\/CORP.CONTOSO.COM@CORP.CONTOSO.COM$/m);
  });

  test('an unknown client, a realm no KDC is known for, and no KDC answering', () => {
    const run = at([
      { do: 'kinit', host: 'linux1', principal: 'bob' },
      { do: 'kinit', host: 'linux1', principal: 'alice@NOWHERE.TEST' },
      { do: 'host-down', host: 'dc1' },
      { do: 'kinit', host: 'linux1' },
    ]);
    expect(run.actions[0]).toMatchObject({
      ok: false,
      errorCode: 6,
      output:
        "kinit: Client 'bob@CORP.CONTOSO.COM' not found in Kerberos database while getting initial credentials",
    });
    expect(run.actions[1]!.output).toBe(
      'kinit: Cannot find KDC for realm "NOWHERE.TEST" while getting initial credentials',
    );
    expect(run.actions[3]!.output).toBe(
      "kinit: Cannot contact any KDC for realm 'CORP.CONTOSO.COM' while getting initial credentials",
    );
  });

  test('kvno of an unknown service, kvno and kdestroy without a cache', () => {
    const run = at([
      { do: 'kvno', host: 'linux1', spn: 'cifs/fs1.corp.contoso.com' },
      { do: 'kdestroy', host: 'linux1' },
      { do: 'kinit', host: 'linux1' },
      { do: 'kvno', host: 'linux1', spn: 'cifs/nope.corp.contoso.com' },
    ]);
    expect(run.actions[0]!.output).toBe(
      'kvno: No credentials cache found (filename: /tmp/krb5cc_1000) while getting client principal name',
    );
    expect(run.actions[1]!.output).toBe('kdestroy: No credentials cache found while destroying cache');
    expect(run.actions[3]).toMatchObject({
      ok: false,
      errorCode: 7,
      output:
        'kvno: Server not found in Kerberos database while getting credentials for cifs/nope.corp.contoso.com@CORP.CONTOSO.COM',
    });
  });

  test('each tool prints into the trace, on linux1, what it printed', () => {
    const run = at([{ do: 'kinit', host: 'linux1', password: 'wrong' }]);
    const printed = run.trace.filter((e) => e.kind === 'action' && e.type === 'kinit').map((e) => e.result);
    expect(printed).toEqual([
      'Password for alice@CORP.CONTOSO.COM:',
      'kinit: Password incorrect while getting initial credentials',
    ]);
  });
});

describe('typed at the prompt', () => {
  const known = knownOf(world([{ id: 'a0', do: 'kinit', host: 'linux1' }]));

  test('each command prints and parses back to the same action', () => {
    const actions = [
      { do: 'kinit', host: 'linux1' },
      { do: 'kinit', host: 'linux1', principal: 'bob@CORP.CONTOSO.COM' },
      { do: 'mit-klist', host: 'linux1' },
      { do: 'mit-klist', host: 'linux1', etypes: true, flags: true },
      { do: 'kvno', host: 'linux1', spn: 'cifs/fs1.corp.contoso.com' },
      { do: 'kdestroy', host: 'linux1' },
    ] as const;
    for (const a of actions) expect(parseCommand('linux1', commandLine(a)!, known)).toEqual(a);
    expect(parseCommand('linux1', 'klist -fe', known)).toEqual(actions[3]);
  });

  test("the host's system picks the command: klist is MIT's on linux1, Windows' on ws1", () => {
    expect(parseCommand('linux1', 'klist', known).do).toBe('mit-klist');
    expect(parseCommand('ws1', 'klist', known).do).toBe('klist');
    expect(() => parseCommand('ws1', 'kinit', known)).toThrow(
      /'kinit' is not a command the playground knows/,
    );
    expect(() => parseCommand('linux1', 'net use \\\\fs1.corp.contoso.com\\share', known)).toThrow(
      /bash: net: command not found; on this Linux host the playground knows MIT krb5's kinit \[principal\], klist \[-e\] \[-f\], kvno SPN, kdestroy/,
    );
    // a shell does not fold case
    expect(() => parseCommand('linux1', 'KLIST', known)).toThrow(/bash: KLIST: command not found/);
  });

  test('bad words get the reason and the syntax', () => {
    expect(() => parseCommand('linux1', 'kinit -k -t /etc/krb5.keytab', known)).toThrow(
      /-k: there is no keytab on this host, so kinit takes a password only/,
    );
    expect(() => parseCommand('linux1', 'klist -x', known)).toThrow(/invalid option -- 'x'/);
    expect(() => parseCommand('linux1', 'klist FILE:/tmp/other', known)).toThrow(/only the default cache/);
    expect(() => parseCommand('linux1', 'kvno', known)).toThrow(
      /which service\? .*\(write it as: kvno SPN\)/,
    );
    expect(() => parseCommand('linux1', 'kvno fs1', known)).toThrow(/must be a service principal like cifs/);
    expect(() => parseCommand('linux1', 'kdestroy now', known)).toThrow(/only the default cache/);
  });

  test("kinit's password is the one it types (for the page to make its keys ahead)", () => {
    expect(actionEntry('kinit').password!({ host: 'linux1', password: 'pw' } as never)).toBe('pw');
  });
});

describe('the scenario file', () => {
  const file = (mutate: (s: Json) => void) => {
    const s = structuredClone(kerberos101) as Json;
    mutate(s);
    return () => validateScenario(s);
  };
  const linux1 = (s: Json) => (s.clients as Json[]).find((c) => c.host === 'linux1')!;

  test('a Linux client refuses what only Windows has, naming the field', () => {
    expect(file((s) => (linux1(s).join = 'ad'))).toThrow(
      /clients\[1\]\.join: a Linux host is not joined here \(it runs MIT kinit, klist, kvno and kdestroy\)/,
    );
    expect(file((s) => (linux1(s).policies = {}))).toThrow(/clients\[1\]\.policies: these are Windows GPOs/);
    expect(file((s) => (linux1(s).os = 'macos'))).toThrow(/clients\[1\]\.os: must be one of windows, linux/);
  });

  test("Windows' actions refuse a Linux host, MIT's a Windows one", () => {
    expect(file((s) => (s.timeline = [{ do: 'logon', host: 'linux1' }]))).toThrow(
      /timeline\[0\]\.host: linux1 is a Linux host \(clients\[\]\.os\): it runs MIT's kinit, klist, kvno and kdestroy, not Windows/,
    );
    expect(file((s) => (s.timeline = [{ do: 'kinit', host: 'ws1' }]))).toThrow(
      /timeline\[0\]\.host: ws1 is not a Linux host/,
    );
  });

  test('a Linux host has a Kerberos client and no Windows', () => {
    const run = at([{ do: 'kinit', host: 'linux1' }]);
    expect(run.world.windowsHost('linux1')).toBeUndefined();
    expect(run.world.linuxHost('linux1')).toEqual({
      user: 'alice@CORP.CONTOSO.COM',
      password: 'Contoso-Alice-2026!',
      uid: 1000,
    });
  });
});
