// Azure Files authorization: the share level (RBAC roles and the default permission, the higher winning,
// the Privileged roles granting nothing over SMB, a change taking effect after the propagation delay), the
// NTFS check (canonical order, inheritance, deny before allow, groups from the PAC), and the console's file
// commands typed at ws1 and adm1 running end to end against the SMB server.
import { describe, expect, test } from 'vitest';
import {
  ALL,
  checkAcl,
  DELETE,
  effectiveAcl,
  READ,
  READ_CONTROL,
  shareLevel,
  WRITE,
  WRITE_DAC,
} from '../../../src/azure/files-authz';
import type { AzureFilesAuthzState, FileNodeState, SmbSessionState } from '../../../src/world';
import { findScenario, parseCommand, runScenario, type Scenario } from '../../../src/scenarios';
import { validateScenario } from '../../../src/scenarios';
import ntfsDeny from '../../../src/scenarios/catalogue/ntfs-deny.json';
import shareReader from '../../../src/scenarios/catalogue/share-reader-cannot-write.json';

const ALICE = 'S-1-5-21-1-2-3-1104';
const FINANCE = 'S-1-5-21-1-2-3-1120';
const alice: SmbSessionState = {
  id: 1,
  host: 'ws1',
  principal: 'alice@CORP.CONTOSO.COM',
  userSid: ALICE,
  groupSids: ['S-1-5-21-1-2-3-513', FINANCE],
  trees: [],
};
const token = [ALICE, 'S-1-5-21-1-2-3-513', FINANCE, 'S-1-1-0', 'S-1-5-11', 'S-1-5-32-545'];
const authz = (over: Partial<AzureFilesAuthzState>): AzureFilesAuthzState => ({
  account: 'contosofiles',
  defaults: [{ value: 'None', effectiveAt: 0 }],
  roles: [],
  propagationMs: 0,
  ...over,
});
const role = (r: string, principal = 'alice@CORP.CONTOSO.COM', effectiveAt = 0) => ({
  principal,
  role: r,
  effectiveAt,
});

