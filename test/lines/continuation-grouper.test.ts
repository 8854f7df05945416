import { describe, expect, it } from 'vitest';
import { ContinuationGrouper } from '../../src/lines/continuation-grouper.js';
import { detectLevel, LevelReader } from '../../src/lines/detect-level.js';

function group(lines: string[], maxUnits?: number): string[] {
  const messages: string[] = [];
  const grouper = new ContinuationGrouper((text) => messages.push(text), { level: 40, idleMs: 1_000, maxUnits });
  for (const line of lines) grouper.add(line, 0);
  grouper.close();
  return messages;
}

// With level detection: each message as `level text`.
function records(text: string): string[] {
  const messages: string[] = [];
  const grouper = new ContinuationGrouper((message, _time, _flags, level) => messages.push(`${level} ${message}`), { level: 40, detect: detectLevel });
  for (const line of text.split('\n')) grouper.add(line, 0);
  grouper.close();
  return messages;
}

describe('ContinuationGrouper', () => {
  it('joins only indented lines without level detection: a closing line after them stands alone', () => {
    expect(group(['request failed: {', '  url: 1', '}'])).toEqual(['request failed: {\n  url: 1', '}']);
  });

  it('groups the spec\'s traceback example into two messages', () => {
    expect(group([
      'Traceback (most recent call last):',
      '  File "<stdin>", line 1, in <module>',
      "NameError: name 'e' is not defined",
    ])).toEqual([
      'Traceback (most recent call last):\n  File "<stdin>", line 1, in <module>',
      "NameError: name 'e' is not defined",
    ]);
  });

  it.each([
    ['tab-indented frames continue (Java, Go)', ['Exception in thread', '\tat a.B(C.java:1)'], ['Exception in thread\n\tat a.B(C.java:1)']],
    ['indented first line stands alone', ['  indented', 'next'], ['  indented', 'next']],
    ['empty line ends a message and sends nothing', ['a', '', '  b'], ['a', '  b']],
    ['whitespace-only line is a continuation', ['a', '   '], ['a\n   ']],
    ['plain lines are separate', ['a', 'b'], ['a', 'b']],
  ])('%s', (_name, lines, expected) => {
    expect(group(lines)).toEqual(expected);
  });

  it('starts a new message when a group would pass the size cap', () => {
    expect(group(['abc', ' de', ' fg'], 8)).toEqual(['abc\n de', ' fg']);
  });

  it('sends a pending message after the idle time, without waiting for another line', async () => {
    const messages: Array<{ text: string; at: number }> = [];
    const grouper = new ContinuationGrouper((text) => messages.push({ text, at: Date.now() }), { level: 40, idleMs: 50 });
    const start = Date.now();
    grouper.add('lonely line', start);
    grouper.armIdleFlush();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(messages.map((message) => message.text)).toEqual(['lonely line']);
    grouper.close();
  });

  it('keeps the time at which the first line was read', () => {
    const times: number[] = [];
    const grouper = new ContinuationGrouper((_text, time) => times.push(time), { level: 40, idleMs: 1_000 });
    grouper.add('a', 1);
    grouper.add(' b', 2);
    grouper.add('c', 3);
    grouper.close();
    expect(times).toEqual([1, 3]);
  });
});

