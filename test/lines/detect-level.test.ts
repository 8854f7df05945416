import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { modulePasses } from '../../src/lines/byte-scan.js';
import { DETECT_UNITS, detectLevel, LevelReader, linesPatternCount, nextLevelWord, nextLevelWordByPattern, prefixScanCount, prefixWordCount } from '../../src/lines/detect-level.js';
import { toolProgressLevel } from '../../src/lines/tool-progress.js';
import { FIXTURES } from '../helpers/cli.js';
import { random } from '../helpers/random.js';

describe('detectLevel', () => {
  it.each([
    ['2026-11-25 10:00:00 [scrapy.core.engine] INFO: Spider opened', 20],
    ['2026-11-25 10:00:00 [scrapy.core.scraper] ERROR: Spider error processing', 40],
    ['2026-11-25 10:00:00 [py.warnings] WARNING: deprecated', 30],
    ['2026-11-25 10:00:00 [scrapy.utils.log] DEBUG: x', 10],
    ['WARNING:root:disk almost full', 30],
    ['CRITICAL:myapp.db:gone', 50],
    ['DEBUG: details', 10],
    ['ERROR: failed', 40],
    ['WARN: old', 30],
    ['FATAL: dead', 50],
    ['[ERROR] in brackets', 40],
    ['2026-11-25T10:00:00Z [WARN] bracketed after a time', 30],
    ['2026-11-25 10:00:00,123 - myapp - ERROR - dash format', 40],
    // Python's `%(asctime)s %(levelname)s %(name)s: %(message)s`
    ['2026-11-25 11:50:00,014 WARNING crawler: retrying', 30],
    // loguru
    ['2026-11-25 11:50:00.983 | WARNING  | __main__:crawl:10 - retrying', 30],
    ['2026-11-25 11:50:00.983 | SUCCESS  | __main__:crawl:11 - item saved', 20],
    // structlog's console renderer
    ['2026-11-25 11:50:00 [warning  ] retrying', 30],
    ['2026-11-25 11:50:00 [critical ] giving up', 50],
    // Crawlee's text format, winston's cli and simple formats, lower-case prefixes
    ['WARN  CheerioCrawler: page not found', 30],
    ['DEBUG CheerioCrawler:SessionPool: x', 10],
    ['warn: retrying', 30],
    ['verbose: fetched robots.txt', 10],
    ['warning: lower case', 30],
    ['info: lower case', 20],
    // winston's http level is a level name in its JSON records only: in text, HTTP is a protocol
    ['[HTTP] GET /products 200', undefined],
    ['http: GET /products 200', undefined],
    // logfmt (Go's slog text handler, logrus)
    ['time=2026-11-25T11:56:27.382Z level=WARN msg="retrying"', 30],
    ['time="2026-11-25" level=error msg=x', 40],
    ['ts=1 lvl="debug" msg=x', 10],
    // zap's development encoder, zerolog's console writer, pino-pretty
    ['2026-11-25T11:57:24.138Z\tWARN\tmain.go:22\tretrying', 30],
    ['11:53AM WRN retrying after a timeout', 30],
    ['11:53AM TRC entering', 10],
    ['[11:54:54.225] TRACE (18516): entering', 10],
    // Go's standard logger: no level, its lines a program's ordinary log; a level its text names where loggers put it
    ['2026/12/07 18:26:58 crawl started', 20],
    // a logger's prefix before the time, or after it (log.Lmsgprefix)
    ['[crawler] 2026/12/07 18:26:58 fetched http://x/1', 20],
    ['[crawler] 2026/12/07 18:26:58 WARNING: slow response', 30],
    ['2026/12/07 18:26:58 [crawler] error fetching http://x/1: EOF', 40],
    ['[crawler] 2026/12/07 crawl started', undefined],
    ['[a prefix longer than a logger names itself] 2026/12/07 18:26:58 x', undefined],
    ['2026/12/07 18:26:58.633204 main.go:19: queue holds 3 requests', 20],
    ['2026/12/07 18:26:58 WARNING: retrying', 30],
    ['2026/12/07 18:26:58 [error] 12#12: *1 open() failed', 40],
    ['2026/12/07 18:26:58', undefined],
    ['2026/12/07 18:26:58 ', 20],
    ['2026/12/07 crawl started', undefined],
    ['2026-12-07 18:26:58 crawl started', undefined],
    ['2026/12/07 18:26:58.6332 x', undefined],
    // a level word right after its time, in any case, as Go programs write their messages
    ['2026/12/07 18:26:58 error fetching https://example.com/p/3: connection reset', 40],
    ['2026/12/07 18:26:58 fatal: giving up', 50],
    ['2026/12/07 18:26:58 Warning: slow', 30],
    ['2026/12/07 18:26:58 errors: 3 pages', 20],
    ['2026/12/07 18:26:58 main.go:19: error here', 20],
    // PHP's own reports, logged (stderr) and displayed (stdout); other lines that open with the same letters
    ['PHP Warning:  Undefined array key "another book" in /app/crawl.php on line 7', 30],
    ['PHP Fatal error:  Uncaught InvalidArgumentException: no price', 40],
    ['PHP Deprecated:  Function utf8_encode() is deprecated', 30],
    ['PHP Notice:  Undefined index: x', 20],
    ['Fatal error: Uncaught InvalidArgumentException: no price', 40],
    ['Parse error: syntax error, unexpected end of file', 40],
    ['Deprecated: Function utf8_encode() is deprecated', 30],
    ['Recoverable fatal error: Object of class X could not be converted', 40],
    ['Fatal errors: 3', undefined],
    ['Deprecated:x', undefined],
    ['PHP is fun', undefined],
    ['Page 3 fetched', undefined],
    // a shell's trace of the commands it runs (`set -x`), whatever their words; a `+` that opens other text
    ["+ echo 'ERROR: page not found'", 10],
    ['++ date +%s', 10],
    ['+ pages=3', 10],
    ['+', undefined],
    ['+ ', undefined],
    ['+  ERROR: two spaces', undefined],
    // The key of the diff Node's assert prints with a failed deepEqual.
    ['+ actual - expected', undefined],
    ['+1 ERROR: read as after a number', 40],
    // java.util.logging's names are read on its record's second line only (line-meaning.ts): in text, `SEVERE`,
    // `fine` and `config` are words (a weather alert's severity)
    ['SEVERE THUNDERSTORM WARNING FOR OKLAHOMA COUNTY', undefined],
    ['Severe: 3, Moderate: 5', undefined],
    ['[severe] 2 vulnerabilities', undefined],
    ['FINE: not read in text', undefined],
    ['config: not read in text', undefined],
    ['Spider closed, nothing was an ERROR: here', undefined],
    ['INFORMATION: not a word that names a level', undefined],
    ['Traceback (most recent call last):', undefined],
    ['ValueError: no parser', undefined],
    ['main.main', undefined],
    ['This is INFO in the middle', undefined],
    // Level words that open headlines: at the line's start only in capitals.
    ['Alert: price dropped for Sony WH-1000XM4', undefined],
    ['Panic: The Story of Modern Financial Insanity - $12.00', undefined],
    ['Verbose: off', undefined],
    ['alert: lower case, as loggers write it', 50],
    ['ALERT: disk full', 50],
    ['Trace: at fetch (node:internal/deps/undici)', 10],
    ['Error: not found', 40],
    // Python's logging cookbook and others: the logger's (or the process's and thread's) name between the time and
    // the level, in upper case, in one of the three fields after the time.
    ['2026-12-07 20:45:00,123 crawl        INFO     page parsed', 20],
    ['2026-12-07 20:45:00,123 scrapy.core.engine WARNING: slow', 30],
    ['2026-12-07 20:45:00,123 MainProcess MainThread ERROR    failed', 40],
    // ... set apart as loggers set it: after a single space, further from the time, it is prose.
    ['2026-12-07 20:45:00,123 MainProcess MainThread ERROR failed', undefined],
    ['2024-01-15 12:00:00 fetched ERROR page list', undefined],
    ['2024-01-15 12:00:00 Missing INFO file in archive', undefined],
    // ... and only after a time: a number or a date alone is no timestamp.
    ['3 new ALERT   messages', undefined],
    ['2024-01-15 AAPL ALERT  190.5', undefined],
    ['2026-12-07 20:45:00,123 | crawl | DEBUG | x', 10],
    ['2026-12-07 20:45:00,123 a b c ERROR beyond the third field', undefined],
    ['2026-12-07 20:45:00,123 a b c= ERROR beyond it, after a mark', undefined],
    ['2026-12-07 20:45:00,123 crawl Info capitalised', undefined],
    ['2026-12-07 20:45:00,123 the ERRORS were', undefined],
    ['2026-12-07 20:45:00,123:CRITICAL:crawl:x', 50],
    ['2024-01-15:ERROR:a date is no time', undefined],
    ['2026-12-07 20:45:00,123 (WARNING) x', 30],
    ['2026-12-07 20:45:00,123 crawl (WARNING) not right after the time', undefined],
    ['2026-12-07 20:45:00,123:crawl:ERROR: a colon before, not after the time', undefined],
    ['crawl INFO no time before', undefined],
    // winston's printf formats: the level in lower case and a `:` after it, right after the time, a `]` or ` - `.
    ['2026-12-07T20:39:54.123Z warn: a', 30],
    ['20:39:54 error: b', 40],
    ['[20:39:54] debug: c', 10],
    ['[books] warn: d', 30],
    ['[books] - info: e', undefined],
    // ... in lower case only, and only after a time, or a bracket that opens the line or follows the time.
    ['404 error: page not found', undefined],
    ['1. Warning: do not mix bleach and ammonia', undefined],
    ['- error: handling improved', undefined],
    ['- [x] error: fixed crash', undefined],
    ['12:30 Alert: storm approaching', undefined],
    ['[News] Alert: price dropped', undefined],
    ['2026-12-07T20:39:54.724Z [books] info: e', 20],
    ['2024-01-15 [x] error: a date is no time', undefined],
    ['2026-12-07T20:39:54.123Z warn a colon missing', undefined],
    ['[books] the error: not right after it', undefined],
    // zap's production console format: lower case between tabs, after the time (a float of seconds, or ISO 8601).
    ['1.7651376e+09\twarn\tmain.go:28\tslow', 30],
    ['2026-12-07T20:40:01.515Z\terror\tmain.go:28\tfailed', 40],
    ['2026-12-07T20:40:01.515Z\terror main.go:28 a space after it', undefined],
    ['1.7651376e09\twarn\tno sign after the e', undefined],
    ['2024-01-15\terror\t42\ttimeout', undefined],
    ['1\terror\tfoo', undefined],
    ['192.168.1.10\terror\ttimeout', undefined],
    ['the flavour=warning of it', undefined],
    ['no level at all', undefined],
    ['', undefined],
    ['Error without colon', undefined],
    [`${'x'.repeat(100)} ERROR: beyond the first 100 characters`, undefined],
    // Python's warnings module names no level word, but a warning it is.
    ['/tmp/crawl.py:8: DeprecationWarning: this API is deprecated', 30],
    ['crawl.py:9: UserWarning: user warning here', 30],
    ['a Warning: not from a file', undefined],
    // ... and from code with no file: `python3 -c`, at exit, a frozen module.
    ['<string>:1: FutureWarning: old option, use --new', 30],
    ['sys:1: ResourceWarning: unclosed <socket.socket fd=3>', 30],
    ['<frozen runpy>:128: RuntimeWarning: \'shop.crawl\' found in sys.modules', 30],
    ['the sys:1: UserWarning: not at the start', undefined],
    // Node's process warnings name no level word either, and their text is read for none.
    ["(node:12345) Warning: Setting the NODE_TLS_REJECT_UNAUTHORIZED environment variable to '0' makes TLS connections insecure", 30],
    ['(node:12345) [DEP0040] DeprecationWarning: The `punycode` module is deprecated.', 30],
    ['(node:7) ExperimentalWarning: vm.measureMemory is an experimental feature', 30],
    ['(node:7) MaxListenersExceededWarning: Possible EventEmitter memory leak detected.', 30],
    ['(node:8541) UnhandledPromiseRejectionWarning: Error: [ERROR] page failed', 30],
    ['(Use `node --trace-warnings ...` to show where the warning was created)', undefined],
    ['(node:) Warning: no process id', undefined],
    ['(node:12)Warning: no space', undefined],
    ['(nodes:12) Warning: not Node', undefined],
    // winston's lowest level.
    ['silly: silly msg', 10],
    // Ruby's Logger: the level word after `]` and the spaces that right-align it.
    ['I, [2026-11-25T11:57:41.123456 #1234]  INFO -- : crawl started', 20],
    ['W, [2026-11-25T11:57:41.123456 #1234]  WARN -- : retrying', 30],
    ['E, [2026-11-25T11:57:41.123456 #1234] ERROR -- crawler: failed', 40],
    ['A, [2026-11-25T11:57:41.123456 #1234]   ANY -- : something', undefined],
    ['[x]  ERROR two spaces after a bracket', 40],
    ['Step [3/7]        DEBUG more spaces than an alignment', undefined],
    ['[x]    error is lower case', undefined],
    // A tab after `]`, as before spaces were allowed there.
    ['2026-12-07 16:32:40,083 [main]\tWARN  com.example.App - slow', 30],
    ['2026-12-07 16:32:40,083 [MainThread]\tERROR: failed', 40],
    ['[pid 12]\tWARNING: low memory', 30],
    ['done [x]  ERROR-prone words', undefined],
    // npm's own lines, npm 9 on and npm 6 to 8.
    ['npm warn deprecated inflight@1.0.6: This module is not supported', 30],
    ['npm error code E404', 40],
    ['npm notice New major version of npm available!', 20],
    ['npm verbose cli /usr/bin/node', 10],
    ['npm WARN deprecated request@2.88.2', 30],
    ['npm ERR! code E404', 40],
    ['npm error', 40],
    ['npm http fetch GET 200 https://registry.npmjs.org/x 12ms', 20],
    ['npm verb cli /usr/bin/node', 10],
    ['npm sill idealTree buildDeps', 10],
    ['npm timing command:view Completed in 300ms', 10],
    // Sentences that start with `npm ` and a level word that is none of npm's levels.
    ['npm debug log is at /root/.npm/_logs/x.log', undefined],
    ['npm critical vulnerabilities found', undefined],
    ['npm ERR is no level without its `!`', undefined],
    ['npm warning-ish text', undefined],
    ['npm errors are counted', undefined],
    ['npm: warn', undefined],
    ['cnpm warn x', undefined],
    // Node's debug module, where its output is no terminal: debugging output, whatever its text says.
    ['2026-12-07T16:32:40.083Z pw:api navigating to "https://x", waiting until "load"', 10],
    ['2026-12-07T16:32:40.083Z puppeteer:protocol:SEND ► {"method":"Page.navigate"}', 10],
    // A level of the program's own after the namespace: a logger's line, not debug's, at its level.
    ['2026-12-07T16:32:40.083Z crawler:fetch ERROR: a logger of its own', 40],
    ['2026-12-07T16:32:40.083Z crawler:fetch error: lower case is text', 10],
    // Other programs' lines after such a time.
    ['2026-12-07T16:32:40.083Z ERROR:root:Failed to fetch page', 40],
    ['2026-12-07T16:32:40.083Z WARNING:scrapy.core:Retrying', 30],
    ['2026-12-07T16:32:40.083Z FATAL:db unreachable', 50],
    ['2026-12-07T16:32:40.083Z localhost:3000 GET /', undefined],
    ['2026-12-07T16:32:40.083Z 127.0.0.1:54321 - GET /health 200', undefined],
    ['2026-12-07T16:32:40.083Z worker:2 started', undefined],
    ['2026-12-07T16:32:40.083Z Crawler:fetch upper case first', undefined],
    ['2026-12-07T16:32:40.083Z crawler no colon: any program\'s text', undefined],
    ['2026-12-07T16:32:40.083Z http://example.com fetched', undefined],
    ['2026-12-07T16:32:40.083Z a:b', undefined],
    ['2026-12-07T16:32:40Z pw:api no milliseconds', undefined],
    ['2026-12-07 16:32:40.083Z pw:api a space for the T', undefined],
    // Chromium's own lines (a headless browser's stderr).
    ['[1207/163000.123456:ERROR:bus.cc(408)] Failed to connect to the bus', 40],
    ['[12345:12345:1207/163000.123456:WARNING:sandbox_linux.cc(420)] InitializeSandbox() called', 30],
    ['[1207/163000.123456:INFO:CONSOLE(5)] "crawl started", source: file:///page.html (5)', 20],
    ['[1207/163000.123456:FATAL:x.cc(1)] dead', 50],
    ['[1207/163000.123456:VERBOSE1:x.cc(1)] chatty', 10],
    ['[1207/163000.123456:12345678:INFO:x.cc(1)] with a tick count', 20],
    // PHP's Monolog (2 and 3; 1 without the time's T and fraction) and Rust's env_logger.
    ['[2026-12-07T16:32:40.083456+00:00] crawler.WARNING: retrying after a timeout [] []', 30],
    ['[2026-12-07T16:32:40.083456+00:00] crawler.EMERGENCY: giving up [] []', 50],
    ['[2026-12-07T16:32:40.083456+00:00] app.sub.NOTICE: item saved {"id":3} []', 20],
    ['[2026-12-07 16:32:40] crawler.ERROR: failed [] []', 40],
    ['[2026-12-07T16:32:40.083456+00:00] crawler.Warning: not as Monolog writes it', undefined],
    ['[2026-12-07T16:32:40.083456+00:00] see crawler.ERROR: a sentence', undefined],
    ['[2026-12-07T16:32:40Z INFO  crawler] crawl started', 20],
    ['[2026-12-07T16:32:40.083Z WARN  crawler::net] retrying', 30],
    ['[2026-12-07T16:32:40Z TRACE crawler] entering', 10],
    ['[2026-12-07T16:32:40Z NOTICE crawler] not a level env_logger writes', undefined],
    ['[2026-12-07T16:32:40Z INFO  crawler rest] a space in the module', undefined],
    // Airflow's task log and Celery's worker, as Python's logging writes their formats.
    ['[2026-12-08 03:23:17,468] {crawl.py:7} WARNING - slow response: 3.2s', 30],
    ['[2026-12-08 03:23:17,468] {taskinstance.py:1138} INFO - Dependencies all met', 20],
    ['[2026-12-08 03:23:41,877: WARNING/MainProcess] slow response', 30],
    ['[2026-12-08 03:23:41,877: CRITICAL/ForkPoolWorker-1] giving up', 50],
    ['[2026-12-08 03:23:17,468] {crawl.py:7} see WARNING - a sentence', undefined],
    ['[2026-12-08 03:23:17,468] {crawl.py:7} Warning - not as Python writes it', undefined],
    ['[2026-12-08 03:23:41,877: WARNING] no process', undefined],
    // The cookbook's padded fields, a level that fills its own; a level right-aligned in brackets.
    ['2026-12-08 03:23:41,494 crawler      CRITICAL giving up', 50],
    ['2026-12-08 03:23:41,494 crawler      WARNING  slow', 30],
    ['2026-12-08 03:23:41,494 crawler fetched ERROR page list', undefined],
    ['2026-12-08 03:23:18,665 [ WARNING] slow response', 30],
    ['2026-12-08 03:23:18,665 [    INFO] got 200', 20],
    ['2026-12-08 03:23:18,665 [ see WARNING] a sentence', undefined],
    ['2026-12-08 03:23:18,665 [ Warning] not upper case', undefined],
    ['[2020-01-01 00:00:00,000] {{taskinstance.py:630}} WARNING - Airflow 1.10', 30],
    ['Result: [ ERROR]', undefined],
    ['https://b.com [ ERROR]', undefined],
    ['2026-12-08 03:23:18,665 fetched [ ERROR]', undefined],
    ['10:00:00 12 items  DEBUG off', undefined],
    ['10:00:00 Meeting  ALERT about', undefined],
    // Brackets that only look like Chromium's.
    ['[1/3:WARN:] step', undefined],
    ['[2/5:DEBUG:verbose mode]', undefined],
    ['[2024/01/05:INFO: scheduled job ran]', undefined],
    ['[20240105/1200:INFO:cron] ran', undefined],
    ['[1207/163000.123456:warning:x.cc(1)] lower case', undefined],
    ['[163000.123456:ERROR:x.cc(1)] no date', undefined],
    ['[1207/163000.123456:ERROR] no file', undefined],
    ['[1207/163000.123456 ERROR:x.cc(1)] a space', undefined],
  ])('%j → %s', (line, expected) => {
    expect(detectLevel(line)).toBe(expected);
  });

  it('reads a line inside a larger text, up to its end', () => {
    const text = 'first\nWARN: second\nthird ERROR';
    expect(detectLevel(text, 6, 18)).toBe(30);
    expect(detectLevel(text, 19, text.length)).toBeUndefined();
  });
});

