import { defineConfig } from 'vitest/config';
import type { Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';
import { posix } from 'node:path';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/** Where main.ts's text holds the list pageModules() writes (the dev server leaves it as it is). */
const PAGE_MODULES = '__KRBPLAY_PAGE_MODULES__';

/**
 * Writes into the page's entry the chunks and styles its dynamic imports need (svelte's runtime, the
 * sequence, the App, and every chunk they import), less what the entry itself imports: main.ts asks for
 * them all at its start and evaluates them a piece a task, where each import would otherwise fetch its
 * chunks only once the one before had been evaluated. Names are relative to the entry. The entry's name
 * already changes with any of them: it names the chunks it imports, each named by a hash of its own
 * imports too.
 */
function pageModules(): Plugin {
  return {
    name: 'krbplay-page-modules',
    apply: 'build',
    generateBundle(_, bundle) {
      const chunks = new Map<string, { imports: string[]; css: string[] }>();
      let entry: { fileName: string; code: string; dynamicImports: string[] } | undefined;
      for (const out of Object.values(bundle)) {
        if (out.type !== 'chunk') continue;
        chunks.set(out.fileName, { imports: out.imports, css: [...(out.viteMetadata?.importedCss ?? [])] });
        if (out.isEntry && out.moduleIds.some((id) => id.endsWith('/src/main.ts'))) entry = out;
      }
      if (!entry) return this.error("no chunk of the build holds src/main.ts, the page's entry");
      const closure = (from: string[]) => {
        const seen = new Set<string>();
        const walk = (name: string) => {
          if (seen.has(name)) return;
          seen.add(name);
          for (const i of chunks.get(name)?.imports ?? []) walk(i);
        };
        from.forEach(walk);
        return seen;
      };
      const own = closure([entry.fileName]);
      const needed = [...closure(entry.dynamicImports)].filter((f) => !own.has(f));
      const styles = needed.flatMap((f) => chunks.get(f)?.css ?? []);
      const names = [...needed, ...new Set(styles)].map((f) =>
        posix.relative(posix.dirname(entry.fileName), f),
      );
      const at = entry.code.indexOf(PAGE_MODULES);
      if (at < 0 || entry.code.indexOf(PAGE_MODULES, at + 1) >= 0)
        this.error(`the page's entry should name ${PAGE_MODULES} once, for the list of its modules`);
      (entry as { code: string }).code = entry.code.replace(PAGE_MODULES, names.join(','));
    },
  };
}

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
    plugins: [svelte(), pageModules()],
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
