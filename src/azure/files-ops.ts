/**
 * File commands at a Windows prompt, on a mapped share, as SMB2 does them: each is CREATE with the access
 * the command needs (the server checks share level and ACL there), then READ, WRITE, QUERY_DIRECTORY,
 * QUERY_INFO or SET_INFO, then CLOSE — each a modelled step in the trace (files-server.ts answers). The
 * console prints what cmd and icacls print: "Access is denied." for a refused CREATE.
 */
import type { AceState, ServiceActorState, World } from '../world';
import { DELETE, READ, READ_CONTROL, rightsText, WRITE, WRITE_DAC, type EffectiveAce } from './files-authz';
import { sessionFor, sidName, type FileReply, type FileRequest, type NtStatus } from './files-server';
import { findSmbServer, smbFileRequest } from './smb';
import { say, windowsHost, type WindowsOutcome } from './windows-host';

/** A path on a share, as a command names it and as the server knows it. */
export interface SharePath {
  svc: Readonly<ServiceActorState>;
  share: string;
  /** Share-relative ("report.docx", "finance\\budget.xlsx"; "" is the root). */
  path: string;
  session: number;
  /** As typed, for the console's words. */
  shown: string;
}

/** What the console prints for a status a file step came to (the Windows error it stands for). */
const STATUS_WORDS: Partial<Record<NtStatus, [number, string]>> = {
  STATUS_ACCESS_DENIED: [5, 'Access is denied.'],
  STATUS_OBJECT_NAME_NOT_FOUND: [2, 'The system cannot find the file specified.'],
  STATUS_OBJECT_PATH_NOT_FOUND: [3, 'The system cannot find the path specified.'],
  STATUS_FILE_IS_A_DIRECTORY: [5, 'Access is denied.'],
  STATUS_NOT_A_DIRECTORY: [267, 'The directory name is invalid.'],
  STATUS_DIRECTORY_NOT_EMPTY: [145, 'The directory is not empty.'],
  STATUS_USER_SESSION_DELETED: [64, 'The specified network name is no longer available.'],
};

/** A console failure: its line in the trace, with the Windows error. */
export function failed(world: World, host: string, windowsError: number, output: string): WindowsOutcome {
  say(world, host, 'result', output, windowsError);
  return { ok: false, windowsError, output };
}

const failedWith = (world: World, host: string, reply: FileReply | undefined): WindowsOutcome => {
  const [code, text] = (reply && STATUS_WORDS[reply.status]) ?? [
    64,
    'The specified network name is no longer available.',
  ];
  return failed(world, host, code, text);
};

/** Where a typed path leads: a mapped drive ("Z:\\a") or a UNC path on a share this host has open. */
export function resolvePath(world: World, host: string, typed: string): SharePath | WindowsOutcome {
  const drive = /^([A-Za-z]:)(\\.*)?$/.exec(typed);
  let unc: string | undefined;
  let rest: string;
  if (drive) {
    unc = windowsHost(world, host).drives[drive[1]!.toUpperCase()];
    rest = drive[2] ?? '';
    if (!unc) {
      say(
        world,
        host,
        'path',
        `${drive[1]!.toUpperCase()} is not a mapped drive here (the playground's files live on shares)`,
      );
      return failed(world, host, 3, 'The system cannot find the path specified.');
    }
  } else {
    const m = /^\\\\([^\\]+)\\([^\\]+)(\\.*)?$/.exec(typed);
    if (!m) return failed(world, host, 3, 'The system cannot find the path specified.');
    unc = `\\\\${m[1]}\\${m[2]}`;
    rest = m[3] ?? '';
  }
  const [server, share] = unc.slice(2).split('\\') as [string, string];
  const svc = findSmbServer(world, server);
  const session = svc && sessionFor(svc, host, share);
  if (!svc || !session) {
    say(world, host, 'path', `${host} has no SMB session to ${unc}: connect it first with net use`);
    return failed(world, host, 53, 'The network path was not found.');
  }
  const path = rest
    .split('\\')
    .filter((p) => p !== '')
    .join('\\');
  return { svc, share, path, session: session.id, shown: typed };
}

