// The custom-image contract, end to end with the package installed from its own tarball, as Dockerfile.example does.

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, commandLogs, FIXTURES, ROOT, runJob, startCli, startProgram } from '../helpers/cli.js';
import { waitUntil } from '../helpers/processes.js';
import { checkJob, FifoWatch } from '../helpers/strict-reader.js';
import { makeTestFifo, publicTempDir, tempDir } from '../helpers/fifo.js';
import { installPackedTarball, type InstalledPackage } from '../helpers/installed-package.js';

let installed: InstalledPackage;
let configPath: string;

const SPIDERS = {
  project_type: 'other',
  spiders: {
    'print-env': {
      command: ['sh', join(FIXTURES, 'print-env.sh'), '--fixed'],
      description: 'Prints its arguments and environment',
      env: { FROM_SPIDER_ENV: 'spider' },
    },
    'print-args': { command: ['sh', join(FIXTURES, 'print-env.sh')], args: ['-a', '{name}={value}'] },
    'levels': { command: ['sh', '-c', 'echo "WARNING: careful" >&2; printf "\\033[33mcolour\\033[0m\\n" >&2'], detectLevels: false, keepAnsi: true },
    'no-items': { command: ['sh', '-c', 'echo \'{"a": 1}\''], items: false },
    'fast-stats': { command: ['sleep', '1.1'], statsInterval: 0.2 },
    'stubborn': { command: ['sh', '-c', 'trap "" TERM; touch "$READY_FILE"; while :; do sleep 0.1; done'], killAfter: 1 },
  },
};

beforeAll(() => {
  installed = installPackedTarball();
  configPath = join(tempDir(), 'spiders.json');
  writeFileSync(configPath, JSON.stringify(SPIDERS));
}, 180_000);

const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ SPIDERS_CONFIG: configPath, ...extra });
const jobData = (data: object): string => JSON.stringify({ key: '12/3/45', tags: ['daily', 'eu'], ...data });
const startCrawl = (extra: NodeJS.ProcessEnv) => runJob([], env(extra), installed.bin('start-crawl'));
// A sparse file over the job data bound: its size costs no disk.
const hugeFile = (): string => {
  const path = join(tempDir(), 'huge.json');
  writeFileSync(path, '');
  truncateSync(path, 17 * 1024 * 1024);
  return path;
};

describe('the packed tarball', () => {
  it('installs globally without running or warning about any script', () => {
    expect(installed.installWarnings).not.toMatch(/script|prepare|prepack/i);
  });

  it('ships only built files, and installs the four commands with the package\'s version', () => {
    const files = execFileSync('tar', ['-tzf', installed.tarball], { encoding: 'utf8' }).trim().split('\n');
    expect(files.every((file) => /^package\/(bin\/|dist\/|package\.json|README\.md|LICENSE)/.test(file))).toBe(true);
    expect(files.some((file) => file.includes('/src/') || file.includes('/test/'))).toBe(false);
    // The code cache of the Node that packed it would be rejected by any other: each install writes its own.
    expect(files.some((file) => file.includes('code-cache'))).toBe(false);
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const command of ['shub-entrypoint', 'start-crawl', 'shub-image-info', 'list-spiders']) {
      expect(execFileSync(installed.bin(command), ['--version'], { encoding: 'utf8' }).trim()).toBe(version);
    }
  });

  it('carries commander inside its bundles, with its licence, and installs only execa beside them', () => {
    const root = join(installed.prefix, 'lib', 'node_modules', 'shub-entrypoint');
    expect(existsSync(join(root, 'node_modules', 'commander'))).toBe(false);
    expect(existsSync(join(root, 'node_modules', 'execa'))).toBe(true);
    const licence = readFileSync(join(ROOT, 'node_modules', 'commander', 'LICENSE'), 'utf8');
    for (const bundle of ['cli.cjs', 'start-crawl.cjs', 'image-info.cjs']) {
      expect(readFileSync(join(root, 'dist', bundle), 'utf8')).toContain(licence);
    }
  });
});

