#!/usr/bin/env node
// `npm test`: every test the project has, from a fresh Debian machine.
//  1. the Debian packages the suites need (apt-get when root; otherwise: fail in CI, skip loudly elsewhere);
//  2. the static checks (svelte-check, eslint, prettier);
//  3. both builds (the playground and the krbplay command);
//  4. vitest: unit, CLI, interop with MIT krb5 and tshark, end-to-end in Chromium.
import { spawnSync } from 'node:child_process';
import { missingPackages } from './system-packages.mjs';

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const inCI = Boolean(process.env.CI);

/**
 * @param {string} cmd
 * @param {string[]} args
 * @param {import('node:child_process').SpawnSyncOptions} [opts]
 */
function run(cmd, args, opts = {}) {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) {
    console.error(`\nnpm test: "${cmd} ${args.join(' ')}" failed (exit ${r.status ?? r.signal}).`);
    process.exit(r.status || 1);
  }
}

let missing = missingPackages();
if (missing.length > 0 && isRoot) {
  const names = missing.map((p) => p.pkg);
  console.log(`npm test: installing Debian packages the tests need: ${names.join(' ')}`);
  run('apt-get', ['update']);
  run('apt-get', ['install', '-y', '--no-install-recommends', ...names], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  missing = missingPackages();
}
const env = { ...process.env };
if (missing.length > 0) {
  const lines = missing.map((p) => `  - ${p.pkg}: ${p.forWhat}`).join('\n');
  if (inCI) {
    console.error(`npm test: these Debian packages are missing and cannot be installed:\n${lines}`);
    process.exit(1);
  }
  console.warn(
    `\n!!! npm test: SKIPPING the suites that need these Debian packages (run as root, or install them):\n${lines}\n`,
  );
  env.KRBPLAY_MISSING_PACKAGES = missing.map((p) => p.pkg).join(',');
}

run('npm', ['run', 'check']);
run('npm', ['run', 'build']);
const projects = ['unit', 'interop', 'e2e'].flatMap((p) => ['--project', p]);
run('npx', ['vitest', 'run', ...projects, ...process.argv.slice(2)], { env });
if (missing.length > 0) {
  console.warn(`\n!!! npm test passed, but suites needing ${env.KRBPLAY_MISSING_PACKAGES} were SKIPPED.`);
}
