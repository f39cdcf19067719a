/**
 * Azure Files authorization, as Microsoft documents it (docs/modelled.md lists each fact with its source):
 *
 * - Share level, checked at TREE_CONNECT and again at each CREATE: the Azure RBAC roles that mean something
 *   over SMB, or the storage account's default share-level permission for every authenticated identity,
 *   the higher of the two winning. Storage File Data SMB Share Reader reads; SMB Share Contributor reads,
 *   writes and deletes; SMB Share Elevated Contributor also changes ACLs; Storage File Data SMB Admin is
 *   "admin access equivalent to storage account key for end users over SMB". The Privileged Reader and
 *   Privileged Contributor roles serve the REST API with OAuth and grant nothing over SMB.
 *   (learn.microsoft.com/azure/storage/files/storage-files-identity-assign-share-level-permissions;
 *   learn.microsoft.com/azure/role-based-access-control/built-in-roles/storage.) A role change reaches the
 *   file service after a propagation delay, documented as up to hours: each assignment carries the virtual
 *   time it takes effect. A cloud-only identity (its user SID a cloud SID, S-1-12-1-…) gets the default
 *   share-level permission only: no role assigned to it applies (Entra Kerberos for cloud-only identities,
 *   preview: learn.microsoft.com/azure/storage/files/storage-files-identity-auth-hybrid-identities-enable).
 * - File and folder level, checked at each CREATE: the Windows ACL (allow and deny ACEs on SIDs, in
 *   canonical order: explicit deny, explicit allow, inherited deny, inherited allow; inheritable ACEs of the
 *   folders above) against the session's token — the user SID and group SIDs of the PAC the service
 *   validated in SESSION_SETUP, plus the well-known SIDs Windows adds to every network logon's token
 *   (Everyone, Authenticated Users, and BUILTIN\Users, which holds Authenticated Users). The most
 *   restrictive of the two levels applies
 *   (learn.microsoft.com/azure/storage/files/storage-files-identity-configure-file-level-permissions).
 * - The storage account key (NTLMv2 as localhost\account) is superuser: no ACL applies.
 *
 * Pure decisions over plain data; the SMB server (smb.ts) and the file steps (files-ops.ts) call them.
 */
import type { AceState, AzureFilesAuthzState, FileNodeState, SmbSessionState } from '../world';
import { isCloudSid } from './cloud-sid';

// ---- access masks (a simplified FILE_* set: one bit per thing a person can be allowed or denied) ----------

export const READ = 1;
export const WRITE = 2;
export const EXECUTE = 4;
export const DELETE = 8;
export const READ_CONTROL = 16;
export const WRITE_DAC = 32;
export const WRITE_OWNER = 64;
export const ALL = 127;

/** icacls' simple rights, widest first (what `icacls` prints and `/grant`, `/deny` take). */
export const SIMPLE_RIGHTS: readonly [string, number][] = [
  ['F', ALL],
  ['M', READ | READ_CONTROL | EXECUTE | WRITE | DELETE],
  ['RX', READ | READ_CONTROL | EXECUTE],
  ['R', READ | READ_CONTROL],
  ['W', WRITE],
  ['D', DELETE],
];

/** The SMB2 names of a mask's rights, for the trace (MS-SMB2 2.2.13.1.1). */
const SMB_NAMES: readonly [number, string][] = [
  [READ, 'FILE_READ_DATA'],
  [WRITE, 'FILE_WRITE_DATA'],
  [EXECUTE, 'FILE_EXECUTE'],
  [DELETE, 'DELETE'],
  [READ_CONTROL, 'READ_CONTROL'],
  [WRITE_DAC, 'WRITE_DAC'],
  [WRITE_OWNER, 'WRITE_OWNER'],
];

export const accessNames = (mask: number): string =>
  SMB_NAMES.filter(([bit]) => mask & bit)
    .map(([, n]) => n)
    .join('|') || 'none';