describe('shub-image-info and list-spiders', () => {
  it('prints exactly one line of JSON with sorted spiders and their descriptions, without any SHUB_* or pipe', () => {
    const output = execFileSync(installed.bin('shub-image-info'), { env: cleanEnv(env()), encoding: 'utf8' });
    expect(output.endsWith('\n')).toBe(true);
    expect(output.trimEnd().split('\n')).toHaveLength(1);
    expect(JSON.parse(output)).toEqual({
      project_type: 'other',
      spiders: ['fast-stats', 'levels', 'no-items', 'print-args', 'print-env', 'stubborn'],
      metadata: { 'print-env': { description: 'Prints its arguments and environment' } },
    });
  });

  it('adds a plain-text debug field with --debug', () => {
    const info = JSON.parse(execFileSync(installed.bin('shub-image-info'), ['--debug'], { env: cleanEnv(env()), encoding: 'utf8' }));
    expect(info.debug).toMatch(new RegExp(`shub-entrypoint \\d+\\.\\d+\\.\\d+; Node ${process.version}; linux`));
  });

  it('list-spiders prints one name per line', () => {
    expect(execFileSync(installed.bin('list-spiders'), { env: cleanEnv(env()), encoding: 'utf8' }))
      .toBe('fast-stats\nlevels\nno-items\nprint-args\nprint-env\nstubborn\n');
  });

  it('finds ./spiders.json when SPIDERS_CONFIG is not set', () => {
    const directory = tempDir();
    writeFileSync(join(directory, 'spiders.json'), JSON.stringify({ spiders: { solo: { command: ['true'] } } }));
    const output = execFileSync(installed.bin('list-spiders'), { env: cleanEnv(), cwd: directory, encoding: 'utf8' });
    expect(output).toBe('solo\n');
  });

  it('answers for an image of script jobs only, with no spiders config named and none in its directory: no spiders', () => {
    const directory = tempDir();
    const info = JSON.parse(execFileSync(installed.bin('shub-image-info'), ['--debug'], { env: cleanEnv(), cwd: directory, encoding: 'utf8' }));
    expect(info).toEqual({ project_type: 'other', spiders: [], metadata: {}, debug: expect.stringContaining('no spiders config') });
    expect(execFileSync(installed.bin('shub-image-info'), { env: cleanEnv(), cwd: directory, encoding: 'utf8' })).toBe('{"project_type":"other","spiders":[],"metadata":{}}\n');
    expect(execFileSync(installed.bin('list-spiders'), { env: cleanEnv(), cwd: directory, encoding: 'utf8' })).toBe('');
  });

  it.each([
    ['a missing file that SPIDERS_CONFIG names', null, /cannot read the spiders config/],
    ['invalid JSON', '{"spiders": ', /is not valid JSON/],
    ['an unknown top-level key', { spiders: {}, extra: 1 }, /unknown key "extra" in the top level/],
    ['an unknown spider key', { spiders: { a1: { command: ['x'], cmd: 1 } } }, /spider "a1": unknown key "cmd"/],
    ['a command that is a string', { spiders: { a1: { command: 'python3 x.py' } } }, /spider "a1": "command" must be a non-empty array/],
    ['args that are not strings', { spiders: { a1: { command: ['x'], args: [1] } } }, /spider "a1": "args" must be an array of strings/],
    ['a name Scrapy Cloud would drop', { spiders: { 'my spider': { command: ['x'] } } }, /spider "my spider": the name must match/],
    ['a one-letter name', { spiders: { a: { command: ['x'] } } }, /spider "a": the name must match/],
    ['a wrong project_type', { project_type: 'node', spiders: {} }, /"project_type" must be one of/],
    ['a non-boolean option', { spiders: { a1: { command: ['x'], detectLevels: 'yes' } } }, /spider "a1": "detectLevels" must be true or false/],
    // JSON's 1e400 is Infinity; a timer given more than 2^31-1 ms fires at once.
    ['a killAfter no timer can wait', '{"spiders": {"a1": {"command": ["x"], "killAfter": 1e400}}}', /spider "a1": "killAfter": expected more than 0 and at most 2147483 seconds, got Infinity/],
    ['a statsInterval that is not a number', { spiders: { a1: { command: ['x'], statsInterval: '30' } } }, /spider "a1": "statsInterval" must be a number of seconds/],
  ])('refuses %s on stderr with a non-zero exit and nothing on stdout', (_name, content, message) => {
    const path = join(tempDir(), 'spiders.json');
    if (content !== null) writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    for (const command of ['shub-image-info', 'list-spiders']) {
      const run = spawnSync(installed.bin(command), [], { env: cleanEnv({ SPIDERS_CONFIG: path }), encoding: 'utf8' });
      expect(run.status).not.toBe(0);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(message);
    }
  });
});

