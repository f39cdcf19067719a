/**
 * `krbplay scenario list`: the built-in scenarios (SCENARIOS.md's ids), with those that cannot run yet
 * and why. Contract: docs/cli.md.
 */
import { catalogue } from '../../scenarios';
import { table } from '../command';
import { defineCommand } from '../command';

export const scenarioList = defineCommand({
  name: 'scenario list',
  summary: 'List the built-in scenarios.',
  description: `
Text: one line per scenario (id and title); a scenario that cannot run yet says why.
JSON: {"scenarios":[{"id":"kerberos-101","title":"…","summary":"…","available":true}, …,
{"id":"happy-path",…,"available":false,"reason":"…"}]}`,
  options: { json: { type: 'boolean', help: 'print one JSON document' } },
  examples: ['krbplay scenario list', 'krbplay scenario list --json'],
  run({ options }, io) {
    const all = catalogue();
    if (options.json) {
      const scenarios = all.map((s) => ({
        id: s.id,
        title: s.title,
        summary: s.summary,
        available: s.available,
        ...(s.available ? {} : { reason: s.reason }),
      }));
      io.stdout(JSON.stringify({ scenarios }) + '\n');
      return 0;
    }
    const ready = all.filter((s) => s.available);
    const later = all.filter((s) => !s.available);
    const lines = [`Scenarios (${ready.length} of ${all.length} run today; krbplay scenario run ID):`];
    lines.push(...table(ready.map((s) => [s.id, s.title] as const)));
    if (later.length) {
      lines.push('', 'Not available yet:');
      lines.push(...table(later.map((s) => [s.id, `${s.title} (${s.available ? '' : s.reason})`] as const)));
    }
    io.stdout(lines.join('\n') + '\n');
    return 0;
  },
});
