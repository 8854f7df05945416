// The `check` subcommand's command line: its own options, every wrapper setting as a flag (passed to the job as
// SHUBENTRYPOINT_* variables), and its exit statuses.

import { type Command, CommanderError, InvalidArgumentError } from 'commander';
import { addSettingFlags, type GivenSettings, optionBefore, settingsAsEnvironment } from '../setting-flags.js';
import { releaseEarlySignals } from '../process/early-signals.js';

// `check` can guard a CI pipeline: 0 only when the job finished and every line kept the protocol, 1 otherwise, and 2
// when it was called wrongly (the convention of grep, diff and most CLIs), distinct from any job's outcome.
export const CHECK_PASSED = 0;
export const CHECK_FAILED = 1;
export const CHECK_USAGE = 2;

// `check` stopped before running anything: help was asked for (status 0), or a usage error (unknown option, bad
// value, no spider to choose). `shown` says whether commander has already printed the message.
export class CheckUsageError extends Error {
  constructor(message: string, readonly exitCode: number, readonly shown: boolean) {
    super(message);
  }
}

function collectArgument(value: string, previous: Record<string, string>): Record<string, string> {
  const equals = value.indexOf('=');
  if (equals < 1) throw new InvalidArgumentError(`expected NAME=VALUE, got "${value}".`);
  return { ...previous, [value.slice(0, equals)]: value.slice(equals + 1) };
}

type CheckCommandOptions = GivenSettings & {
  spider?: string;
  arg: Record<string, string>;
  itemsFile?: string;
  raw?: boolean;
  keep?: boolean;
  asMe?: boolean;
};

const HELP_AFTER = `
The command runs under the wrapper, as Scrapy Cloud runs start-crawl; a command that is already shub-entrypoint or
start-crawl is not wrapped twice, and --raw runs a start script that writes the protocol itself as it is.
The job runs in a fresh empty directory (its working directory and HOME), as user nobody when check runs as root:
use absolute paths, readable by all, as on Scrapy Cloud (/scrapinghub).

Exit status: 0 when the outcome is "finished" and every message follows the protocol; 1 otherwise (the summary's
first line says why); 2 on bad usage.`;

// Adds `check` to the program; `setStatus` receives its exit status.
export function addCheckCommand(program: Command, argv: readonly string[], setStatus: (status: number) => void): void {
  const check = program.command('check')
    .description('run a job on this machine the way Scrapy Cloud would, show it live, and check every message')
    .usage('[options] [--] [command...]')
    .option('--spider <name>', 'the spider to run (default: the only one in spiders.json)')
    .option('-a, --arg <name=value>', 'a spider argument, as in `shub schedule -a` (repeatable)', collectArgument, {})
    .option('--items-file <file>', 'write the items as JSON lines to this file instead of showing them')
    .option('--raw', 'run the command as it is, unwrapped: a start script that writes the protocol itself')
    .option('--keep', 'keep the job\'s directory afterwards, and say where it is')
    .option('--as-me', 'when run as root, run the job as root too instead of as nobody');
  addSettingFlags(check)
    .argument('[command...]', 'the command to run instead of this package\'s start-crawl; options after it are its own')
    .passThroughOptions()
    .showHelpAfterError('(run shub-entrypoint check --help for usage)')
    .addHelpText('after', HELP_AFTER)
    .exitOverride((error: CommanderError) => {
      throw new CheckUsageError(error.message, error.exitCode === 0 ? 0 : CHECK_USAGE, true);
    })
    .action(async (command: string[], options: CheckCommandOptions) => {
      // check runs a job of its own in a child process; here, signals have their usual effect.
      releaseEarlySignals();
      // check takes the job's options after its name, and gives them to the job it runs: before it, they went nowhere.
      const given = optionBefore(argv, 'check');
      if (given !== undefined) {
        throw new CheckUsageError(`shub-entrypoint check: ${given} is an option of the job check runs: give it after check ` +
          `(shub-entrypoint check ${given} …)`, CHECK_USAGE, false);
      }
      const { runCheck, chooseSpider } = await import('./run-check.js');
      const spider = chooseSpider(options.spider, command, process.env);
      if (spider instanceof Error) throw new CheckUsageError(`shub-entrypoint check: ${spider.message}`, CHECK_USAGE, false);
      // A reader that goes away (`check … | head`) ends the view, not the check: the job still runs to its end and
      // its directory is still removed.
      process.stdout.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EPIPE') throw error;
      });
      setStatus(await runCheck({
        command, spider, spiderArgs: options.arg, itemsPath: options.itemsFile, out: process.stdout,
        raw: options.raw === true, keep: options.keep === true, asMe: options.asMe === true,
        settings: settingsAsEnvironment(options),
      }));
    });
}