describe('LevelReader', () => {
  it('answers as detectLevel does, line after line, on real output and on lines that differ in one character', () => {
    const real = readdirSync(join(FIXTURES, 'real-output')).flatMap((family) => ['stdout.txt', 'stderr.txt'].flatMap((file) => {
      try {
        return readFileSync(join(FIXTURES, 'real-output', family, file), 'utf8').split('\n');
      } catch {
        return [];
      }
    }));
    const next = random(7);
    const alphabet = ' 0123456789:-[].|=\tAaEeIiNnRrWwOoGgTZMP"';
    // Each real line, then variants of it: one character changed, its digits changed.
    const lines = real.flatMap((line) => [line, ...Array.from({ length: 3 }, () => {
      const at = Math.floor(next() * Math.min(line.length, 60));
      return line.slice(0, at) + alphabet.charAt(Math.floor(next() * alphabet.length)) + line.slice(at + 1);
    }), line.replace(/\d/g, '7')]);
    const reader = new LevelReader();
    expect(lines.length).toBeGreaterThan(1000);
    const text = lines.join('\n');
    let start = 0;
    for (const line of lines) {
      // On stderr (the reader's default) a tool's progress line that names no level is INFO (tool-progress.ts).
      expect([line, reader.detect(text, start, start + line.length)]).toEqual([line, detectLevel(line) ?? toolProgressLevel(line, 0, line.length)]);
      start += line.length + 1;
    }
  });

  it('finds, in one test, where a run of one logger\'s lines of the same level ends, and no run where loggers alternate', () => {
    const lines = [
      '2026-11-25 10:00:01 [a] DEBUG: one', '2026-11-25 10:00:02 [a] DEBUG: two', '2026-11-25 10:00:13 [a] DEBUG: three',
      '2026-11-25 10:00:14 [b] INFO: other', '2026-11-25 10:00:15 [a] DEBUG: four', '',
    ];
    const text = lines.join('\n');
    const starts = lines.map((_, index) => lines.slice(0, index).join('\n').length + (index === 0 ? 0 : 1));
    const reader = new LevelReader();
    expect(reader.detect(text, starts[0], starts[1] as number - 1)).toBe(10);
    expect(reader.sameLevelEnd(text, starts[1] as number, text.length)).toBe(starts[3]);
    expect(reader.detect(text, starts[3], starts[4] as number - 1)).toBe(20);
    expect(reader.sameLevelEnd(text, starts[4] as number, text.length)).toBe(starts[4]);
    expect(reader.detect(text, starts[4], starts[5] as number - 1)).toBe(10);
  });

  it('remembers the shape of lines that open with their level, as of lines after a timestamp', () => {
    const reader = new LevelReader();
    const scans = prefixScanCount();
    const levels = Array.from({ length: 1_000 }, (_, n) => reader.detect(`DEBUG CheerioCrawler: parsed page ${n}`));
    expect(levels.every((level) => level === 10)).toBe(true);
    expect(prefixScanCount() - scans).toBe(1);
    // A line that starts as they do but names no level there is scanned, and answers as the scan does.
    expect(reader.detect('DEBUG, CheerioCrawler')).toBe(detectLevel('DEBUG, CheerioCrawler'));
    expect(reader.detect('DEBUGGING CheerioCrawler')).toBeUndefined();
  });

  it('makes the run pattern of a logger shape once, however often loggers take turns', () => {
    const shapes = ['[fetcher] DEBUG: fetched', '[parser] INFO: parsed', '[pipeline] WARNING dropped'];
    const made = linesPatternCount();
    const reader = new LevelReader();
    for (let round = 0; round < 50; round++) {
      for (const [index, shape] of shapes.entries()) {
        const second = String(round % 60).padStart(2, '0');
        const lines = [`2026-11-25 10:00:${second} ${shape} one`, `2026-11-25 10:01:${second} ${shape} two`, `2026-11-25 10:02:${second} ${shape} three`, ''];
        const text = lines.join('\n');
        const level = reader.detect(text, 0, lines[0]!.length);
        expect(level).toBe([10, 20, 30][index]);
        // The WARNING shape has no run pattern (line-meaning.ts reads those lines one by one).
        const runEnd = reader.sameLevelEnd(text, lines[0]!.length + 1, text.length);
        expect(runEnd).toBe(index === 2 ? lines[0]!.length + 1 : text.length);
      }
    }
    // Two: the WARNING shape's is known to be none before it is looked for.
    expect(linesPatternCount() - made).toBe(2);
  });

  it('looks for no run pattern for lines whose shape can have none', () => {
    // Lines with no timestamp (a script's `INFO: …` between its tracebacks) and WARNING lines: each line is read
    // one by one, and what could make their runs is not even looked up.
    const made = linesPatternCount();
    const reader = new LevelReader();
    for (const shape of ['INFO: page', 'ERROR: page', 'warning: page', '2026-11-25 10:00:00 WARNING page']) {
      const text = `${shape} one\n${shape} two\n`;
      expect(reader.detect(text, 0, text.indexOf('\n'))).toBeDefined();
      expect(reader.sameLevelEnd(text, text.indexOf('\n') + 1, text.length)).toBe(text.indexOf('\n') + 1);
    }
    expect(linesPatternCount() - made).toBe(0);
  });

  it('reads the lines of a long text that name no level in time linear in the text, not in its lines times its length', () => {
    // 100,000 lines in 10 MB, no level word and no `Warning: ` anywhere: searching the rest of the text again for each
    // line would read 500 GB.
    const lines = Array.from({ length: 100_000 }, (_, index) => `fetched page ${index} of the catalogue`.padEnd(99, '.'));
    const text = lines.join('\n');
    const reader = new LevelReader();
    const started = performance.now();
    let start = 0;
    let named = 0;
    for (const line of lines) {
      if (reader.detect(text, start, start + line.length) !== undefined) named++;
      start += line.length + 1;
    }
    const elapsed = performance.now() - started;
    expect(named).toBe(0);
    expect(elapsed).toBeLessThan(3_000);
  });

  it('looks, after a line\'s first words, only at the words a bracket, `=`, `-` or `]` stands just before', () => {
    const cases: Array<[string, number | undefined, number]> = [
      // The first word ends the timestamp part; nothing after it could stand where a level stands.
      ['Traceback (most recent call last): while handling the request for the page', undefined, 1],
      ['ValueError: could not convert string to float: a price on the page', undefined, 1],
      // After text, each mark lets the word after it (or after it and a space) be read, and only that word.
      ['Spider said something [WARN] here and more words after it', 30, 2],
      ['request done for the page ] ERROR: failed', 40, 2],
      ['request done - ERROR - failed', 40, 2],
      ['request done - what - failed with level=error', 40, 4],
      ['request done -  what happened next', undefined, 1],
      // After a timestamp, each word of its first three fields (a level may stand there), then only after marks.
      ['2026-11-25 10:00:00 crawler: parsed page level="warning" more', 30, 4],
      ['2026-11-25 10:00:00 crawler: parsed page and then level="warning" more', 30, 4],
      ['2026-11-25 10:00:00 scrapy.core.engine: parsed level="warning" more', 30, 4],
    ];
    for (const [line, level, words] of cases) {
      const before = prefixWordCount();
      expect(detectLevel(line), line).toBe(level);
      expect(prefixWordCount() - before, line).toBe(words);
    }
  });

  it('takes a level word only when it ends within the units it looks in, as the search for words finds it', () => {
    const before = 'a'.repeat(DETECT_UNITS - 12);
    // `level=` and a word that ends at the last unit, or after it.
    expect(detectLevel(`${before} level=error`)).toBe(40);
    expect(detectLevel(`${before} level=error happened`)).toBe(40);
    const cut = `${before} level=errors happened`;
    expect(detectLevel(cut)).toBeUndefined();
    // In a block, where the search ahead finds no level word and the line is not scanned.
    expect(detectLevel(`${cut}\nnext`, 0, cut.length)).toBeUndefined();
  });

  it('reads a line inside a block as on its own, whatever follows its end: the next line, or a CRLF\'s `\\r`', () => {
    for (const line of ['2026-11-25 10:00:00 ERROR', '2026-11-25 10:00:00 app - ERROR ', 'x [WARN  ', 'x [WARN', 'WARN', 'level=warn']) {
      for (const after of ['\n- next', '\n] next', '\r\nnext', '\n\tnext']) {
        expect(detectLevel(line + after, 0, line.length), JSON.stringify(line + after)).toBe(detectLevel(line));
        expect(new LevelReader().detect(line + after, 0, line.length), JSON.stringify(line + after)).toBe(detectLevel(line));
      }
    }
  });

  it('reads the tools\' lines in a block as on their own, though their level names are not all level words', () => {
    // npm's `verb`, `sill`, `timing` and `http`, Monolog's `EMERGENCY`: the search for level words finds none of them.
    const lines = ['npm verb cli /usr/bin/node', 'npm sill idealTree', 'npm timing x', 'npm http fetch GET 200',
      '[2026-12-07T17:11:41.396610+00:00] crawler.EMERGENCY: giving up [] []', 'plain'];
    const text = lines.join('\n');
    const reader = new LevelReader();
    let start = 0;
    for (const line of lines) {
      expect([line, detectLevel(text, start, start + line.length)]).toEqual([line, detectLevel(line)]);
      // On stderr (the reader's default) a tool's progress line that names no level is INFO (tool-progress.ts).
      expect([line, reader.detect(text, start, start + line.length)]).toEqual([line, detectLevel(line) ?? toolProgressLevel(line, 0, line.length)]);
      start += line.length + 1;
    }
    expect(lines.slice(0, -1).every((line) => detectLevel(line) !== undefined)).toBe(true);
  });

  it('reads a debug module\'s line as such after a line that ends alike, whose time was no debug module\'s', () => {
    const reader = new LevelReader();
    // Remembered from its first letter on, the first line's shape fits the second: only the whole time tells them apart.
    expect(reader.detect('99-12-07T16:32:40.083Z crawler:fetch [ERROR] x')).toBe(40);
    const line = '2026-12-07T16:32:40.083Z crawler:fetch [ERROR] x';
    expect(detectLevel(line)).toBe(10);
    expect(reader.detect(line)).toBe(10);
  });

  it('remembers a line only by what decided its level', () => {
    const reader = new LevelReader();
    // A level word at the end of a line on its own: the end is part of what decided.
    expect(reader.detect('10:00:00 ERROR')).toBe(40);
    expect(reader.detect('10:00:01 ERRORS are words')).toBeUndefined();
    // A warning that no level word names leaves nothing to remember, whatever the scan read before.
    expect(reader.detect('INFO: starting')).toBe(20);
    expect(reader.detect('(node:12) Warning: x')).toBe(30);
    expect(reader.detect('(node:x) is no warning')).toBeUndefined();
    expect(reader.detect('INFO: starting')).toBe(20);
    expect(reader.detect('crawl: /a/b.py:12: UserWarning: text')).toBe(30);
    expect(reader.detect('crawl: done')).toBeUndefined();
  });

  it('scans no line of a block that holds no level word, and still finds the warnings and the level among them', () => {
    const lines = [
      ...Array.from({ length: 500 }, (_, index) => `fetched page ${index}: 3 errors, 2 warnings, informational`),
      'crawl.py:12: UserWarning: slow', '(node:12) Warning: x', 'WARNING: low disk', 'done',
    ];
    const text = `${lines.join('\n')}\nthe next line`;
    const scans = prefixScanCount();
    const levels: Array<number | undefined> = [];
    let start = 0;
    for (const line of lines) {
      levels.push(detectLevel(text, start, start + line.length));
      start += line.length + 1;
    }
    expect(levels.slice(0, 500).every((level) => level === undefined)).toBe(true);
    expect(levels.slice(500)).toEqual([30, 30, 30, undefined]);
    expect(prefixScanCount() - scans).toBe(1);
  });
});

