import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OutputLines, problemSearches, type OutputOptions } from '../../src/job/output-lines.js';
import { JobReport } from '../../src/job/report.js';
import { modulePasses } from '../../src/lines/byte-scan.js';
import { prefixScanCount } from '../../src/lines/detect-level.js';
import { LineSplitter } from '../../src/lines/line-splitter.js';
import { type RecordShape, shapeWork } from '../../src/lines/record-shapes.js';
import { PLAIN } from '../../src/lines/text-flags.js';
import { BatchedWriter } from '../../src/sink/batched-writer.js';
import { pipeChunks, randomChunks } from '../helpers/chunks.js';
import { FIXTURES } from '../helpers/cli.js';
import { stringWriter } from '../helpers/string-writer.js';
import { random } from '../helpers/random.js';

// A report that counts the lines sent by the fast path's runs.
class CountingReport extends JobReport {
  runLines = 0;

  override logRun(time: number, level: number, text: string, start: number, end: number, flags: number): void {
    this.runLines += text.slice(start, end).split('\n').length;
    super.logRun(time, level, text, start, end, flags);
  }

  override itemRun(text: string, start: number, end: number, flags: number): void {
    this.runLines += text.slice(start, end).split('\n').length;
    super.itemRun(text, start, end, flags);
  }

  override logRecordRun(time: number, shape: RecordShape, text: string, start: number, end: number | undefined, ascii: boolean): { count: number; end: number } {
    const run = super.logRecordRun(time, shape, text, start, end, ascii);
    this.runLines += text.slice(start, run.end).split('\n').length;
    return run;
  }
}

const OPTIONS: OutputOptions = { level: 20, messages: true, items: true, detectLevels: true, jsonLogs: true, keepAnsi: false, progressLines: true };

// Runs bytes through splitter → output lines → report → writer, in the given chunks; returns what is written, the
// stats, and how many lines the fast path sent.
async function encode(chunks: Buffer[], options: OutputOptions, useBlocks: boolean, output = outputLines(options)): Promise<{ written: string; stats: string; runLines: number }> {
  const { writer, report, lines, written } = output;
  // Without blocks: the same handler, minus its fast path.
  const handler = useBlocks ? lines : { line: lines.line.bind(lines), piece: lines.piece.bind(lines), redraw: lines.redraw };
  const splitter = new LineSplitter(handler);
  for (const chunk of chunks) {
    lines.now = 1_700_000_000_000;
    splitter.push(chunk);
    lines.chunkDone();
    writer.flush();
  }
  splitter.end();
  lines.end();
  await writer.end();
  const { start_time: _start, elapsed_time_seconds: _elapsed, ...stats } = report.stats.snapshot(0);
  return { written: written(), stats: JSON.stringify(stats), runLines: report.runLines };
}

// The lines written for the command's output: without the note said once when JSON log records come on stdout.
function commandLines(written: string): string[] {
  return written.trimEnd().split('\n').filter((line) => !line.includes('"message":"shub-entrypoint: JSON object lines on stdout'));
}

// Output lines whose report writes to a string, and that string so far.
function outputLines(options: OutputOptions): { writer: BatchedWriter; report: CountingReport; lines: OutputLines; written: () => string } {
  const { writer, written } = stringWriter();
  const report = new CountingReport(writer);
  return { writer, report, lines: new OutputLines(report, options), written };
}

