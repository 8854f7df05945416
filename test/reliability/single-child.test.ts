// --single-child under a launcher that passes signals on itself (`npm start`): the program gets SIGTERM once.
// Without it the whole group is signalled, so the program gets the wrapper's copy and npm's: twice.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanEnv, FIXTURES, startCli } from '../helpers/cli.js';
import { makeTestFifo } from '../helpers/fifo.js';
import { checkJob, FifoWatch } from '../helpers/strict-reader.js';

const logged = (text: string) => (line: string) => line.startsWith('LOG ') && (JSON.parse(line.slice(4)) as { message: string }).message === text;

async function sigtermsUnderNpmStart(flags: string[], env: NodeJS.ProcessEnv = {}): Promise<string[]> {
  const fifo = makeTestFifo();
  const directory = join(FIXTURES, 'npm-start');
  const cli = startCli([...flags, 'sh', '-c', `cd ${directory} && exec npm start --silent`], cleanEnv({ ...env, SHUB_FIFO_PATH: fifo }));
  const watch = new FifoWatch(fifo);
  await watch.waitFor(logged('ready'));
  cli.process.kill('SIGTERM');
  const job = checkJob(await watch.done);
  await cli.finished;
  expect(job.outcome).toBe('cancelled');
  return job.logs.map((log) => log.message).filter((message) => message.startsWith('got '));
}

describe('--single-child', () => {
  it('under npm start, the program gets SIGTERM exactly once', async () => {
    expect(await sigtermsUnderNpmStart(['--single-child'])).toEqual(['got 1 SIGTERM']);
  });

  it('also from SHUBENTRYPOINT_SINGLE_CHILD', async () => {
    expect(await sigtermsUnderNpmStart([], { SHUBENTRYPOINT_SINGLE_CHILD: '1' })).toEqual(['got 1 SIGTERM']);
  });

  it('without it, the whole group is signalled and npm passes its own copy on: twice', async () => {
    expect(await sigtermsUnderNpmStart([])).toEqual(['got 2 SIGTERM']);
  });
});
