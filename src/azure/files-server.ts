/**
 * The file side of the SMB server (smb.ts's listener hands it CREATE, READ, WRITE, CLOSE, QUERY_DIRECTORY,
 * QUERY_INFO and SET_INFO for a security descriptor): what each request does to the share's files and the
 * NT status it comes to. Requests and replies are plain data — op, share, path, desired access, status —
 * that an encoder can turn into SMB2 bytes; here they are modelled steps. The access check is
 * files-authz.ts's: share level, then the ACL against the session's token.
 */
import type { AceState, FileNodeState, ServiceActorState, SmbSessionState, World } from '../world';
import { parseSid } from '../formats/ndr';
import {
  accessNames,
  checkAcl,
  DEFAULT_ROOT_ACL,
  effectiveAcl,
  parentOf,
  rightsText,
  shareLevel,
  tokenSids,
  READ,
  WRITE,
  type EffectiveAce,
} from './files-authz';

/** The NT statuses the file steps come to (MS-ERREF 2.3.1). */
export const NT_STATUS = {
  STATUS_SUCCESS: 0x00000000,
  STATUS_ACCESS_DENIED: 0xc0000022,
  STATUS_OBJECT_NAME_NOT_FOUND: 0xc0000034,
  STATUS_OBJECT_NAME_COLLISION: 0xc0000035,
  STATUS_OBJECT_PATH_NOT_FOUND: 0xc000003a,
  STATUS_FILE_IS_A_DIRECTORY: 0xc00000ba,
  STATUS_NOT_A_DIRECTORY: 0xc0000103,
  STATUS_DIRECTORY_NOT_EMPTY: 0xc0000101,
  STATUS_USER_SESSION_DELETED: 0xc0000203,
} as const;
export type NtStatus = keyof typeof NT_STATUS;

export const statusText = (s: NtStatus): string =>
  `${s} (0x${NT_STATUS[s].toString(16).toUpperCase().padStart(8, '0')})`;

interface At {
  session: number;
  share: string;
  /** Share-relative, backslashes, no leading one ("" is the root). */
  path: string;
}

/** What a client asks of a file on an open session, as SMB2 carries it. */
export type FileRequest =
  | (At & {
      op: 'create';
      /** The desired access (files-authz.ts masks). */
      access: number;
      disposition: 'open' | 'create' | 'overwrite-if';
      dir: boolean;
    })
  | (At & { op: 'read' })
  | (At & { op: 'write'; data: string })
  | (At & { op: 'close'; deleteOnClose?: boolean })
  | (At & { op: 'query-directory' })
  | (At & { op: 'query-info' })
  | (At & { op: 'set-info'; ace: AceState });

export interface DirEntry {
  name: string;
  dir: boolean;
  size: number;
  modified: number;
}

/** What the server answers: the status, and what a successful request returns. */
export interface FileReply {
  status: NtStatus;
  /** Why, in words (the ACE that matched, the share-level role). */
  why?: string;
  content?: string;
  entries?: DirEntry[];
  acl?: EffectiveAce[];
  owner?: string;
  /** QUERY_INFO, SET_INFO: the object is a folder. */
  dir?: boolean;
  /** QUERY_INFO, SET_INFO: the folder's ACL inherits nothing from above (SE_DACL_PROTECTED). */
  protected?: boolean;
}

// ---- names of SIDs ------------------------------------------------------------------------------------

const WELL_KNOWN_NAMES: Record<string, string> = {
  'S-1-1-0': 'Everyone',
  'S-1-5-11': 'NT AUTHORITY\\Authenticated Users',
  'S-1-5-18': 'NT AUTHORITY\\SYSTEM',
  'S-1-5-32-544': 'BUILTIN\\Administrators',
  'S-1-5-32-545': 'BUILTIN\\Users',
};
const DOMAIN_RIDS: Record<string, string> = { '512': 'Domain Admins', '513': 'Domain Users' };

/** A SID's account name as Windows would look it up (its realm's database), or the SID itself. */
export function sidName(world: World, sid: string): string {
  const known = WELL_KNOWN_NAMES[sid.toUpperCase()];
  if (known) return known;
  for (const realm of world.kdcs.flatMap((k) => k.state.realms)) {
    const p = realm.principals.find((e) => e.sid === sid && e.realm === realm.name);
    if (p) return `${realm.netbiosName}\\${p.name.nameString.join('/')}`;
    const rid = sid.split('-').pop()!;
    if (realm.domainSid && sid === `${realm.domainSid}-${rid}` && DOMAIN_RIDS[rid])
      return `${realm.netbiosName}\\${DOMAIN_RIDS[rid]}`;
  }
  return sid;
}

/**
 * The SID of a name icacls is given: "*S-1-…", a well-known name ("Everyone", "BUILTIN\Users"), DOMAIN\user
 * or user@domain from its realm's database (the LSA's lookup at the DC, not drawn).
 */
