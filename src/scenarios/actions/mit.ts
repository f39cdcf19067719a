/**
 * The commands a person types at a Linux host with MIT krb5 (clients[].os "linux"): `kinit`, `klist`,
 * `kvno`, `kdestroy`. The world's Linux host runs them (world/linux-host.ts) and prints what MIT's tools
 * print; at its prompt only these are read, names spelled exactly as a shell wants them. A keytab is not
 * modelled on the host, so `kinit -k -t` is refused with that reason.
 */
import * as linux from '../../world';
import { defineAction, word, type ActionRun } from '../action-table';
import { bool, linuxHost, opt, req, str } from '../shape';

const HOST = req(linuxHost, 'the Linux host where it is typed');
const PRINCIPAL = str({
  pattern: /^[^@\s/]+(\/[^@\s]+)?(@[A-Za-z0-9._-]+)?$/,
  hint: 'must be a principal like alice or alice@CORP.CONTOSO.COM',
  type: 'principal "name[@REALM]"',
});
const SERVICE = str({
  pattern: /^[^/@\s]+\/[^@\s]+(@[A-Za-z0-9._-]+)?$/,
  hint: 'must be a service principal like cifs/fs1.corp.contoso.com[@REALM]',
  type: 'service principal "service/host[@REALM]"',
});

/** What the playground's Linux host does not model, said once for every refused option. */
const SUPPORTED = "the playground's Linux host models kinit [principal], klist [-e] [-f], kvno SPN, kdestroy";

/** An MIT tool's outcome as the action's. */
const ran = (o: linux.MitOutcome): ActionRun => o;

/** The option letters of words like "-e", "-ef" (getopt's way); anything else is refused through `bad`. */
function options(args: readonly string[], allowed: string, bad: (reason: string) => never): Set<string> {
  const seen = new Set<string>();
  for (const a of args) {
    if (!a.startsWith('-') || a === '-') bad(`"${a}": only the default cache is modelled (${SUPPORTED})`);
    for (const c of a.slice(1)) {
      if (!allowed.includes(c)) bad(`invalid option -- '${c}' (${SUPPORTED})`);
      seen.add(c);
    }
  }
  return seen;
}

export const MIT_ACTIONS = [
  defineAction({
    do: 'kinit',
    about:
      'MIT kinit on a Linux host: the password typed at its prompt, the AS exchange, and a new default cache holding the TGT (the old one stays if it fails).',
    fields: {
      host: HOST,
      principal: opt(PRINCIPAL, "who signs in (default: the cache's principal, or the login's)"),
      password: opt(str(), "the password typed at the prompt (default: the login's)"),
    },
    title: (a) => `${a.host}$ kinit${a.principal ? ` ${a.principal}` : ''}`,
    command: {
      name: 'kinit',
      syntax: 'kinit [principal]',
      os: 'linux',
      print: (a) => `kinit${a.principal ? ` ${a.principal}` : ''}`,
      parse: (args, bad) => {
        const flag = args.find((w) => w.startsWith('-'));
        if (flag === '-k' || flag === '-t')
          bad(`${flag}: there is no keytab on this host, so kinit takes a password only (${SUPPORTED})`);
        if (flag) bad(`invalid option -- '${flag.slice(1)}' (${SUPPORTED})`);
        if (args.length > 1) bad(`takes one principal, not "${args.join(' ')}"`);
        return args.length === 1 ? { principal: word(PRINCIPAL, args[0]!, bad) } : {};
      },
    },
    run: (world, a) => ran(linux.kinit(world, a.host, a.principal, a.password)),
    password: (a) => a.password,
  }),
  defineAction({
    do: 'mit-klist',
    about:
      'MIT klist on a Linux host: the default cache, its tickets, times (en_US dates), flags (-f) and enctypes (-e).',
    fields: {
      host: HOST,
      etypes: opt(bool(), 'with -e: the session key and ticket enctypes'),
      flags: opt(bool(), 'with -f: the ticket flags'),
    },
    title: (a) => `${a.host}$ klist${a.etypes ? ' -e' : ''}${a.flags ? ' -f' : ''}`,
    command: {
      name: 'klist',
      syntax: 'klist [-e] [-f]',
      os: 'linux',
      print: (a) => `klist${a.etypes ? ' -e' : ''}${a.flags ? ' -f' : ''}`,
      parse: (args, bad) => {
        const o = options(args, 'ef', bad);
        return { ...(o.has('e') ? { etypes: true } : {}), ...(o.has('f') ? { flags: true } : {}) };
      },
    },
    run: (world, a) =>
      ran(linux.klist(world, a.host, { etypes: a.etypes === true, flags: a.flags === true })),
  }),
  defineAction({
    do: 'kvno',
    about:
      "MIT kvno on a Linux host: a service ticket for the name (the TGS exchange, or the cache's) and its key version.",
    fields: { host: HOST, spn: req(SERVICE, 'the service principal') },
    title: (a) => `${a.host}$ kvno ${a.spn}`,
    command: {
      name: 'kvno',
      syntax: 'kvno SPN',
      os: 'linux',
      print: (a) => `kvno ${a.spn}`,
      parse: (args, bad) => {
        const flag = args.find((w) => w.startsWith('-'));
        if (flag) bad(`invalid option -- '${flag.slice(1)}' (${SUPPORTED})`);
        if (args.length !== 1)
          bad(args.length === 0 ? 'which service? Name it, like cifs/fs1.corp.contoso.com' : 'takes one SPN');
        return { spn: word(SERVICE, args[0]!, bad) };
      },
    },
    run: (world, a) => ran(linux.kvno(world, a.host, a.spn)),
  }),
  defineAction({
    do: 'kdestroy',
    about: 'MIT kdestroy on a Linux host: the default cache and every ticket in it are destroyed.',
    fields: { host: HOST },
    title: (a) => `${a.host}$ kdestroy`,
    command: {
      name: 'kdestroy',
      syntax: 'kdestroy',
      os: 'linux',
      print: () => 'kdestroy',
      parse: (args, bad) => (options(args, '', bad), {}),
    },
    run: (world, a) => ran(linux.kdestroy(world, a.host)),
  }),
] as const;
