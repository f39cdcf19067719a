// The lint rules that keep the house's shape (.config/eslint-structure.js): an import up a floor or to a
// sibling is refused with the rule named; down is fine; and the real src/ has no import circle.
import { Linter, type ESLint } from 'eslint';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import tseslint from 'typescript-eslint';
const root = fileURLToPath(new URL('../../../', import.meta.url));
// The plugin is plain JS for ESLint's own config; loaded by URL so the type checker leaves it to ESLint.
const pluginUrl = new URL('../../../.config/eslint-structure.js', import.meta.url).href;
const structure = ((await import(pluginUrl)) as { default: ESLint.Plugin }).default;

/** Lints `code` as if it were `file` (relative to `base`) with both structure rules, over `base`/src. */
function lint(file: string, code: string, base = root): string[] {
  const linter = new Linter({ configType: 'flat' });
  const src = join(base, 'src');
  const messages = linter.verify(
    code,
    [
      {
        files: ['**/*.ts'],
        languageOptions: { parser: tseslint.parser },
        plugins: { krbplay: structure },
        rules: { 'krbplay/layers': ['error', { src }], 'krbplay/no-cycle': ['error', { src }] },
      },
    ],
    join(base, file),
  );
  return messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('imports point down only', () => {
  test('the KDC may import the protocol floor below it', () => {
    expect(lint('src/kdc/new-file.ts', "import { parsePrincipal } from '../protocol';\n")).toEqual([]);
  });

  test('the KDC importing the world (a higher floor) is refused, saying which floors', () => {
    expect(lint('src/kdc/new-file.ts', "import { World } from '../world';\n")).toEqual([
      'krbplay/layers: src/kdc may not import src/world: a higher floor (imports point down only; docs/architecture.md)',
    ]);
  });

  test('the client importing the KDC (a sibling) is refused; re-exports count too', () => {
    expect(lint('src/client/new-file.ts', "export { handle } from '../kdc';\n")).toEqual([
      'krbplay/layers: src/client may not import src/kdc: a sibling on the same floor (imports point down only; docs/architecture.md)',
    ]);
  });

  test('imports inside one folder and of packages are not the rule’s business', () => {
    expect(lint('src/kdc/new-file.ts', "import { x } from './kdc';\nimport * as a from 'asn1js';\n")).toEqual(
      [],
    );
  });
});

describe('no import circle', () => {
  /** A small tree of files under a fresh src/; returns its base directory. */
  function tree(files: Record<string, string>): string {
    // inside the project (test-results/ is ignored by git): ESLint lints only files under its cwd
    mkdirSync(join(root, 'test-results'), { recursive: true });
    const base = mkdtempSync(join(root, 'test-results', 'structure-'));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(base, path)), { recursive: true });
      writeFileSync(join(base, path), text);
    }
    return base;
  }

  test('three files that import each other in a loop are named, on each import that closes it', () => {
    const files = {
      'src/kdc/a.ts': "import { b } from './b';\nexport const a = 1;\n",
      'src/kdc/b.ts': "import type { C } from './c';\nexport const b = 2;\n",
      'src/kdc/c.ts': "import { a } from './a';\nexport type C = number;\n",
      'src/kdc/d.ts': "import { a } from './a';\n",
    };
    const base = tree(files);
    const circle = 'krbplay/no-cycle: import circle: src/kdc/a.ts, src/kdc/b.ts, src/kdc/c.ts';
    expect(lint('src/kdc/a.ts', files['src/kdc/a.ts'], base)).toEqual([circle]);
    expect(lint('src/kdc/b.ts', files['src/kdc/b.ts'], base)).toEqual([circle]);
    // d imports the loop but is not in it
    expect(lint('src/kdc/d.ts', files['src/kdc/d.ts'], base)).toEqual([]);
  });

  test('a tree without a loop passes', () => {
    const files = {
      'src/kdc/a.ts': "import { b } from './b';\nexport const a = b;\n",
      'src/kdc/b.ts': 'export const b = 2;\n',
    };
    const base = tree(files);
    expect(lint('src/kdc/a.ts', files['src/kdc/a.ts'], base)).toEqual([]);
  });
});
