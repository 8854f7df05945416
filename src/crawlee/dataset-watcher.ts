// Items a Crawlee or Apify crawler pushes to its default dataset become the job's items: in order, each once, while
// the crawl runs. Crawlee writes item n to `00000000n.json` (numbered from 1, pretty-printed, not atomically: the
// file is truncated, then written), so the watcher tries the next number on each poll and moves on only once that
// file holds a whole JSON object. A file caught half-written is simply read again on a later poll; only when the
// crawler has exited is a file that is still broken reported, by name.
//
// Polling one path is what it costs: one stat per tick while the next item is not there, nothing recursive, and no
// fs.watch, whose inotify events never come on network and some overlay or FUSE filesystems.

import { existsSync, promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { JobReport } from '../job/report.js';
import { MAX_MESSAGE_BYTES, QUOTE_CHARS } from '../protocol/limits.js';
import { isObjectJson } from '../protocol/object-json.js';
import type { BatchedWriter } from '../sink/batched-writer.js';
import { compactJson } from './compact-json.js';
import { identityOf, snapshotDirectory, type Identity } from './file-identity.js';

// The stat counting items that came from the dataset (and not from stdout or the command's pipe).
export const ITEMS_FROM_DATASET = 'crawlee/items_from_dataset';

const ENTRY = /^(\d{9,})\.json$/;

// Whitespace aside, a pretty-printed item is no bigger than its ITM line; a file many times the limit is dropped by
// its size without being read into memory.
const MAX_FILE_BYTES = 16 * MAX_MESSAGE_BYTES;

// Crawlee's own name for item n: at least nine digits.
export function entryName(index: number): string {
  return String(index).padStart(9, '0') + '.json';
}

type Entry =
  | { kind: 'missing' }
  | { kind: 'earlier-run' }
  | { kind: 'item'; json: string }
  | { kind: 'broken'; text: string }
  | { kind: 'too-large'; size: number; start: string };

export class DatasetWatcher {
  private next = 1;
  // Items of an earlier run still in the directory when the command started, by name.
  private readonly before: Map<string, Identity>;
  private readonly lastBefore: number;
  private polling: Promise<void> | undefined;

  constructor(private readonly dir: string, private readonly report: JobReport, private readonly writer: BatchedWriter) {
    this.before = snapshotDirectory(dir, (name) => ENTRY.test(name));
    this.lastBefore = [...this.before.keys()].reduce((last, name) => Math.max(last, Number.parseInt(name, 10)), 0);
  }

  // Sends every item that is complete now, in order, stopping at the first one that is missing or half-written, or
  // when the job's pipe is behind. Polls never overlap.
  poll(): Promise<void> {
    // The usual answer while a crawler fetches pages is that the next item is not there yet: a stat on the event
    // loop's thread says so without a round trip through the thread pool, which wakes a second thread and then this
    // one again.
    if (this.polling === undefined && !existsSync(join(this.dir, entryName(this.next)))) return Promise.resolve();
    this.polling ??= this.read(false).finally(() => (this.polling = undefined));
    return this.polling;
  }

  // Once the crawler has exited: everything that is left, with gaps skipped and broken files reported.
  async finish(): Promise<void> {
    await this.polling;
    // A program that is not a crawler never made the directory: one stat says so, and the job's end does not wait
    // for fs/promises to load and for a round trip through the thread pool (the bench's start-up line).
    if (!existsSync(this.dir)) return;
    await this.read(true);
  }

  private async read(final: boolean): Promise<void> {
    for (;;) {
      if (this.writer.congested) {
        if (!final) return;
        await new Promise<void>((resolve) => this.writer.whenDrained(resolve));
      }
      const name = entryName(this.next);
      const path = join(this.dir, name);
      const entry = await readEntry(path, this.before.get(name));
      const time = Date.now();
      switch (entry.kind) {
        case 'item':
          if (this.report.item(time, entry.json)) this.report.stats.increment(ITEMS_FROM_DATASET);
          break;
        case 'too-large':
          this.report.tooLarge(time, 'ITM', entry.size, entry.start);
          break;
        case 'broken':
          if (!final) return;
          this.report.reject(time, `${path}, an item in the crawler's dataset, is not a JSON object`, entry.text);
          break;
        case 'earlier-run':
          // Kept by a crawler that does not purge its storage: its new items are numbered after the old ones.
          if (await this.continuesAfterEarlierRun(path, name)) {
            this.next = this.lastBefore + 1;
            this.before.clear();
            continue;
          }
          // Otherwise the crawler purges them before it pushes anything.
          if (!final) return;
          break;
        case 'missing': {
          if (!final) return;
          // Items written concurrently may leave a gap when the crawler dies between them.
          const later = await this.nextPresent();
          if (later === undefined) return;
          this.next = later;
          continue;
        }
      }
      this.next++;
    }
  }

  private async continuesAfterEarlierRun(path: string, name: string): Promise<boolean> {
    const after = await readEntry(join(this.dir, entryName(this.lastBefore + 1)), undefined);
    return after.kind !== 'missing' && (await readEntry(path, this.before.get(name))).kind === 'earlier-run';
  }

  private async nextPresent(): Promise<number | undefined> {
    const names = await fs.readdir(this.dir).catch(() => []);
    let found: number | undefined;
    for (const name of names) {
      const match = ENTRY.exec(name);
      const index = match ? Number(match[1]) : 0;
      if (index > this.next && (found === undefined || index < found)) found = index;
    }
    return found;
  }
}

async function readEntry(path: string, before: Identity | undefined): Promise<Entry> {
  let file;
  try {
    file = await fs.open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'broken', text: `(${(error as Error).message})` };
  }
  try {
    const stats = await file.stat();
    if (before !== undefined && identityOf(stats) === before) return { kind: 'earlier-run' };
    if (stats.size > MAX_FILE_BYTES) {
      const { buffer, bytesRead } = await file.read(Buffer.alloc(QUOTE_CHARS * 4), 0, QUOTE_CHARS * 4, 0);
      return { kind: 'too-large', size: stats.size, start: buffer.toString('utf8', 0, bytesRead) };
    }
    const text = await file.readFile('utf8');
    return isObjectJson(text) ? { kind: 'item', json: compactJson(text) } : { kind: 'broken', text };
  } catch (error) {
    return { kind: 'broken', text: `(${(error as Error).message})` };
  } finally {
    await file.close();
  }
}
