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

// Level names as loggers write them, by prefix and case-insensitively, the way Datadog's status remapper reads them:
// `warn`, `Warning` and `WARNING` are all 30. The one table every reader of a level name uses. winston's `http`, between
// its `info` and `verbose`, is INFO; it is no level word in text (LEVEL_WORDS), where `HTTP` is a protocol's name.
const LEVEL_PREFIXES: ReadonlyArray<readonly [string, number]> = [
  ['trace', 10], ['debug', 10], ['verbose', 10], ['silly', 10],
  ['info', 20], ['notice', 20], ['success', 20], ['http', 20],
  ['warn', 30],
  ['err', 40],
  ['crit', 50], ['fatal', 50], ['alert', 50], ['emerg', 50], ['panic', 50], ['dpanic', 50],
];

// Longest name accepted (`information`, `emergency`): a longer word is prose, not a level.
const MAX_LEVEL_NAME = 11;

// The standard level a name stands for (surrounding spaces ignored), or undefined when it names none: in a JSON log
// record's level field and in a protocol line's `level` alike, so a name means the same wherever it is written.
export function levelFromName(name: string): number | undefined {
  const exact = javaLevelFromName(name.trim());
  if (exact !== undefined) return exact;
  const lower = name.trim().toLowerCase();
  if (lower.length < 3 || lower.length > MAX_LEVEL_NAME) return undefined;
  for (const [prefix, level] of LEVEL_PREFIXES) if (lower.startsWith(prefix)) return level;
  return undefined;
}

// Java's java.util.logging's names, as Level.getName() writes them and as Java's bridges to other loggers read them
// (jul-to-slf4j: CONFIG is INFO, the FINE levels DEBUG and TRACE). Only so written: as prefixes, or in text,
// `Severe`, `fine` and `config` are ordinary words (a weather alert's severity, `configured`).
const JAVA_LEVELS = new Map([['SEVERE', 40], ['WARNING', 30], ['INFO', 20], ['CONFIG', 20], ['FINE', 10], ['FINER', 10], ['FINEST', 10]]);

// The level one of java.util.logging's names stands for, or undefined.
export function javaLevelFromName(name: string): number | undefined {
  return JAVA_LEVELS.get(name);
}

// Whole words that name a level in a line of text. Stricter than levelFromName's prefixes: in prose, `Traceback`
// or `Errors` is not a level. zerolog's console writer abbreviates to three letters (TRC DBG INF WRN ERR FTL PNC);
// loguru has SUCCESS between INFO and WARNING.
const LEVEL_WORDS = new Map<string, number>([
  ['trace', 10], ['trc', 10], ['debug', 10], ['dbg', 10], ['verbose', 10], ['silly', 10],
  ['info', 20], ['inf', 20], ['notice', 20], ['success', 20],
  ['warn', 30], ['wrn', 30], ['warning', 30],
  ['err', 40], ['error', 40],
  ['crit', 50], ['critical', 50], ['fatal', 50], ['ftl', 50], ['alert', 50], ['emerg', 50], ['panic', 50],
  ['pnc', 50], ['dpanic', 50],
]);

// Level words by length, as lower-case character codes, to compare a word where it stands without copying it.
const LEVEL_WORDS_BY_LENGTH: ReadonlyArray<ReadonlyArray<readonly [number[], number]>> = Array.from({ length: 9 }, (_, length) =>
  [...LEVEL_WORDS].filter(([word]) => word.length === length).map(([word, level]) => [Array.from(word, (char) => char.charCodeAt(0)), level] as const));

// The level the word at [start, end) of `text` names (any case), or undefined.
export function levelFromWordAt(text: string, start: number, end: number): number | undefined {
  const candidates = LEVEL_WORDS_BY_LENGTH[end - start];
  if (candidates === undefined) return undefined;
  for (const [codes, level] of candidates) {
    let index = 0;
    while (index < codes.length && (text.charCodeAt(start + index) | 0x20) === codes[index]) index++;
    if (index === codes.length) return level;
  }
  return undefined;
}

// Level words that open headlines and sentences capitalised (`Alert: price dropped`, `Panic: The Story of …`,
// `Verbose: off`): at a line's start they name no level so written, where `Error:`, `Warning:` or `Trace:` (Node's
// console.trace) does, and where loggers write them in lower case (winston's `verbose:`, Go's `panic:`) or capitals.
const NOT_CAPITALISED = ['Alert', 'Panic', 'Emerg', 'Verbose', 'Silly'];

// Whether the word at [start, end) of `text` is one of those, capitalised.
export function capitalisedHeadlineWord(text: string, start: number, end: number): boolean {
  return NOT_CAPITALISED.some((word) => word.length === end - start && text.startsWith(word, start));
}

// Every level word, lower case.
export function levelWords(): string[] {
  return [...LEVEL_WORDS.keys()];
}

// Numeric levels. pino and bunyan count 10 trace, 20 debug, 30 info, 40 warn, 50 error, 60 fatal; Python's logging
// 10 debug … 50 critical. Only these exact values are levels.
export function levelFromNumber(value: number, pinoScale: boolean): number | undefined {
  if (!Number.isInteger(value) || value % 10 !== 0) return undefined;
  if (pinoScale) return value >= 10 && value <= 60 ? Math.max(10, value - 10) : undefined;
  return value >= 10 && value <= 50 ? value : undefined;
}

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
