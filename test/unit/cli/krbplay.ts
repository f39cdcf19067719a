// Helpers for the CLI tests: make sure the krbplay bundle is built from the current sources, then run
// `node bin/krbplay.js …` as a user would and collect what it printed and its exit status.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));
const bundle = join(projectRoot, 'dist-cli', 'krbplay.js');
const bin = join(projectRoot, 'bin', 'krbplay.js');

/** Newest modification time of the files the CLI bundle is made from (everything under src/ but the UI). */
function newestSource(): number {
  let newest = statSync(join(projectRoot, 'package.json')).mtimeMs;
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (path !== join(projectRoot, 'src', 'ui')) walk(path);
      } else newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  walk(join(projectRoot, 'src'));
  return newest;
}

function isFresh(): boolean {
  return existsSync(bundle) && statSync(bundle).mtimeMs >= newestSource();
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * Builds dist-cli/ with `npm run build:cli` when it is missing or older than the sources. Test files
 * run in parallel workers, so a lock directory keeps two of them from building at once.
 */
export function ensureCliBuilt(): void {
  if (isFresh()) return;
  const lock = join(
    tmpdir(),
    `krbplay-build-cli-${Buffer.from(projectRoot).toString('hex').slice(-24)}.lock`,
  );
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`the CLI build lock ${lock} is stuck; remove it`);
      Atomics.wait(sleeper, 0, 0, 200);
    }
  }
  try {
    if (isFresh()) return;
    const r = spawnSync('npm', ['run', 'build:cli'], { cwd: projectRoot, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`npm run build:cli failed:\n${r.stdout}\n${r.stderr}`);
  } finally {
    rmdirSync(lock);
  }
}

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function krbplay(...args: string[]): Run {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: projectRoot,
    encoding: 'utf8',
    env: { ...process.env, KRBPLAY_DEBUG: '' },
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
