// A program under a launcher (`npm start`) whose shell dies of the group's SIGTERM at once, so the launcher exits while
// the program is still shutting down. The program gets SIGTERM once, with --single-child (from the wrapper, once the
// launcher has exited) or without (the group's), never a second from the wrapper; and the job waits for its shutdown.

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

describe('a program under npm start, stopped', () => {
  it('with --single-child gets SIGTERM once, and the job waits for its shutdown', async () => {
    expect(await sigtermsUnderNpmStart(['--single-child'])).toEqual(['got 1 SIGTERM']);
  });

  it('also with SHUBENTRYPOINT_SINGLE_CHILD', async () => {
    expect(await sigtermsUnderNpmStart([], { SHUBENTRYPOINT_SINGLE_CHILD: '1' })).toEqual(['got 1 SIGTERM']);
  });

  it('without it gets the group\'s SIGTERM once, none again when npm exits, and the job waits for its shutdown', async () => {
    expect(await sigtermsUnderNpmStart([])).toEqual(['got 1 SIGTERM']);
  });
});
