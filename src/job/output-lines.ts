// What one output stream of the command means: each line becomes a log (grouped with the other lines of its message
// by line-meaning.ts), an item (a JSON object on stdout), a log record's message (a JSON log line, json-log.ts), or a
// message the command wrote in the protocol itself (`LOG {...}` on stdout).

import { stripVTControlCharacters } from 'node:util';
import { ContinuationGrouper } from '../lines/continuation-grouper.js';
import { codeAt } from '../lines/code-at.js';
import { LevelReader } from '../lines/detect-level.js';
import { jsonLogRecord, looksLikeJsonObject, nextRecordHint } from '../lines/json-log.js';
import { afterProgressBar, follow, GROUP_TRACEBACK_LINE, HEADER, isIndented, mayTakeLineAt, PLAIN, recordAfterProgress, reportsFullHeap, startState, STARTS_NEW, type RecordState } from '../lines/line-meaning.js';
import { RecordShapes, type RecordShape } from '../lines/record-shapes.js';
import { ASCII, NO_CONTROLS, NO_INDENTED_OR_EMPTY_LINES, NO_QUOTES, PLAIN as PLAIN_TEXT, PRINTABLE } from '../lines/text-flags.js';
import { LEVELS, MAX_MESSAGE_BYTES } from '../protocol/limits.js';
import { encodeLine } from '../protocol/encode.js';
import { isObjectJson, objectLinesEnd } from '../protocol/object-json.js';
import { commandOf, parseAt, payloadStart } from '../protocol/parse.js';
import { objectArrayElements, onOneLine, REPAIR, repairNonFinite, withoutElementComma } from '../protocol/repairs.js';
import { JsonSyntax } from './json-syntax.js';
import { LongLine } from './long-line.js';
import type { JobReport } from './report.js';
import type { StreamLines } from './stream-pump.js';

// A line redrawn with `\r` (a progress bar) is sent at most this often while it changes, then once when it ends; a
// state it shows for this long without a newer one is sent then.
export const REDRAW_INTERVAL_MS = 3_000;

export interface OutputOptions {
  // The level of a line that names none: 20 for stdout, 40 for stderr.
  level: number;
  // Whether JSON objects and protocol lines are read as messages (stdout), or every line is log text (stderr).
  messages: boolean;
  // Whether bare JSON object lines are items (`--no-items` turns this off).
  items: boolean;
  // Whether a line's prefix gives its level, and records group their lines (line-meaning.ts).
  detectLevels: boolean;
  // Whether JSON log records become log messages with their level (json-log.ts).
  jsonLogs: boolean;
  // Whether ANSI escape sequences stay in log text.
  keepAnsi: boolean;
  // Whether a line redrawn with `\r` is logged as a terminal shows it (else `\r` is an ordinary character).
  progressLines: boolean;
}

const ESC = '\u001b';
const CR = '\r';

export class OutputLines implements StreamLines {
  // When the current chunk was read; set by the reader once per chunk (one clock read, not one per line).
  now = 0;
  private readonly grouper: ContinuationGrouper;
  // An over-long line being received: its level, and a syntax check while it looks like a message.
  private longLine: { line: LongLine; level: number; syntax: JsonSyntax | undefined; streamsLog: boolean } | undefined;
  // When the redrawn line in progress last sent a state (or showed its first), 0 when none is in progress.
  private redrawnAt = 0;
  // The latest state of that line not sent, because it came too soon after the last one sent, and the timer that
  // sends it once it has been shown long enough: a slow bar (a state every few seconds) showed its states late, and
  // never its first.
  private unsentState: string | undefined;
  private unsentTimer: NodeJS.Timeout | undefined;
  // The state last sent: the splitter offers a state twice, while the line shows it and once a newer one follows.
  private sentState: string | undefined;
  private readonly levels: LevelReader;
  private readonly recordShapes = new RecordShapes();
  // Whether an object printed as a program's language shows it (a Python dict, a JavaScript object) has been said not
  // to be an item (sendGrouped), and whether a line that opens as one is still a problem line of the block path
  // (ProblemFinder).
  private saidObjectRepr = false;
  private readonly objectReprMatters = (): boolean => !this.saidObjectRepr && this.options.items && this.options.messages;
  // Whether the command printed Node's report that its JavaScript heap was full (line-meaning.ts), which the job's
  // ending line then explains.
  private heapFull = false;

  constructor(private readonly report: JobReport, private readonly options: OutputOptions, idleFlushMs?: number) {
    // A shell's trace goes to stderr, the stream whose lines are never messages.
    this.levels = new LevelReader(!options.messages);
    this.grouper = new ContinuationGrouper((text, time, flags, level, firstLine, jsonAt) => this.sendGrouped(text, time, flags, level, firstLine, jsonAt), {
      level: options.level,
      detect: options.detectLevels ? (line) => this.levels.detect(withoutAnsiToRead(line)) : undefined,
      idleMs: idleFlushMs,
    });
    if (options.progressLines) this.redraw = (shown) => this.sendRedrawn(shown);
  }

