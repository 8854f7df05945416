// What `check` says at the end of a job: a first line that says PASSED or FAILED and why, then what the job sent.

import { levelName } from '../protocol/limits.js';
import type { JsonObject, Message } from '../protocol/message.js';
import { JOB_USER_NAME } from './job-sandbox.js';

// Stats that say how the wrapper or a crawler library read the command's output (where items came from, lines taken
// for log records): shown on lines of their own, whoever adds them.
const NOTED_STAT_PREFIXES = ['shub_entrypoint/', 'crawlee/'];

// What programs say when a file is missing or out of reach: the failures that running as nobody in an empty
// directory brings out, and the only ones the hint about it is for.
const FILE_TROUBLE = /no such file|permission denied|can't open|cannot open|not found|ENOENT|EACCES|cannot find module|not executable/i;

// What the job sent, counted as it arrives.
export class Tally {
  items = 0;
  requests = 0;
  logs = new Map<number, number>();
  stats: JsonObject | undefined;
  outcome: string | undefined;
  // Whether an ERROR said a file was missing or could not be read.
  fileTrouble = false;

  count(message: Message): void {
    switch (message.command) {
      case 'ITM':
        this.items++;
        break;
      case 'REQ':
        this.requests++;
        break;
      case 'LOG':
        this.logs.set(message.value.level, (this.logs.get(message.value.level) ?? 0) + 1);
        if (message.value.level >= 40 && FILE_TROUBLE.test(message.value.message)) this.fileTrouble = true;
        break;
      case 'STA':
        this.stats = message.value.stats;
        break;
      case 'FIN':
        this.outcome = message.value.outcome;
        break;
    }
  }
}

// What is known about the run besides its messages.
export interface RunFacts {
  // `exit status 3`, `exit status SIGTERM`, or why the command could not start.
  status: string;
  started: boolean;
  seconds: number;
  lines: number;
  violations: number;
  itemsPath: string | undefined;
  // How long the pipe was still read after the command exited, if it was still open then; undefined if it closed.
  undrainedSeconds: number | undefined;
  // The user the job ran as, when not the one running check.
  user: string | undefined;
  keptDirectory: string | undefined;
}

// The one rule for PASSED, shared by the verdict line and check's exit status.
export function passed(tally: Tally, run: RunFacts): boolean {
  return run.started && tally.outcome === 'finished' && run.violations === 0;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function verdict(tally: Tally, run: RunFacts): string {
  if (passed(tally, run)) return `PASSED: outcome finished, ${run.status}, ${plural(run.lines, 'line')}, no protocol violations`;
  const reasons: string[] = [];
  if (!run.started) reasons.push(run.status);
  else if (tally.outcome === undefined) reasons.push(`no FIN (Scrapy Cloud would record no_reason), ${run.status}`);
  else if (tally.outcome !== 'finished') reasons.push(`outcome ${tally.outcome}, ${run.status}`);
  if (run.violations > 0) reasons.push(plural(run.violations, 'protocol violation'));
  return `FAILED: ${reasons.join('; ')}`;
}

function notedStats(stats: JsonObject | undefined): string[] {
  if (!stats) return [];
  return Object.keys(stats).filter((key) => NOTED_STAT_PREFIXES.some((prefix) => key.startsWith(prefix))).sort()
    .map((key) => `  ${key} = ${JSON.stringify(stats[key])}`);
}

// The whole summary, verdict first.
export function summary(tally: Tally, run: RunFacts): string {
  const logs = [...tally.logs].sort(([a], [b]) => a - b).map(([level, count]) => `${levelName(level)} ${count}`).join(' · ') || 'none';
  const lines = [
    '',
    verdict(tally, run),
    `outcome     ${tally.outcome ?? 'none: no FIN (Scrapy Cloud would record no_reason)'}`,
    `command     ${run.status}, ${run.seconds.toFixed(2)} s${run.user ? `, as ${run.user}` : ''}`,
    `items       ${tally.items}${run.itemsPath ? ` (written to ${run.itemsPath})` : ''}`,
    `requests    ${tally.requests}`,
    `logs        ${logs}`,
    `stats       ${tally.stats ? JSON.stringify(tally.stats) : 'none'}`,
    ...notedStats(tally.stats),
  ];
  if (run.undrainedSeconds !== undefined) {
    lines.push(`warning     the pipe was still open ${run.undrainedSeconds} s after the command exited; stopped reading`);
  }
  lines.push(run.violations === 0
    ? `protocol    OK: ${plural(run.lines, 'line')}, no violations`
    : `protocol    ${plural(run.violations, 'violation')} in ${plural(run.lines, 'line')} (marked ✗ above)`);
  if (!passed(tally, run) && tally.outcome !== 'finished' && (tally.fileTrouble || !run.started)) {
    const here = run.user ? '' : ` (here as you: run check as root to try it as ${JOB_USER_NAME})`;
    lines.push(`hint        jobs run as ${JOB_USER_NAME} in an empty /scrapinghub-like directory; use absolute paths readable by all${here}`);
  }
  if (run.keptDirectory) lines.push(`directory   kept: ${run.keptDirectory}`);
  return lines.join('\n') + '\n';
}