export function sidOf(world: World, name: string): string | undefined {
  if (/^\*S-1-\d+(-\d+)+$/i.test(name)) {
    // a SID that has no binary form (a sub-authority over 0xffffffff, more than 15 of them) maps to no account
    try {
      parseSid(name.slice(1));
    } catch {
      return undefined;
    }
    return name.slice(1).toUpperCase();
  }
  const lower = name.toLowerCase();
  const known = Object.entries(WELL_KNOWN_NAMES).find(
    ([, n]) => n.toLowerCase() === lower || n.split('\\').pop()!.toLowerCase() === lower,
  );
  if (known) return known[0];
  const [domain, user] = name.includes('\\')
    ? (name.split('\\') as [string, string])
    : name.includes('@')
      ? ([name.slice(name.indexOf('@') + 1), name.slice(0, name.indexOf('@'))] as [string, string])
      : ['', name];
  for (const realm of world.kdcs.flatMap((k) => k.state.realms)) {
    const d = domain.toLowerCase();
    if (d && realm.netbiosName.toLowerCase() !== d && realm.name.toLowerCase() !== d) continue;
    const p = realm.principals.find(
      (e) => e.realm === realm.name && e.name.nameString.join('/').toLowerCase() === user.toLowerCase(),
    );
    if (p?.sid) return p.sid;
  }
  return undefined;
}

/** "(DENY) CORP\alice (S-1-5-21-…-1104): R on report.docx" — the ACE as the trace names it. */
export const describeAce = (world: World, a: EffectiveAce): string =>
  `${a.type === 'deny' ? '(DENY) ' : ''}${sidName(world, a.sid)} (${a.sid}): ${rightsText(a.mask)}, ${a.inherited ? `inherited from \\${a.from}` : `explicit on \\${a.from}`}`;

// ---- the share's files ----------------------------------------------------------------------------------

/** The files of a share, its root made (with the default ACL) on first use. */
export function shareFiles(svc: ServiceActorState, share: string, now: number): FileNodeState[] {
  const smb = svc.smb!;
  const files = (smb.files ??= {});
  const key = share.toLowerCase();
  return (files[key] ??= [
    { path: '', dir: true, acl: DEFAULT_ROOT_ACL.map((a) => ({ ...a })), modified: now },
  ]);
}

export const findNode = (nodes: readonly FileNodeState[], path: string): FileNodeState | undefined =>
  nodes.find((n) => n.path.toLowerCase() === path.toLowerCase());

const denied = (why: string): FileReply => ({ status: 'STATUS_ACCESS_DENIED', why });

/** CREATE: the share level, then the ACL of the file (or of its folder, for a new one). */
function create(
  world: World,
  svc: ServiceActorState,
  s: SmbSessionState,
  r: FileRequest & { op: 'create' },
): FileReply {
  const now = world.hostNow(svc.host);
  const level = shareLevel(svc.smb!.azure, s, now);
  if (r.access & ~level.mask)
    return denied(
      `share level: ${level.why} allows ${accessNames(level.mask)}, not ${accessNames(r.access & ~level.mask)}`,
    );
  const nodes = shareFiles(svc, r.share, now);
  const node = findNode(nodes, r.path);
  const parent = findNode(nodes, parentOf(r.path) ?? '');
  if (!node && (!parent || !parent.dir)) return { status: 'STATUS_OBJECT_PATH_NOT_FOUND' };
  if (node && r.disposition === 'create') return { status: 'STATUS_OBJECT_NAME_COLLISION' };
  if (!node && r.disposition === 'open') return { status: 'STATUS_OBJECT_NAME_NOT_FOUND' };
  if (node && node.dir && !r.dir && r.access & (READ | WRITE))
    return { status: 'STATUS_FILE_IS_A_DIRECTORY' };
  if (node && !node.dir && r.dir) return { status: 'STATUS_NOT_A_DIRECTORY' };
  // a new file or folder is the folder's to allow (add file / add subdirectory)
  const target = node ?? parent!;
  const wanted = node ? r.access : WRITE;
  let why = `share level: ${level.why}`;
  if (!level.superuser) {
    const acl = effectiveAcl(nodes, target);
    const d = checkAcl(acl, tokenSids(s), wanted, (a) => describeAce(world, a));
    if (!d.ok) return denied(`NTFS on \\${target.path}: ${d.why}`);
    why += `; NTFS on \\${target.path}: ${d.why}`;
  }
  if (!node)
    nodes.push({
      path: r.path,
      dir: r.dir,
      acl: [],
      ...(s.userSid ? { owner: s.userSid } : {}),
      modified: now,
      ...(r.dir ? {} : { content: '' }),
    });
  return { status: 'STATUS_SUCCESS', why };
}