  get reportedFullHeap(): boolean {
    return this.heapFull;
  }

  line(text: string, flags: number): void {
    // The line being redrawn has ended (as a terminal shows it, or as a line that only looked redrawn: the first half
    // of a `\r\n` that a read cut off): what it showed before is not sent now.
    if (this.redrawnAt !== 0) this.endRedrawn();
    if (this.takeObjectLine(text, flags)) return;
    if (this.options.messages) {
      const start = payloadStart(text);
      if (start > 0 && this.takeMessage(text, start, flags)) return;
    }
    this.logLine(text, flags);
  }

  // A message of one or more lines (continuation-grouper.ts). One that is a JSON object printed with indentation
  // (line-meaning.ts: its first line is only `{`) is read on one line: a log record, or an item where object lines are
  // items. The first line is given apart: the text is a rope of its lines, and reading a character of it would flatten
  // every message (the recorded output scenario of the bench showed it).
  private sendGrouped(text: string, time: number, flags: number, level: number, firstLine: string, jsonAt: number): void {
    // JSON printed with indentation right after a record's first line, where object lines are items: the record, then
    // the item (a log line and then the item it scraped, printed with indentation; `logger.info("Scraped:\n%s",
    // json.dumps(item, indent=2))` on stdout alike).
    const itemsHere = this.options.items && this.options.messages;
    if (jsonAt !== -1 && itemsHere) {
      const printed = text.slice(jsonAt);
      if (this.sendJsonItems(onOneLine(printed), printed, time, flags, () => this.report.log(time, level, firstLine, flags))) return;
    }
    if (level === LEVELS.CRITICAL && !this.heapFull) this.heapFull = reportsFullHeap(text);
    // An object (or an array of objects: `jq . items.json`, json.dumps(items, indent=2)) printed with indentation.
    if (firstLine === '{' || firstLine === '[') {
      const json = onOneLine(text);
      if (firstLine === '{' && this.options.jsonLogs && this.takeRecord(json, flags)) return;
      if (itemsHere && this.sendJsonItems(json, text, time, flags, () => {})) return;
    }
    this.report.log(time, level, text, flags);
    // A Python dict printed with print() (`{'title': 'x'}`), or a JavaScript object with console.log()
    // (`{ title: 'x' }`), is no JSON and so no item: a program that meant it as one would lose every item without a
    // word. Said once, after the first that is a message of its own (one that a record's first line took, as Scrapy
    // logs the item it scraped, is that record's).
    const language = itemsHere && !this.saidObjectRepr ? printedObjectLanguage(text, 0) : undefined;
    if (language !== undefined) {
      this.saidObjectRepr = true;
      this.report.log(time, LEVELS.INFO, `shub-entrypoint: a line such as ${language.example} is ${language.what}, not JSON, ` +
        `so it is log text and not an item; to send items, print ${language.fix}`);
    }
  }

  // Sends JSON printed with indentation (`printed`, `json` on one line) as items, after `before`: an object, or an
  // array's objects. False, sending nothing, for anything else.
  private sendJsonItems(json: string, printed: string, time: number, flags: number, before: () => void, repair: number = REPAIR.ONE_LINE): boolean {
    const items = codeAt(json, 0) === 0x7b ? (isObjectJson(json) ? [json] : undefined) : objectArrayElements(json);
    if (items === undefined) return false;
    before();
    this.report.noteRepairs(time, repair);
    // An object too large to send goes as the text that was printed.
    if (items.length === 1 && items[0] === json) this.sendItem(json, printed, flags);
    else for (const item of items) this.sendItem(item, item, flags);
    return true;
  }

