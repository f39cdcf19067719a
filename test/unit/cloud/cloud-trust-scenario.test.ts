// The cloud Kerberos trust scenarios run with every outcome true, and the key-list exchange is real bytes.
import { describe, expect, test } from 'vitest';
import { catalogue } from '../../../src/scenarios';
import { runScenario } from '../../../src/scenarios/runner';

const byId = (id: string) => {
  const s = catalogue().find((x) => x.id === id);
  if (!s || !s.available) throw new Error(`${id} is not available`);
  return s;
};

describe.each(['cloud-trust-partial-tgt', 'mfa-ca-not-excluded', 'tgt-expiry-cloud-trust'])('%s', (id) => {
  test('every outcome holds', () => {
    const run = runScenario(byId(id));
    const failed = run.outcomes.filter((o) => !o.ok);
    if (failed.length)
      console.log(
        JSON.stringify(failed, null, 1),
        run.world.trace.map((e) => `${e.from}->${e.to} ${e.type} ${e.result}`).join('\n'),
      );
    expect(failed).toEqual([]);
  });
});
