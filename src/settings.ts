// The wrapper's settings, each defined once: its command-line flag, its spiders.json key, its environment variable,
// its default and its valid range. The command line, start-crawl and check all resolve settings through this table,
// so a setting can never be accepted in one place and refused (or bounded differently) in another.
//
// Precedence, most specific first: the command line, the environment, the spider's entry in spiders.json, the default.
// The environment is the per-run knob: a job's SHUB_JOB_ENV (the only way for a script job, which has no spiders.json
// entry), `check`'s flags (passed to the job it runs as variables), an image's ENV; tini and dumb-init are configured
// the same way. spiders.json is the image's baseline for each spider.

import { ENV_PREFIX } from './env-prefix.js';

// After a forwarded SIGTERM/SIGINT: long enough for a crawler to finish its in-flight requests and close cleanly,
// well inside Scrapy Cloud's 5-minute cancel window, so the wrapper, not the platform, ends it and writes the FIN.
export const DEFAULT_KILL_AFTER_SECONDS = 120;

// The reference sends stats every 30 s.
export const DEFAULT_STATS_INTERVAL_SECONDS = 30;

// Scrapy's MEMUSAGE_WARNING_MB is its own number; a share of the limit follows the limit wherever it comes from.
export const DEFAULT_MEMORY_WARNING_PERCENT = 80;

// Far above any machine's memory: a bound that only catches a typo of several digits.
const MAX_MEMORY_MB = 1024 * 1024;

// Once the command has exited, how long the platform's reader may take nothing (or not open its pipe at all) before
// the wrapper gives up: long enough for a reader busy with a burst of the job's last output, short enough that a
// reader gone for good does not keep a finished job's container alive.
export const DEFAULT_READER_TIMEOUT_SECONDS = 60;

// setTimeout fires at once for delays above 2^31-1 ms (about 24.8 days), so no timer setting may exceed it.
const MAX_TIMER_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

export interface WrapperSettings {
  // Bare JSON object lines on stdout become items.
  items: boolean;
  // A line's prefix (`WARNING:`, `[error]`, ...) gives its level, and a record's lines make one message.
  detectLevels: boolean;
  // JSON log records (pino, structlog, zap, ...) become log messages with their level.
  jsonLogs: boolean;
  // ANSI escape sequences (colours) stay in log text.
  keepAnsi: boolean;
  // A line redrawn with `\r` is logged as a terminal shows it.
  progressLines: boolean;
  // After a forwarded SIGTERM/SIGINT, SIGKILL the command's group if it has not exited by then.
  killAfter: number;
  statsInterval: number;
  // The job's memory limit in megabytes; 0 turns the guard off, undefined takes the platform's or the container's.
  memoryLimit: number | undefined;
  // Percent of the memory limit at which one warning is logged.
  memoryWarning: number;
  // Items and stats from a Crawlee or Apify crawler's local storage.
  crawlee: boolean;
  // Signals go to the command alone instead of its whole process group.
  singleChild: boolean;
  // After the command exited: how long the reader may take nothing before the wrapper gives up.
  readerTimeout: number;
}

export type SettingName = keyof WrapperSettings;

interface SwitchSpec {
  kind: 'switch';
  default: boolean;
  // Help for the flag that changes the default: `--no-NAME` when the default is on, `--NAME` when it is off.
  help: string;
}

interface NumberSpec {
  kind: 'number';
  // undefined: no value unless one is given, and `defaultHelp` says what happens then.
  default: number | undefined;
  defaultHelp?: string;
  unit: string;
  min: number;
  // Whether `min` itself is allowed (0 for "off", say) or only values above it.
  minInclusive: boolean;
  max: number;
  help: string;
}

export type SettingSpec = (SwitchSpec | NumberSpec) & { name: SettingName };

