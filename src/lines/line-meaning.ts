// What a log line means for the message before it: the one statement of the grouping rules, used by the grouper
// (line by line) and by the block fast path (which must know where a single-line message can end).
//
// The platform's rule, always: a line that starts with a space or a tab continues the message before it; an empty
// line ends it; any other line starts a new message. With level detection, a message that has taken indented lines
// also takes a line of closing brackets at the margin (`}`, `]`, `})`): the end of what Node's util.inspect prints
// over several lines (`console.log(obj)`, an Error's fields), of JSON printed with indentation; and a cause of a Java
// exception (`Caused by: …`, log4j's `Wrapped by: …`), which Java writes at the margin after the frames of the
// exception it caused.
//
// With level detection, a message whose first line names a level is a record (but for the tools' lines of one line,
// npm's, Chromium's, the debug module's and a shell's trace: detect-level.ts, isToolLine), and a record also takes these lines that
// name no level (and only these, so a line printed on its own never joins a neighbour's record):
//   - right after its first line, a dict, a list or a tuple (isReprOpening): what Python's pprint writes after
//     Scrapy's `Overridden settings:`, `Enabled extensions:`, `Scraped from <…>`, `Dumping Scrapy stats:`, and JSON
//     printed with indentation (on stdout sent as items after the record: output-lines.ts); and an object's repr as
//     dataclasses write it, `Product(url='…')`, after `Scraped from <…>`;
//   - right after its first line, the top of a table of columns drawn with box-drawing characters (`┌──┬──┐`), and
//     after it every line opening with a box-drawing character: the table Crawlee for Python draws under `Final
//     request statistics:` (such a table is one message on its own too: Node's console.table, rich's tables);
//   - right after a first line at ERROR or above, rich's traceback, a panel (`╭──── Traceback (most recent call last)
//     ────╮`, as structlog's console format writes an exception where rich is installed), its lines and the
//     exception's line under it, which a chain of tracebacks and a message of its own take too;
//   - right after a first line at ERROR or above, `Traceback (most recent call last):` (what `logger.exception` and
//     `exc_info=True` write), also after one empty line (Twisted's `Unhandled error in Deferred:` in a Scrapy crawl),
//     or after asyncio's lines of context (`future: <Task finished …>`, `handle: <Handle …>`);
//     right after a first line at any level, `Stack (most recent call last):` (what
//     `stack_info=True` writes), which takes indented lines;
//   - right after a first line at WARNING or above with tabs between its fields (zap's development format), or after
//     such a line, a Go function line (`main.main`: no space, a dot) as zap's development encoder writes its stack;
//   - right after a first line at ERROR or above, `Stack trace:`, its frames (`#0 …`) and indented lines, as PHP
//     writes an uncaught exception;
//   - right after its first line, after indented lines or a traceback's exception line, `Stacktrace:` and its frames
//     (`#0 0x55cf398e3e0e <unknown>`): chromedriver's stack, which the text of Selenium's exceptions ends with;
//   - right after a first line at WARNING or above, an exception as Java writes it (`java.lang.IllegalStateException:
//     no price`), which takes its tab-indented frames as any message does, and its causes (`Caused by: …`) after them
//     (after a record at a lower level, an exception is a message of its own: it keeps its stream's level);
//   - right after its first line, and after each of them, a frame of a Ruby backtrace (`/app/crawl.rb:6:in
//     `parse_price'`), as Ruby's Logger writes an exception logged at any level, and a message with `e.backtrace`
//     joined after it;
//   - after a Python warning (`file.py:12: SomeWarning: …`), every line up to its indented source line and the
//     empty line after it, but a traceback (the source line is missing where only .pyc files ship);
//     after the source line of a warning of an object, where the object was made, or the note that says how to see it;
//   - after a Node process warning (`(node:12345) Warning: …`) and its indented lines, the hint Node prints after
//     its first warning, `(Use `node --trace-warnings ...` to show where the warning was created)`;
//   - right after its first line, and after each of them, git's advice (`hint: …`), which names INFO on stderr
//     (tool-progress.ts): `error: failed to push some refs …` and its hints are one message. Such lines on their own
//     (`git init`'s) are one message too.
// Any message, with level detection, takes Playwright's call log right after its first line or a traceback's
// exception line (`Call log:`, its steps indented), and after the empty line that ends it, the stack `console.error(e)`
// prints, or a logger's data (see isCallLogLine); and chromedriver's stack (`Stacktrace:`) as a record does. A strict
// mode violation of Playwright's takes the elements it lists, and its call log after an empty line.
//
// Python's report of a syntax error in the script it runs opens with indented lines (`  File "crawl.py", line 2`, the
// source line, a `^`); after indented lines, `SyntaxError: …` (or `IndentationError: …`, `TabError: …`) ends it.
//
// Rust's report of a panic is one message, from `thread 'main' panicked at …:` through its message's line, its
// backtrace (`stack backtrace:` and indented frames) to the note it ends with (`note: run with RUST_BACKTRACE=1 …`,
// written for a process's first panic only), whatever level its lines name.
//
// Go's report of a panic (`panic: …`, or `fatal error: …` from its runtime, after any `runtime: …` lines) is one
// message: its goroutines (and the runtime's own stack, `runtime stack:`), each a header (`goroutine 1 [running]:`),
// function lines and tab-indented file lines, and the empty lines between them (an empty line that no goroutine
// follows ends it, and is not part of it).
//
// java.util.logging's default format writes a record in two lines, the time and where it was logged, then the level
// and the message (`Dec 07, 2026 5:52:59 PM com.example.Crawl main`, `WARNING: slow response`): the first line, which
// names no level, takes the second, and the record is at the level the second names (CONFIG and FINE too).
//
// The line Python writes before the traceback of an exception that no code caught outside the main thread's (`Exception
// in thread Thread-1 (crawl):`, `Exception ignored in: <function C.__del__ …>`, asyncio's `Task exception was never
// retrieved` where no logging is set up) starts a message that takes asyncio's lines of context and the traceback
// after it.
//
// A worker's exception passed on by a process pool (`multiprocessing.pool.RemoteTraceback: `) takes the worker's
// traceback, quoted, after it, and goes on as after a traceback's exception (see isRemoteTracebackLine).
//
// A traceback (`Traceback (most recent call last):`, on its own or taken as above) takes its indented lines, empty
// lines, loguru's `> File` lines and Twisted's `--- <exception caught here> ---`, then the first other line (the
// exception) ends it. A chained traceback joins it: after the exception, an empty line, the sentence that links the
// two (`The above exception was the direct cause of the following exception:`, `During handling of the above
// exception, another exception occurred:`), an empty line and the next `Traceback (most recent call last):`. An empty
// line after the exception (or after a record's first line at ERROR or above) is held until the next lines show
// whether a traceback follows; if none does, it ends the message as any empty line does, and is not part of it.
//
// Node's report of an uncaught exception is one message, from its header to the version line it ends with:
//   /app/crawl.js:6                             the header: where it was thrown (`file:///app/crawl.mjs:6`,
//                                               `node:events:502`), the whole line
//     if (!price) throw new Error('no price');  the source line
//                 ^                             the arrow under the throw
//                                               an empty line, when an Error was thrown
//   Error: no price                             what was thrown, in any number of lines
//       at parsePrice (/app/crawl.js:6:21)      the stack, from the first `    at ` line (or the `(Use …` hint after
//       at listOnTimeout (node:internal/…)      a thrown value that is not an Error): indented lines, `}` (the
//                                               end of the error's fields), `Emitted 'error' event … at:`
//                                               an empty line
//   Node.js v20.20.0                            the version line (Node 17 and later; older ones end with the stack)
// A header starts a report only as the first line of a message, and the report goes on only if an arrow line follows
// its source line. After the stack, a line of none of those kinds starts a message of its own, so a line printed
// after a report without a version line does not join it. The report's lines join whatever level they name.
//
// Node's report of a fatal error of V8, which it writes as the process aborts, is one message at CRITICAL:
//                                               an empty line (Node 14 to 22)
//   <--- Last few GCs --->                      the first line when the heap is full
//                                               empty lines
//   [4347:0x24d62ca0]  65 ms: Mark-Compact …    the last garbage collections
//   <--- JS stacktrace --->                     (Node 14 to 22, with nothing under it)
//   FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory
//   ----- Native stack trace -----              (Node 16.17 and later)
//    1: 0xb78db3 node::OOMErrorHandler(…)       the native frames: the first nine indented, the others not
//   10: 0x195e476  [node]
// Another fatal error opens with `FATAL ERROR: …`, or with a banner of `#` lines (`#`, `# Fatal error in , line 0`,
// `# Fatal JavaScript invalid size error 169220804`, `#FailureMessage Object: 0x…`) before the native frames. An
// empty line that none of the report's lines follows ends it, and is not part of it.

