// Loads a command's bundle (dist/NAME.cjs) as Node's CommonJS loader would, but from V8's code cache when
// `shub-entrypoint code-cache` has written one for this build and this Node. Compiling the bundle is the largest part
// of the wrapper's start-up beyond Node's own (the bench's start-up line): from the cache, V8 takes the bytecode of
// every function a short job ran, where it would parse the whole bundle and then compile each function as it is first
// called. Without a cache it can use (none, damaged, made from another copy: code-cache-file.ts), Node's own loader
// loads the bundle as before; a cache that V8 itself rejects leaves it to compile the bundle from its text.

import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import { keepYoungGenerationSmall } from '../process/young-generation.js';
import { bundleIdOf, CODE_CACHE_VARIABLE, codeCachePath, codeCacheReport, codeCacheUnsupported, encodeCodeCache, readCodeCache, type CachedBundle, type CodeCacheRead } from './code-cache-file.js';

// This module runs from dist/loader.cjs, beside the bundles.
const DIST_DIRECTORY = dirname(fileURLToPath(import.meta.url));

// Node's own wrapper of a CommonJS module, so that the bundle sees the names it would under require().
const WRAPPER_START = '(function (exports, require, module, __filename, __dirname) { ';
const WRAPPER_END = '\n})';

const requireHere = createRequire(import.meta.url);

// The Node modules that the bundles load as they load (test/launch/code-cache.test.ts holds this list to them).
export const BUNDLE_NODE_MODULES = [
  'node:buffer', 'node:child_process', 'node:events', 'node:fs', 'node:module', 'node:net', 'node:os', 'node:path',
  'node:process', 'node:stream', 'node:url', 'node:util', 'node:v8',
];

const REJECTED = 'rejected by V8 (written by another Node, or with other V8 flags: NODE_OPTIONS must be the same ' +
  'when "shub-entrypoint code-cache" runs as when jobs run)';

export function loadBundle(bundle: CachedBundle): Record<string, unknown> {
  const file = join(DIST_DIRECTORY, `${bundle}.cjs`);
  // Bundles are ASCII (the build fails otherwise): latin1 reads them fastest, into a string of one byte a character.
  const source = readFileSync(file, 'latin1');
  const mode = process.env[CODE_CACHE_VARIABLE];
  const id = bundleIdOf(source);
  const cacheFile = id === undefined ? undefined : codeCachePath(DIST_DIRECTORY, bundle, id);
  const cache: CodeCacheRead = cacheFile === undefined ? { problem: `none: dist/${bundle}.cjs carries no build id` }
    : mode === 'off' ? { problem: `not read (${CODE_CACHE_VARIABLE}=off)` } : readCodeCache(cacheFile, file);
  // With no cache to use or write, Node's own loader, which compiles a module for less than vm.Script does.
  if (cache.data === undefined && (mode !== 'write' || cacheFile === undefined)) {
    const unsupported = mode === 'report' ? codeCacheUnsupported() : undefined;
    if (mode === 'report') reportUse(bundle, unsupported === undefined ? cache.problem : `none: ${unsupported}`);
    return requireHere(file) as Record<string, unknown>;
  }
  // Node 24 grows the young generation at its first young collection, which reading the cache brings about: its size
  // is fixed first (young-generation.ts), once Node's modules the bundle loads are loaded (a flag set at run time
  // makes Node compile the modules it loads after it without their own code cache). The cache is written under the
  // same flag, which V8 checks it against.
  for (const name of BUNDLE_NODE_MODULES) requireHere(name);
  keepYoungGenerationSmall();
  const script = new Script(WRAPPER_START + source + WRAPPER_END, { filename: file, cachedData: cache.data });
  if (mode === 'report') reportUse(bundle, script.cachedDataRejected === false ? 'used' : REJECTED);
  if (mode === 'write') process.once('exit', () => writeCodeCache(script, file, cacheFile as string));

  const module = { exports: {} as Record<string, unknown> };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run.call(module.exports, module.exports, createRequire(file), module, file, DIST_DIRECTORY);
  return module.exports;
}

function reportUse(bundle: CachedBundle, verdict: string): void {
  process.stderr.write(codeCacheReport(bundle, verdict));
}

// Run as the process exits, once the job has compiled what a job needs. The cache holds what V8 compiled by then,
// and V8 checks it against the flags in force when it is written, the ones a later start sets before it reads the
// cache (above). Written to a new name and renamed, so that a start meanwhile reads the whole cache or none. A
// failure is said on stderr and leaves the exit status to the job: the code-cache command finds no cache and shows
// what was said.
function writeCodeCache(script: Script, bundleFile: string, cacheFile: string): void {
  const partial = `${cacheFile}.${process.pid}.partial`;
  try {
    mkdirSync(dirname(cacheFile), { recursive: true });
    writeFileSync(partial, encodeCodeCache(bundleFile, script.createCachedData()));
    // Whatever the umask of the image's build: jobs run as another user (nobody), who must be able to read them.
    chmodSync(dirname(cacheFile), 0o755);
    chmodSync(partial, 0o644);
    renameSync(partial, cacheFile);
  } catch (error) {
    process.stderr.write(`shub-entrypoint: cannot write the code cache ${cacheFile}: ${(error as Error).message}\n`);
    // A disk that filled up midway leaves part of a file.
    rmSync(partial, { force: true });
  }
}
