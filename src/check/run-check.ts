// `shub-entrypoint check`: runs a job on this machine the way Scrapy Cloud would, plays the platform's side of the
// pipe, shows the job live, and reports every message that breaks the protocol.

import { createWriteStream, existsSync, openSync, type WriteStream } from 'node:fs';
import { basename, isAbsolute, join } from 'node:path';
import { FifoReader } from '../fifo/fifo-reader.js';
import { makeFifo } from '../fifo/make-fifo.js';
import { LineSplitter } from '../lines/line-splitter.js';
import { PACKAGE_ROOT } from '../package-root.js';
import { shellQuote } from '../process/shell-quote.js';
import type { Message } from '../protocol/message.js';
import { formatMessage } from '../sink/readable-view.js';
import { relativePathWarnings } from '../contract/relative-paths.js';
import { CONFIG_ENV, configPath, loadSpidersConfig } from '../contract/spiders-config.js';
import { CHECK_FAILED, CHECK_PASSED, CHECK_USAGE } from './check-command.js';
import { passed, summary, Tally } from './check-summary.js';
import { createJobSandbox, type JobSandbox } from './job-sandbox.js';
import { importEsm } from '../launch/esm-import.js';
import { isOwnCommand } from './own-command.js';
import { ProtocolChecker } from './protocol-checker.js';

// One check run, as the command line gave it.
export interface CheckOptions {
  // The command to run; empty runs this package's own start-crawl.
  command: string[];
  spider: string;
  spiderArgs: Record<string, string>;
  itemsPath: string | undefined;
  out: NodeJS.WritableStream;
  // Run the command as it is: it writes the protocol itself.
  raw: boolean;
  keep: boolean;
  asMe: boolean;
  // SHUBENTRYPOINT_* variables for the job's wrapper: the settings given as check's flags.
  settings: Record<string, string>;
}

// How long the pipe is still read after the command exits, for writers it left behind.
const DRAIN_MS = 5_000;
const JOB_KEY = '0/1/1';
const OWN_START_CRAWL = join(PACKAGE_ROOT, 'bin', 'start-crawl.js');

// What runs, and whether the job reads spiders.json.
interface Plan {
  argv: string[];
  jobCommand: string[] | undefined;
  usesSpidersConfig: boolean;
}

// A command is wrapped as Scrapy Cloud wraps a script job: this package's start-crawl runs it as the job's
// `job_cmd`. A command that speaks the protocol itself (--raw, or already this package's wrapper) runs as it is.
function planRun(options: CheckOptions): Plan {
  // Run as a program, as the platform runs it: the launcher, by its #! line.
  const ownStartCrawl = [OWN_START_CRAWL];
  if (options.command.length === 0) return { argv: ownStartCrawl, jobCommand: undefined, usesSpidersConfig: true };
  if (options.raw || isOwnCommand(options.command, process.env, process.cwd())) {
    const startCrawl = options.command.some((word) => basename(word).startsWith('start-crawl'));
    return { argv: options.command, jobCommand: undefined, usesSpidersConfig: startCrawl };
  }
  return { argv: ownStartCrawl, jobCommand: options.command, usesSpidersConfig: false };
}

// The environment Scrapy Cloud gives a job: the machine's own SHUB_* variables are replaced, as the platform does,
// HOME is the job's empty directory, and the settings given to check are there for the job's wrapper to read.
function platformEnvironment(fifoPath: string, options: CheckOptions, plan: Plan, sandbox: JobSandbox): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('SHUB_')) env[name] = value;
  const now = Date.now();
  const jobData = {
    key: JOB_KEY, project: 0, spider: options.spider, spider_args: options.spiderArgs, tags: [], priority: 2, units: 1,
    version: 'local', scheduled_by: 'shub-entrypoint check', started_by: 'shub-entrypoint check', pending_time: now,
    running_time: now, ...(plan.jobCommand ? { job_cmd: plan.jobCommand } : {}),
  };
  return {
    ...env,
    ...options.settings,
    // Found here from the directory check was started in; the job runs elsewhere (see configWarnings).
    [CONFIG_ENV]: configPath(process.env),
    HOME: sandbox.directory,
    PWD: sandbox.directory,
    SHUB_FIFO_PATH: fifoPath,
    SHUB_JOB_DATA: JSON.stringify(jobData),
    SHUB_JOBKEY: JOB_KEY,
    SHUB_SPIDER: options.spider,
    SHUB_SETTINGS: JSON.stringify({ organization_settings: {}, project_settings: {}, spider_settings: {}, job_settings: {}, enabled_addons: [] }),
  };
}

// What would fail on Scrapy Cloud because of a path that only works from here.
function configWarnings(): string[] {
  const given = process.env[CONFIG_ENV];
  const warnings: string[] = [];
  if (!given || !isAbsolute(given)) {
    warnings.push(`${CONFIG_ENV} is ${given ? `the relative path "${given}"` : 'not set, so ./spiders.json is used'}; ` +
      `jobs run in an empty /scrapinghub, where it is not found: set ${CONFIG_ENV} to an absolute path in the image ` +
      `(this run gives the job ${configPath(process.env)})`);
  }
  try {
    warnings.push(...relativePathWarnings(loadSpidersConfig(process.env)));
  } catch {
    // An unreadable or invalid config: the job's start-crawl reports it, as it would on the platform.
  }
  return warnings;
}

