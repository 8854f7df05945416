// A real Crawlee CheerioCrawler under the wrapper, crawling a local site of 300 pages: its dataset becomes the
// job's items and its statistics the job's stats.

import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, FIXTURES, runJob, startCli } from '../helpers/cli.js';
import { makeTestFifo, tempDir } from '../helpers/fifo.js';
import { waitUntil } from '../helpers/processes.js';
import { checkJob, FifoWatch } from '../helpers/strict-reader.js';

const CRAWLER = join(FIXTURES, 'crawlee-crawler.mjs');

function startSite(env: NodeJS.ProcessEnv = {}): Promise<{ url: string; server: ChildProcess }> {
  const server = spawn(process.execPath, [join(FIXTURES, 'pages-server.mjs')], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve) => server.stdout?.once('data', (port: Buffer) => resolve({ url: `http://127.0.0.1:${String(port).trim()}/`, server })));
}

// The items in the dataset's files, in their order: what the crawler pushed; and the files it did not finish.
function datasetItems(storage: string): { items: unknown[]; unfinished: string[] } {
  const dir = join(storage, 'datasets', 'default');
  const items: unknown[] = [];
  const unfinished: string[] = [];
  for (const name of readdirSync(dir).filter((entry) => /^\d+\.json$/.test(entry)).sort()) {
    try {
      items.push(JSON.parse(readFileSync(join(dir, name), 'utf8')));
    } catch {
      unfinished.push(name);
    }
  }
  return { items, unfinished };
}

const servers: ChildProcess[] = [];
afterAll(() => {
  for (const server of servers) server.stdin?.end();
});

describe('a Crawlee crawler under the wrapper', () => {
  let site: string;
  beforeAll(async () => {
    const { url, server } = await startSite();
    servers.push(server);
    site = url;
  });

  it('sends every pushed item once and in order, reports the one over 1 MiB, and sends the stats with Scrapy\'s names', async () => {
    const storage = tempDir();
    const run = await runJob([process.execPath, CRAWLER, site], { CRAWLEE_STORAGE_DIR: storage });
    expect(run.status).toBe(0);
    const pushed = datasetItems(storage).items;
    expect(pushed).toHaveLength(301);
    const small = pushed.filter((item) => !(item as { url: string }).url.endsWith('/big'));
    expect(run.job.items).toEqual(small);
    expect(new Set(run.job.items.map((item) => item.url)).size).toBe(300);
    expect(run.job.items.map((item) => item.title)).toContain('Страница 299');
    expect(run.job.logs.filter((log) => log.level === 40 && /an item of \d+ bytes was dropped/.test(log.message))).toHaveLength(1);

    const crawlee = JSON.parse(readFileSync(join(storage, 'key_value_stores', 'default', 'SDK_CRAWLER_STATISTICS_0.json'), 'utf8')) as
      { requestsFinished: number; requestsRetries: number; requestsWithStatusCode: Record<string, number> };
    const stats = run.job.stats.at(-1) as Record<string, unknown>;
    expect(stats).toMatchObject({
      item_scraped_count: 300,
      'crawlee/items_from_dataset': 300,
      item_dropped_count: 1,
      'crawlee/requestsFinished': crawlee.requestsFinished,
      'crawlee/requestsFailed': 1,
      'retry/count': crawlee.requestsRetries,
      'downloader/response_status_count/500': crawlee.requestsWithStatusCode['500'],
      // The start page, 300 pages, /big and /broken, plus each retry.
      'scheduler/enqueued': 303 + crawlee.requestsRetries,
      'scheduler/dequeued': 303 + crawlee.requestsRetries,
    });
    expect(stats['crawlee/requestsRetries']).toBeUndefined();
  }, 120_000);

  it('keeps every item the crawler had pushed when the job is stopped with SIGTERM half-way', async () => {
    const { url, server } = await startSite({ DELAY_MS: '20' });
    servers.push(server);
    const storage = tempDir();
    const fifo = makeTestFifo();
    const watch = new FifoWatch(fifo, { openNow: true });
    const cli = startCli([process.execPath, CRAWLER, url], cleanEnv({ SHUB_FIFO_PATH: fifo, CRAWLEE_STORAGE_DIR: storage }));
    void cli.finished.then(() => watch.writerExited());
    const dataset = join(storage, 'datasets', 'default');
    await waitUntil(() => {
      try {
        return readdirSync(dataset).filter((name) => name.endsWith('.json')).length >= 50;
      } catch {
        return false;
      }
    }, 'the crawler to push 50 items', 60_000);
    cli.process.kill('SIGTERM');
    await cli.finished;
    const job = checkJob(await watch.done);
    const { items, unfinished } = datasetItems(storage);
    // Items being written when the crawler died may have left empty files.
    expect(items.length + unfinished.length).toBeGreaterThanOrEqual(50);
    expect(items.length).toBeLessThan(300);
    expect(job.items).toEqual(items);
    // A file the crawler was writing when it died is named in an ERROR.
    for (const name of unfinished) expect(job.logs.some((log) => log.level === 40 && log.message.includes(name))).toBe(true);
    expect(job.outcome).toBe('cancelled');
  }, 120_000);
});