export const isOutcome = (x: SharePath | WindowsOutcome): x is WindowsOutcome => 'ok' in x;

const at = (p: SharePath) => ({ session: p.session, share: p.share, path: p.path });

/** CREATE: opens (or makes) the file with the access asked; the server's reply. */
export function createFile(
  world: World,
  host: string,
  p: SharePath,
  access: number,
  disposition: 'open' | 'create' | 'overwrite-if',
  dir = false,
): FileReply | undefined {
  const names = `\\${p.path}${dir ? ' (directory)' : ''}`;
  return smbFileRequest(
    world,
    host,
    p.svc,
    { op: 'create', ...at(p), access, disposition, dir },
    `${names}: ${disposition}, desired access ${accessWords(access)}`,
  );
}

const accessWords = (mask: number) =>
  [
    [READ, 'read'],
    [WRITE, 'write'],
    [DELETE, 'delete'],
    [READ_CONTROL, 'read permissions'],
    [WRITE_DAC, 'change permissions'],
  ]
    .filter(([b]) => mask & (b as number))
    .map(([, w]) => w)
    .join(', ');

/** A request on an open file (READ, WRITE, QUERY_DIRECTORY, QUERY_INFO, SET_INFO, CLOSE). */
export function fileStep(
  world: World,
  host: string,
  p: SharePath,
  req: FileRequest,
  what: string,
): FileReply | undefined {
  return smbFileRequest(world, host, p.svc, req, `\\${p.path}: ${what}`);
}

const close = (world: World, host: string, p: SharePath, deleteOnClose = false) =>
  fileStep(
    world,
    host,
    p,
    { op: 'close', ...at(p), ...(deleteOnClose ? { deleteOnClose } : {}) },
    deleteOnClose ? 'close, delete on close' : 'close',
  );

/** `type FILE`: CREATE (read), READ, CLOSE; the console prints the file. */
export function typeFile(world: World, host: string, typed: string): WindowsOutcome {
  const p = resolvePath(world, host, typed);
  if (isOutcome(p)) return p;
  const opened = createFile(world, host, p, READ, 'open');
  if (opened?.status !== 'STATUS_SUCCESS') return failedWith(world, host, opened);
  const read = fileStep(world, host, p, { op: 'read', ...at(p) }, 'read');
  close(world, host, p);
  const output = read?.content ?? '';
  say(world, host, 'type', output);
  return { ok: true, output };
}

/** Reads a file's content through CREATE, READ and CLOSE (copy's source). */
function readFile(world: World, host: string, p: SharePath): string | WindowsOutcome {
  const opened = createFile(world, host, p, READ, 'open');
  if (opened?.status !== 'STATUS_SUCCESS') return failedWith(world, host, opened);
  const read = fileStep(world, host, p, { op: 'read', ...at(p) }, 'read');
  close(world, host, p);
  return read?.content ?? '';
}

/** Writes a file through CREATE (overwrite-if, write), WRITE and CLOSE. */
function writeFile(world: World, host: string, p: SharePath, data: string): WindowsOutcome | undefined {
  const opened = createFile(world, host, p, WRITE, 'overwrite-if');
  if (opened?.status !== 'STATUS_SUCCESS') return failedWith(world, host, opened);
  fileStep(world, host, p, { op: 'write', ...at(p), data }, `write ${data.length} bytes`);
  close(world, host, p);
  return undefined;
}

/** `echo TEXT > FILE`: the file gets the line (cmd prints nothing). */
export function echoToFile(world: World, host: string, text: string, typed: string): WindowsOutcome {
  const p = resolvePath(world, host, typed);
  if (isOutcome(p)) return p;
  const bad = writeFile(world, host, p, `${text}\r\n`);
  if (bad) return bad;
  const output = `(cmd prints nothing: ${text.length + 2} bytes written to ${typed})`;
  say(world, host, 'echo', output);
  return { ok: true, output };
}

