// The shub-entrypoint command line: options → a typed job, run, exit status.

import './young-generation.js';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { EXIT_WRAPPER_FAILURE } from './process/exit-status.js';
import { runJob } from './run.js';
import { VERSION } from './version.js';

export const DEFAULT_KILL_AFTER_SECONDS = 120;
export const DEFAULT_STATS_INTERVAL_SECONDS = 30;

export interface WrapperOptions {
  items: boolean;
  detectLevels: boolean;
  killAfter: number;
  statsInterval: number;
}

function parseSeconds(value: string): number {
  const seconds = Number(value);
  if (value.trim() === '' || !Number.isFinite(seconds) || seconds <= 0) {
    throw new InvalidArgumentError(`expected a positive number of seconds, got "${value}".`);
  }
  return seconds;
}

// The options every way of running a job shares (the bare command line, and later start-crawl's per-spider ones).
export function addWrapperOptions(command: Command): Command {
  return command
    .option('--no-items', 'keep JSON object lines on stdout as log text instead of items')
    .option('--detect-levels', 'give a line the level its prefix names (Scrapy, Python logging, "LEVEL: msg")', false)
    .addOption(new Option('--kill-after <seconds>', 'after a forwarded SIGTERM/SIGINT, SIGKILL the command if it is still running')
      .argParser(parseSeconds).default(DEFAULT_KILL_AFTER_SECONDS))
    .addOption(new Option('--stats-interval <seconds>', 'how often to send stats while the job runs')
      .argParser(parseSeconds).default(DEFAULT_STATS_INTERVAL_SECONDS));
}

const EXAMPLES = `
Examples:
  shub-entrypoint python3 spider.py --pages 10      options after the command are the command's
  shub-entrypoint --detect-levels -- scrapy crawl books
  shub-entrypoint -- node crawl.js > job.txt         without SHUB_FIFO_PATH: protocol lines on stdout

Messages go to the named pipe in SHUB_FIFO_PATH, or to stdout when it is unset.
Exit status: the command's own; 128+n if signal n ended it; 126 not executable; 127 not found; 125 the
wrapper itself failed (bad option, pipe cannot be opened, its reader went away).`;

function buildProgram(run: (command: string, args: string[], options: WrapperOptions) => Promise<number>): Command {
  const program = new Command('shub-entrypoint')
    .description('Run a command as a Scrapy Cloud job: its output becomes write-entrypoint messages, ending with one FIN.')
    .version(VERSION, '-V, --version')
    .usage('[options] [--] <command> [args...]')
    .argument('<command>', 'the program to run')
    .argument('[args...]', 'its arguments, passed as they are')
    .passThroughOptions()
    .showHelpAfterError('(run shub-entrypoint --help for usage)')
    .addHelpText('after', EXAMPLES)
    .exitOverride();
  addWrapperOptions(program);
  program.action(async (command: string, args: string[], options: WrapperOptions) => {
    program.setOptionValue('status', await run(command, args, options));
  });
  return program;
}

// Runs the command line given as process.argv and resolves to the exit status.
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram((command, args, options) => runJob({
    command,
    args,
    items: options.items,
    detectLevels: options.detectLevels,
    killAfterMs: options.killAfter * 1000,
    statsIntervalMs: options.statsInterval * 1000,
    pipePath: process.env.SHUB_FIFO_PATH || undefined,
    env: process.env,
    stdout: process.stdout,
  }));
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT_WRAPPER_FAILURE;
    throw error;
  }
  return program.getOptionValue('status') as number;
}
