// Everything the job sends goes through here: logs, items, the command's own messages, stats and the one FIN.
// Keeping it in one place is what makes "exactly one FIN, last" and the counters true on every path.

import { type RecordShape, writeRecordRun } from '../lines/record-shapes.js';
import { PLAIN } from '../lines/text-flags.js';
import { encodeLine, encodeLog, encodeLogBytes, encodeItemRun, encodeLogRun, encodeObject, frameItemRun, frameLogRun, LONG_TEXT_UNITS } from '../protocol/encode.js';
import { LEVELS, MAX_MESSAGE_BYTES, QUOTE_CHARS } from '../protocol/limits.js';
import type { Command, Message } from '../protocol/message.js';
import { REPAIR, REPAIR_KINDS } from '../protocol/repairs.js';
import type { BatchedWriter } from '../sink/batched-writer.js';
import { JobStats } from './job-stats.js';
import { RequestNumbers } from './request-numbers.js';
import { limitStats } from './stats-limit.js';

export class JobReport {
  readonly stats = new JobStats();
  private commandOutcome: string | undefined;
  private finished = false;
  private readonly requests = new RequestNumbers();
  // The kinds of repair already said in the log (REPAIR bits).
  private repairsNoted = 0;
  private recordsOnStdoutNoted = false;

  constructor(private readonly writer: BatchedWriter) {}

  // `flags` (text-flags.ts) say what in the text needs escaping; 0 when unknown. `log_count/*` counts messages
  // sent, here as everywhere: a text cut into several messages counts as several.
  log(time: number, level: number, text: string, flags = 0): void {
    if (this.finished) return;
    const bytes = text.length >= LONG_TEXT_UNITS && (flags & PLAIN) !== PLAIN ? encodeLogBytes(time, level, text) : undefined;
    if (bytes) {
      this.writer.writeBytes(bytes);
      this.stats.countLog(level);
      return;
    }
    const { lines, count } = encodeLog(time, level, text, flags);
    this.writer.write(lines);
    this.stats.countLog(level, count);
  }

  // Lines written as bytes go into the writer's batch (BatchedWriter#append).
  private readonly appendBytes = (bytes: Buffer): void => {
    if (!this.finished) this.writer.append(bytes);
  };

  // Several single-line messages at once: the lines of `text` from `start` (a line start) to `end` (where the last
  // ends), with `flags` (text-flags.ts). See frameLogRun and encodeLogRun.
  logRun(time: number, level: number, text: string, start: number, end: number, flags: number): void {
    if (this.finished) return;
    const framed = frameLogRun(time, level, text, start, end, flags, this.appendBytes);
    this.stats.countLog(level, this.restAsStrings(framed, text, start, end, (run) => encodeLogRun(time, level, run, flags)));
  }

  // After the lines the module framed of [start, end) of `text` (none when `framed` is undefined), the rest as
  // `encode` writes them as strings; returns how many lines in all.
  private restAsStrings(framed: { count: number; to: number } | undefined, text: string, start: number, end: number,
    encode: (run: string) => { lines: string; count: number }): number {
    const rest = framed?.to ?? start;
    if (rest > end) return framed?.count ?? 0;
    const encoded = encode(text.slice(rest, end));
    this.writer.write(encoded.lines);
    return (framed?.count ?? 0) + encoded.count;
  }

  // JSON log records of one shape at once (see writeRecordRun): the lines of `text` from `start` (a line start) to
  // `end` (where the last ends; undefined: as far as the lines are of the shape), written by the module where `ascii`,
  // else as strings. Returns how many, and where the run ended. They come from one block of input (line-splitter.ts,
  // BLOCK_UNITS), so each is far below the size limit even with every character escaped.
  logRecordRun(time: number, shape: RecordShape, text: string, start: number, end: number | undefined, ascii: boolean): { count: number; end: number } {
    const run = writeRecordRun(shape, time, text, start, end, ascii, this.appendBytes, this.writeLines);
    return { count: this.finished ? 0 : this.countRecords(shape, run.counts), end: run.end };
  }

  // Lines written as strings (BatchedWriter#write), none once the job is finished.
  private readonly writeLines = (lines: string): void => {
    if (!this.finished) this.writer.write(lines);
  };

