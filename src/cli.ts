// The shub-entrypoint command line: options → a typed job, run, exit status.

import './young-generation.js';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { EXIT_WRAPPER_FAILURE } from './process/exit-status.js';
import { runJob } from './run.js';
import {
  envName, flagName, parseSettingText, resolveSettings, SettingError, SETTINGS, type SettingSpec, type WrapperSettings,
} from './settings.js';
import { ReadableView } from './sink/readable-view.js';
import { VERSION } from './version.js';

// The settings given on the command line; those not given are undefined, so the environment can supply them.
type GivenSettings = Partial<WrapperSettings>;

// Each setting of settings.ts as flags. A switch gets both forms, `--NAME` and `--no-NAME`, so the command line can
// override the environment either way; help shows the form that changes the default.
function addWrapperOptions(command: Command): Command {
  for (const spec of SETTINGS) {
    const flag = flagName(spec.name);
    const env = `(env ${envName(spec.name)})`;
    if (spec.kind === 'switch') {
      // `--NAME` first: commander gives a lone `--no-NAME` a default of true, which would hide the environment's value.
      const on = new Option(`--${flag}`, `${spec.help} ${env}`);
      const off = new Option(`--no-${flag}`, `${spec.help} ${env}`);
      command.addOption(spec.default ? on.hideHelp() : on).addOption(spec.default ? off : off.hideHelp());
    } else {
      command.addOption(new Option(`--${flag} <${spec.unit}>`, `${spec.help} (default: ${spec.default}, env ${envName(spec.name)})`)
        .argParser((text) => parseFlag(spec, text)));
    }
  }
  return command;
}

function parseFlag(spec: SettingSpec, text: string): boolean | number {
  try {
    return parseSettingText(spec, text, `--${flagName(spec.name)}`);
  } catch (error) {
    if (error instanceof SettingError) throw new InvalidArgumentError(error.message.replace(/^[^:]*: /, '') + '.');
    throw error;
  }
}

const EXAMPLES = `
Examples:
  shub-entrypoint python3 spider.py --pages 10      options after the command are the command's
  shub-entrypoint check --spider books -a page=2     run start-crawl locally as Scrapy Cloud would, and check it
  shub-entrypoint --no-detect-levels -- scrapy crawl books   the platform's rule: stderr ERROR, stdout INFO
  shub-entrypoint -- node crawl.js > job.txt         without SHUB_FIFO_PATH: protocol lines on stdout

Messages go to the named pipe in SHUB_FIFO_PATH, or to stdout when it is unset.
Exit status: the command's own; 128+n if signal n ended it; 126 not executable; 127 not found; 125 the
wrapper itself failed (bad option, pipe cannot be opened, its reader went away).`;

function collectArgument(value: string, previous: Record<string, string>): Record<string, string> {
  const equals = value.indexOf('=');
  if (equals < 1) throw new InvalidArgumentError(`expected NAME=VALUE, got "${value}".`);
  return { ...previous, [value.slice(0, equals)]: value.slice(equals + 1) };
}

interface CheckCommandOptions {
  spider?: string;
  arg: Record<string, string>;
  items?: string;
}

function addCheckCommand(program: Command): void {
  program.command('check')
    .description('run a job on this machine the way Scrapy Cloud would, show it live, and check every message')
    .usage('[options] [-- command...]')
    .option('--spider <name>', 'the spider to run (default: the only one in spiders.json)')
    .option('-a, --arg <name=value>', 'a spider argument, as in `shub schedule -a` (repeatable)', collectArgument, {})
    .option('--items <file>', 'write the items as JSON lines to this file')
    .argument('[command...]', 'the command to run instead of this package\'s start-crawl (an image\'s own start script, say)')
    .addHelpText('after', '\nExit status: 0 when every message follows the protocol, 1 when any does not (each is named), 125 on bad usage.')
    .action(async (command: string[], options: CheckCommandOptions) => {
      const { runCheck, chooseSpider } = await import('./check/run-check.js');
      const spider = chooseSpider(options.spider, command, process.env);
      if (spider instanceof Error) {
        process.stderr.write(`shub-entrypoint check: ${spider.message}\n`);
        program.setOptionValue('status', EXIT_WRAPPER_FAILURE);
        return;
      }
      program.setOptionValue('status', await runCheck({
        command, spider, spiderArgs: options.arg, itemsPath: options.items, out: process.stdout,
      }));
    });
}

// Whether the words name the command after a `--`, as in `shub-entrypoint -- check`: commander would dispatch to
// the subcommand all the same, so a program called "check" could not be run.
function commandFollowsDoubleDash(program: Command, words: readonly string[]): boolean {
  for (let index = 0; index < words.length; index++) {
    const word = words[index] as string;
    if (word === '--') return true;
    if (!word.startsWith('-')) return false;
    const option = program.options.find((candidate) => candidate.long === word || candidate.short === word);
    if (option && (option.required || option.optional)) index++; // its value is the next word
  }
  return false;
}

function buildProgram(run: (command: string, args: string[], options: GivenSettings) => Promise<number>, argv: readonly string[]): Command {
  const program = new Command('shub-entrypoint')
    .description('Run a command as a Scrapy Cloud job: its output becomes write-entrypoint messages, ending with one FIN.')
    .version(VERSION, '-V, --version')
    .usage('[options] [--] <command> [args...]')
    .argument('<command>', 'the program to run')
    .argument('[args...]', 'its arguments, passed as they are')
    .enablePositionalOptions()
    .passThroughOptions()
    .showHelpAfterError('(run shub-entrypoint --help for usage)')
    .addHelpText('after', EXAMPLES)
    .exitOverride();
  addWrapperOptions(program);
  if (!commandFollowsDoubleDash(program, argv.slice(2))) addCheckCommand(program);
  program.action(async (command: string, args: string[], options: GivenSettings) => {
    program.setOptionValue('status', await run(command, args, options));
  });
  return program;
}

// Runs the command line given as process.argv and resolves to the exit status.
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram((command, args, options) => runJob({
    command,
    args,
    settings: resolveSettings(options, process.env),
    pipePath: process.env.SHUB_FIFO_PATH || undefined,
    env: process.env,
    // A terminal gets the readable view; a pipe or a file gets exactly what the platform would receive.
    stdout: process.stdout.isTTY ? new ReadableView(process.stdout) : process.stdout,
  }), argv);
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT_WRAPPER_FAILURE;
    if (error instanceof SettingError) {
      process.stderr.write(`shub-entrypoint: ${error.message}\n`);
      return EXIT_WRAPPER_FAILURE;
    }
    throw error;
  }
  return program.getOptionValue('status') as number;
}
