// MIT krb5 realms on loopback for interop tests: configuration files, databases, principals,
// keytabs and one `krb5kdc -n` per realm, all inside one temp directory, and MIT's client programs
// (kinit, kvno, klist) run against them. Needs Debian's krb5-kdc, krb5-user and krb5-admin-server
// (kadmin.local).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Daemon, freePort, run, runOk, waitFor, type RunResult } from './process';

/** RFC 3961/3962/8009/4757 enctype numbers and MIT's names for them. */
export const MIT_ENCTYPE_NAMES: Record<number, string> = {
  17: 'aes128-cts-hmac-sha1-96',
  18: 'aes256-cts-hmac-sha1-96',
  19: 'aes128-cts-hmac-sha256-128',
  20: 'aes256-cts-hmac-sha384-192',
  23: 'arcfour-hmac',
};
const ALL_ENCTYPES = [18, 17, 20, 19, 23];

export interface PrincipalSpec {
  /** Without realm: "alice", "host/svc.mit.test". */
  name: string;
  password: string;
  /** Enctypes of its keys (default: the realm's supported_enctypes). */
  enctypes?: number[];
  /** +requires_preauth (default true for names without "/", i.e. users). */
  requiresPreauth?: boolean;
}

export interface RealmSpec {
  name: string;
  principals?: PrincipalSpec[];
}

export interface TrustSpec {
  /** Principals of `from` may use services of `to`: both realms get krbtgt/TO@FROM with one password. */
  from: string;
  to: string;
  password: string;
  enctypes?: number[];
}

export interface MitLabOptions {
  realms: RealmSpec[];
  trusts?: TrustSpec[];
  /** libdefaults kdc_timesync (default true, MIT's default). */
  kdcTimesync?: boolean;
  /** Keep the temp directory after stop() (also when KRBPLAY_KEEP_INTEROP is set). */
  keep?: boolean;
}

export interface Realm {
  name: string;
  /** The KDC's UDP and TCP port on 127.0.0.1. */
  port: number;
  kdcConf: string;
  log: string;
  kdc?: Daemon;
}

/** The result of a client program, with a ccache path for the next one. */
export interface ClientResult extends RunResult {
  ok: boolean;
}

/**
 * MIT realms running on loopback. `MitLab.start()` writes krb5.conf and one kdc.conf per realm in a
 * fresh temp dir, creates each database with its principals and trusts, starts the KDCs and waits
 * until each says it is serving; `stop()` stops them and removes the directory.
 */
export class MitLab {
  readonly realms = new Map<string, Realm>();
  /** krb5.conf shared by the KDCs and the client programs. */
  readonly krb5Conf: string;
  /** The same with udp_preference_limit = 1: MIT's client programs then speak TCP only. */
  readonly krb5ConfTcp: string;

  private constructor(
    readonly dir: string,
    private readonly options: MitLabOptions,
  ) {
    this.krb5Conf = join(dir, 'krb5.conf');
    this.krb5ConfTcp = join(dir, 'krb5-tcp.conf');
  }

  /** Sets up and starts every realm; a realm takes well under a second on a quiet machine. */
  static async start(options: MitLabOptions): Promise<MitLab> {
    if (!existsSync('/usr/sbin/kadmin.local')) {
      throw new Error('kadmin.local is missing: install Debian package krb5-admin-server');
    }
    const lab = new MitLab(mkdtempSync(join(tmpdir(), 'krbplay-mit-')), options);
    try {
      for (const r of options.realms) {
        const port = await freePort();
        lab.realms.set(r.name, {
          name: r.name,
          port,
          kdcConf: join(lab.dir, `kdc-${r.name}.conf`),
          log: join(lab.dir, `kdc-${r.name}.log`),
        });
      }
      lab.writeKrb5Conf();
      await Promise.all(options.realms.map((r) => lab.createRealm(r)));
      await Promise.all([...lab.realms.values()].map((r) => lab.startKdc(r)));
    } catch (e) {
      await lab.stop();
      throw e;
    }
    return lab;
  }

