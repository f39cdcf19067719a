import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// Two builds share this file:
//  - the playground (default mode): a static site from src/index.html into dist/;
//  - the `krbplay` command (`--mode cli`): src/cli/main.ts bundled for Node into dist-cli/,
//    dependencies left as imports (bin/krbplay.js runs it).
export default defineConfig(({ mode }) => {
  if (mode === 'cli') {
    return {
      publicDir: false,
      build: {
        ssr: here('src/cli/main.ts'),
        outDir: here('dist-cli'),
        emptyOutDir: true,
        target: 'node20',
        sourcemap: true,
        rollupOptions: { output: { entryFileNames: 'krbplay.js' } },
      },
    };
  }
  return {
    root: here('src'),
    publicDir: here('public'),
    base: './',
    plugins: [svelte()],
    // The worker's start is mostly V8 reading its script (test/e2e/site-build.test.ts checks both):
    //  - the catalogue's JSON files are kept as JSON text (JSON.parse), faster to read than object literals;
    //  - every script is ASCII (other characters escaped), which the browser decodes one byte a character.
    json: { stringify: true, namedExports: false },
    worker: { format: 'es', rolldownOptions: { output: { charset: 'ascii' } } },
    build: {
      outDir: here('dist'),
      emptyOutDir: true,
      target: 'es2022',
      rolldownOptions: { output: { charset: 'ascii' } },
    },
    test: {
      root: here('.'),
      projects: [
        {
          extends: true,
          test: {
            name: 'unit',
            root: here('.'),
            include: ['test/unit/**/*.test.ts'],
            environment: 'node',
            // Generous bounds, not speed targets (those are in npm run bench): on a loaded 2-core machine
            // a test of a few hundred milliseconds can take ten seconds, and must still pass.
            testTimeout: 120_000,
            hookTimeout: 120_000,
          },
        },
        {
          // Against programs nobody here wrote: MIT krb5 (krb5kdc, kinit, kvno, klist) and tshark, on loopback.
          extends: true,
          test: {
            name: 'interop',
            root: here('.'),
            include: ['test/interop/**/*.test.ts'],
            environment: 'node',
            testTimeout: 120_000,
            hookTimeout: 180_000,
            fileParallelism: false,
          },
        },
        {
          extends: true,
          test: {
            name: 'e2e',
            root: here('.'),
            include: ['test/e2e/**/*.test.ts'],
            environment: 'node',
            testTimeout: 120_000,
            hookTimeout: 180_000,
            fileParallelism: false,
          },
        },
        {
          // Benchmarks (npm run bench): they measure and print, and check that what they time is right;
          // speed targets never fail a test. Not part of npm test.
          extends: true,
          test: {
            name: 'bench',
            root: here('.'),
            include: ['test/bench/**/*.bench.ts'],
            environment: 'node',
            testTimeout: 600_000,
            fileParallelism: false,
          },
        },
      ],
    },
  };
});