const LINE_KINDS = [
  (n: number) => `plain log line number ${n}`,
  (n: number) => `  continuation ${n}`,
  () => '',
  (n: number) => `{"item": ${n}}`,
  (n: number) => `LOG {"level": 30, "message": "w${n}"}`,
  (n: number) => `quote " and backslash \\ ${n}`,
  (n: number) => `tab\there ${n}`,
  (n: number) => `non-ASCII é ${n}`,
  (n: number) => `crlf ${n}\r`,
  (n: number) => `{not json ${n}`,
  (n: number) => `\tat Frame.method(File.java:${n})`,
  (n: number) => `escape \u001b[31mred\u001b[0m ${n}`,
  (n: number) => `  indented \u001b[31mred\u001b[0m ${n}`,
  (n: number) => `  indented crlf ${n}\r`,
  (n: number) => `  indented progress 10%\rprogress ${n}%`,
  (n: number) => `😀 astral ${n}`,
  (n: number) => `{"a": [${n}, 2], "b": {"c": "d"}, "e": null}`,
  (n: number) => `{"trailing": ${n}}   `,
  () => '{}',
  (n: number) => `{"deeper": [[${n}]]}`,
  (n: number) => `{"bad": ${n},}`,
  (n: number) => `{"then": ${n}} junk after the object`,
  (n: number) => `2026-11-25 11:54:11 [scrapy.core.engine] DEBUG: Crawled (200) <GET https://e.com/${n}> (referer: None)`,
  (n: number) => `2026-11-25 11:54:11 [scrapy.core.engine] INFO: Scraped from <200 https://e.com/${n}>`,
  (n: number) => `2026-11-25 11:54:11 [scrapy.core.engine] ERROR: Spider error processing ${n}`,
  () => 'Traceback (most recent call last):',
  (n: number) => `ValueError: no parser ${n}`,
  (n: number) => `{'title': 'A book ${n}', 'price': 1}`,
  (n: number) => `['a${n}',`,
  (n: number) => `WARNING:root:careful ${n}`,
  (n: number) => `/a/b.py:${n}: SomeWarning: text`,
  () => 'main.main',
  (n: number) => `{\n  "pretty": ${n}\n}`,
  (n: number) => `text with {"json": ${n}} and {'dict': 1} inside`,
  (n: number) => `ab: {"x": ${n}}`,
  () => '{ ',
  (n: number) => `{"level":30,"time":1,"pid":1,"hostname":"h","msg":"pino ${n}"}`,
  (n: number) => `{"level":${[20, 40, 50][n % 3]},"time":1,"pid":1,"hostname":"h","msg":"pino ${n}"}`,
  (n: number) => `{"level":30,"time":1,"pid":1,"hostname":"h","msg":"pino \\"quoted\\" ${n}"}`,
  (n: number) => `{"event": "structlog ${n}", "level": "${['info', 'warning'][n % 2]}", "timestamp": "2026-11-25T10:00:00Z"}`,
  // A level word at the line's end (before a CRLF's `\r`, or before a longer word on a later line), an indented line
  // that names a level, a word across the end of the units a level is looked for in, Node's warning and its hint.
  () => '2026-11-25 10:00:00 ERROR\r',
  () => '10:00:00 ERROR',
  (n: number) => `10:00:01 ERRORS are words ${n}`,
  (n: number) => `  [ERROR] indented ${n}`,
  (n: number) => `${'a'.repeat(88)} level=errors happened \\ here ${n}`,
  (n: number) => `(node:${n}) [DEP0040] DeprecationWarning: The punycode module is deprecated`,
  () => '(Use `node --trace-deprecation ...` to show where the warning was created)',
  // Node's report of an uncaught exception, and after its empty line an indented line that names a level: the
  // report's state reads no indented line's level, though this one starts a message of its own.
  (n: number) => `/app/crawl.js:${n}\n  if (!price) throw new Error("no price");\n              ^\n\nError: no price\n    at parsePrice (/app/crawl.js:6:21)\n\n  [ERROR] indented record ${n}`,
  (n: number) => `{"level":"warn","ts":1.5,"msg":"zap ${n}","err":{"stack":"Error: x\\n    at f"}}`,
  (n: number) => `{"level": "info", "title": "an item ${n}"}`,
  (n: number) => `\u001b[32mINFO\u001b[39m  CheerioCrawler: coloured ${n}`,
  (n: number) => `progress 10%\rprogress 50%\rprogress ${n}%`,
  (n: number) => `\r  ${n}%|###|`,
  (n: number) => `(node:${n}) [DEP0005] DeprecationWarning: Buffer() is deprecated`,
  () => '(Use `node --trace-warnings ...` to show where the warning was created)',
  (n: number) => `/app/crawl.js:${n}`,
  (n: number) => `file:///app/crawl.mjs:${n}`,
  () => 'throw new Error(\'boom\');',
  () => '^',
  () => '      ^^^',
  (n: number) => `Error: boom ${n}`,
  (n: number) => `    at parse (/app/crawl.js:${n}:9)`,
  () => '}',
  () => 'Emitted \'error\' event on Socket instance at:',
  () => 'Node.js v20.20.2',
  (n: number) => `(cached) /api/items/${n}`,
  (n: number) => `/app/crawl.js:${n}\nthrow e;\n^\n\nError: x\n    at f (/app/crawl.js:${n}:1) {\n  code: 'E'\n}\n\nNode.js v20.20.2`,
  (n: number) => `node:events:${n}\n  throw er;\n  ^\nplain string\n    at f (/app/crawl.js:${n}:1)\nexited`,
  (n: number) => `2026-11-25 11:54:11 [twisted] CRITICAL: Unhandled error ${n}`,
  () => 'The above exception was the direct cause of the following exception:',
  () => 'During handling of the above exception, another exception occurred:',
  () => 'Stack (most recent call last):',
  () => '--- <exception caught here> ---',
  (n: number) => `Traceback (most recent call last):\n  File "a.py", line ${n}\nKeyError: 'p'\n\nThe above exception was the direct cause of the following exception:\n\n` +
    'Traceback (most recent call last):\n  File "b.py", line 1\nValueError: v',
  (n: number) => `\rpages: ${n % 100}%|##| ${n}/5 [00:00<00:01, 3.98it/s]ERROR:root:failed page ${n}`,
  (n: number) => `{"title": "a book ${n}", "price": 1},`,
  (n: number) => `{"title": "a book ${n}", "rating": NaN}`,
  () => '}',
  (n: number) => `request failed: {\n  url: 'http://e.com/${n}',\n  status: 503\n}`,
  (n: number) => `panic: boom ${n}\n\ngoroutine 1 [running]:\nmain.main()\n\t/a/main.go:25 +0xd1`,
  (n: number) => `example${n}.com`,
  (n: number) => `2026-11-25T11:57:24.138Z\tERROR\tmain.go:${n}\tfailed`,
  (n: number) => `E, [2026-12-07T16:18:13.710092 #1] ERROR -- : bad price ${n}\n<internal:kernel>:173:in \`Float'\n/app/crawl.rb:${n}:in \`<main>'`,
  (n: number) => `/app/crawl.rb:${n}:in \`parse'`,
  (n: number) => `[BeautifulSoupCrawler] INFO  Final request statistics:\n┌────┬───┐\n│ ok │ ${n} │\n└────┴───┘`,
  (n: number) => `│ ${n} │`,
  // npm's `verb` and `timing` and Monolog's `EMERGENCY` are no level words: a block must read them as lines alone do.
  (n: number) => `npm ${['warn', 'error', 'ERR!', 'notice', 'verb', 'timing'][n % 6]} code E${n}`,
  (n: number) => `[1207/163000.${n}:${['WARNING', 'INFO', 'ERROR'][n % 3]}:bus.cc(408)] message ${n}`,
  (n: number) => `2026-12-07T16:32:40.083Z pw:api navigating ${n}`,
  (n: number) => `W, [2026-12-07T16:18:13.710092 #1]  WARN -- : slow ${n}`,
  (n: number) => `[2026-12-07T16:32:40.083456+00:00] crawler.${['WARNING', 'ERROR', 'INFO', 'EMERGENCY'][n % 4]}: page ${n} [] []`,
  (n: number) => `[2026-12-07T16:32:40Z ${['WARN ', 'ERROR', 'INFO '][n % 3]} crawler::net] page ${n}`,
  // java.util.logging's two lines, its level names that are no level words (FINE, CONFIG) among them, each line also
  // on its own; a Java exception, its frames and a cause.
  (n: number) => `Dec 07, 2026 5:52:59 PM com.example.Crawl main\n${['INFO', 'FINE', 'CONFIG', 'SEVERE', 'WARNING'][n % 5]}: page ${n}`,
  () => 'Dec 07, 2026 5:52:59 PM com.example.Crawl main',
  (n: number) => `${['FINE', 'SEVERE', 'FINER'][n % 3]}: page ${n}`,
  (n: number) => `java.lang.IllegalStateException: bad price ${n}\n\tat com.example.Crawl.parse(Crawl.java:${n})`,
  (n: number) => `Caused by: java.lang.NumberFormatException: For input string: "x${n}"`,
  // What Python writes before a traceback it reports, asyncio's context line.
  (n: number) => `Exception in thread worker-${n}:`,
  (n: number) => `future: <Task finished name='Task-${n}'>`,
  (n: number) => `ERROR:asyncio:Task exception was never retrieved\nfuture: <Task finished name='Task-${n}'>\nTraceback (most recent call last):\n  File "a.py", line ${n}\nKeyError: 'p'`,
  // Rust's report of a panic, with and without its note and backtrace.
  (n: number) => `thread 'main' (${n}) panicked at main.rs:${n}:9:\n${['no price', 'ERROR: x'][n % 2]}${n % 3 === 0 ? '\nnote: run with RUST_BACKTRACE=1' : ''}`,
  () => 'stack backtrace:\n   0: main::main\nnote: Some details are omitted.',
  // PHP's reports, logged and displayed, and a fatal error's stack trace.
  (n: number) => `${n % 2 === 0 ? 'PHP ' : ''}${['Warning', 'Deprecated', 'Fatal error'][n % 3]}:  message ${n}`,
  (n: number) => `PHP Fatal error:  Uncaught Exception: boom ${n}\nStack trace:\n#0 /a.php(${n}): f()\n#1 {main}\n  thrown in /a.php on line ${n}`,
  // Go's standard logger: INFO where its text names no level.
  (n: number) => `2026/12/07 18:26:${String(n % 60).padStart(2, '0')} ${['fetched page', 'WARNING: slow page', '[ERROR] page'][n % 3]} ${n}`,
  // A shell's trace: DEBUG whatever its words, and a message of one line.
  (n: number) => `${'+'.repeat(1 + (n % 2))} echo 'ERROR: page ${n}'`,
  // Node's report of its heap full, V8's banner of another fatal error, and lines that open as they do.
  (n: number) => `<--- Last few GCs --->\n\n[${n}:0x2369dca0]  67 ms: Mark-Compact\n\nFATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\n` +
    `----- Native stack trace -----\n\n 1: 0xb78db3 node::OOMErrorHandler() [node]\n${10 + (n % 3)}: 0x195e476  [node]`,
  (n: number) => `#\n# Fatal error in , line 0\n# Fatal JavaScript invalid size error ${n}\n#FailureMessage Object: 0x7ffe0e5d0460`,
  (n: number) => ['#', `FATAL ERROR: page ${n}`, `${n}: 0x1 [node]`, `n [${n}:0x1e] x`][n % 4] as string,
  // Python's rich logging handler: records with their time, records whose time is left blank, their indented lines;
  // a table drawn with box-drawing characters.
  (n: number) => `[12/07/26 20:24:${String(n % 60).padStart(2, '0')}] ${['INFO    ', 'WARNING ', 'ERROR   '][n % 3]} page ${n}   a.py:${n}`,
  (n: number) => `${' '.repeat(20)}${['DEBUG   ', 'INFO    ', 'CRITICAL'][n % 3]} page ${n}${n % 2 === 0 ? `\n${' '.repeat(29)}continued` : ''}`,
  (n: number) => `┌───┬───┐\n│ ${n} │ b │\n└───┴───┘`,
  // Python's warnings from code with no file, and one whose source line is missing before a traceback.
  (n: number) => `${['<string>:1', 'sys:1', 'helpers.py:3'][n % 3]}: FutureWarning: old ${n}${n % 3 === 2 ? '\nTraceback (most recent call last):\n  File "a.py", line 1\nKeyError: 1' : ''}`,
  // rich's traceback, after an ERROR record of structlog's or on its own.
  (n: number) => `${n % 2 === 0 ? `2026-12-07 20:39:32 [error    ] parse failed ${n}\n` : ''}╭── Traceback (most recent call last) ──╮\n│ a.py:${n} in <module> │\n╰───────────────────────────────────────╯\nKeyError: 'p'`,
  // A panel that is no traceback, with one after it.
  (n: number) => `╭──────╮\n│ ${n} │\n╰──────╯\nTraceback (most recent call last):\n  File "a.py", line ${n}\nKeyError: 1`,
  // An exception group's traceback after a record.
  (n: number) => `2026-12-07 22:00:59,772 ${['INFO', 'ERROR'][n % 2]} page ${n}\n  + Exception Group Traceback (most recent call last):\n  |   File "a.py", line ${n}\n+-+---------------- 1 ----------------\n    | ValueError: ${n}\n    +------------------------------------`,
  // winston's default format: no time.
  (n: number) => `{"level":"${['info', 'warn', 'error'][n % 3]}","message":"page ${n}"${n % 2 === 0 ? `,"url":"https://e.com/${n}"` : ''}}`,
  // A level after the logger's name (Python's logging cookbook), winston's printf levels in lower case.
  (n: number) => `2026-12-07 20:45:${String(n % 60).padStart(2, '0')},123 crawl        ${['INFO', 'WARNING', 'ERROR'][n % 3]}     page ${n}`,
  (n: number) => `${['2026-12-07T20:39:54.123Z', '[books]', '20:39:54 -'][n % 3]} ${['warn', 'error', 'info'][n % 3]}: page ${n}`,
];

