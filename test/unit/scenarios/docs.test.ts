// What docs/cli.md says of the catalogue is counted from the catalogue itself, so it stays true.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { catalogue } from '../../../src/scenarios';

const cliMd = readFileSync(join(fileURLToPath(new URL('../../../', import.meta.url)), 'docs/cli.md'), 'utf8');

describe('docs/cli.md and the catalogue agree', () => {
  test('"N of the M catalogue ids run; the K that …" (or "all M catalogue ids run") counts the catalogue', () => {
    const all = catalogue();
    const runnable = all.filter((s) => s.available).length;
    const some = /(\d+) of the (\d+) catalogue ids run; the (\d+) that/.exec(cliMd);
    const every = /all (\d+) catalogue ids run/.exec(cliMd);
    expect(some ?? every, 'docs/cli.md states how many catalogue scenarios run').not.toBeNull();
    const said = some
      ? { run: Number(some[1]), total: Number(some[2]), notAvailable: Number(some[3]) }
      : { run: Number(every![1]), total: Number(every![1]), notAvailable: 0 };
    expect(said).toEqual({ run: runnable, total: all.length, notAvailable: all.length - runnable });
    // one statement, not two that could disagree
    expect(some && every).toBeNull();
  });
});