import { codeAt } from './code-at.js';
import { javaLevelFromName, levelFromWordAt } from '../protocol/limits.js';
import { DETECT_UNITS, detectLevel, isNodeWarning, isToolLine, PYTHON_WARNING } from './detect-level.js';
import { gitRefOutcome, isGitHint, isGitRemoteLine, opensGitRemoteLine } from './tool-progress.js';

// The states of a pending message, which decide what may join it.
export const PLAIN = 0; // takes indented lines (and then a closing bracket's line, INDENTED)
export const HEADER = 1; // a record's single first line
const TRACEBACK = 2; // inside a traceback, before its exception line
const GO_STACK = 3; // a zap stack: function lines and tab-indented file lines
const WARNING_TEXT = 4; // a Python warning's text, before its source line
const WARNING_SOURCE = 5; // after a Python warning's indented source line: takes one empty line, or where the object warned of was made
const NODE_WARNING = 6; // a Node process warning and its indented lines: takes the `(Use …` hint after them
const EXCEPTION = 7; // after a traceback's exception line: takes indented lines, and holds an empty line
const INDENTED = 8; // after indented lines: takes more, and a line of closing brackets (`}`, `]`)
const RULE_ONLY = 9; // without level detection: takes indented lines only, the platform's rule
const ZAP_HEADER = 10; // a record's first line at WARNING or above with tabs between its fields, as zap's development format writes it
const GO_PANIC = 11; // Go's report of a panic: takes its goroutines' lines
const GO_RUNTIME = 12; // after a line of Go's runtime (`runtime: goroutine stack exceeds …`): takes more, and the fatal error after them
const RUBY_STACK = 13; // a Ruby backtrace's frames after a record's first line: takes more of them
const BOX = 14; // a table drawn with box-drawing characters, from its top or under a record's first line: takes more of its lines
// A chain of tracebacks, in the order of its parts, and the gaps in a Go panic's report; their lines are taken one by
// one, indented ones too.
const CHAIN_BREAK = 15; // after the empty line it holds: takes the sentence that links the next traceback
const CHAIN_LINK = 16; // after that sentence: holds an empty line
const CHAIN_GAP = 17; // after that one (or one right after a first line at ERROR or above): takes a traceback's first line
const PANIC_GAP = 18; // after an empty line in a Go panic's report, which it holds: takes the next goroutine's first line
// Node's report of an uncaught exception, in the order of its parts.
const NODE_SOURCE = 19; // after its header: takes the source line
const NODE_ARROW = 20; // after its source line: takes the arrow line
const NODE_THROWN = 21; // after the arrow: takes any line (what was thrown), up to the first stack frame or the hint
const NODE_STACK = 22; // from the first stack frame: takes indented lines, `}`, `Emitted 'error' event … at:`
const NODE_END = 23; // after the empty line that follows the stack: takes the version line
const JUL_HEADER = 24; // the first of a java.util.logging record's two lines: takes the second, which names its level
const BEFORE_TRACEBACK = 25; // a line Python writes before a traceback: takes it, and asyncio's lines of context
const CONTEXT_FRAMES = 26; // after asyncio's `source_traceback:`: takes its indented frames, and the traceback
const RUST_PANIC = 27; // the first line of Rust's report of a panic, which ends with `:`: takes the message's line
const RUST_MESSAGE = 28; // after the message of Rust's report: takes its backtrace or its note
const RUST_BACKTRACE = 29; // the backtrace of Rust's report: takes its indented frames, and the note after them
const NUMBERED_STACK = 30; // the stack trace of PHP's fatal error, or chromedriver's: takes its frames (`#0 …`) and indented lines
const V8_BANNER = 31; // a line of `#` alone, which V8's report of a fatal error opens with: takes the report's next line
const NODE_FATAL = 32; // Node's report of a fatal error of V8 (its heap full): takes its lines, and empty lines, which it holds
const RICH_TRACEBACK = 33; // rich's traceback, a panel: takes its lines, then the exception's line after it
const GROUP_TRACEBACK = 34; // an exception group's traceback, on its own or after a record: takes indented lines and its `+-+---- 1 ----` lines
const REMOTE_TRACEBACK = 35; // a worker's exception passed on by multiprocessing (`…RemoteTraceback: `): takes the `"""` that opens its traceback
const REMOTE_BODY = 36; // inside the `"""` of such an exception: takes any line, up to the `"""` that closes it (then as after an exception)
const CALL_LOG = 37; // Playwright's `Call log:` under its error's message: takes its indented lines, and holds an empty line
const CALL_LOG_GAP = 38; // after the empty line that ends a call log, which it holds: takes an indented line (the stack, a logger's data)
const STRICT_LIST = 39; // Playwright's strict mode violation, which lists the elements a locator found: takes them, and holds an empty line
const STRICT_GAP = 40; // after the empty line that ends that list, which it holds: takes the call log
const GIT_HINTS = 41; // git's advice (`hint: …`) after a record's first line, or on its own: takes more of it
const GIT_REMOTE = 42; // a line that may name the remote of a git push or fetch: takes indented lines, the refs git reports (tool-progress.ts)
const GIT_REFS = 43; // after the remote's line, git's lines of refs it updated: INFO (levelAtEnd)
const GIT_REFS_FAILED = 44; // after the remote's line, git's lines of refs, one of which it could not update: ERROR (levelAtEnd)

// One of the states above.
export type RecordState = typeof PLAIN | typeof HEADER | typeof TRACEBACK | typeof GO_STACK | typeof WARNING_TEXT | typeof WARNING_SOURCE
  | typeof NODE_WARNING | typeof EXCEPTION | typeof INDENTED | typeof RULE_ONLY | typeof ZAP_HEADER | typeof GO_PANIC | typeof GO_RUNTIME
  | typeof RUBY_STACK | typeof BOX
  | typeof CHAIN_BREAK | typeof CHAIN_LINK | typeof CHAIN_GAP | typeof PANIC_GAP
  | typeof NODE_SOURCE | typeof NODE_ARROW | typeof NODE_THROWN | typeof NODE_STACK | typeof NODE_END | typeof JUL_HEADER
  | typeof BEFORE_TRACEBACK | typeof CONTEXT_FRAMES | typeof RUST_PANIC | typeof RUST_MESSAGE | typeof RUST_BACKTRACE
  | typeof NUMBERED_STACK | typeof V8_BANNER | typeof NODE_FATAL | typeof RICH_TRACEBACK | typeof GROUP_TRACEBACK | typeof REMOTE_TRACEBACK | typeof REMOTE_BODY | typeof CALL_LOG | typeof CALL_LOG_GAP | typeof STRICT_LIST | typeof STRICT_GAP | typeof GIT_HINTS | typeof GIT_REMOTE
  | typeof GIT_REFS | typeof GIT_REFS_FAILED;

// Returned by `follow` for a line that does not join: it starts a message of its own (or, empty, ends the pending one).
export const STARTS_NEW = -1;


const SPACE = 0x20;
const TAB = 0x09;
const TRACEBACK_LINE = 'Traceback (most recent call last):';
const STACK_LINE = 'Stack (most recent call last):';
// How Go's report of a panic, or of a fatal error of its runtime (a deadlock, a map written concurrently), begins, and
// each goroutine's part of it.
const GO_PANIC_LINE = 'panic: ';
const GO_FATAL_LINE = 'fatal error: ';
const GO_RUNTIME_LINE = 'runtime: ';
const GOROUTINE = 'goroutine ';
// A stack overflow's report shows the runtime's own stack first, and elides frames of a deep one.
const RUNTIME_STACK = 'runtime stack:';
const ELIDED = '...additional frames elided...';
const TWISTED_CAUGHT = '--- <exception caught here> ---';
const CHAIN_LINKS = ['The above exception was the direct cause of the following exception:', 'During handling of the above exception, another exception occurred:'];
const NODE_HINT = '(Use `';
const NODE_FRAME = '    at ';
const NODE_EMITTED = "Emitted 'error' event ";
const NODE_VERSION = 'Node.js v';
const CRITICAL = 50;
const ERROR = 40;
const WARNING = 30;
const INFO = 20;

// Where a log record starts in the last state of a line redrawn with `\r` (a progress bar) that names no level at
// its start, or -1. A program that logs while a bar is drawn (Python's logging under tqdm) writes its record on the
// bar's line, right after the bar, which ends with `]` in tqdm's format after its rate (`… 1/5 [00:00<00:01,
// 3.98it/s]`): the first few `]` with no space after them and a rate before them are each tried as the bar's end (a
// `]` in the bar's description, or in the record itself, is followed by a space; one in a status line that is no bar,
// `[1/3]Error: x`, has no rate before it).
export function recordAfterProgress(text: string): number {
  return afterProgressBar(text, (start) => detectLevel(text, start, text.length) !== undefined);
}

