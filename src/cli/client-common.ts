/**
 * What `krbplay kinit` and `krbplay kvno` share: KDC addresses per realm, the credential cache file
 * (where it is, reading it into the client's cache, writing it back), reading a password, and MIT's
 * wording for what goes wrong (krb5_err.et, kinit.c, kvno.c), so that scripts written for MIT's tools
 * read ours the same way.
 */
import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { decodeTicket } from '../asn1';
import {
  ccacheCredentialOf,
  filePrincipal,
  mitMessage,
  type CachedCredential,
  type ClientEvent,
  type CredentialCache,
  type StepContext,
} from '../client';
import { findEnctype } from '../crypto';
import { type Ccache, type CcacheCredential } from '../formats';
import { KdcAddressError, KdcTransport, parseKdcAddress, type KdcAddress, type KdcAttempt } from '../node';
import { cryptoRandom } from '../node/random';
import { samePrincipal } from '../asn1/principal';
import { parseDuration } from '../asn1/time';
import { KrbPlayError, KrbPlayInputError } from '../util';
import { UsageError } from './args';
import type { Io } from './command';
import { FILE_LIMITS, readFileText } from './commands/files';
import { resolveEnctype } from './enctype';

// ---- KDC addresses ----------------------------------------------------------------------------------

export function kdcAddress(flag: string, text: string): KdcAddress {
  try {
    return parseKdcAddress(text);
  } catch (e) {
    if (e instanceof KdcAddressError) throw new UsageError(`${flag}: ${e.message}`);
    throw e;
  }
}

/** `--realm-kdc REALM=ADDR`, repeatable: realm → address. */
export function realmKdcs(values: readonly string[]): Map<string, KdcAddress> {
  const map = new Map<string, KdcAddress>();
  for (const v of values) {
    const i = v.indexOf('=');
    if (i <= 0 || i === v.length - 1)
      throw new UsageError(`--realm-kdc must be REALM=ADDR (like OTHER.TEST=127.0.0.1:88), not '${v}'`);
    map.set(v.slice(0, i), kdcAddress('--realm-kdc', v.slice(i + 1)));
  }
  return map;
}

/** The transport for a command: each realm's KDC from the table, else the default one. */
export function makeTransport(
  defaultKdc: KdcAddress,
  perRealm: Map<string, KdcAddress>,
  caFile: string | undefined,
  io: Io,
): KdcTransport {
  const ca = caFile !== undefined ? readFileText(caFile, '--ca file', FILE_LIMITS.pem) : undefined;
  const verbose = Boolean(process.env.KRBPLAY_VERBOSE);
  return new KdcTransport({
    defaultKdc,
    kdcFor: (realm) => perRealm.get(realm),
    ...(ca !== undefined ? { ca } : {}),
    ...(verbose ? { onAttempt: (a: KdcAttempt) => io.stderr(`  [${describeAttempt(a)}]\n`) } : {}),
  });
}

export function describeAttempt(a: KdcAttempt): string {
  return `${a.realm} via ${a.to}: ${a.outcome}${a.sends > 1 ? ` after ${a.sends} sends` : ''} (${Math.round(a.ms)} ms)${a.detail ? `: ${a.detail}` : ''}`;
}

/** With KRBPLAY_VERBOSE set, the client's narration goes to stderr, one line per event. */
export function narrate(io: Io, events: readonly ClientEvent[]): void {
  if (!process.env.KRBPLAY_VERBOSE) return;
  for (const e of events) io.stderr(`  ${e.ok ? '' : '!! '}${e.stage}: ${e.text}\n`);
}

/** `--time-offset` ("+10m", "-1h", "0"): this client's clock runs that far from the wall clock (tests). */
export function parseTimeOffset(text: string | undefined): number {
  if (text === undefined) return 0;
  const m = /^([+-]?)(.*)$/.exec(text.trim())!;
  const ms = m[2] === '0' ? 0 : parseDuration(m[2]!);
  if (ms === undefined) throw new UsageError(`--time-offset: '${text}' is not a duration like +10m or -1h`);
  return m[1] === '-' ? -ms : ms;
}

/** The wall clock shifted by `offsetMs`, with the operating system's randomness. */
export function clockWithOffset(offsetMs: number): () => StepContext {
  return () => ({ now: Date.now() + offsetMs, random: cryptoRandom });
}

export function parseEtypes(text: string): number[] {
  const out: number[] = [];
  for (const word of text.split(',').map((w) => w.trim())) {
    if (word === '') throw new UsageError(`--etypes: an empty enctype in '${text}'`);
    const info = resolveEnctype(word);
    if (!info.implemented || info.decryptOnly)
      throw new KrbPlayInputError(`--etypes: ${info.name} (${info.etype}) cannot be used to get tickets`);
    if (!out.includes(info.etype)) out.push(info.etype);
  }
  return out;
}

// ---- the credential cache file -------------------------------------------------------------------------

/**
 * Where kinit writes: --ccache, else $KRB5CCNAME when it names a file (FILE:path, or a path without a
 * type), else a file of this user in the temp folder.
 */
export function defaultCcachePath(): { path: string; fromEnv: boolean } {
  const env = process.env.KRB5CCNAME;
  if (env) {
    const m = /^FILE:(.+)$/.exec(env);
    if (m) return { path: m[1]!, fromEnv: true };
    if (!/^[A-Za-z]+:/.test(env)) return { path: env, fromEnv: true };
  }
  const uid = typeof process.getuid === 'function' ? process.getuid() : 'user';
  return { path: join(tmpdir(), `krb5cc_krbplay_${uid}`), fromEnv: false };
}

/** "FILE:/path" as a --ccache value may also be written. */
export function ccachePathOf(text: string): string {
  return text.startsWith('FILE:') ? text.slice(5) : text;
}