describe('share level', () => {
  test('no role and default None: nothing; the default alone decides when there is no role', () => {
    expect(shareLevel(authz({}), alice, 1).mask).toBe(0);
    const reader = shareLevel(
      authz({ defaults: [{ value: 'StorageFileDataSmbShareReader', effectiveAt: 0 }] }),
      alice,
      1,
    );
    expect(reader.mask & READ).toBe(READ);
    expect(reader.mask & WRITE).toBe(0);
    expect(reader.why).toBe('default share-level permission StorageFileDataSmbShareReader');
  });

  test('a cloud-only identity (cloud SID) gets the default only: a role assigned to it, or to its group, does not count', () => {
    const BOB = 'S-1-12-1-1797209134-1292606023-2049709454-1631276447';
    const GROUP = 'S-1-12-1-2748966385-1316621355-2354779807-2423926349';
    const bob: SmbSessionState = {
      ...alice,
      principal: 'bob@KERBEROS.MICROSOFTONLINE.COM',
      userSid: BOB,
      groupSids: [GROUP],
    };
    const roles = [
      role('Storage File Data SMB Share Contributor', 'bob@KERBEROS.MICROSOFTONLINE.COM'),
      role('Storage File Data SMB Admin', GROUP),
    ];
    const none = shareLevel(authz({ roles }), bob, 1);
    expect(none.mask).toBe(0);
    expect(none.superuser).toBe(false);
    expect(none.why).toMatch(/cloud-only identity: only the default applies, no RBAC role/);
    const reader = shareLevel(
      authz({ roles, defaults: [{ value: 'StorageFileDataSmbShareReader', effectiveAt: 0 }] }),
      bob,
      1,
    );
    expect(reader.mask & READ).toBe(READ);
    expect(reader.mask & WRITE).toBe(0);
    // the same role on an AD identity counts
    const hybrid = shareLevel(authz({ roles: [role('Storage File Data SMB Share Contributor')] }), alice, 1);
    expect(hybrid.mask & WRITE).toBe(WRITE);
  });

  test('the higher of the role and the default wins, either way round', () => {
    const a = shareLevel(
      authz({
        defaults: [{ value: 'StorageFileDataSmbShareReader', effectiveAt: 0 }],
        roles: [role('Storage File Data SMB Share Contributor')],
      }),
      alice,
      1,
    );
    expect(a.mask & (WRITE | DELETE)).toBe(WRITE | DELETE);
    expect(a.mask & WRITE_DAC).toBe(0);
    const b = shareLevel(
      authz({
        defaults: [{ value: 'StorageFileDataSmbShareElevatedContributor', effectiveAt: 0 }],
        roles: [role('Storage File Data SMB Share Reader')],
      }),
      alice,
      1,
    );
    expect(b.mask & WRITE_DAC).toBe(WRITE_DAC);
    expect(b.why).toMatch(/default share-level permission StorageFileDataSmbShareElevatedContributor/);
  });

  test('a role held through a group SID of the PAC counts; the Privileged roles grant nothing over SMB', () => {
    expect(
      shareLevel(authz({ roles: [role('Storage File Data SMB Share Reader', FINANCE)] }), alice, 1).mask,
    ).not.toBe(0);
    for (const r of ['Storage File Data Privileged Reader', 'Storage File Data Privileged Contributor'])
      expect(shareLevel(authz({ roles: [role(r)] }), alice, 1).mask).toBe(0);
  });

  test('SMB Admin and the storage key are superuser', () => {
    const admin = shareLevel(authz({ roles: [role('Storage File Data SMB Admin')] }), alice, 1);
    expect(admin).toMatchObject({ mask: ALL, superuser: true });
    const key = shareLevel(
      authz({}),
      { ...alice, superuser: true, userSid: undefined, groupSids: [] } as SmbSessionState,
      1,
    );
    expect(key.superuser).toBe(true);
  });

  test('an assignment counts from when it takes effect, a removal from when it does', () => {
    const a = authz({
      roles: [{ ...role('Storage File Data SMB Share Reader', ALICE, 100), removedAt: 200 }],
    });
    expect(shareLevel(a, alice, 99).mask).toBe(0);
    expect(shareLevel(a, alice, 100).mask).not.toBe(0);
    expect(shareLevel(a, alice, 200).mask).toBe(0);
  });
});

describe('NTFS', () => {
  const root: FileNodeState = {
    path: '',
    dir: true,
    modified: 0,
    acl: [{ type: 'allow', sid: 'S-1-5-11', mask: READ | READ_CONTROL | WRITE, inherit: true }],
  };
  const folder: FileNodeState = {
    path: 'finance',
    dir: true,
    modified: 0,
    acl: [{ type: 'deny', sid: FINANCE, mask: WRITE, inherit: true }],
  };
  const file: FileNodeState = {
    path: 'finance\\budget.xlsx',
    dir: false,
    modified: 0,
    acl: [{ type: 'allow', sid: ALICE, mask: READ | READ_CONTROL }],
  };
  const nodes = [root, folder, file];
  const named = (a: { sid: string; type: string }) => `${a.type} ${a.sid}`;

  test('canonical order: explicit before inherited, deny before allow; inherited ACEs come from every folder above', () => {
    const acl = effectiveAcl(nodes, file);
    expect(acl.map((a) => [a.type, a.sid, a.inherited, a.from])).toEqual([
      ['allow', ALICE, false, 'finance\\budget.xlsx'],
      ['deny', FINANCE, true, 'finance'],
      ['allow', 'S-1-5-11', true, ''],
    ]);
  });

  test('an inherited deny on a group SID of the token refuses write, and is named; read is allowed', () => {
    const acl = effectiveAcl(nodes, file);
    const w = checkAcl(acl, token, WRITE, named);
    expect(w).toMatchObject({ ok: false, why: `the deny ACE deny ${FINANCE} matched` });
    expect(checkAcl(acl, token, READ, named)).toMatchObject({ ok: true, why: `allowed by allow ${ALICE}` });
    // without the group in the token (a new ticket after leaving it), the inherited allow grants write
    expect(
      checkAcl(
        acl,
        token.filter((s) => s !== FINANCE),
        WRITE,
        named,
      ).ok,
    ).toBe(true);
  });

  test('a protected file inherits nothing: rights no ACE grants are refused', () => {
    const alone = { ...file, protected: true };
    const d = checkAcl(effectiveAcl([root, folder, alone], alone), token, WRITE, named);
    expect(d).toMatchObject({ ok: false, why: 'no ACE grants FILE_WRITE_DATA to a SID of the token' });
  });
});