export const SETTINGS: readonly SettingSpec[] = [
  {
    name: 'items', kind: 'switch', default: true,
    help: 'keep JSON object lines on stdout as log text instead of items',
  },
  {
    name: 'detectLevels', kind: 'switch', default: true,
    help: 'give every line its stream\'s level (stdout INFO, stderr ERROR) instead of the level its prefix names ' +
      '(Scrapy, Python logging, loguru, structlog, logfmt, zap, Crawlee, winston, "LEVEL: msg"), and group only ' +
      'indented lines with the line before',
  },
  {
    name: 'jsonLogs', kind: 'switch', default: true,
    help: 'keep JSON log records (pino, bunyan, winston, zap, zerolog, slog, structlog, python-json-logger, Crawlee) ' +
      'as items (stdout) or ERROR text (stderr) instead of log messages with their level',
  },
  {
    name: 'keepAnsi', kind: 'switch', default: false,
    help: 'keep ANSI escape sequences (colours) in log text instead of removing them',
  },
  {
    name: 'progressLines', kind: 'switch', default: true,
    help: 'keep a line redrawn with \\r (a progress bar) whole, sent when it ends, instead of sending what a ' +
      'terminal shows: its latest state every few seconds and its final state',
  },
  {
    name: 'killAfter', kind: 'number', default: DEFAULT_KILL_AFTER_SECONDS, unit: 'seconds',
    min: 0, minInclusive: false, max: MAX_TIMER_SECONDS,
    help: 'after a forwarded SIGTERM/SIGINT, SIGKILL the command if it is still running',
  },
  {
    name: 'statsInterval', kind: 'number', default: DEFAULT_STATS_INTERVAL_SECONDS, unit: 'seconds',
    min: 0, minInclusive: false, max: MAX_TIMER_SECONDS,
    help: 'how often to send stats while the job runs',
  },
  {
    name: 'memoryLimit', kind: 'number', default: undefined, defaultHelp: 'SHUB_JOB_MEMORY_LIMIT or the container\'s limit',
    unit: 'megabytes', min: 0, minInclusive: true, max: MAX_MEMORY_MB,
    help: 'stop the job (outcome memusage_exceeded) when it uses this much memory, its processes and the wrapper together; 0: never',
  },
  {
    name: 'memoryWarning', kind: 'number', default: DEFAULT_MEMORY_WARNING_PERCENT, unit: 'percent',
    min: 0, minInclusive: false, max: 100,
    help: 'log one warning when the job uses this share of its memory limit',
  },
  {
    name: 'crawlee', kind: 'switch', default: true,
    help: 'do not read items and stats from a Crawlee or Apify crawler\'s storage directory',
  },
  {
    name: 'singleChild', kind: 'switch', default: false,
    help: 'pass signals to the command alone, not its whole process group (for a launcher that passes them on to its program itself, such as a shell script that traps them)',
  },
  {
    name: 'readerTimeout', kind: 'number', default: DEFAULT_READER_TIMEOUT_SECONDS, unit: 'seconds',
    min: 0, minInclusive: false, max: MAX_TIMER_SECONDS,
    help: 'once the command has exited, give up (exit 125) when the job\'s pipe has had no reader, or its reader has taken nothing, for this long',
  },
];

export class SettingError extends Error {}

// `killAfter` → `kill-after`, the flag's name.
export function flagName(name: SettingName): string {
  return name.replace(/[A-Z]/g, (letter) => '-' + letter.toLowerCase());
}

// `killAfter` → `SHUBENTRYPOINT_KILL_AFTER`.
export function envName(name: SettingName): string {
  return ENV_PREFIX + flagName(name).replaceAll('-', '_').toUpperCase();
}

// What a setting is when it is not given, for help texts.
export function defaultText(spec: SettingSpec): string {
  if (spec.kind === 'switch') return spec.default ? 'on' : 'off';
  return spec.defaultHelp ?? String(spec.default);
}

export function defaultSettings(): WrapperSettings {
  return Object.fromEntries(SETTINGS.map((spec) => [spec.name, spec.default])) as unknown as WrapperSettings;
}

// Checks a number against its setting's range; the message names where the value came from.
export function checkNumber(spec: NumberSpec & { name: SettingName }, value: number, where: string): number {
  const low = spec.minInclusive ? value >= spec.min : value > spec.min;
  if (!Number.isFinite(value) || !low || value > spec.max) {
    const lowText = spec.minInclusive ? `at least ${spec.min}` : `more than ${spec.min}`;
    throw new SettingError(`${where}: expected ${lowText} and at most ${spec.max} ${spec.unit}, got ${String(value)}`);
  }
  return value;
}

const TRUE_WORDS = ['1', 'true', 'yes', 'on'];
const FALSE_WORDS = ['0', 'false', 'no', 'off'];

// A setting's value written as text: an environment variable or a command-line argument.
export function parseSettingText(spec: SettingSpec, text: string, where: string): boolean | number {
  const word = text.trim().toLowerCase();
  if (spec.kind === 'switch') {
    if (TRUE_WORDS.includes(word)) return true;
    if (FALSE_WORDS.includes(word)) return false;
    throw new SettingError(`${where}: expected one of ${[...TRUE_WORDS, ...FALSE_WORDS].join(', ')}, got ${JSON.stringify(text)}`);
  }
  if (word === '' || Number.isNaN(Number(word))) {
    throw new SettingError(`${where}: expected a number of ${spec.unit}, got ${JSON.stringify(text)}`);
  }
  return checkNumber(spec, Number(word), where);
}

// A setting's value from spiders.json, where it is typed JSON.
export function parseSettingJson(spec: SettingSpec, value: unknown, where: string): boolean | number {
  if (spec.kind === 'switch') {
    if (typeof value !== 'boolean') throw new SettingError(`${where}: "${spec.name}" must be true or false`);
    return value;
  }
  if (typeof value !== 'number') throw new SettingError(`${where}: "${spec.name}" must be a number of ${spec.unit}`);
  return checkNumber(spec, value, `${where}: "${spec.name}"`);
}

export function settingSpec(name: string): SettingSpec | undefined {
  return SETTINGS.find((spec) => spec.name === name);
}

// The settings in force: each from the command line, else the environment, else the spider's spiders.json entry,
// else the default.
export function resolveSettings(commandLine: Partial<WrapperSettings>, env: NodeJS.ProcessEnv, spider: Partial<WrapperSettings> = {}): WrapperSettings {
  const settings: Record<string, boolean | number | undefined> = {};
  for (const spec of SETTINGS) {
    const text = env[envName(spec.name)];
    const fromEnv = text !== undefined && text !== '' ? parseSettingText(spec, text, envName(spec.name)) : undefined;
    settings[spec.name] = commandLine[spec.name] ?? fromEnv ?? spider[spec.name] ?? spec.default;
  }
  return settings as unknown as WrapperSettings;
}
