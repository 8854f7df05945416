// What the wrapper changes in a command's message so that the platform accepts it instead of losing it, and how it
// says so. Be liberal with what the command writes: a value the platform would refuse is made into the nearest one
// it accepts, the message is kept, and the job's log says once what was done.

import { COMMANDS } from './message.js';
import { isObjectJson } from './object-json.js';

// The kinds of repair, as bits: a parse reports all it made in one number, so the common case allocates nothing.
export const REPAIR = {
  NON_FINITE: 1,
  LEVEL: 2,
  INTEGER: 4,
  TIME: 8,
  PARENT: 16,
  OUTCOME: 32,
  ARRAY_ELEMENT: 64,
  ONE_LINE: 128,
  RUN_TOGETHER: 256,
  ITEM_ARRAY: 512,
} as const;

// The rule that an item printed otherwise than on a line of its own is repaired to.
const ITEM_ON_ITS_LINE = 'an item is one JSON object on a line of its own';

// Each kind of repair: the platform's rule it enforces, and what was done, said in a WARNING the first time it
// happens in a job.
export const REPAIR_KINDS: ReadonlyArray<{ repair: number; rule: string; note: string }> = [
  { repair: REPAIR.NON_FINITE, rule: 'NaN, Infinity and -Infinity are not JSON',
    note: 'NaN, Infinity or -Infinity, which JSON does not have (Python\'s json writes them), was sent as null' },
  { repair: REPAIR.LEVEL, rule: 'LOG field "level" must be 10, 20, 30, 40 or 50',
    note: 'a LOG level other than 10, 20, 30, 40 or 50 was sent as the standard level at or below it (below 10: 10); ' +
      'a level name such as "warning" as its number, and a level that is neither as 20' },
  { repair: REPAIR.INTEGER, rule: 'REQ fields "status", "rs" and "duration" must be integers',
    note: 'a REQ status, rs or duration that was not a whole number was rounded' },
  { repair: REPAIR.TIME, rule: 'field "time" must be an integer (Unix time in milliseconds)',
    note: 'a time that was not a whole number of milliseconds was rounded, or replaced by the time the line was read when it was not a number' },
  { repair: REPAIR.PARENT, rule: 'REQ field "parent" must be null or the position of an earlier REQ',
    note: 'a REQ parent that named no earlier request, or one that was not sent, was sent as null' },
  { repair: REPAIR.OUTCOME, rule: 'FIN field "outcome" may be at most 255 characters',
    note: 'a FIN outcome over 255 characters was cut to 255' },
  { repair: REPAIR.ARRAY_ELEMENT, rule: ITEM_ON_ITS_LINE,
    note: 'an item printed with a comma after it, as the elements of a JSON array are written one a line (Scrapy\'s ' +
      '`-o -:json`; `-o -:jsonlines` prints one object a line), was sent without the comma' },
  { repair: REPAIR.ONE_LINE, rule: ITEM_ON_ITS_LINE,
    note: 'an item printed over several lines (JSON written with indentation) was sent on one line' },
  { repair: REPAIR.ITEM_ARRAY, rule: ITEM_ON_ITS_LINE,
    note: 'a JSON array of items printed on one line (print(json.dumps(items)), console.log(JSON.stringify(items))) was sent as its items, one a line' },
  { repair: REPAIR.RUN_TOGETHER, rule: 'each message is a line of its own',
    note: 'messages written to the job\'s pipe with no newline between them (a writer that closed the pipe without ending ' +
      'its last line, and the next one\'s) were sent each on its own' },
];

// Where a message written right after another with no newline between them starts in `line`: after each `}` that a
// command and ` {` follow. Whether the pieces are messages is for the caller to decide.
export function runTogetherStarts(line: string): number[] {
  const starts: number[] = [];
  for (const match of line.matchAll(NEXT_MESSAGE)) starts.push((match.index as number) + 1);
  return starts;
}

const NEXT_MESSAGE = new RegExp(`\\}(?=(?:${COMMANDS.join('|')}) \\{)`, 'g');

// JSON text written over several lines with indentation, on one line: each newline goes with the indentation after
// it. JSON has no newline inside a string (it is written `\n`), so each one stands between tokens.
export function onOneLine(json: string): string {
  return json.replace(NEWLINE_AND_INDENTATION, '');
}

const NEWLINE_AND_INDENTATION = /\n[ \t]*/g;

// The elements of a JSON array of objects on one line (`[{…}, {…}]`, as onOneLine makes an array printed with
// indentation, `jq . items.json`), each as it was written; undefined when it is not such an array (an element that
// is not an object, an empty array, text that is not JSON). Cut at the commas outside strings and brackets; each
// element is then checked as an object.
export function objectArrayElements(json: string): string[] | undefined {
  const text = json.trim();
  if (text.charCodeAt(0) !== 0x5b || text.charCodeAt(text.length - 1) !== 0x5d) return undefined;
  const elements: string[] = [];
  let depth = 0;
  let elementStart = 1;
  for (let index = 1; index < text.length - 1; index++) {
    const code = text.charCodeAt(index);
    if (code === 0x22) {
      // A string, skipped whole with its escapes.
      for (index++; index < text.length && text.charCodeAt(index) !== 0x22; index++) if (text.charCodeAt(index) === 0x5c) index++;
    } else if (code === 0x7b || code === 0x5b) depth++;
    else if (code === 0x7d || code === 0x5d) depth--;
    else if (code === 0x2c && depth === 0) {
      elements.push(text.slice(elementStart, index).trim());
      elementStart = index + 1;
    }
  }
  elements.push(text.slice(elementStart, text.length - 1).trim());
  return elements.every(isObjectJson) ? elements : undefined;
}

// A line written as an element of a JSON array, one element a line (`{…},`): the line without the comma after it,
// or undefined when no comma ends it. Whether the rest is an object is for the caller to decide.
export function withoutElementComma(line: string): string | undefined {
  const end = line.trimEnd();
  return end.endsWith(',') ? end.slice(0, -1).trimEnd() : undefined;
}

// A string (skipped whole, escapes included) or one of the bare words Python writes for non-finite floats.
const STRING_OR_NON_FINITE = /"[^"\\]*(?:\\[^][^"\\]*)*"|-?Infinity|NaN/g;

// The JSON text with NaN, Infinity and -Infinity outside strings written as null, or undefined when it has none.
// Only for text JSON.parse refused: whether the result is JSON is for JSON.parse to decide again.
export function repairNonFinite(json: string): string | undefined {
  if (!json.includes('NaN') && !json.includes('Infinity')) return undefined;
  let count = 0;
  const repaired = json.replace(STRING_OR_NON_FINITE, (match) => {
    if (match.charCodeAt(0) === 0x22 /* " */) return match;
    count++;
    return 'null';
  });
  return count === 0 ? undefined : repaired;
}