  /**
   * Environment for MIT programs: this lab's krb5.conf (the TCP-only one with `tcp`), a realm's kdc.conf,
   * a ccache (default: one shared file in the lab).
   */
  env(extra: { realm?: string; ccache?: string; tcp?: boolean } = {}): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      KRB5_CONFIG: extra.tcp ? this.krb5ConfTcp : this.krb5Conf,
      KRB5_TRACE: undefined,
    };
    if (extra.realm) env.KRB5_KDC_PROFILE = this.realm(extra.realm).kdcConf;
    env.KRB5CCNAME = `FILE:${extra.ccache ?? join(this.dir, 'ccache-default')}`;
    return env;
  }

  realm(name: string): Realm {
    const r = this.realms.get(name);
    if (!r) throw new Error(`no realm ${name} in this lab`);
    return r;
  }

  /** A fresh ccache path inside the lab directory. */
  ccache(name: string): string {
    return join(this.dir, `ccache-${name.replace(/[^A-Za-z0-9_.-]/g, '_')}`);
  }

  /** kadmin.local on one realm's database, one command per line on stdin; returns its output. */
  async kadmin(realm: string, commands: string[]): Promise<RunResult> {
    const r = await run('kadmin.local', ['-r', realm], {
      env: this.env({ realm }),
      input: commands.join('\n') + '\n',
    });
    // kadmin.local exits 0 even when a command fails; MIT's error lines read "<command>: <reason> while …".
    const failed = r.stderr.split('\n').filter((l) => /^[\w.]+: .* while /.test(l));
    if (r.code !== 0 || failed.length > 0) {
      throw new Error(`kadmin.local -r ${realm} failed:\n${failed.join('\n') || r.stderr}`);
    }
    return r;
  }

  /**
   * Exports the current keys of `principals` (full names, with realm) into a keytab without changing
   * them (ktadd -norandkey); several realms may write into one keytab. Returns its path.
   */
  async exportKeytab(path: string, principals: string[]): Promise<string> {
    const byRealm = new Map<string, string[]>();
    for (const p of principals) {
      const realm = p.slice(p.lastIndexOf('@') + 1);
      byRealm.set(realm, [...(byRealm.get(realm) ?? []), p]);
    }
    // One realm at a time: kadmin.local appends to the keytab file.
    for (const [realm, names] of byRealm) {
      await this.kadmin(realm, [`ktadd -k ${path} -norandkey ${names.join(' ')}`]);
    }
    return path;
  }

  /** Every principal of the lab's databases, with realm (K/M and kadmin/* left out). */
  async principals(): Promise<string[]> {
    const out: string[] = [];
    for (const realm of this.realms.keys()) {
      const r = await this.kadmin(realm, ['listprincs']);
      for (const line of r.stdout.split('\n')) {
        const p = line.trim();
        if (/^[^\s]+@[A-Z0-9.-]+$/.test(p) && !p.startsWith('K/M@') && !p.startsWith('kadmin/')) out.push(p);
      }
    }
    return out;
  }

  /** kinit PRINCIPAL with the password on stdin (over TCP only with `tcp`). */
  async kinit(
    principal: string,
    password: string,
    opts: { ccache: string; args?: string[]; tcp?: boolean },
  ): Promise<ClientResult> {
    const r = await run('kinit', [...(opts.args ?? []), principal], {
      env: this.env({ ccache: opts.ccache, tcp: opts.tcp }),
      input: password + '\n',
    });
    return { ...r, ok: r.code === 0 };
  }

  /** kvno SERVICE@REALM with the given ccache (over TCP only with `tcp`). */
  async kvno(
    service: string,
    opts: { ccache: string; args?: string[]; tcp?: boolean },
  ): Promise<ClientResult> {
    const r = await run('kvno', [...(opts.args ?? []), service], {
      env: this.env({ ccache: opts.ccache, tcp: opts.tcp }),
    });
    return { ...r, ok: r.code === 0 };
  }

  /** klist -e of a ccache (or klist -k -e -t of a keytab with `keytab: true`). */
  async klist(path: string, opts: { keytab?: boolean } = {}): Promise<ClientResult> {
    const args = opts.keytab ? ['-k', '-e', '-t', path] : ['-e', '-c', `FILE:${path}`];
    const r = await run('klist', args, { env: this.env() });
    return { ...r, ok: r.code === 0 };
  }

  /** The KDC ports, for capture filters and tshark's decode-as. */
  get ports(): number[] {
    return [...this.realms.values()].map((r) => r.port);
  }

  /** Stops every KDC (SIGTERM, waiting for the exit) and removes the directory unless kept. */
  async stop(): Promise<void> {
    await Promise.all([...this.realms.values()].map((r) => r.kdc?.stop()));
    if (!this.options.keep && !process.env.KRBPLAY_KEEP_INTEROP) {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }

  // -------------------------------------------------------------------------------------------

  private writeKrb5Conf(): void {
    const names = ALL_ENCTYPES.map((e) => MIT_ENCTYPE_NAMES[e]).join(' ');
    const realms = this.options.realms
      .map((spec) => `  ${spec.name} = {\n    kdc = 127.0.0.1:${this.realm(spec.name).port}\n  }`)
      .join('\n');
    // Direct trusts need capaths: without them MIT walks the name hierarchy (MIT.TEST -> TEST -> OTHER.TEST).
    const capaths = (this.options.trusts ?? [])
      .map((t) => `  ${t.from} = {\n    ${t.to} = .\n  }`)
      .join('\n');
    const conf = [
      '[libdefaults]',
      `  default_realm = ${this.options.realms[0]!.name}`,
      '  dns_lookup_kdc = false',
      '  dns_lookup_realm = false',
      '  dns_canonicalize_hostname = false',
      '  rdns = false',
      '  ignore_acceptor_hostname = true',
      `  kdc_timesync = ${this.options.kdcTimesync === false ? 0 : 1}`,
      '  allow_weak_crypto = true',
      `  permitted_enctypes = ${names}`,
      `  default_tkt_enctypes = ${names}`,
      `  default_tgs_enctypes = ${names}`,
      // Answer fast when a KDC is down, instead of MIT's default one-second back-off rounds.
      '  max_retries = 2',
      '',
      '[realms]',
      realms,
      '',
      '[capaths]',
      capaths,
      '',
    ].join('\n');
    writeFileSync(this.krb5Conf, conf);
    writeFileSync(
      this.krb5ConfTcp,
      conf.replace('[libdefaults]\n', '[libdefaults]\n  udp_preference_limit = 1\n'),
    );
  }

  private async createRealm(spec: RealmSpec): Promise<void> {
    const r = this.realm(spec.name);
    const dbDir = join(this.dir, spec.name);
    mkdirSync(dbDir);
    const supported = ALL_ENCTYPES.map((e) => `${MIT_ENCTYPE_NAMES[e]}:normal`).join(' ');
    writeFileSync(
      r.kdcConf,
      [
        '[kdcdefaults]',
        `  kdc_listen = 127.0.0.1:${r.port}`,
        `  kdc_tcp_listen = 127.0.0.1:${r.port}`,
        '',
        '[realms]',
        `  ${spec.name} = {`,
        `    database_name = ${join(dbDir, 'principal')}`,
        `    key_stash_file = ${join(dbDir, 'stash')}`,
        `    acl_file = ${join(dbDir, 'kadm5.acl')}`,
        `    kdc_listen = 127.0.0.1:${r.port}`,
        `    kdc_tcp_listen = 127.0.0.1:${r.port}`,
        '    max_life = 10h 0m 0s',
        '    max_renewable_life = 7d 0h 0m 0s',
        `    supported_enctypes = ${supported}`,
        '  }',
        '',
        '[logging]',
        `  kdc = FILE:${r.log}`,
        `  admin_server = FILE:${join(dbDir, 'kadmin.log')}`,
        `  default = FILE:${join(dbDir, 'krb5lib.log')}`,
        '',
      ].join('\n'),
    );
    writeFileSync(join(dbDir, 'kadm5.acl'), '');
    const env = this.env({ realm: spec.name });
    await runOk('kdb5_util', ['-r', spec.name, 'create', '-s', '-P', 'master-key-password'], { env });
    const commands: string[] = [];
    for (const p of spec.principals ?? []) commands.push(addprinc(p));
    for (const t of this.options.trusts ?? []) {
      if (t.from === spec.name || t.to === spec.name) {
        // The same name, password and salt in both databases give both KDCs the same key.
        commands.push(
          addprinc({
            name: `krbtgt/${t.to}@${t.from}`,
            password: t.password,
            enctypes: t.enctypes,
            requiresPreauth: false,
          }),
        );
      }
    }
    if (commands.length > 0) await this.kadmin(spec.name, commands);
  }

  private async startKdc(r: Realm): Promise<void> {
    r.kdc = new Daemon(`krb5kdc ${r.name}`, 'krb5kdc', ['-n', '-r', r.name], this.env({ realm: r.name }));
    const log = () => (existsSync(r.log) ? readFileSync(r.log, 'utf8') : '');
    await waitFor(
      `krb5kdc for ${r.name} on port ${r.port}`,
      () => {
        if (!r.kdc!.running) throw new Error(`krb5kdc for ${r.name} exited:\n${r.kdc!.output}\n${log()}`);
        return log().includes('commencing operation');
      },
      { timeoutMs: 30_000, explain: () => r.kdc!.output + log() },
    );
  }
}

function addprinc(p: PrincipalSpec): string {
  const parts = ['addprinc', '-pw', quote(p.password)];
  if (p.enctypes) parts.push('-e', quote(p.enctypes.map((e) => `${MIT_ENCTYPE_NAMES[e]}:normal`).join(',')));
  if (p.requiresPreauth ?? !p.name.includes('/')) parts.push('+requires_preauth');
  parts.push(p.name);
  return parts.join(' ');
}

/** kadmin's command line splits on blanks and honours double quotes. */
function quote(s: string): string {
  if (/["\n]/.test(s)) throw new Error(`kadmin cannot take ${JSON.stringify(s)}`);
  return `"${s}"`;
}
