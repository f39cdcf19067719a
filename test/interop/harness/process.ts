// Child processes, ports and polling for the interop harness. Every long-lived child started here is
// remembered, so that a test run that dies early still leaves no krb5kdc or dumpcap behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

/** What a finished command left: exit code (null if killed), stdout and stderr as text. */
export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  /** Written to the command's stdin, which is then closed (e.g. kinit's password). */
  input?: string;
  /** Kill the command after this long (default 60 s: generous for a slow CI machine). */
  timeoutMs?: number;
  cwd?: string;
}

/** Runs a command to completion without a shell; never rejects on a non-zero exit (check `code`). */
export function run(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      env: opts.env ?? process.env,
      cwd: opts.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${cmd} ${args.join(' ')}: still running after ${opts.timeoutMs ?? 60_000} ms`));
    }, opts.timeoutMs ?? 60_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`${cmd}: ${e.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.on('error', () => {}); // the command may exit before reading its input
    child.stdin.end(opts.input ?? '');
  });
}

/** Like run, but throws with the command's stderr when it exits non-zero. */
export async function runOk(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const r = await run(cmd, args, opts);
  if (r.code !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} exited ${r.code}:\n${r.stderr || r.stdout}`);
  }
  return r;
}

const daemons = new Set<ChildProcess>();
process.once('exit', () => {
  for (const d of daemons) if (d.exitCode === null) d.kill('SIGKILL');
});

/** A long-running child (krb5kdc, dumpcap) with its output collected and a clean stop. */
export class Daemon {
  readonly child: ChildProcess;
  output = '';
  private readonly exited: Promise<number | null>;

  constructor(
    readonly name: string,
    cmd: string,
    args: string[],
    env: NodeJS.ProcessEnv,
  ) {
    this.child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    daemons.add(this.child);
    this.child.stdout!.setEncoding('utf8').on('data', (s: string) => (this.output += s));
    this.child.stderr!.setEncoding('utf8').on('data', (s: string) => (this.output += s));
    this.exited = new Promise((resolve) => {
      this.child.on('error', (e) => {
        this.output += `\nspawn error: ${e.message}`;
        resolve(null);
      });
      this.child.on('exit', (code) => resolve(code));
    });
    void this.exited.then(() => daemons.delete(this.child));
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Sends `signal`, waits for the exit; SIGKILL after `graceMs`. Safe to call twice. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<void> {
    if (!this.running) {
      await this.exited;
      return;
    }
    this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

/**
 * Polls `check` until it returns a value other than undefined/false, or throws after `timeoutMs`
 * with `what` and the last diagnostic `explain()` gives. Polling, not sleeping, keeps slow machines safe.
 */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  opts: { timeoutMs?: number; intervalMs?: number; explain?: () => string } = {},
): Promise<T> {
  const deadline = performance.now() + (opts.timeoutMs ?? 30_000);
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (performance.now() > deadline) {
      throw new Error(`timed out waiting for ${what}${opts.explain ? `:\n${opts.explain()}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 25));
  }
}

/** A loopback port free for both TCP and UDP right now (the kernel picks it; a KDC binds both). */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const srv = createServer();
      srv.once('error', reject);
      srv.listen(0, '127.0.0.1', () => {
        const addr = srv.address();
        srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
      });
    });
    const udpFree = await new Promise<boolean>((resolve) => {
      const s = createSocket('udp4');
      s.once('error', () => resolve(false));
      s.bind(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (udpFree && !usedPorts.has(port)) {
      usedPorts.add(port);
      return port;
    }
  }
  throw new Error('no free loopback port found');
}
const usedPorts = new Set<number>();

/** Sends one UDP datagram to 127.0.0.1:port (nobody needs to listen). */
export function sendUdp(port: number, payload: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    s.send(payload, port, '127.0.0.1', (err) => {
      s.close();
      if (err) reject(err);
      else resolve();
    });
  });
}

/** One datagram to 127.0.0.1:port and its answer. */
export function udpExchange(port: number, bytes: Uint8Array): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    const timer = setTimeout(() => {
      s.close();
      reject(new Error(`no answer from 127.0.0.1:${port} in 20 s`));
    }, 20_000);
    s.on('message', (msg) => {
      clearTimeout(timer);
      s.close();
      resolve(new Uint8Array(msg));
    });
    s.on('error', (e) => {
      clearTimeout(timer);
      s.close();
      reject(e);
    });
    s.send(bytes, port, '127.0.0.1');
  });
}