// Runs the job, shows it, and resolves to check's exit status.
export async function runCheck(options: CheckOptions): Promise<number> {
  const { out } = options;
  // Opened before anything runs, so a path that cannot be written is said at once, not after the whole job.
  let items: WriteStream | undefined;
  if (options.itemsPath) {
    try {
      items = createWriteStream(options.itemsPath, { fd: openSync(options.itemsPath, 'w') });
    } catch (error) {
      process.stderr.write(`shub-entrypoint check: cannot write the items file: ${(error as Error).message}\n`);
      return CHECK_USAGE;
    }
  }
  const plan = planRun(options);
  if (plan.usesSpidersConfig) for (const warning of configWarnings()) out.write(`⚠ ${warning}\n`);
  const sandbox = createJobSandbox(options.asMe);
  const fifo = await makeFifo('shub-fifo', { owner: sandbox.user });
  const reader = new FifoReader(fifo.path);
  const tally = new Tally();

  const checker = new ProtocolChecker({
    message: (message: Message) => {
      tally.count(message);
      // Items go to the items file when there is one, and are shown otherwise.
      if (message.command === 'ITM' && items) items.write(JSON.stringify(message.value) + '\n');
      else out.write(formatMessage(message) + '\n');
    },
    violation: (text) => out.write(`✗ ${text}\n`),
  });
  const splitter = new LineSplitter(checker);
  let lastByte = 0x0a;
  const pipeDone = new Promise<void>((resolve) => {
    reader.stream.on('data', (chunk: Buffer) => {
      lastByte = chunk[chunk.length - 1] as number;
      splitter.push(chunk);
    });
    reader.stream.once('close', () => resolve());
  });

  const [command, ...args] = plan.argv as [string, ...string[]];
  const how = plan.jobCommand ? `${shellQuote(plan.jobCommand)} under the wrapper` : shellQuote(plan.argv);
  out.write(`▶ running ${how} as spider "${options.spider}", job ${JOB_KEY}, in ${sandbox.directory}` +
    `${sandbox.user ? ` as ${sandbox.user.name}` : ''}; times are when each message arrived\n`);
  const started = Date.now();
  // execa is loaded here only: the wrapper's start-up never pays for it.
  const { execa } = (await importEsm('execa')) as typeof import('execa');
  // In a process group of its own, as Scrapy Cloud starts a job: a Ctrl-C in the terminal reaches check alone, which
  // passes it on once. In check's group, the job got the terminal's SIGINT and check's copy of it, and took the
  // second for "stop now" (SIGKILL), so a clean stop could not be tried under check.
  const child = execa(command, args, {
    env: platformEnvironment(fifo.path, options, plan, sandbox), extendEnv: false, cwd: sandbox.directory,
    ...(sandbox.user ? { uid: sandbox.user.uid, gid: sandbox.user.gid } : {}),
    stdio: 'inherit', reject: false, cleanup: false, detached: true,
  });
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  // SIGHUP too: the terminal's closing no longer reaches the job, which would run on without anyone to show it.
  const listeners = (['SIGINT', 'SIGTERM', 'SIGHUP'] as const).map((signal) => [signal, forward(signal)] as const);
  for (const [signal, listener] of listeners) process.on(signal, listener);
  const result = await child;
  for (const [signal, listener] of listeners) process.off(signal, listener);
  // The command never ran: there is no job to check.
  const notStarted = result.failed && result.exitCode === undefined && result.signal === undefined;

  reader.endWhenWritersClose();
  const drained = await Promise.race([pipeDone.then(() => true), delay(DRAIN_MS).then(() => false)]);
  reader.close();
  splitter.end();
  fifo.remove();
  if (lastByte !== 0x0a) checker.unterminated();
  if (items) await new Promise((resolve) => items.end(resolve));
  if (!options.keep) sandbox.remove();

  const run = {
    status: notStarted ? `the command could not start: ${result.shortMessage}` : `exit status ${result.exitCode ?? result.signal}`,
    started: !notStarted,
    seconds: (Date.now() - started) / 1000,
    lines: checker.lineNumber,
    violations: checker.violations,
    itemsPath: options.itemsPath,
    undrainedSeconds: drained ? undefined : DRAIN_MS / 1000,
    user: sandbox.user?.name,
    keptDirectory: options.keep ? sandbox.directory : undefined,
  };
  out.write(summary(tally, run));
  return passed(tally, run) ? CHECK_PASSED : CHECK_FAILED;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

// The spider a local run uses: the one named; for this package's start-crawl, else the only one in spiders.json;
// for a command given explicitly (an image's own start script), else "local".
export function chooseSpider(named: string | undefined, command: string[], env: NodeJS.ProcessEnv): string | Error {
  if (command.length > 0) return named ?? 'local';
  // The job's start-crawl reads the spiders config, and says what is wrong with it as it would on the platform; one
  // that is not there at all is a mistake of this command line, said as one.
  if (named && existsSync(configPath(env))) return named;
  let names: string[];
  try {
    names = [...loadSpidersConfig(env).spiders.keys()].sort();
  } catch (error) {
    // With no command and no spiders config at all, what was meant is most likely a command of one's own.
    if (existsSync(configPath(env))) return error as Error;
    return new Error(`${(error as Error).message}\n(to check a command of your own, give it after \`--\`: shub-entrypoint check -- python3 crawl.py)`);
  }
  if (names.length === 1) return names[0] as string;
  return new Error(`choose a spider with --spider: ${names.length === 0 ? 'spiders.json defines none' : `spiders.json defines ${names.join(', ')}`}`);
}