describe('the console', () => {
  const known = () => undefined;
  test('file commands parse as cmd and icacls take them, and print back the same', () => {
    expect(parseCommand('ws1', 'echo Q1 figures > Z:\\report.docx', known())).toMatchObject({
      do: 'echo-to-file',
      text: 'Q1 figures',
      path: 'Z:\\report.docx',
    });
    expect(parseCommand('ws1', 'ICACLS Z:\\report.docx /deny CORP\\alice:(R)', known())).toMatchObject({
      do: 'icacls-change',
      change: 'deny',
      who: 'CORP\\alice',
      rights: '(R)',
    });
    expect(parseCommand('ws1', 'icacls Z:\\finance', known())).toMatchObject({ do: 'icacls' });
    expect(
      parseCommand(
        'adm1',
        'net use Y: \\\\contosofiles.file.core.windows.net\\profiles /user:localhost\\contosofiles K3y',
        known(),
      ),
    ).toMatchObject({ do: 'net-use-key', drive: 'Y:', user: 'localhost\\contosofiles', key: 'K3y' });
    expect(
      parseCommand('ws1', 'net use Z: \\\\contosofiles.file.core.windows.net\\profiles', known()),
    ).toMatchObject({
      do: 'net-use',
    });
  });

  test('a bad word gets a reason', () => {
    expect(() => parseCommand('ws1', 'icacls Z:\\x /deny CORP\\alice:(Q)', known())).toThrow(/icacls rights/);
    expect(() => parseCommand('ws1', 'echo hi >> Z:\\x', known())).toThrow(/append\) is not modelled/);
    expect(() => parseCommand('ws1', 'type', known())).toThrow(/which file\?/);
  });
});

/** A catalogue scenario with more typed at the prompts (or actions as a file writes them), run whole. */
function play(
  base: unknown,
  lines: ([string, string] | Record<string, unknown>)[],
  patch: (s: Record<string, unknown>) => void = () => {},
) {
  const json = structuredClone(base) as Record<string, unknown>;
  patch(json);
  const timeline = json.timeline as object[];
  lines.forEach((l, i) =>
    timeline.push({ id: `typed${i}`, ...(Array.isArray(l) ? parseCommand(l[0], l[1]) : l) }),
  );
  const run = runScenario(validateScenario(json) as Scenario);
  return lines.map((_, i) => run.actions.find((a) => a.id === `typed${i}`)!);
}

