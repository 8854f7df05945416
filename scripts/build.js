// `npm run build`: bundles each command's entry module, with the modules it imports, into one file in dist/.
//
// Node's ESM loader resolves, reads and compiles each module of a tree on its own, so one file starts faster than the
// tree of modules it replaces (the bench's start-up line, `shub-entrypoint -- true` against `node -e 0`, shows what
// start-up costs). commander, which every command loads at start, is bundled too: finding it in node_modules (its
// package.json, its exports, seven files each resolved, read and compiled on their own) cost the start-up line more
// than anything else the bundles load; its licence goes into each bundle with it. execa, loaded only by `check`,
// stays in node_modules. Types are checked by `npm run typecheck` (esbuild only strips them; tsc writes nothing).
//
// The bundles are CommonJS (dist/*.cjs, loaded by the launchers in bin/, which bin/package.json makes CommonJS too):
// an ES module that imports Node's built-in modules makes the ESM loader build a module facade for each of them at
// start, which `require` never does; the start-up line of the bench shows the difference. The sources stay ES modules;
// `import.meta.url`, their one use of ESM-only syntax, becomes the bundle's own file URL.
//
// The WebAssembly that src/lines/byte-scan.ts runs is compiled first, from assembly/ (scripts/compile-wasm.js), and
// embedded in the bundle as bytes: nothing beside the bundle to ship or to find at run time.

import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compileByteScan } from './compile-wasm.js';

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
await compileByteScan();
await build({
  absWorkingDir: fileURLToPath(new URL('..', import.meta.url)),
  entryPoints: ['src/early.ts', 'src/loader.ts', 'src/cli.ts', 'src/contract/start-crawl.ts', 'src/contract/image-info.ts'],
  outdir: 'dist',
  // dist/early.cjs, dist/loader.cjs, dist/cli.cjs, dist/start-crawl.cjs, dist/image-info.cjs: what the launchers in bin/ require.
  entryNames: '[name]',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  external: ['execa'],
  platform: 'node',
  format: 'cjs',
  define: { 'import.meta.url': 'bundleFileUrl' },
  banner: { js: "const bundleFileUrl = require('node:url').pathToFileURL(__filename).href;" },
  footer: { js: `/*! Bundled: commander ${bundled('commander').version}\n${bundled('commander').licence}*/` },
  target: 'node20',
  loader: { '.wasm': 'binary' },
  plugins: [importEsmFromLoader()],
  logLevel: 'warning',
});
for (const bundle of readdirSync(new URL('../dist', import.meta.url))) requireAscii(new URL(`../dist/${bundle}`, import.meta.url));
for (const bundle of ['cli', 'start-crawl']) {
  requireNoImport(new URL(`../dist/${bundle}.cjs`, import.meta.url));
  stampBundleId(new URL(`../dist/${bundle}.cjs`, import.meta.url));
}
// The code cache of this Node, as `shub-entrypoint code-cache` writes it in an image: the tests and the bench start
// the bundles as an installed image would. (Not packed: package.json's "files" leaves dist/code-cache/ out.)
execFileSync(process.execPath, [fileURLToPath(new URL('../bin/shub-entrypoint.js', import.meta.url)), 'code-cache'], { stdio: ['ignore', 'ignore', 'inherit'] });

// src/launch/esm-import.ts runs from dist/loader.cjs, which Node's own loader compiles; each other bundle requires it
// from there, since code compiled by vm.Script cannot call import() (see that module).
function importEsmFromLoader() {
  return {
    name: 'import-esm-from-loader',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /\/esm-import\.js$/ }, ({ importer }) =>
        importer.endsWith('/src/loader.ts') ? undefined : { path: './loader.cjs', external: true });
    },
  };
}

// A bundle that src/launch/bundle-loader.ts compiles cannot call import(): it would fail at run time only, on the
// path that calls it, which the tests (they run the sources) never take through the bundle.
function requireNoImport(file) {
  refuseFirst(file, /\bimport\(/, 'import() in a bundle compiled by vm.Script, which cannot run it',
    'Import the module with importEsm (src/launch/esm-import.ts) instead.');
}

// The last line of a bundle loaded through a code cache: a hash of the text before it, which names its caches
// (read by bundleIdOf in src/launch/code-cache-file.ts).
function stampBundleId(file) {
  const id = createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 32);
  appendFileSync(file, `\n//# bundle-id=${id}\n`);
}

// esbuild writes strings and names as ASCII escapes but keeps some comments as they are, and one non-ASCII character
// makes V8 hold the whole source of a bundle as two bytes a character, for as long as the process runs (the bench's
// idle memory). So a bundle must be ASCII: the character's comment is rewritten instead.
function requireAscii(file) {
  refuseFirst(file, /[^\x00-\x7f]/, 'a character outside ASCII',
    'Write that comment in ASCII: V8 holds a bundle with any other character as two bytes a character.');
}

// Fails the build at the first match of `pattern` in a bundle, naming its line.
function refuseFirst(file, pattern, what, remedy) {
  const text = readFileSync(file, 'utf8');
  const at = text.search(pattern);
  if (at === -1) return;
  const line = text.slice(0, at).split('\n').length;
  throw new Error(`${fileURLToPath(file)}:${line}: ${what}, in: ${text.split('\n')[line - 1].trim()}\n${remedy}`);
}

// The version and licence text of a package that the bundles carry inside them.
function bundled(name) {
  const directory = new URL(`../node_modules/${name}/`, import.meta.url);
  return {
    version: JSON.parse(readFileSync(new URL('package.json', directory), 'utf8')).version,
    licence: readFileSync(new URL('LICENSE', directory), 'utf8'),
  };
}