/** `copy SOURCE DEST`: read one, write the other; into a folder, under the source's name. */
export function copyFile(world: World, host: string, from: string, to: string): WindowsOutcome {
  const src = resolvePath(world, host, from);
  if (isOutcome(src)) return src;
  const content = readFile(world, host, src);
  if (typeof content !== 'string')
    return failed(world, host, content.windowsError ?? 5, `${content.output}\n        0 file(s) copied.`);
  const into = resolvePath(world, host, to);
  if (isOutcome(into)) return into;
  const name = src.path.slice(src.path.lastIndexOf('\\') + 1);
  const node = into.svc.smb?.files?.[into.share.toLowerCase()]?.find(
    (n) => n.path.toLowerCase() === into.path.toLowerCase(),
  );
  const dst = node?.dir ? { ...into, path: into.path ? `${into.path}\\${name}` : name } : into;
  const bad = writeFile(world, host, dst, content);
  if (bad) return failed(world, host, bad.windowsError ?? 5, `${bad.output}\n        0 file(s) copied.`);
  const output = '        1 file(s) copied.';
  say(world, host, 'copy', output);
  return { ok: true, output };
}

/** `del FILE`: CREATE with DELETE, CLOSE with delete-on-close. */
export function deleteFile(world: World, host: string, typed: string): WindowsOutcome {
  const p = resolvePath(world, host, typed);
  if (isOutcome(p)) return p;
  const opened = createFile(world, host, p, DELETE, 'open');
  if (opened?.status !== 'STATUS_SUCCESS') return failedWith(world, host, opened);
  const closed = close(world, host, p, true);
  if (closed?.status !== 'STATUS_SUCCESS') return failedWith(world, host, closed);
  const output = `(del prints nothing: ${typed} deleted)`;
  say(world, host, 'del', output);
  return { ok: true, output };
}

/** `mkdir DIR`: CREATE a directory (create only), CLOSE. */
export function makeDirectory(world: World, host: string, typed: string): WindowsOutcome {
  const p = resolvePath(world, host, typed);
  if (isOutcome(p)) return p;
  const made = createFile(world, host, p, READ, 'create', true);
  if (made?.status === 'STATUS_OBJECT_NAME_COLLISION')
    return failed(world, host, 183, `A subdirectory or file ${typed} already exists.`);
  if (made?.status !== 'STATUS_SUCCESS') return failedWith(world, host, made);
  close(world, host, p);
  const output = `(mkdir prints nothing: ${typed} made)`;
  say(world, host, 'mkdir', output);
  return { ok: true, output };
}

const two = (n: number) => String(n).padStart(2, '0');
/** "03/02/2026  08:05 AM", as dir prints a time (the server's clock, UTC). */
function dirTime(ms: number): string {
  const d = new Date(ms);
  const h = d.getUTCHours();
  return `${two(d.getUTCMonth() + 1)}/${two(d.getUTCDate())}/${d.getUTCFullYear()}  ${two(h % 12 || 12)}:${two(d.getUTCMinutes())} ${h < 12 ? 'AM' : 'PM'}`;
}

