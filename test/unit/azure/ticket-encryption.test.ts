// Azure Files' SMB security setting "Kerberos ticket encryption" (src/azure/ticket-encryption.ts): the ticket
// enctypes a storage account's SMB server takes at SESSION_SETUP. With AES-256 only, a mount with an RC4
// ticket is refused with STATUS_ACCESS_DENIED (System error 5) and no AP-REQ is sent; an AES-256 ticket is
// taken; with both values the server takes what it did before (rc4-enforcement-2026's own outcomes).
import { describe, expect, test } from 'vitest';
import {
  setTicketEncryption,
  ticketEncryptionOf,
  ticketEncryptionRefusal,
  ticketEncryptionRestricts,
  TICKET_ENCRYPTIONS,
} from '../../../src/azure/ticket-encryption';
import { findScenario, runScenario, validateScenario, type Scenario } from '../../../src/scenarios';
import type { ServiceActorState, TicketEncryption } from '../../../src/world';

const server = (ticketEncryption?: TicketEncryption[]) =>
  ({ smb: { ntlm: 'refused', ...(ticketEncryption ? { ticketEncryption } : {}) } }) as ServiceActorState;

describe('the rule', () => {
  test('AES-256 only refuses an RC4 ticket and takes AES-256; RC4-HMAC only the other way round', () => {
    expect(TICKET_ENCRYPTIONS).toEqual(['RC4-HMAC', 'AES-256']);
    expect(ticketEncryptionRefusal(server(['AES-256']), 23)).toMatch(
      /RC4-HMAC \(23\); .* allow Kerberos ticket encryption AES-256 only$/,
    );
    expect(ticketEncryptionRefusal(server(['AES-256']), 18)).toBeUndefined();
    expect(ticketEncryptionRefusal(server(['RC4-HMAC']), 18)).toMatch(/AES-256 \(18\)/);
    expect(ticketEncryptionRefusal(server(['RC4-HMAC']), 23)).toBeUndefined();
  });

  test('not set, or both values: nothing is restricted', () => {
    expect(ticketEncryptionRestricts(server())).toBe(false);
    expect(ticketEncryptionRestricts(server(['AES-256', 'RC4-HMAC']))).toBe(false);
    expect(ticketEncryptionRestricts(server(['AES-256']))).toBe(true);
    expect(ticketEncryptionRefusal(server(), 23)).toBeUndefined();
  });
});

describe('rc4-enforcement-2026 with the setting', () => {
  const run = runScenario(findScenario('rc4-enforcement-2026') as Scenario);
  const action = (id: string) => run.actions.find((a) => a.id === id)!;
  const during = (id: string) =>
    run.world.trace.filter((e) => e.seq >= action(id).fromSeq && e.seq <= action(id).toSeq);

  test('AES-256 only: the March RC4 ticket is refused at SESSION_SETUP, System error 5, no AP-REQ sent', () => {
    expect(action('mount-march-aes-only')).toMatchObject({ ok: false, windowsError: 5 });
    const events = during('mount-march-aes-only');
    expect(events.filter((e) => e.type === 'AP-REQ')).toEqual([]);
    expect(events.find((e) => e.type === 'SMB2 SESSION_SETUP' && e.from === 'contosoadds')?.result).toMatch(
      /^STATUS_ACCESS_DENIED \(0xC0000022\): the ticket is encrypted with RC4-HMAC \(23\)/,
    );
  });

  test('after the fix the AES-256 ticket is taken under AES-256 only; the earlier outcomes hold as they were', () => {
    expect(action('mount-aes-only').ok).toBe(true);
    expect(run.outcomes.map((o) => [o.id, o.ok])).toEqual([
      ['march-rc4-audited', true],
      ['may-refused-14', true],
      ['aes-key-fixes', true],
      ['ticket-encryption-setting', true],
    ]);
    // the setting back at both values: May's refused mount asks the DC once, as before
    expect(during('mount-may').filter((e) => e.type === 'TGS-REQ')).toHaveLength(1);
  });

  test('an empty setting is refused in words and leaves the setting as it was', () => {
    const { world } = runScenario(findScenario('rc4-enforcement-2026') as Scenario);
    const svc = world.services.find((x) => x.smb)!;
    const before = [...ticketEncryptionOf(svc)];
    const r = setTicketEncryption(world, svc.id, []);
    expect(r.ok).toBe(false);
    expect(r.output).toMatch(/needs at least one value \(RC4-HMAC or AES-256\).*unchanged/);
    expect(ticketEncryptionOf(world.service(svc.id))).toEqual(before);
    expect(ticketEncryptionRefusal(world.service(svc.id), 18)).toBeUndefined();
  });

  test('an unknown service is a scenario error naming the field', () => {
    const s = structuredClone(findScenario('rc4-enforcement-2026')!) as unknown as {
      timeline: { id?: string; service?: string }[];
    };
    s.timeline.find((a) => a.id === 'aes-only')!.service = 'nosuch';
    expect(() => runScenario(validateScenario(s) as Scenario)).toThrow(
      /service.*there is no file server "nosuch"/,
    );
  });
});
