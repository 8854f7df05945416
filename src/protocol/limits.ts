// The platform's limits, in one place so every module counts the same way.

// A whole message, command and newline included (protocol page: "MUST not exceed 1 MiB").
export const MAX_MESSAGE_BYTES = 1_048_576;

// Storage rejects a stats object whose encoding exceeds this ("Value exceeds max encoded size").
export const MAX_STATS_BYTES = 65_536;

// FIN's outcome is "limited to 255 chars".
export const MAX_OUTCOME_CHARS = 255;

// How much of a rejected line or item an ERROR log quotes, so the user can recognise it.
export const QUOTE_CHARS = 300;

export const LEVELS = { DEBUG: 10, INFO: 20, WARNING: 30, ERROR: 40, CRITICAL: 50 } as const;

// The name Scrapy uses for a numeric level, for stats keys and readable output.
export function levelName(level: number): string {
  if (level >= 50) return 'CRITICAL';
  if (level >= 40) return 'ERROR';
  if (level >= 30) return 'WARNING';
  if (level >= 20) return 'INFO';
  return 'DEBUG';
}

// The platform knows only the five standard levels: any other number becomes the nearest one at or below it, and
// a number below DEBUG becomes DEBUG, the lowest there is (a Python NOTSET of 0, a custom TRACE of 5).
export function nearestStandardLevel(level: number): number {
  if (level >= 50) return 50;
  if (level >= 40) return 40;
  if (level >= 30) return 30;
  if (level >= 20) return 20;
  return 10;
}

// Level names as logging libraries write them, by prefix and in any case, the way Datadog's status remapper reads
// them: "warning", "WARN", "Error", "err", "critical", "emergency", "TRACE", "notice"…
const LEVEL_PREFIXES: ReadonlyArray<readonly [string, number]> = [
  ['trace', 10], ['debug', 10], ['verbose', 10],
  ['info', 20], ['notice', 20],
  ['warn', 30],
  ['err', 40],
  ['crit', 50], ['fatal', 50], ['alert', 50], ['emerg', 50], ['panic', 50],
];

// The standard level a level name stands for, or undefined when it names none. Shared by every reader of levels
// given as text, so that a name means the same wherever it is written.
export function levelFromName(name: string): number | undefined {
  const lower = name.trim().toLowerCase();
  for (const [prefix, level] of LEVEL_PREFIXES) if (lower.startsWith(prefix)) return level;
  return undefined;
}
