import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanEnv, commandLogs, FIXTURES, runJob, startCli } from '../helpers/cli.js';
import { checkJob, FifoWatch } from '../helpers/strict-reader.js';
import { makeTestFifo, tempDir } from '../helpers/fifo.js';

describe('the wrapper, end to end through a real FIFO', () => {
  it('turns the spec\'s traceback example on stderr into one ERROR message, or two by the platform\'s rule', async () => {
    const run = await runJob(['python3', join(FIXTURES, 'spec-traceback.py')]);
    expect(commandLogs(run.job)).toEqual([
      { level: 40, message: 'Traceback (most recent call last):\n  File "<stdin>", line 1, in <module>\nNameError: name \'e\' is not defined' },
    ]);
    expect(run.job.outcome).toBe('failed');
    expect(run.status).toBe(1);
    const platform = await runJob(['--no-detect-levels', 'python3', join(FIXTURES, 'spec-traceback.py')]);
    expect(commandLogs(platform.job)).toEqual([
      { level: 40, message: 'Traceback (most recent call last):\n  File "<stdin>", line 1, in <module>' },
      { level: 40, message: "NameError: name 'e' is not defined" },
    ]);
  });

  it('sends a real uncaught Python traceback as one ERROR message', async () => {
    const run = await runJob(['python3', '-c', 'def f():\n    raise ValueError("bad")\nf()']);
    const logs = commandLogs(run.job);
    expect(logs).toHaveLength(1);
    expect(logs[0]?.level).toBe(40);
    expect(logs[0]?.message).toMatch(/^Traceback \(most recent call last\):\n  File "<string>", line 3[^]*\nValueError: bad$/);
  });

  it('makes logs of stdout (INFO) and stderr (ERROR), items of JSON objects, and keeps each stream in order', async () => {
    const run = await runJob(['node', join(FIXTURES, 'mixed-output.mjs')]);
    expect(run.job.items).toEqual([{ title: 'Книга', price: 12.5 }, { keep: 1.5, ['__proto__']: { x: 1 } }]);
    expect(run.job.lines.some((line) => line.includes('"__proto__": {"x": 1}'))).toBe(true);
    expect(run.job.lines.some((line) => line.includes('{"keep": 1.50,'))).toBe(true);
    expect(commandLogs(run.job).filter((log) => log.level === 20).map((log) => log.message)).toEqual([
      'starting', '[1, 2, 3]', '"just a string"', '42', '{not json at all}', 'after an empty line', 'no newline at the end',
    ]);
    expect(commandLogs(run.job).filter((log) => log.level === 40)).toEqual([{ level: 40, message: 'warning on stderr' }]);
    // Order on stdout: the log printed before the first item arrives before it.
    const kinds = run.job.messages.map((message) => message.command === 'ITM' ? 'ITM' : message.command === 'LOG' ? (message.payload.message as string) : message.command);
    expect(kinds.indexOf('starting')).toBeLessThan(kinds.indexOf('ITM'));
    expect(kinds.indexOf('{not json at all}')).toBeLessThan(kinds.lastIndexOf('ITM'));
    expect(run.job.outcome).toBe('finished');
    expect(run.status).toBe(0);
  });

  it('keeps JSON lines as logs with --no-items', async () => {
    const run = await runJob(['--no-items', 'sh', '-c', 'echo \'{"a": 1}\'']);
    expect(run.job.items).toEqual([]);
    expect(commandLogs(run.job)).toEqual([{ level: 20, message: '{"a": 1}' }]);
  });

  it('stamps each log with the Unix time in milliseconds when it was read', async () => {
    const before = Date.now();
    const run = await runJob(['sh', '-c', 'echo one; sleep 0.3; echo two']);
    const [one, two] = run.job.logs.filter((log) => log.message === 'one' || log.message === 'two');
    expect(one?.time).toBeGreaterThanOrEqual(before);
    expect((two?.time ?? 0) - (one?.time ?? 0)).toBeGreaterThanOrEqual(250);
  });

  it('passes options after the command to the command, and -- lets a command look like an option', async () => {
    const run = await runJob(['sh', '-c', 'echo "$@"', 'sh', '--verbose', '--no-items']);
    expect(commandLogs(run.job)).toEqual([{ level: 20, message: '--verbose --no-items' }]);
    const dashed = await runJob(['--', 'sh', '-c', 'echo ok']);
    expect(commandLogs(dashed.job)).toEqual([{ level: 20, message: 'ok' }]);
  });

  it('gives the command the wrapper\'s stdin, environment and working directory', async () => {
    const directory = tempDir();
    const fifo = makeTestFifo();
    const { spawn } = await import('node:child_process');
    const { readFifo } = await import('../helpers/strict-reader.js');
    const child = spawn(process.execPath, [join(FIXTURES, '..', '..', 'bin', 'shub-entrypoint.js'), 'sh', '-c', 'read line; echo "$line $MY_VAR $(pwd)"'], {
      cwd: directory, env: cleanEnv({ SHUB_FIFO_PATH: fifo, MY_VAR: 'from-env' }), stdio: ['pipe', 'ignore', 'inherit'],
    });
    child.stdin.end('from-stdin\n');
    const job = checkJob(await readFifo(fifo));
    expect(commandLogs(job)).toEqual([{ level: 20, message: `from-stdin from-env ${directory}` }]);
  });

  it.each([
    ['exit 0', 0, 'finished'],
    ['exit 3', 3, 'failed'],
    ['kill -KILL $$', 137, 'failed'],
    ['kill -SEGV $$', 139, 'failed'],
  ])('`%s` exits %i with outcome %s', async (script, status, outcome) => {
    const run = await runJob(['sh', '-c', script]);
    expect(run.status).toBe(status);
    expect(run.job.outcome).toBe(outcome);
  });

  it('reports a command that is not found: status 127, an ERROR log naming it, FIN failed', async () => {
    const run = await runJob(['no-such-command-here', '--flag']);
    expect(run.status).toBe(127);
    expect(run.job.outcome).toBe('failed');
    expect(commandLogs(run.job)).toEqual([]);
    expect(run.job.logs.at(-1)).toMatchObject({ level: 40, message: expect.stringMatching(/not found: no-such-command-here/) });
    expect(run.stderr).toMatch(/not found: no-such-command-here/);
  });

  it('reports a command that is not executable: status 126', async () => {
    const script = join(tempDir(), 'not-executable.sh');
    writeFileSync(script, '#!/bin/sh\necho hi\n');
    chmodSync(script, 0o644);
    const run = await runJob([script]);
    expect(run.status).toBe(126);
    expect(run.job.outcome).toBe('failed');
    expect(run.job.logs.at(-1)?.message).toMatch(/not executable: .*not-executable\.sh/);
  });

  it('delivers a pending message while the command is still quiet, not when its next line comes', async () => {
    const fifo = makeTestFifo();
    const cli = startCli(['sh', '-c', 'echo "only line"; sleep 5'], cleanEnv({ SHUB_FIFO_PATH: fifo }));
    const watch = new FifoWatch(fifo);
    const started = Date.now();
    await watch.waitFor((line) => line.includes('"only line"'));
    // Generous for a shared machine; the idle flush itself is 200 ms.
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(cli.process.exitCode).toBe(null);
    cli.process.kill('SIGTERM');
    await cli.finished;
  });

  it('writes the FIN last, after the final stats', async () => {
    const run = await runJob(['sh', '-c', 'echo a']);
    const commands = run.job.messages.map((message) => message.command);
    expect(commands.slice(-2)).toEqual(['STA', 'FIN']);
  });
});

