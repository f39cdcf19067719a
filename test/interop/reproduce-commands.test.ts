// The inspector's "reproduce it yourself" commands, run for real. For kerberos-101 the engine gives the
// page, for every opened part, the key that opened it and, for a long-term key, the password it came
// from; src/formats/reproduce.ts turns those into shell text. Here every command it offers runs in sh —
// krbplay (the built dist-cli), MIT ktutil and klist, OpenSSL 3, Python 3 — and what each prints must be
// the app's key or the app's plaintext. Every enctype of alice's keys runs too, and one hostile principal
// whose password and salt hold quotes, `$`, backquotes, backslashes and spaces, against our string-to-key.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { stringToKey } from '../../src/crypto';
import { keyRecipes, partRecipes, scenarioRunRecipe, type Recipe } from '../../src/formats/reproduce';
import { Engine } from '../../src/ui/engine/engine';
import type { EventDetail, PasswordKeyView, ViewNode } from '../../src/ui/engine/protocol';
import { passwordKeyFinder } from '../../src/ui/engine/reproduce';
import { findScenario } from '../../src/scenarios';
import { buildWorld } from '../../src/scenarios';
import { fromHex, toHex, utf8 } from '../../src/util/bytes';
import { hasPackages } from '../setup/needs';
import { ensureCliBuilt, projectRoot } from '../unit/cli/krbplay';
import { keyOf } from '../../src/protocol/long-term-key';

let dir: string;
let bin: string;

