#!/usr/bin/env node
// The `krbplay` command. Node 20 cannot run TypeScript, so this runs the bundle that
// `npm run build:cli` makes (npm ci runs it through the `prepare` script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = fileURLToPath(new URL('../dist-cli/krbplay.js', import.meta.url));
if (!existsSync(bundle)) {
  process.stderr.write('krbplay: not built yet: run `npm run build:cli` in the project first\n');
  process.exit(1);
}
const { main } = await import(bundle);
process.exitCode = await main(process.argv.slice(2));