  // Takes a `{` line that is a log record or an item; false for any other line, which is log text.
  private takeObjectLine(text: string, flags: number): boolean {
    // A JSON array of objects printed on one line (`print(json.dumps(items))`) is its items, as one printed with
    // indentation is (sendGrouped).
    if (codeAt(text, 0) === 0x5b) return this.options.messages && this.options.items && opensObjectArray(text) && this.sendJsonItems(text, text, this.now, flags, () => this.grouper.flush(), REPAIR.ITEM_ARRAY);
    if (codeAt(text, 0) !== 0x7b) return false;
    if (this.options.jsonLogs && this.takeRecord(text, flags)) return true;
    if (!this.options.messages || !this.options.items || !looksLikeJsonObject(text)) return false;
    if (isObjectJson(text)) {
      this.sendItem(text, text, flags);
      return true;
    }
    // An object once the comma after it is gone (an element of a JSON array printed one a line), or once its NaN and
    // Infinity are written as null (Python's json writes them), is an item too; a record with a comma, a record.
    let json = text;
    let repairs = 0;
    const element = withoutElementComma(text);
    if (element !== undefined) {
      if (this.options.jsonLogs && this.takeRecord(element, flags)) return true;
      json = element;
      repairs = REPAIR.ARRAY_ELEMENT;
    }
    if (repairs === 0 || !isObjectJson(json)) {
      const finite = repairNonFinite(json);
      if (finite === undefined || !isObjectJson(finite)) return false;
      json = finite;
      repairs |= REPAIR.NON_FINITE;
    }
    // What was printed before the item goes before what is said about it.
    this.grouper.flush();
    this.report.noteRepairs(this.now, repairs);
    // Without its comma, the text is what its flags say; with nulls written in, it is new text.
    this.sendItem(json, text, repairs === REPAIR.ARRAY_ELEMENT ? flags : 0);
    return true;
  }

  // A JSON log record, sent as one; false when `json` is none. Where object lines are never items (stderr), a level is
  // enough to make one.
  private takeRecord(json: string, flags: number): boolean {
    const record = jsonLogRecord(json, !this.options.messages);
    if (record === undefined) return false;
    this.beforeRecords();
    this.report.stats.increment('shub_entrypoint/json_log_records');
    // Printable text without a backslash has no escape for JSON.parse to turn into a control or non-ASCII character:
    // the record's message, made of its parts, is printable too and needs no ASCII escaping.
    if ((flags & PRINTABLE) === PRINTABLE && !json.includes('\\')) this.report.log(this.now, record.level, record.message, PRINTABLE);
    else this.report.log(this.now, record.level, this.visible(record.message));
    this.recordShapes.learn(json);
    return true;
  }

  // Items and logs of one stream keep their order: what was printed before goes first. One too large to send is
  // sent as the text that was printed.
  private sendItem(json: string, printed: string, flags: number): void {
    this.grouper.flush();
    if (!this.report.trySendItem(json, flags)) this.sendAsText(printed, 'ITM', encodeLine('ITM', json, flags).length);
  }

  // Log text: as a terminal shows it (after its last `\r`), without colour codes unless they are kept.
  private logLine(text: string, flags: number): void {
    if ((flags & NO_CONTROLS) === 0) {
      const redrawn = this.options.progressLines ? text.lastIndexOf(CR) : -1;
      if (redrawn !== -1) {
        // The final state of a redrawn line stands alone: it may start with spaces, as progress bars do.
        this.grouper.flush();
        const shown = this.visible(text.slice(redrawn + 1));
        // A record logged on the bar's line is a line of its own: at its level, and a traceback after it joins it.
        const named = this.namedLevel(shown);
        const record = this.options.detectLevels && named === undefined ? recordAfterProgress(shown) : -1;
        if (record !== -1) {
          const bar = shown.slice(0, record);
          this.report.log(this.now, this.progressLevel(bar), bar);
          this.grouper.add(shown.slice(record), this.now, flags);
          return;
        }
        // So is an item printed on the bar's line (tqdm on stdout, and a print of the item's JSON).
        // The item is the text the accepting test read (the bar ends at the first `]` whose rest is one).
        let item = '';
        const itemAt = this.options.items && named === undefined ? afterProgressBar(shown, (start) => isObjectJson(item = shown.slice(start))) : -1;
        if (itemAt !== -1) {
          const bar = shown.slice(0, itemAt);
          this.report.log(this.now, this.progressLevel(bar), bar);
          this.sendItem(item, item, flags);
          return;
        }
        if (shown.length > 0) this.report.log(this.now, this.progressLevelOf(named), shown);
        return;
      }
      if (!this.options.keepAnsi && text.includes(ESC)) text = withoutAnsi(text);
    }
    this.grouper.add(text, this.now, flags);
  }

  // See LineHandler; absent when `\r` is an ordinary character.
  readonly redraw?: (shown: string) => void;

  // A state of a line being redrawn with `\r`, before the line ends: sent if the last one sent is old enough.
  private sendRedrawn(shown: string): void {
    // The line's first state waits: a quick bar's is gone at once, and its end is all that is sent of it.
    if (this.redrawnAt === 0) this.redrawnAt = this.now;
    const since = this.now - this.redrawnAt;
    if (since < REDRAW_INTERVAL_MS) this.holdState(shown, REDRAW_INTERVAL_MS - since);
    else this.sendState(shown, this.now);
  }

