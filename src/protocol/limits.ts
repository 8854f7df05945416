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