describe('typed at the prompt, against the server', () => {
  test('mkdir, copy, dir, del and icacls /grant work for the key; alice is refused what the ACL denies', () => {
    const r = play(ntfsDeny, [
      ['adm1', 'mkdir Y:\\finance'],
      ['adm1', 'mkdir Y:\\finance'],
      ['adm1', 'copy Y:\\report.docx Y:\\finance'],
      ['adm1', 'dir Y:\\finance'],
      ['ws1', 'copy Z:\\report.docx Z:\\mine.docx'],
      ['ws1', 'echo mine > Z:\\notes.txt'],
      ['ws1', 'del Z:\\notes.txt'],
      ['ws1', 'icacls Z:\\report.docx /grant CORP\\alice:(F)'],
      ['adm1', 'icacls Y:\\report.docx /grant CORP\\bob:(R)'],
      ['adm1', 'del Y:\\report.docx'],
      ['ws1', 'type Z:\\report.docx'],
    ]);
    expect(r.map((a) => [a.ok, a.windowsError ?? 0])).toEqual([
      [true, 0],
      [false, 183],
      [true, 0],
      [true, 0],
      [false, 5],
      [true, 0],
      [true, 0],
      [false, 5],
      [false, 1332],
      [true, 0],
      [false, 2],
    ]);
    expect(r[1]!.output).toBe('A subdirectory or file Y:\\finance already exists.');
    expect(r[3]!.output).toBe('1 File(s), 0 Dir(s)');
    expect(r[4]!.output).toBe('Access is denied.\n        0 file(s) copied.');
    expect(r[7]!.output).toMatch(
      /^Z:\\report\.docx: Access is denied\.\nSuccessfully processed 0 files; Failed processing 1 files$/,
    );
    expect(r[10]!.output).toBe('The system cannot find the file specified.');
  });

  test('icacls refuses a SID with no binary form before changing the ACL, and the path still answers', () => {
    const r = play(ntfsDeny, [
      ['adm1', 'mkdir Y:\\x'],
      ['adm1', 'icacls Y:\\x /deny *S-1-5-21-99999999999-1:(R)'],
      ['adm1', 'icacls Y:\\x'],
    ]);
    expect(r[0]).toMatchObject({ ok: true });
    expect(r[1]).toMatchObject({ ok: false, windowsError: 1332 });
    expect(r[1]!.output).toMatch(/No mapping between account names and security IDs was done\./);
    expect(r[2]).toMatchObject({ ok: true });
    expect(r[2]!.output).not.toContain('99999999999');
  });

  test('a role assigned later takes effect after the propagation delay, on the virtual clock', () => {
    const unc = '\\\\contosofiles.file.core.windows.net\\profiles';
    const r = play(
      shareReader,
      [
        {
          do: 'assign-share-role',
          account: 'contosofiles',
          principal: 'alice@CORP.CONTOSO.COM',
          role: 'Storage File Data SMB Share Reader',
        },
        ['ws1', `net use Y: ${unc}`],
        { do: 'advance', by: '29m' },
        ['ws1', `net use X: ${unc}`],
        { do: 'advance', by: '1m' },
        ['ws1', `net use W: ${unc}`],
      ],
      (s) => {
        const az = (s.services as { azureFiles: Record<string, unknown> }[])[0]!.azureFiles;
        az.roles = [];
        az.propagation = '30m';
        (s.timeline as object[]).splice(1);
        s.outcomes = [
          {
            id: 'first-refused',
            description: 'before the role is in force',
            expect: [{ action: 'typed1', windowsError: 5 }],
          },
        ];
      },
    );
    expect(r[0]!.output).toMatch(/in force at 2026-03-02T08:30:00Z \(propagation 30m, modelled\)/);
    expect(r.map((a) => [a.do, a.ok, a.windowsError ?? 0])).toEqual([
      ['assign-share-role', true, 0],
      ['net-use', false, 5],
      ['advance', true, 0],
      ['net-use', false, 5],
      ['advance', true, 0],
      ['net-use', true, 0],
    ]);
  });
});

test('the catalogue runs the four scenarios with every outcome holding', () => {
  for (const id of [
    'share-reader-cannot-write',
    'ntfs-deny',
    'share-default-permission',
    'group-sid-grants',
  ]) {
    const run = runScenario(findScenario(id) as Scenario);
    expect(run.outcomes.filter((o) => !o.ok).map((o) => o.id)).toEqual([]);
  }
});
