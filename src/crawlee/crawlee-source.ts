// A Crawlee or Apify crawler's storage as a source of the job's items and stats, next to its stdout, stderr and
// pipe: started before the command, so files of an earlier run are known for what they are, and finished after it
// has exited, so items written just before the end are sent too.

import { existsSync } from 'node:fs';
import type { Heartbeat } from '../job/heartbeat.js';
import type { JobReport } from '../job/report.js';
import { LEVELS } from '../protocol/limits.js';
import type { BatchedWriter } from '../sink/batched-writer.js';
import { CrawleeStats } from './crawlee-stats.js';
import { DatasetWatcher } from './dataset-watcher.js';
import { crawleeStorage } from './storage-dir.js';

// Items reach the job within this once the crawler's dataset exists; a dataset that appears is noticed at the next
// heartbeat.
const POLL_MS = 500;

export interface CrawleeSourceOptions {
  // The command's environment and working directory, which decide where its storage is.
  env: NodeJS.ProcessEnv;
  cwd: string;
  // The job's stats interval, in seconds: the crawler's stats are read twice per interval, so each STA carries
  // figures at most half an interval old.
  statsInterval: number;
  // Looks for the dataset once a second while there is none: a program that is not a crawler never makes one, and
  // the look costs it one failed stat in a wake-up the memory guard makes anyway.
  heartbeat: Heartbeat;
}

export class CrawleeSource {
  private readonly dataset: DatasetWatcher;
  private readonly stats: CrawleeStats;
  private pollTimer: NodeJS.Timeout | undefined;
  private stopLooking: (() => void) | undefined;
  private readonly statsTimer: NodeJS.Timeout;

  constructor(private readonly report: JobReport, writer: BatchedWriter, options: CrawleeSourceOptions) {
    const storage = crawleeStorage(options.env, options.cwd);
    this.dataset = new DatasetWatcher(storage.datasetDir, report, writer);
    this.stats = new CrawleeStats(storage);
    if (existsSync(storage.datasetDir)) this.startPolling();
    else {
      this.stopLooking = options.heartbeat.every(() => {
        if (!existsSync(storage.datasetDir)) return;
        this.stopLooking?.();
        this.startPolling();
      });
    }
    this.statsTimer = setInterval(() => void this.refreshStats(), options.statsInterval * 500).unref();
  }

  // After the command has exited: the items still to send, and the final stats. `delivered` is false when the job's
  // pipe never got a reader, and nothing more can be sent.
  async finish(delivered: boolean): Promise<void> {
    this.stopLooking?.();
    clearInterval(this.pollTimer);
    clearInterval(this.statsTimer);
    if (!delivered) return;
    await this.dataset.finish().catch((error: Error) => this.failed(error));
    await this.refreshStats();
  }

  private startPolling(): void {
    this.pollTimer = setInterval(() => void this.dataset.poll().catch((error: Error) => this.failed(error)), POLL_MS).unref();
  }

  private async refreshStats(): Promise<void> {
    this.report.stats.setLibraryStats(await this.stats.read());
  }

  private failed(error: Error): void {
    this.report.log(Date.now(), LEVELS.ERROR, `reading the crawler's dataset failed: ${error.message}`);
  }
}
