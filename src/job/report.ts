// Everything the job sends goes through here: logs, items, the command's own messages, stats and the one FIN.
// Keeping it in one place is what makes "exactly one FIN, last" and the counters true on every path.

import { encodeLine, encodeLog, encodeItemRun, encodeLogRun, encodeObject } from '../protocol/encode.js';
import { LEVELS, MAX_MESSAGE_BYTES, QUOTE_CHARS } from '../protocol/limits.js';
import type { Command, Message } from '../protocol/message.js';
import type { BatchedWriter } from '../sink/batched-writer.js';
import { JobStats } from './job-stats.js';
import { limitStats } from './stats-limit.js';

export class JobReport {
  readonly stats = new JobStats();
  private commandOutcome: string | undefined;
  private finished = false;

  constructor(private readonly writer: BatchedWriter) {}

  // `flags` (text-flags.ts) say what in the text needs escaping; 0 when unknown. `log_count/*` counts messages
  // sent, here as everywhere: a text cut into several messages counts as several.
  log(time: number, level: number, text: string, flags = 0): void {
    if (this.finished) return;
    const { lines, count } = encodeLog(time, level, text, flags);
    this.writer.write(lines);
    this.stats.countLog(level, count);
  }

  // Several single-line messages at once (see encodeLogRun).
  logRun(time: number, level: number, run: string, flags: number): void {
    if (this.finished) return;
    const { lines, count } = encodeLogRun(time, level, run, flags);
    this.writer.write(lines);
    this.stats.countLog(level, count);
  }

  // Several validated, printable items at once (see encodeItemRun); each is far below the size limit.
  itemRun(run: string): void {
    if (this.finished) return;
    const { lines, count } = encodeItemRun(run);
    this.writer.write(lines);
    this.stats.increment('item_scraped_count', count);
  }

  // An item whose JSON text has been validated as an object. Returns false, having sent nothing, when it is too
  // large to send.
  item(json: string, flags = 0): boolean {
    if (this.finished) return true;
    const line = encodeLine('ITM', json, flags);
    if (line.length > MAX_MESSAGE_BYTES) return false;
    this.writer.write(line);
    this.stats.increment('item_scraped_count');
    return true;
  }

  // A message the command sent itself (a protocol line on stdout, or a line on its own pipe), already validated.
  forward(time: number, message: Message, flags = 0): void {
    if (this.finished) return;
    switch (message.command) {
      case 'ITM':
        if (!this.item(message.json, flags)) this.tooLarge(time, 'ITM', encodeLine('ITM', message.json, flags).length, message.json);
        return;
      case 'FIN':
        // Held back: the job's single FIN is written at the end, with this outcome.
        this.commandOutcome = message.value.outcome;
        return;
      case 'STA':
        this.stats.setCommandStats(message.value.stats);
        return this.sendStats(message.value.time as number);
      case 'LOG':
      case 'REQ': {
        const line = encodeLine(message.command, message.json, flags);
        if (line.length > MAX_MESSAGE_BYTES) return this.tooLarge(time, message.command, line.length, message.json);
        this.writer.write(line);
        if (message.command === 'LOG') this.stats.countLog(message.value.level);
        else this.countRequest(message.value.status);
      }
    }
  }

  // An ERROR log for input that could not be sent, quoting its start so the user can find it.
  reject(time: number, reason: string, text: string): void {
    this.stats.increment('shub_entrypoint/invalid_lines');
    this.log(time, LEVELS.ERROR, `${reason}. It began: ${quote(text)}`);
  }

  sendStats(time: number, finishReason?: string): void {
    if (this.finished) return;
    const stats = limitStats(this.stats.snapshot(time, finishReason));
    this.writer.write(encodeObject('STA', { time, stats }));
  }

  // The command's own FIN outcome, if it sent one.
  get outcomeFromCommand(): string | undefined {
    return this.commandOutcome;
  }

  // Final stats, then the FIN: the last message of the job. Later calls do nothing.
  finish(time: number, outcome: string): void {
    if (this.finished) return;
    this.sendStats(time, outcome);
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
      'once encoded, and Scrapy Cloud refuses larger ones', start);
  }

  private countRequest(status: unknown): void {
    this.stats.increment('downloader/response_count');
    this.stats.increment(`downloader/response_status_count/${String(status)}`);
  }
}

function quote(text: string): string {
  return text.length > QUOTE_CHARS ? text.slice(0, QUOTE_CHARS) + '…' : text;
}