/**
 * The order an NTFS directory lists its names in: each name upper-cased (as the volume's $UpCase table
 * does), then compared code unit by code unit. So `_old.txt` comes after `notes.txt`, as `dir` shows on
 * Windows. No ICU collator is built (a first localeCompare in the worker costs 15-170 ms).
 */
function ntfsOrder(a: string, b: string): number {
  const x = a.toUpperCase();
  const y = b.toUpperCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

function listDirectory(svc: ServiceActorState, r: At, now: number): FileReply {
  const nodes = shareFiles(svc, r.share, now);
  const prefix = r.path === '' ? '' : `${r.path.toLowerCase()}\\`;
  const entries = nodes
    .filter((n) => n.path !== '' && parentOf(n.path)!.toLowerCase() === r.path.toLowerCase())
    .filter((n) => n.path.toLowerCase().startsWith(prefix))
    .map((n) => ({
      name: n.path.slice(n.path.lastIndexOf('\\') + 1),
      dir: n.dir,
      size: n.content?.length ?? 0,
      modified: n.modified,
    }))
    .sort((a, b) => ntfsOrder(a.name, b.name));
  return { status: 'STATUS_SUCCESS', entries };
}

/** Adds an ACE as icacls does: the same SID and type gain the rights. */
function addAce(node: FileNodeState, ace: AceState): void {
  const same = node.acl.find((a) => a.type === ace.type && a.sid.toUpperCase() === ace.sid.toUpperCase());
  if (same) {
    same.mask |= ace.mask;
    if (ace.inherit) same.inherit = true;
  } else node.acl.push({ ...ace });
}

/** QUERY_INFO's answer, and SET_INFO's: the node's security descriptor as it stands (after the change). */
const securityOf = (nodes: readonly FileNodeState[], node: Readonly<FileNodeState>): FileReply => ({
  status: 'STATUS_SUCCESS',
  acl: effectiveAcl(nodes, node),
  dir: node.dir,
  ...(node.protected ? { protected: true } : {}),
  ...(node.owner ? { owner: node.owner } : {}),
});

/**
 * What a SET_INFO request carries, whatever the server answers: the object's DACL as icacls read it on
 * opening, with the ACE it adds (as the server would write it); the ACE alone for an object the server
 * does not hold. Read-only: the server's state is left as it is.
 */
export function requestedSecurity(
  svc: Readonly<ServiceActorState>,
  r: Extract<FileRequest, { op: 'set-info' }>,
): FileReply {
  const nodes = svc.smb?.files?.[r.share.toLowerCase()] ?? [];
  const held = findNode(nodes, r.path);
  const node = held ? structuredClone(held) : { path: r.path, dir: false, acl: [], modified: 0 };
  addAce(node, r.ace);
  return securityOf(nodes, node);
}

/** The server's answer to a file request on one of its sessions. */
export function serveFile(world: World, svc: ServiceActorState, r: FileRequest): FileReply {
  const s = svc.smb!.sessions?.find((x) => x.id === r.session);
  if (!s) return { status: 'STATUS_USER_SESSION_DELETED' };
  const now = world.hostNow(svc.host);
  if (r.op === 'create') return create(world, svc, s, r);
  const nodes = shareFiles(svc, r.share, now);
  const node = findNode(nodes, r.path);
  if (!node) return { status: 'STATUS_OBJECT_NAME_NOT_FOUND' };
  switch (r.op) {
    case 'read':
      return { status: 'STATUS_SUCCESS', content: node.content ?? '' };
    case 'write':
      node.content = r.data;
      node.modified = now;
      return { status: 'STATUS_SUCCESS' };
    case 'close':
      if (r.deleteOnClose) {
        if (node.dir && nodes.some((n) => parentOf(n.path)?.toLowerCase() === node.path.toLowerCase()))
          return { status: 'STATUS_DIRECTORY_NOT_EMPTY' };
        nodes.splice(nodes.indexOf(node), 1);
      }
      return { status: 'STATUS_SUCCESS' };
    case 'query-directory':
      return listDirectory(svc, r, now);
    case 'query-info':
      return securityOf(nodes, node);
    case 'set-info':
      addAce(node, r.ace);
      return securityOf(nodes, node);
  }
}

/** A new session on the server, with the identity SESSION_SETUP authenticated. */
export function openSession(
  svc: ServiceActorState,
  session: Omit<SmbSessionState, 'id' | 'trees'>,
): SmbSessionState {
  const sessions = (svc.smb!.sessions ??= []);
  const s: SmbSessionState = { ...session, id: sessions.length + 1, trees: [] };
  sessions.push(s);
  return s;
}

/** The newest session `host` holds on the server with `share` connected. */
export function sessionFor(
  svc: Readonly<ServiceActorState>,
  host: string,
  share: string,
): SmbSessionState | undefined {
  return [...(svc.smb?.sessions ?? [])]
    .reverse()
    .find((s) => s.host === host && s.trees.some((t) => t.toLowerCase() === share.toLowerCase()));
}
