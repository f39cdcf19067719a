// `krbplay decode --explain` (docs/cli.md): under each field, its words and spec clause with the link, and
// what its number or each set flag bit means; with --json, an `explain` member on every NODE. Additive:
// without the flag the output is what it was.
import { beforeAll, describe, expect, test } from 'vitest';
import messagesFixture from '../../fixtures/vectors/messages.json';
import { ensureCliBuilt, krbplay } from './krbplay';

const samples = (messagesFixture as unknown as { samples: { name: string; hex: string }[] }).samples;
const hexOf = (name: string) => samples.find((s) => s.name === name)!.hex;
const AS_REQ = hexOf('knet-as-req-no-preauth');

interface Node {
  name: string;
  explain?: { key: string; words: string; refs: { text: string; url?: string }[]; bits?: { name: string }[] };
  children?: Node[];
}

beforeAll(() => ensureCliBuilt(), 180_000);

describe('krbplay decode --explain', () => {
  test('text: a known field is followed by its words and its RFC clause as a link', () => {
    const r = krbplay('decode', AS_REQ, '--explain');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    const till = lines.findIndex((l) => /^ {4}till \[5\] @\d+\+\d+ = /.test(l));
    expect(till).toBeGreaterThan(0);
    expect(lines[till + 1]).toBe(
      '      | The end time asked for; the KDC may give less. 19700101000000Z or a far date means "as long as allowed". (RFC 4120 §5.4.1 <https://www.rfc-editor.org/rfc/rfc4120#section-5.4.1>)',
    );
    // The options' set bits, each with its registry words.
    const opts = lines.findIndex((l) => /^ {4}kdc-options \[0\]/.test(l));
    expect(
      lines.slice(opts + 2, opts + 6).map((l) => /\+ ([a-z-]+) \(bit (\d+)\)/.exec(l)?.slice(1)),
    ).toEqual([
      ['forwardable', '1'],
      ['renewable', '8'],
      ['canonicalize', '15'],
      ['renewable-ok', '27'],
    ]);
    // A registry number: the padata type's name and its MS-KILE clause on learn.microsoft.com.
    expect(r.stdout).toContain(
      '| = PA-PAC-REQUEST: The client asks for (or declines) a PAC, the Windows authorization data, in its tickets. (MS-KILE §2.2.3 <https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-kile/765795ba-9e05-4220-9bd3-b34464e413a7>)',
    );
  });

  test('without --explain the text is unchanged', () => {
    const plain = krbplay('decode', AS_REQ);
    const explained = krbplay('decode', AS_REQ, '--explain');
    expect(plain.stdout).not.toContain(' | ');
    expect(explained.stdout.split('\n').filter((l) => !/^ *\| /.test(l))).toEqual(plain.stdout.split('\n'));
  });

  test('--json --explain: every NODE carries its explanation; without --explain none does', () => {
    const r = krbplay('decode', AS_REQ, '--json', '--explain');
    expect(r.status).toBe(0);
    const tree = (JSON.parse(r.stdout) as { messages: { tree: Node }[] }).messages[0]!.tree;
    const all: Node[] = [];
    const visit = (n: Node) => {
      all.push(n);
      (n.children ?? []).forEach(visit);
    };
    visit(tree);
    expect(all.filter((n) => !n.explain || n.explain.words === '').map((n) => n.name)).toEqual([]);
    const body = tree.children!.find((n) => n.name === 'req-body')!;
    const till = body.children!.find((n) => n.name === 'till')!;
    expect(till.explain).toMatchObject({
      key: 'KDC-REQ-BODY.till',
      refs: [{ text: 'RFC 4120 §5.4.1', url: 'https://www.rfc-editor.org/rfc/rfc4120#section-5.4.1' }],
    });
    const opts = body.children!.find((n) => n.name === 'kdc-options')!;
    expect(opts.explain?.bits?.map((b) => b.name)).toEqual([
      'forwardable (bit 1)',
      'renewable (bit 8)',
      'canonicalize (bit 15)',
      'renewable-ok (bit 27)',
    ]);
    const bare = krbplay('decode', AS_REQ, '--json');
    expect(bare.stdout).not.toContain('"explain"');
  });
});