/** icacls' words for a mask: "F", "M", "RX", "R", "W", or the special rights listed. */
export function rightsText(mask: number): string {
  const simple = SIMPLE_RIGHTS.find(([, m]) => m === mask);
  if (simple) return simple[0];
  const special: [number, string][] = [
    [READ, 'RD'],
    [WRITE, 'WD'],
    [EXECUTE, 'X'],
    [DELETE, 'DE'],
    [READ_CONTROL, 'RC'],
    [WRITE_DAC, 'WDAC'],
    [WRITE_OWNER, 'WO'],
  ];
  return special
    .filter(([b]) => mask & b)
    .map(([, n]) => n)
    .join(',');
}

// ---- share level ----------------------------------------------------------------------------------------

/** The share-level permission values, by rank, with what each allows over SMB. */
export const SHARE_ROLES: Readonly<Record<string, { rank: number; mask: number; superuser?: boolean }>> = {
  'Storage File Data SMB Share Reader': { rank: 1, mask: READ | READ_CONTROL | EXECUTE },
  'Storage File Data SMB Share Contributor': {
    rank: 2,
    mask: READ | READ_CONTROL | EXECUTE | WRITE | DELETE,
  },
  'Storage File Data SMB Share Elevated Contributor': {
    rank: 3,
    mask: READ | READ_CONTROL | EXECUTE | WRITE | DELETE | WRITE_DAC,
  },
  'Storage File Data SMB Admin': { rank: 4, mask: ALL, superuser: true },
  // OAuth over REST only: nothing over SMB
  'Storage File Data Privileged Reader': { rank: 0, mask: 0 },
  'Storage File Data Privileged Contributor': { rank: 0, mask: 0 },
};

/** The storage account's default share-level permission values (ARM's DefaultSharePermission) and their roles. */
export const DEFAULT_PERMISSIONS: Readonly<Record<string, string | undefined>> = {
  None: undefined,
  StorageFileDataSmbShareReader: 'Storage File Data SMB Share Reader',
  StorageFileDataSmbShareContributor: 'Storage File Data SMB Share Contributor',
  StorageFileDataSmbShareElevatedContributor: 'Storage File Data SMB Share Elevated Contributor',
};

/** The well-known SIDs every authenticated network logon's token holds beside the PAC's. */
export const TOKEN_WELL_KNOWN = ['S-1-1-0', 'S-1-5-11', 'S-1-5-32-545'];

/** The session's token: the PAC's user and group SIDs, then the well-known ones. */
export const tokenSids = (s: Readonly<SmbSessionState>): string[] => [
  ...(s.userSid ? [s.userSid] : []),
  ...s.groupSids,
  ...TOKEN_WELL_KNOWN,
];

/** The default share-level permission in force at `now`. */
export function defaultPermissionAt(authz: Readonly<AzureFilesAuthzState>, now: number): string {
  let value = 'None';
  for (const d of authz.defaults) if (d.effectiveAt <= now) value = d.value;
  return value;
}

export interface ShareLevel {
  /** The rights the share level allows (0: none, the share cannot be opened). */
  mask: number;
  superuser: boolean;
  /** Where it comes from, in words: "role Storage File Data SMB Share Reader (alice@…)", "default permission None". */
  why: string;
}

const held = (s: Readonly<SmbSessionState>, principal: string): boolean => {
  const p = principal.toLowerCase();
  return s.principal.toLowerCase() === p || tokenSids(s).some((sid) => sid.toLowerCase() === p);
};

/** The share-level permission of a session at `now`: the highest of its roles in force and the default. */
export function shareLevel(
  authz: Readonly<AzureFilesAuthzState> | undefined,
  session: Readonly<SmbSessionState>,
  now: number,
): ShareLevel {
  if (session.superuser) return { mask: ALL, superuser: true, why: 'the storage account key (superuser)' };
  if (!authz) return { mask: ALL, superuser: false, why: 'no share-level permissions on this server' };
  const def = defaultPermissionAt(authz, now);
  const defRole = DEFAULT_PERMISSIONS[def];
  let best: { rank: number; role: string; why: string } = defRole
    ? { rank: SHARE_ROLES[defRole]!.rank, role: defRole, why: `default share-level permission ${def}` }
    : { rank: 0, role: '', why: `default share-level permission None and no SMB role` };
  // cloud-only identities get the default share-level permission only (preview; docs/modelled.md)
  const cloudOnly = session.userSid !== undefined && isCloudSid(session.userSid);
  if (cloudOnly)
    best = { ...best, why: `${best.why}; a cloud-only identity: only the default applies, no RBAC role` };
  for (const r of cloudOnly ? [] : authz.roles) {
    const live = r.effectiveAt <= now && !(r.removedAt !== undefined && r.removedAt <= now);
    const rank = SHARE_ROLES[r.role]?.rank ?? 0;
    if (live && held(session, r.principal) && rank > best.rank)
      best = { rank, role: r.role, why: `role ${r.role} assigned to ${r.principal}` };
  }
  const role = SHARE_ROLES[best.role];
  return { mask: role?.mask ?? 0, superuser: role?.superuser ?? false, why: best.why };
}