describe('the block fast path', () => {
  it('writes exactly what line-by-line handling writes, whatever the input and its chunking', async () => {
    for (let seed = 1; seed <= 60; seed++) {
      const next = random(seed);
      // Some inputs are mostly plain logs, some mostly items, some anything: each fast path gets long runs.
      const usual = [0, 3, -1, 19][seed % 4] as number;
      // Every fourth input is long and read in chunks as big as a pipe's, so chunks hold several blocks.
      const big = seed % 4 === 0;
      const text = Array.from({ length: big ? 4_000 : 400 }, (_, n) => {
        const kind = usual !== -1 && next() < 0.9 ? usual : Math.floor(next() * LINE_KINDS.length);
        return (LINE_KINDS[kind] as (n: number) => string)(n);
      }).join('\n') + (next() < 0.5 ? '\n' : '');
      const bytes = Buffer.from(text);
      const chunks = randomChunks(bytes, next, big ? 70_000 : 3000);
      for (const options of [
        OPTIONS,
        { ...OPTIONS, detectLevels: false, jsonLogs: false, keepAnsi: true, progressLines: false },
        { ...OPTIONS, level: 40, messages: false, items: false },
        { ...OPTIONS, level: 40, messages: false, items: false, detectLevels: false, jsonLogs: false },
      ]) {
        // Compared line by line, so a failure shows the first line that differs and the seed to replay.
        const fastRun = await encode(chunks, options, true);
        const slowRun = await encode(chunks, options, false);
        const fast = fastRun.written.split('\n');
        const slow = slowRun.written.split('\n');
        const index = fast.findIndex((line, position) => line !== slow[position]);
        expect(index === -1 ? 'same' : `seed ${seed}, ${JSON.stringify(options)}, line ${index}:\n${fast[index]}\n${slow[index]}`).toBe('same');
        expect(fast.length).toBe(slow.length);
        expect(fastRun.stats).toBe(slowRun.stats);
        expect(slowRun.runLines).toBe(0);
      }
    }
  });

  it('sends an object printed with indentation that is too large for an item as the text that was printed', async () => {
    const text = `{\n  "t": "${'Ж'.repeat(200_000)}"\n}\n`;
    const { written } = await encode([Buffer.from(text)], OPTIONS, true);
    expect(written).not.toContain('ITM ');
    expect(written).toContain('{\\n  \\"t\\": \\"\\u0416');
  });

  it('sends JSON printed with indentation after a record\'s first line as items on stdout, and with the record on stderr', async () => {
    const text = 'INFO: scraped\n{\n  "a": 1\n}\nINFO: pages\n[\n  {\n    "u": 1\n  },\n  {\n    "u": 2\n  }\n]\nINFO: numbers\n[\n  1,\n  2\n]\n';
    const shown = (written: string): string[] => written.split('\n').filter((line) => line !== '' && !line.includes('was changed so that')).map((line) => line.replace(/"time":\d+,/, ''));
    for (const useBlocks of [true, false]) {
      expect(shown((await encode([Buffer.from(text)], OPTIONS, useBlocks)).written)).toEqual([
        'LOG {"level":20,"message":"INFO: scraped"}', 'ITM {"a": 1}', 'LOG {"level":20,"message":"INFO: pages"}', 'ITM {"u": 1}', 'ITM {"u": 2}',
        'LOG {"level":20,"message":"INFO: numbers\\n[\\n  1,\\n  2\\n]"}',
      ]);
      expect(shown((await encode([Buffer.from(text)], { ...OPTIONS, level: 40, messages: false, items: false }, useBlocks)).written)).toEqual([
        'LOG {"level":20,"message":"INFO: scraped\\n{\\n  \\"a\\": 1\\n}"}', 'LOG {"level":20,"message":"INFO: pages\\n[\\n  {\\n    \\"u\\": 1\\n  },\\n  {\\n    \\"u\\": 2\\n  }\\n]"}',
        'LOG {"level":20,"message":"INFO: numbers\\n[\\n  1,\\n  2\\n]"}',
      ]);
    }
  });

  it('sends an item printed on a progress bar\'s line (tqdm on stdout) as an item, after the bar\'s state', async () => {
    const bar = 'pages:   0%|          | 0/4 [00:00<?, ?it/s]';
    const lines = `\r${bar}{"url": "u1", "price": 1.99}\n\r${bar}{"url": "u2"} and text\n`;
    for (const useBlocks of [true, false]) {
      const { written } = await encode([Buffer.from(lines)], OPTIONS, useBlocks);
      expect(written.split('\n').filter((line) => line !== '').map((line) => line.replace(/"time":\d+,/, ''))).toEqual([
        `LOG {"level":20,"message":${JSON.stringify(bar)}}`, 'ITM {"url": "u1", "price": 1.99}', `LOG {"level":20,"message":${JSON.stringify(`${bar}{"url": "u2"} and text`)}}`,
      ]);
      const stderr = await encode([Buffer.from(lines)], { ...OPTIONS, level: 40, messages: false, items: false }, useBlocks);
      expect(stderr.written).not.toContain('ITM');
    }
  });

  const PYTHON_HINT = /"message":"shub-entrypoint: a line such as \{'title': \.\.\.\} is a Python dict printed with print\(\), not JSON, so it is log text and not an item; to send items, print json\.dumps\(item\)"/g;
  const JAVASCRIPT_HINT = /"message":"shub-entrypoint: a line such as \{ title: \.\.\. \} is a JavaScript object printed with console\.log\(\), not JSON, so it is log text and not an item; to send items, print JSON\.stringify\(item\)"/g;

  it.each([
    ['Python dicts printed with print()', (n: number) => `{'title': 'a${n}', 'price': 1}`, PYTHON_HINT],
    ['Python lists of dicts', (n: number) => `[{'title': 'a${n}', 'price': 1}, {'title': 'b'}]`, PYTHON_HINT],
    ['JavaScript objects printed with console.log()', (n: number) => `{ title: 'a${n}', price: 1 }`, JAVASCRIPT_HINT],
    ['JavaScript objects with quoted keys', (n: number) => `{ 'og:title': 'a${n}', price: 1 }`, JAVASCRIPT_HINT],
    ['JavaScript arrays of objects', (n: number) => `[ { title: 'a${n}' }, { title: 'b' } ]`, JAVASCRIPT_HINT],
    ['JavaScript objects over several lines', (n: number) => `{\n  title: 'a${n}',\n  url: 'https://e.com/${'x'.repeat(60)}'\n}`, JAVASCRIPT_HINT],
    ['JavaScript arrays over several lines', (n: number) => `[\n  { title: 'a${n}', price: 1 },\n  { title: 'b', price: 2 }\n]`, JAVASCRIPT_HINT],
  ])('says once, on stdout with items, that %s are text, where both paths send it', async (_name, make, hint) => {
    const plain = (from: number): string => Array.from({ length: 100 }, (_, n) => `page ${from + n} fetched`).join('\n');
    // The first objects in the middle of a block of plain lines, where the block path sends runs of them.
    const objects = Array.from({ length: 300 }, (_, n) => make(n)).join('\n');
    const text = `${plain(0)}\n${objects}\n${plain(100)}\n${make(1000)}\n{"title": "c"}\nend\n`;
    for (const chunks of [[Buffer.from(text)], [Buffer.from(text.slice(0, 2000)), Buffer.from(text.slice(2000))]]) {
      const fast = await encode(chunks, OPTIONS, true);
      expect(fast.written).toBe((await encode(chunks, OPTIONS, false)).written);
      expect(fast.written.match(hint)).toHaveLength(1);
      expect(fast.written).toContain('ITM {"title": "c"}');
      // The hint follows the first of them, and names the language they are printed in.
      const lines = fast.written.split('\n');
      const said = lines.findIndex((line) => hint.test(line));
      hint.lastIndex = 0;
      expect(lines[said - 1]).toContain(JSON.stringify(make(0)).slice(1, -1));
      expect(fast.written).not.toMatch(hint === PYTHON_HINT ? JAVASCRIPT_HINT : PYTHON_HINT);
    }
    for (const options of [{ ...OPTIONS, level: 40, messages: false, items: false }, { ...OPTIONS, items: false }]) {
      expect((await encode([Buffer.from(text)], options, true)).written).not.toMatch(hint);
      expect((await encode([Buffer.from(text)], options, false)).written).not.toMatch(hint);
    }
  });

  it('gives no such hint for the items Scrapy logs (LOG_STDOUT), nor for other text that opens with a brace', async () => {
    // Scrapy's records on stdout (LOG_STDOUT): each item it scraped, a dict, is a line of the record that logs it.
    const scrapy = [readFileSync(join(FIXTURES, 'real-output', 'scrapy-crawl', 'stderr.txt'))];
    const others = [Buffer.from("{\nnot: 'indented'\n}\n{ } and {a: 1}\n[1, 2]\n[ 'a', 'b' ]\n{ title }\n")];
    for (const chunks of [scrapy, others]) {
      for (const useBlocks of [true, false]) {
        const { written } = await encode(chunks, OPTIONS, useBlocks);
        expect(written).not.toMatch(PYTHON_HINT);
        expect(written).not.toMatch(JAVASCRIPT_HINT);
      }
    }
  });

  it('joins a line that is indented once its colour codes are removed, and Playwright\'s call log, to the line before, on both paths', async () => {
    // Playwright's call log, dimmed, under the error's message, as console.error(e) prints it.
    const lines = 'a\nb\n\u001b[2m  - navigating\u001b[22m\nc\ngoto failed: page.goto: Timeout 2000ms exceeded.\nCall log:\n' +
      '\u001b[2m  - navigating to "http://127.0.0.1:1/", waiting until "load"\u001b[22m\n\u001b[32mgreen\u001b[39m\nd\ne\n' +
      // A call log after a line that the line path takes (a `\\`), at the start of a run of the block path.
      'failed at C:\\app\\crawl.js\nCall log:\nf\ng\n';
    for (const chunks of [[Buffer.from(lines)], [Buffer.from(lines.slice(0, 3)), Buffer.from(lines.slice(3))]]) {
      const fast = await encode(chunks, OPTIONS, true);
      expect(fast.written).toBe((await encode(chunks, OPTIONS, false)).written);
      expect(fast.written.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line.slice(4)).message)).toEqual([
        'a', 'b\n  - navigating', 'c', 'goto failed: page.goto: Timeout 2000ms exceeded.\nCall log:\n  - navigating to "http://127.0.0.1:1/", waiting until "load"', 'green', 'd', 'e', 'failed at C:\\app\\crawl.js\nCall log:', 'f', 'g',
      ]);
    }
  });

  it('sends a JSON array of objects printed on one line as its items, on both paths, and other arrays as text', async () => {
    const plain = (from: number): string => Array.from({ length: 100 }, (_, n) => `page ${from + n} fetched`).join('\n');
    const arrays = ['[{"url": "u1", "price": 1}, {"url": "u2"}]', '[ {"url": "u3"} ]', '[1, 2]', '[{"url": "u4"}, 2]', '[]', '[{"a": 1}] and text'];
    const text = `${plain(0)}\n${arrays.join('\n')}\n${plain(100)}\n${arrays[0]}\nend\n`;
    for (const chunks of [[Buffer.from(text)], [Buffer.from(text.slice(0, 1500)), Buffer.from(text.slice(1500))]]) {
      const fast = await encode(chunks, OPTIONS, true);
      expect(fast.written).toBe((await encode(chunks, OPTIONS, false)).written);
      expect(fast.written.match(/^ITM .*$/gm)).toEqual(['ITM {"url": "u1", "price": 1}', 'ITM {"url": "u2"}', 'ITM {"url": "u3"}', 'ITM {"url": "u1", "price": 1}', 'ITM {"url": "u2"}']);
      for (const array of arrays.slice(2)) expect(fast.written).toContain(JSON.stringify(array));
      expect(fast.written.match(/a JSON array of items printed on one line/g)).toHaveLength(1);
    }
    // Where object lines are never items: text.
    for (const options of [{ ...OPTIONS, items: false }, { ...OPTIONS, level: 40, messages: false, items: false }]) {
      expect((await encode([Buffer.from(text)], options, true)).written).not.toMatch(/^ITM /m);
    }
  });

  // Each recorded program's output, whole (as one pipe read) and in a pipe's chunks: the block path sends what the line
  // path sends.
  const REAL_OUTPUT = join(FIXTURES, 'real-output');
  const recorded = readdirSync(REAL_OUTPUT, { withFileTypes: true }).filter((entry) => entry.isDirectory())
    .flatMap(({ name }) => (['stdout', 'stderr'] as const).map((stream) => [`${name} ${stream}`, join(REAL_OUTPUT, name, `${stream}.txt`), stream] as const))
    .filter(([, file]) => existsSync(file));

  it.each(recorded)('sends the recorded output %s as the line path does', async (_name, file, stream) => {
    const output = readFileSync(file);
    const options = stream === 'stdout' ? OPTIONS : { ...OPTIONS, level: 40, messages: false, items: false };
    const chunks: Buffer[] = [];
    for (let start = 0; start < output.length; start += 65536) chunks.push(output.subarray(start, start + 65536));
    for (const pieces of [[output], chunks]) {
      expect((await encode(pieces, options, true)).written).toBe((await encode(pieces, options, false)).written);
    }
  });

  it('splits the records of Python\'s rich handler whose time is left blank as the line path does', async () => {
    const chunks = [readFileSync(join(FIXTURES, 'real-output', 'python-rich', 'stdout.txt'))];
    const fast = await encode(chunks, OPTIONS, true);
    expect(fast.written).toBe((await encode(chunks, OPTIONS, false)).written);
    expect(fast.written.match(/"level":\d+/g)).toEqual(['"level":10', '"level":20', '"level":30', '"level":20', '"level":20', '"level":40', '"level":50']);
  });

  it('reads git\'s pushes and fetches on stderr as the line path does: INFO, but ERROR for a rejected push', async () => {
    const chunks = [readFileSync(join(FIXTURES, 'real-output', 'shell-git-scraping', 'stderr.txt'))];
    const STDERR = { ...OPTIONS, level: 40, messages: false, items: false };
    const remote = [readFileSync(join(FIXTURES, 'real-output', 'shell-git-remote', 'stderr.txt'))];
    const remoteFast = await encode(remote, STDERR, true);
    expect(remoteFast.written).toBe((await encode(remote, STDERR, false)).written);
    expect(remoteFast.written.match(/"level":\d+/g)?.filter((level) => level !== '"level":20')).toEqual(['"level":30', '"level":40', '"level":40', '"level":40', '"level":40']);
    const fast = await encode(chunks, STDERR, true);
    expect(fast.written).toBe((await encode(chunks, STDERR, false)).written);
    const remotes = fast.written.split('\n').filter((line) => /"message":"(?:To|From) /.test(line));
    expect(remotes.map((line) => /"level":(\d+)/.exec(line)?.[1])).toEqual(['20', '20', '40', '20', '20', '20']);
    expect(remotes[2]).toContain('! [rejected]');
  });

  // Each input is mostly one kind of line that the fast path must take, in chunks as big as a pipe's.
  it.each([
    ['plain lines', (n: number) => `plain log line ${n}`, 20, OPTIONS],
    ['Scrapy lines, each naming its level', (n: number) => `2026-11-25 10:00:00 [scrapy.core.engine] DEBUG: Crawled (200) <GET https://e.com/${n}>`, 10, OPTIONS],
    ['lines of alternating levels', (n: number) => `2026-11-25 10:00:00 [x] ${n % 2 === 0 ? 'INFO' : 'WARNING'}: line ${n}`, 30, OPTIONS],
    ['items', (n: number) => `{"url": "https://e.com/${n}", "price": ${n}}`, 0, OPTIONS],
    ['items of non-ASCII text', (n: number) => `{"title": "Книга ${n} — café 😀", "price": ${n}}`, 0, OPTIONS],
    ['records with `$` in keys and text', (n: number) => `{"level":"info","time":1,"$1":"$&","a$$b":${n},"msg":"$01 page ${n}"}`, 20, OPTIONS],
    ['Python dict reprs', (n: number) => `{'url': 'https://e.com/${n}', 'price': ${n}, 'stock': True}`, 20, OPTIONS],
    ['lines with braces in their text', (n: number) => `2026-11-25 10:00:00 [x] INFO: got {'a': ${n}} from {"b": 1}`, 20, OPTIONS],
    ['pino records of non-ASCII text', (n: number) => `{"level":${[30, 30, 20, 40, 50][n % 5]},"time":${1795607854018 + n},"pid":7,"msg":"Книга «${n}» café"}`, 40, OPTIONS],
    ['records as Python\'s json writes non-ASCII text', (n: number) => `{"event": "\\u041a\\u043d\\u0438\\u0433\\u0430 ${n} caf\\u00e9", "level": "${['info', 'warning'][n % 2]}", "timestamp": "2026-12-07T10:00:00Z"}`, 30, OPTIONS],
    ['pino records at changing levels', (n: number) => `{"level":${[30, 30, 20, 40, 50][n % 5]},"time":${1795607854018 + n},"pid":7,"hostname":"vm","msg":"page ${n}"}`, 40, OPTIONS],
    ['plain lines on stderr', (n: number) => `plain log line ${n}`, 40, { ...OPTIONS, level: 40, messages: false, items: false }],
    ['plain lines without detection', (n: number) => `plain log line ${n}`, 20, { ...OPTIONS, detectLevels: false }],
    ['lines opening as a Node warning or report would', (n: number) => [`(cached) page ${n}`, `/api/items/${n} took 0:12`, `file: ${n}.json`, `node: ${n}`][n % 4] as string, 20, OPTIONS],
  ])('takes %s', async (name, make, level, options) => {
    const lines = Array.from({ length: 20_000 }, (_, n) => make(n));
    const bytes = Buffer.from(lines.join('\n') + '\n');
    const chunks = pipeChunks(bytes);
    const { written, runLines } = await encode(chunks, options, true);
    // Only the first and last lines of each block (a few per chunk) go the ordinary way.
    expect(runLines).toBeGreaterThanOrEqual(lines.length - 8 * chunks.length);
    const all = commandLines(written);
    // Python's dicts are said once not to be items (OutputLines.sendGrouped).
    const sent = all.filter((line) => !line.includes('is a Python dict printed with print()'));
    expect(all.length - sent.length).toBe(name === 'Python dict reprs' ? 1 : 0);
    expect(sent.length).toBe(lines.length);
    expect(sent[sent.length - 1]).toMatch(level === 0 ? /^ITM / : new RegExp(`^LOG .*"level":${level},`));
  });

  it('writes JSON log records of a few shapes as line-by-line handling does, whatever their values', async () => {
    // Values a shape takes, and values it must leave to the usual way: escapes, non-ASCII, numbers JavaScript writes
    // otherwise (-0, 1.50, 1e21, beyond 2^53), nested values, `$` (special in a replacement).
    const strings = ['plain text', 'has "quote"', 'back\\slash', 'é non-ASCII, del \u007f', '$1 $01 $$ $& $<a>', '\t tab', '', 'x'.repeat(60), '😀', '{}', '\\u0041'];
    // Strings as Python's json writes non-ASCII text (which shapes take), then escapes they do not take.
    const escaped = ['"caf\\u00e9 \\u00ab\\u041a\\u00bb \\u007f"', '"\\ud83d\\ude00 pair"', '"lone \\ud800"', '"caf\\u00E9"', '"\\u007e"', '"\\/"'];
    const numbers = ['0', '-0', '7', '-15', '123456789012345', '1234567890123456', '1.5', '1.50', '0.000001', '0.0000001', '1e21', '1E3',
      '12345678.123456', '-0.5', '2.0', '9007199254740993', '0.1234567'];
    const others = ['true', 'false', 'null', '{"a":1}', '[1,2]', '{}'];
    const levels = ['10', '20', '30', '40', '50', '60', '25', '"info"', '"warn"', '"WARNING"', '"bogus"', '"error"', '30.0'];
    const keys = ['pid', 'hostname', 'name', 'v', 'url', 'ok', 'x y', 'a$b', '$1', 'err', 'stack', 'exception', '__proto__', '0', 'severity', 'message', 'ts', 'msg', 'level'];
    let fastLines = 0;
    let allLines = 0;
    const written = modulePasses.records;
    const tried = modulePasses.recordLines;
    for (let seed = 1; seed <= 24; seed++) {
      const next = random(seed);
      const pick = <T>(list: readonly T[], usual = list.length): T => list[Math.floor(next() * (next() < 0.97 ? usual : list.length))] as T;
      const shapes = Array.from({ length: 4 }, () => {
        const fields = [[pick(['level', 'severity', 'levelname', '@l'], 1), 'level'], [pick(['msg', 'message', 'event'], 1), 's'], [pick(['time', 'ts', 'timestamp']), pick(['n', 's'])]];
        for (let extra = Math.floor(next() * 5); extra > 0; extra--) fields.splice(Math.floor(next() * fields.length), 0, [pick(keys, 5), pick(['s', 'n', 'o'])]);
        return { fields, spaced: next() < 0.3 };
      });
      // A logger writes a few records of one shape, then of another.
      let shape = 0;
      const lines = Array.from({ length: 3_000 }, (_, n) => {
        if (next() < 0.1) shape = Math.floor(next() * shapes.length);
        const { fields, spaced } = shapes[shape] as (typeof shapes)[number];
        const value = (kind: string): string => {
          const used = next() < 0.05 ? pick(['s', 'n', 'o', 'level']) : kind;
          if (used === 'level') return pick(levels, 5);
          if (used === 'n') return pick(numbers, 3);
          if (used === 'o') return pick(others, 3);
          const string = JSON.stringify(next() < 0.9 ? `${pick(strings, 1)} ${n}` : pick(strings));
          // Some lines have an escaped string instead, one that shapes take or now and then one they do not (drawn
          // from `n`, so that the lines are otherwise the same).
          if (n % 20 === 7) return escaped[(n >> 5) % 2] as string;
          return n % 97 === 5 ? escaped[2 + ((n >> 7) % (escaped.length - 2))] as string : string;
        };
        return '{' + fields.map(([key, kind]) => `"${key}"${spaced ? ': ' : ':'}${value(kind as string)}`).join(spaced ? ', ' : ',') + '}';
      });
      const bytes = Buffer.from(lines.join('\n') + '\n');
      const chunks = randomChunks(bytes, next, 70_000);
      for (const options of [OPTIONS, { ...OPTIONS, level: 40, messages: false, items: false }]) {
        const fastRun = await encode(chunks, options, true);
        const slowRun = await encode(chunks, options, false);
        const fast = fastRun.written.split('\n');
        const slow = slowRun.written.split('\n');
        const index = fast.findIndex((line, position) => line !== slow[position]);
        expect(index === -1 ? 'same' : `seed ${seed}, line ${index}:\n${fast[index]}\n${slow[index]}`).toBe('same');
        expect(fast.length).toBe(slow.length);
        expect(fastRun.stats).toBe(slowRun.stats);
        fastLines += fastRun.runLines;
        allLines += lines.length;
      }
    }
    // Most records are of a shape the fast path takes: it must have taken many, most runs written by the module.
    expect(fastLines).toBeGreaterThan(allLines / 50);
    expect(modulePasses.records - written).toBeGreaterThan(1_000);
    // Each run's shape found by the module on its first line, its end found as the module writes it.
    expect(modulePasses.recordLines - tried).toBeGreaterThan(1_000);
  });

  it.each([
    ['no two records have the same shape', 20_000, (n: number) => `{"level":30,"time":1,"field${n}":1,"msg":"page ${n}"}`],
    ['every other record has a key of its own', 200, (n: number) => n % 2 === 0
      ? `{"level":30,"time":1,"pid":7,"hostname":"vm","msg":"page ${n}"}` : `{"level":30,"time":1,"pid":7,"hostname":"vm","req${n}":1,"msg":"page ${n}"}`],
    ['records come in sixteen shapes, in no order', 200, (n: number) => `{"level":30,"time":1,"pid":7,"f${(n * 7_919) % 16}":"v","msg":"page ${n}"}`],
  ])('makes patterns for few records when %s', async (_name, most, make) => {
    const records = Array.from({ length: 20_000 }, (_, n) => make(n));
    const made = shapeWork.patternsMade;
    const fast = await encode(pipeChunks(Buffer.from(records.join('\n') + '\n')), OPTIONS, true);
    expect(commandLines(fast.written).length).toBe(records.length);
    // Learning is paid for by what the fast path takes: without such a budget each of these made thousands.
    expect(shapeWork.patternsMade - made).toBeLessThan(most);
  });

  // Twelve shapes in turn, three records each: most recently used first, each run's shape is the last one tried;
  // trying every shape before it, line after line, made 96,000 tries. Twenty shapes in turn, eight records each: the
  // shape dropped for a new one is always the next one needed; without a budget for learning, each run's shape was
  // made again, 3,000 patterns.
  it.each([
    ['stops trying shapes when each run is found only after missing the others', 12, 3, 'tries', 75_000],
    ['makes few patterns for a cycle of more shapes than are kept', 20, 8, 'patternsMade', 200],
  ] as const)('%s', async (_name, shapes, run, work, most) => {
    const records = Array.from({ length: 24_000 }, (_, n) => `{"level":30,"time":1,"pid":7,"f${Math.floor(n / run) % shapes}":"v","msg":"page ${n}"}`);
    const before = shapeWork[work];
    const fast = await encode(pipeChunks(Buffer.from(records.join('\n') + '\n')), OPTIONS, true);
    expect(commandLines(fast.written).length).toBe(records.length);
    expect(shapeWork[work] - before).toBeLessThan(most);
  });

  it('stops trying shapes on records that share a long beginning with them and differ only at their end', async () => {
    // Eight shapes learned, then 2,000 records that each shape scans to their last field before failing.
    const message = 'x'.repeat(2_000);
    const records = Array.from({ length: 2_008 }, (_, n) => n < 8 ? `{"level":30,"time":1,"msg":"${message}","k${n}":1}` : `{"level":30,"time":1,"msg":"${message}","k":1.50}`);
    const chunks = pipeChunks(Buffer.from(records.join('\n') + '\n'));
    const tries = shapeWork.tries;
    const fast = await encode(chunks, OPTIONS, true);
    expect(fast.written).toBe((await encode(chunks, OPTIONS, false)).written);
    // Tried against each of the eight shapes, every line would cost 16,000 tries.
    expect(shapeWork.tries - tries).toBeLessThan(2_000);
  });

  it('makes no shape of records whose fields the line path treats apart', async () => {
    // A stack is sent on the lines after the message, not among the other fields: a shape that wrote it among them
    // would not write its own line as the line path does, and is not kept.
    const records = Array.from({ length: 3_000 }, (_, n) => `{"level":50,"time":1,"msg":"failed ${n}","stack":"Error: boom ${n}"}`);
    const chunks = pipeChunks(Buffer.from(records.join('\n') + '\n'));
    const fast = await encode(chunks, OPTIONS, true);
    expect(fast.written === (await encode(chunks, OPTIONS, false)).written).toBe(true);
    expect(fast.written).toContain('"message":"failed 7\\nError: boom 7"');
  });

  it('writes records of non-ASCII text by the module, made ASCII first, as line-by-line handling does', async () => {
    const records = Array.from({ length: 20_000 }, (_, n) => `{"level":${[30, 40][n % 2]},"time":1,"msg":"Книга «${n}» café 😀"}`);
    const chunks = pipeChunks(Buffer.from(records.join('\n') + '\n'));
    const written = modulePasses.records;
    const fast = await encode(chunks, OPTIONS, true);
    // Each run a pass of the module (one or more for each block), where the pattern's strings wrote them otherwise.
    expect(modulePasses.records - written).toBeGreaterThan(chunks.length);
    const slow = await encode(chunks, OPTIONS, false);
    expect(fast.written === slow.written).toBe(true);
    expect(fast.stats).toBe(slow.stats);
  });

  it('reads records after a shape learned from a non-ASCII level text as line-by-line handling does', async () => {
    // A level text the level reader accepts (a prefix, after Unicode spaces) but the module cannot compare byte for byte:
    // read as its low bytes, U+2022 was `"`, U+2028 `(` and U+200A a newline, and ASCII lines that no shape takes
    // became records.
    const cases = [
      ['{"level":"info\u2022","time":1,"msg":"a"}', '{"level":"info"","time":1,"msg":"b"}'],
      ['{"level":"\u2028info","time":1,"msg":"a"}', '{"level":"(info","time":1,"msg":"b"}'],
      ['{"level":"\u200ainfo","time":1,"msg":"a"}', '{"level":"\ninfo","time":1,"msg":"b"}'],
    ];
    for (const [learned, ascii] of cases) {
      const text = [learned, learned, learned, ...Array.from({ length: 40 }, () => ascii)].join('\n') + '\n';
      for (const options of [OPTIONS, { ...OPTIONS, level: 40, messages: false, items: false }]) {
        const chunks = pipeChunks(Buffer.from(text));
        const fast = await encode(chunks, options, true);
        const slow = await encode(chunks, options, false);
        expect([learned, fast.written]).toEqual([learned, slow.written]);
        expect(fast.stats).toBe(slow.stats);
      }
    }
  });

  it('reads records too long to make a pattern of as line-by-line handling does', async () => {
    // Long records between records of a shape: one too long to make a pattern of (within a block, so it is offered),
    // one just short enough, whose level text (padded with spaces) becomes the shape's second.
    const long = [`{"level":30,"time":1,"${'k'.repeat(20_000)}":1,"msg":"m"}`, `{"level":"info${' '.repeat(4_000)}","time":1,"msg":"padded"}`];
    const records = Array.from({ length: 3_000 }, (_, n) => n % 12 < 10 ? '{"level":30,"time":1,"msg":"a"}' : long[n % 12 - 10] as string);
    const chunks = pipeChunks(Buffer.from(records.join('\n') + '\n'));
    const made = shapeWork.patternsMade;
    const fast = await encode(chunks, OPTIONS, true);
    // The short record's shape, the padded one's, and the first with the second's level text.
    expect(shapeWork.patternsMade - made).toBe(3);
    const slow = await encode(chunks, OPTIONS, false);
    // Lines read one by one teach nothing.
    expect(shapeWork.patternsMade - made).toBe(3);
    expect(fast.written === slow.written).toBe(true);
    expect(fast.stats).toBe(slow.stats);
    expect(fast.runLines).toBeGreaterThan(1_000);
  });

  it('reads a long block of JSON log records in time linear in the block, not in its lines times its length', async () => {
    // 50,000 pino records and an item among them: matching the run of object lines again from each record's line to
    // the block's end would read 150 GB.
    const records = Array.from({ length: 50_000 }, (_, n) => `{"level":30,"time":1795607854018,"pid":24216,"hostname":"vm","msg":"page ${n} parsed"}`);
    records.splice(1, 0, '{"title":"A book","price":12.5}');
    const { writer, lines, written } = outputLines(OPTIONS);
    const started = performance.now();
    lines.block(records.join('\n'), PLAIN);
    lines.end();
    const elapsed = performance.now() - started;
    await writer.end();
    const sent = commandLines(written());
    expect(sent.length).toBe(records.length);
    expect(sent.filter((line) => line.startsWith('LOG {"time":')).length).toBe(50_000);
    expect(sent[1]).toBe('ITM {"title":"A book","price":12.5}');
    expect(elapsed).toBeLessThan(10_000);
  });

  it('reads a logger\'s ASCII runs and any plain prints in WebAssembly, non-ASCII runs by the pattern, alike', async () => {
    const logger = (words: string): string[] => Array.from({ length: 20_000 }, (_, n) =>
      `2026-11-25 10:00:${String(n % 60).padStart(2, '0')} [scrapy.core.engine] ${n % 1000 < 500 ? 'DEBUG' : 'INFO'}: ${words} ${n}`);
    const prints = (words: string): string[] => Array.from({ length: 20_000 }, (_, n) => `${words} page ${n} of the catalogue`);
    const cases = [
      ['a logger\'s lines', logger('Crawled (200)'), 'shapes', true],
      ['a logger\'s non-ASCII lines', logger('Получено (200)'), 'shapes', false],
      ['prints', prints('fetched'), 'words', true],
      ['non-ASCII prints, as bytes', prints('получена'), 'words', false],
      ['non-ASCII prints, as UTF-16', prints('получена'), 'wideWords', true],
    ] as const;
    for (const [name, lines, pass, read] of cases) {
      const chunks = pipeChunks(Buffer.from(lines.join('\n') + '\n'));
      const passes = modulePasses[pass];
      const fast = await encode(chunks, OPTIONS, true);
      // At least one pass a block, and a few blocks a chunk.
      expect(modulePasses[pass] - passes > chunks.length, name).toBe(read);
      const slow = await encode(chunks, OPTIONS, false);
      expect(fast.written, name).toBe(slow.written);
      expect(fast.stats, name).toBe(slow.stats);
    }
  });

  it('frames runs of log lines and of items as bytes in WebAssembly, escaping those that need it, as the string path does', async () => {
    const cases = [
      ['log lines', (n: number) => `2026-11-25 10:00:00 [scrapy.core.engine] DEBUG: Crawled (200) <GET https://example.com/${n}>`, 'frames'],
      ['prints', (n: number) => `fetched page ${n} of the catalogue`, 'frames'],
      ['items', (n: number) => `{"url":"https://example.com/${n}","price":${n}}`, 'frames'],
      ['lines with a quote to escape', (n: number) => `said "page ${n}"`, 'escapedFrames'],
      ['non-ASCII lines', (n: number) => `получена страница ${n}`, 'escapedFrames'],
      // Too long to frame with every unit escaped (controls, six bytes each): the string path writes each after the
      // module stops before it.
      ['long lines of controls', (n: number) => `${n} ${'\u0001'.repeat(11_000)}`, 'escapedFrames'],
      // The same, one among short lines that need escaping too: the module frames those before it, the string path
      // the rest of the run from it on.
      ['a long line among short ones', (n: number) => n % 50 === 25 ? '"'.repeat(11_000) : `said "page ${n}"`, 'escapedFrames'],
    ] as const;
    for (const [name, line, pass] of cases) {
      const chunks = pipeChunks(Buffer.from(Array.from({ length: pass === 'frames' ? 20_000 : 2_000 }, (_, n) => line(n)).join('\n') + '\n'));
      const frames = modulePasses[pass];
      const fast = await encode(chunks, OPTIONS, true);
      // At least one frame a block (the long lines: a few a chunk, one frame a block).
      expect(modulePasses[pass] - frames >= (name === 'long lines of controls' ? chunks.length / 2 : chunks.length), name).toBe(true);
      const slow = await encode(chunks, OPTIONS, false);
      expect(fast.written, name).toBe(slow.written);
      expect(fast.stats, name).toBe(slow.stats);
    }
  });

  it('looks for indented and empty lines only in chunks that have them', async () => {
    const logger = Array.from({ length: 20_000 }, (_, n) => `2026-11-25 10:00:00 [scrapy.core.engine] DEBUG: Crawled (200) <GET https://example.com/${n}>`);
    const searches = async (lines: string[]): Promise<number> => {
      const chunks = pipeChunks(Buffer.from(lines.join('\n') + '\n'));
      const before = problemSearches.count;
      const fast = await encode(chunks, OPTIONS, true);
      expect(fast.written).toBe((await encode(chunks, OPTIONS, false)).written);
      return (problemSearches.count - before) / chunks.length;
    };
    // One search a block (for `{`, a few blocks a chunk) where nothing else can be there, more where a traceback's
    // lines are.
    expect(await searches(logger)).toBeLessThan(5);
    const withTracebacks = logger.flatMap((line, n) => n % 50 === 0 ? [line, 'Traceback (most recent call last):', '  File "a.py", line 1', 'ValueError: x'] : [line]);
    expect(await searches(withTracebacks)).toBeGreaterThan(10);
  });

  it('reads the level of a block\'s lines that take the line path once, in the block', async () => {
    // The mixed text of the bench: a traceback, an item, a Java exception and log lines, none of them but the log
    // lines naming a level; and Scrapy's dict repr after its record, which the line path reads too.
    const periods = 300;
    const lines = Array.from({ length: periods }, (_, n) => [
      'Traceback (most recent call last):', `  File "/app/spider.py", line ${n}, in parse`, 'ValueError: could not convert string to float: \'Книга\'',
      `{"title":"café ${n}","price":${n}}`,
      `Exception in thread "main" java.lang.IllegalStateException: ${n}`, '\tat com.example.Crawler.parse(Crawler.java:42)',
      `2026-11-25 10:00:00 [scrapy.core.scraper] DEBUG: Scraped from <200 https://example.com/${n}>`, `{'title': 'naïve ${n}'}`,
      ...Array.from({ length: 5 }, (_, page) => `INFO: page ${page} parsed, title «naïve», ${page} links`),
    ]).flat();
    // With `\n` line ends, and with CRLF, whose `\r` each line's level is read before.
    for (const newline of ['\n', '\r\n']) {
      const chunks = pipeChunks(Buffer.from(lines.join(newline) + newline));
      const before = prefixScanCount();
      const fast = await encode(chunks, OPTIONS, true);
      const scans = prefixScanCount() - before;
      expect(fast.written).toBe((await encode(chunks, OPTIONS, false)).written);
      // The two lines that name a level after lines that name none (the reader's memory of the line before is gone):
      // two scans a period, where each line that names no level was scanned again on its own.
      expect(scans, JSON.stringify(newline)).toBeLessThan(periods * 2.2);
    }
  });

  it('gives the indented lines that continue a message to it at once, not one by one', async () => {
    // 400 tracebacks of 50 frames, and 400 pretty-printed lists after a record, in chunks as big as a pipe's.
    const messages = Array.from({ length: 800 }, (_, n) => n % 2 === 0
      ? ['Traceback (most recent call last):', ...Array.from({ length: 50 }, (_, frame) => `  File "/app/spider.py", line ${frame}, in parse`), `ValueError: ${n}`]
      : [`2026-11-25 11:57:40 [scrapy.middleware] INFO: Enabled extensions ${n}:`, "['scrapy.extensions.corestats.CoreStats',", ...Array.from({ length: 50 }, (_, entry) => ` 'scrapy.extensions.Extension${entry}',`)]);
    const bytes = Buffer.from(messages.map((lines) => lines.join('\n')).join('\n') + '\n');
    const chunks = pipeChunks(bytes);
    const output = outputLines(OPTIONS);
    let linesOneByOne = 0;
    const line = output.lines.line.bind(output.lines);
    output.lines.line = (text, flags) => {
      linesOneByOne++;
      line(text, flags);
    };
    const { written } = await encode(chunks, OPTIONS, true, output);
    const sent = commandLines(written);
    expect(sent.length).toBe(800);
    expect(sent[0]).toMatch(/^LOG \{"time":\d+,"level":20,"message":"Traceback \(most recent call last\):\\n  File .*\\nValueError: 0"\}$/);
    expect(sent[1]).toMatch(/Enabled extensions 1:\\n\['scrapy.extensions.corestats.CoreStats',\\n 'scrapy.extensions.Extension0',.* 'scrapy.extensions.Extension49',"\}$/);
    // The first and last lines of each message go one by one, and a few lines at the edges of each block.
    expect(linesOneByOne).toBeLessThanOrEqual(2 * 800 + 8 * chunks.length);
  });

  it('ends a message of indented lines at the size cap where the line path ends it', async () => {
    // Over 1 MiB of continuation lines after one header, after a line whose length moves where the cap falls in a
    // chunk: inside a block's run of them, or on a line at a block's edge. Messages are cut at the cap, of whole lines.
    for (const pad of [0, 7_001, 15_013, 23_011, 31_013, 39_019, 47_017, 55_001]) {
      const lines = ['.'.repeat(pad), '2026-11-25 10:00:00 [x] ERROR: a very long dump', ...Array.from({ length: 100_000 }, (_, n) => `  entry ${n}`)];
      const bytes = Buffer.from(lines.join('\n') + '\nafter\n');
      const chunks = pipeChunks(bytes);
      const fast = await encode(chunks, OPTIONS, true);
      const slow = await encode(chunks, OPTIONS, false);
      expect(fast.written.split('\n').length).toBe(slow.written.split('\n').length);
      expect(fast.written === slow.written).toBe(true);
      expect(fast.written.trimEnd().split('\n').length).toBeGreaterThan(3);
    }
  });
});
