// The command line itself: help, version, usage errors, and the readable view on a terminal.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, ROOT, cleanEnv, runJob, startCli } from '../helpers/cli.js';

const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

describe('the command line', () => {
  it('prints its version and its help, exit 0', async () => {
    expect((await startCli(['--version']).finished).stdout.trim()).toBe(version);
    const help = await startCli(['--help']).finished;
    expect(help.status).toBe(0);
    for (const option of ['--no-items', '--no-detect-levels', '--no-json-logs', '--keep-ansi', '--no-progress-lines', '--kill-after', '--stats-interval', 'check', 'Exit status']) {
      expect(help.stdout).toContain(option);
    }
    // The defaults the platform's numbers call for: stats every 30 s as the reference, a kill well inside 5 minutes.
    // Each setting names its environment variable.
    const flat = help.stdout.replace(/\s+/g, ' ');
    expect(flat).toMatch(/--kill-after <seconds> [^(]*\(default: 120, env SHUBENTRYPOINT_KILL_AFTER\)/);
    expect(flat).toMatch(/--stats-interval <seconds> [^(]*\(default: 30, env SHUBENTRYPOINT_STATS_INTERVAL\)/);
    expect(flat).toMatch(/--no-items [^(]*\(env SHUBENTRYPOINT_ITEMS\)/);
  });

  it('takes settings from SHUBENTRYPOINT_* variables, and the command line wins over them', async () => {
    const line = 'sh -c \'echo "{\\"a\\": 1}"\'';
    const fromEnv = execFileSync('sh', ['-c', `${process.execPath} ${CLI} ${line}`], { env: cleanEnv({ SHUBENTRYPOINT_ITEMS: 'no' }), encoding: 'utf8' });
    expect(fromEnv).toMatch(/^LOG \{"time":\d+,"level":20,"message":"\{\\"a\\": 1\}"\}$/m);
    expect(fromEnv).not.toMatch(/^ITM /m);
    const overridden = execFileSync('sh', ['-c', `${process.execPath} ${CLI} --items ${line}`], { env: cleanEnv({ SHUBENTRYPOINT_ITEMS: 'no' }), encoding: 'utf8' });
    expect(overridden).toMatch(/^ITM \{"a": 1\}$/m);
  });

  it.each([
    ['a command missing after the options', ['--no-items'], /missing required argument 'command'/],
    ['an unknown option', ['--frobnicate', 'true'], /unknown option '--frobnicate'/],
    ['a kill-after that is not a number', ['--kill-after', 'soon', 'true'], /--kill-after <seconds>' argument 'soon' is invalid. expected a number of seconds, got "soon"/],
    ['a negative stats interval', ['--stats-interval', '-5', 'true'], /expected more than 0 and at most 2147483 seconds, got -5/],
    // setTimeout fires at once past 2^31-1 ms: a kill-after of 3,000,000 s would kill after a millisecond.
    ['a kill-after beyond what a timer can wait', ['--kill-after', '3000000', 'true'], /expected more than 0 and at most 2147483 seconds, got 3000000/],
    ['a stats interval beyond what a timer can wait', ['--stats-interval', '3000000', 'true'], /at most 2147483 seconds, got 3000000/],
    ['a bad setting in the environment', ['true'], /SHUBENTRYPOINT_KILL_AFTER: expected a number of seconds, got "soon"/, { SHUBENTRYPOINT_KILL_AFTER: 'soon' }],
    ['a switch in the environment that is not yes or no', ['true'], /SHUBENTRYPOINT_ITEMS: expected one of 1, true, yes, on, 0, false, no, off, got "maybe"/, { SHUBENTRYPOINT_ITEMS: 'maybe' }],
  ])('refuses %s with a message on stderr and exit 125, running nothing', async (_name, args, message, env: NodeJS.ProcessEnv = {}) => {
    const run = await startCli(args, cleanEnv(env)).finished;
    expect(run.status).toBe(125);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
  });

  it('shows its help on stderr when run with nothing after it, and exits 125, running nothing', async () => {
    const run = await startCli([], cleanEnv()).finished;
    expect(run.status).toBe(125);
    expect(run.stderr).toMatch(/^Usage: shub-entrypoint \[options\] \[--\] <command> \[args\.\.\.\]\n/);
    expect(run.stderr).toContain('Examples:');
    expect(run.stdout).toBe('');
  });

  it.each([
    ['chek', 'check'],
    ['Check', 'check'],
    ['chk', 'check'],
    ['code-cach', 'code-cache'],
    ['codecache', 'code-cache'],
    ['hlep', 'help'],
  ])('takes %s, which no program on PATH is named, for a misspelt %s: says so and exits 125, running nothing', async (typed, meant) => {
    const run = await startCli([typed, '--', 'true'], cleanEnv()).finished;
    expect(run.status).toBe(125);
    expect(run.stderr).toBe(`shub-entrypoint: ${typed} is no subcommand, and no program on PATH has that name: ` +
      `did you mean shub-entrypoint ${meant}? (run shub-entrypoint --help for usage)\n`);
    expect(run.stdout).toBe('');
  });

  it('runs a program whose name is near a subcommand\'s when it is on PATH, named after --, or on the platform', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'shub-entrypoint-path-'));
    try {
      writeFileSync(join(bin, 'chek'), '#!/bin/sh\necho "checked $1"\n', { mode: 0o755 });
      const onPath = await startCli(['chek', 'a'], cleanEnv({ PATH: `${bin}:${process.env.PATH ?? ''}` })).finished;
      expect(onPath.status).toBe(0);
      expect(onPath.stdout).toMatch(/^LOG \{"time":\d+,"level":20,"message":"checked a"\}$/m);
      const afterDashes = await startCli(['--', 'chek'], cleanEnv()).finished;
      expect(afterDashes.status).toBe(127);
      expect(afterDashes.stderr).toContain('command not found: chek is on none of the directories of PATH');
      // On the platform, the job runs, and fails as any job whose command is not found.
      const job = await runJob(['chek', 'a']);
      expect(job.status).toBe(127);
      expect(job.job.outcome).toBe('failed');
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });

  it('shows its help for help, and a subcommand\'s for help and its name, on stdout, exit 0', async () => {
    const help = await startCli(['help'], cleanEnv()).finished;
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: shub-entrypoint \[options\] \[--\] <command> \[args\.\.\.\]\n/);
    const checkHelp = await startCli(['help', 'check'], cleanEnv()).finished;
    expect(checkHelp.status).toBe(0);
    expect(checkHelp.stdout).toMatch(/^Usage: shub-entrypoint check \[options\]/);
  });

  it.each(['--help', 'check --help', 'help', '--version'])('ends %s quietly, exit 0, when the reader of stdout has closed it', async (words) => {
    const cli = startCli(words.split(' '), cleanEnv());
    // Closed as the program starts, long before Node has booted far enough to write.
    cli.process.stdout?.destroy();
    const finished = await cli.finished;
    expect(finished.stderr).toBe('');
    expect(finished.status).toBe(0);
  });

  it('says that the reader of its stdout went away (… | head), and stops the command', async () => {
    const cli = startCli(['sh', '-c', 'while :; do echo line; done'], cleanEnv());
    await new Promise((resolve) => cli.process.stdout?.once('data', resolve));
    cli.process.stdout?.destroy();
    const finished = await cli.finished;
    expect(finished.status).toBe(125);
    expect(finished.stderr).toMatch(/^shub-entrypoint: the reader of stdout went away \(EPIPE\); stopping the command$/m);
  });

  it('shows a readable view on a terminal instead of protocol lines', () => {
    // `script` gives the CLI a real pseudo-terminal as stdout.
    const command = `${process.execPath} ${CLI} sh -c 'echo hello; echo "{\\"k\\": 1}"; echo oops >&2'`;
    const result = spawnSync('script', ['-qec', command, '/dev/null'], { env: cleanEnv({ TERM: 'dumb' }), encoding: 'utf8', timeout: 30_000 });
    const screen = result.stdout.replaceAll('\r', '');
    expect(screen).toMatch(/\d\d:\d\d:\d\d\.\d{3} INFO +hello/);
    expect(screen).toMatch(/ITEM +\{"k":1\}/);
    expect(screen).toMatch(/ERROR +oops/);
    expect(screen).toMatch(/FIN +finished/);
    expect(screen).not.toMatch(/^LOG \{/m);
  });

  it('writes protocol lines, not the readable view, when stdout is a pipe', () => {
    const output = execFileSync(process.execPath, [CLI, 'echo', 'hello'], { env: cleanEnv(), encoding: 'utf8' });
    expect(output).toMatch(/^LOG \{"time":\d+,"level":20,"message":"hello"\}$/m);
  });
});
