// A Crawlee or Apify crawler's storage as a source of the job's items and stats, next to its stdout, stderr and
// pipe: started before the command, so files of an earlier run are known for what they are, and finished after it
// has exited, so items written just before the end are sent too.

import type { JobReport } from '../job/report.js';
import { LEVELS } from '../protocol/limits.js';
import type { BatchedWriter } from '../sink/batched-writer.js';
import { CrawleeStats } from './crawlee-stats.js';
import { DatasetWatcher } from './dataset-watcher.js';
import { crawleeStorage } from './storage-dir.js';

// Items reach the job within this; for a program that is not a crawler a tick is one failed open().
const POLL_MS = 500;

export interface CrawleeSourceOptions {
  // The command's environment and working directory, which decide where its storage is.
  env: NodeJS.ProcessEnv;
  cwd: string;
  // The job's stats interval, in seconds: the crawler's stats are read twice per interval, so each STA carries
  // figures at most half an interval old.
  statsInterval: number;
}

export class CrawleeSource {
  private readonly dataset: DatasetWatcher;
  private readonly stats: CrawleeStats;
  private readonly pollTimer: NodeJS.Timeout;
  private readonly statsTimer: NodeJS.Timeout;

  constructor(private readonly report: JobReport, writer: BatchedWriter, options: CrawleeSourceOptions) {
    const storage = crawleeStorage(options.env, options.cwd);
    this.dataset = new DatasetWatcher(storage.datasetDir, report, writer);
    this.stats = new CrawleeStats(storage);
    this.pollTimer = setInterval(() => void this.dataset.poll().catch((error: Error) => this.failed(error)), POLL_MS).unref();
    this.statsTimer = setInterval(() => void this.refreshStats(), options.statsInterval * 500).unref();
  }

  // After the command has exited: the items still to send, and the final stats. `delivered` is false when the job's
  // pipe never got a reader, and nothing more can be sent.
  async finish(delivered: boolean): Promise<void> {
    clearInterval(this.pollTimer);
    clearInterval(this.statsTimer);
    if (!delivered) return;
    await this.dataset.finish().catch((error: Error) => this.failed(error));
    await this.refreshStats();
  }

  private async refreshStats(): Promise<void> {
    this.report.stats.setLibraryStats(await this.stats.read());
  }

  private failed(error: Error): void {
    this.report.log(Date.now(), LEVELS.ERROR, `reading the crawler's dataset failed: ${error.message}`);
  }
}