describe('where messages go', () => {
  it('writes protocol lines to stdout when SHUB_FIFO_PATH is unset', async () => {
    const run = await startCli(['sh', '-c', 'echo hello; echo \'{"a":"é"}\'']).finished;
    // Status and stderr first, and the raw output with any protocol error, so a failure says what happened.
    expect({ status: run.status, signal: run.signal, stderr: run.stderr }).toEqual({ status: 0, signal: null, stderr: '' });
    let job;
    try {
      job = checkJob(run.stdout.trimEnd().split('\n'));
    } catch (error) {
      throw new Error(`${(error as Error).message}; stdout was: ${JSON.stringify(run.stdout)}`);
    }
    expect(commandLogs(job)).toEqual([{ level: 20, message: 'hello' }]);
    expect(job.items).toEqual([{ a: 'é' }]);
    expect(run.status).toBe(0);
  });

  it.each([
    ['a missing directory', /does not exist/, () => join(tempDir(), 'missing', 'fifo')],
    ['a directory', /is a directory/, () => tempDir()],
    // A regular file that refuses writers even when the tests run as root.
    ['a file that is not writable', /permission denied/, () => '/sys/kernel/uevent_seqnum'],
    ['a UNIX socket', /neither a named pipe nor a file/, () => {
      const path = join(tempDir(), 'socket');
      execFileSync('python3', ['-c', `import socket; socket.socket(socket.AF_UNIX).bind(${JSON.stringify(path)})`]);
      return path;
    }],
  ])('refuses a pipe path that is %s: names it, exits 125, never starts the command', async (_name, reason, makePath) => {
    const path = makePath();
    const marker = join(tempDir(), 'started');
    const run = await startCli(['sh', '-c', `touch ${marker}`], cleanEnv({ SHUB_FIFO_PATH: path })).finished;
    expect(run.status).toBe(125);
    expect(run.stderr).toContain(path);
    expect(run.stderr).toMatch(reason);
    expect(existsSync(marker)).toBe(false);
  });
});

