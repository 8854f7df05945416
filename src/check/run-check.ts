// `shub-entrypoint check`: runs a job on this machine the way Scrapy Cloud would, plays the platform's side of the
// pipe, shows the job live, and reports every message that breaks the protocol.

import { createWriteStream, openSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { FifoReader } from '../fifo/fifo-reader.js';
import { makeFifo } from '../fifo/make-fifo.js';
import { LineSplitter } from '../lines/line-splitter.js';
import { PACKAGE_ROOT } from '../package-root.js';
import { levelName } from '../protocol/limits.js';
import type { JsonObject, Message } from '../protocol/message.js';
import { formatMessage } from '../sink/readable-view.js';
import { loadSpidersConfig } from '../contract/spiders-config.js';
import { ProtocolChecker } from './protocol-checker.js';

export interface CheckOptions {
  // The command to run; empty runs this package's own start-crawl.
  command: string[];
  spider: string;
  spiderArgs: Record<string, string>;
  itemsPath: string | undefined;
  out: NodeJS.WritableStream;
}

export const EXIT_VIOLATIONS = 1;
// The check could not be made: bad usage, an items file that cannot be written, a command that cannot start.
const EXIT_USAGE = 125;
// How long the pipe is still read after the command exits, for writers it left behind.
const DRAIN_MS = 5_000;
const JOB_KEY = '0/1/1';
const OWN_START_CRAWL = join(PACKAGE_ROOT, 'bin', 'start-crawl.js');

interface Tally {
  items: number;
  requests: number;
  logs: Map<number, number>;
  stats: JsonObject | undefined;
  outcome: string | undefined;
}

// The environment Scrapy Cloud gives a job: the machine's own SHUB_* variables are replaced, as the platform does.
function platformEnvironment(fifoPath: string, spider: string, spiderArgs: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('SHUB_')) env[name] = value;
  const now = Date.now();
  const jobData = {
    key: JOB_KEY, project: 0, spider, spider_args: spiderArgs, tags: [], priority: 2, units: 1, version: 'local',
    scheduled_by: 'shub-entrypoint check', started_by: 'shub-entrypoint check', pending_time: now, running_time: now,
  };
  return {
    ...env,
    SHUB_FIFO_PATH: fifoPath,
    SHUB_JOB_DATA: JSON.stringify(jobData),
    SHUB_JOBKEY: JOB_KEY,
    SHUB_SPIDER: spider,
    SHUB_SETTINGS: JSON.stringify({ organization_settings: {}, project_settings: {}, spider_settings: {}, job_settings: {}, enabled_addons: [] }),
  };
}

export async function runCheck(options: CheckOptions): Promise<number> {
  const { out } = options;
  // Opened before anything runs, so a path that cannot be written is said at once, not after the whole job.
  let items: WriteStream | undefined;
  if (options.itemsPath) {
    try {
      items = createWriteStream(options.itemsPath, { fd: openSync(options.itemsPath, 'w') });
    } catch (error) {
      process.stderr.write(`shub-entrypoint check: cannot write the items file: ${(error as Error).message}\n`);
      return EXIT_USAGE;
    }
  }
  const fifo = makeFifo('shub-fifo');
  const reader = new FifoReader(fifo.path);
  const tally: Tally = { items: 0, requests: 0, logs: new Map(), stats: undefined, outcome: undefined };

  const checker = new ProtocolChecker({
    message: (message: Message) => {
      count(tally, message);
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

  const [command, ...args] = options.command.length > 0 ? options.command : [process.execPath, OWN_START_CRAWL];
  out.write(`▶ running ${[command, ...args].join(' ')} as spider "${options.spider}", job ${JOB_KEY}\n`);
  const started = Date.now();
  // execa is loaded here only: the wrapper's start-up never pays for it.
  const { execa } = await import('execa');
  const child = execa(command as string, args, {
    env: platformEnvironment(fifo.path, options.spider, options.spiderArgs), extendEnv: false,
    stdio: 'inherit', reject: false, cleanup: false,
  });
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  const listeners = (['SIGINT', 'SIGTERM'] as const).map((signal) => [signal, forward(signal)] as const);
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

  if (notStarted) {
    process.stderr.write(`shub-entrypoint check: ${result.shortMessage}\n`);
    return EXIT_USAGE;
  }
  const seconds = (Date.now() - started) / 1000;
  const status = `exit status ${result.exitCode ?? result.signal}`;
  out.write(summary(tally, checker, { seconds, status, itemsPath: options.itemsPath, drained }));
  return checker.violations > 0 ? EXIT_VIOLATIONS : 0;
}

function count(tally: Tally, message: Message): void {
  switch (message.command) {
    case 'ITM':
      tally.items++;
      break;
    case 'REQ':
      tally.requests++;
      break;
    case 'LOG':
      tally.logs.set(message.value.level, (tally.logs.get(message.value.level) ?? 0) + 1);
      break;
    case 'STA':
      tally.stats = message.value.stats;
      break;
    case 'FIN':
      tally.outcome = message.value.outcome;
      break;
  }
}

function summary(tally: Tally, checker: ProtocolChecker, run: { seconds: number; status: string; itemsPath: string | undefined; drained: boolean }): string {
  const logs = [...tally.logs].sort(([a], [b]) => a - b).map(([level, count]) => `${levelName(level)} ${count}`).join(' · ') || 'none';
  const lines = [
    '',
    '── summary ──',
    `outcome     ${tally.outcome ?? 'none: no FIN (Scrapy Cloud would record no_reason)'}`,
    `command     ${run.status}, ${run.seconds.toFixed(2)} s`,
    `items       ${tally.items}${run.itemsPath ? ` (written to ${run.itemsPath})` : ''}`,
    `requests    ${tally.requests}`,
    `logs        ${logs}`,
    `stats       ${tally.stats ? JSON.stringify(tally.stats) : 'none'}`,
  ];
  if (!run.drained) lines.push(`warning     the pipe was still open ${DRAIN_MS / 1000} s after the command exited; stopped reading`);
  if (tally.outcome === undefined) lines.push('warning     the job wrote no FIN');
  lines.push(checker.violations === 0
    ? `protocol    OK: ${checker.lineNumber} lines, no violations`
    : `protocol    ${checker.violations} violation${checker.violations === 1 ? '' : 's'} in ${checker.lineNumber} lines (marked ✗ above)`);
  return lines.join('\n') + '\n';
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

// The spider a local run uses: the one named; for this package's start-crawl, else the only one in spiders.json;
// for a command given explicitly (an image's own start script), else "local".
export function chooseSpider(named: string | undefined, command: string[], env: NodeJS.ProcessEnv): string | Error {
  if (named) return named;
  if (command.length > 0) return 'local';
  let names: string[];
  try {
    names = [...loadSpidersConfig(env).spiders.keys()].sort();
  } catch (error) {
    return error as Error;
  }
  if (names.length === 1) return names[0] as string;
  return new Error(`choose a spider with --spider: ${names.length === 0 ? 'spiders.json defines none' : `spiders.json defines ${names.join(', ')}`}`);
}