// Where what `starts` accepts starts right after such a bar, or -1: a record, an item printed on the bar's line.
export function afterProgressBar(text: string, starts: (start: number) => boolean): number {
  let close = text.indexOf(']');
  for (let tries = 0; close !== -1 && tries < BAR_ENDS_TRIED; tries++) {
    const start = close + 1;
    if (start < text.length && !isIndented(text, start, text.length) && hasRate(text, close) && starts(start)) return start;
    close = text.indexOf(']', start);
  }
  return -1;
}

// Whether the brackets that `]` at `close` ends hold tqdm's rate (`3.98it/s`, `?it/s`, `1.20s/it`, `kB/s`).
function hasRate(text: string, close: number): boolean {
  const open = text.lastIndexOf('[', close);
  if (open === -1) return false;
  const brackets = text.slice(open, close);
  return brackets.includes('/s') || brackets.includes('s/it');
}

// A bar's description may hold a `]` or two before the bar's own.
const BAR_ENDS_TRIED = 4;

// Whether the line at [start, end) is a continuation by the platform's rule.
export function isIndented(text: string, start: number, end: number): boolean {
  const first = start < end ? codeAt(text, start) : -1;
  return first === SPACE || first === TAB;
}

// The state of a message that starts with the line at [start, end); `named` is the level the line names, if any.
export function startState(text: string, start: number, end: number, named: number | undefined, records: boolean): RecordState {
  if (!records) return RULE_ONLY;
  if (isStrictModeViolation(text, start, end)) return STRICT_LIST;
  if (named === undefined) return unnamedStartState(text, start, end);
  // npm's, Chromium's, the debug module's and a shell's trace lines are messages of one line: what follows them at
  // the margin is the next message (the output of the script npm runs, of the command traced), whatever it opens with.
  if (isToolLine(text, start, end, named)) return PLAIN;
  if (named === WARNING) return warningStartState(text, start, end);
  return named > WARNING ? severeStartState(text, start, end) : HEADER;
}

// startState's rarer cases, each behind a test of the line's first character, in functions of their own: the block
// fast path calls startState for every line, and a plain line costs it a comparison or two.
function unnamedStartState(text: string, start: number, end: number): RecordState {
  const first = codeAt(text, start);
  if (first === 0x54 && text.startsWith(TRACEBACK_LINE, start)) return TRACEBACK;
  if (isRemoteTracebackLine(text, start, end)) return REMOTE_TRACEBACK;
  // Two characters first: a script's prints may all start with the same letter (the bench's plain prints).
  if (first === 0x66 && codeAt(text, start + 1) === 0x61 && text.startsWith(GO_FATAL_LINE, start)) return GO_PANIC;
  if (first === 0x72 && codeAt(text, start + 1) === 0x75 && text.startsWith(GO_RUNTIME_LINE, start)) return GO_RUNTIME;
  if (first < 0x80 && PYTHON_REPORT_INITIALS[first] === 1 && isPythonReportHeader(text, start, end, first)) return BEFORE_TRACEBACK;
  if (first === 0x74 && text.startsWith(RUST_THREAD, start) && RUST_PANIC_LINE.test(text.slice(start, Math.min(end, start + DETECT_UNITS)))) {
    return codeAt(text, end - 1) === 0x3a ? RUST_PANIC : RUST_MESSAGE;
  }
  if (isJulHeader(text, start, end, first)) return JUL_HEADER;
  if (opensGitRemoteLine(first) && isGitRemoteLine(text, start)) return GIT_REMOTE;
  if (first === SPACE && isGroupTracebackLine(text, start)) return GROUP_TRACEBACK;
  if (first === 0x3c && text.startsWith(NODE_GCS_LINE, start)) return NODE_FATAL;
  if (first >= 0x2500) {
    if (isTableTop(text, start, end)) return BOX;
    if (isRichTracebackTop(text, start, end)) return RICH_TRACEBACK;
  }
  if (first === 0x23) return v8BannerState(text, start, end);
  return isNodeReportHeader(text, start, end) ? NODE_SOURCE : PLAIN;
}

function warningStartState(text: string, start: number, end: number): RecordState {
  if (isNodeWarning(text, start, end)) return NODE_WARNING;
  // A warning from code with no file (detect-level.ts: SOURCELESS_PYTHON_WARNING) has no source line to wait for.
  return PYTHON_WARNING.test(text.slice(start, end)) ? WARNING_TEXT : headerState(text, start, end);
}

function severeStartState(text: string, start: number, end: number): RecordState {
  const first = codeAt(text, start);
  if (first === 0x70 && text.startsWith(GO_PANIC_LINE, start)) return GO_PANIC;
  if (first === 0x46 && isV8FatalError(text, start, end)) return NODE_FATAL;
  return headerState(text, start, end);
}

// A first line at WARNING or above: zap's development format, which may have a stack after it, has a tab before its
// level word (so within DETECT_UNITS); no other logger's records take a Go function line. Looked for in the line's
// start only: a search of the text would read the rest of a block for every such line.
function headerState(text: string, start: number, end: number): RecordState {
  // A slice of the line's start is made without copying, and searched natively.
  return text.slice(start, Math.min(end, start + DETECT_UNITS)).includes('\t') ? ZAP_HEADER : HEADER;
}

// The state after an indented line joins a message in `state`, which is not one of the report's (followNodeReport).
// Another indented line leaves it as it is: runs of indented lines may be taken at once (afterIndentedRun).
function afterIndented(state: RecordState): RecordState {
  // After a table or a panel, indented lines are the stack of the error it was drawn under.
  if (state === HEADER || state === ZAP_HEADER || state === PLAIN || state === BOX) return INDENTED;
  return state === WARNING_TEXT ? WARNING_SOURCE : state;
}

// The state after any number of indented lines join a message in `state`, or undefined when that number matters
// (the parts of a chain of tracebacks and of Node's report, which take them one by one) or the state is one of a
// single program's format (taken one by one too: they are short).
export function afterIndentedRun(state: RecordState): RecordState | undefined {
  return state >= CHAIN_BREAK ? undefined : afterIndented(state);
}

// Whether an indented line joins a message in `state` whatever it is: so its level is not worth reading.
export function takesAnyIndented(state: RecordState): boolean {
  return state < CHAIN_BREAK || state > PANIC_GAP;
}

// Whether the message in `state` may end with empty lines that it only holds (see the traceback's chain above, and
// V8's report): if it ends there, those lines are not part of it.
export function holdsEmptyLine(state: RecordState): boolean {
  return state === CHAIN_BREAK || state === CHAIN_GAP || state === PANIC_GAP || state === NODE_FATAL || state === CALL_LOG_GAP || state === STRICT_GAP;
}

// Whether a message in `state` may take a line that is not indented, not empty and names no level: if not, such a
// line never joins it.
export function takesMore(state: RecordState): boolean {
  return state !== RULE_ONLY && state < GIT_REMOTE;
}

// Whether a message in `state` may take the line that starts at `start` of `text`, a line after a run of the block
// fast path (a problem line: output-lines.ts), so that the run's last line must wait for it: takesMore, but a message
// of lines that name no level (PLAIN) takes none of them but Playwright's call log.
export function mayTakeLineAt(state: RecordState, text: string, start: number): boolean {
  if (state !== PLAIN) return takesMore(state);
  if (!opensMarginLine(codeAt(text, start))) return false;
  let end = text.indexOf('\n', start);
  if (end === -1) end = text.length;
  if (codeAt(text, end - 1) === 0x0d) end--;
  return marginLineState(text, start, end) !== STARTS_NEW;
}

// Whether a line that opens with `first` may be one that marginLineState takes: `Call log:`, `Stacktrace:`, `╔`.
function opensMarginLine(first: number): boolean {
  return first === 0x43 || first === 0x53 || first === 0x2554;
}

// The state of a message of lines that name no level (or a record) once the line at [start, end), at the margin, has
// joined it: Playwright's call log, chromedriver's stack; STARTS_NEW for any other line.
function marginLineState(text: string, start: number, end: number): RecordState | typeof STARTS_NEW {
  if (isCallLogLine(text, start, end)) return CALL_LOG;
  if (isChromedriverStackLine(text, start, end)) return NUMBERED_STACK;
  return isDoublePanelTop(text, start, end) ? BOX : STARTS_NEW;
}

// The top of a panel drawn in double lines, `╔═══╗`, as Playwright draws the advice under an error (a browser that
// is not installed: `npx playwright install`); its lines open with box-drawing characters, as a table's do (BOX).
function isDoublePanelTop(text: string, start: number, end: number): boolean {
  if (codeAt(text, start) !== 0x2554) return false;
  let last = end;
  while (last > start + 1 && codeAt(text, last - 1) === SPACE) last--;
  if (codeAt(text, last - 1) !== 0x2557) return false;
  for (let index = start + 1; index < last - 1; index++) if (codeAt(text, index) !== 0x2550) return false;
  return last - start > 2;
}

