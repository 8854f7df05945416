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
import { jsonLogRecord, jsonString, recordLayout, recordMessage } from './json-log.js';
import { literalPattern } from './pattern-text.js';
import { PRINTABLE } from './text-flags.js';

// A JSON string's contents that are the string itself: printable ASCII but `"` and `\`.
const STRING = '[ !#-\\[\\]-~]*';
// Numbers written as JavaScript writes their value: integers of up to 15 digits (exact in a double) but -0, and
// decimals of up to 14 significant digits ending in a non-zero digit, from 1e-6 on (below it JavaScript writes an
// exponent).
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

// Template groups are written as two digits (`$01`), so that a digit after one is never read as part of it.
const MAX_FIELDS = 40;

// How many shapes are kept, tried newest first; a line that fits none fails each within its first few characters.
const MAX_SHAPES = 8;

export interface RecordShape {
  // The line's pattern with a group for each value its message takes, and for its level, whose text stands where
  // the placeholder (NUL) is; the same without groups. A shape is one pattern whatever its level: a logger's lines
  // change level every few lines (the bench's JSON log records).
  readonly skeleton: string;
  readonly bareSkeleton: string;
  // The message's JSON text without its quotes, in terms of the groups, and the level's group.
  readonly template: string;
  readonly levelGroup: number;
  // The texts of the level field seen so far, and the level each stands for.
  readonly levels: Array<readonly [text: string, level: number]>;
  // A line of this shape, whole, for String#replace (global), and lines of this shape each followed by `\n` or the
  // text's end (sticky); made anew when a level is added.
  line: RegExp;
  run: RegExp;
  used: boolean;
}

// A mark for a group in the message before it becomes a template: a control character, which no key or value a
// shape takes can hold, escaped by JSON.stringify as `\u0001`.
const mark = (group: number): string => `\u0001${group}\u0001`;
const MARKED = /\\u0001(\d+)\\u0001/g;

// Where the level's texts go in a skeleton.
const LEVEL_PLACE = '\u0000';

// The most level texts one shape takes (a logger has a handful).
const MAX_LEVELS = 12;

// The shape of a record's line, or undefined when its values are not all of the kinds a shape takes.
export function shapeOf(line: string): RecordShape | undefined {
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
  const shape = withPatterns({ skeleton: pattern, bareSkeleton: bare, template, levelGroup, levels: [[levelText, record.level]] });
  // The shape must write the line as the usual way writes it, or it is not used.
  return encodeRun(shape, 0, line).lines === encodeLog(0, record.level, record.message, PRINTABLE).lines ? shape : undefined;
}

function withPatterns(shape: Omit<RecordShape, 'line' | 'run' | 'used'>): RecordShape {
  patternsMade++;
  const levels = shape.levels.map(([text]) => literalPattern(text)).join('|');
  return {
    ...shape,
    line: new RegExp(shape.skeleton.replace(LEVEL_PLACE, () => levels), 'g'),
    run: new RegExp(`(?:${shape.bareSkeleton.replace(LEVEL_PLACE, () => `(?:${levels})`)}(?:\\n|$))+`, 'y'),
    used: false,
  };
}

let patternsMade = 0;

// How many shapes' patterns have been made so far (what learning costs is visible to tests only this way).
export function shapeCount(): number {
  return patternsMade;
}

// The LOG lines for a run of lines of one shape, and how many there are at each of its levels.
export function encodeRun(shape: RecordShape, time: number, run: string): { lines: string; counts: number[] } {
  return encodeLogsByPattern(time, run, shape.line, shape.template, shape.levelGroup, shape.levels);
}

// The shapes of the records read so far on one stream.
export class RecordShapes {
  private readonly shapes: RecordShape[] = [];
  // Lines whose shape went unused, in a row, and how many record lines to pass before trying to learn again: output
  // whose records all differ (or that no shape takes) would otherwise make a pattern for each of them.
  private misses = 0;
  private skip = 0;

  // Where the run of lines from `start` (a line start) that one known shape matches ends (the `\n` after its last
  // line, or the text's end), with that shape; undefined when no shape matches the line at `start`.
  runAt(text: string, start: number): { shape: RecordShape; end: number } | undefined {
    for (let index = 0; index < this.shapes.length; index++) {
      const shape = this.shapes[index] as RecordShape;
      shape.run.lastIndex = start;
      if (!shape.run.test(text)) continue;
      shape.used = true;
      this.misses = 0;
      if (index > 0) {
        this.shapes.splice(index, 1);
        this.shapes.unshift(shape);
      }
      const end = shape.run.lastIndex;
      return { shape, end: text.charCodeAt(end - 1) === 0x0a ? end - 1 : end };
    }
    return undefined;
  }

  // A record line read the usual way: its shape is learned, unless a known one already takes it.
  learn(line: string): void {
    if (this.skip > 0) {
      this.skip--;
      return;
    }
    if (this.runAt(line, 0) !== undefined) return;
    const shape = shapeOf(line);
    if (shape === undefined) return this.missed();
    // The same shape at another level: the known shape takes that level too.
    const known = this.shapes.findIndex((other) => other.skeleton === shape.skeleton && other.template === shape.template);
    if (known !== -1) {
      const other = this.shapes[known] as RecordShape;
      if (other.levels.length === MAX_LEVELS) return this.missed();
      this.shapes[known] = { ...withPatterns({ ...other, levels: [...other.levels, ...shape.levels] }), used: other.used };
      return;
    }
    if (this.shapes.length === MAX_SHAPES && !(this.shapes.pop() as RecordShape).used) this.missed();
    this.shapes.unshift(shape);
  }

  private missed(): void {
    this.misses = Math.min(this.misses + 1, 10);
    this.skip = 2 ** this.misses;
  }
}
