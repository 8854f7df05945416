// JSON log records read many at a time. A logger writes its records in a few shapes (the same keys in the same
// order, values of the same kinds, a few level names), so once a record has been read the usual way (json-log.ts),
// its shape becomes a pattern that matches such lines whole and a template that writes each one's LOG message from the
// pattern's groups: a run of records is then one native match and one native replace, with no JSON.parse (the bench's
// JSON log records scenario).
//
// A shape only takes values whose text is what JSON.stringify would write for what JSON.parse reads from it (strings
// without `"`, `\` or controls, numbers written as JavaScript writes them, true, false, null), so the message is the
// same text as the usual way makes (which then writes every unit above 0x7E as `\uXXXX`, as the shape's LOG lines
// do too); every other line is read the usual way. A shape is kept only if
// it turns the line it was made from into exactly the LOG line the usual way makes of it: a field the usual way
// treats apart (a stack, sent on the lines after the message) makes no shape.

import { asciiJsonLines } from '../protocol/ascii.js';
import { encodeLog, encodeLogsByPattern, logOpening } from '../protocol/encode.js';
import { isRecordLine, PROGRAM_STEP, recordLinesIn } from './byte-scan.js';
import { jsonString, parsedLogRecord, recordMessage, type LogRecord } from './json-log.js';
import { literalPattern } from './pattern-text.js';

// A JSON string's contents that are the string as asciiJsonString writes it, but for its units above 0x7E, which may
// stand as they are: no `"`, `\` or control, and `\uXXXX` only for such a unit, in lower-case hex (as Python's
// json.dumps writes every non-ASCII character by default), a surrogate only as half of a pair: JSON.stringify writes a
// lone one as an escape, which the message of a record's other fields then escapes again. The assembly's
// plainStringEnd reads the same. (A record's message in another script than Latin is as common as the records.)
const UNIT_ESCAPE = '\\\\u(?:007f|00[89a-f][0-9a-f]|0[1-9a-f][0-9a-f]{2}|[1-9a-c][0-9a-f]{3}|d[0-7][0-9a-f]{2}|[ef][0-9a-f]{3}'
  + '|d[89ab][0-9a-f]{2}\\\\ud[c-f][0-9a-f]{2})';
const STRING = `(?:[ !#-\\[\\]-\\uffff]|${UNIT_ESCAPE})*`;
// What the module compares as bytes must be this: a shape's literals and level texts.
const PRINTABLE_ASCII = /^[ -~]*$/;
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
// allows 99 groups, one a field at most; a record of more than MAX_FIELDS fields, far more than loggers write, is
// read the usual way, with room to spare.
const MAX_FIELDS = 40;

// A pattern is made from its line's text, and compiling it costs time in its length (V8 even throws on a literal
// text of tens of thousands of characters): longer lines are read the usual way. A record is seldom longer.
const MAX_LEARNED_UNITS = 4096;

// How many shapes are kept, the most recently used first (the least recently used is dropped for a new one, so a
// logger that cycles through more shapes than this drops each just before it is needed: the shapes then rest, see
// BAD_TRIES). A line that no shape takes is tried against each of them before it is read the usual way.
const MAX_SHAPES = 16;

// The most level texts one shape takes: a logger has a handful, and each one lengthens the pattern.
const MAX_LEVELS = 12;

// Making a shape costs far more than reading one record the usual way (the line parsed again, two patterns compiled,
// the check), so it is paid for: credits are earned by the text the fast path took (what shapes saved) and, slowly,
// by records that no shape took (so that a logger whose shapes change over time is learned again); learning spends
// one. Output whose records never repeat a shape, or that no shape takes, then learns rarely. The credits start at,
// and never pile up past, what learning every shape kept once costs.
const LEARNING_CREDIT = MAX_SHAPES;
const FAST_UNITS_PER_CREDIT = 256 * 1024;
const SLOW_LINES_PER_CREDIT = 1024;

