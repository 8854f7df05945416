// A Crawlee crawler's statistics as job stats. Crawlee persists them in its default key-value store
// (SDK_CRAWLER_STATISTICS_<crawler id>.json, every persistStateIntervalMillis, 60 s by default, and at the end);
// its request queue keeps one file per unique request. Where a figure means what a Scrapy stat means, it gets
// Scrapy's name, so Scrapy Cloud's pages and graphs show it; the rest keep Crawlee's names under `crawlee/`.
//
// No REQ lines: neither file says which request got which status in how long, and a REQ must not be made up.

import { promises as fs } from 'node:fs';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { JsonObject } from '../protocol/message.js';
import { identityOf, snapshotDirectory, type Identity } from './file-identity.js';
import type { CrawleeStorage } from './storage-dir.js';

const STATISTICS_FILE = /^SDK_CRAWLER_STATISTICS_.*\.json$/;

// Counts that add up over several crawlers in one program; Crawlee's other figures (averages, rates, times) are
// taken from the crawler whose statistics were written last.
const ADDITIVE = new Set([
  'requestsFinished', 'requestsFailed', 'requestsRetries', 'requestsTotal',
  'requestTotalDurationMillis', 'requestTotalFailedDurationMillis', 'requestTotalFinishedDurationMillis',
]);

export const CRAWLEE_PREFIX = 'crawlee/';

export class CrawleeStats {
  private readonly statisticsBefore: Map<string, Identity>;
  private readonly queueBefore: Identity | undefined;

  // Reads what the storage held before the command started (see file-identity.ts).
  constructor(private readonly storage: CrawleeStorage) {
    this.statisticsBefore = snapshotDirectory(storage.keyValueStoreDir, (name) => STATISTICS_FILE.test(name));
    try {
      this.queueBefore = identityOf(statSync(storage.requestQueueDir));
    } catch {
      this.queueBefore = undefined;
    }
  }

  // The stats as they stand in the crawler's files now; empty when it has written none in this run.
  async read(): Promise<JsonObject> {
    // A program that is not a crawler has neither directory: two stats on the event loop's thread say so, without
    // the round trips through the thread pool that reading them takes.
    if (!existsSync(this.storage.keyValueStoreDir) && !existsSync(this.storage.requestQueueDir)) return {};
    const [statistics, queued] = await Promise.all([this.readStatistics(), this.countQueued()]);
    return scrapyStats(statistics, queued);
  }

  private async readStatistics(): Promise<JsonObject[]> {
    const names = (await fs.readdir(this.storage.keyValueStoreDir).catch(() => [])).filter((name) => STATISTICS_FILE.test(name));
    const found: Array<{ stats: JsonObject; time: number }> = [];
    for (const name of names) {
      const path = join(this.storage.keyValueStoreDir, name);
      try {
        const stats = await fs.stat(path);
        if (identityOf(stats) === this.statisticsBefore.get(name)) continue;
        const value: unknown = JSON.parse(await fs.readFile(path, 'utf8'));
        if (typeof value === 'object' && value !== null && !Array.isArray(value)) found.push({ stats: value as JsonObject, time: stats.mtimeMs });
      } catch {
        // Being rewritten (Crawlee truncates, then writes): the next reading gets it.
      }
    }
    return found.sort((a, b) => a.time - b.time).map(({ stats }) => stats);
  }

  // The requests in the queue, handled or not: one file each, counted as the directory is read, never listed whole.
  private async countQueued(): Promise<number | undefined> {
    const dir = this.storage.requestQueueDir;
    try {
      if (identityOf(await fs.stat(dir)) === this.queueBefore) return undefined;
      let count = 0;
      for await (const entry of await fs.opendir(dir)) {
        if (entry.name.endsWith('.json') && entry.name !== '__metadata__.json') count++;
      }
      return count;
    } catch {
      return undefined;
    }
  }
}

// Crawlee's statistics (one object per crawler, oldest first) and the size of its request queue, as job stats.
export function scrapyStats(statistics: readonly JsonObject[], queued: number | undefined): JsonObject {
  const merged: Record<string, number> = {};
  const statusCounts: Record<string, number> = {};
  for (const crawler of statistics) {
    for (const [key, value] of Object.entries(crawler)) {
      if (key === 'requestsWithStatusCode' && typeof value === 'object' && value !== null) {
        for (const [status, count] of Object.entries(value)) {
          if (typeof count === 'number') statusCounts[status] = (statusCounts[status] ?? 0) + count;
        }
      }
      if (typeof value !== 'number' || !Number.isFinite(value)) continue;
      merged[key] = ADDITIVE.has(key) ? (merged[key] ?? 0) + value : value;
    }
  }
  const result: JsonObject = {};
  const { requestsRetries, requestsFinished, requestsFailed } = merged;
  for (const [key, value] of Object.entries(merged)) {
    if (key !== 'requestsRetries') result[CRAWLEE_PREFIX + key] = value;
  }
  // Scrapy's RetryMiddleware counts each retry in retry/count, as Crawlee counts requestsRetries.
  if (requestsRetries !== undefined) result['retry/count'] = requestsRetries;
  // Crawlee counts responses by status only for error statuses (400-599): those counts are Scrapy's, the others
  // are unknown, so downloader/response_count is not given.
  for (const [status, count] of Object.entries(statusCounts)) result[`downloader/response_status_count/${status}`] = count;
  if (queued !== undefined) {
    // Scrapy's scheduler counts a retried request again when it goes back in; Crawlee keeps it as the same file.
    result['scheduler/enqueued'] = queued + (requestsRetries ?? 0);
  }
  if (requestsFinished !== undefined && requestsFailed !== undefined) {
    // Each attempt took a request off the queue: every one that finished or failed for good, and every retry.
    result['scheduler/dequeued'] = requestsFinished + requestsFailed + (requestsRetries ?? 0);
  }
  return result;
}