/** Runs a command's text as a user pasting it would: sh, in a scratch directory, krbplay on the PATH. */
function sh(command: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('sh', ['-c', command], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, KRBPLAY_DEBUG: '' },
    timeout: 120_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** What the command printed, as the key's lowercase hex, by the tool's own way of printing it. */
function keyPrinted(recipe: Recipe, stdout: string): string | undefined {
  if (recipe.tool === 'mit') return /\(0x([0-9a-f]+)\)/.exec(stdout)?.[1];
  return stdout.trim().split('\n').at(-1)?.trim();
}

function specOf(k: PasswordKeyView) {
  return {
    principal: k.principal,
    kvno: k.kvno,
    etype: k.etype,
    password: k.password,
    salt: fromHex(k.saltHex),
    ...(k.iterations !== undefined ? { iterations: k.iterations } : {}),
  };
}

function expectKeyCommandsGive(recipes: Recipe[], keyHex: string): void {
  for (const recipe of recipes) {
    const r = sh(recipe.command);
    expect({ command: recipe.command, status: r.status, stderr: r.stderr }).toMatchObject({ status: 0 });
    expect({ command: recipe.command, key: keyPrinted(recipe, r.stdout) }).toEqual({
      command: recipe.command,
      key: keyHex,
    });
  }
}

describe.runIf(hasPackages('krb5-user', 'openssl', 'python3'))(
  'every command the inspector offers for kerberos-101 gives the app’s key or plaintext',
  () => {
    const details: EventDetail[] = [];
    let engine: Engine;

    beforeAll(() => {
      ensureCliBuilt();
      dir = mkdtempSync(join(tmpdir(), 'krbplay-repro-'));
      bin = join(dir, 'bin');
      spawnSync('mkdir', [bin]);
      writeFileSync(
        join(bin, 'krbplay'),
        `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(join(projectRoot, 'bin/krbplay.js'))} "$@"\n`,
      );
      chmodSync(join(bin, 'krbplay'), 0o755);
      engine = new Engine({ scope: 'test', script: 'reproduce-commands.test.ts' });
      const loaded = engine.load({ kind: 'catalogue', id: 'kerberos-101' });
      if (!loaded.ok) throw new Error(loaded.problem.reason);
      const end = engine.goto(2);
      for (const row of end.trace) details.push(engine.detail(row.seq));
    }, 300_000);

    afterAll(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    test('each password-made key that opened a part: krbplay, MIT ktutil + klist, OpenSSL, Python', () => {
      const keys = new Map<string, { view: PasswordKeyView; hex: string }>();
      for (const d of details) {
        for (const p of d.parts) {
          if (p.passwordKey)
            keys.set(`${p.passwordKey.principal}|${p.etypeNumber}`, { view: p.passwordKey, hex: p.keyHex! });
        }
      }
      // alice's key opens her PA-ENC-TIMESTAMP and the AS-REP; fs1's the cifs ticket in the AP-REQ
      expect([...keys.keys()].sort()).toEqual([
        'alice@CORP.CONTOSO.COM|18',
        'cifs/fs1.corp.contoso.com@CORP.CONTOSO.COM|18',
      ]);
      for (const { view, hex } of keys.values()) {
        const { offered } = keyRecipes(specOf(view));
        expect(offered.map((r) => r.tool)).toEqual(['krbplay', 'mit', 'openssl']);
        expectKeyCommandsGive(offered, hex);
      }
    }, 300_000);

    test('alice’s keys of every enctype the realm makes (17, 18, 19, 20, 23): every offered command agrees', () => {
      const scenario = findScenario('kerberos-101');
      if (!scenario?.available) throw new Error('kerberos-101 is missing');
      const world = buildWorld(scenario);
      const kdcs = world.snapshot().kdcs;
      const find = passwordKeyFinder(kdcs, scenario);
      const alice = kdcs[0]!.state.realms[0]!.principals.find((p) => p.name.nameString[0] === 'alice')!;
      expect(alice.keys.map((k) => k.etype).sort()).toEqual([17, 18, 19, 20, 23]);
      for (const k of alice.keys) {
        const view = find({ etype: k.etype, bytes: keyOf(k) });
        expect(view).toBeDefined();
        const { offered } = keyRecipes(specOf(view!));
        const tools = offered.map((r) => r.tool);
        expect(tools).toEqual(
          k.etype === 19 || k.etype === 20
            ? ['krbplay', 'mit', 'openssl', 'python']
            : ['krbplay', 'mit', 'openssl'],
        );
        expectKeyCommandsGive(offered, toHex(keyOf(k)));
      }
    }, 300_000);

    test('a hostile principal, password and salt survive the quoting of every tool', () => {
      const password = `it's "$HOME" \`id\` \\n; rm -rf / #  `;
      const salt = `CORP "odd" $PATH realm\\x'y`;
      for (const etype of [17, 18, 19, 20, 23]) {
        const spec = { principal: 'odd user/host@CORP', kvno: 7, etype, password, salt: utf8(salt) };
        const expected = toHex(stringToKey(etype, password, salt).bytes);
        expectKeyCommandsGive(keyRecipes(spec).offered, expected);
      }
      // a non-default iteration count: ktutil cannot take one, the others can
      const spec = {
        principal: 'odd@CORP',
        kvno: 1,
        etype: 18,
        password,
        salt: utf8(salt),
        iterations: 1000,
      };
      const recipes = keyRecipes(spec);
      expect(recipes.notOffered.map((n) => n.tool)).toContain('mit');
      expectKeyCommandsGive(
        recipes.offered,
        toHex(stringToKey(18, password, salt, { iterations: 1000 }).bytes),
      );
    }, 300_000);

    test('each opened part: krbplay decode --key opens it to the app’s plaintext, byte for byte', () => {
      let opened = 0;
      for (const d of details) {
        d.parts.forEach((p, i) => {
          if (!p.decrypted || !p.plain) return;
          const { offered } = partRecipes({
            message: d.bytes!,
            etype: p.etypeNumber!,
            key: fromHex(p.keyHex!),
          });
          expect(offered).toHaveLength(1);
          const r = sh(offered[0]!.command);
          expect({ seq: d.row.seq, path: p.path, status: r.status, stderr: r.stderr }).toMatchObject({
            status: 0,
            stderr: '',
          });
          const app = appFields(d.tree!, `p${i + 1}`);
          expect(app.length).toBeGreaterThan(1);
          const shown = plaintextsShown(r.stdout);
          expect({
            seq: d.row.seq,
            path: p.path,
            same: shown.some((f) => samePlaintext(f, app, p.plain!)),
          }).toEqual({
            seq: d.row.seq,
            path: p.path,
            same: true,
          });
          opened++;
        });
      }
      // AS-REQ padata, AS-REP enc-part and ticket, TGS-REQ ticket and authenticator, TGS-REP enc-part and
      // ticket, AP-REQ ticket and authenticator, AP-REP enc-part
      expect(opened).toBe(10);
    }, 300_000);

    test('each step’s krbplay scenario run line plays exactly the page’s messages up to that step', () => {
      for (const step of [1, 2]) {
        const summary = engine.goto(step);
        const row = summary.trace.findLast((r) => r.step === step)!;
        const rerun = engine.detail(row.seq).rerun!;
        expect('scenario' in rerun).toBe(true);
        if (!('scenario' in rerun)) continue;
        const command = scenarioRunRecipe({
          scenario: rerun.scenario,
          ...(rerun.until !== undefined ? { until: rerun.until } : {}),
        }).command;
        const r = sh(`${command} --json`);
        expect({ command, status: r.status, stderr: r.stderr }).toMatchObject({ status: 0 });
        const events = (JSON.parse(r.stdout) as { events: { type: string; t: string }[] }).events
          .filter((e) => e.type !== 'ACTION')
          .map((e) => `${e.t} ${e.type}`);
        const page = summary.trace
          .filter((t) => t.kind === 'message')
          .map((t) => `${new Date(t.t).toISOString()} ${t.type}`);
        expect(events).toEqual(page);
        // and the text form the page offers runs too
        expect(sh(command).status).toBe(0);
      }
    }, 300_000);
  },
);

interface Field {
  name: string;
  offset: number;
  length: number;
  /** A byte string's value, in hex. */
  hex?: string;
}

/**
 * The plaintexts `krbplay decode` printed: after each "[decrypted with …]" line, the root line
 * `NAME [TAG] @0+N (offsets in the plaintext)` and every field line `name [tag] @O+L = VALUE` under it.
 */
function plaintextsShown(text: string): Field[][] {
  const out: Field[][] = [];
  const lines = text.split('\n');
  const depth = (l: string) => /^ */.exec(l)![0].length;
  lines.forEach((line, i) => {
    if (!/\[decrypted with /.test(line) || !/@0\+\d+ \(offsets in the plaintext\)/.test(lines[i + 1] ?? ''))
      return;
    const indent = depth(lines[i + 1]!);
    const fields: Field[] = [];
    for (const l of lines.slice(i + 1)) {
      if (fields.length > 0 && depth(l) <= indent) break;
      const m = /^\s*(\S+) .*?@(\d+)\+(\d+)(?: = (.*))?/.exec(l);
      if (!m) continue;
      const field: Field = { name: m[1]!, offset: +m[2]!, length: +m[3]! };
      // byte strings print as hex; numbers (a nonce) print in decimal, which holds no a-f
      if (m[4] && /^[0-9a-f]+$/.test(m[4]) && m[4].length % 2 === 0 && /[a-f]/.test(m[4])) field.hex = m[4];
      fields.push(field);
    }
    out.push(fields);
  });
  return out;
}

/** The fields of the app's tree under an opened part's plaintext (node id "pK"), in order. */
function appFields(tree: ViewNode, id: string): Field[] {
  const find = (n: ViewNode): ViewNode | undefined =>
    n.id === id ? n : (n.children ?? []).map(find).find((x) => x !== undefined);
  const out: Field[] = [];
  const walk = (n: ViewNode) => {
    out.push({ name: n.name, offset: n.offset, length: n.length });
    for (const c of n.children ?? []) if (c.space === n.space) walk(c);
  };
  const root = find(tree);
  if (root) walk(root);
  return out;
}

/**
 * The printed plaintext is the app's: the same fields at the same offsets and lengths, and every byte
 * string printed is the app's plaintext bytes there (the end of its TLV).
 */
function samePlaintext(shown: Field[], app: Field[], plain: Uint8Array): boolean {
  // the text names a PAC buffer by its first word ("Logon"), the page in full ("Logon information (…)")
  const where = (f: Field) => `${f.name.split(' ')[0]}@${f.offset}+${f.length}`;
  if (shown.map(where).join(' ') !== app.map(where).join(' ')) return false;
  if (shown[0]?.offset !== 0 || shown[0].length !== plain.length) return false;
  return shown.every((f) => !f.hex || toHex(plain.subarray(f.offset, f.offset + f.length)).endsWith(f.hex));
}
