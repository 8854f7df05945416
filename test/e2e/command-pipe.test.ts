// The command speaks the protocol itself, on its own pipe or on stdout: everything arrives intact and valid.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandLogs, FIXTURES, runJob } from '../helpers/cli.js';
import { tempDir } from '../helpers/fifo.js';

const python = (code: string): string[] => ['python3', '-c', code];
const pipeWriter = (lines: string[]): string[] => python(
  `import os\nwith open(os.environ["SHUB_FIFO_PATH"], "w", encoding="utf-8") as pipe:\n` +
  lines.map((line) => `    pipe.write(${JSON.stringify(line + '\n')})\n`).join(''));

describe("the command's own pipe", () => {
  it('gives the command a private pipe, not the platform\'s, in a directory only this user can enter', async () => {
    const run = await runJob(python('import os, stat; p = os.environ["SHUB_FIFO_PATH"]; d = os.path.dirname(p); ' +
      'print(p, stat.S_ISFIFO(os.stat(p).st_mode), oct(os.stat(d).st_mode & 0o777))'));
    const [path, isFifo, mode] = (commandLogs(run.job)[0]?.message ?? '').split(' ');
    expect(isFifo).toBe('True');
    expect(mode).toBe('0o700');
    expect(path).not.toBe(process.env.SHUB_FIFO_PATH);
  });

  it('forwards REQ, ITM, LOG and raw UTF-8 from many opens while stdout floods: nothing corrupted or lost', async () => {
    const rounds = 40;
    const run = await runJob(['python3', join(FIXTURES, 'pipe-writer.py'), '100000', String(rounds)]);
    expect(run.status).toBe(0);
    const stdout = commandLogs(run.job).filter((log) => log.message.startsWith('stdout ')).map((log) => Number(log.message.slice(7)));
    expect(stdout).toEqual(Array.from({ length: 100_000 }, (_, index) => index));
    // REQ lines in order, none added or dropped: `parent` counts them.
    expect(run.job.requests.map((request) => request.parent)).toEqual([null, ...Array.from({ length: rounds * 5 - 1 }, (_, index) => index)]);
    const bigItems = run.job.items.filter((item) => 'body' in item);
    expect(bigItems.map((item) => item.round)).toEqual(Array.from({ length: rounds }, (_, index) => index));
    expect(bigItems.every((item) => item.body === 'y'.repeat(100_000))).toBe(true);
    expect(run.job.items.filter((item) => 'name' in item)).toHaveLength(rounds);
    expect(run.job.items.find((item) => 'name' in item)?.name).toBe('ключ 😀');
    expect(run.job.lines.some((line) => line.includes('\\u043a\\u043b\\u044e\\u0447 \\ud83d\\ude00'))).toBe(true);
    expect(commandLogs(run.job).filter((log) => log.level === 30)).toHaveLength(rounds);
    expect(commandLogs(run.job).filter((log) => log.level === 40)).toEqual([]);
    // Each STA of the command is sent at once, merged with the wrapper's own counters; the final one has its last.
    expect(run.job.stats.filter((stats) => typeof stats.rounds === 'number').map((stats) => stats.rounds))
      .toEqual(expect.arrayContaining(Array.from({ length: rounds }, (_, index) => index + 1)));
    expect(run.job.stats.at(-1)).toMatchObject({ rounds, 'pages/seen': rounds * 5, finish_reason: 'finished' });
  });

  it.each([
    ['an item over 1 MiB', '"ITM " + json.dumps({"html": "x" * 1_100_000})', /^an item of 1100017 bytes was dropped: .*It began: \{"html": "xxx/s],
    ['an item that escapes to over 1 MiB', '"ITM " + json.dumps({"text": "ж" * 200_000}, ensure_ascii=False)', /^an item of 1200017 bytes was dropped: .*It began: \{"text": "жжж/s],
    // Far over the limit, the line arrives in pieces; its size is still that of the ITM message it would have been.
    ['a bare item far over 1 MiB', 'json.dumps({"html": "x" * 5_000_000})', /^an item of 5000017 bytes was dropped: .*It began: \{"html": "xxx/s],
    ['an ITM line far over 1 MiB', '"ITM " + json.dumps({"html": "x" * 5_000_000})', /^an item of 5000017 bytes was dropped: .*It began: ITM \{"html": "xxx/s],
  ])('drops %s from the command\'s pipe with an ERROR, and goes on', async (_name, line, message) => {
    const run = await runJob(python(
      `import json, os\nwith open(os.environ["SHUB_FIFO_PATH"], "w", encoding="utf-8") as pipe:\n` +
      `    pipe.write(${line} + "\\n")\n    pipe.write('ITM {"after": 1}\\n')\n`));
    expect(commandLogs(run.job).filter((log) => log.level === 40).map((log) => log.message)).toEqual([expect.stringMatching(message)]);
    expect(run.job.items).toEqual([{ after: 1 }]);
    expect(run.job.stats.at(-1)?.item_dropped_count).toBe(1);
  });

  it.each([
    ['not a message', 'hello there', /not a protocol message/],
    ['an unknown command', 'XXX {"a": 1}', /not a protocol message/],
    ['broken JSON', 'ITM {"a": ', /ITM payload is not valid JSON/],
    ['a JSON array', 'ITM [1, 2]', /not a protocol message/],
    ['a LOG without message', 'LOG {"level": 20}', /LOG field "message" must be a string/],
    ['a REQ with a string status', 'REQ {"url": "u", "method": "GET", "status": "200", "rs": 1, "duration": 1}', /REQ field "status" must be an integer/],
  ])('refuses %s with an ERROR log that quotes it, and goes on', async (_name, line, reason) => {
    const run = await runJob(pipeWriter([line, 'ITM {"after": true}']));
    const [error] = commandLogs(run.job).filter((log) => log.level === 40);
    expect(error?.message).toMatch(reason);
    expect(error?.message).toContain(line.slice(0, 40));
    expect(run.job.items).toEqual([{ after: true }]);
    expect(run.job.outcome).toBe('finished');
  });

  it('holds the command\'s FIN back and writes its outcome in the one final FIN', async () => {
    const run = await runJob(pipeWriter(['FIN {"outcome": "closespider_itemcount"}', 'ITM {"late": 1}']));
    expect(run.job.messages.filter((message) => message.command === 'FIN')).toHaveLength(1);
    expect(run.job.outcome).toBe('closespider_itemcount');
    expect(run.job.items).toEqual([{ late: 1 }]);
  });

  it('keeps the command\'s outcome even when it exits non-zero', async () => {
    const run = await runJob(['sh', '-c', 'echo \'FIN {"outcome": "banned"}\'; exit 2']);
    expect(run.job.outcome).toBe('banned');
    expect(run.status).toBe(2);
  });
});

describe('protocol lines on stdout', () => {
  it('treats ITM, LOG, REQ, STA and FIN lines as those messages, filling time and level', async () => {
    const before = Date.now();
    const run = await runJob(['sh', '-c', [
      'echo \'LOG {"level": 30, "message": "careful"}\'',
      'echo \'LOG {"message": "no level"}\'',
      'echo \'ITM {"a": "é"}\'',
      'echo \'REQ {"url": "https://e.com", "method": "GET", "status": 404, "rs": 0, "duration": 3}\'',
      'echo \'STA {"stats": {"pages": 1}}\'',
      'echo \'FIN {"outcome": "finished_early"}\'',
      'echo \'LOG {"level": "loud", "message": "bad level"}\'',
      'echo \'LOG {"message": 7}\'',
      'echo \'LOG {not json\'',
    ].join('; ')]);
    const logs = commandLogs(run.job);
    expect(logs).toContainEqual({ level: 30, message: 'careful' });
    expect(logs).toContainEqual({ level: 20, message: 'no level' });
    expect(run.job.logs.find((log) => log.message === 'careful')?.time).toBeGreaterThanOrEqual(before);
    expect(run.job.items).toEqual([{ a: 'é' }]);
    expect(run.job.requests).toEqual([expect.objectContaining({ url: 'https://e.com', status: 404, time: expect.any(Number) })]);
    expect(run.job.stats[0]).toMatchObject({ pages: 1 });
    expect(run.job.outcome).toBe('finished_early');
    // A protocol line with a wrong field is refused and said; text that only looks like one stays a log.
    expect(logs.find((log) => log.level === 40)?.message).toMatch(/LOG field "message" must be a string.*"message": 7/s);
    expect(logs).toContainEqual({ level: 20, message: 'bad level' });
    expect(logs).toContainEqual({ level: 20, message: 'LOG {not json' });
  });
});

describe('stats', () => {
  it('counts with Scrapy\'s names and sends a final STA just before FIN', async () => {
    const run = await runJob(['sh', '-c', 'echo a; echo b; echo \'{"i": 1}\'; echo e >&2; sleep 1.2']);
    const final = run.job.stats.at(-1) as Record<string, unknown>;
    expect(run.job.messages.at(-2)?.command).toBe('STA');
    // INFO: the start-up line, a, b and the line that says the command finished.
    expect(final).toMatchObject({
      item_scraped_count: 1, 'log_count/INFO': 4, 'log_count/ERROR': 1, finish_reason: 'finished',
    });
    expect(final.finish_time as number).toBeGreaterThanOrEqual(final.start_time as number);
    expect(final.elapsed_time_seconds as number).toBeGreaterThanOrEqual(1);
    expect(final['memusage/max']).toBeGreaterThan(0);
  });

  it('takes the elapsed time by its own clock when the command\'s STA has a time of its own', async () => {
    // Seconds where milliseconds belong: the STA goes at the command's time, the elapsed time stays the job's.
    const run = await runJob(['sh', '-c', 'echo "STA {\\"time\\": $(date +%s), \\"stats\\": {\\"pages\\": 1}}"; sleep 0.3']);
    const sent = run.job.messages.filter((message) => message.command === 'STA');
    const fromCommand = sent.find((message) => (message.payload.stats as Record<string, unknown>).pages === 1 && message.payload.time as number < 1e11);
    expect(fromCommand).toBeDefined();
    const elapsed = (fromCommand?.payload.stats as Record<string, number>).elapsed_time_seconds as number;
    expect(elapsed).toBeGreaterThanOrEqual(0);
    expect(elapsed).toBeLessThan(60);
  });

  it('sends stats periodically while the job runs', async () => {
    const run = await runJob(['--stats-interval', '0.2', 'sleep', '1.1']);
    expect(run.job.stats.length).toBeGreaterThanOrEqual(4);
    expect(run.job.stats.slice(0, -1).every((stats) => stats.finish_reason === undefined)).toBe(true);
  });

  it('merges the command\'s own stats: its keys win, the wrapper adds the rest', async () => {
    const run = await runJob(pipeWriter([
      'STA {"time": 1700000000000, "stats": {"item_scraped_count": 999, "pages/visited": 7}}',
      'ITM {"x": 1}',
    ]));
    const final = run.job.stats.at(-1) as Record<string, unknown>;
    expect(final.item_scraped_count).toBe(999);
    expect(final['pages/visited']).toBe(7);
    expect(final.finish_reason).toBe('finished');
    expect(final['log_count/INFO']).toBeGreaterThanOrEqual(1);
  });

  it('never sends stats over 64 KiB encoded: the largest values go, small counters stay', async () => {
    const big = Object.fromEntries(Array.from({ length: 10 }, (_, index) => [`big/${index}`, 'z'.repeat(10_000)]));
    const run = await runJob(pipeWriter([`STA ${JSON.stringify({ stats: { ...big, tiny: 1 } })}`]));
    for (const stats of run.job.stats) {
      expect(stats.tiny).toBe(1);
      expect(stats['log_count/INFO']).toBeGreaterThanOrEqual(1);
      expect(stats['shub_entrypoint/stats_dropped_keys']).toBeGreaterThan(0);
    }
  });
});

describe('level detection', () => {
  const lines = [
    '2026-11-25 10:00:00 [scrapy.core.engine] INFO: Spider opened',
    '2026-11-25 10:00:01 [scrapy.core.engine] DEBUG: Crawled (200)',
    'WARNING:root:disk almost full',
    'CRITICAL: out of memory',
    'plain text',
  ];
  const script = ['sh', '-c', lines.map((line) => `echo '${line}' >&2`).join('; ')];

  it('gives each stderr line the level its prefix names, and the stream\'s level otherwise', async () => {
    const run = await runJob(script);
    expect(commandLogs(run.job).map((log) => log.level)).toEqual([20, 10, 30, 50, 40]);
  });

  it('reads a plain script\'s Python warning as one WARNING with its source line', async () => {
    const script = join(tempDir(), 'warn.py');
    writeFileSync(script, 'import warnings\nwarnings.warn("this API is deprecated", DeprecationWarning)\nprint("done")\n');
    const run = await runJob(['python3', script]);
    // The warning (stderr) and `done` (stdout) come on two streams, whose order between them is the order the wrapper
    // read them in: the warning waits for the empty line that may end it, so it may come after `done`.
    const byMessage = (a: { message: string }, b: { message: string }): number => a.message.localeCompare(b.message);
    expect(commandLogs(run.job).sort(byMessage)).toEqual([
      { level: 30, message: `${script}:2: DeprecationWarning: this API is deprecated\n  warnings.warn("this API is deprecated", DeprecationWarning)` },
      { level: 20, message: 'done' },
    ].sort(byMessage));
  });

  it('reads a shell\'s trace on stderr, where set -x writes it; on stdout, a line opening with `+ ` is text', async () => {
    const run = await runJob(['bash', '-c', 'set -x; echo "+ added line"; printf "%s\\n" "+++ b/crawl.py" "+ price: 12"']);
    // A record on stdout that opens with `+ ` takes the traceback after it, as any record at ERROR does.
    const record = await runJob(['printf', '+ [ERROR] failed\\nTraceback (most recent call last):\\n  File "a.py", line 1\\nKeyError: 1\\n']);
    expect(commandLogs(record.job)).toEqual([{ level: 40, message: '+ [ERROR] failed\nTraceback (most recent call last):\n  File "a.py", line 1\nKeyError: 1' }]);
    const byMessage = (a: { message: string }, b: { message: string }): number => a.message.localeCompare(b.message);
    expect(commandLogs(run.job).sort(byMessage)).toEqual([
      { level: 10, message: "+ echo '+ added line'" }, { level: 20, message: '+ added line' },
      { level: 10, message: "+ printf '%s\\n' '+++ b/crawl.py' '+ price: 12'" }, { level: 20, message: '+++ b/crawl.py' }, { level: 20, message: '+ price: 12' },
    ].sort(byMessage));
  });

  it('is off with --no-detect-levels', async () => {
    const run = await runJob(['--no-detect-levels', ...script]);
    expect(commandLogs(run.job).map((log) => log.level)).toEqual([40, 40, 40, 40, 40]);
  });

  it('reads Python logging\'s real output', async () => {
    const run = await runJob(['python3', '-c',
      'import logging; logging.basicConfig(level=logging.DEBUG); logging.debug("d"); logging.info("i"); logging.warning("w"); logging.error("e")']);
    expect(commandLogs(run.job)).toEqual([
      { level: 10, message: 'DEBUG:root:d' }, { level: 20, message: 'INFO:root:i' },
      { level: 30, message: 'WARNING:root:w' }, { level: 40, message: 'ERROR:root:e' },
    ]);
  });
});

describe('diagnostics', () => {
  it('starts with one INFO log naming the wrapper\'s version and the command', async () => {
    const { version } = (await import('../../package.json', { with: { type: 'json' } })).default;
    const run = await runJob(['sh', '-c', 'echo hi']);
    expect(run.job.logs[0]).toMatchObject({ level: 20, message: `shub-entrypoint ${version} running: sh -c 'echo hi'` });
  });
});

// What a careless or foreign writer sends that the platform would refuse: repaired, kept, said once.
describe('values the platform would refuse', () => {
  const warnings = (run: Awaited<ReturnType<typeof runJob>>): string[] =>
    commandLogs(run.job).filter((log) => log.level === 30).map((log) => log.message);

  it('sends NaN and Infinity as null in items, stats, logs and requests, on the pipe and on stdout, said once', async () => {
    const run = await runJob(python([
      'import json, os',
      'nan, inf = float("nan"), float("inf")',
      'with open(os.environ["SHUB_FIFO_PATH"], "w") as pipe:',
      '    pipe.write("ITM " + json.dumps({"name": "pipe", "rating": nan, "range": [-inf, inf], "text": "NaN"}) + "\\n")',
      '    pipe.write("STA " + json.dumps({"stats": {"pages": 3, "ratio": nan}}) + "\\n")',
      '    pipe.write("LOG " + json.dumps({"level": 30, "message": "with nan", "extra": nan}) + "\\n")',
      '    pipe.write("REQ " + json.dumps({"url": "u", "method": "GET", "status": 200, "rs": 1, "duration": 1, "score": inf}) + "\\n")',
      'print(json.dumps({"name": "bare", "rating": nan}), flush=True)',
      'print("ITM " + json.dumps({"name": "stdout", "rating": -inf}), flush=True)',
    ].join('\n')));
    expect(run.job.items).toEqual(expect.arrayContaining([
      { name: 'pipe', rating: null, range: [null, null], text: 'NaN' }, { name: 'bare', rating: null }, { name: 'stdout', rating: null },
    ]));
    expect(run.job.items).toHaveLength(3);
    expect(run.job.stats.at(-1)).toMatchObject({ pages: 3, ratio: null, 'shub_entrypoint/repaired_lines': 6 });
    expect(commandLogs(run.job)).toContainEqual({ level: 30, message: 'with nan' });
    expect(run.job.requests).toEqual([expect.objectContaining({ url: 'u', score: null })]);
    expect(warnings(run).filter((message) => message.includes('NaN'))).toEqual([expect.stringMatching(/NaN, Infinity or -Infinity.*sent as null/)]);
    expect(commandLogs(run.job).filter((log) => log.level === 40)).toEqual([]);
  });

  it('takes a JSON array printed one element a line as its items, the commas dropped, said once', async () => {
    // What Scrapy's `-o -:json` prints: `[`, objects each with a comma but the last, `]` (no newline after it).
    const run = await runJob(['sh', '-c', 'printf \'[\\n{"a": 1},\\n{"b": "\\\\u00e9", "c": NaN} , \\n{"d": [1, 2]}\\n]\' ; echo; echo \'{not json},\'; echo \'{"e": 1},,\'']);
    expect(run.job.items).toEqual([{ a: 1 }, { b: 'é', c: null }, { d: [1, 2] }]);
    expect(warnings(run)).toEqual([expect.stringMatching(/with a comma after it.*sent without the comma/), expect.stringMatching(/NaN.*sent as null/)]);
    expect(commandLogs(run.job).filter((log) => log.level === 20).map((log) => log.message)).toEqual(['[', ']', '{not json},', '{"e": 1},,']);
    expect(run.job.stats.at(-1)).toMatchObject({ item_scraped_count: 3, 'shub_entrypoint/repaired_lines': 2 });
  });

  it('takes an object printed with indentation on stdout as an item, on one line, said once; on stderr it is one log', async () => {
    const run = await runJob(python([
      'import json, sys',
      'print(json.dumps({"title": "Война и мир", "tags": ["a", "b"], "author": {"name": "x"}, "note": "two\\nlines"}, indent=2), flush=True)',
      'print(json.dumps({"price": 1}, indent="\\t"), flush=True)',
      'print(json.dumps({"price": 2}, indent=2), file=sys.stderr, flush=True)',
    ].join('\n')));
    expect(run.job.items).toEqual([{ title: 'Война и мир', tags: ['a', 'b'], author: { name: 'x' }, note: 'two\nlines' }, { price: 1 }]);
    expect(run.job.lines.filter((line) => line.startsWith('ITM '))[1]).toBe('ITM {"price": 1}');
    expect(warnings(run)).toEqual([expect.stringMatching(/printed over several lines.*sent on one line/)]);
    expect(commandLogs(run.job)).toContainEqual({ level: 40, message: '{\n  "price": 2\n}' });
  });

  it('takes the objects of an array printed with indentation on stdout as items; an array of anything else is text', async () => {
    const run = await runJob(python([
      'import json',
      'print(json.dumps([{"title": "Война и мир", "tags": ["a", "b"]}, {"price": 12345678901234567890}], indent=2), flush=True)',
      'print(json.dumps([1, {"a": 2}], indent=2), flush=True)',
    ].join('\n')));
    expect(run.job.lines.filter((line) => line.startsWith('ITM '))).toEqual(['ITM {"title": "\\u0412\\u043e\\u0439\\u043d\\u0430 \\u0438 \\u043c\\u0438\\u0440","tags": ["a","b"]}', 'ITM {"price": 12345678901234567890}']);
    expect(commandLogs(run.job).filter((log) => log.level === 20).map((log) => log.message)).toEqual(['[\n  1,\n  {\n    "a": 2\n  }\n]']);
  });

  it('takes an object printed with indentation right after a log record as an item too', async () => {
    const run = await runJob(python([
      'import json',
      'for n in (1, 2):',
      '    print(f"[2026-12-07T20:39:14.787] [INFO] books - Scraped page {n}")',
      '    print(json.dumps({"page": n}, indent=2), flush=True)',
    ].join('\n')));
    expect(run.job.items).toEqual([{ page: 1 }, { page: 2 }]);
    expect(commandLogs(run.job).filter((log) => log.level === 20).map((log) => log.message)).toEqual([1, 2].map((n) => `[2026-12-07T20:39:14.787] [INFO] books - Scraped page ${n}`));
  });

  it('sends messages written to the pipe with no newline between them each on its own, said once; refuses such a line with a bad one', async () => {
    const run = await runJob(python([
      'import json, os',
      'for i in range(3):',
      '    with open(os.environ["SHUB_FIFO_PATH"], "w") as pipe:',
      '        pipe.write("ITM " + json.dumps({"i": i, "text": "}ITM {"}))',
      'with open(os.environ["SHUB_FIFO_PATH"], "w") as pipe:',
      '    pipe.write("STA " + json.dumps({"stats": {"pages": 3}}) + "\\n")',
      '    pipe.write("ITM {\\"a\\": 1}ITM {not json}\\n")',
    ].join('\n')));
    expect(run.job.items).toEqual([0, 1, 2].map((i) => ({ i, text: '}ITM {' })));
    expect(run.job.stats.at(-1)).toMatchObject({ pages: 3 });
    expect(warnings(run)).toEqual([expect.stringMatching(/no newline between them.*each on its own/)]);
    expect(commandLogs(run.job).filter((log) => log.level === 40).map((log) => log.message)).toEqual([expect.stringMatching(/not sent.*It began: ITM \{"a": 1\}ITM \{not json\}$/)]);
  });

  it('rounds a fractional REQ field, and renumbers later parents around a REQ that could not be sent', async () => {
    const request = (url: string, fields: string): string =>
      `REQ {"url": "${url}", "method": "GET", "status": 200, "rs": 1, "duration": 1, ${fields}}`;
    const run = await runJob(pipeWriter([
      request('a', '"parent": null'),
      request('b', '"duration": 1.5, "parent": 0'),
      request('c', '"status": "x"'),
      request('d', '"parent": 2'),
      request('e', '"parent": 3'),
      request('f', '"parent": 1'),
    ]));
    expect(run.job.requests.map(({ url, duration, parent }) => [url, duration, parent])).toEqual([
      ['a', 1, null], ['b', 2, 0], ['d', 1, null], ['e', 1, 2], ['f', 1, 1],
    ]);
    expect(commandLogs(run.job).filter((log) => log.level === 40)).toEqual([{ level: 40, message: expect.stringMatching(/REQ field "status"/) }]);
    expect(run.job.stats.at(-1)?.['shub_entrypoint/repaired_lines']).toBe(2);
  });

  it('maps LOG levels to the standard ones, names included, and rounds a fractional time', async () => {
    const run = await runJob(pipeWriter([
      'LOG {"level": 25, "message": "twenty-five \\u00e9"}',
      'LOG {"level": 5, "message": "five"}',
      'LOG {"level": "warning", "message": "warning"}',
      'LOG {"level": "WARN", "message": "WARN"}',
      'LOG {"level": "error", "message": "error"}',
      'LOG {"level": "Critical", "message": "Critical"}',
      'LOG {"level": 20, "time": 1700000000000.7, "message": "float time"}',
    ]));
    expect(commandLogs(run.job).filter((log) => log.level !== 30 || log.message === 'warning' || log.message === 'WARN')).toEqual([
      { level: 20, message: 'twenty-five é' }, { level: 10, message: 'five' }, { level: 30, message: 'warning' },
      { level: 30, message: 'WARN' }, { level: 40, message: 'error' }, { level: 50, message: 'Critical' },
      { level: 20, message: 'float time' },
    ]);
    expect(run.job.logs.find((log) => log.message === 'float time')?.time).toBe(1700000000001);
    expect(warnings(run).filter((message) => message.startsWith('a message from the command was changed'))).toHaveLength(2);
    expect(run.job.stats.at(-1)?.['shub_entrypoint/repaired_lines']).toBe(7);
  });

  it('ignores FIN with an empty outcome, with a warning: the exit decides', async () => {
    const run = await runJob(pipeWriter(['FIN {"outcome": ""}']));
    expect(run.job.outcome).toBe('finished');
    expect(warnings(run)).toEqual([expect.stringMatching(/FIN with an empty outcome.*ignored/)]);
  });

  it('cuts an outcome over 255 characters to 255', async () => {
    const run = await runJob(pipeWriter([`FIN {"outcome": "${'o'.repeat(300)}"}`]));
    expect(run.job.outcome).toBe('o'.repeat(255));
  });

  it.each([
    // Raw UTF-8: a line shorter than a message can be, but over 1 MiB once escaped.
    ['on the pipe, escaping to over 1 MiB', 'pipe', 'ж', 300_000],
    ['on stdout, escaping to over 1 MiB', 'stdout', 'ж', 300_000],
    // Escaped by Python: a line longer than a message can be, which arrives in pieces.
    ['on the pipe, escaped', 'pipe', 'ж', 300_001],
    ['on the pipe, longer than a message can be', 'pipe', 'x', 3_000_000],
    ['on stdout, longer than a message can be', 'stdout', 'x', 3_000_000],
    ['on the pipe, with escapes cut across pieces', 'pipe', 'a"b\\c\nd😀é\u0001', 300_000],
  ])('splits a LOG %s into messages whose texts join to it', async (_name, where, unit, count) => {
    const run = await runJob(python([
      'import json, os, sys',
      `text = json.loads(${JSON.stringify(JSON.stringify(unit))}) * ${count}`,
      `line = "LOG " + json.dumps({"time": 1700000000000, "level": 30, "message": text}, ensure_ascii=${count === 300_000 ? 'False' : 'True'}) + "\\n"`,
      // "after" on the same stream: stdout and the pipe have no common order.
      where === 'pipe' ? 'open(os.environ["SHUB_FIFO_PATH"], "w", encoding="utf-8").write(line + \'LOG {"level": 20, "message": "after"}\\n\')'
        : 'sys.stdout.buffer.write(line.encode()); print("after", flush=True)',
    ].join('\n')));
    const parts = commandLogs(run.job).filter((log) => log.message !== 'after');
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.every((log) => log.level === 30)).toBe(true);
    expect(parts.map((log) => log.message).join('') === unit.repeat(count)).toBe(true);
    expect(commandLogs(run.job).at(-1)?.message).toBe('after');
  });
});