// Trying shapes pays only where records of one shape come in runs: a line that no shape takes was scanned by each of
// them for nothing, a shape tried and missed before the one that takes a run scanned it for nothing too, and a run of
// one line is written no faster than the usual way would write it, while each line past a run's first is a record
// read without its parse. So each shape tried and missed counts 1/4 against the shapes, a line that no shape takes 1
// more, a run of one line 1, and a run counts 1 in their favour for each line past its second. Once the count against
// them reaches BAD_TRIES, they rest: the next lines starting with `{` are not offered to them, twice as many each time
// up to MAX_REST (so that they are tried again now and then, should runs come back), until runs have paid for every
// try that did not. Records
// of many shapes in turn (more than MAX_SHAPES in a cycle, too), or that share a long beginning with a known shape and
// differ only at its end, are then read the usual way.
const BAD_TRIES = 16;
const MAX_REST = 1024;
// What making a shape counts against the shapes, as the scans it costs: so that a cycle of more shapes than are kept,
// each dropped just before it is needed and made again, makes them rest too.
const LEARNED_SHAPE_TRIES = 4;

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
  // The shape as the module's steps (byte-scan.ts, recordLinesIn), when it can be written so, and the texts of its
  // levels as the module takes them.
  readonly program: Uint8Array | undefined;
  readonly levelTexts: readonly string[];
}

// A mark for a group in the message before it becomes a template: a control character, which no key or value a
// shape takes can hold, escaped by JSON.stringify as `\u0001`.
const mark = (group: number): string => `\u0001${group}\u0001`;
const MARKED = /\\u0001(\d+)\\u0001/g;

// Where the level's texts go in a shape's source.
const LEVEL_PLACE = '\u0000';

// The shape of a record's line, with the record, or undefined when its values are not all of the kinds a shape takes.
// (Exported for its tests.)
export function shapeOf(line: string): { shape: RecordShape; record: LogRecord } | undefined {
  if (line.length > MAX_LEARNED_UNITS) return undefined;
  const parsed = parsedLogRecord(line);
  if (parsed?.layout === undefined) return undefined;
  const { record, layout } = parsed;
  let pattern = '\\{';
  let bare = pattern;
  let groups = 0;
  const program = new ShapeProgram();
  program.literal('{');
  const add = (text: string, group = false): void => {
    pattern += group ? `(${text})` : text;
    bare += text;
  };
  // Text that the line has as it is.
  const addLiteral = (text: string): void => {
    add(literalPattern(text));
    program.literal(text);
  };
  // A string value whose contents the message takes: returns its group.
  const addString = (): number => {
    add('"');
    add(STRING, true);
    add('"');
    program.string(++groups);
    return groups;
  };
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
    addLiteral(whole.slice(0, whole.indexOf('"')) + jsonString(key) + colon);
    const isString = value.charCodeAt(0) === 0x22;
    const isNumber = !isString && value !== 'true' && value !== 'false' && value !== 'null';
    if (key === layout.levelField) {
      add(LEVEL_PLACE, true);
      program.level();
      levelGroup = ++groups;
      levelText = value;
    } else if (key === layout.timeField) {
      if (isString) {
        add(`"${STRING}"`);
        program.string(0);
      } else if (isNumber) {
        add(ANY_NUMBER);
        program.number(0, false);
      } else {
        addLiteral(value);
      }
    } else if (key === layout.messageField) {
      messageGroup = addString();
    } else if (isString) {
      others.push(jsonString(key) + ':"' + mark(addString()) + '"');
    } else if (isNumber) {
      if (!IS_CANONICAL_NUMBER.test(value)) return undefined;
      add(CANONICAL_NUMBER, true);
      program.number(++groups, true);
      others.push(jsonString(key) + ':' + mark(groups));
    } else {
      addLiteral(value);
      others.push(jsonString(key) + ':' + value);
    }
    addLiteral(space + end);
    index += whole.length;
    if (end === '}' && index !== line.length) return undefined;
  }
  if (levelGroup === 0) return undefined;
  const message = JSON.stringify(recordMessage(mark(messageGroup), others.join(','), ''));
  const template = message.slice(1, -1).replaceAll('$', '$$$$')
    .replace(MARKED, (_, group: string) => '$' + group.padStart(2, '0'));
  const shape = checked(withPatterns({ source: pattern, sourceWithoutGroups: bare, template, levelGroup, levels: [[levelText, record.level]],
    program: program.withMessage(message.slice(1, -1)) }), line, record);
  return shape === undefined ? undefined : { shape, record };
}