  // Keeps the latest state not sent, to be sent `delay` ms after the first one kept, unless one is sent before.
  private holdState(shown: string, delay: number): void {
    this.unsentState = shown;
    this.unsentTimer ??= setTimeout(() => {
      this.unsentTimer = undefined;
      if (this.unsentState !== undefined) this.sendState(this.unsentState, Date.now());
    }, delay).unref();
  }

  private sendState(shown: string, now: number): void {
    this.dropUnsentState();
    this.redrawnAt = now;
    const text = this.visible(shown);
    if (text.length === 0 || text === this.sentState) return;
    this.sentState = text;
    this.grouper.flush();
    this.report.log(now, this.progressLevel(text), text);
  }

  private endRedrawn(): void {
    this.redrawnAt = 0;
    this.sentState = undefined;
    this.dropUnsentState();
  }

  private dropUnsentState(): void {
    this.unsentState = undefined;
    clearTimeout(this.unsentTimer);
    this.unsentTimer = undefined;
  }

  // Progress is not an error: with level detection, a redrawn line that names no level is INFO even on stderr
  // (where tqdm and most progress bars draw).
  private progressLevel(text: string): number {
    return this.progressLevelOf(this.namedLevel(text));
  }

  private progressLevelOf(named: number | undefined): number {
    return this.options.detectLevels ? named ?? LEVELS.INFO : this.options.level;
  }

  // The level a line names, when levels are detected.
  private namedLevel(text: string): number | undefined {
    return this.options.detectLevels ? this.levels.detect(withoutAnsiToRead(text)) : undefined;
  }

  private visible(text: string): string {
    return this.options.keepAnsi || !text.includes(ESC) ? text : withoutAnsi(text);
  }

  // Complete lines of a chunk at once (never its first or last line). Runs of lines that are each sure to be a
  // single-line message are encoded in one go, a run per level; every other line takes the ordinary path, in order.
  block(text: string, flags: number): boolean {
    // Until one is said not to be an item, a Python dict's line takes the line path, where it is told from a record's.
    const problems = new ProblemFinder(text, flags, this.objectReprMatters);
    // Where the next line that may be a JSON log record has its level key (-1: not looked for yet).
    let recordHint = -1;
    let start = 0;
    while (start <= text.length) {
      // A run of items ends before a line that may be a log record, which is looked for first: a run of object lines
      // matched past it would be matched again from each record's line on (a log of pino's records, line after line).
      let itemsLimit = text.length;
      if (this.options.jsonLogs && codeAt(text, start) === 0x7b) {
        const records = this.recordShapes.runAt(text, start, (flags & ASCII) !== 0);
        const recordsEnd = records === undefined ? -1 : this.sendRecordRun(text, start, records.end, flags, records.shape);
        if (recordsEnd >= start) {
          this.recordShapes.ranTo(text, start, recordsEnd);
          start = recordsEnd + 1;
          continue;
        }
        if (recordHint < start) {
          recordHint = nextRecordHint(text, start);
          if (recordHint === -1) recordHint = text.length;
        }
        if (recordHint < text.length) itemsLimit = text.lastIndexOf('\n', recordHint);
      }
      // Items first: a block of items alone never needs the problem scans (the bench's JSON items scenario).
      const itemsEnd = this.itemRunEnd(text, start, itemsLimit);
      if (itemsEnd > start) {
        this.grouper.flush();
        this.report.itemRun(text, start, itemsEnd, flags);
        start = itemsEnd + 1;
        continue;
      }
      // A log run ends before the line that holds the next problem (a continued line holds one), and always before
      // the block's last line: the line after it, outside this text, may continue it.
      const runEnd = text.lastIndexOf('\n', problems.next(start) - 1);
      if (runEnd > start) {
        start = this.options.detectLevels ? this.detectedRuns(text, start, runEnd, flags) : this.run(text, start, runEnd, this.options.level, flags);
        continue;
      }
      const indentedEnd = this.continuedLines(text, start, flags, problems);
      if (indentedEnd !== -1) {
        start = indentedEnd + 1;
        continue;
      }
      let lineEnd = text.indexOf('\n', start);
      if (lineEnd === -1) lineEnd = text.length;
      this.blockLine(text, start, lineEnd, flags, problems);
      start = lineEnd + 1;
    }
    return true;
  }

  // JSON log records of one known shape (record-shapes.ts), each sent as takeObjectLine sends it.
  // Returns where the run ended (found as it is written, when `end` is undefined: see RecordShapes#runAt).
  private sendRecordRun(text: string, start: number, end: number | undefined, flags: number, shape: RecordShape): number {
    this.beforeRecords();
    const run = this.report.logRecordRun(this.now, shape, text, start, end, (flags & ASCII) !== 0);
    this.report.stats.increment('shub_entrypoint/json_log_records', run.count);
    return run.end;
  }

