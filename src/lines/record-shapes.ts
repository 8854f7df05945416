// JSON log records read many at a time. A logger writes its records in a few shapes (the same keys in the same
// order, values of the same kinds, a few level names), so once a record has been read the usual way (json-log.ts),
// its shape becomes a pattern that matches such lines whole and a template that writes each one's LOG message from the
// pattern's groups: a run of records is then one native match and one native replace, with no JSON.parse and no
// JavaScript per record (the bench's JSON log records scenario).
//
// A shape only takes values whose text is what JSON.stringify would write for what JSON.parse reads from it (strings
// of printable ASCII without `"` or `\`, numbers written as JavaScript writes them, true, false, null), so the
// message is the same text as the usual way makes; every other line is read the usual way. A shape is kept only if
// it turns the line it was made from into exactly the LOG line the usual way makes of it: a field the usual way
// treats apart (a stack, sent on the lines after the message) makes no shape.

import { encodeLog, encodeLogsByPattern } from '../protocol/encode.js';
import { isJsonObject } from '../protocol/message.js';
import { jsonLogRecord, jsonString, recordLayout, recordMessage, type LogRecord } from './json-log.js';
import { literalPattern } from './pattern-text.js';
import { PRINTABLE } from './text-flags.js';

// A JSON string's contents that are the string itself: printable ASCII but `"` and `\`.
const STRING = '[ !#-\\[\\]-~]*';
// Numbers written as JavaScript writes their value: integers of up to 15 digits but -0, and decimals of up to 8
// integer and 6 fraction digits ending in a non-zero digit. Up to 15 significant digits a double keeps the decimal
// exactly, so its shortest text is the one written; from 1e-6 on JavaScript writes no exponent.
const CANONICAL_NUMBER = '(?:0|-?[1-9][0-9]{0,14}|-?(?:0|[1-9][0-9]{0,7})\\.[0-9]{0,5}[1-9])';
const IS_CANONICAL_NUMBER = new RegExp(`^${CANONICAL_NUMBER}$`);
// Any JSON number: the time field's value is not sent (the LOG has the wrapper's time), only its presence counts.
const ANY_NUMBER = '-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?';

// One field of a record written on one line, after `{` or `,`: spaces, its key, the colon with its spaces, a scalar
// value, spaces, then `,` or `}`. Only spaces: a tab would make the chunk's text need escaping.
const FIELD = new RegExp(` *"(${STRING})"( *: *)("${STRING}"|${ANY_NUMBER}|true|false|null)( *)([,}])`, 'y');

// Keys that JSON.parse makes an ordinary property of, kept in their written order: not an array index (a digit
// first), not `__proto__`.
const ORDINARY_KEY = /^(?![0-9]|__proto__$)/;

// Template groups are written as two digits (`$01`, so that a digit after one is never read as part of it), which
// allows 99; a record with more fields than this is read the usual way.
const MAX_FIELDS = 40;

// A pattern is made from its line's text, and compiling it costs time in its length (V8 even throws on a literal
// text of tens of thousands of characters): longer lines are read the usual way. A record is seldom longer.
const MAX_LEARNED_UNITS = 4096;

// How many shapes are kept, the most recently used first: a line that no shape takes is tried against each of them
// before it is read the usual way, so each shape kept may cost such a line one more scan.
const MAX_SHAPES = 16;

// The most level texts one shape takes: a logger has a handful, and each one lengthens the pattern.
const MAX_LEVELS = 12;

// Making a shape costs as much as reading a few dozen records the usual way (the line parsed again, two patterns
// compiled, the check), so it is paid for: the first shapes are free, then a credit is earned by each 32 KiB the
// fast path takes (some hundreds of records, which saved far more than that), or by each 1,024 records that no shape
// took, so that output whose records never repeat a shape (or that no shape takes) spends a few percent of its time
// on learning at most. Credits do not pile up past the first allowance.
const LEARNING_CREDIT = MAX_SHAPES;
const FAST_UNITS_PER_CREDIT = 32 * 1024;
const SLOW_LINES_PER_CREDIT = 1024;

// Trying shapes pays only where records of one shape come in runs: a line that no shape takes was scanned by each of
// them for nothing, and a run of one line is written no faster than the usual way would write it, while each line
// past a run's first is a record read without its parse. So a line that no shape takes counts one against the
// shapes, as does a run of one line, and a run counts one in their favour for each line past its second; once the
// count reaches BAD_TRIES, the shapes rest for the next lines, twice as many each time up to MAX_REST (so that they are
// tried again now and then, should runs come back), until one takes a run again or is learned. Records of many shapes
// in no order, or that share a long beginning with a known shape and differ only at its end, are then read the usual
// way, at its speed.
const BAD_TRIES = 16;
const MAX_REST = 1024;