// The shape, if it takes the whole of `line` and writes it exactly as the usual way writes it; else undefined. (Its
// program writes what its pattern writes: test/lines/record-shapes.test.ts holds them equal.)
function checked(shape: RecordShape, line: string, record: LogRecord): RecordShape | undefined {
  shape.lineRun.lastIndex = 0;
  if (!shape.lineRun.test(line) || shape.lineRun.lastIndex !== line.length) return undefined;
  return encodeRecordRun(shape, 0, line, false).lines === encodeLog(0, record.level, record.message).lines ? shape : undefined;
}

function withPatterns(shape: Omit<RecordShape, 'eachLine' | 'lineRun' | 'levelTexts'>): RecordShape {
  shapeWork.patternsMade++;
  const levels = shape.levels.map(([text]) => literalPattern(text)).join('|');
  const levelTexts = shape.levels.map(([text]) => text);
  return {
    ...shape,
    // The module compares level texts byte for byte: a shape with one it cannot hold so is read by its patterns only.
    program: levelTexts.every((text) => PRINTABLE_ASCII.test(text)) ? shape.program : undefined,
    levelTexts,
    eachLine: new RegExp(shape.source.replace(LEVEL_PLACE, () => levels), 'g'),
    lineRun: new RegExp(`(?:${shape.sourceWithoutGroups.replace(LEVEL_PLACE, () => `(?:${levels})`)}(?:\\n|$))+`, 'y'),
  };
}

// What learning and trying shapes has cost so far: patterns made, and lines tried against a shape (visible to tests
// only this way).
export const shapeWork = { patternsMade: 0, tries: 0 };

// The LOG lines of encodeRecordRun for the lines of ASCII `text` from `start` (a line start) to `end` (where the last
// ends) as far as they are of the shape, written as bytes by the module (byte-scan.ts, recordLinesIn) and handed to
// `take` in pieces it must copy: how many there are at each of the shape's levels, and where the module stopped (the
// start of a line it did not write, `end` + 1 when it wrote them all); undefined when it cannot write them. As
// strings, the pattern matched each line again to replace it by the template, and the levels' marks were replaced one
// level at a time, each a pass over the lines (the bench's JSON log records show the difference).
export function frameRecordRun(shape: RecordShape, time: number, text: string, start: number, end: number,
  take: (bytes: Buffer) => void): { counts: number[]; to: number } | undefined {
  if (shape.program === undefined) return undefined;
  return recordLinesIn(text, start, end, shape.program, shape.levelTexts, shape.levels.map(([, level]) => logOpening(time, level)), take);
}

// Writes the LOG lines of the run of lines of `shape` from `start` (a line start) to `end` (where the last ends;
// undefined: as far as the lines are of the shape, see RecordShapes#runAt): in ASCII text (`ascii`) the module's
// bytes (frameRecordRun), handed to `take`, and the rest of the run, if the module stopped before its end, as the
// pattern's strings (encodeRecordRun), handed to `write`. Returns how many there were at each of the shape's levels,
// and where the run ended (before `start` when no line was of the shape).
export function writeRecordRun(shape: RecordShape, time: number, text: string, start: number, end: number | undefined, ascii: boolean,
  take: (bytes: Buffer) => void, write: (lines: string) => void): { counts: number[]; end: number } {
  if (!ascii && end !== undefined && shape.program !== undefined) {
    // Text with non-ASCII characters: the run's lines, which the pattern found, made ASCII as their LOG lines will be
    // (each unit above 0x7E as `\uXXXX`, which the shape takes as the same string), go through the module as ASCII
    // text does; they are still of the shape, whose program has only printable ASCII to compare (its literals and
    // level texts). As the pattern's strings, escaped after, each run was copied once for each of the shape's levels.
    const escaped = asciiJsonLines(text.slice(start, end));
    return { counts: writeRecordRun(shape, time, escaped, 0, escaped.length, true, take, write).counts, end };
  }
  const framed = ascii ? frameRecordRun(shape, time, text, start, end ?? text.length, take) : undefined;
  const counts = framed?.counts ?? shape.levels.map(() => 0);
  const from = framed?.to ?? start;
  // Where the module stopped: at the first line not of the shape, where a run found as it is written ends (the
  // pattern takes no line there either), or at a line too long for its room, whose run the pattern's strings take on.
  const runTo = end ?? runEnd(shape, text, from);
  if (runTo === -1) return { counts, end: from - 1 };
  if (from <= runTo) {
    const encoded = encodeRecordRun(shape, time, text.slice(from, runTo), ascii);
    write(encoded.lines);
    encoded.counts.forEach((count, level) => (counts[level] = (counts[level] as number) + count));
  }
  return { counts, end: runTo };
}

