#!/usr/bin/env node
// npm run bench [-- NAME…]: runs test/bench/NAME.bench.ts (all of them when no name is given).
// Benchmarks print figures and ratios against a reference measured in the same run; they never fail on speed.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const dir = new URL('.', import.meta.url);
const all = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace(/\.bench\.ts$/, ''));
const wanted = process.argv.slice(2);
for (const name of wanted) {
  if (!all.includes(name)) {
    console.error(`bench: no benchmark "${name}" (have: ${all.join(', ') || 'none'})`);
    process.exit(2);
  }
}
const files = (wanted.length ? wanted : all).map((n) => `test/bench/${n}.bench.ts`);
const r = spawnSync('npx', ['vitest', 'run', '--project', 'bench', '--reporter', 'verbose', ...files], {
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
