// The golden check: every catalogue scenario (two-forests, the page's first story, among them) gives, for
// its seed, exactly the trace, message bytes and pcapng it gave when the golden files were written.
// Refactors must keep them byte-identical; a change of behaviour rewrites them only through
// `npm run golden:update`, in a commit that names the change. A mismatch writes what the run gave to
// test-results/golden/ to diff.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { catalogue, formatRun, runScenario, type Scenario } from '../../../src/scenarios';
import { exportPcapng, type TraceEvent, type World } from '../../../src/world';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const goldenDir = join(root, 'test', 'fixtures', 'golden');
const outDir = join(root, 'test-results', 'golden');
const updating = process.env.KRBPLAY_GOLDEN_UPDATE === '1';

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

/** Every field of every trace event, narration included, one block per event. */
function traceDump(trace: readonly TraceEvent[]): string {
  const lines: string[] = [];
  for (const e of trace) {
    const head = [
      `#${e.seq}`,
      new Date(e.t).toISOString(),
      e.kind,
      `${e.from}->${e.to}`,
      e.transport,
      e.port ?? '-',
      e.type,
      e.errorCode !== undefined ? `error=${e.errorCode}` : '',
      e.windowsError !== undefined ? `windows=${e.windowsError}` : '',
      e.replyTo !== undefined ? `replyTo=${e.replyTo}` : '',
      e.modelled ? 'modelled' : '',
    ].filter((x) => x !== '');
    lines.push(head.join(' '), `  result: ${e.result}`);
    for (const n of e.narration) lines.push(`  [${n.actor}/${n.stage}${n.ok ? '' : ' !'}] ${n.text}`);
    if (e.bytes) lines.push(`  bytes: ${hex(e.bytes)}`);
    if (e.inner) lines.push(`  inner: ${hex(e.inner)}`);
    if (e.smb2) lines.push(`  smb2: ${hex(e.smb2)}`);
    if (e.smbSession) lines.push(`  smb session: ${e.smbSession.id} key ${hex(e.smbSession.key)}`);
  }
  return lines.join('\n') + '\n';
}

interface GoldenRun {
  name: string;
  text: string;
  trace: string;
  pcapng: Uint8Array;
}

function check(run: GoldenRun): void {
  const files: [string, string][] = [
    [`${run.name}.txt`, run.text],
    [`${run.name}.trace.txt`, run.trace],
    [`${run.name}.pcapng.sha256`, createHash('sha256').update(run.pcapng).digest('hex') + '\n'],
  ];
  if (updating) {
    mkdirSync(goldenDir, { recursive: true });
    for (const [file, content] of files) writeFileSync(join(goldenDir, file), content);
    return;
  }
  const differing = files.filter(([file, content]) => {
    const path = join(goldenDir, file);
    return !existsSync(path) || readFileSync(path, 'utf8') !== content;
  });
  if (differing.length > 0) {
    mkdirSync(outDir, { recursive: true });
    for (const [file, content] of files) writeFileSync(join(outDir, file), content);
    writeFileSync(join(outDir, `${run.name}.pcapng`), run.pcapng);
  }
  // Named, so a failure says which file to diff against test-results/golden/.
  expect(differing.map(([file]) => file)).toEqual([]);
}

function worldRun(name: string, world: World, text: string): GoldenRun {
  return { name, text, trace: traceDump(world.trace), pcapng: exportPcapng(world) };
}

describe('golden runs: the same seed gives the same bytes', () => {
  const available = catalogue().filter((s): s is Scenario => s.available);

  test('the catalogue has runnable scenarios to check', () => {
    expect(available.length).toBeGreaterThanOrEqual(14);
  });

  for (const scenario of available) {
    test(`${scenario.id}: trace text, every message's bytes and the pcapng are unchanged`, () => {
      const run = runScenario(scenario);
      check(worldRun(scenario.id, run.world, formatRun(run)));
    });
  }
});