describe('records (with level detection)', () => {
  const S = '2026-11-25 11:54:11 [scrapy.crawler]';
  const TB = 'Traceback (most recent call last):\n  File "a.py", line 1\nKeyError: \'p\'';
  const JUL = 'Dec 07, 2026 5:52:59 PM com.example.Crawl main';
  const JAVA_STACK = 'java.lang.IllegalStateException: bad price\n\tat com.example.Crawl.parse(Crawl.java:12)\n\tat com.example.Crawl.main(Crawl.java:20)\n' +
    'Caused by: java.lang.NumberFormatException: For input string: "x12"\n\tat java.base/java.lang.Integer.parseInt(Integer.java:668)\n\t... 2 more';
  const GOROUTINE = (header: string): string => `goroutine ${header}:\nmain.main()\n\t/a/main.go:25 +0xd1`;
  const RICH_TB = '╭──── Traceback (most recent call last) ────╮\n│ crawl.py:3 in <module>                   │\n╰──────────────────────────────────────────╯\nKeyError: \'price\'';
  const HEAP_FULL = '<--- Last few GCs --->\n\n[4347:0x24d62ca0]  65 ms: Mark-Compact 18.4 (50.1) -> 17.5 (50.6) MB\n\n\n<--- JS stacktrace --->\n\n' +
    'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\n----- Native stack trace -----\n\n 1: 0xb78db3 node::OOMErrorHandler() [node]\n10: 0x195e476  [node]';
  const V8_FATAL = '#\n# Fatal error in , line 0\n# Fatal JavaScript invalid size error 169220804\n#\n#FailureMessage Object: 0x7ffe0e5d0460\n' +
    '----- Native stack trace -----\n\n 1: 0xd32b41  [node]';
  const CHAINED = `${TB}\n\nThe above exception was the direct cause of the following exception:\n\n${TB}\n\n` +
    `During handling of the above exception, another exception occurred:\n\n${TB}`;
  it.each([
    ['a pretty-printed dict after its header', `${S} INFO: Overridden settings:\n{'A': 1,\n 'B': 2}\n${S} DEBUG: next`,
      [`20 ${S} INFO: Overridden settings:\n{'A': 1,\n 'B': 2}`, `10 ${S} DEBUG: next`]],
    ['a list after its header', `${S} INFO: Enabled extensions:\n['a',\n 'b']`, [`20 ${S} INFO: Enabled extensions:\n['a',\n 'b']`]],
    ['logger.exception: an ERROR header, its traceback and the exception', `ERROR:x:failed\nTraceback (most recent call last):\n  File "a.py", line 1\nKeyError: 'p'\nINFO:x:next`,
      [`40 ERROR:x:failed\nTraceback (most recent call last):\n  File "a.py", line 1\nKeyError: 'p'`, '20 INFO:x:next']],
    ['a CRITICAL record takes its traceback (exc_info=True, Twisted\'s Unhandled error)', `CRITICAL:x:giving up\nTraceback (most recent call last):\n  File "a.py", line 1\nRuntimeError: r\nINFO:x:next`,
      [`50 CRITICAL:x:giving up\nTraceback (most recent call last):\n  File "a.py", line 1\nRuntimeError: r`, '20 INFO:x:next']],
    ['an ERROR or CRITICAL record takes a traceback after one empty line, as Twisted writes it', `${S} CRITICAL: Unhandled error in Deferred:\n\n${TB}\n\n${S} ERROR: x\n\nplain\n${S} ERROR: y\n\n\n${TB}`,
      [`50 ${S} CRITICAL: Unhandled error in Deferred:\n\n${TB}`, `40 ${S} ERROR: x`, '40 plain', `40 ${S} ERROR: y`, `40 ${TB}`]],
    ['an object printed with indentation, from `{` to `}`', `{\n  "a": 1,\n  "b": [\n    2\n  ]\n}\n}\n{\n  "c": 3\n}x\n{\n\n  "d": 4`,
      ['40 {\n  "a": 1,\n  "b": [\n    2\n  ]\n}', '40 }', '40 {\n  "c": 3', '40 }x', '40 {', '40   "d": 4']],
    ['an ERROR record takes a traceback after one empty line; with exc_info and stack_info, the stack after it', `${S} ERROR: x\n\n${TB}\nStack (most recent call last):\n  File "a.py", line 2\n${S} INFO: next`,
      [`40 ${S} ERROR: x\n\n${TB}\nStack (most recent call last):\n  File "a.py", line 2`, `20 ${S} INFO: next`]],
    ['a stack overflow\'s report: runtime lines, the runtime\'s stack, elided frames', `runtime: goroutine stack exceeds 1000000000-byte limit\nruntime: sp=0x1\nfatal error: stack overflow\n\nruntime stack:\nruntime.throw({0x1?, 0x2?})\n\t/go/panic.go:1 +0x5d\n\n${GOROUTINE('1 [running]')}\n...additional frames elided...\n\nplain`,
      [`40 runtime: goroutine stack exceeds 1000000000-byte limit\nruntime: sp=0x1\nfatal error: stack overflow\n\nruntime stack:\nruntime.throw({0x1?, 0x2?})\n\t/go/panic.go:1 +0x5d\n\n${GOROUTINE('1 [running]')}\n...additional frames elided...`, '40 plain']],
    ['a WARNING record does not take one after an empty line', `${S} WARNING: x\n\n${TB}`, [`30 ${S} WARNING: x`, `40 ${TB}`]],
    ['a WARNING record does not: a traceback after it is its own ERROR', `WARNING:x:retrying\nTraceback (most recent call last):\n  File "a.py", line 1\nRuntimeError: r`,
      ['30 WARNING:x:retrying', `40 Traceback (most recent call last):\n  File "a.py", line 1\nRuntimeError: r`]],
    ['a record at any level takes the stack of stack_info=True', `INFO:x:here\nStack (most recent call last):\n  File "a.py", line 1, in <module>\n    f()\nINFO:x:next`,
      [`20 INFO:x:here\nStack (most recent call last):\n  File "a.py", line 1, in <module>\n    f()`, '20 INFO:x:next']],
    ['chained tracebacks, both sentences, are one message', `ERROR:x:failed\n${CHAINED}\nINFO:x:next`, [`40 ERROR:x:failed\n${CHAINED}`, '20 INFO:x:next']],
    ['an uncaught chain of tracebacks is one ERROR', `${CHAINED}\n\nplain`, [`40 ${CHAINED}`, '40 plain']],
    ['an empty line after an exception that no chain follows ends the message, and is not part of it', `${TB}\n\nplain\n${TB}\n\n  [WARN] indented\n${TB}\n\n`,
      [`40 ${TB}`, '40 plain', `40 ${TB}`, '30   [WARN] indented', `40 ${TB}`]],
    ['a chain that breaks off ends where it breaks', `${TB}\n\nThe above exception was the direct cause of the following exception:\n\nplain\n${TB}\n\nDuring handling of the above exception, another exception occurred:\nplain`,
      [`40 ${TB}\n\nThe above exception was the direct cause of the following exception:`, '40 plain', `40 ${TB}\n\nDuring handling of the above exception, another exception occurred:`, '40 plain']],
    ['Twisted\'s traceback: the frames after `--- <exception caught here> ---` and its exception line', `${S} ERROR: Error downloading <GET http://a/>\nTraceback (most recent call last):\n  File "defer.py", line 1, in f\n    x\n--- <exception caught here> ---\n  File "b.py", line 2, in g\n    y\nbuiltins.RuntimeError: db unavailable\n${S} INFO: next`,
      [`40 ${S} ERROR: Error downloading <GET http://a/>\nTraceback (most recent call last):\n  File "defer.py", line 1, in f\n    x\n--- <exception caught here> ---\n  File "b.py", line 2, in g\n    y\nbuiltins.RuntimeError: db unavailable`, `20 ${S} INFO: next`]],
    ['loguru\'s traceback with empty lines and `> File`', `2026-11-25 11:57:31.956 | ERROR    | m:f:1 - failed\nTraceback (most recent call last):\n\n  File "a"\n\n> File "b"\n    x\n\nKeyError: 'p'\n2026-11-25 11:57:31.968 | ERROR    | m:f:2 - next`,
      [`40 2026-11-25 11:57:31.956 | ERROR    | m:f:1 - failed\nTraceback (most recent call last):\n\n  File "a"\n\n> File "b"\n    x\n\nKeyError: 'p'`, '40 2026-11-25 11:57:31.968 | ERROR    | m:f:2 - next']],
    ['zap\'s stack: function lines and tab-indented files', `2026-11-25T11:57:24.138Z\tWARN\tmain.go:22\tretrying\nmain.main\n\t/a/main.go:22\nruntime.main\n\t/b/proc.go:250\n2026-11-25T11:57:24.138Z\tINFO\tmain.go:23\tnext`,
      ['30 2026-11-25T11:57:24.138Z\tWARN\tmain.go:22\tretrying\nmain.main\n\t/a/main.go:22\nruntime.main\n\t/b/proc.go:250', '20 2026-11-25T11:57:24.138Z\tINFO\tmain.go:23\tnext']],
    ['a Ruby backtrace after an ERROR, as Logger writes a message with `e.backtrace` joined after it', `E, [2026-12-07T16:18:13.710092 #1] ERROR -- : invalid value\n<internal:kernel>:173:in \`Float'\n/app/crawl.rb:6:in \`block in <main>'\ncrawl.rb:17:in 'Object#parse_price'\nI, [2026-12-07T16:18:13.710097 #1]  INFO -- : next`,
      ["40 E, [2026-12-07T16:18:13.710092 #1] ERROR -- : invalid value\n<internal:kernel>:173:in `Float'\n/app/crawl.rb:6:in `block in <main>'\ncrawl.rb:17:in 'Object#parse_price'", '20 I, [2026-12-07T16:18:13.710097 #1]  INFO -- : next']],
    ['a Ruby frame joins a record of any level, as Logger writes an exception, and only frames follow it', `W, [2026-12-07T16:18:13.710092 #1]  WARN -- : slow (ArgumentError)\n/app/crawl.rb:6:in \`x'\nplain\n/app/crawl.rb:6:in \`x'\nERROR: failed\n/app/crawl.rb:6:in \`x'\na b.rb:7:in \`y'\nERROR: other files\nconfig.yml:12:in 'production'\nERROR: again\n/app/crawl.rb:7:in \`y': no frame\nERROR: and again\n/app/crawl.rb:7 in \`y'`,
      ["30 W, [2026-12-07T16:18:13.710092 #1]  WARN -- : slow (ArgumentError)\n/app/crawl.rb:6:in `x'", '40 plain', "40 /app/crawl.rb:6:in `x'", "40 ERROR: failed\n/app/crawl.rb:6:in `x'", "40 a b.rb:7:in `y'",
        '40 ERROR: other files', "40 config.yml:12:in 'production'", '40 ERROR: again', "40 /app/crawl.rb:7:in `y': no frame", '40 ERROR: and again', "40 /app/crawl.rb:7 in `y'"]],
    ['a table drawn under a record\'s first line, as Crawlee for Python draws its statistics', '[BeautifulSoupCrawler] INFO  Final request statistics:\n┌──────┬───┐\n│ a    │ 1 │\n├──────┼───┤\n│ b    │ 2 │\n└──────┴───┘\n[BeautifulSoupCrawler] INFO  Finished',
      ['20 [BeautifulSoupCrawler] INFO  Final request statistics:\n┌──────┬───┐\n│ a    │ 1 │\n├──────┼───┤\n│ b    │ 2 │\n└──────┴───┘', '20 [BeautifulSoupCrawler] INFO  Finished']],
    ['a table joins only a record, right after its first line, and only its own lines follow', 'Results:\n┌───┬───┐\n│ 1 │ 2 │\nINFO: x\n╭───┬───╮\n╰───┴───╯\nafter\n│ 2 │\nINFO: y\n{\'a\': 1}\n│ 3 │',
      ['40 Results:', '40 ┌───┬───┐\n│ 1 │ 2 │', '20 INFO: x\n╭───┬───╮\n╰───┴───╯', '40 after', '40 │ 2 │', "20 INFO: y\n{'a': 1}", '40 │ 3 │']],
    ['a box with no columns is no table: a panel, a rule, a bar (rich\'s traceback is a traceback, and a record below ERROR takes none)', 'INFO: starting\n╭──── Traceback (most recent call last) ────╮\n│ crawl.py:3 in <module>                   │\n╰──────────────────────────────────────────╯\nINFO: x\n────────────\nINFO: y\n━━━━━━━━━━ 100%\nINFO: z\n┌──────┐\n│ note │\n└──────┘',
      ['20 INFO: starting', '40 ╭──── Traceback (most recent call last) ────╮\n│ crawl.py:3 in <module>                   │\n╰──────────────────────────────────────────╯',
        '20 INFO: x', '40 ────────────', '20 INFO: y', '40 ━━━━━━━━━━ 100%', '20 INFO: z', '40 ┌──────┐', '40 │ note │', '40 └──────┘']],
    ['rich\'s traceback, a panel: its lines and the exception\'s line after it, after a record at ERROR or on its own, and in a chain', `${RICH_TB}\nnext\n${S} [error    ] parse failed\n${RICH_TB}\n\nThe above exception was the direct cause of the following exception:\n\n${RICH_TB}\n${S} [info     ] done\n╭─ Traceback ─╮\n╰─────────────╯\nERROR: not an exception's line`,
      [`40 ${RICH_TB}`, '40 next', `40 ${S} [error    ] parse failed\n${RICH_TB}\n\nThe above exception was the direct cause of the following exception:\n\n${RICH_TB}`, `20 ${S} [info     ] done`,
        '40 ╭─ Traceback ─╮\n╰─────────────╯', '40 ERROR: not an exception\'s line']],
    ['npm\'s, Chromium\'s and the debug module\'s lines are messages of one line', "npm warn config production Use --omit=dev instead.\n[ 'https://a.example' ]\n[1207/163000.123456:WARNING:x.cc(1)] slow\n(done)\n2026-12-07T16:32:40.083Z pw:api navigating\n{\"error\": \"timeout\"}\n2026-12-07T16:32:40.083Z crawler:parse item {\n  title: 'A book'\n}",
      ['30 npm warn config production Use --omit=dev instead.', "40 [ 'https://a.example' ]", '30 [1207/163000.123456:WARNING:x.cc(1)] slow', '40 (done)',
        '10 2026-12-07T16:32:40.083Z pw:api navigating', '40 {"error": "timeout"}', "10 2026-12-07T16:32:40.083Z crawler:parse item {\n  title: 'A book'\n}"]],
    ['java.util.logging\'s records of two lines, at the level the second names, an exception\'s stack and causes after it', `${JUL}\nINFO: crawl started\n${JUL}\nFINE: fetching\n${JUL}\nCONFIG: 4 threads\n${JUL}\nFINEST: x\n${JUL}\nSEVERE: could not parse price\n${JAVA_STACK}\n\n${JUL}\nWARNING: slow\njava.lang.NullPointerException\n\tat Crawl.main(Crawl.java:5)\n\n${JUL}\nINFO: `,
      [`20 ${JUL}\nINFO: crawl started`, `10 ${JUL}\nFINE: fetching`, `20 ${JUL}\nCONFIG: 4 threads`, `10 ${JUL}\nFINEST: x`, `40 ${JUL}\nSEVERE: could not parse price\n${JAVA_STACK}`,
        `30 ${JUL}\nWARNING: slow\njava.lang.NullPointerException\n\tat Crawl.main(Crawl.java:5)`, `20 ${JUL}\nINFO: `]],
    ['java.util.logging\'s first line takes only a line that opens with one of its level names and `: `, or an indented line', `${JUL}\nhello\n${JUL}\nINFO no colon\n${JUL}\nERRORS: 3\n${JUL}\nInfo: x\n${JUL}\nINFO:x\nDec 7, 2026 5:52:59 PM x\nINFO: y\n${JUL}\n  indented\nINFO: z\nDec 07, 2026 5:52:59 PM\nWARNING: w\n${JUL}\n\nWARNING: v\nDec 07, 2026 5:52:59 PM Backup completed for /data\nINFO: next`,
      [`40 ${JUL}`, '40 hello', `40 ${JUL}`, '20 INFO no colon', `40 ${JUL}`, '40 ERRORS: 3', `40 ${JUL}`, '20 Info: x', `40 ${JUL}`, '20 INFO:x', '40 Dec 7, 2026 5:52:59 PM x', '20 INFO: y',
        `40 ${JUL}\n  indented`, '20 INFO: z', '40 Dec 07, 2026 5:52:59 PM', '30 WARNING: w', `40 ${JUL}`, '30 WARNING: v',
        '40 Dec 07, 2026 5:52:59 PM Backup completed for /data', '20 INFO: next']],
    ['a Java exception right after a record\'s first line, its frames and causes (logback, log4j); an uncaught one\'s causes', `${S} ERROR: could not parse\n${JAVA_STACK}\n${S} INFO: next\nException in thread "main" ${JAVA_STACK}\nplain`,
      [`40 ${S} ERROR: could not parse\n${JAVA_STACK}`, `20 ${S} INFO: next`, `40 Exception in thread "main" ${JAVA_STACK}`, '40 plain']],
    ['only an exception\'s class, right after a WARNING or ERROR record\'s first line, joins it, and a cause only after indented lines', `${S} ERROR: x\nplain\njava.lang.IllegalStateException: no\n${S} ERROR: y\nfoo.bar: no exception\n${S} ERROR: z\nCaused by: java.lang.Error\n${S} ERROR: w\nJava.lang.Error: upper\n${S} ERROR: v\njava.lang.ErrorCode: 3\n${S} WARNING: u\njava.lang.Error\n\tat A.b(A.java:1)\nWrapped by: java.lang.Error\n\tat A.c(A.java:2)\n\nCaused by: java.lang.Error`,
      [`40 ${S} ERROR: x`, '40 plain', '40 java.lang.IllegalStateException: no', `40 ${S} ERROR: y`, '40 foo.bar: no exception', `40 ${S} ERROR: z`, '40 Caused by: java.lang.Error', `40 ${S} ERROR: w`, '40 Java.lang.Error: upper',
        `40 ${S} ERROR: v`, '40 java.lang.ErrorCode: 3', `30 ${S} WARNING: u\njava.lang.Error\n\tat A.b(A.java:1)\nWrapped by: java.lang.Error\n\tat A.c(A.java:2)`, '40 Caused by: java.lang.Error']],
    ['an exception after a record below WARNING is a message of its own, at its stream\'s level (e.printStackTrace() after an INFO line)', `${S} INFO: fetching\njava.lang.NumberFormatException: For input string: "y"\n\tat Ss.main(Ss.java:8)\n${JUL}\nFINE: x\njava.lang.Error`,
      [`20 ${S} INFO: fetching`, '40 java.lang.NumberFormatException: For input string: "y"\n\tat Ss.main(Ss.java:8)', `10 ${JUL}\nFINE: x`, '40 java.lang.Error']],
    ['what Python writes before the traceback of an exception in a thread, in __del__, at exit', `Exception in thread fetcher:\n${TB}\nException ignored in: <function S.__del__ at 0x1>\n${TB}\nError in atexit._run_exitfuncs:\n${TB}\nplain`,
      [`40 Exception in thread fetcher:\n${TB}`, `40 Exception ignored in: <function S.__del__ at 0x1>\n${TB}`, `40 Error in atexit._run_exitfuncs:\n${TB}`, '40 plain']],
    ['such a line takes a traceback right after it, and only a traceback', `Exception in thread main\n${TB}\nException in thread x:\nplain\nException in thread y:\n\n${TB}\nException in thread z:\n  indented`,
      ['40 Exception in thread main', `40 ${TB}`, '40 Exception in thread x:', '40 plain', '40 Exception in thread y:', `40 ${TB}`, '40 Exception in thread z:\n  indented']],
    ['asyncio\'s record at ERROR, its lines of context and the traceback', `ERROR:asyncio:Task exception was never retrieved\nfuture: <Task finished name='Task-2' exception=KeyError('p')>\n${TB}\nERROR:asyncio:Exception in callback f()\nhandle: <Handle f()>\nprotocol: <P>\n${TB}\nINFO:x:next`,
      [`40 ERROR:asyncio:Task exception was never retrieved\nfuture: <Task finished name='Task-2' exception=KeyError('p')>\n${TB}`, `40 ERROR:asyncio:Exception in callback f()\nhandle: <Handle f()>\nprotocol: <P>\n${TB}`, '20 INFO:x:next']],
    ['the same reports where no logging is set up: asyncio\'s, aiohttp\'s, concurrent.futures\', multiprocessing\'s', `Task exception was never retrieved\nfuture: <Task finished>\nsource_traceback: Object created at (most recent call last):\n  File "a.py", line 3, in <module>\n${TB}\nUnclosed client session\nclient_session: <aiohttp.client.ClientSession object at 0x1>\nexception calling callback for <Future at 0x1>\n${TB}\nProcess Process-1:\n${TB}\nProcess finished\n${TB}`,
      [`40 Task exception was never retrieved\nfuture: <Task finished>\nsource_traceback: Object created at (most recent call last):\n  File "a.py", line 3, in <module>\n${TB}`, '40 Unclosed client session\nclient_session: <aiohttp.client.ClientSession object at 0x1>',
        `40 exception calling callback for <Future at 0x1>\n${TB}`, `40 Process Process-1:\n${TB}`, '40 Process finished', `40 ${TB}`]],
    ['what follows indented lines after such a line, as after any: a closing bracket, a Java cause (Java\'s thread is quoted)', `Unclosed connection warning:\n  a: 1\n}\nException in thread "main" java.lang.RuntimeException: failed to parse:\n\tat A.b(A.java:1)\nCaused by: java.lang.Error\nException in thread "main" x:\n${TB}`,
      ['40 Unclosed connection warning:\n  a: 1\n}', '40 Exception in thread "main" java.lang.RuntimeException: failed to parse:\n\tat A.b(A.java:1)\nCaused by: java.lang.Error', '40 Exception in thread "main" x:', `40 ${TB}`]],
    ['an ERROR record takes only asyncio\'s and aiohttp\'s lines of context, not any `name: <…>`', 'ERROR:root:request failed\nurl: <https://example.com/a>\nERROR:root:x\nstatus: <Response [500]>\nERROR:asyncio:Unclosed connector\nconnector: <aiohttp.connector.TCPConnector object at 0x1>\nconnections: <x>\nplain',
      ['40 ERROR:root:request failed', '40 url: <https://example.com/a>', '40 ERROR:root:x', '40 status: <Response [500]>', '40 ERROR:asyncio:Unclosed connector\nconnector: <aiohttp.connector.TCPConnector object at 0x1>\nconnections: <x>', '40 plain']],
    ['asyncio\'s lines of context only after a record at ERROR, and only with a repr', 'WARNING:asyncio:slow\nfuture: <Task pending>\nERROR:x:y\nfuture: tomorrow\nERROR:x:z\nfuture: <Task>\nplain',
      ['30 WARNING:asyncio:slow', '40 future: <Task pending>', '40 ERROR:x:y', '40 future: tomorrow', '40 ERROR:x:z\nfuture: <Task>', '40 plain']],
    ['Rust\'s report of a panic: its message\'s line whatever it names, its backtrace, its note', "thread 'fetcher' (7) panicked at main.rs:13:9:\nERROR: connection reset\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n\nthread 'main' panicked at main.rs:6:42:\nno price\nstack backtrace:\n   0: main::main\n             at ./main.rs:6:42\nnote: Some details are omitted.\nplain\nthread 'main' panicked at 'no price', main.rs:6:42\nnote: run with x\nthread 'main' panicked at main.rs:6:42:\nno price\n  indented\nINFO: a later line",
      ["40 thread 'fetcher' (7) panicked at main.rs:13:9:\nERROR: connection reset\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace",
        "40 thread 'main' panicked at main.rs:6:42:\nno price\nstack backtrace:\n   0: main::main\n             at ./main.rs:6:42\nnote: Some details are omitted.", '40 plain',
        "40 thread 'main' panicked at 'no price', main.rs:6:42\nnote: run with x", "40 thread 'main' panicked at main.rs:6:42:\nno price\n  indented", '20 INFO: a later line']],
    ['Rust\'s report takes one line of message, and after an inline message none', "thread 'main' panicked at main.rs:6:42:\nline one\nline two\nthread 'main' panicked at 'x', main.rs:1:1\nplain\nthe thread 'x' panicked at y",
      ["40 thread 'main' panicked at main.rs:6:42:\nline one", '40 line two', "40 thread 'main' panicked at 'x', main.rs:1:1", '40 plain', "40 the thread 'x' panicked at y"]],
    ['PHP\'s uncaught exception: its stack trace\'s frames and the line after them, after a first line at ERROR only', "PHP Fatal error:  Uncaught Exception: boom in /a.php:3\nStack trace:\n#0 /a.php(5): f()\n#1 {main}\n  thrown in /a.php on line 3\nnext\nPHP Warning:  slow\nStack trace:\n#0 x",
      ['40 PHP Fatal error:  Uncaught Exception: boom in /a.php:3\nStack trace:\n#0 /a.php(5): f()\n#1 {main}\n  thrown in /a.php on line 3', '40 next', '30 PHP Warning:  slow', '40 Stack trace:', '40 #0 x']],
    // Playwright's call log under an error's message, printed or logged, then the stack or a logger's data after an
    // empty line; without them, the empty line ends the message and is not part of it.
    ['Playwright\'s call log, and what follows it after an empty line', `page.goto: Timeout 2000ms exceeded.\nCall log:\n  - navigating to "http://a/", waiting until "load"\n\n    at /app/crawl.mjs:26:14 {\n  name: 'TimeoutError'\n}\nlocator.click: Timeout 1000ms exceeded.\nCall log:\n  - waiting for locator('#missing')\n\nnext\nWARN  PlaywrightCrawler: Reclaiming failed request. page.goto: Timeout 2000ms exceeded.\nCall log:\n  - navigating to "http://a/"\n\n {"id":"x","retryCount":1}\nplain\nCall log: not alone\nCall log:\n\n\nnext`,
      [`40 page.goto: Timeout 2000ms exceeded.\nCall log:\n  - navigating to "http://a/", waiting until "load"\n\n    at /app/crawl.mjs:26:14 {\n  name: 'TimeoutError'\n}`, "40 locator.click: Timeout 1000ms exceeded.\nCall log:\n  - waiting for locator('#missing')", '40 next',
        '30 WARN  PlaywrightCrawler: Reclaiming failed request. page.goto: Timeout 2000ms exceeded.\nCall log:\n  - navigating to "http://a/"\n\n {"id":"x","retryCount":1}', '40 plain', '40 Call log: not alone\nCall log:', '40 next']],
    // Playwright's strict mode violation: the elements, an empty line, the call log; without a call log, the empty
    // line ends it; a line that only ends as it does starts nothing.
    ['Playwright\'s strict mode violation, and its call log after an empty line', `locator.click: Error: strict mode violation: locator('a') resolved to 2 elements:\n    1) <a>one</a>\n    2) <a>two</a>\n\nCall log:\n  - waiting for locator('a')\n\n    at /app/a.mjs:6:33 {\n  log: []\n}\nWARN  X: locator.click: Error: strict mode violation: locator('a') resolved to 2 elements:\n    1) <a>one</a>\n\nnext\nfound 3 elements:\n\nCall log:`,
      [`40 locator.click: Error: strict mode violation: locator('a') resolved to 2 elements:\n    1) <a>one</a>\n    2) <a>two</a>\n\nCall log:\n  - waiting for locator('a')\n\n    at /app/a.mjs:6:33 {\n  log: []\n}`, "30 WARN  X: locator.click: Error: strict mode violation: locator('a') resolved to 2 elements:\n    1) <a>one</a>", '40 next', '40 found 3 elements:', '40 Call log:']],
    // Playwright's advice in a panel drawn in double lines under its error, then the stack; a panel that is not one.
    ['Playwright\'s advice in a panel under its error', `launch failed: browserType.launch: Executable doesn't exist at /x\n\u2554\u2550\u2550\u2550\u2557\n\u2551 npx playwright install \u2551\n\u255a\u2550\u2550\u2550\u255d\n    at /app/a.mjs:5:30 {\n  name: 'Error'\n}\nnext\n\u2554\u2550 x \u2557\nplain`,
      [`40 launch failed: browserType.launch: Executable doesn't exist at /x\n\u2554\u2550\u2550\u2550\u2557\n\u2551 npx playwright install \u2551\n\u255a\u2550\u2550\u2550\u255d\n    at /app/a.mjs:5:30 {\n  name: 'Error'\n}`, '40 next', '40 \u2554\u2550 x \u2557', '40 plain']],
    // In Python, after the traceback's exception; after the call log's empty line, only a stack or a logger's data.
    ['Playwright\'s call log in Python, and what its empty line does not take', `${TB.replace("KeyError: 'p'", 'playwright._impl._errors.TimeoutError: Page.goto: Timeout 1000ms exceeded.')}\nCall log:\n  - navigating to "https://x/", waiting until "load"\npage.goto: x\nCall log:\n  - step\n\n WARN  next record\n  indented print`,
      [`40 ${TB.replace("KeyError: 'p'", 'playwright._impl._errors.TimeoutError: Page.goto: Timeout 1000ms exceeded.')}\nCall log:\n  - navigating to "https://x/", waiting until "load"`, '40 page.goto: x\nCall log:\n  - step', '40  WARN  next record\n  indented print']],
    // Selenium's exceptions: chromedriver's stack in their text, after a record's first line (at any level), after its
    // indented lines, after a traceback's exception; not after a line that names no level, nor a line that only opens so.
    ['chromedriver\'s stack in an exception\'s text, wherever Python writes it', `${S} WARNING: retrying: Message: \nStacktrace:\n#0 0x55cf398e3e0e <unknown>\n#1 0x7f12930ae1f5 <unknown>\n\n${S} ERROR: missing: Message: no such element\n  (Session info: chrome=156.0)\nStacktrace:\n#0 0x1 <unknown>\n${TB}\nStacktrace:\n#0 0x1 <unknown>\nplain\nStacktrace:\n#0 0x1 <unknown>\n${S} INFO: Stacktrace: none\nStacktrace: none`,
      [`30 ${S} WARNING: retrying: Message: \nStacktrace:\n#0 0x55cf398e3e0e <unknown>\n#1 0x7f12930ae1f5 <unknown>`, `40 ${S} ERROR: missing: Message: no such element\n  (Session info: chrome=156.0)\nStacktrace:\n#0 0x1 <unknown>`,
        `40 ${TB}\nStacktrace:\n#0 0x1 <unknown>`, '40 plain\nStacktrace:\n#0 0x1 <unknown>', `20 ${S} INFO: Stacktrace: none`, '40 Stacktrace: none']],
    // Printed with print(e) (a timeout's text opens with `Message: `), with chromedriver's cause, in a chain, and the
    // frames of other drivers' stacks: geckodriver's, chromedriver's on macOS.
    ['Selenium\'s exceptions printed, with a cause, in a chain, and with other drivers\' frames', `Message: \nStacktrace:\n#0 0x5 <unknown>\n#1 0x6 <unknown>\n\n${S} ERROR: closed: Message: no such window: target window already closed\nfrom unknown error: web view not found\n  (Session info: chrome=156.0)\nStacktrace:\n#0 0x1 <unknown>\n${TB}\nfrom tab crashed\nStacktrace:\n#0 0x1 <unknown>\n\nThe above exception was the direct cause of the following exception:\n\n${TB}\nMessage: x\nStacktrace:\nRemoteError@chrome://remote/content/shared/RemoteError.sys.mjs:8:8\nWebDriverError@chrome://remote/content/shared/webdriver/Errors.sys.mjs:193:5\nMessage: y\nStacktrace:\n0   chromedriver                        0x0000000104a3f9c8 chromedriver + 4927688\n1   chromedriver                        0x0000000104a37e33 chromedriver + 4896307\nnext`,
      ['40 Message: \nStacktrace:\n#0 0x5 <unknown>\n#1 0x6 <unknown>', `40 ${S} ERROR: closed: Message: no such window: target window already closed\nfrom unknown error: web view not found\n  (Session info: chrome=156.0)\nStacktrace:\n#0 0x1 <unknown>`,
        `40 ${TB}\nfrom tab crashed\nStacktrace:\n#0 0x1 <unknown>\n\nThe above exception was the direct cause of the following exception:\n\n${TB}`,
        '40 Message: x\nStacktrace:\nRemoteError@chrome://remote/content/shared/RemoteError.sys.mjs:8:8\nWebDriverError@chrome://remote/content/shared/webdriver/Errors.sys.mjs:193:5',
        '40 Message: y\nStacktrace:\n0   chromedriver                        0x0000000104a3f9c8 chromedriver + 4927688\n1   chromedriver                        0x0000000104a37e33 chromedriver + 4896307', '40 next']],
    ['a shell\'s trace line is a message of one line: what the traced command prints follows it at the margin', "+ python3 -c 'print({1: 2})'\n{1: 2}\n+ cat items.json\n[\n  1\n]",
      ["10 + python3 -c 'print({1: 2})'", '40 {1: 2}', '10 + cat items.json', '40 [\n  1\n]']],
    ['a Python warning with empty lines, its source line and the empty line after it', `${S} WARNING: /a/b.py:232: ScrapyDeprecationWarning: old\n\nmore text\n\nsee docs\n  return cls(crawler)\n\n${S} DEBUG: next`,
      [`30 ${S} WARNING: /a/b.py:232: ScrapyDeprecationWarning: old\n\nmore text\n\nsee docs\n  return cls(crawler)\n`, `10 ${S} DEBUG: next`]],
    ['joblib\'s pool names its own', `joblib.externals.loky.process_executor._RemoteTraceback: \n\"\"\"\n${TB}\n\"\"\"\nnext\na RemoteTraceback:\n\"\"\"`,
      [`40 joblib.externals.loky.process_executor._RemoteTraceback: \n\"\"\"\n${TB}\n\"\"\"`, '40 next', '40 a RemoteTraceback:', '40 \"\"\"']],
    ['a worker\'s exception passed on by a process pool: its traceback between quotes, then the chain', `multiprocessing.pool.RemoteTraceback: \n\"\"\"\n${TB}\n\n\"\"\"\n\nThe above exception was the direct cause of the following exception:\n\n${TB}\nnext\n${S} ERROR: failed\nconcurrent.futures.process._RemoteTraceback: \n\"\"\"\n${TB}\n\"\"\"\nnext\nmultiprocessing.pool.RemoteTraceback: not alone\n\"\"\"`,
      [`40 multiprocessing.pool.RemoteTraceback: \n\"\"\"\n${TB}\n\n\"\"\"\n\nThe above exception was the direct cause of the following exception:\n\n${TB}`, '40 next', `40 ${S} ERROR: failed\nconcurrent.futures.process._RemoteTraceback: \n\"\"\"\n${TB}\n\"\"\"`, '40 next', '40 multiprocessing.pool.RemoteTraceback: not alone', '40 \"\"\"']],
    ['a warning from code with no file, and its note', 'sys:1: ResourceWarning: unclosed <socket.socket fd=3>\nResourceWarning: Enable tracemalloc to get the object allocation traceback\nnext',
      ['30 sys:1: ResourceWarning: unclosed <socket.socket fd=3>\nResourceWarning: Enable tracemalloc to get the object allocation traceback', '40 next']],
    ['a warning of an object: the note after its source line, or where the object was made, and nothing else', `a.py:5: RuntimeWarning: coroutine 'f' was never awaited\n  f()\nRuntimeWarning: Enable tracemalloc to get the object allocation traceback\nnext\na.py:6: ResourceWarning: unclosed file\n  del f\nObject allocated at (most recent call last):\n  File "a.py", lineno 5\n    f = open('x')\nnext\na.py:7: UserWarning: x\n  warn()\nRuntimeWarning: Enable tracemalloc to get the object allocation traceback, said twice\nTask was destroyed but it is pending!\ntask: <Task pending name='Task-2' coro=<f() done>>\nnext`,
      [`30 a.py:5: RuntimeWarning: coroutine 'f' was never awaited\n  f()\nRuntimeWarning: Enable tracemalloc to get the object allocation traceback`, '40 next', `30 a.py:6: ResourceWarning: unclosed file\n  del f\nObject allocated at (most recent call last):\n  File "a.py", lineno 5\n    f = open('x')`, '40 next',
        '30 a.py:7: UserWarning: x\n  warn()', '40 RuntimeWarning: Enable tracemalloc to get the object allocation traceback, said twice', "40 Task was destroyed but it is pending!\ntask: <Task pending name='Task-2' coro=<f() done>>", '40 next']],
    ['a warning from code with no file has no source line to take; one whose source line is missing takes no traceback', `<string>:1: FutureWarning: old option\nfetched page 1\nhelpers.py:3: DeprecationWarning: old\nfetched page 2\n${TB}`,
      ['30 <string>:1: FutureWarning: old option', '40 fetched page 1', '30 helpers.py:3: DeprecationWarning: old\nfetched page 2', `40 ${TB}`]],
    ['a plain line never joins a record', `${S} INFO: Spider opened\nhello from print\n${S} INFO: Overridden settings:\nplain\n{'a': 1}`,
      [`20 ${S} INFO: Spider opened`, '40 hello from print', `20 ${S} INFO: Overridden settings:`, '40 plain', "40 {'a': 1}"]],
    ['a Go-like line after an INFO record stands alone', `${S} INFO: x\nexample.com`, [`20 ${S} INFO: x`, '40 example.com']],
    ['a dotted word after a WARNING or ERROR line that is not zap\'s stands alone', 'WARNING: slow host\nexample.com\nERROR: failed to parse\npage.html\nv1.2.3',
      ['30 WARNING: slow host', '40 example.com', '40 ERROR: failed to parse', '40 page.html', '40 v1.2.3']],
    ['what util.inspect prints over several lines, to its closing line', 'request failed: {\n  url: \'u\',\n  headers: { a: 1 }\n}\n[\n  1,\n  2\n]\nError: x\n    at f (a.js:1:1) {\n  code: \'E\'\n})\nnext',
      ['40 request failed: {\n  url: \'u\',\n  headers: { a: 1 }\n}', '40 [\n  1,\n  2\n]', '40 Error: x\n    at f (a.js:1:1) {\n  code: \'E\'\n})', '40 next']],
    ['a closing line joins only after indented lines, and opens with `}` or `]`', 'x\n}\ny\n  z\n}x\n  w\n}\n}\nv\n  u\n);',
      ['40 x', '40 }', '40 y\n  z', '40 }x\n  w\n}', '40 }', '40 v\n  u', '40 );']],
    ['Go\'s report of a panic, its goroutines and the empty lines between them', `panic: boom\n\n${GOROUTINE('1 [running]')}\n\n${GOROUTINE('6 [sleep]')}\ncreated by main.main\n\tmain.go:9 +0x1\n\nexit status 2`,
      [`50 panic: boom\n\n${GOROUTINE('1 [running]')}\n\n${GOROUTINE('6 [sleep]')}\ncreated by main.main\n\tmain.go:9 +0x1`, '40 exit status 2']],
    ['a line after a panic\'s stack that reads as a call only up to its first space', `panic: boom\n\n${GOROUTINE('1 [running]')}\nmain (exited) with status (2)`,
      [`50 panic: boom\n\n${GOROUTINE('1 [running]')}`, '40 main (exited) with status (2)']],
    ['a runtime error\'s signal line, a call with spaces in its arguments', `panic: runtime error: invalid memory address or nil pointer dereference\n[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x1]\n\n${GOROUTINE('1 [running]')}\npanic({0x48e200?, 0xc00009a030?})\n\t/usr/lib/go/panic.go:1 +0x1`,
      [`50 panic: runtime error: invalid memory address or nil pointer dereference\n[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x1]\n\n${GOROUTINE('1 [running]')}\npanic({0x48e200?, 0xc00009a030?})\n\t/usr/lib/go/panic.go:1 +0x1`]],
    ['the runtime\'s fatal error, and an empty line no goroutine follows', `fatal error: all goroutines are asleep - deadlock!\n\n${GOROUTINE('1 [chan receive]')}\n\nplain`,
      [`40 fatal error: all goroutines are asleep - deadlock!\n\n${GOROUTINE('1 [chan receive]')}`, '40 plain']],
    ['an indented line that continues nothing has its level read after its indentation (consola)', '\n WARN  No price\n\n\n ERROR  Request failed\n\n    at cf.mjs:6:15\nnext\n  WARN  joins',
      ['30  WARN  No price', '40  ERROR  Request failed', '40     at cf.mjs:6:15', '40 next\n  WARN  joins']],
    ['... only so: not a help text\'s or YAML\'s indented lines', 'Environment:\n\n  DEBUG          enable debug output\nconfig:\n\n  debug: true\n\n WARN slow',
      ['40 Environment:', '40   DEBUG          enable debug output', '40 config:', '40   debug: true', '40  WARN slow']],
    ['an exception group\'s traceback starts a message of its own after a record below ERROR or any line, and joins one at ERROR, whole', `${S} INFO: crawl started\n  + Exception Group Traceback (most recent call last):\n  |   File "a.py", line 1\n  | ExceptionGroup: unhandled errors (1 sub-exception)\n+-+---------------- 1 ----------------\n    | ValueError: no price\n    +------------------------------------\nplain\n  + Exception Group Traceback (most recent call last):\n  |   File "a.py", line 1\n  | ExceptionGroup: unhandled errors (1 sub-exception)\n+-+---------------- 1 ----------------\n    | ValueError: no price\n    +------------------------------------\n${S} ERROR: failed\n  + Exception Group Traceback (most recent call last):\n  |   File "a.py", line 1\n  | ExceptionGroup: unhandled errors (1 sub-exception)\n+-+---------------- 1 ----------------\n    | ValueError: no price\n    +------------------------------------\nplain`,
      [`20 ${S} INFO: crawl started`, '40   + Exception Group Traceback (most recent call last):\n  |   File "a.py", line 1\n  | ExceptionGroup: unhandled errors (1 sub-exception)\n+-+---------------- 1 ----------------\n    | ValueError: no price\n    +------------------------------------', '40 plain', '40   + Exception Group Traceback (most recent call last):\n  |   File "a.py", line 1\n  | ExceptionGroup: unhandled errors (1 sub-exception)\n+-+---------------- 1 ----------------\n    | ValueError: no price\n    +------------------------------------', `40 ${S} ERROR: failed\n  + Exception Group Traceback (most recent call last):\n  |   File "a.py", line 1\n  | ExceptionGroup: unhandled errors (1 sub-exception)\n+-+---------------- 1 ----------------\n    | ValueError: no price\n    +------------------------------------`, '40 plain']],
    ['an empty line ends a record', `${S} INFO: x\n\n{'a': 1}`, [`20 ${S} INFO: x`, "40 {'a': 1}"]],
    ['Node\'s report of its heap full, with the empty lines in it, at CRITICAL; the empty lines after it are not part of it', `\n${HEAP_FULL}\n\n\nAborted`,
      [`50 ${HEAP_FULL}`, '40 Aborted']],
    ['V8\'s garbage collections as its ring buffer prints them: the first cut off at its start, two on one line', '<--- Last few GCs --->\nn [5622:0x1e135240]  179 ms: Mark-sweep\nfinalize incremen[1:0x2]  1 ms: x\n\nFATAL ERROR: Ineffective mark-compacts near heap limit Allocation failed - JavaScript heap out of memory\n 1: 0xa3ad50 node::Abort() [node]\nplain',
      ['50 <--- Last few GCs --->\nn [5622:0x1e135240]  179 ms: Mark-sweep\nfinalize incremen[1:0x2]  1 ms: x\n\nFATAL ERROR: Ineffective mark-compacts near heap limit Allocation failed - JavaScript heap out of memory\n 1: 0xa3ad50 node::Abort() [node]', '40 plain']],
    ['V8\'s report of another fatal error, from its banner\'s `#` or from its second line', `${V8_FATAL}\nTrace/breakpoint trap\n${V8_FATAL.slice(2)}\nplain\nFATAL ERROR: v8::ToLocalChecked Empty MaybeLocal\n----- Native stack trace -----\n\n 1: 0x1  [node]`,
      [`50 ${V8_FATAL}`, '40 Trace/breakpoint trap', `50 ${V8_FATAL.slice(2)}`, '40 plain', '50 FATAL ERROR: v8::ToLocalChecked Empty MaybeLocal\n----- Native stack trace -----\n\n 1: 0x1  [node]']],
    ['after a record\'s first line, a repr or JSON opens a dict, a list or a tuple: not a bracket before a word, or before a number it does not close', `${S} INFO: Overridden settings:\n{'BOT_NAME': 'books'}\n${S} INFO: x\n{\n  "a": 1\n}\n${S} INFO: Enabled:\n['a',\n 'b']\n${S} INFO: y\n[start] crawling\n${S} INFO: z\n[1/3] page\n${S} WARNING: w\n(retrying later)\n${S} INFO: v\n{}\n${S} INFO: u\n("a", 1)\n${S} INFO: t\n[[1]]\n${S} INFO: IDs:\n[1, 2, 3]\n${S} INFO: s\n(1.5,\n 2.5)\n${S} INFO: r\n[1] error: 42 pages`,
      [`20 ${S} INFO: Overridden settings:\n{'BOT_NAME': 'books'}`, `20 ${S} INFO: x\n{\n  "a": 1\n}`, `20 ${S} INFO: Enabled:\n['a',\n 'b']`, `20 ${S} INFO: y`, '40 [start] crawling', `20 ${S} INFO: z`, '40 [1/3] page',
        `30 ${S} WARNING: w`, '40 (retrying later)', `20 ${S} INFO: v\n{}`, `20 ${S} INFO: u\n("a", 1)`, `20 ${S} INFO: t\n[[1]]`, `20 ${S} INFO: IDs:\n[1, 2, 3]`, `20 ${S} INFO: s\n(1.5,\n 2.5)`, `20 ${S} INFO: r`, '40 [1] error: 42 pages']],
    ['after a record\'s first line, an object\'s repr as dataclasses write it (Scrapy\'s `Scraped from`), a class\'s name first', `${S} DEBUG: Scraped from <200 http://a/1>\nProduct(url='http://a/1', price=1.99)\n${S} DEBUG: x\nproduct(url)\n${S} DEBUG: y\nDone(3) pages`,
      [`10 ${S} DEBUG: Scraped from <200 http://a/1>\nProduct(url='http://a/1', price=1.99)`, `10 ${S} DEBUG: x`, '40 product(url)', `10 ${S} DEBUG: y`, '40 Done(3) pages']],
    ['Python\'s report of a syntax error in the script it runs: its indented lines, then the error', '  File "/app/crawl.py", line 2\n    if True\n           ^\nSyntaxError: expected \':\'\n\n  File "a.py", line 1\n    x = 1\nIndentationError: unexpected indent\nSyntaxError: alone',
      ['40   File "/app/crawl.py", line 2\n    if True\n           ^\nSyntaxError: expected \':\'', '40   File "a.py", line 1\n    x = 1\nIndentationError: unexpected indent', '40 SyntaxError: alone']],
    ['what one console.log call printed after an object, on its closing line', 'Scraped {\n  a: 1\n} in 132 ms\nFailed: [\n  1\n]) - giving up\nx\n  y\n}x',
      ['40 Scraped {\n  a: 1\n} in 132 ms', '40 Failed: [\n  1\n]) - giving up', '40 x\n  y', '40 }x']],
    ['after zap\'s record, only a Go function: not a URL, a version, a sentence', `1\tERROR\tmain.go:1\tfailed\nhttps://example.com/a\n1\tERROR\tmain.go:1\tfailed\nDone.\n1\tERROR\tmain.go:1\tfailed\nv1.2.3\n1\tERROR\tmain.go:1\tfailed\nmain.Map[...]\n\t/a/main.go:9\ngithub.com/a/b.(*T).Get\n\t/a/b.go:3`,
      ['40 1\tERROR\tmain.go:1\tfailed', '40 https://example.com/a', '40 1\tERROR\tmain.go:1\tfailed', '40 Done.', '40 1\tERROR\tmain.go:1\tfailed', '40 v1.2.3', '40 1\tERROR\tmain.go:1\tfailed\nmain.Map[...]\n\t/a/main.go:9\ngithub.com/a/b.(*T).Get\n\t/a/b.go:3']],
    ['zap\'s stack of closures and inits: a number after a name', '1\tERROR\tmain.go:1\tfailed\nmain.crawl.func1.1\n\t/a/main.go:30\nmain.init.0\n\t/a/main.go:9\n1\tERROR\tmain.go:1\tfailed\nv1.2.3',
      ['40 1\tERROR\tmain.go:1\tfailed\nmain.crawl.func1.1\n\t/a/main.go:30\nmain.init.0\n\t/a/main.go:9', '40 1\tERROR\tmain.go:1\tfailed', '40 v1.2.3']],
    ['a table drawn with box-drawing characters, on its own (console.table, rich): its lines, up to a line that opens otherwise', '┌───┬───┐\n│ a │ b │\n└───┴───┘\nnext\n┌───┐\n│ a │',
      ['40 ┌───┬───┐\n│ a │ b │\n└───┴───┘', '40 next', '40 ┌───┐', '40 │ a │']],
    ['a FATAL ERROR of a program\'s own is no report of V8\'s: it takes no empty lines, nor `#` lines', 'FATAL ERROR: config file missing\n\n# Usage\n\n#   crawl --config FILE',
      ['50 FATAL ERROR: config file missing', '40 # Usage', '40 #   crawl --config FILE']],
    ['a `#` alone, and a FATAL ERROR of a program\'s own, take none of the lines that follow them', '#\n# Section\n#\n  indented\n}\nFATAL ERROR: db down\n[2026-12-07 10:00:00] INFO next\nFATAL ERROR: y\n\n12 pages',
      ['40 #', '40 # Section', '40 #\n  indented\n}', '50 FATAL ERROR: db down', '20 [2026-12-07 10:00:00] INFO next', '50 FATAL ERROR: y', '40 12 pages']],
  ])('%s', (_name, text, expected) => {
    expect(records(text)).toEqual(expected);
  });

  describe('Python\'s rich logging handler', () => {
    const T = '[12/07/26 20:24:59] ';
    const BLANK = ' '.repeat(T.length);
    it('a record whose time is left blank starts a message of its own, at its level; the lines indented under it join', () => {
      expect(records(`${T}DEBUG    fetching   a.py:10\n${BLANK}INFO     started   a.py:11\n${BLANK}WARNING  slow\n${BLANK}         response\n` +
        `${BLANK}ERROR    failed\n${BLANK}         ╭─ Traceback ─╮\n${BLANK}         ╰─────────────╯\n${BLANK}CRITICAL giving up\n${BLANK}NOTICE   custom\n${T}INFO     next second`)).toEqual([
        `10 ${T}DEBUG    fetching   a.py:10`, `20 ${BLANK}INFO     started   a.py:11`, `30 ${BLANK}WARNING  slow\n${BLANK}         response`,
        `40 ${BLANK}ERROR    failed\n${BLANK}         ╭─ Traceback ─╮\n${BLANK}         ╰─────────────╯`, `50 ${BLANK}CRITICAL giving up`, `20 ${BLANK}NOTICE   custom`, `20 ${T}INFO     next second`]);
    });

    it('after any message once a record whose time is left blank has followed one with its time: a table, a traceback rich did not draw', () => {
      expect(records(`${T}INFO     table\n${BLANK}INFO     books\nBooks:\n┌───┬───┐\n└───┴───┘\n${BLANK}INFO     after\n${BLANK}ERROR    failed\nTraceback (most recent call last):\n  File "a.py", line 1\nKeyError: 'p'\n${BLANK}INFO     done`)).toEqual([
        `20 ${T}INFO     table`, `20 ${BLANK}INFO     books`, '40 Books:', '40 ┌───┬───┐\n└───┴───┘', `20 ${BLANK}INFO     after`, `40 ${BLANK}ERROR    failed\nTraceback (most recent call last):\n  File "a.py", line 1\nKeyError: 'p'`, `20 ${BLANK}INFO     done`]);
    });

    it('only a level at the column of the stream\'s records, padded as rich pads it, and only after such a record', () => {
      const far = `[${'a long bracketed name, no time at all'.repeat(2)}] `;
      expect(records(`${far}INFO     x\n${' '.repeat(far.length)}INFO     y`)).toEqual([`20 ${far}INFO     x\n${' '.repeat(far.length)}INFO     y`]);
      // An empty line ends the record: what its first line said is gone with it.
      expect(records(`${T}INFO     x\n\n${BLANK}WARNING  y\n${BLANK}ERROR    z`)).toEqual([`20 ${T}INFO     x`, `40 ${BLANK}WARNING  y\n${BLANK}ERROR    z`]);
      expect(records(`${T}INFO     x\nBooks:\n┌───┬───┐\n└───┴───┘\n${BLANK}INFO     after`)).toEqual([`20 ${T}INFO     x`, '40 Books:', `40 ┌───┬───┐\n└───┴───┘\n${BLANK}INFO     after`]);
      const lines = `${BLANK}INFO     before any record\n${T}INFO     first\n${BLANK} INFO    one column off\n${BLANK}INFO x\n${BLANK}INFO    one space short\n${BLANK}Info     lower case\n${BLANK}INFORMAL word\n  INFO     a shorter indent`;
      expect(records(lines)).toEqual([`40 ${BLANK}INFO     before any record`, `20 ${T}INFO     first\n${BLANK} INFO    one column off\n${BLANK}INFO x\n${BLANK}INFO    one space short\n${BLANK}Info     lower case\n${BLANK}INFORMAL word\n  INFO     a shorter indent`]);
    });

    it('another logger\'s level padded the same way keeps its tracebacks; without level detection the platform\'s rule holds', () => {
      expect(records(`[2026-12-07 10:00:00] ERROR    failed\n  File "a.py", line 1\n    INFO     x`)).toEqual([`40 [2026-12-07 10:00:00] ERROR    failed\n  File "a.py", line 1\n    INFO     x`]);
      expect(group([`${T}INFO     first`, `${BLANK}INFO     second`])).toEqual([`${T}INFO     first\n${BLANK}INFO     second`]);
    });
  });

  it('java.util.logging\'s first line in every month, and not in a month of another language', () => {
    const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    const text = [...months, 'Okt'].map((month) => `${month} 07, 2026 5:52:59 PM Crawl main\nWARNING: x`).join('\n');
    expect(records(text)).toEqual([...months.map((month) => `30 ${month} 07, 2026 5:52:59 PM Crawl main\nWARNING: x`), '40 Okt 07, 2026 5:52:59 PM Crawl main', '30 WARNING: x']);
  });

  const HINT = '(Use `node --trace-warnings ...` to show where the warning was created)';
  const TLS = "(node:9249) Warning: Setting the NODE_TLS_REJECT_UNAUTHORIZED environment variable to '0' makes TLS connections insecure.";
  it.each([
    ['a Node warning and the hint after it', `${TLS}\n${HINT}\n(node:9249) [DEP0005] DeprecationWarning: Buffer() is deprecated\nconnection refused`,
      [`30 ${TLS}\n${HINT}`, '30 (node:9249) [DEP0005] DeprecationWarning: Buffer() is deprecated', '40 connection refused']],
    ['Node 14\'s unhandled rejection warning: its stack, then the hint', `(node:8541) UnhandledPromiseRejectionWarning: TypeError: bad url\n    at crawl (file:///a.mjs:1:32)\n${HINT}\n(node:8541) [DEP0018] DeprecationWarning: x`,
      [`30 (node:8541) UnhandledPromiseRejectionWarning: TypeError: bad url\n    at crawl (file:///a.mjs:1:32)\n${HINT}`, '30 (node:8541) [DEP0018] DeprecationWarning: x']],
    ['a line opening with `(` after a Node warning stands alone', '(node:1) Warning: w\n(cached) page 2', ['30 (node:1) Warning: w', '40 (cached) page 2']],
  ])('%s', (_name, text, expected) => {
    expect(records(text)).toEqual(expected);
  });

  const FOOTER = 'Node.js v20.20.2';
  const STACK = '    at parsePrice (/app/crawl.js:6:34)\n    at listOnTimeout (node:internal/timers:581:17)';
  it.each([
    ['an Error thrown in a callback', `parsing\n/app/crawl.js:6\n  if (!price) throw new Error('no price');\n              ^\n\nError: no price\n${STACK}\n\n${FOOTER}\nexited with status 1`,
      ['40 parsing', `40 /app/crawl.js:6\n  if (!price) throw new Error('no price');\n              ^\n\nError: no price\n${STACK}\n\n${FOOTER}`, '40 exited with status 1']],
    ['an ES module\'s error with a field of its own', `file:///app/crawl.mjs:7\nthrow new ConfigError('x');\n      ^\n\nConfigError: x\n${STACK} {\n  code: 'E_CONFIG'\n}\n\n${FOOTER}`,
      [`40 file:///app/crawl.mjs:7\nthrow new ConfigError('x');\n      ^\n\nConfigError: x\n${STACK} {\n  code: 'E_CONFIG'\n}\n\n${FOOTER}`]],
    ['an unhandled \'error\' event', `node:events:502\n      throw er; // Unhandled 'error' event\n      ^\n\nError: connect ECONNREFUSED\n${STACK}\nEmitted 'error' event on Socket instance at:\n${STACK} {\n  errno: -111\n}\n\n${FOOTER}`,
      [`40 node:events:502\n      throw er; // Unhandled 'error' event\n      ^\n\nError: connect ECONNREFUSED\n${STACK}\nEmitted 'error' event on Socket instance at:\n${STACK} {\n  errno: -111\n}\n\n${FOOTER}`]],
    ['a thrown string, at column 0, with lines naming levels', `/app/crawl.js:3\nthrow 'WARNING: rate limited';\n^\nWARNING: rate limited\n(Use \`node --trace-uncaught ...\` to show where the exception was thrown)\n\n${FOOTER}\nWARNING: next`,
      [`40 /app/crawl.js:3\nthrow 'WARNING: rate limited';\n^\nWARNING: rate limited\n(Use \`node --trace-uncaught ...\` to show where the exception was thrown)\n\n${FOOTER}`, '30 WARNING: next']],
    ['a message with an empty line in it', `/app/crawl.js:3\n  throw e;\n  ^\n\nError: first\n\nthird\n${STACK}\n\n${FOOTER}`,
      [`40 /app/crawl.js:3\n  throw e;\n  ^\n\nError: first\n\nthird\n${STACK}\n\n${FOOTER}`]],
    ['Node 16\'s report, with no version line: the next line stands alone', `/app/crawl.js:6\n  throw e;\n  ^\n\nError: x\n${STACK}\nexited with status 1\n  indented`,
      [`40 /app/crawl.js:6\n  throw e;\n  ^\n\nError: x\n${STACK}`, '40 exited with status 1\n  indented']],
    ['Node 16\'s report of a thrown string, with no version line: the next line stands alone', `/app/crawl.js:3\nthrow 'x';\n^\nx\n(Use \`node --trace-uncaught ...\` to show where the exception was thrown)\nexited with status 1`,
      ['40 /app/crawl.js:3\nthrow \'x\';\n^\nx\n(Use `node --trace-uncaught ...` to show where the exception was thrown)', '40 exited with status 1']],
    ['a report\'s stack and then an empty line, with no version line', `/app/crawl.js:6\n  throw e;\n  ^\n\nError: x\n${STACK}\n\nnext`,
      [`40 /app/crawl.js:6\n  throw e;\n  ^\n\nError: x\n${STACK}\n`, '40 next']],
    ['a header with no arrow takes its next line only', '/api/items:3\nsecond\nthird\n\nError: x', ['40 /api/items:3\nsecond', '40 third', '40 Error: x']],
    ['a header with an indented line for an arrow: the platform\'s rule', '/app/a.js:3\n  x\n  y\nnext', ['40 /app/a.js:3\n  x\n  y', '40 next']],
    ['a header then an empty line', '/app/a.js:3\n\nnext', ['40 /app/a.js:3', '40 next']],
    ['no header: spaces, no line number, another start', '/usr/bin/x failed at 3:12\nnext\n/app/a.js\nnext\nfile:/a.js:3\nnext\nnode: exited:3\nnext',
      ['40 /usr/bin/x failed at 3:12', '40 next', '40 /app/a.js', '40 next', '40 file:/a.js:3', '40 next', '40 node: exited:3', '40 next']],
    ['a report right after a record', `ERROR: failed\n/app/a.js:3\n  throw e;\n  ^\n\nError: x\n\n${FOOTER}`, ['40 ERROR: failed', `40 /app/a.js:3\n  throw e;\n  ^\n\nError: x\n\n${FOOTER}`]],
  ])('Node\'s report of an uncaught exception: %s', (_name, text, expected) => {
    expect(records(text)).toEqual(expected);
  });

  it('without detection, groups by the platform\'s rule only', () => {
    expect(group(['ERROR:x:failed', 'Traceback (most recent call last):', '  File "a"', "KeyError: 'p'"]))
      .toEqual(['ERROR:x:failed', 'Traceback (most recent call last):\n  File "a"', "KeyError: 'p'"]);
  });
});

