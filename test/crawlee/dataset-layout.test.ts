// The dataset's layout written by hand (test/fixtures/dataset-writer.mjs): half-written files, a crawler killed
// while writing, an earlier run's files, gaps. Each case is a list of steps and what the job must get.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanEnv, CLI, FIXTURES, runJob, runProgram, startCli } from '../helpers/cli.js';
import { makeTestFifo, tempDir } from '../helpers/fifo.js';
import { checkJob, FifoWatch } from '../helpers/strict-reader.js';

const WRITER = join(FIXTURES, 'dataset-writer.mjs');

function errors(job: { logs: Array<{ level: number; message: string }> }): string[] {
  return job.logs.filter((log) => log.level === 40).map((log) => log.message);
}

// An earlier run's items 1-3, left in the storage before the job starts.
function earlierRun(storage: string): void {
  const dir = join(storage, 'datasets', 'default');
  mkdirSync(dir, { recursive: true });
  for (const index of [1, 2, 3]) writeFileSync(join(dir, `00000000${index}.json`), JSON.stringify({ index, old: true }));
}

describe('items from a dataset written by hand', () => {
  it.each([
    ['items in order, exactly as written (numbers beyond double precision kept)', '1 2 3', [1, 2, 3], []],
    ['a file still half-written when the crawler exits is an ERROR naming it; later items still arrive', '1 2:half 3', [1, 3], ['000000002.json']],
    ['a crawler killed while writing: the half file is named, the items before it kept', '1 2 3:half kill', [1, 2], ['000000003.json']],
    ['a file that is not a JSON object is an ERROR naming it', '1 2:text 3', [1, 3], ['000000002.json']],
    ['a gap left by concurrent writes is skipped at the end', '1 3', [1, 3], []],
  ])('%s', async (_name, steps, expected, broken) => {
    const storage = tempDir();
    const run = await runJob([process.execPath, WRITER], { CRAWLEE_STORAGE_DIR: storage, STEPS: steps });
    expect(run.job.items.map((item) => item.index)).toEqual(expected);
    expect(run.job.lines.filter((line) => line.startsWith('ITM ')).every((line) => line.includes('"big":12345678901234567890}'))).toBe(true);
    expect(errors(run.job).filter((message) => message.includes('is not a JSON object'))).toHaveLength(broken.length);
    for (const name of broken) expect(errors(run.job).some((message) => message.includes(name))).toBe(true);
    expect((run.job.stats.at(-1) as Record<string, unknown>)['crawlee/items_from_dataset']).toBe(expected.length || undefined);
  }, 60_000);

  it('reads a half-written file again later instead of reporting it', async () => {
    const storage = tempDir();
    const fifo = makeTestFifo();
    const watch = new FifoWatch(fifo, { openNow: true });
    const cli = startCli([process.execPath, WRITER], cleanEnv({ SHUB_FIFO_PATH: fifo, CRAWLEE_STORAGE_DIR: storage, STEPS: '1 2:half wait 2:rest 3' }));
    void cli.finished.then(() => watch.writerExited());
    // Item 1 sent means the same poll has found item 2 half-written.
    await watch.waitFor((line) => line.startsWith('ITM {"index":1,'));
    cli.process.kill('SIGUSR1');
    await cli.finished;
    const job = checkJob(await watch.done);
    expect(job.items.map((item) => item.index)).toEqual([1, 2, 3]);
    expect(errors(job)).toEqual([]);
  }, 60_000);

  it.each([
    ['purged by the crawler: only the new items', 'purge 1 2', [1, 2]],
    ['kept (CRAWLEE_PURGE_ON_START=false): only the items numbered after them', '4 5', [4, 5]],
    ['untouched by a program that pushes nothing: nothing', '', []],
  ])('an earlier run\'s items in the storage, %s', async (_name, steps, expected) => {
    const storage = tempDir();
    earlierRun(storage);
    const run = await runJob([process.execPath, WRITER], { CRAWLEE_STORAGE_DIR: storage, STEPS: steps });
    expect(run.job.items.map((item) => item.index)).toEqual(expected);
    expect(run.job.items.some((item) => item.old)).toBe(false);
    expect(errors(run.job)).toEqual([]);
  }, 60_000);

  it('finds ./storage in the working directory, and reads nothing with --no-crawlee or SHUBENTRYPOINT_CRAWLEE=0', async () => {
    // The wrapper started in a directory of its own, as start-crawl is in /scrapinghub, with no storage variable.
    const inDirectory = ['sh', '-c', 'cd "$0" && exec "$@"', tempDir(), process.execPath, CLI];
    const on = await runProgram([...inDirectory, process.execPath, WRITER], { STEPS: '1 2' });
    expect(on.job.items).toHaveLength(2);
    const flag = await runJob(['--no-crawlee', process.execPath, WRITER], { CRAWLEE_STORAGE_DIR: tempDir(), STEPS: '1 2' });
    expect(flag.job.items).toHaveLength(0);
    const env = await runJob([process.execPath, WRITER], { CRAWLEE_STORAGE_DIR: tempDir(), STEPS: '1 2', SHUBENTRYPOINT_CRAWLEE: '0' });
    expect(env.job.items).toHaveLength(0);
  }, 60_000);

  it('sends Crawlee\'s statistics with Scrapy\'s names, and ignores an earlier run\'s', async () => {
    const storage = tempDir();
    const run = await runJob([process.execPath, WRITER], { CRAWLEE_STORAGE_DIR: storage, STEPS: 'stats' });
    expect(run.job.stats.at(-1)).toMatchObject({
      'crawlee/requestsFinished': 7, 'crawlee/requestsFailed': 1, 'retry/count': 2,
      'downloader/response_status_count/503': 2, 'scheduler/dequeued': 10,
    });
    const again = await runJob([process.execPath, WRITER], { CRAWLEE_STORAGE_DIR: storage, STEPS: '' });
    expect(again.job.stats.at(-1)).not.toHaveProperty('retry/count');
  }, 60_000);
});
