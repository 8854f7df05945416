// The Node flags the launchers start with are in force in every entry point that runs a job, when it is run as a
// program (by PATH, npm's bin link, an image's ENTRYPOINT), and they do not reach the command.

import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanEnv, ROOT, runProgram, startCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/fifo.js';

// The command reports the flags its parent, the wrapper, runs with (V8's own view: the young generation's limit is
// not visible from outside), and its own NODE_OPTIONS.
const REPORT = `exec node -e 'const fs = require("fs"); const args = fs.readFileSync("/proc/" + process.ppid + "/cmdline", "latin1").split("\\0"); ` +
  `console.log("wrapper flags " + args.filter((a) => a.startsWith("--max-semi")).join(" ")); console.log("NODE_OPTIONS " + (process.env.NODE_OPTIONS ?? "unset"))'`;

function messages(run: Awaited<ReturnType<typeof runProgram>>): string[] {
  return run.job.logs.map((log) => log.message);
}

describe('runtime flags', () => {
  it('shub-entrypoint, run as a program, runs with a capped young generation; the command gets no NODE_OPTIONS', async () => {
    const run = await runProgram([join(ROOT, 'bin', 'shub-entrypoint.js'), 'sh', '-c', REPORT], { NODE_OPTIONS: undefined });
    expect(messages(run)).toEqual(expect.arrayContaining(['wrapper flags --max-semi-space-size=2', 'NODE_OPTIONS unset']));
  });

  it('start-crawl too, also through a symbolic link as npm installs it', async () => {
    const link = join(tempDir(), 'start-crawl');
    symlinkSync(join(ROOT, 'bin', 'start-crawl.js'), link);
    const run = await runProgram([link], { NODE_OPTIONS: undefined, SHUB_JOB_DATA: JSON.stringify({ job_cmd: ['sh', '-c', REPORT] }) });
    expect(run.job.outcome).toBe('finished');
    expect(messages(run)).toEqual(expect.arrayContaining(['wrapper flags --max-semi-space-size=2', 'NODE_OPTIONS unset']));
  });

  it('and the job check runs, which is start-crawl run as a program', async () => {
    const run = await startCli(['check', '--', 'sh', '-c', REPORT], cleanEnv({ NODE_OPTIONS: undefined })).finished;
    expect(run.stdout).toMatch(/INFO +wrapper flags --max-semi-space-size=2/);
    expect(run.stdout).toMatch(/INFO +NODE_OPTIONS unset/);
  });
});
