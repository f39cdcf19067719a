/**
 * Files on a mapped share, typed at a Windows prompt (`dir`, `type`, `echo text > file`, `copy`, `del`,
 * `mkdir`, `icacls PATH` and `icacls PATH /grant|/deny NAME:(RIGHTS)`), the storage account key's
 * `net use ... /user:localhost\account KEY`, and what an administrator changes around Azure Files (an RBAC
 * role, the default share-level permission, a group membership). src/azure/files-ops.ts and
 * files-admin.ts run them; the SMB server's checks are src/azure/files-authz.ts.
 */
import * as files from '../../azure/files-ops';
import { changeAcl, failed } from '../../azure/files-ops';
import {
  removeGroupMember,
  setDefaultSharePermission,
  setShareRole,
  storageAccount,
} from '../../azure/files-admin';
import { DEFAULT_PERMISSIONS, SHARE_ROLES, SIMPLE_RIGHTS } from '../../azure/files-authz';
import { setTicketEncryption, TICKET_ENCRYPTIONS } from '../../azure/ticket-encryption';
import { sidOf } from '../../azure/files-server';
import { netUse, type WindowsOutcome } from '../../azure';
import type { World } from '../../world';
import { defineAction, word } from '../action-table';
import { clientHost, list, oneOf, opt, principalName, req, ScenarioError, str } from '../shape';

const CLIENT = req(clientHost(), 'the client host where it happens');
const PATH = str({
  pattern: /^(?=.{2,260}$)([A-Za-z]:|\\\\[A-Za-z0-9.-]+\\[^\\<>:"|?*]+)(\\[^\\<>:"|?*]*)*$/,
  hint: 'must be a path on a mapped drive or share, like Z:\\report.docx or \\\\server\\share\\report.docx',
  type: 'path "Z:\\file"',
});
const UNC = str({
  pattern: /^\\\\[A-Za-z0-9.-]+\\[^\\]+$/,
  hint: 'must be a UNC path like \\\\contosofiles.file.core.windows.net\\share',
  type: 'UNC path \\\\server\\share',
});
const DRIVE = str({
  pattern: /^[A-Za-z]:$/,
  hint: 'must be a drive letter like "Z:"',
  type: 'drive letter "Z:"',
});
const ACCOUNT = req(str({ type: 'service id' }), 'the Azure Files account (services[].id)');
const SID = str({ pattern: /^S-1-\d+(-\d+)+$/, hint: 'must be a SID like S-1-5-21-1-2-3-1107', type: 'SID' });
const ROLE = oneOf(Object.keys(SHARE_ROLES));
const RIGHTS = str({
  pattern: /^(\((OI|CI)\))*\((F|M|RX|R|W|D)\)$/,
  hint: 'must be icacls rights like (R), (M), (OI)(CI)(F)',
  type: 'icacls rights "(R)"',
});
const TEXT = str({
  pattern: /^[^\r\n>]{0,1000}$/,
  hint: 'one line of at most 1000 characters',
  type: 'text',
});

/** A command that takes one path. */
const onePath = (args: readonly string[], bad: (reason: string) => never) => {
  if (args.length !== 1)
    bad(args.length === 0 ? 'which file? Name it like Z:\\report.docx' : `one path, not "${args.join(' ')}"`);
  return { path: word(PATH, args[0]!, bad) };
};

const pathCommand = <K extends string>(
  kind: K,
  name: string,
  about: string,
  run: (world: World, host: string, path: string) => WindowsOutcome,
) =>
  defineAction({
    do: kind,
    about,
    fields: { host: CLIENT, path: req(PATH, 'the file or folder') },
    title: (a) => `${a.host}> ${name} ${a.path}`,
    command: { name, syntax: `${name} PATH`, print: (a) => `${name} ${a.path}`, parse: onePath },
    run: (world, a) => run(world, a.host, a.path),
  });

const roleAction = <K extends string>(kind: K, remove: boolean) =>
  defineAction({
    do: kind,
    about: remove
      ? 'An administrator removes an Azure RBAC role from an identity on a storage account (after the propagation delay).'
      : 'An administrator assigns an Azure RBAC role on a storage account to a user or a SID (after the propagation delay).',
    fields: {
      account: ACCOUNT,
      principal: req(
        str({ type: 'user or SID' }),
        'the identity: "alice@CORP.CONTOSO.COM" or a SID (a synced user or group)',
      ),
      role: req(ROLE, 'the role, by its Azure name'),
    },
    title: (a) =>
      `Azure: ${remove ? 'remove' : 'assign'} ${a.role} ${remove ? 'from' : 'to'} ${a.principal} on ${a.account}`,
    run: (world, a, cx) => {
      if (typeof storageAccount(world, a.account) === 'string')
        throw new ScenarioError(
          cx.field('account'),
          `${a.account} is not an Azure Files account (services[].azureFiles)`,
        );
      return setShareRole(world, a.account, a.principal, a.role, remove);
    },
  });

