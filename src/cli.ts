// The shub-entrypoint command line: options → a typed job, run, exit status.

import { Command, CommanderError } from 'commander';
// Bundled, as commander is: commander has the same measure for its own suggestions but does not export it.
import leven from 'leven';
import { addCheckCommand, CheckUsageError } from './check/check-command.js';
import { releaseEarlySignals } from './process/early-signals.js';
import { EXIT_WRAPPER_FAILURE } from './process/exit-status.js';
import { codeCacheUnsupported } from './launch/code-cache-file.js';
import { CodeCacheError, writeCodeCaches } from './launch/write-code-caches.js';
import { locate } from './process/start-failure.js';
import { keepYoungGenerationSmall } from './process/young-generation.js';
import { runJob } from './run.js';
import { resolveSettings, SettingError } from './settings.js';
import { addSettingFlags, optionBefore, type GivenSettings } from './setting-flags.js';
import { ReadableView } from './sink/readable-view.js';
import { VERSION } from './version.js';

const EXAMPLES = `
Examples:
  shub-entrypoint python3 spider.py --pages 10      options after the command are the command's
  shub-entrypoint check --spider books -a page=2     run start-crawl locally as Scrapy Cloud would, and check it
  shub-entrypoint check -- python3 /app/crawl.py     the same for any command, run under the wrapper
  shub-entrypoint --no-detect-levels -- scrapy crawl books   the platform's rule: stderr ERROR, stdout INFO
  shub-entrypoint -- node crawl.js > job.txt         without SHUB_FIFO_PATH: protocol lines on stdout
  shub-entrypoint code-cache                         in an image, after installing: every start is faster

Messages go to the named pipe in SHUB_FIFO_PATH, or to stdout when it is unset.
Exit status: the command's own; 128+n if signal n ended it; 126 not executable; 127 not found; 125 the
wrapper itself failed (bad option, pipe cannot be opened, its reader went away).`;

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

// Help and the version go to stdout, whose reader may close it before the end (`--help | head`): that ends the text
// there, as it does for any command-line tool, where Node would throw EPIPE with a stack trace. Subcommands made after
// the program is configured write through it too.
function writeToReader(text: string): void {
  if (process.stdout.listenerCount('error') === 0) process.stdout.on('error', () => {});
  process.stdout.write(text);
}

// The words a first word that names no program may have been meant as: the subcommands, and `help`, which commander
// does not take here (the first word is the command to run).
const SUBCOMMANDS = ['check', 'code-cache', 'help'];

// The subcommand `command` was meant as, when no program of that name is on PATH: `help` itself, or a near miss
// (`chek`, `Check`, `codecache`), which would otherwise run as a command and fail with "command not found".
function subcommandMeant(command: string, pathVariable: string | undefined): string | undefined {
  if (command.includes('/') || command.startsWith('-') || locate(command, pathVariable) !== undefined) return undefined;
  const word = command.toLowerCase();
  return SUBCOMMANDS.find((name) => leven(word, name, { maxDistance: 3 }) <= Math.min(2, name.length - 2));
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
    .configureOutput({ writeOut: writeToReader })
    .exitOverride();
  addSettingFlags(program);
  const afterDoubleDash = commandFollowsDoubleDash(program, argv.slice(2));
  if (!afterDoubleDash) {
    const setStatus = (status: number): void => {
      program.setOptionValue('status', status);
    };
    addCheckCommand(program, argv, setStatus);
    addCodeCacheCommand(program, argv, setStatus);
  }
  program.action(async (command: string, args: string[], options: GivenSettings) => {
    // Only where a person reads the answer: on the platform (SHUB_FIFO_PATH set) a command that is not found is a job
    // that failed, with its FIN, whatever its name is near.
    const meant = afterDoubleDash || process.env.SHUB_FIFO_PATH ? undefined : subcommandMeant(command, process.env.PATH);
    if (meant === 'help' && command === 'help') {
      // `help check` is check's help, as `git help push` is push's.
      const subcommand = program.commands.find((candidate) => candidate.name() === args[0]);
      (subcommand ?? program).outputHelp();
      program.setOptionValue('status', 0);
      return;
    }
    if (meant !== undefined) {
      process.stderr.write(`shub-entrypoint: ${command} is no subcommand, and no program on PATH has that name: ` +
        `did you mean shub-entrypoint ${meant}? (run shub-entrypoint --help for usage)\n`);
      program.setOptionValue('status', EXIT_WRAPPER_FAILURE);
      return;
    }
    program.setOptionValue('status', await run(command, args, options));
  });
  return program;
}

function addCodeCacheCommand(program: Command, argv: readonly string[], setStatus: (status: number) => void): void {
  program.command('code-cache')
    .description('compile this package for this Node and keep the code beside it, so that each start of shub-entrypoint ' +
      'and start-crawl loads it instead of compiling it (in an image: a RUN step after installing the package)')
    .action(() => {
      releaseEarlySignals();
      // code-cache runs no job of its own: an option of one given here would be ignored.
      const given = optionBefore(argv, 'code-cache');
      if (given !== undefined) {
        process.stderr.write(`shub-entrypoint code-cache: ${given} is an option of a job; code-cache takes none\n`);
        setStatus(EXIT_WRAPPER_FAILURE);
        return;
      }
      // An optimisation only: on such a Node an image's build goes on, and every start compiles the package.
      const unsupported = codeCacheUnsupported();
      if (unsupported !== undefined) {
        process.stderr.write(`shub-entrypoint code-cache: nothing written: ${unsupported}\n`);
        setStatus(0);
        return;
      }
      try {
        const files = writeCodeCaches();
        process.stdout.write(`shub-entrypoint: code cache for Node ${process.version} written and used by a new start:\n` +
          files.map((file) => `  ${file}\n`).join(''));
        setStatus(0);
      } catch (error) {
        if (!(error instanceof CodeCacheError)) throw error;
        process.stderr.write(`shub-entrypoint code-cache: ${error.message}\n`);
        setStatus(1);
      }
    });
}

// Runs the command line given as process.argv and resolves to the exit status.
export async function main(argv: readonly string[]): Promise<number> {
  // Before anything else: a job, or check reading one, takes all the command's output (young-generation.ts).
  keepYoungGenerationSmall();
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
    // Run with nothing after it, as a newcomer first runs it: what it takes, not only what is missing.
    if (argv.length <= 2) {
      program.outputHelp({ error: true });
      return EXIT_WRAPPER_FAILURE;
    }
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CheckUsageError) {
      if (!error.shown) process.stderr.write(error.message + '\n');
      return error.exitCode;
    }
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT_WRAPPER_FAILURE;
    if (error instanceof SettingError) {
      process.stderr.write(`shub-entrypoint: ${error.message}\n`);
      return EXIT_WRAPPER_FAILURE;
    }
    throw error;
  } finally {
    // No job ran (help, version, a usage error): a signal queued meanwhile takes its usual effect now.
    releaseEarlySignals();
  }
  return program.getOptionValue('status') as number;
}
