// `shub-entrypoint check` end to end: what it runs and how (wrapped, raw, never twice), where and as whom, what it
// warns about, and its exit status.

import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, cleanEnv, startCli } from '../helpers/cli.js';
import { publicTempDir, tempDir } from '../helpers/fifo.js';
import { waitUntil } from '../helpers/processes.js';
import { SETTINGS, envName, flagName } from '../../src/settings.js';

const isRoot = process.getuid?.() === 0;
// Jobs run as nobody; the Node running the tests may be where nobody cannot reach it (npm exec's cache under /root).
const nobodyRunsNode = isRoot && spawnSync(process.execPath, ['-e', '0'], { uid: 65534, gid: 65534 }).status === 0;
const check = (args: string[], extra: NodeJS.ProcessEnv = {}) => startCli(['check', ...args], cleanEnv(extra)).finished;
// The wrapper's start-up line, once per wrapper that ran.
const wrapperStarts = (stdout: string): number => stdout.split('\n').filter((line) => / INFO +shub-entrypoint \S+ running: /.test(line)).length;
const toPipe = (line: string): string => `echo '${line}' > "$SHUB_FIFO_PATH"`;

function spidersConfig(spiders: object): string {
  const path = join(publicTempDir(), 'spiders.json');
  writeFileSync(path, JSON.stringify({ spiders }));
  return path;
}

