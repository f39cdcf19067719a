// The cloud TGT as Windows shows it (src/azure/cloud-tgt.ts): happy-path's cloud TGT carries flags
// 0x40810000 (forwardable renewable name_canonicalize) inside its real encrypted part, lasts 10 hours, may be
// renewed on paper until 7 days on, has an AES-256 session key; klist prints it so. Entra refuses to renew
// it (modelled: KDC_ERR_BADOPTION from the cloud realm's KDC, said as such), and the clock offers no
// renew-till mark for it; its expiry line says Entra does not renew it.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { TicketFlag } from '../../../src/asn1/registry';
import { decodeEncTicketPart, decodeTicket } from '../../../src/asn1/ticket';
import { clockMarks } from '../../../src/azure';
import { CLOUD_RENEWAL_REFUSED, CLOUD_TGT_FLAGS } from '../../../src/azure/cloud-tgt';
import { decrypt, KeyUsage } from '../../../src/crypto';
import {
  findScenario,
  formatRun,
  runScenario,
  validateScenario,
  type Scenario,
} from '../../../src/scenarios';
import { runOperation, type World } from '../../../src/world';
import { keyOf } from '../../../src/protocol/long-term-key';

const CLOUD = 'KERBEROS.MICROSOFTONLINE.COM';
const HOUR = 3_600_000;

function happyPath(more: Record<string, unknown>[] = []) {
  const s = structuredClone(findScenario('happy-path')!) as unknown as Record<string, unknown>;
  s.timeline = [...(s.timeline as unknown[]), ...more];
  return runScenario(validateScenario(s) as Scenario);
}

const cloudTgt = (w: World) =>
  w.client('ws1').cache.credentials.find((c) => c.server.name.nameString.join('/') === `krbtgt/${CLOUD}`)!;

describe('the cloud TGT as observed', () => {
  const run = happyPath();

  test('flags 0x40810000 in the cache and sealed in the ticket itself, 10 h, renew-till +7 d, AES-256 session key', () => {
    expect(CLOUD_TGT_FLAGS).toBe(0x40810000);
    const tgt = cloudTgt(run.world);
    expect(tgt.flags).toBe(0x40810000);
    expect(tgt.endtime - tgt.starttime).toBe(10 * HOUR);
    expect(tgt.renewTill! - tgt.starttime).toBe(7 * 24 * HOUR);
    expect(tgt.sessionKey.etype).toBe(18);
    // the ticket's own encrypted part, opened with the cloud realm's krbtgt key, says the same
    const ticket = decodeTicket(tgt.ticket);
    const krbtgt = run.world.kdc('entra').entries(`krbtgt/${CLOUD}@${CLOUD}`, CLOUD)[0]!;
    const k = krbtgt.keys.find((x) => x.etype === ticket.encPart.etype && x.kvno === ticket.encPart.kvno)!;
    const part = decodeEncTicketPart(
      decrypt({ etype: k.etype, bytes: keyOf(k) }, KeyUsage.KDC_REP_TICKET, ticket.encPart.cipher),
    );
    expect(part.flags >>> 0).toBe(0x40810000);
  });

  test('klist prints it as Windows does, and the PRT response says the flags are modelled', () => {
    expect(formatRun(run)).toMatch(
      /Server: krbtgt\/KERBEROS\.MICROSOFTONLINE\.COM @ KERBEROS\.MICROSOFTONLINE\.COM\n\tKerbTicket Encryption Type: AES-256-CTS-HMAC-SHA1-96\n\tTicket Flags 0x40810000 -> forwardable renewable name_canonicalize/,
    );
    const prt = run.trace.find((e) => e.type === 'PRT-RESPONSE')!;
    expect(
      prt.narration.some((n) =>
        /^modelled: the cloud TGT carries the flags Windows shows for it, 0x40810000/.test(n.text),
      ),
    ).toBe(true);
  });

  test('the flags the AS exchange inside Entra gave are INITIAL and the observed ones: 0x40c10000, as docs/modelled.md says', () => {
    const asExchange = (CLOUD_TGT_FLAGS | TicketFlag.INITIAL) >>> 0;
    expect(asExchange).toBe(0x40c10000);
    const prt = run.trace.find((e) => e.type === 'PRT-RESPONSE')!;
    const line = prt.narration.find((n) => /^modelled: the cloud TGT carries the flags/.test(n.text))!;
    expect(line.text).toContain(`the AS exchange gave 0x${asExchange.toString(16).padStart(8, '0')}`);
    expect(readFileSync('docs/modelled.md', 'utf8')).toMatch(/would also set INITIAL\s+\(0x40c10000\)/);
  });

  test('the same cloud TGT still gets a service ticket through the KDC proxy (the re-sealed ticket opens)', () => {
    expect(run.outcomes.every((o) => o.ok)).toBe(true);
  });
});

describe('Entra refuses to renew it', () => {
  test('a renewal sent to the cloud realm is refused with KDC_ERR_BADOPTION (13), labelled modelled', () => {
    const run = happyPath();
    const result = runOperation(run.world, 'ws1', { kind: 'renew', server: `krbtgt/${CLOUD}@${CLOUD}` });
    expect(result.ok).toBe(false);
    const err = run.world.trace
      .filter((e) => e.type === 'KRB-ERROR' || e.type === 'KDC-PROXY-MESSAGE')
      .at(-1)!;
    expect(err.errorCode ?? 0).toBe(13);
    expect(JSON.stringify(run.world.trace.at(-1))).toMatch(/Entra ID does not renew cloud TGTs \(modelled/);
    // the cloud TGT is as it was
    expect(cloudTgt(run.world).flags).toBe(0x40810000);
  });

  test('the clock offers no renew-till for it, and its expiry line says Entra does not renew it', () => {
    const run = happyPath([{ id: 'later', do: 'advance', by: '10h 30m' }]);
    const marks = clockMarks(run.world).filter((m) => m.kind === 'renew-till');
    expect(marks.map((m) => m.label)).toEqual(["ws1: the TGT's renew-till"]);
    const expired = run.trace.find((e) => e.type === 'expired' && /cloud TGT/.test(e.result))!;
    // the non-renewal is documented; the unlock path is the playground's own (modelled)
    expect(expired.result).toMatch(
      /Entra does not renew cloud TGTs: a new one comes when the user signs out and signs in again \(or, modelled, with an unlock once the PRT is 4h old\)/,
    );
  });
});

describe('what brings a new cloud TGT: signing out and in (documented), an unlock (modelled)', () => {
  const s = findScenario('tgt-expiry-10h') as Scenario;

  test('tgt-expiry-10h says what the troubleshooting guide says, and labels the unlock modelled', () => {
    for (const text of [s.summary, s.teaches]) expect(text).toMatch(/signs out and signs in again/);
    expect(s.teaches).toMatch(/unlock[^.]*\(modelled/);
    const unlock = s.outcomes.find((o) => o.id === 'unlock-refreshes')!;
    expect(unlock.description).toMatch(/modelled/);
    expect(CLOUD_RENEWAL_REFUSED).toMatch(/signs out and signs in again \(or, modelled, an unlock/);
  });

  test('docs/modelled.md gives the unlock its reasoning under Cloud TGT renewal', () => {
    const doc = readFileSync('docs/modelled.md', 'utf8');
    const entry = doc.slice(doc.indexOf('## Cloud TGT renewal'), doc.indexOf('## RC4 phase-out'));
    expect(entry).toMatch(/signs\s+out\s+and\s+signs\s+in\s+again/);
    expect(entry).toMatch(/unlock[\s\S]*4-hour/);
  });
});