export interface RecordShape {
  // The pattern of a line of this shape, as source text, with a group for each value its message takes and one for
  // its level, whose texts go where LEVEL_PLACE is; and the same without groups. A shape is one pattern whatever
  // its level: a logger's lines change level every few lines (the bench's JSON log records).
  readonly source: string;
  readonly sourceWithoutGroups: string;
  // The message's JSON text without its quotes, in terms of the groups, and the level's group.
  readonly template: string;
  readonly levelGroup: number;
  // The texts of the level field seen so far, and the level each stands for.
  readonly levels: ReadonlyArray<readonly [text: string, level: number]>;
  // Made from the above: one line of this shape, for String#replace (global), and the lines of this shape from a
  // position on, each followed by `\n` or the text's end (sticky).
  readonly eachLine: RegExp;
  readonly lineRun: RegExp;
}

// A mark for a group in the message before it becomes a template: a control character, which no key or value a
// shape takes can hold, escaped by JSON.stringify as `\u0001`.
const mark = (group: number): string => `\u0001${group}\u0001`;
const MARKED = /\\u0001(\d+)\\u0001/g;

// Where the level's texts go in a shape's source.
const LEVEL_PLACE = '\u0000';

// The shape of a record's line, or undefined when its values are not all of the kinds a shape takes.
export function shapeOf(line: string): RecordShape | undefined {
  if (line.length > MAX_LEARNED_UNITS) return undefined;
  const record = jsonLogRecord(line);
  if (record === undefined || line.charCodeAt(0) !== 0x7b) return undefined;
  const parsed: unknown = JSON.parse(line);
  if (!isJsonObject(parsed)) return undefined;
  const layout = recordLayout(parsed);
  if (layout === undefined) return undefined;
  let pattern = '\\{';
  let bare = pattern;
  const add = (text: string, group = false): void => {
    pattern += group ? `(${text})` : text;
    bare += text;
  };
  let groups = 0;
  let messageGroup = 0;
  let levelGroup = 0;
  let levelText = '';
  const others: string[] = [];
  const keys = new Set<string>();
  for (let index = 1; index < line.length;) {
    FIELD.lastIndex = index;
    const field = FIELD.exec(line);
    if (field === null || keys.size === MAX_FIELDS) return undefined;
    const [whole, key, colon, value, space, end] = field as unknown as [string, string, string, string, string, string];
    if (keys.has(key) || !ORDINARY_KEY.test(key)) return undefined;
    keys.add(key);
    add(literalPattern(whole.slice(0, whole.indexOf('"')) + jsonString(key) + colon));
    const isString = value.charCodeAt(0) === 0x22;
    const isNumber = !isString && value !== 'true' && value !== 'false' && value !== 'null';
    if (key === layout.levelField) {
      add(LEVEL_PLACE, true);
      levelGroup = ++groups;
      levelText = value;
    } else if (key === layout.timeField) {
      add(isString ? `"${STRING}"` : isNumber ? ANY_NUMBER : literalPattern(value));
    } else if (key === layout.messageField) {
      add('"');
      add(STRING, true);
      add('"');
      messageGroup = ++groups;
    } else if (isString) {
      add('"');
      add(STRING, true);
      add('"');
      others.push(jsonString(key) + ':"' + mark(++groups) + '"');
    } else if (isNumber) {
      if (!IS_CANONICAL_NUMBER.test(value)) return undefined;
      add(CANONICAL_NUMBER, true);
      others.push(jsonString(key) + ':' + mark(++groups));
    } else {
      add(literalPattern(value));
      others.push(jsonString(key) + ':' + value);
    }
    add(literalPattern(space + end));
    index += whole.length;
    if (end === '}' && index !== line.length) return undefined;
  }
  if (levelGroup === 0) return undefined;
  const message = JSON.stringify(recordMessage(mark(messageGroup), others.join(','), ''));
  const template = message.slice(1, -1).replaceAll('$', '$$$$')
    .replace(MARKED, (_, group: string) => '$' + group.padStart(2, '0'));
  return checked(withPatterns({ source: pattern, sourceWithoutGroups: bare, template, levelGroup, levels: [[levelText, record.level]] }), line, record);
}

// The shape, if it takes the whole of `line` and writes it exactly as the usual way writes it; else undefined.
function checked(shape: RecordShape, line: string, record: LogRecord): RecordShape | undefined {
  shape.lineRun.lastIndex = 0;
  if (!shape.lineRun.test(line) || shape.lineRun.lastIndex !== line.length) return undefined;
  return encodeRecordRun(shape, 0, line).lines === encodeLog(0, record.level, record.message, PRINTABLE).lines ? shape : undefined;
}

