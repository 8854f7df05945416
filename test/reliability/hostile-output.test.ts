// Output no protocol writer expects: the stream to the platform stays valid, nothing crashes, later lines arrive.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanEnv, commandLogs, FIXTURES, runJob, startCli } from '../helpers/cli.js';
import { makeTestFifo } from '../helpers/fifo.js';
import { watchPeakRss } from '../helpers/processes.js';
import { checkJob, FifoWatch, MAX_MESSAGE_BYTES } from '../helpers/strict-reader.js';

describe('hostile output', () => {
  it('survives garbage, NULs, ANSI escapes, lone surrogates and 100,000-deep JSON, and keeps going', async () => {
    const run = await runJob(['python3', join(FIXTURES, 'hostile-output.py')]);
    expect(run.status).toBe(0);
    const logs = commandLogs(run.job).map((log) => log.message);
    expect(logs.at(-1)).toBe('still alive');
    expect(logs).toContain('nul\u0000bytes\u0000inside');
    expect(logs).toContain('red and bold');
    expect(logs).toContain('\ufffd\ufffd\ufffd invalid utf-8');
    expect(logs).toContain('['.repeat(100_000));
    expect(logs).toContain('ITM [1, 2]');
    expect(logs).toContain('LOG {broken');
    expect(run.job.items).toContainEqual({ lone: '\ud800 and \udfff' });
    expect(run.job.items.some((item) => 'deep' in item)).toBe(true);
    expect(run.job.outcome).toBe('finished');
  });

  it('escapes the U+FFFD of a character cut at the end of one read and never completed by the next, pure-ASCII one', async () => {
    const run = await runJob(['python3', '-c', 'import sys, time; w = sys.stdout.buffer; w.write(b"x\\n\\xe2"); w.flush(); ' +
      'time.sleep(0.1); w.write(b"abc\\n")']);
    expect(commandLogs(run.job).map((log) => log.message)).toEqual(['x', '\ufffdabc']);
    expect(run.job.lines.some((line) => line.includes('"\\ufffdabc"'))).toBe(true);
  });

  it('passes a 40 MB line with no newline at all in messages of at most 1 MiB, losing nothing, in bounded memory', async () => {
    const size = 40 * 1024 * 1024;
    const fifo = makeTestFifo();
    const cli = startCli(['python3', '-c', `import sys; sys.stdout.write("ab" * ${size / 2})`], cleanEnv({ SHUB_FIFO_PATH: fifo }));
    const rss = watchPeakRss(cli.process.pid as number);
    const job = checkJob(await new FifoWatch(fifo).done);
    const finished = await cli.finished;
    const peakKiB = rss.stop();
    expect(finished.status).toBe(0);
    const parts = commandLogs(job).map((log) => log.message);
    expect(parts.length).toBeGreaterThanOrEqual(40);
    expect(parts.reduce((total, part) => total + part.length, 0)).toBe(size);
    expect(parts.every((part) => /^(ab)*a?$|^b(ab)*a?$/.test(part))).toBe(true);
    expect(parts.join('')).toBe('ab'.repeat(size / 2));
    expect(Math.max(...job.lines.map((line) => line.length + 1))).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    expect(peakKiB).toBeLessThan(100 * 1024);
  });

  it('passes a 60 MB line of non-ASCII text, six bytes out for each character in, in bounded memory', async () => {
    const unit = 'жизнь и судьба ';
    const count = 2_200_000; // 27 bytes of UTF-8 each: 59 MB
    const fifo = makeTestFifo();
    const cli = startCli(['python3', '-c', `import sys; sys.stdout.buffer.write(("${unit}" * ${count}).encode())`], cleanEnv({ SHUB_FIFO_PATH: fifo }));
    const rss = watchPeakRss(cli.process.pid as number);
    const job = checkJob(await new FifoWatch(fifo).done);
    const finished = await cli.finished;
    const peakKiB = rss.stop();
    expect(finished.status).toBe(0);
    expect(commandLogs(job).map((log) => log.message).join('') === unit.repeat(count)).toBe(true);
    expect(peakKiB).toBeLessThan(100 * 1024);
  });

  it.each([
    ['just over the limit', 1_100_000],
    ['far over it, so it arrives in pieces', 5_000_000],
  ])('sends a JSON item line %s as log text, with one ERROR that gives its size and start, and counts it', async (_name, length) => {
    const run = await runJob(['python3', '-c', `import json; print(json.dumps({"html": "x" * ${length}})); print("next")`]);
    const errors = commandLogs(run.job).filter((log) => log.level === 40);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toMatch(new RegExp(`^an item of ${length + 17} bytes was sent as log text instead: .*It began: \\{"html": "xxx`, 's'));
    expect(errors[0]?.message.length).toBeLessThan(1000);
    const text = commandLogs(run.job).filter((log) => log.level === 20).map((log) => log.message);
    expect(text.slice(0, -1).join('')).toBe(`{"html": "${'x'.repeat(length)}"}`);
    expect(text.at(-1)).toBe('next');
    expect(run.job.items).toEqual([]);
    expect(run.job.stats.at(-1)?.item_dropped_count).toBe(1);
  });

  it('sends an item that escapes to more than 1 MiB as log text, with an ERROR naming its size and start', async () => {
    // 200,000 Cyrillic letters: 400 KB of UTF-8, 1.2 MB once escaped.
    const run = await runJob(['python3', '-c', 'import json; print(json.dumps({"text": "ж" * 200_000}, ensure_ascii=False))']);
    expect(run.job.items).toEqual([]);
    const [error] = commandLogs(run.job).filter((log) => log.level === 40);
    expect(error?.message).toMatch(/^an item of 1200017 bytes was sent as log text instead: .*It began: \{"text": "жжж/s);
    expect(commandLogs(run.job).filter((log) => log.level === 20).map((log) => log.message).join('')).toBe(`{"text": "${'ж'.repeat(200_000)}"}`);
    expect(run.job.stats.at(-1)?.item_dropped_count).toBe(1);
  });

  // Text that only starts like an item is text, whatever its length and however it was read.
  it.each([
    ['a dict repr', "print('{' + 'x' * 1500000)"],
    ['a dict repr that arrives in small pieces', "import sys, time\nsys.stdout.write('{')\nfor _ in range(30): sys.stdout.write('x' * 50000); sys.stdout.flush(); time.sleep(0.005)\nprint()"],
    ['a LOG line that is not JSON', "print('LOG {' + 'x' * 1500000)"],
    ['a line just over the limit', "print('{' + 'x' * 1048600)"],
  ])('sends %s over 1 MiB as log text, with no ERROR', async (_name, program) => {
    const run = await runJob(['python3', '-c', program]);
    const logs = commandLogs(run.job);
    expect(logs.filter((log) => log.level !== 20)).toEqual([]);
    const text = logs.map((log) => log.message).join('');
    expect(text).toMatch(/^(LOG )?\{x+$/);
    expect(text.length).toBeGreaterThan(1_048_576);
    expect(run.job.stats.at(-1)?.item_dropped_count).toBeUndefined();
  });

  it('reads stdout and stderr flooding at once without deadlock, each complete and in order', async () => {
    const lines = 100_000;
    const run = await runJob(['python3', join(FIXTURES, 'numbered-lines.py'), String(lines), '60', 'both']);
    expect(run.status).toBe(0);
    for (const [stream, level] of [['out', 20], ['err', 40]] as const) {
      const numbers = commandLogs(run.job).filter((log) => log.level === level && log.message.startsWith(stream))
        .map((log) => Number(log.message.split(' ')[1]));
      expect(numbers.length).toBe(lines);
      expect(numbers.every((number, index) => number === index)).toBe(true);
    }
  });
});