  // Counts the records of a run by level (counts in the order of the shape's levels); returns how many.
  private countRecords(shape: RecordShape, counts: readonly number[]): number {
    let total = 0;
    shape.levels.forEach(([, level], index) => {
      const count = counts[index] as number;
      if (count > 0) this.stats.countLog(level, count);
      total += count;
    });
    return total;
  }

  // Several validated items at once: the lines of `text` from `start` to `end`, with `flags`, as logRun takes them (see
  // frameItemRun and encodeItemRun); each is far below the size limit, every unit escaped.
  itemRun(text: string, start: number, end: number, flags: number): void {
    if (this.finished) return;
    const framed = frameItemRun(text, start, end, flags, this.appendBytes);
    this.stats.increment('item_scraped_count', this.restAsStrings(framed, text, start, end, (run) => encodeItemRun(run, flags)));
  }

  // An item whose JSON text has been validated as an object; one too large to send is reported and counted.
  // Returns whether it was sent.
  item(time: number, json: string, flags = 0): boolean {
    if (this.finished) return false;
    if (this.trySendItem(json, flags)) return true;
    this.tooLarge(time, 'ITM', encodeLine('ITM', json, flags).length, json);
    return false;
  }

  // The same, but one too large to send is left to the caller (the command's output sends its text as logs
  // instead): returns false, having sent nothing.
  trySendItem(json: string, flags = 0): boolean {
    if (this.finished) return true;
    const line = encodeLine('ITM', json, flags);
    if (line.length > MAX_MESSAGE_BYTES) return false;
    this.writer.write(line);
    this.stats.increment('item_scraped_count');
    return true;
  }

  // A message the command sent itself (a protocol line on stdout, or a line on its own pipe), already validated;
  // `repairs` (REPAIR bits) say what the parse changed to make it acceptable.
  forward(time: number, message: Message, flags = 0, repairs = 0): void {
    if (this.finished) return;
    const json = message.json;
    if (message.command === 'REQ') repairs |= this.renumberParent(message);
    if (repairs !== 0) this.noteRepairs(time, repairs);
    // A payload written anew: the flags of the text read say nothing about it.
    if (repairs !== 0 || message.json !== json) flags = 0;
    switch (message.command) {
      case 'ITM':
        this.item(time, message.json, flags);
        return;
      case 'FIN':
        return this.holdOutcome(time, message.value.outcome);
      case 'STA':
        this.stats.setCommandStats(message.value.stats);
        // Sent at the command's time; the wrapper's own stats (elapsed time) are taken at its own, which a command
        // that writes seconds for milliseconds cannot make negative.
        return this.writeStats(message.value.time as number, time);
      case 'LOG':
        return this.commandLog(message, flags);
      case 'REQ':
        return this.request(time, message, flags);
    }
  }

  // An ERROR log for input that could not be sent, quoting its start so the user can find it. `command` is the
  // command the input was meant as, when known.
  reject(time: number, reason: string, text: string, command?: Command): void {
    if (command === 'REQ') this.requestNotSent();
    this.stats.increment('shub_entrypoint/invalid_lines');
    this.log(time, LEVELS.ERROR, `${reason}. It began: ${quote(text)}`);
  }

  // Counts a line changed to be acceptable, and says what was done the first time each kind of change is made.
  noteRepairs(time: number, repairs: number): void {
    this.stats.increment('shub_entrypoint/repaired_lines');
    for (const { repair, note } of REPAIR_KINDS) {
      if ((repairs & repair) === 0 || (this.repairsNoted & repair) !== 0) continue;
      this.repairsNoted |= repair;
      this.log(time, LEVELS.WARNING, `a message from the command was changed so that Scrapy Cloud accepts it: ${note}. ` +
        'Later messages changed this way are counted in the stat shub_entrypoint/repaired_lines, not logged');
    }
  }

  // Says once that JSON log records on stdout, where a JSON object line is otherwise an item, are sent as logs: an
  // item that has a level, a message and a time (a status page's incidents) is taken for one, and this says how to
  // keep such lines items.
  noteRecordsOnStdout(time: number): void {
    if (this.recordsOnStdoutNoted) return;
    this.recordsOnStdoutNoted = true;
    this.log(time, LEVELS.INFO, 'shub-entrypoint: JSON object lines on stdout that have a level, a message and a time ' +
      '(pino, structlog and others), or open with a level and a message (winston), are sent as log messages, not items; ' +
      '--no-json-logs makes every JSON object line on stdout an item');
  }