// ---- NTFS ---------------------------------------------------------------------------------------------

/** An ACE as the check sees it: with where it came from. */
export interface EffectiveAce extends AceState {
  inherited: boolean;
  /** The path of the folder it was inherited from ("" for the root). */
  from: string;
}

export const parentOf = (path: string): string | undefined =>
  path === '' ? undefined : path.includes('\\') ? path.slice(0, path.lastIndexOf('\\')) : '';

/** The node's ACL in canonical order: explicit deny, explicit allow, inherited deny, inherited allow. */
export function effectiveAcl(nodes: readonly FileNodeState[], node: Readonly<FileNodeState>): EffectiveAce[] {
  const own = node.acl.map((a) => ({ ...a, inherited: false, from: node.path }));
  const inherited: EffectiveAce[] = [];
  let at: Readonly<FileNodeState> | undefined = node;
  while (at && !at.protected) {
    const up = parentOf(at.path);
    const parent =
      up === undefined ? undefined : nodes.find((n) => n.path.toLowerCase() === up.toLowerCase());
    if (!parent) break;
    for (const a of parent.acl) if (a.inherit) inherited.push({ ...a, inherited: true, from: parent.path });
    at = parent;
  }
  const order = (a: EffectiveAce) => (a.inherited ? 2 : 0) + (a.type === 'deny' ? 0 : 1);
  return [...own, ...inherited]
    .map((a, i) => ({ a, i }))
    .sort((x, y) => order(x.a) - order(y.a) || x.i - y.i)
    .map((x) => x.a);
}

export type AccessDecision =
  { ok: true; granted: number; why: string } | { ok: false; why: string; ace?: EffectiveAce };

/**
 * The Windows access check over a canonical ACL: the first deny ACE on a SID of the token that names a right
 * still wanted refuses; allow ACEs add rights until everything wanted is granted; rights no ACE grants refuse.
 */
export function checkAcl(
  acl: readonly EffectiveAce[],
  sids: readonly string[],
  desired: number,
  describe: (a: EffectiveAce) => string,
): AccessDecision {
  const mine = new Set(sids.map((s) => s.toUpperCase()));
  let granted = 0;
  const allowedBy: string[] = [];
  for (const ace of acl) {
    if (!mine.has(ace.sid.toUpperCase())) continue;
    const wanted = desired & ~granted;
    if (ace.type === 'deny' && ace.mask & wanted)
      return { ok: false, ace, why: `the deny ACE ${describe(ace)} matched` };
    if (ace.type === 'allow' && ace.mask & wanted) {
      granted |= ace.mask & wanted;
      allowedBy.push(describe(ace));
    }
    if ((granted & desired) === desired)
      return { ok: true, granted, why: `allowed by ${allowedBy.join(', ')}` };
  }
  return { ok: false, why: `no ACE grants ${accessNames(desired & ~granted)} to a SID of the token` };
}

/** The ACL a new share's root gets (modelled on the defaults Microsoft documents for a share's root). */
export const DEFAULT_ROOT_ACL: readonly AceState[] = [
  { type: 'allow', sid: 'S-1-5-32-544', mask: ALL, inherit: true },
  { type: 'allow', sid: 'S-1-5-18', mask: ALL, inherit: true },
  { type: 'allow', sid: 'S-1-5-32-545', mask: READ | READ_CONTROL | EXECUTE, inherit: true },
  { type: 'allow', sid: 'S-1-5-11', mask: READ | READ_CONTROL | EXECUTE | WRITE | DELETE, inherit: true },
];
