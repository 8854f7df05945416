// The launchers load their bundle from V8's code cache when `shub-entrypoint code-cache` (or the build) has written one
// for this Node, and from its text otherwise; a cache that does not belong to the bundle is never used.

import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { BUNDLE_NODE_MODULES } from '../../src/launch/bundle-loader.js';
import { encodeCodeCache } from '../../src/launch/code-cache-file.js';
import { cleanEnv, commandLogs, FIXTURES, ROOT, runJob } from '../helpers/cli.js';
import { publicTempDir } from '../helpers/fifo.js';

const REPORT = { SHUBENTRYPOINT_CODE_CACHE: 'report' };
const isRoot = process.getuid?.() === 0;
// Jobs run as nobody; the Node running the tests may be where nobody cannot reach it (npm exec's cache under /root).
const nobodyRunsNode = isRoot && spawnSync(process.execPath, ['-e', '0'], { uid: 65534, gid: 65534 }).status === 0;

// A copy of the built package (bin/, dist/ with the caches the build wrote, package.json), free to change.
function packageCopy(): string {
  const directory = publicTempDir();
  for (const part of ['bin', 'dist', 'package.json']) cpSync(join(ROOT, part), join(directory, part), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(directory, 'node_modules'));
  return directory;
}

// The copy's own caches, as `code-cache` run in it writes them.
function writeCaches(packageDirectory: string): void {
  const run = launch(packageDirectory, 'shub-entrypoint.js', ['code-cache']);
  expect(run.stderr).toBe('');
}

function cacheFiles(packageDirectory: string, bundle: string): string[] {
  const directory = join(packageDirectory, 'dist', 'code-cache');
  return readdirSync(directory).filter((name) => name.startsWith(`${bundle}-`) && name.includes(`-${process.version}-`)).map((name) => join(directory, name));
}

function launch(packageDirectory: string, launcher: string, args: string[], env: NodeJS.ProcessEnv = {}, uid?: number) {
  return spawnSync(process.execPath, [join(packageDirectory, 'bin', launcher), ...args], {
    env: cleanEnv(env), encoding: 'utf8', ...(uid === undefined ? {} : { uid, gid: uid }),
  });
}

// A job's output of several kinds, each taking its own path through the wrapper.
const JOB = ['--', process.execPath, '-e', [
  "console.log('2026-01-01 12:00:00 [crawler] INFO: Crawled (200) <GET https://example.com/>');",
  "console.log(JSON.stringify({ title: 'Caf\\u00e9', price: 1.5 }));",
  "console.log(\"{'a': 1}\");",
  "console.error('Traceback (most recent call last):\\n  File \"x.py\", line 1, in <module>\\nValueError: bad');",
].join('\n')];

