// A scenario is input (a file, a share link): a user name with a newline and an ESC sequence, and a title
// with a bidi override, reach `krbplay scenario run`'s text (the events, the klist, the title) escaped, so
// that no line is forged and nothing reaches the terminal raw.
import { describe, expect, test } from 'vitest';
import {
  findScenario,
  formatRun,
  runScenario,
  validateScenario,
  type Scenario,
} from '../../../src/scenarios';

const ESC = '\u001b';
const HOSTILE = `alice\n# forged line${ESC}[31m`;

describe('scenario run text with hostile names', () => {
  test('a user name with a newline and an ESC sequence is shown escaped in every line that names it', () => {
    const s = JSON.parse(JSON.stringify(findScenario('kerberos-101'))) as {
      title: string;
      kdc: { realms: { principals: { name: string }[] }[] };
      clients: { user: string }[];
    };
    s.title = `Kerberos 101 \u202eevil`;
    s.kdc.realms[0]!.principals[0]!.name = HOSTILE;
    s.clients[0]!.user = `${HOSTILE}@CORP.CONTOSO.COM`;
    const run = runScenario(validateScenario(JSON.parse(JSON.stringify(s))) as Scenario);
    const text = formatRun(run);
    // eslint-disable-next-line no-control-regex -- control characters are what this looks for
    expect(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/.test(text)).toBe(false);
    const lines = text.split('\n');
    expect(lines[0]).toBe('Scenario kerberos-101: Kerberos 101 \\u202eevil');
    expect(lines.some((l) => l.startsWith('# forged'))).toBe(false);
    const shown = 'alice\\n# forged line\\u001b[31m';
    // The AS-REQ events and the klist's Client line name the user.
    expect(lines.filter((l) => / AS-REQ /.test(l) && l.includes(shown))).toHaveLength(2);
    expect(lines.some((l) => l === `#0>\tClient: ${shown} @ CORP.CONTOSO.COM`)).toBe(true);
    expect(run.outcomes.every((o) => o.ok)).toBe(true);
  });
});
