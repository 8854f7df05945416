// V8's young generation stays at the size it starts with in every entry point that runs a job, however it is run
// (by PATH, npm's bin link, an image's ENTRYPOINT, `node bin/…`): left to grow, it grows with the output's
// throughput, and peak memory with it (src/process/young-generation.ts).

import { execFileSync } from 'node:child_process';
import { chmodSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, FIXTURES, ROOT, runProgram, startCli } from '../helpers/cli.js';
import { publicTempDir, tempDir } from '../helpers/fifo.js';

interface Report {
  argv: string[];
  end: number;
}

// Output of a few MiB that mixes log lines, items and coloured non-ASCII lines: enough for an uncapped young
// generation to grow to several times its starting size.
function busyOutput(): string {
  const directory = publicTempDir();
  const path = join(directory, 'output.txt');
  const lines: string[] = [];
  for (let index = 0; index < 30_000; index++) {
    if (index % 3 === 0) lines.push(`2026-12-07 10:00:0${index % 10} [books] INFO: Crawled (200) <GET https://example.com/книги/${index}>`);
    else if (index % 3 === 1) lines.push(`{"title": "Жизнь и судьба ${index}", "price": ${index / 7}, "url": "https://example.com/${index}"}`);
    else lines.push(`\u001b[32mINFO\u001b[39m  CheerioCrawler: page ${index} done — ${'é'.repeat(index % 40)}`);
  }
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

// The Node processes started with the report preloaded, and a reports directory every user can write to (check
// may run the job as another user).
function reporting(): { env: NodeJS.ProcessEnv; reports: () => Report[] } {
  const directory = tempDir();
  chmodSync(directory, 0o1777);
  const env = { NODE_OPTIONS: `--require ${join(FIXTURES, 'report-young-generation.cjs')}`, YOUNG_GENERATION_REPORTS: directory };
  const reports = (): Report[] => readdirSync(directory).map((name) => JSON.parse(readFileSync(join(directory, name), 'utf8')) as Report);
  return { env, reports };
}

function reportOf(reports: Report[], program: string, argument?: string): Report {
  const matching = reports.filter((report) => report.argv[1]?.endsWith(program) && (argument === undefined || report.argv[2] === argument));
  expect(matching).toHaveLength(1);
  return matching[0] as Report;
}

// Its size in a Node process that allocated a little (V8 sets aside the second half of the young generation at the
// first young collection), and in one that allocated a lot: what a job's must stay at, and what it grows to.
function sizeAfter(allocations: number): number {
  const { env, reports } = reporting();
  execFileSync(process.execPath, ['-e', `const kept = []; for (let i = 0; i < ${allocations}; i++) kept.push({ i });`], { env: cleanEnv(env) });
  const [report, ...others] = reports();
  expect(others).toEqual([]);
  return (report as Report).end;
}

let startingSize = 0;
beforeAll(() => {
  startingSize = sizeAfter(10_000);
});

describe('young generation', () => {
  it('left to grow, grows with what a process allocates (what the tests below rule out)', () => {
    expect(sizeAfter(1_000_000)).toBeGreaterThan(startingSize);
  });

  it('shub-entrypoint, run as a program, keeps it at its starting size through a busy job', async () => {
    const { env, reports } = reporting();
    const run = await runProgram([join(ROOT, 'bin', 'shub-entrypoint.js'), 'cat', busyOutput()], env);
    expect(run.job.outcome).toBe('finished');
    expect(run.job.items.length).toBe(10_000);
    expect(reportOf(reports(), 'shub-entrypoint.js').end).toBe(startingSize);
  });

  it('and run by node itself', async () => {
    const { env, reports } = reporting();
    const run = await runProgram([process.execPath, join(ROOT, 'bin', 'shub-entrypoint.js'), 'cat', busyOutput()], env);
    expect(run.job.items.length).toBe(10_000);
    expect(reportOf(reports(), 'shub-entrypoint.js').end).toBe(startingSize);
  });

  it('start-crawl too, also through a symbolic link as npm installs it', async () => {
    const { env, reports } = reporting();
    const link = join(tempDir(), 'start-crawl');
    symlinkSync(join(ROOT, 'bin', 'start-crawl.js'), link);
    const run = await runProgram([link], { ...env, SHUB_JOB_DATA: JSON.stringify({ job_cmd: ['cat', busyOutput()] }) });
    expect(run.job.outcome).toBe('finished');
    expect(run.job.items.length).toBe(10_000);
    expect(reportOf(reports(), 'start-crawl').end).toBe(startingSize);
  });

  it('and check, in the job it runs (start-crawl run as a program) and in its own reading of the job\'s pipe', async () => {
    const { env, reports } = reporting();
    const run = await startCli(['check', '--', 'cat', busyOutput()], cleanEnv(env)).finished;
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/items +10000\n/);
    expect(reportOf(reports(), 'start-crawl.js').end).toBe(startingSize);
    expect(reportOf(reports(), 'shub-entrypoint.js', 'check').end).toBe(startingSize);
  });
});