describe('LevelReader in WebAssembly', () => {
  // Loggers whose lines get a run pattern, each as its first line and a timestamp that changes from line to line.
  const LOGGERS: ReadonlyArray<(stamp: string) => string> = [
    (stamp) => `${stamp} [scrapy.core.engine] DEBUG: Crawled (200) <GET https://example.com/>`,
    (stamp) => `${stamp} INFO crawler: parsed`,
    (stamp) => `${stamp} | ERROR    | __main__:crawl:10 - failed`,
    (stamp) => `${stamp}\tINFO\tcrawler/main.go:42\tfetched`,
    (stamp) => `${stamp} [info     ] fetched url=https://example.com/`,
    (stamp) => `${stamp} - app - ERROR - dash format`,
  ];
  // Characters that decide a line's shape: a timestamp's, a tail's, and others.
  const CHARACTERS = '0123456789 \t-:.,/+|[]AaEeIiDd\n"x';

  function stampOf(next: () => number): string {
    const second = String(Math.floor(next() * 60)).padStart(2, '0');
    const kinds = [`2026-11-25 10:00:${second}`, `2026-11-25 10:00:${second},${Math.floor(next() * 1000)}`, `10:00:${second}`, '9'.repeat(Math.floor(next() * 90))];
    return kinds[Math.floor(next() * kinds.length)] as string;
  }

  it('ends a run of one logger\'s ASCII lines where the pattern ends it, on lines of its shape and lines just off it', () => {
    const passes = modulePasses.shapes;
    let compared = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const next = random(seed);
      const logger = LOGGERS[seed % LOGGERS.length] as (stamp: string) => string;
      const lines = [logger('2026-11-25 10:00:00')];
      for (let index = 0; index < 30; index++) {
        let line = logger(stampOf(next));
        // Some lines changed in one character near their start, where their shape is decided; some shortened.
        if (next() < 0.3) {
          const at = Math.floor(next() * Math.min(line.length, 60));
          line = line.slice(0, at) + CHARACTERS[Math.floor(next() * CHARACTERS.length)] + line.slice(at + 1);
        }
        if (next() < 0.05) line = line.slice(0, Math.floor(next() * line.length));
        lines.push(line);
      }
      // Most texts end with a newline; some end inside their last line.
      const text = lines.join('\n') + (seed % 5 === 0 ? '' : '\n');
      const starts = [0];
      for (let at = text.indexOf('\n'); at !== -1 && at + 1 < text.length; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
      const limits = [...starts.slice(1), text.length];
      const withWasm = new LevelReader();
      const withPattern = new LevelReader();
      const firstEnd = text.indexOf('\n');
      expect(withWasm.detect(text, 0, firstEnd)).toBe(withPattern.detect(text, 0, firstEnd));
      for (const start of starts.slice(1)) {
        const limit = limits[Math.floor(next() * limits.length)] as number;
        if (limit < start) continue;
        const label = `seed ${seed}, start ${start}, limit ${limit}: ${JSON.stringify(text.slice(start, start + 80))}`;
        expect(withWasm.sameLevelEnd(text, start, limit, true), label).toBe(withPattern.sameLevelEnd(text, start, limit, false));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(3_000);
    // The module read most of them (a shape it cannot read, or no shape at all, leaves a run to the pattern).
    expect(modulePasses.shapes - passes).toBeGreaterThan(compared / 2);
  });

  it.each(readdirSync(join(FIXTURES, 'real-output')))('ends runs where the pattern ends them on the recorded output of %s', (family) => {
    for (const file of ['stdout.txt', 'stderr.txt']) {
      let text: string;
      try {
        text = readFileSync(join(FIXTURES, 'real-output', family, file), 'latin1');
      } catch {
        continue;
      }
      const withWasm = new LevelReader();
      const withPattern = new LevelReader();
      // As the wrapper reads a block: a line's level by the scan, then the run of lines after it that name the same.
      for (let start = 0; start < text.length;) {
        const end = text.indexOf('\n', start);
        if (end === -1) break;
        expect(withWasm.detect(text, start, end)).toBe(withPattern.detect(text, start, end));
        const runEnd = withWasm.sameLevelEnd(text, end + 1, text.length, true);
        expect(runEnd, `${file} at ${end + 1}`).toBe(withPattern.sameLevelEnd(text, end + 1, text.length, false));
        start = Math.max(runEnd, end + 1);
      }
    }
  });

  it('does not take a last line without its newline, whatever lies past the text', () => {
    const lines = Array.from({ length: 20 }, (_, index) => `2026-11-25 10:00:${String(index).padStart(2, '0')} [a] INFO: line ${index}`);
    const text = lines.join('\n');
    const lastStart = text.lastIndexOf('\n') + 1;
    const reader = new LevelReader();
    reader.detect(text, 0, text.indexOf('\n'));
    const passes = modulePasses.shapes;
    // The same lines with newlines after them were read first: their bytes stay where the module reads past the text.
    expect(reader.sameLevelEnd(`${text}\n\n\n\n`, lines[0]!.length + 1, text.length + 1, true)).toBe(text.length + 1);
    expect(reader.sameLevelEnd(text, lines[0]!.length + 1, text.length, true)).toBe(lastStart);
    expect(modulePasses.shapes - passes).toBe(2);
  });

  it('finds the next level word where the pattern finds it, in any case, next to any character, across the steps', () => {
    // Level words and words that are almost level words, in every case, among letters, digits and marks; characters
    // above 0xFF, whose low byte is a letter, only in texts read as UTF-16.
    const pieces = ['info', 'INFO', 'Warning', 'wArN', 'err', 'errors', 'error_count', 'critical', 'criticals', 'dpanic', 'xinfo',
      'inf', 'in', 'debugger', 'trc', 'TRACE', 'e', 'fetched', 'catalogue', 'https', 'a'.repeat(20), ' ', ' ', '  ', ':', '[', ']', '_',
      '0', '7', '-', '.', '/', '\n', '\t', '=', '"', '\x7f', 'é'];
    const wide = ['\u0149', '\u0145', '\u010a', 'ж', '😀'];
    const passes = modulePasses.words + modulePasses.wideWords;
    let calls = 0;
    for (let seed = 1; seed <= 400; seed++) {
      const next = random(seed);
      const ascii = seed % 2 === 0;
      const kinds = ascii ? pieces : [...pieces, ...wide];
      let text = '';
      const length = Math.floor(next() * 200);
      while (text.length < length) text += kinds[Math.floor(next() * kinds.length)];
      // An ASCII block is one byte a unit, as the wrapper's ASCII blocks are: é read as latin1 stands for any byte
      // above 0x7f there.
      if (ascii) text = Buffer.from(text, 'latin1').toString('latin1');
      for (let from = 0; from <= text.length; from++) {
        expect(nextLevelWord(text, from, ascii), `seed ${seed}, from ${from}: ${JSON.stringify(text)}`).toBe(nextLevelWordByPattern(text, from));
        calls++;
      }
    }
    // Every search was the module's.
    expect(modulePasses.words + modulePasses.wideWords - passes).toBe(calls);
  });
});