describe('what check runs', () => {
  it('runs a command under the wrapper, as Scrapy Cloud runs start-crawl: its output becomes messages', async () => {
    const run = await check(['--', 'sh', '-c', 'echo hello; echo \'{"a": 1}\'; echo oops >&2']);
    expect(run.stdout).toMatch(/▶ running sh -c .* under the wrapper/);
    expect(run.stdout).toMatch(/INFO +hello/);
    expect(run.stdout).toMatch(/ITEM +\{"a":1\}/);
    expect(run.stdout).toMatch(/ERROR +oops/);
    expect(wrapperStarts(run.stdout)).toBe(1);
    expect(run.stdout).toMatch(/^PASSED: outcome finished, exit status 0/m);
    expect(run.status).toBe(0);
  });

  it('runs a start script that writes the protocol itself as it is with --raw', async () => {
    const script = [toPipe('LOG {"level": 20, "message": "a"}'), toPipe('{"bare": 1}'), toPipe('FIN {"outcome": "finished"}')].join('; ');
    const run = await check(['--raw', '--', 'sh', '-c', script]);
    expect(run.stdout).not.toMatch(/under the wrapper/);
    expect(wrapperStarts(run.stdout)).toBe(0);
    expect(run.stdout).toMatch(/ITEM +\{"bare":1\}/);
    expect(run.stdout).toMatch(/protocol +OK: 3 lines/);
    expect(run.status).toBe(0);
  });

  it('does not wrap twice a command that is already this package\'s wrapper', async () => {
    const link = join(publicTempDir(), 'my-wrapper');
    symlinkSync(CLI, link);
    for (const command of [[process.execPath, CLI], ['node', CLI], [link]]) {
      // As this user: the Node running the tests may be where nobody cannot reach it (npm exec's cache under /root).
      const run = await check(['--as-me', '--', ...command, 'sh', '-c', 'echo hello']);
      expect(run.stdout, command.join(' ')).not.toMatch(/under the wrapper/);
      expect(wrapperStarts(run.stdout), command.join(' ')).toBe(1);
      expect(run.status).toBe(0);
    }
  });

  // A Ctrl-C in a terminal signals the whole foreground process group: check, and the job unless it has a group of its
  // own. The job must get one SIGINT, not a second that it takes for "stop now".
  it('passes a Ctrl-C to the job once, so that it can stop cleanly', async () => {
    const script = 'trap "echo stopping; exit 0" INT; echo ready; while :; do sleep 0.1; done';
    const child = spawn(process.execPath, [CLI, 'check', '--as-me', '--', 'sh', '-c', script], { env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
    await waitUntil(() => / INFO +ready/.test(stdout), 'the job to start');
    process.kill(-(child.pid as number), 'SIGINT');
    await closed;
    expect(stdout).toMatch(/SIGINT received: passed to the command/);
    expect(stdout).not.toMatch(/received again|SIGKILL now/);
    expect(stdout).toMatch(/ INFO +stopping/);
    // Cancelled, and stopped by the job itself (the trap's exit 0), not killed (137).
    expect(stdout).toMatch(/^FAILED: outcome cancelled, exit status 0$/m);
  });

  it('survives a reader of its output that goes away (check | head): no crash, and the job\'s directory is removed', async () => {
    const started = startCli(['check', '--', 'sh', '-c', 'for n in $(seq 1 200); do echo "line $n"; sleep 0.005; done'], cleanEnv());
    const first = await new Promise<string>((resolve) => started.process.stdout?.once('data', (chunk: Buffer) => resolve(chunk.toString())));
    started.process.stdout?.destroy();
    const run = await started.finished;
    expect(run.stderr).not.toMatch(/Unhandled|EPIPE/);
    expect(run.status).toBe(0);
    const directory = /in (\S+shub-entrypoint-job-\w+)/.exec(first)?.[1] as string;
    expect(directory).toBeDefined();
    expect(existsSync(directory)).toBe(false);
  });

  it('passes its setting flags to the job as SHUBENTRYPOINT_* variables: --no-items makes a JSON line a log', async () => {
    const run = await check(['--no-items', '--', 'sh', '-c', 'echo \'{"a":1}\'']);
    expect(run.stdout).toMatch(/INFO +\{"a":1\}/);
    expect(run.stdout).toMatch(/items +0/);
    const levels = await check(['--detect-levels', '--', 'sh', '-c', 'echo "WARNING: careful" >&2']);
    expect(levels.stdout).toMatch(/WARNING +WARNING: careful/);
  });

  it('accepts every setting of the table as a flag, naming its variable', async () => {
    const help = (await check(['--help'])).stdout.replace(/\s+/g, ' ');
    for (const spec of SETTINGS) {
      expect(help).toMatch(new RegExp(`--(no-)?${flagName(spec.name)}\\b.*?\\((default: [^,]+, )?env ${envName(spec.name)}\\)`));
    }
  });
});

describe('where and as whom the job runs', () => {
  const whereAmI = ['--', 'sh', '-c', 'echo "user=$(id -un) pwd=$(pwd) home=$HOME entries=$(ls -A | wc -l)"; touch left-behind'];

  it('runs the job in a fresh empty directory that is its HOME, removed afterwards unless --keep', async () => {
    const run = await check(whereAmI);
    const [, directory, home, entries] = /INFO +user=\S+ pwd=(\S+) home=(\S+) entries=(\d+)/.exec(run.stdout) ?? [];
    expect(directory).toMatch(/shub-entrypoint-job-/);
    expect(home).toBe(directory);
    expect(entries).toBe('0');
    expect(existsSync(directory as string)).toBe(false);
    const kept = await check(['--keep', ...whereAmI]);
    const keptDirectory = /INFO +user=\S+ pwd=(\S+)/.exec(kept.stdout)?.[1] as string;
    expect(kept.stdout).toContain(`directory   kept: ${keptDirectory}`);
    expect(existsSync(join(keptDirectory, 'left-behind'))).toBe(true);
  });

  it.runIf(isRoot)('runs the job as nobody when run as root, and as root with --as-me', async () => {
    expect((await check(whereAmI)).stdout).toMatch(/user=nobody /);
    expect((await check(['--as-me', ...whereAmI])).stdout).toMatch(/user=root /);
  });

  it.runIf(isRoot)('fails a job that needs a file only root can read, and says why', async () => {
    const script = join(publicTempDir(), 'crawl.sh');
    writeFileSync(script, 'echo crawling\n');
    chmodSync(script, 0o600);
    const run = await check(['--', 'sh', script]);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/ERROR +sh: .*crawl.sh.*(Permission denied|Can't open)/);
    expect(run.stdout).toMatch(/^FAILED: outcome failed, exit status 2$/m);
    expect(run.stdout).toMatch(/hint +jobs run as nobody in an empty \/scrapinghub-like directory; use absolute paths readable by all/);
    expect((await check(['--as-me', '--', 'sh', script])).status).toBe(0);
  });

  it.runIf(isRoot)('says which directory the job\'s user may not enter, on the way to a program it cannot run', async () => {
    const closed = join(publicTempDir(), 'home');
    mkdirSync(closed, { mode: 0o700 });
    const script = join(closed, 'crawl.sh');
    writeFileSync(script, '#!/bin/sh\necho crawling\n', { mode: 0o755 });
    const run = await check(['--', script]);
    expect(run.stdout).toMatch(new RegExp(`ERROR +shub-entrypoint: command is not executable: this user \\(uid 65534\\) may not enter ${closed}, on the way to ${script} \\(let every user enter it: chmod o\\+x ${closed}`));
    expect(run.stdout).toMatch(/hint +jobs run as nobody/);
    expect((await check(['--as-me', '--', script])).status).toBe(0);
  });

  it.runIf(nobodyRunsNode)('gives the hint for a Node script that is not where the job looks for it', async () => {
    const run = await check(['--', process.execPath, 'crawl.mjs']);
    expect(run.stdout).toMatch(/Cannot find module/);
    expect(run.stdout).toMatch(/hint +jobs run as nobody in an empty \/scrapinghub-like directory; use absolute paths readable by all/);
  });

  it.each([['--no-items'], ['--memory-limit', '1']])('refuses %s before check, where it would go nowhere, and says where it goes', async (...given) => {
    const run = await startCli([...given, 'check', '--', 'sh', '-c', 'echo hello'], cleanEnv()).finished;
    expect(run.stderr).toBe(`shub-entrypoint check: ${given[0]} is an option of the job check runs: give it after check (shub-entrypoint check ${given[0]} \u2026)\n`);
    expect(run.stdout).toBe('');
    expect(run.status).toBe(2);
  });

  it('gives that hint only when a file was missing or out of reach, not for every failed job', async () => {
    const run = await check(['--', 'sh', '-c', 'echo "ValueError: bad price" >&2; exit 3']);
    expect(run.stdout).toMatch(/^FAILED: outcome failed, exit status 3$/m);
    expect(run.stdout).not.toMatch(/hint /);
  });

  it('warns about relative paths in spiders.json before running, and the job fails on them as it would on the platform', async () => {
    const config = spidersConfig({ books: { command: ['python3', 'crawl.py'] } });
    const run = await check([], { SPIDERS_CONFIG: config });
    expect(run.stdout).toMatch(/⚠ spider "books": "crawl.py" is a relative path, but jobs run in an empty directory .*use an absolute path such as \/app\/crawl.py/);
    expect(run.stdout).not.toMatch(/⚠ SPIDERS_CONFIG/);
    expect(run.status).toBe(1);
  });

  it('warns that spiders.json found in the current directory is not found on the platform', async () => {
    const config = spidersConfig({ solo: { command: ['true'] } });
    const run = spawnSync(process.execPath, [CLI, 'check'], { cwd: join(config, '..'), env: cleanEnv(), encoding: 'utf8' });
    expect(run.stdout).toMatch(/⚠ SPIDERS_CONFIG is not set, so .\/spiders.json is used; jobs run in an empty \/scrapinghub/);
    expect(run.status).toBe(0);
  });
});

describe('exit status and verdict', () => {
  it.each([
    ['a finished job', 0, ['--', 'true'], /^PASSED: outcome finished, exit status 0, \d+ lines, no protocol violations$/m],
    ['a failed job', 1, ['--', 'sh', '-c', 'exit 3'], /^FAILED: outcome failed, exit status 3$/m],
    ['a job that breaks the protocol', 1, ['--raw', '--', 'sh', '-c', `${toPipe('LOG {"message": 1}')}; ${toPipe('FIN {"outcome": "finished"}')}`],
      /^FAILED: 1 protocol violation$/m],
    ['a job that writes no FIN', 1, ['--raw', '--', 'sh', '-c', toPipe('LOG {"message": "a"}')], /^FAILED: no FIN \(Scrapy Cloud would record no_reason\), exit status 0$/m],
    ['a command that cannot start', 1, ['--raw', '--', 'no-such-command-here'], /^FAILED: the command could not start: .*no-such-command-here/m],
    ['a command that is not found', 1, ['--', 'no-such-command-here'], /^FAILED: outcome failed, exit status 127$/m],
  ])('%s: exit %i', async (_name, status, args, verdict) => {
    // A PATH every user can search: a directory nobody cannot enter turns "not found" into "permission denied".
    const run = await check(args, { PATH: '/usr/local/bin:/usr/bin:/bin' });
    expect(run.stdout).toMatch(verdict);
    expect(run.status).toBe(status);
  });

  it.each([
    ['an unknown option', ['--frobnicate'], /unknown option '--frobnicate'/],
    ['a setting flag with a bad value', ['--kill-after', 'soon', '--', 'true'], /expected a number of seconds, got "soon"/],
    ['a spider argument without =', ['-a', 'novalue', '--', 'true'], /expected NAME=VALUE, got "novalue"/],
    ['an items file that cannot be written', ['--items-file', '/nonexistent/items.jl', '--', 'true'], /cannot write the items file: .*nonexistent/],
    ['no spider to choose', [], /choose a spider with --spider: spiders.json defines one, two/],
  ])('refuses %s with exit 2, running nothing', async (_name, args, message) => {
    const run = await check(args, { SPIDERS_CONFIG: spidersConfig({ one: { command: ['true'] }, two: { command: ['true'] } }) });
    expect(run.stderr).toMatch(message);
    expect(run.stdout).not.toMatch(/▶ running/);
    expect(run.status).toBe(2);
  });

  it('says how to check a command of one\'s own when there is no command and no spiders.json, and how to get help', async () => {
    const none = await check([], { SPIDERS_CONFIG: '' });
    expect(none.stderr).toMatch(/cannot read the spiders config .*\n\(to check a command of your own, give it after `--`: shub-entrypoint check -- /);
    expect(none.status).toBe(2);
    // Naming a spider does not make a spiders config that is not there a job's failure.
    const named = await check(['--spider', 'books'], { SPIDERS_CONFIG: join(tempDir(), 'spiders.json') });
    expect(named.stderr).toMatch(/cannot read the spiders config .*\n\(to check a command of your own, give it after `--`: shub-entrypoint check -- /);
    expect(named.stdout).not.toMatch(/▶ running/);
    expect(named.status).toBe(2);
    // A config that is there but wrong is that config's problem: no hint.
    const wrong = await check([], { SPIDERS_CONFIG: spidersConfig({ a1: { command: 'python3 x.py' } }) });
    expect(wrong.stderr).toMatch(/"command" must be a non-empty array/);
    expect(wrong.stderr).not.toMatch(/command of your own/);
    const missing = await check(['--spider']);
    expect(missing.stderr).toMatch(/argument missing\n\(run shub-entrypoint check --help for usage\)/);
    expect(missing.status).toBe(2);
  });

  it('exits 0 for --help', async () => {
    const run = await check(['--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/2 on bad usage/);
  });
});

describe('the summary', () => {
  it('names every violation of a broken stream', async () => {
    const big = 'x'.repeat(1_100_000);
    const lines = [
      'LOG {"message": "café"}',
      'hello',
      'ITM {"a": ',
      'LOG {"level": "INFO", "message": "m"}',
      `ITM {"big": "${big}"}`,
      `STA {"stats": {"k": "${'y'.repeat(70_000)}"}}`,
      'FIN {"outcome": "finished"}',
      'ITM {"late": 1}',
    ];
    const streamFile = join(publicTempDir(), 'stream.txt');
    writeFileSync(streamFile, lines.join('\n') + '\nno newline at the end');
    const run = await check(['--raw', '--', 'sh', '-c', `cat ${streamFile} > $SHUB_FIFO_PATH`]);
    expect(run.status).toBe(1);
    for (const violation of [
      /line 1: non-ASCII character "é"/, /line 2: not a protocol message/, /line 3: ITM payload is not valid JSON/,
      /line 4: LOG field "level" must be 10, 20, 30, 40 or 50/, /line 5: 1100016 bytes, over the 1048576-byte limit/,
      /line 6: stats encode to 70008 bytes/, /line 8: ITM after the FIN/, /line 9: .*(not a protocol message|without a newline)/,
    ]) expect(run.stdout).toMatch(violation);
    expect(run.stdout).toMatch(/^FAILED: \d+ protocol violations$/m);
    expect(run.stdout).toMatch(/protocol +\d+ violations in 9 lines/);
  });

  it('gives the command the variables Scrapy Cloud sets, replacing the machine\'s own SHUB_* ones', async () => {
    const script = 'import json, os; print("LOG " + json.dumps({"message": "|".join(os.environ[name] for name in ' +
      '["SHUB_JOBKEY", "SHUB_SPIDER", "SHUB_JOB_DATA", "SHUB_SETTINGS"])}))';
    const run = await check(['--raw', '--spider', 'books', '-a', 'page=2', '--', 'sh', '-c',
      `python3 -c '${script}' > $SHUB_FIFO_PATH; ${toPipe('FIN {"outcome": "finished"}')}`], { SHUB_JOBKEY: 'stale/1/1' });
    expect(run.status).toBe(0);
    const [key, spider, jobData, settings] = (/INFO +(.*)$/m.exec(run.stdout)?.[1] ?? '').split('|');
    expect([key, spider]).toEqual(['0/1/1', 'books']);
    expect(JSON.parse(jobData as string)).toMatchObject({ key: '0/1/1', spider: 'books', spider_args: { page: '2' } });
    expect(JSON.parse(settings as string)).toEqual({
      organization_settings: {}, project_settings: {}, spider_settings: {}, job_settings: {}, enabled_addons: [],
    });
  });

  it('shows the stats that say how the output was read, under shub_entrypoint/ and crawlee/', async () => {
    const stats = 'STA {"stats": {"crawlee/items_from_dataset": 4, "shub_entrypoint/json_log_records": 2, "other": 1}}';
    const run = await check(['--raw', '--', 'sh', '-c', `${toPipe(stats)}; ${toPipe('FIN {"outcome": "finished"}')}`]);
    expect(run.stdout).toMatch(/^ {2}crawlee\/items_from_dataset = 4$/m);
    expect(run.stdout).toMatch(/^ {2}shub_entrypoint\/json_log_records = 2$/m);
    expect(run.stdout).not.toMatch(/^ {2}other/m);
  });

  it('stamps every row with the time it arrived, so rows are in order', async () => {
    const old = 'LOG {"time": 1000, "level": 20, "message": "from 1970"}';
    const run = await check(['--raw', '--', 'sh', '-c', `${toPipe(old)}; ${toPipe('{"a": 1}')}; ${toPipe('FIN {"outcome": "finished"}')}`]);
    const times = [...run.stdout.matchAll(/^(\d\d:\d\d:\d\d\.\d{3}) /gm)].map((match) => match[1] as string);
    expect(times).toHaveLength(3);
    expect(times).not.toContain('00:00:01.000');
    expect([...times].sort()).toEqual(times);
  });
});

describe('list-spiders and shub-image-info', () => {
  const config = (): string => spidersConfig({ books: { command: ['./crawl.sh'] }, fine: { command: ['python3', '/app/x.py'] } });
  const bin = (name: string): string => join(CLI, '..', `${name}.js`);

  it('warn about relative paths: list-spiders on stderr, shub-image-info only in --debug', () => {
    const env = cleanEnv({ SPIDERS_CONFIG: config() });
    const list = spawnSync(process.execPath, [bin('list-spiders')], { env, encoding: 'utf8' });
    expect(list.stdout).toBe('books\nfine\n');
    expect(list.stderr).toMatch(/list-spiders: warning: spider "books": ".\/crawl.sh" is a relative path/);
    const info = spawnSync(process.execPath, [bin('shub-image-info')], { env, encoding: 'utf8' });
    expect(info.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(info.stdout).not.toMatch(/relative/);
    const debug = JSON.parse(spawnSync(process.execPath, [bin('shub-image-info'), '--debug'], { env, encoding: 'utf8' }).stdout) as { debug: string };
    expect(debug.debug).toMatch(/warning: spider "books": ".\/crawl.sh" is a relative path/);
    expect(debug.debug).not.toMatch(/"fine"/);
  });
});

describe('--items-file', () => {
  it('writes the items as JSON lines instead of showing them', async () => {
    const itemsPath = join(tempDir(), 'items.jl');
    const run = await check(['--items-file', itemsPath, '--', 'sh', '-c', 'echo \'{"a": 1}\'']);
    expect(run.status).toBe(0);
    expect(readFileSync(itemsPath, 'utf8')).toBe('{"a":1}\n');
    expect(run.stdout).not.toMatch(/ITEM /);
  });
});