  // Before JSON log records go: the pending message goes first, and where a JSON object line is otherwise an item
  // (stdout), the first record is said to be a log.
  private beforeRecords(): void {
    this.grouper.flush();
    if (this.options.items) this.report.noteRecordsOnStdout(this.now);
  }

  // Indented lines from `start` on, which continue the pending message, given to it at once (the lines of a traceback,
  // of a pretty-printed dict). Returns where the last one taken ends, or -1 when they take the ordinary path: a line
  // with colour codes or a `\r`, which the line path treats, ends them.
  private continuedLines(text: string, start: number, flags: number, problems: ProblemFinder): number {
    if (!isIndented(text, start, text.length)) return -1;
    const room = this.grouper.continuationRoom();
    if (room < 0) return -1;
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    while (end < text.length && isIndented(text, end + 1, text.length)) {
      end = text.indexOf('\n', end + 1);
      if (end === -1) end = text.length;
    }
    const control = problems.nextControl(start);
    if (control < end) end = text.lastIndexOf('\n', control);
    // An exception group's traceback may start a message of its own (line-meaning.ts): its line takes the line path.
    const group = problems.nextGroupTraceback(start);
    if (group < end && (group === start || codeAt(text, group - 1) === 0x0a)) end = group - 1;
    // The lines that fit the message's size cap; the line after them starts a message of its own, on the line path.
    if (end - start > room) end = text.lastIndexOf('\n', start + room);
    if (end <= start) return -1;
    this.grouper.continueWith(text.slice(start, end), flags);
    return end;
  }

  // The lines of [start, end) (`end` is the `\n` after the last), with nothing to escape specially, each not
  // continued, under level detection: runs of single-line messages of one level go at once; two lines that make
  // one message (line-meaning.ts) take the ordinary path. Returns where the next line starts.
  private detectedRuns(text: string, start: number, end: number, flags: number): number {
    let runStart = start;
    let runLevel = this.options.level;
    let previous = -1;
    let previousEnd = -1;
    let previousState: RecordState = PLAIN;
    let previousLevel = 0;
    let previousNamed: number | undefined;
    const ascii = (flags & ASCII) !== 0;
    for (let lineStart = start; lineStart < end;) {
      const lineEnd = text.indexOf('\n', lineStart);
      const named = this.levels.detect(text, lineStart, lineEnd, ascii);
      // A pending message from the ordinary path (a record) may take this line.
      if (previous === -1 && this.grouper.joins(text, lineStart, lineEnd, named)) {
        this.readLine(text.slice(lineStart, lineEnd), flags, named);
        lineStart = runStart = lineEnd + 1;
        continue;
      }
      if (previous !== -1 && follow(previousState, previousLevel, text, lineStart, lineEnd, named) !== STARTS_NEW) {
        this.run(text, runStart, previous - 1, runLevel, flags);
        this.readLine(text.slice(previous, previousEnd), flags, previousNamed);
        this.readLine(text.slice(lineStart, lineEnd), flags, named);
        previous = -1;
        lineStart = runStart = lineEnd + 1;
        continue;
      }
      const level = named ?? this.options.level;
      if (level !== runLevel) {
        this.run(text, runStart, lineStart - 1, runLevel, flags);
        runStart = lineStart;
        runLevel = level;
      }
      previous = lineStart;
      previousEnd = lineEnd;
      previousState = startState(text, lineStart, lineEnd, named, true);
      previousLevel = level;
      previousNamed = named;
      lineStart = lineEnd + 1;
      // The lines after it that surely name the same level (one logger's lines, one native test for all): each a
      // single-line record (HEADER), none joining the one before; they extend the run.
      if (named === undefined || previousState !== HEADER) continue;
      const sameEnd = this.levels.sameLevelEnd(text, lineStart, end + 1, ascii);
      if (sameEnd > lineStart) {
        previousEnd = sameEnd - 1;
        previous = text.lastIndexOf('\n', previousEnd - 1) + 1;
        lineStart = sameEnd;
      }
    }
    // The last line may be a record that the next line (a problem line, outside the run) joins.
    if (previous !== -1 && mayTakeLineAt(previousState, text, end + 1)) {
      this.run(text, runStart, previous - 1, runLevel, flags);
      this.readLine(text.slice(previous, previousEnd), flags, previousNamed);
    } else {
      this.run(text, runStart, end, runLevel, flags);
    }
    return end + 1;
  }