  // A REQ the command wrote that is not sent: later `parent` indexes are renumbered to skip it.
  requestNotSent(): void {
    this.requests.notSent();
  }

  // The job's stats now, at `time`.
  sendStats(time: number): void {
    this.writeStats(time, time);
  }

  // A STA at `time` with the stats as they are at `now` (a STA of the command's keeps its own time), and in the last
  // one the reason the job finished.
  private writeStats(time: number, now: number, finishReason?: string): void {
    if (this.finished) return;
    const stats = limitStats(this.stats.snapshot(now, finishReason));
    this.writer.write(encodeObject('STA', { time, stats }));
  }

  // The command's own FIN outcome, if it sent one.
  get outcomeFromCommand(): string | undefined {
    return this.commandOutcome;
  }

  // Final stats, then the FIN: the last message of the job. Later calls do nothing.
  finish(time: number, outcome: string): void {
    if (this.finished) return;
    this.writeStats(time, time, outcome);
    this.writer.write(encodeObject('FIN', { outcome }));
    this.finished = true;
  }

  // A message over the size limit, which the platform would refuse: an ERROR log says so instead, with its start.
  // `size` is the size of the line it would have been; `start` the text it began with.
  tooLarge(time: number, command: Command, size: number, start: string): void {
    this.oversized(time, command, size, start, 'was dropped');
  }

  // The same for a line of the command's output whose text was sent as log messages instead.
  sentAsText(time: number, command: Command, size: number, start: string): void {
    this.oversized(time, command, size, start, 'was sent as log text instead');
  }

  private oversized(time: number, command: Command, size: number, start: string, outcome: string): void {
    const what = command === 'ITM' ? 'an item' : `a ${command} message`;
    if (command === 'ITM') {
      this.stats.increment('item_dropped_count');
      this.stats.increment('item_dropped_reasons_count/too_large');
    }
    this.reject(time, `${what} of ${size} bytes ${outcome}: a message may be at most ${MAX_MESSAGE_BYTES} bytes ` +
      'once encoded, and Scrapy Cloud refuses larger ones', start, command);
  }

  // Held back: the job's single FIN is written at the end, with this outcome. An empty outcome is one the platform
  // refuses, so the outcome that follows from how the command ends stands instead.
  private holdOutcome(time: number, outcome: string): void {
    if (outcome !== '') {
      this.commandOutcome = outcome;
      return;
    }
    this.log(time, LEVELS.WARNING, 'the command sent FIN with an empty outcome, which Scrapy Cloud does not accept; it is ' +
      'ignored, and the outcome follows from how the command ends (send a word such as "finished" to set it)');
  }

  // A LOG too large for one message is cut into several whose texts join to the original, as long output is.
  private commandLog(message: Message & { command: 'LOG' }, flags: number): void {
    const line = encodeLine('LOG', message.json, flags);
    if (line.length > MAX_MESSAGE_BYTES) return this.log(message.value.time as number, message.value.level, message.value.message);
    this.writer.write(line);
    this.stats.countLog(message.value.level);
  }

  // Renumbers a REQ's `parent` to the platform's count when an earlier REQ could not be sent; the repair made when
  // it names no request that was sent.
  private renumberParent(message: Message & { command: 'REQ' }): number {
    const { value } = message;
    if (typeof value.parent !== 'number') return 0;
    const parent = this.requests.map(value.parent);
    if (parent === value.parent) return 0;
    value.parent = parent;
    message.json = JSON.stringify(value);
    return parent === null ? REPAIR.PARENT : 0;
  }

  private request(time: number, message: Message & { command: 'REQ' }, flags: number): void {
    const { json, value } = message;
    const line = encodeLine('REQ', json, flags);
    if (line.length > MAX_MESSAGE_BYTES) return this.tooLarge(time, 'REQ', line.length, json);
    this.writer.write(line);
    this.requests.sent();
    this.stats.increment('downloader/response_count');
    this.stats.increment(`downloader/response_status_count/${String(value.status)}`);
  }
}

function quote(text: string): string {
  return text.length > QUOTE_CHARS ? text.slice(0, QUOTE_CHARS) + '…' : text;
}