// The LOG lines for a run of lines of one shape, and how many there are at each of its levels; `ascii` when the run's
// text is ASCII (text-flags.ts), which then needs no escaping.
export function encodeRecordRun(shape: RecordShape, time: number, run: string, ascii: boolean): { lines: string; counts: number[] } {
  const encoded = encodeLogsByPattern(time, run, shape.eachLine, shape.template, shape.levelGroup, shape.levels);
  return ascii ? encoded : { lines: asciiJsonLines(encoded.lines), counts: encoded.counts };
}

// A shape's steps for the module (see PROGRAM in assembly/byte-scan.ts), made beside its pattern: those that match a
// line, then, once the message's JSON text is known, those that write it.
class ShapeProgram {
  private readonly bytes: number[] = [];
  private pending = '';
  // False once a literal holds what the module cannot compare as bytes.
  private printable = true;

  literal(text: string): void {
    this.pending += text;
  }

  // A JSON string with its quotes.
  string(group: number): void {
    this.literal('"');
    this.step(PROGRAM_STEP.STRING, group);
    this.literal('"');
  }

  number(group: number, canonical: boolean): void {
    this.step(PROGRAM_STEP.NUMBER, group, canonical ? 1 : 0);
  }

  level(): void {
    this.step(PROGRAM_STEP.LEVEL);
  }

  // The whole program, with the steps that write `message` (a JSON string's contents, groups marked in it); undefined
  // when it holds what the module does not take (text outside printable ASCII, more than it has room for).
  withMessage(message: string): Uint8Array | undefined {
    this.step(PROGRAM_STEP.END);
    let at = 0;
    for (const mark of message.matchAll(MARKED)) {
      this.literal(message.slice(at, mark.index));
      this.step(PROGRAM_STEP.GROUP, Number(mark[1]));
      at = (mark.index as number) + mark[0].length;
    }
    this.literal(message.slice(at));
    this.step(PROGRAM_STEP.END);
    return this.printable && this.bytes.length <= PROGRAM_STEP.MAX_BYTES ? Uint8Array.from(this.bytes) : undefined;
  }

  private step(...bytes: number[]): void {
    const { pending } = this;
    if (pending !== '') {
      this.pending = '';
      if (!PRINTABLE_ASCII.test(pending)) this.printable = false;
      this.bytes.push(PROGRAM_STEP.LITERAL, pending.length & 0xff, (pending.length >> 8) & 0xff);
      for (let index = 0; index < pending.length; index++) this.bytes.push(pending.charCodeAt(index) & 0xff);
    }
    this.bytes.push(...bytes);
  }
}

// The shapes of the records read so far on one stream.
export class RecordShapes {
  private readonly shapes: RecordShape[] = [];
  private credit = LEARNING_CREDIT;
  // The count against the shapes, and for how many more lines starting with `{` they rest (see BAD_TRIES).
  private badTries = 0;
  private rest = 0;
  private nextRest = 1;
  // The line last offered, when it was tried against the shapes and none took it (its text and start, else -1): only
  // such a line is learned. Lines read one by one are never offered and teach nothing: they are a chunk's first and
  // last, or arrive too slowly to matter.
  private untakenText = '';
  private untakenAt = -1;
  // How many shapes were tried before the one that took the last run found.
  private missedBeforeRun = 0;

