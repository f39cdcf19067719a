// The client GPO "Configure encryption types allowed for Kerberos", one entry of the action table: the
// client's AS-REQs and TGS-REQs carry only the enctypes it allows (read back from the real bytes), the
// KDC picks among them or refuses with KDC_ERR_ETYPE_NOSUPP, and Not Configured gives the own list back.
import { describe, expect, test } from 'vitest';
import { decodeAsReq, decodeTgsReq } from '../../../src/asn1/kdc';
import { hasTcpPrefix, stripTcpPrefix } from '../../../src/asn1/framing';
import { runScenario, validateScenario, type Scenario } from '../../../src/scenarios';
import kerberos101 from '../../../src/scenarios/catalogue/kerberos-101.json';
import rc4Disabled from '../../../src/scenarios/catalogue/rc4-disabled.json';

type Json = Record<string, unknown>;
type Run = ReturnType<typeof runScenario>;
const SHARE = '\\\\fs1.corp.contoso.com\\share';

function withTimeline(base: Json, timeline: Json[]): Scenario {
  const s = structuredClone(base);
  s.timeline = timeline;
  s.outcomes = [{ id: 'ran', description: 'it ran', expect: [{ action: 'first' }] }];
  return validateScenario(s) as Scenario;
}

const gpo = (etypes?: number[]): Json => ({
  do: 'set-allowed-enctypes',
  host: 'ws1',
  id: 'first',
  ...(etypes ? { etypes } : {}),
});
const logon: Json = { do: 'logon', host: 'ws1' };
const mount: Json = { do: 'net-use', host: 'ws1', unc: SHARE, drive: 'S:' };

/** The etype lists of every request of `type` the run sent, read from the bytes on the wire. */
function offered(run: Run, type: 'AS-REQ' | 'TGS-REQ'): number[][] {
  return run.trace
    .filter((e) => e.kind === 'message' && e.type === type && e.bytes)
    .map((e) => {
      const der = hasTcpPrefix(e.bytes!) ? stripTcpPrefix(e.bytes!) : e.bytes!;
      return (type === 'AS-REQ' ? decodeAsReq(der) : decodeTgsReq(der)).reqBody.etype;
    });
}

const narrated = (run: Run, words: string) =>
  run.trace.flatMap((e) => e.narration.map((n) => n.text)).filter((t) => t.includes(words));

describe('set-allowed-enctypes (the client GPO)', () => {
  test('without it the client offers its own list; AES128 only, every request offers 17 alone', () => {
    const before = runScenario(withTimeline(kerberos101, [{ ...logon, id: 'first' }, mount]));
    expect(offered(before, 'AS-REQ')[0]).toEqual([18, 17, 23]);

    const run = runScenario(withTimeline(kerberos101, [gpo([17]), logon, mount]));
    expect(run.actions.map((a) => a.ok)).toEqual([true, true, true]);
    const as = offered(run, 'AS-REQ');
    const tgs = offered(run, 'TGS-REQ');
    expect(as.length).toBeGreaterThan(0);
    expect(tgs.length).toBeGreaterThan(0);
    for (const list of [...as, ...tgs]) expect(list).toEqual([17]);
    // the KDC chose from that list for the file server's session key
    expect(narrated(run, 'for the session key').at(-1)).toMatch(/^chose aes128-cts-hmac-sha1-96/);
  });

  test("ticked in any order, the client offers them in Windows' order", () => {
    const run = runScenario(withTimeline(kerberos101, [gpo([23, 18]), logon]));
    expect(offered(run, 'AS-REQ')[0]).toEqual([18, 23]);
    expect(run.trace.some((e) => /Enabled: AES256_HMAC_SHA1, RC4_HMAC_MD5/.test(e.result))).toBe(true);
  });

  test('RC4 only in a realm that permits AES only: the KDC refuses with KDC_ERR_ETYPE_NOSUPP (14)', () => {
    const run = runScenario(withTimeline(rc4Disabled, [gpo([23]), logon]));
    expect(offered(run, 'AS-REQ')[0]).toEqual([23]);
    expect(run.actions[1]!.ok).toBe(false);
    expect(run.actions[1]!.errorCode).toBe(14);
    expect(run.trace.some((e) => e.type === 'KRB-ERROR' && e.errorCode === 14)).toBe(true);
  });

  test('set back to Not Configured, the client offers its own list again', () => {
    const own = structuredClone(kerberos101) as Json;
    (own.clients as Json[])[0]!.etypes = [17, 23];
    const run = runScenario(withTimeline(own, [gpo([18]), { ...gpo(), id: 'cleared' }, logon]));
    expect(offered(run, 'AS-REQ')[0]).toEqual([17, 23]);
    expect(run.trace.some((e) => /Not Configured; Kerberos on ws1 now offers aes128/.test(e.result))).toBe(
      true,
    );
  });

  test('an enctype the GPO has no box for is refused with the field and the boxes there are', () => {
    expect(() => withTimeline(kerberos101, [gpo([1])])).toThrow(
      /timeline\[0\]\.etypes\[0\].*17 \(AES128_HMAC_SHA1\)/,
    );
    expect(() => withTimeline(kerberos101, [gpo([])])).toThrow(/etypes.*must not be empty/);
  });
});