describe('what real programs print', () => {
  it('removes colour codes from log text, keeps them with --keep-ansi, and never touches items', async () => {
    // One printf, so the coloured warning is a middle line of one read, which the block path sees.
    const script = 'printf "\\033[32mINFO\\033[39m  Crawler: \\033]8;;http://x\\007link\\033]8;;\\007 done\\n\\033[33mwarn\\033[39m: careful\\n{\\"a\\": \\"\\\\u001b[1m\\"}\\n"; ' +
      'printf "\\033[31mERROR\\033[39m: bad\\n" >&2';
    const run = await runJob(['sh', '-c', script]);
    expect(commandLogs(run.job).sort((a, b) => a.level - b.level)).toEqual([
      { level: 20, message: 'INFO  Crawler: link done' }, { level: 30, message: 'warn: careful' }, { level: 40, message: 'ERROR: bad' },
    ]);
    expect(run.job.lines).toContain('ITM {"a": "\\u001b[1m"}');
    // Kept colour codes still let the level be read.
    const kept = await runJob(['--keep-ansi', 'sh', '-c', script]);
    expect(commandLogs(kept.job)).toContainEqual({ level: 20, message: '\u001b[32mINFO\u001b[39m  Crawler: \u001b]8;;http://x\u0007link\u001b]8;;\u0007 done' });
    expect(commandLogs(kept.job)).toContainEqual({ level: 30, message: '\u001b[33mwarn\u001b[39m: careful' });
  });

  it('logs a progress bar redrawn with \\r as a terminal shows it: every few seconds while it changes, then its end', async () => {
    const program = 'import sys, time\nfor n in range(45):\n    sys.stderr.write("\\r%3d%%|%s|" % (n, "#" * (n // 5))); sys.stderr.flush(); time.sleep(0.1)\nsys.stderr.write("\\r100%|##########|\\n")\nprint("done")';
    const run = await runJob(['python3', '-c', program]);
    const logs = commandLogs(run.job);
    expect(logs.at(-1)).toEqual({ level: 20, message: 'done' });
    const bar = logs.slice(0, -1);
    // 4.5 s of redrawing: one or two states on the way (one every 3 s), each as a terminal showed it, then the end.
    expect(bar.length).toBeGreaterThanOrEqual(2);
    expect(bar.length).toBeLessThanOrEqual(3);
    for (const state of bar) expect(state).toEqual({ level: 20, message: expect.stringMatching(/^ *\d+%\|#*\|$/) as string });
    expect(bar.at(-1)?.message).toBe('100%|##########|');
  });

  it('sends a state that a line shows for a few seconds without a newer one, and a cut \\r\\n\'s line once', async () => {
    // A state written before its `\r` (`print(state, end='\r')`), shown for longer than the interval; then a line whose
    // `\r\n` two reads cut apart, after which the job goes on for longer than the interval.
    // Last, a state sent so, then offered again once a newer one follows it: sent once.
    const script = "printf '1/3 pages\\r'; sleep 3.3; printf 'done\\n'; printf 'a line\\r'; sleep 0.2; printf '\\nnext\\n'; sleep 3.3; " +
      "printf 'x\\r'; sleep 6.2; printf 'y\\r'; sleep 0.2; printf '\\n'";
    const run = await runJob(['sh', '-c', script]);
    expect(commandLogs(run.job).map((log) => log.message)).toEqual(['1/3 pages', 'done', 'a line', 'next', 'x', 'y']);
  }, 30_000);

  it('keeps only the latest state of a redrawn line, however long it is redrawn', async () => {
    const program = 'import sys\nfor n in range(300000): sys.stdout.write("\\rstep %d" % n)\nsys.stdout.write("\\n")';
    const run = await runJob(['python3', '-c', program]);
    const logs = commandLogs(run.job);
    expect(logs.at(-1)).toEqual({ level: 20, message: 'step 299999' });
    expect(logs.every((log) => /^step \d+$/.test(log.message))).toBe(true);
  });

  it('keeps \\r as text with --no-progress-lines', async () => {
    const run = await runJob(['--no-progress-lines', 'sh', '-c', 'printf "a\\rb\\r\\n"']);
    expect(commandLogs(run.job)).toEqual([{ level: 20, message: 'a\rb' }]);
  });

  it('drops the \\r of a last line without a newline, like any other line\'s', async () => {
    const run = await runJob(['sh', '-c', 'printf "x\\r"']);
    expect(commandLogs(run.job)).toEqual([{ level: 20, message: 'x' }]);
  });

  it('makes JSON log records logs with their level on either stream, leaves a real item an item, and counts them', async () => {
    const records = [
      '{"level":30,"time":1,"pid":1,"hostname":"h","msg":"started"}',
      '{"level":50,"time":1,"pid":1,"hostname":"h","msg":"failed","err":{"type":"Error","message":"boom","stack":"Error: boom\\n    at f (a.js:1:1)"}}',
      '{"level":"info","title":"an item with a level field","price":1}',
    ];
    const script = `printf '%s\\n' '${records.join("' '")}'; echo '{"severity":"WARNING","message":"w","timestamp":"t"}' >&2`;
    const run = await runJob(['sh', '-c', script]);
    expect(commandLogs(run.job).sort((a, b) => a.level - b.level)).toEqual([
      { level: 20, message: 'started {"pid":1,"hostname":"h"}' },
      { level: 30, message: 'w' },
      { level: 40, message: 'failed {"pid":1,"hostname":"h","err":{"type":"Error","message":"boom"}}\nError: boom\n    at f (a.js:1:1)' },
    ]);
    expect(run.job.items).toEqual([{ level: 'info', title: 'an item with a level field', price: 1 }]);
    expect(run.job.stats.at(-1)?.['shub_entrypoint/json_log_records']).toBe(3);
    // Said once, before the first record on stdout, where a JSON object line is otherwise an item.
    const isNote = (log: { message: string }): boolean => log.message.startsWith('shub-entrypoint: JSON object lines on stdout');
    expect(run.job.logs.filter(isNote)).toEqual([expect.objectContaining({ level: 20, message: expect.stringContaining('--no-json-logs') })]);
    expect(run.job.logs.findIndex(isNote)).toBe(run.job.logs.findIndex((log) => log.message.startsWith('started')) - 1);
    const off = await runJob(['--no-json-logs', 'sh', '-c', script]);
    expect(off.job.items).toHaveLength(3);
    expect(commandLogs(off.job)).toEqual([{ level: 40, message: '{"severity":"WARNING","message":"w","timestamp":"t"}' }]);
    expect(off.job.logs.some(isNote)).toBe(false);
    // On stderr, where an object line is never an item, a level is enough (zerolog's .Send(), a message with no time
    // after other fields); winston's default format, which opens with `level` and `message`, is a record on both.
    const levelOnly = ['{"level":"info","url":"u","status":200,"time":"t"}', '{"url":"u","level":"warn","message":"slow"}'];
    const winston = '{"level":"error","message":"failed","url":"u"}';
    const both = await runJob(['sh', '-c', `printf '%s\\n' '${[...levelOnly, winston].join("' '")}'; printf '%s\\n' '${levelOnly.join("' '")}' >&2`]);
    expect(both.job.items).toEqual([{ level: 'info', url: 'u', status: 200, time: 't' }, { url: 'u', level: 'warn', message: 'slow' }]);
    expect(commandLogs(both.job)).toEqual([{ level: 40, message: 'failed {"url":"u"}' }, { level: 20, message: '{"url":"u","status":200}' }, { level: 30, message: 'slow {"url":"u"}' }]);
    // A record printed with indentation or followed by a comma is a record still; with --no-items stdout's objects are
    // text, whatever their fields.
    const odd = await runJob(['sh', '-c', `printf '{\\n  "level": "warn",\\n  "msg": "pretty",\\n  "time": 1\\n}\\n'; echo '${records[0]},'`]);
    expect(commandLogs(odd.job)).toEqual([{ level: 30, message: 'pretty' }, { level: 20, message: 'started {"pid":1,"hostname":"h"}' }]);
    expect(odd.job.items).toEqual([]);
    const noItems = await runJob(['--no-items', 'sh', '-c', `echo '${records[2]}'; echo '${levelOnly[0]}'`]);
    expect(commandLogs(noItems.job)).toEqual([{ level: 20, message: records[2] }, { level: 20, message: levelOnly[0] }]);
    const onStderr = await runJob(['sh', '-c', `echo '${records[0]}' >&2`]);
    expect(commandLogs(onStderr.job)).toEqual([{ level: 20, message: 'started {"pid":1,"hostname":"h"}' }]);
    expect(onStderr.job.logs.some(isNote)).toBe(false);
  });
});