describe('start-crawl', () => {
  it('runs the spider\'s command with its arguments, and exposes the job to it', async () => {
    const run = await startCrawl({
      SHUB_JOB_DATA: jobData({ spider: 'print-env', spider_args: { zeta: 'last', alpha: 1, flag: true }, job_env: { FROM_JOB_DATA_ENV: 'data' } }),
      SHUB_SETTINGS: JSON.stringify({ project_settings: { DEPTH: 1, KEEP: 'p' }, job_settings: { DEPTH: 3 } }),
      SHUB_JOB_ENV: JSON.stringify({ FROM_JOB_ENV: 'job-env' }),
    });
    expect(run.status).toBe(0);
    expect(commandLogs(run.job).map((log) => log.message)).toEqual([
      'arg --fixed', 'arg --alpha=1', 'arg --flag=true', 'arg --zeta=last',
      'SHUB_JOBKEY=12/3/45', 'SHUB_JOBNAME=print-env', 'SHUB_JOB_TAGS=daily,eu',
      'JOB_SETTINGS={"DEPTH":3,"KEEP":"p"}', 'FROM_JOB_ENV=job-env', 'FROM_JOB_DATA_ENV=data', 'FROM_SPIDER_ENV=spider',
    ]);
    expect(run.job.outcome).toBe('finished');
  });

  it('appends arguments through the spider\'s template, values substituted once', async () => {
    const run = await startCrawl({ SHUB_JOB_DATA: jobData({ spider: 'print-args', spider_args: { b: '{name}', a: 'x y' } }) });
    expect(commandLogs(run.job).filter((log) => log.message.startsWith('arg ')).map((log) => log.message))
      .toEqual(['arg -a', 'arg a=x y', 'arg -a', 'arg b={name}']);
  });

  it('takes the spider from SHUB_SPIDER when the job data names none', async () => {
    const run = await startCrawl({ SHUB_JOB_DATA: jobData({}), SHUB_SPIDER: 'print-env' });
    expect(commandLogs(run.job).map((log) => log.message)).toContain('SHUB_JOBNAME=print-env');
  });

  it('splits a job_cmd given as one string at its spaces', async () => {
    const run = await runJob([], { SPIDERS_CONFIG: '/nonexistent', SHUB_JOB_DATA: jobData({ job_cmd: 'echo  hello world' }) },
      installed.bin('start-crawl'));
    expect(commandLogs(run.job)).toEqual([{ level: 20, message: 'hello world' }]);
  });

  it('runs a script job\'s job_cmd instead of a spider, without needing spiders.json', async () => {
    const run = await runJob([], { SPIDERS_CONFIG: '/nonexistent', SHUB_JOB_DATA: jobData({ job_cmd: ['sh', '-c', 'echo "script $SHUB_JOBNAME"'] }) },
      installed.bin('start-crawl'));
    expect(commandLogs(run.job)).toEqual([{ level: 20, message: 'script sh' }]);
    expect(run.job.outcome).toBe('finished');
  });

  it('takes a script job\'s settings from the environment (SHUB_JOB_ENV), and refuses a bad one with FIN failed', async () => {
    const command = { job_cmd: ['sh', '-c', 'echo \'{"a": 1}\''] };
    const run = await runJob([], { SPIDERS_CONFIG: '/nonexistent', SHUB_JOB_DATA: jobData(command), SHUB_JOB_ENV: JSON.stringify({ SHUBENTRYPOINT_ITEMS: 'off' }) },
      installed.bin('start-crawl'));
    expect(run.job.items).toEqual([]);
    expect(commandLogs(run.job)).toEqual([{ level: 20, message: '{"a": 1}' }]);
    const bad = await runJob([], { SPIDERS_CONFIG: '/nonexistent', SHUB_JOB_DATA: jobData(command), SHUBENTRYPOINT_KILL_AFTER: '-1' },
      installed.bin('start-crawl'));
    expect(bad.status).toBe(125);
    expect(bad.job.outcome).toBe('failed');
    expect(bad.job.logs.map((log) => log.message)).toContainEqual(expect.stringMatching(/SHUBENTRYPOINT_KILL_AFTER: expected more than 0/));
  });

  it('lets the job\'s environment override the spider\'s spiders.json setting', async () => {
    const run = await startCrawl({ SHUB_JOB_DATA: jobData({ spider: 'no-items' }), SHUB_JOB_ENV: JSON.stringify({ SHUBENTRYPOINT_ITEMS: 'on' }) });
    expect(run.job.items).toEqual([{ a: 1 }]);
    expect(commandLogs(run.job)).toEqual([]);
  });

  it('applies per-spider wrapper options: detectLevels, keepAnsi, items, statsInterval', async () => {
    const levels = await startCrawl({ SHUB_JOB_DATA: jobData({ spider: 'levels' }) });
    expect(commandLogs(levels.job)).toEqual([{ level: 40, message: 'WARNING: careful' }, { level: 40, message: '\u001b[33mcolour\u001b[0m' }]);
    const noItems = await startCrawl({ SHUB_JOB_DATA: jobData({ spider: 'no-items' }) });
    expect(noItems.job.items).toEqual([]);
    expect(commandLogs(noItems.job)).toEqual([{ level: 20, message: '{"a": 1}' }]);
    const fastStats = await startCrawl({ SHUB_JOB_DATA: jobData({ spider: 'fast-stats' }) });
    expect(fastStats.job.stats.length).toBeGreaterThanOrEqual(4);
  });

  it('applies a per-spider killAfter: a command that ignores SIGTERM is killed after it', async () => {
    const ready = join(tempDir(), 'ready');
    const fifo = makeTestFifo();
    const watch = new FifoWatch(fifo, { openNow: true });
    const cli = startProgram([installed.bin('start-crawl')], cleanEnv(env({
      SHUB_FIFO_PATH: fifo, READY_FILE: ready, SHUB_JOB_DATA: jobData({ spider: 'stubborn' }),
    })));
    void cli.finished.then(() => watch.writerExited());
    await waitUntil(() => existsSync(ready), 'the spider to start');
    const sent = Date.now();
    cli.process.kill('SIGTERM');
    const finished = await cli.finished;
    expect(finished.status).toBe(137);
    expect(Date.now() - sent).toBeLessThan(20_000);
    expect(checkJob(await watch.done).outcome).toBe('cancelled');
  });

  describe('reads SHUB_JOB_DATA in every form', () => {
    const data = jobData({ spider: 'print-env' });
    const file = (): string => {
      const path = join(tempDir(), 'job.json');
      writeFileSync(path, data);
      return path;
    };
    it.each([
      ['raw JSON', () => data],
      ['a data: URI', () => `data:,${encodeURIComponent(data)}`],
      ['a data: URI with a media type and charset', () => `data:application/json;charset=utf-8,${encodeURIComponent(data)}`],
      ['a base64 data: URI', () => `data:;base64,${Buffer.from(data).toString('base64')}`],
      ['a base64 data: URI with a media type', () => `data:application/json;base64,${Buffer.from(data).toString('base64')}`],
      ['an absolute file path', file],
      ['a file:// URI', () => `file://${file()}`],
    ])('%s', async (_name, form) => {
      const run = await startCrawl({ SHUB_JOB_DATA: form() });
      expect(commandLogs(run.job).map((log) => log.message)).toContain('SHUB_JOBKEY=12/3/45');
      expect(run.job.outcome).toBe('finished');
    });
  });

  describe('a job that cannot start still reports through the pipe', () => {
    it.each([
      ['no job data', {}, /SHUB_JOB_DATA is not set/],
      ['job data that is not JSON', { SHUB_JOB_DATA: '{"spider": ' }, /SHUB_JOB_DATA is not valid JSON/],
      ['job data that is not an object', { SHUB_JOB_DATA: '[1]' }, /SHUB_JOB_DATA must be a JSON object/],
      ['a missing job data file', { SHUB_JOB_DATA: '/nonexistent/job.json' }, /names the file \/nonexistent\/job.json, which cannot be read/],
      ['no spider at all', { SHUB_JOB_DATA: jobData({}) }, /names no spider/],
      ['an unknown spider', { SHUB_JOB_DATA: jobData({ spider: 'nope' }) }, /unknown spider "nope": .* defines fast-stats, levels, no-items, print-args, print-env, stubborn/],
      ['spider_args that are not an object', { SHUB_JOB_DATA: jobData({ spider: 'print-env', spider_args: ['x'] }) }, /"spider_args" must be an object/],
      ['SHUB_SETTINGS that is not JSON', { SHUB_JOB_DATA: jobData({ spider: 'print-env' }), SHUB_SETTINGS: '{' }, /SHUB_SETTINGS is not valid JSON/],
      ['a broken spiders.json', { SHUB_JOB_DATA: jobData({ spider: 'print-env' }), SPIDERS_CONFIG: '/etc/hostname' }, /is not valid JSON/],
      ['a data: URI with broken percent-encoding', { SHUB_JOB_DATA: 'data:,%zz' }, /SHUB_JOB_DATA is a data: URI whose percent-encoding is broken/],
      ['a base64 data: URI with broken percent-encoding', { SHUB_JOB_DATA: 'data:;base64,%zz' }, /SHUB_JOB_DATA is a data: URI whose percent-encoding is broken/],
      ['a file:// URI naming another host', { SHUB_JOB_DATA: 'file://otherhost/x' }, /SHUB_JOB_DATA is the URI "file:\/\/otherhost\/x", which names no local file/],
      ['a file:// URI with an encoded slash', { SHUB_JOB_DATA: 'file:///tmp%2Fx' }, /SHUB_JOB_DATA is the URI "file:\/\/\/tmp%2Fx", which names no local file/],
      ['a file:// URI that is no URI', { SHUB_JOB_DATA: 'file://[x' }, /SHUB_JOB_DATA is the URI "file:\/\/\[x", which names no local file/],
      ['an endless device', { SHUB_JOB_DATA: '/dev/zero' }, /names \/dev\/zero, which is not a regular file/],
      ['a directory', { SHUB_JOB_DATA: '/tmp' }, /names \/tmp, which is not a regular file/],
      ['a FIFO', () => ({ SHUB_JOB_DATA: makeTestFifo() }), /which is not a regular file/],
      ['a file too large to be job data', () => ({ SHUB_JOB_DATA: hugeFile() }), /is 17825792 bytes; job data may be at most 16777216/],
    ])('%s: ERROR log, FIN failed, exit 125', async (_name, extra, reason) => {
      const run = await startCrawl(typeof extra === 'function' ? extra() : extra);
      expect(run.status).toBe(125);
      expect(run.job.outcome).toBe('failed');
      expect(run.job.logs.filter((log) => log.level === 40).map((log) => log.message)).toEqual([expect.stringMatching(reason)]);
      expect(run.stderr).toMatch(reason);
    });
  });
});