  // A line of a block, from `start` to the `\n` at `lineEnd` (or the text's end), that no run takes (a traceback's
  // first line, the line a Java stack follows). One that needs none of the line path's own treatment has its level
  // read in the block, where the search ahead for level words spares most lines the scan that the line alone would
  // take (the bench's mixed text). The line path's own: a protocol line; a `\r` (but a CRLF's, which ends the line
  // before it) or colour codes; an indented or empty line, whose level the pending message may not read
  // (continuation-grouper.ts).
  private blockLine(text: string, start: number, lineEnd: number, flags: number, problems: ProblemFinder): void {
    const end = codeAt(text, lineEnd - 1) === 0x0d ? lineEnd - 1 : lineEnd;
    const line = text.slice(start, end);
    if (!this.options.detectLevels || codeAt(text, start) <= 0x20 || payloadStart(text, start) > 0 || problems.nextControl(start) < end) {
      this.line(line, flags);
    } else if (!this.takeObjectLine(line, flags)) {
      this.readLine(line, flags, this.levels.detect(text, start, end, (flags & ASCII) !== 0));
    }
  }

  // A line of a block whose level, `named`, has been read there: log text, as the line path takes it, without reading
  // its level again. (No line of a run is an object or protocol line, or holds a `\r` or colour codes, which the line
  // path treats: each is a problem that ends a run; blockLine sends such lines the line path's way.)
  private readLine(text: string, flags: number, named: number | undefined): void {
    this.grouper.addRead(text, this.now, flags, named);
  }

  // Sends the lines of [start, end) as single-line messages at `level`; returns where the next line starts.
  private run(text: string, start: number, end: number, level: number, flags: number): number {
    if (end > start) {
      this.grouper.flush();
      this.report.logRun(this.now, level, text, start, end, flags);
    }
    return end + 1;
  }

  // Where a run of item lines starting at `start` and ending at `limit` at the latest (a line's end) ends, or -1. The
  // run's lines hold no control (the pattern takes none), so the only escaping they may need is of units above 0x7E,
  // which report.itemRun does for the run at once.
  private itemRunEnd(text: string, start: number, limit: number): number {
    if (!this.options.items || !this.options.messages || codeAt(text, start) !== 0x7b || limit <= start) return -1;
    // A slice from 0 keeps the indices; V8 makes it without copying.
    return objectLinesEnd(limit < text.length ? text.slice(0, limit) : text, start);
  }

  // An over-long line is text, sent in pieces as it arrives. One that looks like an item or protocol message is
  // checked as it passes: if it was one, an ERROR says it was too large to send as such.
  piece(text: string, last: boolean): void {
    if (!this.longLine) {
      this.grouper.flush();
      const line = new LongLine(text);
      const looksLikeMessage = this.options.messages && line.payload !== -1 && (line.payload !== 0 || this.options.items);
      // A LOG line's message is sent as it arrives (long-log.ts); any other long line is text, checked as it passes.
      const streamsLog = looksLikeMessage && line.command === 'LOG';
      if (streamsLog) line.streamLog(this.report, this.now);
      this.longLine = { line, level: this.levelOf(this.visible(text)), syntax: looksLikeMessage && !streamsLog ? new JsonSyntax() : undefined, streamsLog };
      this.longLine.syntax?.add(text.slice(line.payload));
    } else {
      this.longLine.syntax?.add(text);
    }
    const { line, level, syntax } = this.longLine;
    line.add(text);
    // A `LOG {` line that proves not to be an object before any of its message was sent is text after all.
    if (this.longLine.streamsLog && line.logAbandoned) this.longLine.streamsLog = false;
    const { streamsLog } = this.longLine;
    if (!streamsLog) this.report.log(this.now, level, this.visible(text));
    if (!last) return;
    this.longLine = undefined;
    // Too long to be one message: a LOG's message went in parts as it came; an item or other message's text went as
    // log text, which an ERROR names once, at its end.
    if (streamsLog) line.reportEnd(this.report, this.now, 'a long LOG line on stdout');
    else if (syntax?.isObject) this.report.sentAsText(this.now, line.command, line.messageSize, line.start);
  }

  // After each chunk: start or restart the idle timer of a pending message.
  chunkDone(): void {
    this.grouper.armIdleFlush();
  }

  // The wrapper stopped reading (the pipe's reader is behind): no idle flush until it reads again.
  readingHeld(): void {
    this.grouper.holdIdleFlush();
  }

  end(): void {
    this.endRedrawn();
    this.grouper.close();
  }