// git writes the remote a push or a fetch went to, then one indented line per ref (tool-progress.ts): INFO, as its
// other progress on stderr, when each line under the remote is one of git's and none failed (` ! `); an ERROR when one
// failed, wherever it stands; and any other message, at its stream's level, when a line under it is not git's.
describe('git\'s pushes and fetches', () => {
  function streamRecords(lines: string[], level = 40): string[] {
    const messages: string[] = [];
    const reader = new LevelReader(level === 40);
    const grouper = new ContinuationGrouper((message, _time, _flags, messageLevel) => messages.push(`${messageLevel} ${message}`), { level, detect: (line) => reader.detect(line) });
    for (const line of lines) grouper.add(line, 0);
    grouper.close();
    return messages;
  }
  const TO = 'To git@github.com:example/crawlers.git';

  it.each([
    ['a push', [TO, '   6076016..0fe622d  HEAD -> main'], [`20 ${TO}\n   6076016..0fe622d  HEAD -> main`]],
    ['a push of a new branch, a forced update, a deletion', [TO, ' * [new branch]      a -> a', ' + 1a2b3c...4d5e6f a -> b (forced update)', ' - [deleted]         old'], [`20 ${TO}\n * [new branch]      a -> a\n + 1a2b3c...4d5e6f a -> b (forced update)\n - [deleted]         old`]],
    ['a rejected push', [TO, ' ! [rejected]        HEAD -> main (fetch first)', "error: failed to push some refs to 'x'"], [`40 ${TO}\n ! [rejected]        HEAD -> main (fetch first)`, "40 error: failed to push some refs to 'x'"]],
    ['a push of two refs, the first rejected', [TO, ' ! [remote rejected] main -> main (pre-receive hook declined)', ' * [new branch]      a -> a'], [`40 ${TO}\n ! [remote rejected] main -> main (pre-receive hook declined)\n * [new branch]      a -> a`]],
    ['a fetch', ['From https://github.com/example/crawlers', ' * branch            main       -> FETCH_HEAD', '   fe6f27c..6076016  main       -> origin/main'], ['20 From https://github.com/example/crawlers\n * branch            main       -> FETCH_HEAD\n   fe6f27c..6076016  main       -> origin/main']],
    ['a fetch that prunes', ['From ../origin', ' - [deleted]         (none)     -> origin/old', '   (refs/remotes/origin/HEAD has become dangling)', ' t [tag update]      v1         -> v1'], ['20 From ../origin\n - [deleted]         (none)     -> origin/old\n   (refs/remotes/origin/HEAD has become dangling)\n t [tag update]      v1         -> v1']],
    ['a fetch that would clobber a tag', ['From ../origin', ' ! [rejected]        v1         -> v1  (would clobber existing tag)'], ['40 From ../origin\n ! [rejected]        v1         -> v1  (would clobber existing tag)']],
    ['remotes as git names them: a bare name, a path with a space', ['To origin.git', ' * [new branch]      HEAD -> p3', 'From origin', ' * [new branch]      p3         -> bare/p3', 'To /tmp/gt/sp ace/o.git', ' * [new branch]      HEAD -> main'],
      ['20 To origin.git\n * [new branch]      HEAD -> p3', '20 From origin\n * [new branch]      p3         -> bare/p3', '20 To /tmp/gt/sp ace/o.git\n * [new branch]      HEAD -> main']],
    ['the line after the refs, which starts a message of its own', [TO, '   1234567..2345678  a -> a', 'hint: see git push --help', 'next line'], [`20 ${TO}\n   1234567..2345678  a -> a`, '20 hint: see git push --help', '40 next line']],
    // git's advice: under the message that names a level (an error, a warning), or INFO on its own (`git init`'s).
    ['an error with advice under it', ["error: failed to push some refs to 'x'", 'hint: Updates were rejected because the tip', 'hint:', 'hint: \tgit pull', 'next line'],
      ["40 error: failed to push some refs to 'x'\nhint: Updates were rejected because the tip\nhint:\nhint: \tgit pull", '40 next line']],
    ['a warning with advice under it', ['warning: adding embedded git repository: sub', "hint: You've added another git repository", '  indented'],
      ["30 warning: adding embedded git repository: sub\nhint: You've added another git repository\n  indented"]],
    ['advice on its own', ["hint: Using 'master' as the name for the initial branch.", 'hint: ', 'Initialized empty Git repository'],
      ["20 hint: Using 'master' as the name for the initial branch.\nhint: ", '40 Initialized empty Git repository']],
    ['advice after a line that names no level, which it does not join', ['plain line', 'hint: x'], ['40 plain line', '20 hint: x']],
    ['what the remote\'s side writes', ['remote: Resolving deltas: 100% (2/2), done.        ', 'remote: ', 'remote: warning: File a is 52.00 MB', 'remote: Repository not found.', 'hint: x'],
      ['20 remote: Resolving deltas: 100% (2/2), done.        ', '20 remote: ', '30 remote: warning: File a is 52.00 MB', '40 remote: Repository not found.', '20 hint: x']],
    // Lines of prose that open as the remote's line does keep their level, and so does what is indented under them.
    ['prose, alone', ['From 10:00', 'To C:\\Users\\bot\\out.csv', 'To /var/data/out.jsonl'], ['40 From 10:00', '40 To C:\\Users\\bot\\out.csv', '40 To /var/data/out.jsonl']],
    ['prose, with an error indented under it', ['From https://api.example.com/v1/items', '  HTTP 503: Service Unavailable', '  retrying failed'], ['40 From https://api.example.com/v1/items\n  HTTP 503: Service Unavailable\n  retrying failed']],
    ['prose, with a list under it', ['From the docs:', ' * item one', ' * [x] done'], ['40 From the docs:\n * item one\n * [x] done']],
    ['refs, then a line that is not git\'s', [TO, ' * [new branch]      a -> a', '  HTTP 503: Service Unavailable'], [`40 ${TO}\n * [new branch]      a -> a\n  HTTP 503: Service Unavailable`]],
  ])('on stderr: %s', (_name, lines, expected) => {
    expect(streamRecords(lines)).toEqual(expected);
  });

  it('on stdout (a push run with 2>&1): INFO, and an ERROR where a ref failed', () => {
    expect(streamRecords([TO, ' * [new branch]      a -> a', TO, ' ! [rejected]        a -> a (fetch first)', 'From x', '  plain text'], 20))
      .toEqual([`20 ${TO}\n * [new branch]      a -> a`, `40 ${TO}\n ! [rejected]        a -> a (fetch first)`, '20 From x\n  plain text']);
  });

  it('leaves a rejected ref under any other line at the level of that line', () => {
    expect(streamRecords(['done.', ' ! [rejected]  a -> a'])).toEqual(['20 done.\n ! [rejected]  a -> a']);
  });
});