/** `dir [DIR]`: CREATE the folder (read), QUERY_DIRECTORY, CLOSE; the listing as cmd prints it. */
export function listDirectory(world: World, host: string, typed: string): WindowsOutcome {
  const p = resolvePath(world, host, typed);
  if (isOutcome(p)) return p;
  const opened = createFile(world, host, p, READ, 'open', true);
  if (opened?.status !== 'STATUS_SUCCESS') return failedWith(world, host, opened);
  const listed = fileStep(world, host, p, { op: 'query-directory', ...at(p) }, 'query directory *');
  close(world, host, p);
  const entries = listed?.entries ?? [];
  const files = entries.filter((e) => !e.dir);
  const bytes = files.reduce((n, e) => n + e.size, 0);
  const where = /^[A-Za-z]:$/.test(typed) ? `${typed}\\` : typed;
  const text = [
    ` Volume in drive ${where.slice(0, 1)} is ${p.share}`,
    '',
    ` Directory of ${where}`,
    '',
    ...entries.map(
      (e) => `${dirTime(e.modified)}    ${e.dir ? '<DIR>         ' : String(e.size).padStart(14)} ${e.name}`,
    ),
    `${String(files.length).padStart(16)} File(s) ${String(bytes).padStart(14)} bytes`,
    `${String(entries.length - files.length).padStart(16)} Dir(s)`,
  ];
  say(world, host, 'dir', text.join('\n'));
  return { ok: true, output: `${files.length} File(s), ${entries.length - files.length} Dir(s)` };
}

/** One icacls line of an ACE: "CORP\alice:(DENY)(R)", "BUILTIN\Users:(I)(OI)(CI)(RX)". */
export const icaclsAce = (world: World, a: EffectiveAce | AceState, dir = true): string =>
  `${sidName(world, a.sid)}:${a.type === 'deny' ? '(DENY)' : ''}${'inherited' in a && a.inherited ? '(I)' : ''}${a.inherit && dir ? '(OI)(CI)' : ''}(${rightsText(a.mask)})`;

/** `icacls PATH`: CREATE (read permissions), QUERY_INFO (the security descriptor), CLOSE. */
export function showAcl(world: World, host: string, typed: string): WindowsOutcome {
  const p = resolvePath(world, host, typed);
  if (isOutcome(p)) return p;
  const opened = createFile(world, host, p, READ_CONTROL, 'open', false);
  if (opened?.status !== 'STATUS_SUCCESS') return icaclsFailed(world, host, typed, opened);
  const info = fileStep(world, host, p, { op: 'query-info', ...at(p) }, 'query security descriptor (DACL)');
  close(world, host, p);
  const lines = (info?.acl ?? []).map((a) => icaclsAce(world, a, info?.dir));
  const text = [
    ...lines.map((l, i) => (i === 0 ? `${typed} ${l}` : `${' '.repeat(typed.length + 1)}${l}`)),
    '',
    'Successfully processed 1 files; Failed processing 0 files',
  ];
  say(world, host, 'icacls', text.join('\n'));
  return { ok: true, output: `${lines.length} ACEs` };
}

function icaclsFailed(
  world: World,
  host: string,
  typed: string,
  reply: FileReply | undefined,
): WindowsOutcome {
  const words = (reply && STATUS_WORDS[reply.status]) ?? [5, 'Access is denied.'];
  return failed(
    world,
    host,
    words[0],
    `${typed}: ${words[1]}\nSuccessfully processed 0 files; Failed processing 1 files`,
  );
}

/** `icacls PATH /grant|/deny NAME:(RIGHTS)`: CREATE (change permissions), SET_INFO, CLOSE. */
export function changeAcl(
  world: World,
  host: string,
  typed: string,
  ace: AceState,
  who: string,
): WindowsOutcome {
  const p = resolvePath(world, host, typed);
  if (isOutcome(p)) return p;
  const opened = createFile(world, host, p, WRITE_DAC, 'open', false);
  if (opened?.status !== 'STATUS_SUCCESS') return icaclsFailed(world, host, typed, opened);
  fileStep(
    world,
    host,
    p,
    { op: 'set-info', ...at(p), ace },
    `set security descriptor: add ${icaclsAce(world, ace)} (${who})`,
  );
  close(world, host, p);
  const output = `processed file: ${typed}\nSuccessfully processed 1 files; Failed processing 0 files`;
  say(world, host, 'icacls', output);
  return { ok: true, output };
}