/** `icacls PATH /grant|/deny NAME:(RIGHTS)`: the words after the path. */
function aclChange(args: readonly string[], bad: (reason: string) => never) {
  const sw = /^\/(grant|deny)$/i.exec(args[1] ?? '');
  if (args.length !== 3 || !sw)
    bad('the playground takes icacls PATH, or icacls PATH /grant|/deny NAME:(RIGHTS)');
  const spec = args[2]!;
  const colon = spec.lastIndexOf(':');
  if (colon <= 0) bad(`"${spec}" must be NAME:(RIGHTS), like CORP\\alice:(R)`);
  return {
    path: word(PATH, args[0]!, bad),
    change: sw![1]!.toLowerCase() as 'grant' | 'deny',
    who: spec.slice(0, colon),
    rights: word(RIGHTS, spec.slice(colon + 1), bad),
  };
}

export const FILES_ACTIONS = [
  pathCommand(
    'dir',
    'dir',
    'Lists a folder of a share (`dir Z:\\`): CREATE, QUERY_DIRECTORY, CLOSE.',
    files.listDirectory,
  ),
  pathCommand(
    'type',
    'type',
    'Prints a file (`type Z:\\report.docx`): CREATE for read, READ, CLOSE.',
    files.typeFile,
  ),
  pathCommand(
    'del',
    'del',
    'Deletes a file: CREATE for delete, CLOSE with delete-on-close.',
    files.deleteFile,
  ),
  pathCommand(
    'mkdir',
    'mkdir',
    'Makes a folder: CREATE (directory, create only), CLOSE.',
    files.makeDirectory,
  ),
  defineAction({
    do: 'echo-to-file',
    about:
      'Writes a line into a file (`echo text > Z:\\notes.txt`): CREATE for write (overwrite-if), WRITE, CLOSE.',
    fields: { host: CLIENT, text: req(TEXT, 'the line'), path: req(PATH, 'the file') },
    title: (a) => `${a.host}> echo ${a.text} > ${a.path}`,
    command: {
      name: 'echo',
      syntax: 'echo TEXT > PATH',
      shell: 'cmd',
      print: (a) => `echo ${a.text} > ${a.path}`,
      parse: (args, bad) => {
        const line = args.join(' ');
        const gt = line.indexOf('>');
        if (gt < 0) bad('the playground takes echo TEXT > PATH, or echo %LOGONSERVER%');
        if (line[gt + 1] === '>') bad('>> (append) is not modelled: use > to write the file');
        return {
          text: word(TEXT, line.slice(0, gt).trim(), bad),
          path: word(PATH, line.slice(gt + 1).trim(), bad),
        };
      },
    },
    run: (world, a) => files.echoToFile(world, a.host, a.text, a.path),
  }),
  defineAction({
    do: 'copy',
    about:
      'Copies a file (`copy SOURCE DEST`): the source read, the destination written, each its own CREATE.',
    fields: { host: CLIENT, from: req(PATH, 'the file copied'), to: req(PATH, 'the new file, or a folder') },
    title: (a) => `${a.host}> copy ${a.from} ${a.to}`,
    command: {
      name: 'copy',
      syntax: 'copy SOURCE DEST',
      print: (a) => `copy ${a.from} ${a.to}`,
      parse: (args, bad) => {
        if (args.length !== 2) bad('copy takes a source and a destination');
        return { from: word(PATH, args[0]!, bad), to: word(PATH, args[1]!, bad) };
      },
    },
    run: (world, a) => files.copyFile(world, a.host, a.from, a.to),
  }),
  defineAction({
    do: 'icacls-change',
    about:
      'Adds an allow or deny ACE for a user or group (`icacls PATH /deny CORP\\alice:(R)`): CREATE for change permissions, SET_INFO.',
    fields: {
      host: CLIENT,
      path: req(PATH, 'the file or folder'),
      change: req(oneOf(['grant', 'deny'] as const), 'allow (grant) or deny'),
      who: req(
        str({ pattern: /^[^\s:]{1,256}$/, type: 'account name' }),
        'CORP\\alice, alice@corp.contoso.com, a well-known name or *SID',
      ),
      rights: req(RIGHTS, 'the rights: (R), (RX), (W), (M), (F), (D), with (OI)(CI) to be inherited'),
    },
    title: (a) => `${a.host}> icacls ${a.path} /${a.change} ${a.who}:${a.rights}`,
    command: {
      name: 'icacls',
      syntax: 'icacls PATH /grant|/deny NAME:(RIGHTS)',
      print: (a) => `icacls ${a.path} /${a.change} ${a.who}:${a.rights}`,
      parse: aclChange,
    },
    run: (world, a) => {
      const sid = sidOf(world, a.who);
      if (!sid)
        return failed(
          world,
          a.host,
          1332,
          `${a.who}: No mapping between account names and security IDs was done.\nSuccessfully processed 0 files; Failed processing 1 files`,
        );
      const letters = /\((F|M|RX|R|W|D)\)$/.exec(a.rights)![1]!;
      const mask = SIMPLE_RIGHTS.find(([l]) => l === letters)![1];
      const inherit = /\((OI|CI)\)/.test(a.rights);
      return changeAcl(
        world,
        a.host,
        a.path,
        { type: a.change === 'grant' ? 'allow' : 'deny', sid, mask, ...(inherit ? { inherit } : {}) },
        a.who,
      );
    },
  }),
  pathCommand(
    'icacls',
    'icacls',
    "Shows a file's or folder's ACL (`icacls PATH`): CREATE for read permissions, QUERY_INFO.",
    files.showAcl,
  ),
  defineAction({
    do: 'net-use-key',
    about:
      'Maps a share with the storage account key (`net use Y: \\\\account…\\share /user:localhost\\account KEY`): NTLMv2, superuser, no Kerberos.',
    fields: {
      host: CLIENT,
      unc: req(UNC, 'the share'),
      drive: opt(DRIVE, 'the drive letter'),
      user: req(
        str({
          pattern: /^localhost\\[a-z0-9]{3,24}$/i,
          hint: 'must be localhost\\ACCOUNT',
          type: 'localhost\\account',
        }),
        'localhost\\ followed by the storage account name',
      ),
      key: req(str({ pattern: /^\S{1,128}$/, type: 'storage account key' }), 'the storage account key'),
    },
    title: (a) => `${a.host}> net use ${a.drive ? `${a.drive} ` : ''}${a.unc} /user:${a.user} ********`,
    command: {
      name: 'net use',
      syntax: 'net use [X:] \\\\server\\share /user:localhost\\ACCOUNT KEY',
      print: (a) => `net use ${a.drive ? `${a.drive} ` : ''}${a.unc} /user:${a.user} ${a.key}`,
      parse: (args, bad) => {
        const user = args.find((w) => /^\/user:/i.test(w));
        if (!user) bad('the storage key is given as /user:localhost\\ACCOUNT KEY');
        const rest = args.filter((w) => w !== user);
        if (rest.length < 2 || rest.length > 3)
          bad('net use [X:] \\\\server\\share /user:localhost\\ACCOUNT KEY');
        const drive = rest.length === 3 ? word(DRIVE, rest[0]!, bad) : undefined;
        return {
          unc: word(UNC, rest.at(-2)!, bad),
          ...(drive !== undefined ? { drive } : {}),
          user: user!.slice(6),
          key: rest.at(-1)!,
        };
      },
    },
    run: (world, a) => netUse(world, a.host, a.unc, a.drive, a.unc, { user: a.user, key: a.key }),
  }),
  roleAction('assign-share-role', false),
  roleAction('remove-share-role', true),
  defineAction({
    do: 'set-default-share-permission',
    about:
      "An administrator sets the storage account's default share-level permission (after the propagation delay).",
    fields: {
      account: ACCOUNT,
      permission: req(
        oneOf(Object.keys(DEFAULT_PERMISSIONS)),
        'None, or the role every authenticated identity gets',
      ),
    },
    title: (a) => `Azure: ${a.account} default share-level permission ${a.permission}`,
    run: (world, a, cx) => {
      if (typeof storageAccount(world, a.account) === 'string')
        throw new ScenarioError(
          cx.field('account'),
          `${a.account} is not an Azure Files account (services[].azureFiles)`,
        );
      return setDefaultSharePermission(world, a.account, a.permission);
    },
  }),
  defineAction({
    do: 'set-kerberos-ticket-encryption',
    about:
      'An administrator sets the storage account\'s SMB security setting "Kerberos ticket encryption" (RC4-HMAC, AES-256): SESSION_SETUP refuses a ticket of another enctype.',
    fields: {
      service: req(str({ type: 'service id' }), 'the file server (services[].id)'),
      allowed: req(list(oneOf(TICKET_ENCRYPTIONS), { nonEmpty: true }), 'the ticket encryptions it accepts'),
    },
    title: (a) => `Azure: ${a.service} Kerberos ticket encryption ${a.allowed.join(', ')}`,
    run: (world, a, cx) => {
      const r = setTicketEncryption(world, a.service, a.allowed);
      if (!r.ok) throw new ScenarioError(cx.field('service'), r.output);
      return r;
    },
  }),
  defineAction({
    do: 'remove-group-member',
    about:
      "An administrator takes a user out of a group (synced to Entra): the user's next TGT leaves the group out of the PAC.",
    fields: { principal: req(principalName, 'the user, name@REALM'), group: req(SID, "the group's SID") },
    title: (a) => `directory: remove ${a.principal} from ${a.group}`,
    run: (world, a) => removeGroupMember(world, a.principal, a.group),
  }),
] as const;
