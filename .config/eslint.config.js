// ESLint flat config. It lives in .config/ because the project's top level is kept to a fixed set of
// entries; package.json passes it with --config.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import structure from './eslint-structure.js';

// The core (everything under src/ but ui, node and cli) does no I/O and runs in browsers and Node alike:
// no Node modules, no Buffer, no process, no ambient clock or randomness (ARCHITECTURE.md).
const coreRules = {
  'no-restricted-imports': [
    'error',
    {
      // exact module names (a pattern like 'crypto' would also match our own '../crypto')
      paths: ['fs', 'path', 'crypto', 'os', 'net', 'dgram', 'http', 'https', 'child_process'].map((name) => ({
        name,
        message: 'The core is I/O-free: Node modules belong in src/node or src/cli.',
      })),
      patterns: [
        { group: ['node:*'], message: 'The core is I/O-free: Node modules belong in src/node or src/cli.' },
      ],
    },
  ],
  'no-restricted-globals': [
    'error',
    { name: 'Buffer', message: 'Use Uint8Array: the core runs in browsers.' },
    { name: 'process', message: 'The core must not read the process: pass settings in.' },
    { name: 'fetch', message: 'The core does no I/O: transports are handed in.' },
    { name: 'window', message: 'The core must not touch the page.' },
  ],
  'no-restricted-properties': [
    'error',
    {
      object: 'Math',
      property: 'random',
      message: 'Randomness is injected (a RandomSource), never Math.random.',
    },
    { object: 'Date', property: 'now', message: 'Time is injected: the core never reads the wall clock.' },
  ],
  'no-restricted-syntax': [
    'error',
    {
      selector: "NewExpression[callee.name='Date'][arguments.length=0]",
      message: 'Time is injected: `new Date()` reads the wall clock; pass the time in.',
    },
  ],
};

export default tseslint.config(
  { ignores: ['dist/', 'dist-cli/', 'node_modules/', 'test/fixtures/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/ui/**', 'src/node/**', 'src/cli/**', 'src/main.ts'],
    rules: coreRules,
  },
  {
    // The layers of docs/architecture.md: imports point down only, and no import circle.
    files: ['src/**/*.ts', 'src/**/*.svelte'],
    plugins: { krbplay: structure },
    rules: { 'krbplay/layers': 'error', 'krbplay/no-cycle': 'error' },
  },
  {
    // The top floors stay readable: no function over 100 lines.
    files: ['src/{world,azure,scenarios,fleet,client,kdc,services,protocol}/**/*.ts'],
    rules: { 'max-lines-per-function': ['error', { max: 100 }] },
  },
);