  // Where the run of lines from `start` (a line start) that one known shape matches ends (the `\n` after its last
  // line, or the text's end), with that shape; undefined when no shape matches the line at `start`, or the shapes rest.
  // In ASCII text (`ascii`), a shape with a program is tried on the line at `start` alone, by the module: its run's
  // end is then undefined, left to the module to find as it writes the run (frameRecordRun, where it stops), once
  // for both. Either way the caller says where the run ended once it is written (ranTo).
  runAt(text: string, start: number, ascii = false): { shape: RecordShape; end: number | undefined } | undefined {
    this.untakenAt = -1;
    this.untakenText = '';
    if (this.rest > 0) {
      this.rest--;
      return undefined;
    }
    const found = this.find(text, start, ascii);
    if (found === undefined) {
      this.untakenText = text;
      this.untakenAt = start;
      this.count(1 + this.shapes.length / 4);
      return undefined;
    }
    this.missedBeforeRun = found.missed;
    return { shape: found.shape, end: found.end };
  }

  // Where the run that runAt found at `start` ended: what it paid for (see BAD_TRIES).
  ranTo(text: string, start: number, end: number): void {
    this.credit = Math.min(LEARNING_CREDIT, this.credit + (end - start) / FAST_UNITS_PER_CREDIT);
    const lines = linesIn(text, start, end, BAD_TRIES + 2);
    this.count(this.missedBeforeRun / 4 + (lines === 1 ? 1 : 2 - lines));
  }

  // A record line read the usual way: if it is the line last offered and no known shape took it, its shape is learned
  // when learning has credit. Any record line will do: the shape's own pattern takes lines without controls only.
  learn(line: string): void {
    if (this.untakenAt === -1 || !this.untakenText.startsWith(line, this.untakenAt)) return;
    this.untakenAt = -1;
    this.untakenText = '';
    this.credit = Math.min(LEARNING_CREDIT, this.credit + 1 / SLOW_LINES_PER_CREDIT);
    if (this.credit < 1) return;
    this.credit--;
    const learned = shapeOf(line);
    if (learned === undefined) return;
    const { shape, record } = learned;
    this.count(LEARNED_SHAPE_TRIES);
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
    if (checked(merged, line, record) !== undefined) this.shapes[known] = merged;
  }

  // The shape that takes the line at `start`, where its run ends (undefined where the module read the line alone, see
  // runAt), and how many shapes were tried before it.
  private find(text: string, start: number, ascii: boolean): { shape: RecordShape; end: number | undefined; missed: number } | undefined {
    for (let index = 0; index < this.shapes.length; index++) {
      const shape = this.shapes[index] as RecordShape;
      shapeWork.tries++;
      const isRecord = ascii && shape.program !== undefined ? isRecordLine(text, start, shape.program, shape.levelTexts) : undefined;
      const end = isRecord === undefined ? runEnd(shape, text, start) : isRecord ? undefined : -1;
      if (end === -1) continue;
      if (index > 0) {
        this.shapes.splice(index, 1);
        this.shapes.unshift(shape);
      }
      return { shape, end, missed: index };
    }
    return undefined;
  }

  // Adds `bad` to the count against the shapes (see BAD_TRIES): negative for a run that paid.
  private count(bad: number): void {
    this.badTries = Math.max(0, this.badTries + bad);
    // Rests grow again from the shortest only once the runs have paid for every try that did not.
    if (this.badTries === 0) this.nextRest = 1;
    if (this.badTries < BAD_TRIES) return;
    this.badTries = 0;
    this.rest = this.nextRest;
    this.nextRest = Math.min(this.nextRest * 2, MAX_REST);
  }
}

// Where the run of lines of `shape` from `start` (a line start) ends, as its run pattern finds it (the `\n` after its
// last line, or the text's end); -1 when the line at `start` is not of the shape.
export function runEnd(shape: RecordShape, text: string, start: number): number {
  shape.lineRun.lastIndex = start;
  if (!shape.lineRun.test(text)) return -1;
  const end = shape.lineRun.lastIndex;
  return text.charCodeAt(end - 1) === 0x0a ? end - 1 : end;
}

// How many lines [start, end) holds (`end` is the end of its last), counted up to `most`.
function linesIn(text: string, start: number, end: number, most: number): number {
  let count = 1;
  for (let newline = text.indexOf('\n', start); newline !== -1 && newline < end && count < most; newline = text.indexOf('\n', newline + 1)) count++;
  return count;
}
