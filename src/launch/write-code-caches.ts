// `shub-entrypoint code-cache`: writes the code cache of each launched bundle for the Node that runs it, and checks
// that a new start uses it. Each cache is written by a run of the bundle's own launcher on a short job, so that it
// holds what a job compiles (bundle-loader.ts writes it as that run exits), then checked by another start.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../package-root.js';
import { describeSignal } from '../process/exit-status.js';
import { bundleIdOf, CACHED_BUNDLES, CODE_CACHE_VARIABLE, codeCachePath, reportedVerdict, type CachedBundle } from './code-cache-file.js';

// A job's first lines, of the kinds most jobs print: a logger's record, an item, a plain print, a warning and a
// traceback on stderr. What they make the wrapper compile is what the cache then holds.
const EXERCISE = [
  "console.log('2026-01-01 12:00:00 [crawler] INFO: Crawled (200) <GET https://example.com/>');",
  "console.log(JSON.stringify({ url: 'https://example.com/', title: 'Example', price: 1.5 }));",
  "console.log('fetched 1 page');",
  "console.error('WARNING: slow response');",
  "console.error('Traceback (most recent call last):\\n  File \"crawl.py\", line 1, in <module>\\nValueError: example');",
].join('\n');

// Generous: a run takes a fraction of a second; this only stops a hung one.
const RUN_TIMEOUT_MS = 60_000;

interface ExerciseRun {
  launcher: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

// How each bundle's launcher runs a short job: the wrapper with a command; start-crawl as Scrapy Cloud runs it, a
// spider of a spiders.json (in `directory`) with an argument.
function exerciseRun(bundle: CachedBundle, directory: string): ExerciseRun {
  if (bundle === 'cli') return { launcher: 'shub-entrypoint.js', args: ['--', process.execPath, '-e', EXERCISE], env: {} };
  const config = join(directory, 'spiders.json');
  // `--`: the spider's arguments (`--page=1`) are the script's, not Node's.
  writeFileSync(config, JSON.stringify({ spiders: { exercise: { command: [process.execPath, '-e', EXERCISE, '--'] } } }));
  return {
    launcher: 'start-crawl.js',
    args: [],
    env: { SPIDERS_CONFIG: config, SHUB_JOB_DATA: JSON.stringify({ key: '0/0/0', spider: 'exercise', spider_args: { page: '1' } }) },
  };
}

export class CodeCacheError extends Error {}

// Writes and checks every cache; returns what to tell the user, or throws CodeCacheError.
export function writeCodeCaches(): string[] {
  const directory = mkdtempSync(join(tmpdir(), 'shub-entrypoint-code-cache-'));
  try {
    return CACHED_BUNDLES.map((bundle) => writeAndCheckCache(bundle, exerciseRun(bundle, directory)));
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

function writeAndCheckCache(bundle: CachedBundle, { launcher, args, env }: ExerciseRun): string {
  const file = join(PACKAGE_ROOT, 'bin', launcher);
  const cacheFile = cachePathOf(bundle);
  // The job's messages go to stdout (no pipe), which nobody reads.
  const written = runLauncher(file, args, { ...env, SHUB_FIFO_PATH: '', [CODE_CACHE_VARIABLE]: 'write' });
  if (written.status !== 0) {
    throw new CodeCacheError(`the run of bin/${launcher} that writes its code cache failed (${describeEnd(written)})${stderrOf(written)}`);
  }
  const cache = statSync(cacheFile, { throwIfNoEntry: false });
  if (cache?.isFile() !== true) throw new CodeCacheError(`the run of bin/${launcher} wrote no code cache${stderrOf(written)}`);
  const report = runLauncher(file, ['--version'], { [CODE_CACHE_VARIABLE]: 'report' });
  const verdict = reportedVerdict(report.stderr) ?? `no report (${describeEnd(report)})${stderrOf(report)}`;
  if (verdict !== 'used') throw new CodeCacheError(`the code cache of bin/${launcher} was written, but a new start did not use it: ${verdict}`);
  return `${cacheFile} (${Math.ceil(cache.size / 1024)} KiB)`;
}

function cachePathOf(bundle: CachedBundle): string {
  const distDirectory = join(PACKAGE_ROOT, 'dist');
  const id = bundleIdOf(readFileSync(join(distDirectory, `${bundle}.cjs`), 'latin1'));
  if (id === undefined) throw new CodeCacheError(`dist/${bundle}.cjs carries no build id: rebuild it with "npm run build"`);
  return codeCachePath(distDirectory, bundle, id);
}

function runLauncher(file: string, args: string[], env: NodeJS.ProcessEnv) {
  return spawnSync(process.execPath, [file, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
    timeout: RUN_TIMEOUT_MS,
  });
}

function describeEnd(run: { status: number | null; signal: NodeJS.Signals | null; error?: Error }): string {
  if (run.error !== undefined) return run.error.message;
  return run.signal === null ? `exit status ${run.status}` : `ended by ${describeSignal(run.signal)}`;
}

function stderrOf(run: { stderr: string }): string {
  const text = run.stderr.trim();
  return text === '' ? '' : `:\n${text}`;
}