// The level of a message that ends in `state`, whose first line gave it `level`: that level, but for git's report of
// the refs a push or a fetch updated, whose level its lines decide (tool-progress.ts).
export function levelAtEnd(state: RecordState, level: number): number {
  if (state === GIT_REFS) return INFO;
  return state === GIT_REFS_FAILED ? Math.max(level, ERROR) : level;
}

// The state after the line at [start, end) joins a message in `state` whose first line is at `level`, or STARTS_NEW.
export function follow(state: RecordState, level: number, text: string, start: number, end: number, named: number | undefined): RecordState | typeof STARTS_NEW {
  // The states of chains, of Node's report and of single programs' formats are the last ones. The cases apart in
  // functions of their own: the block fast path asks this of every line, and kept small it is inlined there (the
  // bench's tracebacks).
  if (state >= CHAIN_BREAK) {
    if (state >= JUL_HEADER) return followOwnFormat(state, text, start, end, named);
    return state >= NODE_SOURCE ? followNodeReport(state, text, start, end) : followChain(state, text, start, end);
  }
  if (start === end) return followEmptyLine(state, level);
  if (isIndented(text, start, end)) return isGroupTracebackLine(text, start) ? GROUP_TRACEBACK : afterIndented(state);
  if (state === PLAIN || state === HEADER || state === ZAP_HEADER) {
    // Told by the line's first unit before any of their tests: the block fast path asks this of every line of a
    // script's plain prints (the bench's prints).
    const first = codeAt(text, start);
    if (opensMarginLine(first)) {
      // An error's text that ends with Playwright's call log or chromedriver's stack: printed (`console.error(e)`,
      // `print(e)`), or logged (Crawlee, Python's logging).
      const margin = marginLineState(text, start, end);
      if (margin !== STARTS_NEW) return margin;
    }
    // git's advice names INFO on stderr (tool-progress.ts), and joins a record all the same.
    if (first === 0x68 && state !== PLAIN && isGitHint(text, start, end)) return GIT_HINTS;
  }
  return named === undefined && state !== PLAIN ? followUnnamed(state, level, text, start, end) : STARTS_NEW;
}

function followEmptyLine(state: RecordState, level: number): RecordState | typeof STARTS_NEW {
  if (state === TRACEBACK || state === WARNING_TEXT) return state;
  if (state === EXCEPTION) return CHAIN_BREAK;
  if (state === GO_PANIC) return PANIC_GAP;
  if ((state === HEADER || state === ZAP_HEADER) && level >= ERROR) return CHAIN_GAP;
  return state === WARNING_SOURCE ? PLAIN : STARTS_NEW;
}

// A line that is not empty, not indented and names no level.
function followUnnamed(state: RecordState, level: number, text: string, start: number, end: number): RecordState | typeof STARTS_NEW {
  switch (state) {
    case HEADER:
    case ZAP_HEADER: {
      if (isReprOpening(text, start, end) || isClassRepr(text, start, end)) return PLAIN;
      if (isTableTop(text, start, end)) return BOX;
      if (level >= ERROR) {
        if (text.startsWith(TRACEBACK_LINE, start)) return TRACEBACK;
        if (isRemoteTracebackLine(text, start, end)) return REMOTE_TRACEBACK;
        if (isRichTracebackTop(text, start, end)) return RICH_TRACEBACK;
        if (text.startsWith(PHP_STACK_LINE, start)) return NUMBERED_STACK;
        const context = asyncioContext(text, start);
        if (context !== NO_CONTEXT) return afterContext(context);
      }
      if (text.startsWith(STACK_LINE, start)) return PLAIN;
      if (isRubyFrame(text, start, end)) return RUBY_STACK;
      if (isChromedriverCause(text, start, end)) return state;
      // A warning from code with no file has no source line before its note (tracemalloc's).
      if (level === WARNING && isAllocationNote(text, start, end)) return PLAIN;
      if (level >= WARNING && isJavaException(text, start, end)) return PLAIN;
      return state === ZAP_HEADER && isGoFunction(text, start, end) ? GO_STACK : STARTS_NEW;
    }
    case INDENTED:
      if (isClosingLine(text, start, end) || isSyntaxErrorLine(text, start)) return PLAIN;
      if (isChromedriverStackLine(text, start, end)) return NUMBERED_STACK;
      return isJavaCause(text, start) ? INDENTED : STARTS_NEW;
    case EXCEPTION:
      // With exc_info and stack_info both, the stack comes after the exception.
      if (text.startsWith(STACK_LINE, start)) return PLAIN;
      // An exception's text of several lines, as Playwright's and Selenium's are.
      if (isChromedriverCause(text, start, end)) return EXCEPTION;
      return marginLineState(text, start, end);
    case GO_PANIC:
      return isPanicLine(text, start, end) ? GO_PANIC : STARTS_NEW;
    case GO_RUNTIME:
      if (text.startsWith(GO_RUNTIME_LINE, start)) return GO_RUNTIME;
      return text.startsWith(GO_FATAL_LINE, start) ? GO_PANIC : STARTS_NEW;
    case TRACEBACK:
      // loguru marks the frame that raised with `> `, Twisted the frame a failure was caught in with a line of its
      // own; anything else is the exception, the traceback's last line.
      if (codeAt(text, start) === 0x3e && codeAt(text, start + 1) === SPACE) return TRACEBACK;
      return text.startsWith(TWISTED_CAUGHT, start) ? TRACEBACK : EXCEPTION;
    case GO_STACK:
      return isGoFunction(text, start, end) ? GO_STACK : STARTS_NEW;
    case RUBY_STACK:
      return isRubyFrame(text, start, end) ? RUBY_STACK : STARTS_NEW;
    case BOX:
      return isBoxDrawing(codeAt(text, start)) ? BOX : STARTS_NEW;
    case WARNING_TEXT:
      // A warning whose source line is missing (its file is gone: only the .pyc shipped) must not take a traceback.
      return text.startsWith(TRACEBACK_LINE, start) ? STARTS_NEW : WARNING_TEXT;
    case WARNING_SOURCE:
      return isAllocationNote(text, start, end) ? PLAIN : STARTS_NEW;
    case NODE_WARNING:
      return text.startsWith(NODE_HINT, start) ? PLAIN : STARTS_NEW;
    default:
      return STARTS_NEW;
  }
}

// follow for a chain of tracebacks, from the empty line after an exception.
function followChain(state: RecordState, text: string, start: number, end: number): RecordState | typeof STARTS_NEW {
  switch (state) {
    case CHAIN_BREAK:
      return CHAIN_LINKS.some((link) => text.startsWith(link, start)) ? CHAIN_LINK : STARTS_NEW;
    case CHAIN_LINK:
      return start === end ? CHAIN_GAP : STARTS_NEW;
    case PANIC_GAP:
      return text.startsWith(GOROUTINE, start) || text.startsWith(RUNTIME_STACK, start) ? GO_PANIC : STARTS_NEW;
    default:
      if (text.startsWith(TRACEBACK_LINE, start)) return TRACEBACK;
      return isRichTracebackTop(text, start, end) ? RICH_TRACEBACK : STARTS_NEW;
  }
}