const toClientPrincipal = filePrincipal;
const toFilePrincipal = filePrincipal;

/** A credential of a ccache file as the client keeps it; undefined when its ticket does not decode. */
export function cachedFromFile(c: CcacheCredential): CachedCredential | undefined {
  if (c.isSkey) return undefined;
  let etype: number;
  let kvno: number | undefined;
  try {
    const t = decodeTicket(c.ticket);
    etype = t.encPart.etype;
    kvno = t.encPart.kvno;
  } catch {
    return undefined;
  }
  return {
    client: toClientPrincipal(c.client),
    server: toClientPrincipal(c.server),
    sessionKey: { etype: c.key.etype, bytes: Uint8Array.from(c.key.bytes) },
    authtime: c.authtime * 1000,
    starttime: (c.starttime || c.authtime) * 1000,
    endtime: c.endtime * 1000,
    ...(c.renewTill ? { renewTill: c.renewTill * 1000 } : {}),
    flags: c.ticketFlags >>> 0,
    ticket: Uint8Array.from(c.ticket),
    ticketEtype: etype,
    ...(kvno !== undefined ? { ticketKvno: kvno } : {}),
    kdcCalled: 'ccache',
  };
}

/** A cached credential as a ccache record (the client's own conversion). */
export const fileFromCached = ccacheCredentialOf;

/** The client's view of a ccache file: its default principal, its tickets, the KDC time offset. */
export function cacheFromFile(cc: Ccache): CredentialCache {
  const credentials = cc.credentials.map(cachedFromFile).filter((c): c is CachedCredential => !!c);
  const off = cc.kdcOffset;
  return {
    defaultPrincipal: toClientPrincipal(cc.defaultPrincipal),
    credentials,
    ...(off ? { kdcOffset: off.seconds * 1000 + Math.round(off.microseconds / 1000) } : {}),
  };
}

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * The file again with what the client added: a credential for the same client and server replaces the
 * old one in its place; new ones follow. Configuration entries and header fields stay as they were.
 */
export function mergeIntoFile(cc: Ccache, cache: CredentialCache): Ccache {
  const credentials = [...cc.credentials];
  for (const c of cache.credentials) {
    if (credentials.some((o) => sameBytes(o.ticket, c.ticket))) continue;
    const rec = fileFromCached(c);
    const i = credentials.findIndex(
      (o) => samePrincipal(o.client, rec.client) && samePrincipal(o.server, rec.server),
    );
    if (i >= 0)
      credentials[i] = {
        ...rec,
        ...(credentials[i]!.position !== undefined ? { position: credentials[i]!.position } : {}),
      };
    else credentials.push(rec);
  }
  const offset = cache.kdcOffset;
  return {
    ...cc,
    credentials,
    ...(offset !== undefined
      ? {
          kdcOffset: {
            seconds: Math.floor(offset / 1000),
            microseconds: Math.round((offset - Math.floor(offset / 1000) * 1000) * 1000),
          },
        }
      : {}),
  };
}

/** Writes the file whole or not at all (a temp file beside it, then rename), readable by its owner only. */
export function writeCcacheFile(path: string, bytes: Uint8Array): void {
  const tmp = join(dirname(path), `.${randomBytes(6).toString('hex')}.krbplay-tmp`);
  try {
    writeFileSync(tmp, bytes, { mode: 0o600 });
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new KrbPlayInputError(`cannot write the credential cache '${path}': ${(e as Error).message}`);
  }
}

// ---- passwords -----------------------------------------------------------------------------------------

const MAX_PASSWORD_INPUT = 64 * 1024;

/** --password-stdin: the first line of stdin (without its line end). */
export async function passwordFromStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let have = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer | string>) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    chunks.push(b);
    have += b.length;
    if (have > MAX_PASSWORD_INPUT || b.includes(0x0a)) break;
  }
  const text = Buffer.concat(chunks).toString('utf8');
  const line = text.split(/\r?\n/)[0] ?? '';
  if (line === '')
    throw new KrbPlayInputError('no password on stdin (--password-stdin reads its first line)');
  return line;
}

/** Asks on the terminal without echo, as MIT's kinit does; refuses when stdin is not a terminal. */
export function promptPassword(prompt: string, io: Io): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    return Promise.reject(
      new KrbPlayInputError(
        'cannot ask for the password: stdin is not a terminal (give it on stdin with --password-stdin)',
      ),
    );
  }
  return new Promise((resolve, reject) => {
    let password = '';
    const end = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      io.stderr('\n');
    };
    const onData = (text: string) => {
      for (const ch of text) {
        if (ch === '\r' || ch === '\n' || (ch === '\u0004' && password !== '')) {
          end();
          resolve(password);
          return;
        }
        if (ch === '\u0003' || ch === '\u0004') {
          end();
          reject(new KrbPlayInputError('cannot read the password: interrupted'));
          return;
        }
        if (ch === '\u007f' || ch === '\b') password = Array.from(password).slice(0, -1).join('');
        else if (ch === '\u0015') password = '';
        else if (ch >= ' ') password += ch;
      }
    };
    // No echo from here on; the prompt only once the terminal is in that state.
    stdin.setEncoding('utf8');
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
    io.stderr(prompt);
  });
}

// ---- MIT's words (src/client/mit-words.ts) ------------------------------------------------------------

export { mitMessage };

/** The error main prints (exit status 1). */
export function failure(message: string): KrbPlayError {
  return new KrbPlayError('kdc', message);
}

export const mitEtypeName = (etype: number) =>
  etype === 23 ? 'arcfour-hmac' : (findEnctype(etype)?.name ?? `etype ${etype}`);

export { toFilePrincipal };
