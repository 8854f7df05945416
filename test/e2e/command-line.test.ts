// The command line itself: help, version, usage errors, and the readable view on a terminal.

import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, ROOT, cleanEnv, startCli } from '../helpers/cli.js';

const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

describe('the command line', () => {
  it('prints its version and its help, exit 0', async () => {
    expect((await startCli(['--version']).finished).stdout.trim()).toBe(version);
    const help = await startCli(['--help']).finished;
    expect(help.status).toBe(0);
    for (const option of ['--no-items', '--detect-levels', '--kill-after', '--stats-interval', 'check', 'Exit status']) {
      expect(help.stdout).toContain(option);
    }
    // The defaults the platform's numbers call for: stats every 30 s as the reference, a kill well inside 5 minutes.
    expect(help.stdout).toMatch(/--kill-after <seconds>[^(]*\(default: 120\)/);
    expect(help.stdout).toMatch(/--stats-interval <seconds>[^(]*\(default: 30\)/);
  });

  it.each([
    ['no command', [], /missing required argument 'command'/],
    ['an unknown option', ['--frobnicate', 'true'], /unknown option '--frobnicate'/],
    ['a kill-after that is not a number', ['--kill-after', 'soon', 'true'], /expected a positive number of seconds, got "soon"/],
    ['a negative stats interval', ['--stats-interval', '-5', 'true'], /expected a positive number of seconds, got "-5"/],
    ['a check argument without =', ['check', '-a', 'novalue', '--', 'true'], /expected NAME=VALUE, got "novalue"/],
  ])('refuses %s with a message on stderr and exit 125, running nothing', async (_name, args, message) => {
    const run = await startCli(args).finished;
    expect(run.status).toBe(125);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
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