// follow for the states of one program's format each, from JUL_HEADER on.
function followOwnFormat(state: RecordState, text: string, start: number, end: number, named: number | undefined): RecordState | typeof STARTS_NEW {
  if (state >= GIT_REMOTE) return followGitRefs(state, text, start, end);
  // An indented line continues any message (the platform's rule): a format's stack keeps its state, the first lines
  // of JUL's record, of Python's report and a `#` go on as any message that has taken indented lines.
  if (isIndented(text, start, end)) {
    if (state === STRICT_GAP) return STARTS_NEW;
    // After a call log, only what Playwright's error has there: its stack, or a logger's data.
    if (state === CALL_LOG_GAP) return text.startsWith(NODE_FRAME, start) || codeAt(text, start + 1) === 0x7b ? INDENTED : STARTS_NEW;
    return state === JUL_HEADER || state === BEFORE_TRACEBACK || state === V8_BANNER ? INDENTED : state;
  }
  switch (state) {
    case JUL_HEADER:
      // Its second line, which names the record's level (levelOnJoining).
      return julLevel(text, start, end) === undefined ? STARTS_NEW : HEADER;
    case BEFORE_TRACEBACK:
    case CONTEXT_FRAMES:
      return followBeforeTraceback(state, text, start, end);
    case NUMBERED_STACK:
      // After the stack of a traceback's exception, an empty line is held as after an exception: a chain may follow.
      if (start === end) return CHAIN_BREAK;
      return isNumberedFrame(text, start, end) ? NUMBERED_STACK : STARTS_NEW;
    case RUST_PANIC:
    case RUST_MESSAGE:
      if (text.startsWith(RUST_BACKTRACE_LINE, start)) return RUST_BACKTRACE;
      if (text.startsWith(RUST_NOTE, start)) return PLAIN;
      // The message, whatever it holds: one line. A message of more lines is cut after its first, where a report
      // without its note (Rust writes it for a process's first panic only) would otherwise take the lines after it.
      return state === RUST_PANIC && start < end ? RUST_MESSAGE : STARTS_NEW;
    case RUST_BACKTRACE:
      return text.startsWith(RUST_NOTE, start) ? PLAIN : STARTS_NEW;
    case V8_BANNER:
      return text.startsWith(V8_FATAL_LINE, start) ? NODE_FATAL : STARTS_NEW;
    case RICH_TRACEBACK:
      // The panel's lines, then the exception's line, as after a traceback's frames.
      if (isBoxDrawing(codeAt(text, start))) return RICH_TRACEBACK;
      return start === end || named !== undefined ? STARTS_NEW : EXCEPTION;
    case NODE_FATAL:
      return start === end || isFatalReportLine(text, start, end) ? NODE_FATAL : STARTS_NEW;
    case GROUP_TRACEBACK:
      // The line that opens its first sub-exception stands at the margin.
      return codeAt(text, start) === 0x2b && codeAt(text, start + 1) === 0x2d ? GROUP_TRACEBACK : STARTS_NEW;
    case GIT_HINTS:
      return isGitHint(text, start, end) ? GIT_HINTS : STARTS_NEW;
    case CALL_LOG:
    case CALL_LOG_GAP:
      return start === end ? CALL_LOG_GAP : STARTS_NEW;
    case STRICT_LIST:
      return start === end ? STRICT_GAP : STARTS_NEW;
    case STRICT_GAP:
      if (start === end) return STRICT_GAP;
      return isCallLogLine(text, start, end) ? CALL_LOG : STARTS_NEW;
    case REMOTE_TRACEBACK:
      return isTripleQuote(text, start, end) ? REMOTE_BODY : STARTS_NEW;
    case REMOTE_BODY:
      return isTripleQuote(text, start, end) ? EXCEPTION : REMOTE_BODY;
    default:
      return STARTS_NEW;
  }
}

// git's report of the refs a push or a fetch updated, under the line that names the remote: indented lines, which
// keep it git's report while each is one of git's (and say whether one failed), and make it any other message once one
// is not.
function followGitRefs(state: RecordState, text: string, start: number, end: number): RecordState | typeof STARTS_NEW {
  if (!isIndented(text, start, end)) return STARTS_NEW;
  const outcome = gitRefOutcome(text, start, end);
  if (outcome === undefined) return INDENTED;
  return outcome === 'failed' || state === GIT_REFS_FAILED ? GIT_REFS_FAILED : GIT_REFS;
}

// Node's report of a fatal error of V8 (see the top): its first lines, and its lines at the margin after them.
const NODE_GCS_LINE = '<--- Last few GCs --->';
// What each of V8's reasons for a full heap ends with (`Reached heap limit`, `Ineffective mark-compacts near heap
// limit`, `MarkCompactCollector: young object promotion failed`).
const FULL_HEAP = 'Allocation failed - JavaScript heap out of memory';
const FATAL_ERROR_LINE = 'FATAL ERROR: ';
// V8's reasons (`… Allocation failed - JavaScript heap out of memory`, `v8::ToLocalChecked Empty MaybeLocal`), where a
// program's own `FATAL ERROR: config file missing` opens no report.
const V8_REASON = /Allocation failed|v8::/;

function isV8FatalError(text: string, start: number, end: number): boolean {
  return text.startsWith(FATAL_ERROR_LINE, start) && V8_REASON.test(text.slice(start, end));
}
const V8_FATAL_LINE = '# Fatal error in ';
const NATIVE_STACK_LINE = '----- Native stack trace -----';

// A `#` alone opens the banner of V8's fatal error; the banner's second line opens the report if the `#` was lost.
function v8BannerState(text: string, start: number, end: number): RecordState {
  if (end - start === 1) return V8_BANNER;
  return text.startsWith(V8_FATAL_LINE, start) ? NODE_FATAL : PLAIN;
}

// A line of that report at the margin, after its first: `<--- JS stacktrace --->`, `FATAL ERROR: …`, `----- Native
// stack trace -----`, a line of the banner, a native frame from the tenth on (`10: 0x195e476  [node]`), a line of
// garbage collections (GC_ENTRY).
function isFatalReportLine(text: string, start: number, end: number): boolean {
  switch (codeAt(text, start)) {
    case 0x3c:
      return text.startsWith('<--- ', start);
    case 0x46:
      return text.startsWith(FATAL_ERROR_LINE, start);
    case 0x2d:
      return text.startsWith(NATIVE_STACK_LINE, start);
    case 0x23:
      // The banner's lines: `#`, `# Fatal …`, `#FailureMessage Object: 0x…`.
      return start + 1 === end || text.startsWith('# Fatal', start) || text.startsWith('#FailureMessage', start);
    default: {
      const digitsEnd = afterDigits(text, start);
      return (digitsEnd > start && text.startsWith(': 0x', digitsEnd)) || GC_ENTRY.test(text.slice(start, end));
    }
  }
}

// Each garbage collection opens with the process's id and the isolate's address (`[4347:0x24d62ca0]  65 ms: …`). V8
// keeps them in a ring buffer of characters and prints it whole, so the first line may open with the end of an older
// entry (`n [5622:0x1e135240] …`) and two entries may share a line.
const GC_ENTRY = /\[\d+:0x[\da-f]+\]/;

// Where the run of digits from `index` ends.
function afterDigits(text: string, index: number): number {
  while (isDigit(codeAt(text, index))) index++;
  return index;
}

// Rust's report of a panic, on stderr: `thread 'main' panicked at src/main.rs:6:42:` (Rust 1.73 and later: the
// message on the lines after it; 1.80 and later write the thread's id, `thread 'main' (23346) panicked at`; earlier,
// `thread 'main' panicked at 'the message', src/main.rs:6:42`), then, with RUST_BACKTRACE set, `stack backtrace:`
// and its frames, indented, and last a note: `note: run with RUST_BACKTRACE=1 …` or `note: Some details are omitted,
// …`.
const RUST_PANIC_LINE = /^thread '[^']*'(?: \(\d+\))? panicked at /;
const RUST_THREAD = "thread '";

// PHP's report of an uncaught exception, after its first line (`PHP Fatal error:  Uncaught InvalidArgumentException:
// no price in /app/crawl.php:11`): `Stack trace:`, its frames (`#0 /app/crawl.php(14): parse_price()`, `#1 {main}`)
// and `  thrown in /app/crawl.php on line 11`.
const PHP_STACK_LINE = 'Stack trace:';

// Selenium's exceptions end with the stack of chromedriver (or of another browser's driver), which their text holds:
// `Stacktrace:` on a line of its own, then its frames (`#0 0x55cf398e3e0e <unknown>`). Such an exception's text follows
// the exception's line of a traceback, or the first line of a record that logs it (`log.error("missing: %s", e)`),
// with `  (Session info: chrome=…)` indented between them, or not (a timeout's text is `Message: ` and the stack).
const CHROMEDRIVER_STACK_LINE = 'Stacktrace:';

function isChromedriverStackLine(text: string, start: number, end: number): boolean {
  return end - start === CHROMEDRIVER_STACK_LINE.length && text.startsWith(CHROMEDRIVER_STACK_LINE, start);
}