  private takeMessage(text: string, start: number, flags: number): boolean {
    const parsed = parseAt(text, start, this.now);
    if (!parsed.ok && parsed.kind === 'syntax') {
      // Only looks like a message: it stays log text. A REQ the command meant still counts for `parent` indexes.
      if (commandOf(text, start) === 'REQ') this.report.requestNotSent();
      return false;
    }
    this.grouper.flush();
    if (!parsed.ok) {
      this.report.reject(this.now, `a protocol line on stdout was not sent: ${parsed.reason}`, text, commandOf(text, start));
    } else if (parsed.message.command === 'ITM' || parsed.message.command === 'REQ') {
      // A LOG too large for one message is split by the report; an item or request is sent as text instead.
      const size = encodeLine(parsed.message.command, parsed.message.json, flags).length;
      if (size <= MAX_MESSAGE_BYTES) this.report.forward(this.now, parsed.message, flags, parsed.repairs);
      else this.sendAsText(text, parsed.message.command, size);
    } else {
      this.report.forward(this.now, parsed.message, flags, parsed.repairs);
    }
    return true;
  }

  // A message too large to send as one: its text goes as log text, and an ERROR says why.
  private sendAsText(text: string, command: 'ITM' | 'LOG' | 'REQ', size: number): void {
    this.report.log(this.now, this.options.level, text);
    this.report.sentAsText(this.now, command, size, text);
  }

  private levelOf(text: string): number {
    return this.options.detectLevels ? this.levels.detect(withoutAnsiToRead(text)) ?? this.options.level : this.options.level;
  }
}

function withoutAnsi(text: string): string {
  return stripVTControlCharacters(text);
}

// The text a level is read from: colour codes would hide a level word (`\u001b[33mwarn\u001b[39m:`), even when they
// are kept in the message.
function withoutAnsiToRead(text: string): string {
  return text.includes(ESC) ? withoutAnsi(text) : text;
}

// Where, from a position on, the next line that cannot join a run is: one that may be an item, a JSON log record or
// a protocol line (see braceMatters), one with a backslash or a CR (which a run's encoding cannot take) or an ESC
// (colour codes to remove), an empty line, or a line followed by a continuation. Each kind's next position is kept
// until passed, so a whole chunk costs one scan per kind, and kinds the chunk's flags rule out are not scanned at all
// (the bench's log lines).
const PROBLEMS: ReadonlyArray<{ text: string; absentWith: number }> = [
  { text: '{', absentWith: 0 },
  { text: '\\', absentWith: NO_QUOTES },
  { text: '\r', absentWith: NO_CONTROLS },
  { text: '\n ', absentWith: NO_INDENTED_OR_EMPTY_LINES },
  { text: '\n\t', absentWith: NO_CONTROLS | NO_INDENTED_OR_EMPTY_LINES },
  { text: '\n\n', absentWith: NO_INDENTED_OR_EMPTY_LINES },
];

// The flags that rule kinds out.
const KIND_FLAGS = PLAIN_TEXT | NO_INDENTED_OR_EMPTY_LINES;

// The kinds worth scanning for, by chunk flags (those of KIND_FLAGS), chosen once here rather than for every block.
function kindsByFlags(problems: ReadonlyArray<{ text: string; absentWith: number }>): ReadonlyArray<readonly string[]> {
  return Array.from({ length: KIND_FLAGS + 1 }, (_, flags) => problems.filter(({ absentWith }) => (flags & absentWith) === 0).map(({ text }) => text));
}

// ESC always: a coloured line's level is read without its colour codes, kept or not, which only the line path does.
// And a line that opens with one is a problem at the end of the line before, as an indented line is: once its codes
// are removed it may be indented (Playwright dims the lines of its call log), and so continue that line.
const KINDS_BY_FLAGS = kindsByFlags([...PROBLEMS, { text: ESC, absentWith: NO_CONTROLS }, { text: `\n${ESC}`, absentWith: NO_CONTROLS }]);
const CONTROL_KINDS_BY_FLAGS = KINDS_BY_FLAGS.map((kinds) => [CR, ESC].map((kind) => kinds.indexOf(kind)).filter((kind) => kind !== -1));

// How many searches for a kind of problem the blocks have cost so far (what the flags save is visible to tests only
// this way).
export const problemSearches = { count: 0 };

class ProblemFinder {
  // The kinds worth looking for, and of them those that the line path treats and a run of continuation lines cannot
  // take (`\r` and ESC), by the text's flags.
  private readonly kinds: readonly string[];
  private readonly controlKinds: readonly number[];
  // Each kind's next position, kept until passed.
  private readonly positions: number[];
  // Which kind is `{`, whose every match is checked (braceMatters).
  private readonly brace: number;
  // The next exception group's traceback, kept until passed.
  private groupTraceback = -1;

  // `objectReprs`: whether a line that opens as an object printed by print() or console.log() is a problem too
  // (OutputLines.sendGrouped).
  constructor(private readonly text: string, flags: number, private readonly objectReprs: () => boolean) {
    this.kinds = KINDS_BY_FLAGS[flags & KIND_FLAGS] as readonly string[];
    this.controlKinds = CONTROL_KINDS_BY_FLAGS[flags & KIND_FLAGS] as readonly number[];
    this.positions = this.kinds.map(() => -1);
    this.brace = this.kinds.indexOf('{');
  }

