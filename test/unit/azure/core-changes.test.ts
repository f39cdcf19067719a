// The two small changes below src/azure that the Windows model needs: the world carries the actors' state
// in its snapshots (each host's Windows state), and the Kerberos client uses a TGT handed in for another realm when
// the logon session has no home TGT (a cached logon with the cloud TGT), while still refusing otherwise.
import { describe, expect, test } from 'vitest';
import { logon, reboot } from '../../../src/azure';
import { CredentialError } from '../../../src/client';
import { buildWorld, findScenario, type Scenario } from '../../../src/scenarios';
import { runOperation, World } from '../../../src/world';

const PASSWORD = 'Contoso-Alice-2026!';
const world = () => buildWorld(findScenario('happy-path') as Scenario);

describe('world: the actors above it are part of its state', () => {
  test('a snapshot carries them, and a restore brings them back exactly', () => {
    const w = world();
    const before = w.snapshot();
    logon(w, 'ws1', PASSWORD);
    const after = w.snapshot();
    const ws1 = (s: typeof before) => s.hosts.find((h) => h.id === 'ws1')!;
    expect(ws1(after).windows!.session).toBe('active');
    expect(ws1(before).windows!.session).toBe('signed-out');
    const back = World.restore(before);
    expect(back.windowsHost('ws1')).toEqual(ws1(before).windows);
    expect(back.windowsHost('ws1')).not.toBe(ws1(before).windows);
  });
});

describe('client: a handed-in TGT of the target realm serves without a home TGT', () => {
  test('with only the cloud TGT in the cache, a cloud SPN is asked of the cloud realm directly', () => {
    const w = world();
    logon(w, 'ws1', PASSWORD);
    const cache = w.client('ws1').cache;
    cache.credentials = cache.credentials.filter((c) => c.server.realm !== 'CORP.CONTOSO.COM');
    const r = runOperation(w, 'ws1', {
      kind: 'service-ticket',
      service: 'cifs/contosofiles.file.core.windows.net',
    });
    expect(r.ok && r.path).toEqual(['KERBEROS.MICROSOFTONLINE.COM']);
  });

  test('a home-realm SPN still needs the home TGT: refused before anything is sent', () => {
    const w = world();
    logon(w, 'ws1', PASSWORD);
    const cache = w.client('ws1').cache;
    cache.credentials = cache.credentials.filter((c) => c.server.realm !== 'CORP.CONTOSO.COM');
    const sent = w.trace.length;
    const r = runOperation(w, 'ws1', { kind: 'service-ticket', service: 'cifs/fs1.corp.contoso.com' });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toBeInstanceOf(CredentialError);
    expect(!r.ok && (r.error as CredentialError).reason).toBe('no-tgt');
    expect(w.trace.slice(sent).some((e) => e.kind === 'message')).toBe(false);
  });

  test('an empty cache is refused as before', () => {
    const w = world();
    reboot(w, 'ws1');
    const r = runOperation(w, 'ws1', {
      kind: 'service-ticket',
      service: 'cifs/contosofiles.file.core.windows.net',
    });
    expect(!r.ok && (r.error as CredentialError).reason).toBe('no-tgt');
  });
});