describe('a real Scrapy spider through start-crawl', () => {
  const scrapyPython = ['/usr/bin/python3', 'python3'].find((python) => spawnSync(python, ['-c', 'import scrapy']).status === 0);

  // Skipped on a machine without Scrapy, never on CI (which installs Debian's python3-scrapy).
  it.runIf(scrapyPython !== undefined || process.env.CI === 'true')('crawls pages served on 127.0.0.1 and its items arrive as ITM', async () => {
    expect(scrapyPython, 'python3-scrapy is not installed').toBeDefined();
    const server = spawn(process.execPath, [join(FIXTURES, 'books-server.mjs')], { stdio: ['pipe', 'pipe', 'inherit'] });
    try {
      const port = await new Promise<string>((resolve) => server.stdout.once('data', (data: Buffer) => resolve(data.toString().trim())));
      const config = join(tempDir(), 'spiders.json');
      writeFileSync(config, JSON.stringify({
        project_type: 'other',
        spiders: {
          books: {
            command: [scrapyPython, '-m', 'scrapy', 'runspider', join(FIXTURES, 'books_spider.py'), '-o', '-:jsonlines', '-s', 'LOG_LEVEL=INFO'],
            args: ['-a', '{name}={value}'],
          },
        },
      }));
      const run = await runJob([], {
        SPIDERS_CONFIG: config, HOME: tempDir(),
        SHUB_JOB_DATA: jobData({ spider: 'books', spider_args: { start_url: `http://127.0.0.1:${port}/book/0` } }),
      }, installed.bin('start-crawl'));
      expect(run.status).toBe(0);
      expect(run.job.items).toEqual([
        { title: 'Война и мир', price: 12.5 },
        { title: 'Cien años de soledad', price: 9.99 },
        { title: '三体', price: 15 },
      ]);
      // Scrapy logs to stderr; each record gets the level its prefix names, and its other lines (pprint'd settings
      // and stats) join it: a crawl without errors sends no ERROR, and every message is a whole record.
      const logs = commandLogs(run.job);
      expect(logs.filter((log) => log.level >= 40)).toEqual([]);
      expect(logs.find((log) => log.message.includes('Dumping Scrapy stats:'))?.message).toMatch(/\n 'finish_reason': 'finished',\n/);
      expect(logs.some((log) => log.level === 20 && /\[scrapy\.core\.engine\] INFO: Spider opened/.test(log.message))).toBe(true);
      const prefixed = logs.filter((log) => /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \[[\w.]+\] (DEBUG|INFO|WARNING|ERROR|CRITICAL): /.test(log.message));
      expect(prefixed.length).toBeGreaterThan(5);
      expect(prefixed).toHaveLength(logs.length);
      expect(prefixed.filter((log) => !log.message.includes(`] ${['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'][log.level / 10 - 1]}: `))).toEqual([]);
      expect(prefixed.filter((log) => log.level >= 40)).toEqual([]);
      expect(run.job.outcome).toBe('finished');
    } finally {
      server.stdin.end();
    }
  });
});