function withPatterns(shape: Omit<RecordShape, 'eachLine' | 'lineRun'>): RecordShape {
  shapeWork.patternsMade++;
  const levels = shape.levels.map(([text]) => literalPattern(text)).join('|');
  return {
    ...shape,
    eachLine: new RegExp(shape.source.replace(LEVEL_PLACE, () => levels), 'g'),
    lineRun: new RegExp(`(?:${shape.sourceWithoutGroups.replace(LEVEL_PLACE, () => `(?:${levels})`)}(?:\\n|$))+`, 'y'),
  };
}

// What learning and trying shapes has cost so far: patterns made, and lines tried against a shape (visible to tests
// only this way).
export const shapeWork = { patternsMade: 0, tries: 0 };

// The LOG lines for a run of lines of one shape, and how many there are at each of its levels.
export function encodeRecordRun(shape: RecordShape, time: number, run: string): { lines: string; counts: number[] } {
  return encodeLogsByPattern(time, run, shape.eachLine, shape.template, shape.levelGroup, shape.levels);
}

// The shapes of the records read so far on one stream.
export class RecordShapes {
  private readonly shapes: RecordShape[] = [];
  private credit = LEARNING_CREDIT;
  // The count against the shapes, and how many more lines they rest for (see BAD_TRIES).
  private badTries = 0;
  private rest = 0;
  private nextRest = 1;
  // Whether the line last offered was tried against the shapes and none took it: only such a line is learned. Lines
  // read one by one are never offered and teach nothing: they are a chunk's first and last, or arrive too slowly to
  // matter.
  private untaken = false;

  // Where the run of lines from `start` (a line start) that one known shape matches ends (the `\n` after its last
  // line, or the text's end), with that shape; undefined when no shape matches the line at `start`, or the shapes rest.
  runAt(text: string, start: number): { shape: RecordShape; end: number } | undefined {
    this.untaken = false;
    if (this.rest > 0) {
      this.rest--;
      return undefined;
    }
    const found = this.find(text, start);
    if (found === undefined) {
      this.untaken = true;
      this.judge(-1);
      return undefined;
    }
    this.credit = Math.min(LEARNING_CREDIT, this.credit + (found.end - start) / FAST_UNITS_PER_CREDIT);
    const firstEnd = text.indexOf('\n', start);
    this.judge(firstEnd === -1 || firstEnd >= found.end ? -1 : linesIn(text, firstEnd + 1, found.end) - 1);
    return found;
  }

  // A record line read the usual way: if it is the line last offered to runAt and no known shape took it, its shape
  // is learned when learning has credit.
  learn(line: string): void {
    if (!this.untaken) return;
    this.untaken = false;
    this.credit = Math.min(LEARNING_CREDIT, this.credit + 1 / SLOW_LINES_PER_CREDIT);
    if (this.credit < 1) return;
    this.credit--;
    const shape = shapeOf(line);
    if (shape === undefined) return;
    this.resume();
    const known = this.shapes.findIndex((other) => other.source === shape.source && other.template === shape.template);
    if (known === -1) {
      if (this.shapes.length === MAX_SHAPES) this.shapes.pop();
      this.shapes.unshift(shape);
      return;
    }
    // The same shape at another level: the known shape takes that level too.
    const other = this.shapes[known] as RecordShape;
    const [text] = shape.levels[0] as readonly [string, number];
    if (other.levels.length === MAX_LEVELS || other.levels.some(([seen]) => seen === text)) return;
    const merged = withPatterns({ ...other, levels: [...other.levels, ...shape.levels] });
    if (checked(merged, line, jsonLogRecord(line) as LogRecord) !== undefined) this.shapes[known] = merged;
  }

  private find(text: string, start: number): { shape: RecordShape; end: number } | undefined {
    for (let index = 0; index < this.shapes.length; index++) {
      const shape = this.shapes[index] as RecordShape;
      shapeWork.tries++;
      shape.lineRun.lastIndex = start;
      if (!shape.lineRun.test(text)) continue;
      if (index > 0) {
        this.shapes.splice(index, 1);
        this.shapes.unshift(shape);
      }
      const end = shape.lineRun.lastIndex;
      return { shape, end: text.charCodeAt(end - 1) === 0x0a ? end - 1 : end };
    }
    return undefined;
  }

  // Counts a try that took `gain` lines more than it needed to pay for itself (-1: none, or no run at all).
  private judge(gain: number): void {
    this.badTries = Math.max(0, this.badTries - gain);
    if (gain > 0) this.nextRest = 1;
    if (this.badTries < BAD_TRIES) return;
    this.badTries = 0;
    this.rest = this.nextRest;
    this.nextRest = Math.min(this.nextRest * 2, MAX_REST);
  }

  private resume(): void {
    this.badTries = 0;
    this.rest = 0;
    this.nextRest = 1;
  }
}

// How many lines [start, end) holds (`end` is the end of its last).
function linesIn(text: string, start: number, end: number): number {
  let count = 1;
  for (let newline = text.indexOf('\n', start); newline !== -1 && newline < end; newline = text.indexOf('\n', newline + 1)) count++;
  return count;
}