// A frame of such a stack: chromedriver's on Linux (`#0 0x55cf398e3e0e <unknown>`) and macOS (`0   chromedriver
// 0x0000000104a3f9c8 chromedriver + 4927688`), geckodriver's (`RemoteError@chrome://remote/content/shared/
// RemoteError.sys.mjs:8:8`); and PHP's (`#0 /app/crawl.php(14): parse_price()`).
const NUMBERED_FRAME = /(?:#\d|\d+ +\S+ +0x[\da-f]+ |[\w$.<>/]*@\S+:\d+:\d+$)/y;

function isNumberedFrame(text: string, start: number, end: number): boolean {
  NUMBERED_FRAME.lastIndex = start;
  return NUMBERED_FRAME.test(text.slice(0, end));
}

// What chromedriver adds to its error's message, on a line of its own, before the session's line and its stack: the
// error behind it (`from unknown error: web view not found`, `from tab crashed`).
const CHROMEDRIVER_CAUSE = /from [a-z][a-z ]*(?::|$)/y;

function isChromedriverCause(text: string, start: number, end: number): boolean {
  if (codeAt(text, start) !== 0x66) return false;
  CHROMEDRIVER_CAUSE.lastIndex = start;
  return CHROMEDRIVER_CAUSE.test(text.slice(0, end));
}
const RUST_BACKTRACE_LINE = 'stack backtrace:';
const RUST_NOTE = 'note: ';

// Playwright ends the message of an error with the steps of the call that failed: `Call log:`, then each step
// indented (dimmed with colour codes, removed by then), then an empty line, after which `console.error(e)` prints the
// stack and the error's fields, and Crawlee's logger the stack's first frame or its data (` {"id":…}`), indented:
//   page.goto: Timeout 30000ms exceeded.
//   Call log:
//     - navigating to "https://example.com/", waiting until "load"
//
//       at crawl (/app/crawl.mjs:12:14) {
//     name: 'TimeoutError'
//   }
const CALL_LOG_LINE = 'Call log:';

// Where a locator matched several elements, Playwright's message lists them, indented, then an empty line and the
// call log: `locator.click: Error: strict mode violation: locator('a') resolved to 2 elements:`.
const STRICT_MODE = 'strict mode violation: ';
const STRICT_MODE_END = ' elements:';

function isStrictModeViolation(text: string, start: number, end: number): boolean {
  // Told by its last units first: the block fast path asks this of every line.
  return codeAt(text, end - 1) === 0x3a && codeAt(text, end - 2) === 0x73 && text.startsWith(STRICT_MODE_END, end - STRICT_MODE_END.length)
    && text.slice(start, end).includes(STRICT_MODE);
}

function isCallLogLine(text: string, start: number, end: number): boolean {
  return end - start === CALL_LOG_LINE.length && text.startsWith(CALL_LOG_LINE, start);
}

// A worker's exception as multiprocessing's pool (or concurrent.futures' process pool) passes it on: as the cause of
// the exception it raises in the parent, an exception of its own whose text is the worker's traceback between `"""`
// lines, which Python prints without a traceback of its own, then the chain's sentence and the parent's traceback:
//   multiprocessing.pool.RemoteTraceback:
//   """
//   Traceback (most recent call last):
//     File "/usr/lib/python3.11/multiprocessing/pool.py", line 125, in worker
//   ...
//   ValueError: bad page 3
//   """
//
//   The above exception was the direct cause of the following exception:
// (joblib's loky pool names its own: `joblib.externals.loky.process_executor._RemoteTraceback:`.) Told by its end.
const REMOTE_TRACEBACK_END = 'RemoteTraceback:';

function isRemoteTracebackLine(text: string, start: number, end: number): boolean {
  // Told by its last unit first: startState asks this of every line that names no level.
  const lastUnit = codeAt(text, end - 1);
  if (lastUnit !== 0x3a && lastUnit !== SPACE) return false;
  let last = end;
  while (last > start && codeAt(text, last - 1) === SPACE) last--;
  if (codeAt(text, last - 1) !== 0x3a || last - start < REMOTE_TRACEBACK_END.length) return false;
  const name = text.slice(start, last);
  return name.endsWith(REMOTE_TRACEBACK_END) && !name.includes(' ');
}

function isTripleQuote(text: string, start: number, end: number): boolean {
  return end - start === 3 && text.startsWith('"""', start);
}

// follow for the lines between a line that Python writes before a traceback and the traceback.
// (Indented lines: followOwnFormat.)
function followBeforeTraceback(state: RecordState, text: string, start: number, end: number): RecordState | typeof STARTS_NEW {
  if (text.startsWith(TRACEBACK_LINE, start)) return TRACEBACK;
  const context = asyncioContext(text, start);
  if (context !== NO_CONTEXT) return afterContext(context);
  // After the frames, what follows indented lines anywhere.
  return state === CONTEXT_FRAMES ? followUnnamed(INDENTED, 0, text, start, end) : STARTS_NEW;
}

// The state after one of asyncio's lines of context: its frames follow `source_traceback:`.
function afterContext(context: number): RecordState {
  return context === FRAMES_CONTEXT ? CONTEXT_FRAMES : BEFORE_TRACEBACK;
}

// What Python writes on stderr before the traceback of an exception nobody caught outside the main thread's code:
// `Exception in thread Thread-1 (crawl):` (threading.excepthook), `Exception ignored in: <function C.__del__ …>`
// (sys.unraisablehook; `Exception ignored while …` and the like in later versions), `Error in
// atexit._run_exitfuncs:`, `Process Process-1:` (multiprocessing); and asyncio's and concurrent.futures' error
// records where no logging is set up (Python then writes a record's message alone): `Task exception was never
// retrieved`, `Exception in callback …`, aiohttp's `Unclosed client session`, `exception calling callback for
// <Future …>`. The line starts a message that takes the traceback after it, and asyncio's lines of context.
// 1 for each unit a report's first line opens with (isPythonReportHeader's cases): one lookup for any other line.
const PYTHON_REPORT_INITIALS = new Uint8Array(128);
for (const initial of 'EPTFUe') PYTHON_REPORT_INITIALS[initial.charCodeAt(0)] = 1;

function isPythonReportHeader(text: string, start: number, end: number, first: number): boolean {
  // A switch on the first unit, then the second, read inline, before any comparison of a prefix: a script's prints
  // that open with one of these letters (`Exported …`, `Page …`) pay for nothing more (a loop over the prefixes, and
  // then a comparison of each, slowed them measurably).
  const second = codeAt(text, start + 1);
  switch (first) {
    case 0x45: // E
      if (second === 0x78 && text.startsWith('Exception ', start)) {
        // Java's `Exception in thread "main" …` quotes its thread's name.
        if (text.startsWith('in thread ', start + 10)) return codeAt(text, end - 1) === 0x3a && codeAt(text, start + 20) !== 0x22;
        return text.startsWith('ignored ', start + 10) || text.startsWith('in callback ', start + 10);
      }
      return second === 0x72 && text.startsWith('Error in atexit.', start) && codeAt(text, end - 1) === 0x3a;
    case 0x50: // P
      return second === 0x72 && text.startsWith('Process ', start) && codeAt(text, end - 1) === 0x3a;
    case 0x54: // T
      return second === 0x61 && (text.startsWith('Task exception was never retrieved', start) || text.startsWith('Task was destroyed but it is pending!', start));
    case 0x46: // F
      return second === 0x75 && text.startsWith('Future exception was never retrieved', start);
    case 0x55: // U
      return second === 0x6e && text.startsWith('Unclosed ', start);
    case 0x65: // e
      return second === 0x78 && text.startsWith('exception calling callback for ', start);
    default:
      return false;
  }
}

// What Python writes after a warning of an object (a coroutine never awaited, a file or socket left unclosed), after
// the warning's source line: where the object was made, its frames indented, when tracemalloc traces; else a line that
// says how to see it (`RuntimeWarning: Enable tracemalloc to get the object allocation traceback`).
const ALLOCATION_NOTE = /(?:\w+: Enable tracemalloc to get the object allocation traceback|Object allocated at \(most recent call last\):)$/y;

function isAllocationNote(text: string, start: number, end: number): boolean {
  ALLOCATION_NOTE.lastIndex = start;
  return ALLOCATION_NOTE.test(text.slice(0, end));
}

// asyncio's lines of context in its error records (`ERROR:asyncio:Task exception was never retrieved`, then
// `future: <Task finished … exception=KeyError('k')>` and the traceback): the name of the object, as asyncio and
// aiohttp name them, and its repr (`handle: <Handle …>`, `client_session: <…>`), or in asyncio's debug mode where
// the object was made (`source_traceback: Object created at (most recent call last):`, its frames indented).
const ASYNCIO_CONTEXT = /(?:(future|task|handle|protocol|transport|socket|asyncgen|client_session|connector|connections): <|(source|handle)_traceback: )/y;
const NO_CONTEXT = 0;
const OBJECT_CONTEXT = 1;
const FRAMES_CONTEXT = 2;

function asyncioContext(text: string, start: number): number {
  // A context's name opens with one of these (and no prose that would need the pattern does).
  const first = codeAt(text, start);
  if (first !== 0x66 && first !== 0x74 && first !== 0x68 && first !== 0x70 && first !== 0x73 && first !== 0x61 && first !== 0x63) return NO_CONTEXT;
  ASYNCIO_CONTEXT.lastIndex = start;
  const match = ASYNCIO_CONTEXT.exec(text);
  if (match === null) return NO_CONTEXT;
  return match[1] === undefined ? FRAMES_CONTEXT : OBJECT_CONTEXT;
}

// The level of a message in `state` at `level` once the line at [start, end) has joined it: a java.util.logging
// record's second line names the level of the record; V8's report of a fatal error is CRITICAL.
export function levelOnJoining(state: RecordState, level: number, text: string, start: number, end: number): number {
  if (state < JUL_HEADER) return level;
  if (state === JUL_HEADER) return julLevel(text, start, end) ?? level;
  // V8's report of a fatal error is CRITICAL, whichever of its lines it opened with (a banner's first lines are taken
  // before its next).
  return state === NODE_FATAL ? CRITICAL : level;
}

// java.util.logging's default format (SimpleFormatter) writes a record in two lines, the time and where it was logged
// (`Dec 07, 2026 5:52:59 PM com.example.Crawl main`), then the level and the message (`WARNING: slow response`), and
// an exception's stack after them. The time is written in English by the default locale of a container (C, POSIX),
// whose `%Tp` is `AM` or `PM`. After the time, the class and the method, or the logger's name: one or two words,
// where a line of prose that opens with such a time has more.
const JUL_HEADER_LINE = /^(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d\d, \d{4} \d{1,2}:\d\d:\d\d [AP]M \S+(?: \S+)?$/;
// A longer line is no such header (and the pattern need not read it).
const MAX_JUL_HEADER = 500;
// A bit for each capital a month's name opens with (A, D, F, J, M, N, O, S), from A's.
const MONTH_INITIALS = [...'ADFJMNOS'].reduce((bits, letter) => bits | (1 << (letter.charCodeAt(0) - 0x41)), 0);

function isJulHeader(text: string, start: number, end: number, first: number): boolean {
  // A month's initial, then `Dec 07,`: the month's space and the day's comma rule out the other lines that open so.
  return first >= 0x41 && first <= 0x53 && (MONTH_INITIALS & (1 << (first - 0x41))) !== 0 && codeAt(text, start + 6) === 0x2c && codeAt(text, start + 3) === SPACE && end - start <= MAX_JUL_HEADER
    && JUL_HEADER_LINE.test(text.slice(start, end));
}

// The level a java.util.logging record's second line opens with, as `%4$s: ` writes it, or undefined.
function julLevel(text: string, start: number, end: number): number | undefined {
  let index = start;
  while (index < end && index - start <= MAX_JUL_LEVEL && isUpper(codeAt(text, index))) index++;
  if (index === end || codeAt(text, index) !== 0x3a || (index + 1 < end && codeAt(text, index + 1) !== SPACE)) return undefined;
  return javaLevelFromName(text.slice(start, index));
}

// `WARNING`, the longest of its names.
const MAX_JUL_LEVEL = 7;

function isUpper(code: number): boolean {
  return code >= 0x41 && code <= 0x5a;
}

// follow for Node's report of an uncaught exception, whose lines join whatever level they name.
function followNodeReport(state: RecordState, text: string, start: number, end: number): RecordState | typeof STARTS_NEW {
  const empty = start === end;
  switch (state) {
    case NODE_SOURCE:
      return empty ? STARTS_NEW : NODE_ARROW;
    case NODE_ARROW:
      if (isNodeArrow(text, start, end)) return NODE_THROWN;
      return isIndented(text, start, end) ? PLAIN : STARTS_NEW;
    case NODE_THROWN:
      if (text.startsWith(NODE_VERSION, start)) return PLAIN;
      // A thrown value that is not an Error has no stack: Node's hint (`(Use `node --trace-uncaught ...` …`) ends it.
      return text.startsWith(NODE_FRAME, start) || text.startsWith(NODE_HINT, start) ? NODE_STACK : NODE_THROWN;
    case NODE_STACK:
      if (empty) return NODE_END;
      if (isIndented(text, start, end) || text.startsWith(NODE_EMITTED, start) || (end - start === 1 && codeAt(text, start) === 0x7d)) return NODE_STACK;
      return text.startsWith(NODE_VERSION, start) ? PLAIN : STARTS_NEW;
    default:
      return text.startsWith(NODE_VERSION, start) ? PLAIN : STARTS_NEW;
  }
}

// The header of Node's report: the whole line is a file and a line number, `/app/crawl.js:6`, `file:///app/crawl.mjs:6`
// or `node:events:502`. Ruled out by the first character for almost every line.
function isNodeReportHeader(text: string, start: number, end: number): boolean {
  const first = codeAt(text, start);
  if (first !== 0x2f && !(first === 0x66 && text.startsWith('file:///', start)) && !(first === 0x6e && text.startsWith('node:', start))) return false;
  let index = end - 1;
  while (index > start && isDigit(codeAt(text, index))) index--;
  if (index === end - 1 || codeAt(text, index) !== 0x3a) return false;
  // A path, not a sentence that happens to start with `/` and end with `:12`.
  const space = text.indexOf(' ', start);
  return space === -1 || space > index;
}

// The arrow under the source line: spaces or tabs, then `^` under what was thrown.
function isNodeArrow(text: string, start: number, end: number): boolean {
  let index = start;
  while (index < end && (codeAt(text, index) === SPACE || codeAt(text, index) === TAB)) index++;
  if (index === end) return false;
  while (index < end && codeAt(text, index) === 0x5e) index++;
  return index === end;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

// The line that closes what indented lines opened, at the margin: `}` after an object or an Error's fields as Node's
// util.inspect prints them (`console.log(obj)`, `console.error('failed:', err)`), `]` after an array, and the like;
// with what the same call printed after the object (`console.log('Scraped', item, 'in', 132, 'ms')` ends with
// `} in 132 ms`).
function isClosingLine(text: string, start: number, end: number): boolean {
  const first = codeAt(text, start);
  if (first !== 0x7d && first !== 0x5d) return false;
  let index = start + 1;
  while (index < end && index - start < MAX_CLOSING && isClosingMark(codeAt(text, index))) index++;
  return index === end || codeAt(text, index) === SPACE;
}

// `}`, `})`, `}];` …: a few brackets and a comma or semicolon at most.
const MAX_CLOSING = 4;

function isClosingMark(code: number): boolean {
  return code === 0x7d || code === 0x5d || code === 0x29 || code === 0x2c || code === 0x3b;
}

// What Python's pprint writes after a record of Scrapy's (`Overridden settings:`, `Enabled extensions:`, `Scraped
// from <…>`), or a record's message holds on its next lines: a dict, a list or a tuple opened on the line's first
// character, with a string or another container, or closed at once (`{'BOT_NAME': 'books',`,
// `['scrapy.extensions.corestats.CoreStats',`, `{}`); numbers closed on the line or continued (`[1, 2, 3]`, `(1.5,
// 2.5)`); a bracket alone, JSON printed with indentation (logged with the record: `logger.info("Response:\n%s",
// json.dumps(…, indent=2))`; on stdout, where object lines are items, such JSON is an item: output-lines.ts). A
// bracket before a word, or before a number it does not close, is a program's own line (`[start] crawling`, `[1/3]
// page 1`, `(retrying later)`).
function isReprOpening(text: string, start: number, end: number): boolean {
  const first = codeAt(text, start);
  if (first !== 0x7b && first !== 0x5b && first !== 0x28) return false;
  if (start + 1 === end) return true;
  const second = codeAt(text, start + 1);
  if (second === 0x27 || second === 0x22 || second === 0x7b || second === 0x5b || second === 0x28 || second === 0x7d || second === 0x5d || second === 0x29) return true;
  const last = codeAt(text, end - 1);
  return (isDigit(second) || second === 0x2d) && (last === first + (first === 0x28 ? 1 : 2) || last === 0x2c);
}

// An object's repr as dataclasses, attrs and pydantic write it, on one line: `Product(url='…', price=1.99)`, which
// Scrapy's `Scraped from <…>` record shows for an item of such a class.
function isClassRepr(text: string, start: number, end: number): boolean {
  const first = codeAt(text, start);
  return first >= 0x41 && first <= 0x5a && isGoCall(text, start, end);
}

// The line that ends Python's report of a syntax error in the script it was asked to run, which opens with its
// indented lines: `  File "/app/crawl.py", line 2`, the source line, a `^` under the error.
function isSyntaxErrorLine(text: string, start: number): boolean {
  const first = codeAt(text, start);
  return (first === 0x53 && text.startsWith('SyntaxError: ', start)) || (first === 0x49 && text.startsWith('IndentationError: ', start))
    || (first === 0x54 && text.startsWith('TabError: ', start));
}

// A line of Go's report of a panic after its first: a goroutine's header (`goroutine 1 [running]:`), a function line
// (`main.main()`, `panic({0x48e200?, 0xc00009a030?})`, `created by main.main in goroutine 1`), the signal a runtime
// error came with (`[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x47f6f4]`). Its file lines are
// tab-indented.
function isPanicLine(text: string, start: number, end: number): boolean {
  return text.startsWith(GOROUTINE, start) || text.startsWith('created by ', start) || text.startsWith('[signal ', start)
    || text.startsWith(ELIDED, start) || text.startsWith(RUNTIME_STACK, start) || isGoFunction(text, start, end) || isGoCall(text, start, end);
}

// A function and its arguments, `panic({0x48e200?, 0xc00009a030?})`: a name with no space, then `(`, and `)` last.
// Read within the line: in a block, a search for `(` from the line's start could read on through the lines after it.
function isGoCall(text: string, start: number, end: number): boolean {
  if (codeAt(text, end - 1) !== 0x29 || !isIdentifierStart(codeAt(text, start))) return false;
  for (let index = start + 1; index < end; index++) {
    const code = codeAt(text, index);
    if (code === 0x28) return true;
    if (code <= SPACE) return false;
  }
  return false;
}

function isIdentifierStart(code: number): boolean {
  return ((code | 0x20) >= 0x61 && (code | 0x20) <= 0x7a) || code === 0x5f;
}

// Unicode's box-drawing characters, U+2500 to U+257F: the lines and corners of a table drawn in text.
function isBoxDrawing(code: number): boolean {
  return code >= 0x2500 && code <= 0x257f;
}

// The top of the panel rich draws a traceback in (`rich.traceback.install()`, `console.print_exception()`, structlog's
// console format where rich is installed): `╭───── Traceback (most recent call last) ─────╮`, the exception's line under
// it. A traceback in any other panel's title is rare enough.
function isRichTracebackTop(text: string, start: number, end: number): boolean {
  if (codeAt(text, start) !== 0x256d) return false;
  const at = text.indexOf('Traceback', start);
  return at !== -1 && at < end;
}

// The top of a table of columns: a top-left corner (`┌`, `┏`, `╭`, `╔` and their mixes), and a junction where a column
// starts (`┬`, `┳`, `╦` and their mixes). A box with no columns, a panel, a rule or a bar drawn with the same
// characters is no table (rich's traceback, a panel, is a traceback: isRichTracebackTop).
function isTableTop(text: string, start: number, end: number): boolean {
  const first = codeAt(text, start);
  if (!(first >= 0x250c && first <= 0x250f) && first !== 0x256d && !(first >= 0x2552 && first <= 0x2554)) return false;
  for (let index = start + 1; index < end; index++) {
    const code = codeAt(text, index);
    if ((code >= 0x252c && code <= 0x2533) || (code >= 0x2564 && code <= 0x2566)) return true;
  }
  return false;
}

// A frame of a Ruby backtrace as `e.backtrace` holds it: a Ruby file (no space in its path) or Ruby's own
// `<internal:…>`, its line number, and the method, quoted as Ruby up to 3.3 quotes it (`/app/crawl.rb:6:in
// `parse_price'`, `<internal:kernel>:173:in `Float'`) or as 3.4 does (`crawl.rb:6:in 'Object#parse_price'`).
const RUBY_FRAME = /^(?:\S*\.rb|<[^>\s]+>):\d+:in [`'].*'$/;

function isRubyFrame(text: string, start: number, end: number): boolean {
  // Its last unit rules out almost every other line that follows a record's first line, before a copy of it is made.
  return codeAt(text, end - 1) === 0x27 && end - start <= MAX_FRAME && RUBY_FRAME.test(text.slice(start, end));
}

// A longer line is no frame (and the pattern need not read it).
const MAX_FRAME = 1000;

// An exception as Java writes it (Throwable's toString): the full name of its class, and `: ` and its message if it
// has one (`java.lang.IllegalStateException: no price`). Java's loggers (java.util.logging, logback, log4j) write an
// exception logged with a record on the lines after the record's message, at the margin, its frames indented with a
// tab and each of its causes at the margin again, after them.
const JAVA_EXCEPTION = /^[a-z][\w$]*(?:\.[\w$]+)*\.[\w$]*(?:Exception|Error|Throwable)(?::|$)/;

// A cause, as Java writes it, and as log4j's `%rEx` writes the exception a cause was wrapped in, root cause first.
function isJavaCause(text: string, start: number): boolean {
  const first = codeAt(text, start);
  return (first === 0x43 && text.startsWith('Caused by: ', start)) || (first === 0x57 && text.startsWith('Wrapped by: ', start));
}

function isJavaException(text: string, start: number, end: number): boolean {
  // A package's name is lower case.
  const first = codeAt(text, start);
  return first >= 0x61 && first <= 0x7a && end - start <= MAX_EXCEPTION_LINE && JAVA_EXCEPTION.test(text.slice(start, end));
}

// A longer line is not read as an exception (and the pattern need not read it).
const MAX_EXCEPTION_LINE = 1000;

// `main.main`, `github.com/a/b.(*T).Method`, `main.Map[...]`, `main.crawl.func1.1`: a letter or `_` first, no space
// and no `:`, and after the last dot outside a generic's `[…]` a name, `(*T)`, or a closure's number after a name. A
// URL (`https://…`), a version (`v1.2.3`) and a sentence (`Done.`) are none.
function isGoFunction(text: string, start: number, end: number): boolean {
  if (end - start > 300) return false;
  if (!isIdentifierStart(codeAt(text, start))) return false;
  let lastDot = -1;
  let brackets = 0;
  for (let index = start; index < end; index++) {
    const code = codeAt(text, index);
    if (code <= SPACE || code === 0x3a) return false;
    if (code === 0x5b) brackets++;
    else if (code === 0x5d) brackets--;
    else if (code === 0x2e && brackets === 0) lastDot = index;
  }
  const afterDot = codeAt(text, lastDot + 1);
  // A closure's or an init's number (`main.crawl.func1.1`, `main.init.0`) after a name; a version's after a number.
  return lastDot !== -1 && (isIdentifierStart(afterDot) || afterDot === 0x28 || (isDigit(afterDot) && isIdentifierStart(codeAt(text, text.lastIndexOf('.', lastDot - 1) + 1))));
}

// Python 3.11's traceback of an exception group (asyncio's TaskGroup raises one) opens with an indented line, which by
// the platform's rule would join the line before it, a record at any level: `  + Exception Group Traceback (most recent
// call last):`. It starts a message of its own, its other lines indented but the one that opens its first
// sub-exception (`+-+---------------- 1 ----------------`), unless the message before takes a traceback there (a
// record at ERROR or above, right after its first line; a chain's gap), which then takes it whole.
export const GROUP_TRACEBACK_LINE = '  + Exception Group Traceback (most recent call last):';

// Whether the line at `start` is that first line: told by its third character (`  +`) before it is compared.
function isGroupTracebackLine(text: string, start: number): boolean {
  return codeAt(text, start + 2) === 0x2b && text.startsWith(GROUP_TRACEBACK_LINE, start);
}

// Whether `line` is that first line, and the message in `state` at `level` does not take it.
export function startsGroupTraceback(state: RecordState, level: number, line: string): boolean {
  if (!isGroupTracebackLine(line, 0)) return false;
  return !(((state === HEADER || state === ZAP_HEADER) && level >= ERROR) || state === CHAIN_GAP);
}

// Whether a message at CRITICAL is Node's report that V8's heap was full (see the top).
export function reportsFullHeap(text: string): boolean {
  return text.includes(FULL_HEAP);
}

// Python's rich logging handler (rich.logging.RichHandler) writes a record as `[12/07/26 20:22:46] INFO     crawl
// started   program.py:9`: the time, the level's name padded to eight columns, the message and where it was logged,
// the message's further lines (and rich's traceback) indented under the message. A record logged in the same second as
// the record before has its time left blank, `                    WARNING  slow response`: an indented line, which by
// the platform's rule would join the record before, and every record of a busy second would be one message. Where a
// stream's records have rich's layout, such a line starts a record of its own (continuation-grouper.ts).

// The time is rich's `[%x %X]` or one of the user's, in brackets.
const MAX_RICH_TIME = 40;

// The column of the level in a record of rich's layout with its time, or -1: a line that opens with `[`, the time's
// `] `, a padded level.
export function richLevelColumn(text: string): number {
  const close = text.indexOf('] ');
  return close > 0 && close < MAX_RICH_TIME && codeAt(text, 0) === 0x5b && richLevelAt(text, close + 2) !== undefined ? close + 2 : -1;
}

// The level of a record of rich's layout whose time is left blank, its level at `column`, or undefined.
export function blankTimeLevel(text: string, column: number): number | undefined {
  for (let index = 0; index < column; index++) if (codeAt(text, index) !== SPACE) return undefined;
  return richLevelAt(text, column);
}

// A level's name in capitals at `column`, padded with spaces to eight columns and followed by one more (rich's
// `{levelname:<8}`): a level word.
function richLevelAt(text: string, column: number): number | undefined {
  let end = column;
  while (end < column + RICH_LEVEL_WIDTH && isUpper(codeAt(text, end))) end++;
  if (end === column) return undefined;
  for (let index = end; index <= column + RICH_LEVEL_WIDTH; index++) if (codeAt(text, index) !== SPACE) return undefined;
  return levelFromWordAt(text, column, end);
}

const RICH_LEVEL_WIDTH = 8;
