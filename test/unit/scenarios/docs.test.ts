// What docs/cli.md says of the catalogue is counted from the catalogue itself, so it stays true.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { catalogue } from '../../../src/scenarios';

const cliMd = readFileSync(join(fileURLToPath(new URL('../../../', import.meta.url)), 'docs/cli.md'), 'utf8');

describe('docs/cli.md and the catalogue agree', () => {
  test('"N of the M catalogue ids run; the K that …" counts the catalogue', () => {
    const m = /(\d+) of the (\d+) catalogue ids run; the (\d+) that/.exec(cliMd);
    expect(m, 'docs/cli.md states how many catalogue scenarios run').not.toBeNull();
    const all = catalogue();
    const runnable = all.filter((s) => s.available).length;
    expect({ run: Number(m![1]), total: Number(m![2]), notAvailable: Number(m![3]) }).toEqual({
      run: runnable,
      total: all.length,
      notAvailable: all.length - runnable,
    });
  });
});
