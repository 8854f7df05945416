// The wrapper's own stats, under Scrapy's key names, merged with the stats the command sends itself.

import { levelName } from '../protocol/limits.js';
import type { JsonObject } from '../protocol/message.js';

export class JobStats {
  readonly startTime = Date.now();
  // Counted once per message, so an array for the five standard levels (index level / 10) and a Map for the rest.
  private readonly standardLogCounts = [0, 0, 0, 0, 0, 0];
  private readonly otherLogCounts = new Map<number, number>();
  private readonly counters = new Map<string, number>();
  private commandStats: JsonObject = {};
  private startupMemory = 0;
  // Stats the wrapper reads from a crawling library's own files (src/crawlee/), refreshed as a whole.
  private libraryStats: JsonObject = {};
  private peakMemory = 0;

  countLog(level: number, count = 1): void {
    const index = level / 10;
    if (index === 1 || index === 2 || index === 3 || index === 4 || index === 5) (this.standardLogCounts[index] as number) += count;
    else this.otherLogCounts.set(level, (this.otherLogCounts.get(level) ?? 0) + count);
  }

  increment(key: string, by = 1): void {
    this.counters.set(key, (this.counters.get(key) ?? 0) + by);
  }

  // The command's latest STA replaces its previous one: each STA carries the whole stats dict.
  setCommandStats(stats: JsonObject): void {
    this.commandStats = stats;
  }

  setLibraryStats(stats: JsonObject): void {
    this.libraryStats = stats;
  }

  // The first sample is `memusage/startup` (as Scrapy's, taken once the program is up), the largest `memusage/max`.
  recordMemory(bytes: number): void {
    if (this.startupMemory === 0) this.startupMemory = bytes;
    if (bytes > this.peakMemory) this.peakMemory = bytes;
  }

  // The stats to send: the wrapper's keys, then the library's, overridden by any key the command set.
  snapshot(now: number, finishReason?: string): JsonObject {
    const own: JsonObject = { start_time: this.startTime };
    for (const [key, value] of this.counters) own[key] = value;
    let total = 0;
    const counts = [...this.standardLogCounts.map((count, index) => [index * 10, count] as const), ...this.otherLogCounts];
    for (const [level, count] of counts) {
      if (count === 0) continue;
      const key = `log_count/${levelName(level)}`;
      own[key] = ((own[key] as number | undefined) ?? 0) + count;
      total += count;
    }
    own['log_count/total'] = total;
    if (this.peakMemory > 0) {
      own['memusage/startup'] = this.startupMemory;
      own['memusage/max'] = this.peakMemory;
    }
    own.elapsed_time_seconds = (now - this.startTime) / 1000;
    if (finishReason !== undefined) {
      own.finish_time = now;
      own.finish_reason = finishReason;
    }
    return { ...own, ...this.libraryStats, ...this.commandStats };
  }
}