  // The index of a problem at or after `from` (the text's length when there is none), as a position inside the
  // problem line; a line that starts with a space, a tab or nothing at `from` is a problem at `from`.
  next(from: number): number {
    const first = codeAt(this.text, from);
    if (from >= this.text.length || first === 0x20 || first === 0x09 || first === 0x0a) return from;
    let nearest = this.text.length;
    for (let kind = 0; kind < this.kinds.length; kind++) nearest = Math.min(nearest, this.positionOf(kind, from));
    return nearest;
  }

  // Where the next line that opens an exception group's traceback starts, at or after `from` (the text's length when
  // there is none): one search a block, as such lines are rare.
  nextGroupTraceback(from: number): number {
    if (this.groupTraceback < from) {
      const at = this.text.indexOf(GROUP_TRACEBACK_LINE, from);
      this.groupTraceback = at === -1 ? this.text.length : at;
    }
    return this.groupTraceback;
  }

  // Where the next `\r` or ESC is at or after `from` (the text's length when there is none).
  nextControl(from: number): number {
    let nearest = this.text.length;
    for (const kind of this.controlKinds) nearest = Math.min(nearest, this.positionOf(kind, from));
    return nearest;
  }

  private positionOf(kind: number, from: number): number {
    let position = this.positions[kind] as number;
    if (position < from) {
      problemSearches.count++;
      position = this.text.indexOf(this.kinds[kind] as string, from);
      if (kind === this.brace) while (position !== -1 && !this.braceMatters(position)) position = this.text.indexOf('{', position + 1);
      if (position === -1) position = this.text.length;
      this.positions[kind] = position;
    }
    return position;
  }

  // Whether a `{` may make its line an object (at its start: a Python dict repr, `{'a': 1}`, or a JavaScript object,
  // `{ a: 1 }`, in a list or not, is text on the line path too, and a problem only while `objectReprs`) or a protocol
  // line (payloadStart); any other `{` is text (Crawlee's data after a message, the bench's dicts).
  private braceMatters(position: number): boolean {
    const { text } = this;
    if (startsLine(text, position)) return looksLikeJsonObject(text, position) || this.isObjectRepr(position);
    const listStart = position - (codeAt(text, position - 1) === 0x20 ? 2 : 1);
    if (codeAt(text, listStart) === 0x5b && startsLine(text, listStart)) return looksLikeJsonObject(text, position) || this.isObjectRepr(listStart);
    const lineStart = position - 4;
    return lineStart >= 0 && startsLine(text, lineStart) && payloadStart(text, lineStart) === 4;
  }

  private isObjectRepr(lineStart: number): boolean {
    return this.objectReprs() && printedObjectLanguage(this.text, lineStart) !== undefined;
  }
}

// Whether a line that opens with `[` may be a JSON array of objects: a `{` after it, spaces apart, and `]` at its end.
function opensObjectArray(line: string): boolean {
  let index = 1;
  while (codeAt(line, index) === 0x20) index++;
  return codeAt(line, index) === 0x7b && codeAt(line, line.length - 1) === 0x5d;
}

function startsLine(text: string, position: number): boolean {
  return position === 0 || (position > 0 && codeAt(text, position - 1) === 0x0a);
}

// How a Python dict printed with print() opens, alone or in a list (`{'title': `, `[{'title': `), and a JavaScript
// object printed with console.log(), as util.inspect writes it (`{ title: `, `{ 'og:title': `), on one line or over
// several, alone or in an array.
const PYTHON_DICT = /\[?\{'/y;
const JAVASCRIPT_OBJECT = /(?:\[(?: |\n +))?\{(?: |\n +)(?:[A-Za-z_$][\w$]*|'(?:[^'\\\n]|\\.)*'): /y;
const PRINTED_OBJECTS = [
  { shape: PYTHON_DICT, example: "{'title': ...}", what: 'a Python dict printed with print()', fix: 'json.dumps(item)' },
  { shape: JAVASCRIPT_OBJECT, example: "{ title: ... }", what: 'a JavaScript object printed with console.log()', fix: 'JSON.stringify(item)' },
];

// The language whose way of printing an object the text at `start` opens with, if any.
function printedObjectLanguage(text: string, start: number): (typeof PRINTED_OBJECTS)[number] | undefined {
  // Asked of every message on stdout until the hint is said: most open with neither bracket.
  const first = codeAt(text, start);
  if (first !== 0x7b && first !== 0x5b) return undefined;
  return PRINTED_OBJECTS.find(({ shape }) => {
    shape.lastIndex = start;
    return shape.test(text);
  });
}