describe('check, installed', () => {
  const check = (args: string[], extra: NodeJS.ProcessEnv = {}) => startCli(['check', ...args], cleanEnv(env(extra)), installed.bin('shub-entrypoint')).finished;

  it('runs the package\'s own start-crawl as Scrapy Cloud would, shows logs, writes items, and passes', async () => {
    const itemsPath = join(tempDir(), 'items.jl');
    const directory = publicTempDir();
    const script = join(directory, 'spider.mjs');
    writeFileSync(script, 'console.log("hello"); console.log(JSON.stringify({ n: process.argv[2], word: "ключ" })); console.error("oops");');
    const config = join(directory, 'spiders.json');
    writeFileSync(config, JSON.stringify({ spiders: { demo: { command: ['node', script], args: ['{value}'] } } }));
    const run = await check(['-a', 'n=7', '--items-file', itemsPath], { SPIDERS_CONFIG: config });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^PASSED: outcome finished, exit status 0, \d+ lines, no protocol violations$/m);
    expect(run.stdout).toMatch(/\d\d:\d\d:\d\d\.\d{3} INFO +hello/);
    expect(run.stdout).toMatch(/ERROR +oops/);
    expect(run.stdout).toMatch(/outcome +finished/);
    expect(run.stdout).toMatch(/items +1 \(written to/);
    // INFO: the start-up line, "hello" and the line that says the command finished.
    expect(run.stdout).toMatch(/logs +INFO 3 · ERROR 1/);
    expect(run.stdout).toMatch(/protocol +OK: \d+ lines, no violations/);
    expect(readFileSync(itemsPath, 'utf8')).toBe('{"n":"7","word":"ключ"}\n');
    expect(run.stdout).not.toMatch(/ITEM /); // written to the file instead
  });
});