describe('the code cache', () => {
  // The flag that keeps the young generation small is set before the cache is read, once Node's modules the bundle
  // needs are loaded: one loaded after it would be compiled without Node's own code cache.
  it('is read once every Node module the bundles load is loaded', () => {
    for (const bundle of ['cli', 'start-crawl']) {
      const loaded = readFileSync(join(ROOT, 'dist', `${bundle}.cjs`), 'latin1').matchAll(/require\("(node:[\w/]+)"\)/g);
      for (const [, name] of loaded) expect(BUNDLE_NODE_MODULES).toContain(name);
    }
  });

  it.each(['shub-entrypoint.js', 'start-crawl.js'])('is used by %s once the build has written it for this Node', (launcher) => {
    const run = launch(ROOT, launcher, ['--version'], REPORT);
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/^shub-entrypoint: code cache of dist\/[a-z-]+\.cjs: used$/m);
  });

  // Node 20 cannot run import() in code taken from a code cache; check imports execa.
  it('runs check, which imports a package at run time, from the cache', () => {
    const run = launch(ROOT, 'shub-entrypoint.js', ['check', '--', 'echo', 'hello'], REPORT);
    expect(run.stderr).toMatch(/code cache of dist\/cli\.cjs: used/);
    expect(run.stdout).toMatch(/protocol +OK/);
    expect(run.status).toBe(0);
  });

  it('gives a job the same messages as the bundle compiled from its text', async () => {
    const copy = packageCopy();
    rmSync(join(copy, 'dist', 'code-cache'), { recursive: true });
    const cached = await runJob(JOB, REPORT);
    const compiled = await runJob(JOB, REPORT, join(copy, 'bin', 'shub-entrypoint.js'));
    expect(cached.stderr).toMatch(/: used$/m);
    expect(compiled.stderr).toMatch(/: none for Node v/);
    // stdout and stderr are two pipes: the order between their lines varies from run to run.
    const logs = (run: typeof cached) => commandLogs(run.job).sort((a, b) => a.message.localeCompare(b.message));
    expect(logs(cached)).toEqual(logs(compiled));
    expect(logs(cached).map((log) => log.level).sort()).toEqual([20, 20, 40]);
    expect(cached.job.items).toEqual(compiled.job.items);
    expect(cached.job.items).toEqual([{ title: 'Caf\u00e9', price: 1.5 }]);
  });

  // V8 checks a cache against the length of the source alone: a cache found by the bundle's name would run the old
  // code of a bundle rebuilt to the same length.
  it('is not used for a bundle rebuilt to the same length', () => {
    const copy = packageCopy();
    const bundle = join(copy, 'dist', 'cli.cjs');
    const source = readFileSync(bundle, 'latin1');
    const rebuilt = source.replace('Run a command as a Scrapy Cloud job', 'Run a COMMAND as a Scrapy Cloud job')
      .replace(/(bundle-id=)(\w)/, (_match, mark: string, digit: string) => mark + (digit === '0' ? '1' : '0'));
    expect(rebuilt.length).toBe(source.length);
    writeFileSync(bundle, rebuilt, 'latin1');
    const run = launch(copy, 'shub-entrypoint.js', ['--help'], REPORT);
    expect(run.stderr).toMatch(/code cache of dist\/cli\.cjs: none for Node v/);
    expect(run.stdout).toContain('Run a COMMAND as a Scrapy Cloud job');
  });

  // A bundle changed by hand to the same length keeps its id, and V8 takes the cache of the old text: the old code
  // runs. `off` is the way out (so is running code-cache again).
  it('is not read with SHUBENTRYPOINT_CODE_CACHE=off', () => {
    const copy = packageCopy();
    writeCaches(copy);
    const bundle = join(copy, 'dist', 'cli.cjs');
    writeFileSync(bundle, readFileSync(bundle, 'latin1').replace('Run a command as', 'Run a COMMAND as'), 'latin1');
    expect(launch(copy, 'shub-entrypoint.js', ['--help']).stdout).toContain('Run a command as');
    expect(launch(copy, 'shub-entrypoint.js', ['--help'], { SHUBENTRYPOINT_CODE_CACHE: 'off' }).stdout).toContain('Run a COMMAND as');
  });

  // V8 checks a cache's header, not its data: a damaged cache crashed V8 or made it spin.
  it.each([
    ['cut short', (cache: Buffer) => cache.subarray(0, 1000)],
    ['with a byte of its data changed', (cache: Buffer) => Buffer.concat([cache.subarray(0, -5000), Buffer.from([cache.at(-5000)! ^ 0x20]), cache.subarray(-4999)])],
    ['with its data inverted', (cache: Buffer) => Buffer.concat([cache.subarray(0, 200), Buffer.from(cache.subarray(200).map((byte) => byte ^ 0xff))])],
  ])('is refused as damaged when %s, and the job runs from the text', async (_how, damage) => {
    const copy = packageCopy();
    writeCaches(copy);
    const [cache] = cacheFiles(copy, 'cli') as [string];
    writeFileSync(cache, damage(readFileSync(cache)));
    const run = await runJob(JOB, REPORT, join(copy, 'bin', 'shub-entrypoint.js'));
    expect(run.stderr).toMatch(/code cache of dist\/cli\.cjs: damaged \(/);
    expect(run.status).toBe(0);
    expect(run.job.items).toEqual([{ title: 'Caf\u00e9', price: 1.5 }]);
  });

  // Node 20's V8 keeps the script's name from the cache: a copy's stack traces would name the original's path.
  it('is not used by a copy of the package elsewhere', () => {
    const copy = packageCopy();
    const run = launch(copy, 'shub-entrypoint.js', ['--version'], REPORT);
    expect(run.stderr).toContain(`code cache of dist/cli.cjs: written for ${join(ROOT, 'dist', 'cli.cjs')}, not this copy`);
    writeCaches(copy);
    expect(launch(copy, 'shub-entrypoint.js', ['--version'], REPORT).stderr).toMatch(/: used$/m);
  });

  it('is rejected by V8 when made from another text, and the job runs from that text', async () => {
    const copy = packageCopy();
    const [cache] = cacheFiles(copy, 'cli') as [string];
    const bundle = join(copy, 'dist', 'cli.cjs');
    writeFileSync(cache, encodeCodeCache(bundle, new Script('(function () { return 1; })').createCachedData()));
    const run = await runJob(JOB, REPORT, join(copy, 'bin', 'shub-entrypoint.js'));
    expect(run.stderr).toMatch(/code cache of dist\/cli\.cjs: rejected by V8 \(.*NODE_OPTIONS/);
    expect(run.status).toBe(0);
    expect(run.job.items).toEqual([{ title: 'Caf\u00e9', price: 1.5 }]);
  });

  // Jobs run as nobody; an image's build may run with a umask that keeps files from other users.
  it.runIf(nobodyRunsNode)('is written for every user to read, whatever the umask', () => {
    const copy = packageCopy();
    rmSync(join(copy, 'dist', 'code-cache'), { recursive: true });
    const launcher = join(copy, 'bin', 'shub-entrypoint.js');
    const write = spawnSync('sh', ['-c', 'umask 077 && exec "$0" "$1" code-cache', process.execPath, launcher], { env: cleanEnv(), encoding: 'utf8' });
    expect(write.status).toBe(0);
    expect(launch(copy, 'shub-entrypoint.js', ['--version'], REPORT, 65534).stderr).toMatch(/: used$/m);
  });

  it.runIf(nobodyRunsNode)('says so when a job\'s user cannot read it', () => {
    const copy = packageCopy();
    writeCaches(copy);
    const [cache] = cacheFiles(copy, 'cli') as [string];
    chmodSync(cache, 0o600);
    const run = launch(copy, 'shub-entrypoint.js', ['--version'], REPORT, 65534);
    expect(run.stderr).toMatch(/code cache of dist\/cli\.cjs: unreadable \(EACCES: /);
    expect(run.status).toBe(0);
  });
});

describe('shub-entrypoint code-cache', () => {
  it('writes the cache of each launched bundle for this Node, which a new start then uses', () => {
    const copy = packageCopy();
    rmSync(join(copy, 'dist', 'code-cache'), { recursive: true });
    expect(launch(copy, 'start-crawl.js', ['--version'], REPORT).stderr).toMatch(/: none for Node v/);
    const run = launch(copy, 'shub-entrypoint.js', ['code-cache']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`code cache for Node ${process.version} written and used by a new start`);
    for (const [bundle, launcher] of [['cli', 'shub-entrypoint.js'], ['start-crawl', 'start-crawl.js']] as const) {
      const [cache] = cacheFiles(copy, bundle);
      expect(run.stdout).toContain(cache);
      expect(launch(copy, launcher, ['--version'], REPORT).stderr).toMatch(/: used$/m);
    }
    expect(readdirSync(join(copy, 'dist', 'code-cache')).filter((name) => name.endsWith('.partial'))).toEqual([]);
  });

  it('leaves no part of a cache it could not finish', () => {
    const copy = packageCopy();
    writeCaches(copy);
    const [cache] = cacheFiles(copy, 'cli') as [string];
    // A directory where the cache goes: the written file cannot be renamed to it.
    rmSync(cache);
    mkdirSync(join(cache, 'in-the-way'), { recursive: true });
    const run = launch(copy, 'shub-entrypoint.js', ['code-cache']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('cannot write the code cache');
    expect(readdirSync(join(copy, 'dist', 'code-cache')).filter((name) => name.endsWith('.partial'))).toEqual([]);
  });

  it('refuses a job\'s option, which it would ignore', () => {
    const run = launch(ROOT, 'shub-entrypoint.js', ['--no-detect-levels', 'code-cache']);
    expect(run.stderr).toBe('shub-entrypoint code-cache: --no-detect-levels is an option of a job; code-cache takes none\n');
    expect(run.status).toBe(125);
  });

  it('is a program\'s name after --', async () => {
    const run = await runJob(['--', 'code-cache']);
    expect(run.status).toBe(127);
  });

  // Jobs run as nobody in an image; a package they cannot write is the usual case, and code-cache says so.
  it.runIf(nobodyRunsNode)('says what it could not write, and fails, where the package cannot be written', () => {
    const copy = packageCopy();
    rmSync(join(copy, 'dist', 'code-cache'), { recursive: true });
    const run = launch(copy, 'shub-entrypoint.js', ['code-cache'], {}, 65534);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^shub-entrypoint code-cache: the run of bin\/shub-entrypoint\.js wrote no code cache:\n/);
    expect(run.stderr).toMatch(/cannot write the code cache .*dist\/code-cache\/cli-\w+-v[\d.]+-\w+\.bin: EACCES/);
  });
});

// CI runs Node 20 and 24, both with zlib.crc32; the fixture takes it away, as a Node before 20.15 has none.
describe('on a Node without zlib.crc32 (before 20.15)', () => {
  const OLD_NODE = { NODE_OPTIONS: `--require ${join(FIXTURES, 'without-crc32.cjs')}` };

  it('code-cache writes nothing, says why, and succeeds, so that an image\'s build goes on', () => {
    const copy = packageCopy();
    rmSync(join(copy, 'dist', 'code-cache'), { recursive: true });
    const run = launch(copy, 'shub-entrypoint.js', ['code-cache'], OLD_NODE);
    expect(run.stderr).toBe(`shub-entrypoint code-cache: nothing written: Node ${process.version} has no zlib.crc32, which came with Node 20.15\n`);
    expect(run.status).toBe(0);
    expect(readdirSync(copy, { recursive: true }).filter((name) => String(name).includes('code-cache'))).toEqual([]);
  });

  it.each(['shub-entrypoint.js', 'start-crawl.js'])('%s leaves a cache it cannot check unused, and runs', (launcher) => {
    expect(cacheFiles(ROOT, launcher === 'start-crawl.js' ? 'start-crawl' : 'cli')).toHaveLength(1);
    const run = launch(ROOT, launcher, ['--version'], { ...REPORT, ...OLD_NODE });
    expect(run.stderr).toMatch(/^shub-entrypoint: code cache of dist\/[a-z-]+\.cjs: none: Node v[\d.]+ has no zlib\.crc32/m);
    expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(run.status).toBe(0);
  });

  it('runs a job from the bundle\'s text, with the messages it gives from the cache', async () => {
    const cached = await runJob(JOB);
    const old = await runJob(JOB, { ...REPORT, ...OLD_NODE });
    expect(old.stderr).toMatch(/code cache of dist\/cli\.cjs: none: Node v[\d.]+ has no zlib\.crc32/);
    // stdout and stderr are two pipes: the order between their lines varies from run to run.
    const logs = (run: typeof cached) => commandLogs(run.job).sort((a, b) => a.message.localeCompare(b.message));
    expect(logs(old)).toEqual(logs(cached));
    expect(logs(old)).toHaveLength(3);
    expect(old.job.items).toEqual(cached.job.items);
  });
});
