// A record shape's program in the WebAssembly module against the shape's patterns, which stay the rule: on lines of
// the shape and lines that differ from it in any value, the module takes a line exactly when the run pattern does, and
// writes what the replace writes (output-lines.test.ts holds both to the line path).

import { describe, expect, it } from 'vitest';
import { encodeRecordRun, frameRecordRun, RecordShapes, shapeOf, writeRecordRun, type RecordShape } from '../../src/lines/record-shapes.js';
import { jsonLogRecord, type LogRecord } from '../../src/lines/json-log.js';
import { encodeLog } from '../../src/protocol/encode.js';
import { random } from '../helpers/random.js';

const STRINGS = ['plain text', 'has "quote"', 'back\\slash', '$1 $01 $$ $& $<a>', '', 'x'.repeat(40), '{}', 'a,b}c', 'tab\there'];
// JSON strings as written, with escapes: of units above 0x7E in lower-case hex (as Python writes them, which a shape
// takes), and others (upper-case hex, units it writes as they are, short escapes, broken ones), which it does not.
const ESCAPED_STRINGS = ['"caf\\u00e9"', '"\\u041a\\u043d\\u0438\\u0433\\u0430 \\u00ab\\u00bb"', '"\\ud83d\\ude00"', '"\\ud800 lone"', '"\\u007f"',
  '"\\u0080\\u0fff\\u1000\\uffff"', '"caf\\u00E9"', '"\\u007e"', '"\\u0041"', '"\\n"', '"\\/"', '"\\u00e"', '"\\u00eg"', '"end \\u00e'];
// Numbers JavaScript writes as they are, and ones it writes otherwise or that are no JSON number.
const NUMBERS = ['0', '-0', '7', '-15', '123456789012345', '1234567890123456', '1.5', '1.50', '0.000001', '0.0000001', '1e21', '1E3',
  '1.5e3', '1e+5', '12345678.123456', '123456789.5', '1.1234567', '-0.5', '2.0', '00', '01', '0.10', '9007199254740993', '-', '1.', '1.e5',
  '1e', '2E+', '-.5'];
const LITERALS = ['true', 'false', 'null'];
const LEVELS = ['30', '40', '20', '"info"', '"warn"', '"error"', '50', '300', '3'];

// What the module writes, and in how many pieces.
function written(shape: RecordShape, text: string): { lines: string; counts: number[]; to: number; pieces: number } | undefined {
  let lines = '';
  let pieces = 0;
  const framed = frameRecordRun(shape, 1_700_000_000_000, text, 0, text.length, (bytes) => {
    lines += bytes.toString('latin1');
    pieces++;
  });
  return framed && { lines, ...framed, pieces };
}

function takenByPattern(shape: RecordShape, line: string): boolean {
  shape.lineRun.lastIndex = 0;
  return shape.lineRun.test(line) && shape.lineRun.lastIndex === line.length;
}

describe('a record shape written by the module', () => {
  it('takes a line exactly when the pattern does, and writes it as the pattern\'s replace does', () => {
    let taken = 0;
    let tried = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const next = random(seed);
      const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
      const kinds = ['s', 'n', 'l', 's', 'n', 's', 's', 's', 's', 's', 's', 's'].slice(0, 1 + Math.floor(next() * 12));
      const spaced = next() < 0.3;
      // A value of a kind: one a shape takes, or (wild) any of the list, which may be one it does not.
      const value = (kind: string, wild: boolean): string => {
        if (kind === 'n') return wild ? pick(NUMBERS) : String(Math.floor(next() * 100_000) / 8);
        if (kind === 'l') return wild ? pick(LITERALS) : 'null';
        if (wild && next() < 0.3) return pick(ESCAPED_STRINGS);
        return JSON.stringify((wild ? pick(STRINGS) : 'plain text') + ' ' + Math.floor(next() * 1000));
      };
      const timeKind = pick(['n', 's', 'l']);
      const messageAt = 1 + Math.floor(next() * (kinds.length + 1));
      const recordLine = (vary: number): string => {
        const varied = (): boolean => next() < vary;
        const fields = [['level', varied() ? pick(LEVELS) : '30'], ['time', varied() ? value(pick(['n', 's', 'l']), true) : value(timeKind, false)]];
        kinds.forEach((kind, n) => fields.push([`k${n}`, varied() ? value(pick(['s', 'n', 'l']), true) : value(kind, false)]));
        fields.splice(messageAt, 0, ['msg', varied() ? value(pick(['s', 'n']), true) : value('s', false)]);
        // Now and then, something after the record.
        const after = varied() ? pick([' ', 'x', '}', ',']) : '';
        return '{' + fields.map(([key, text]) => `"${key}"${spaced ? ' : ' : ':'}${text}`).join(spaced ? ' , ' : ',') + '}' + after;
      };
      // A shape learned from the first line that makes one; the other lines at its level or another, of its kinds or not.
      let shape: RecordShape | undefined;
      for (let attempt = 0; attempt < 50 && shape === undefined; attempt++) shape = shapeOf(recordLine(0))?.shape;
      if (shape === undefined) continue;
      expect(shape.program, `seed ${seed}`).toBeDefined();
      for (let n = 0; n < 300; n++) {
        const line = recordLine(n % 3 === 0 ? 0 : 0.1);
        const byPattern = takenByPattern(shape, line);
        const framed = written(shape, line);
        tried++;
        expect([line, framed?.to === line.length + 1]).toEqual([line, byPattern]);
        if (!byPattern) continue;
        taken++;
        const { lines, counts } = encodeRecordRun(shape, 1_700_000_000_000, line, true);
        expect([line, framed?.lines, framed?.counts]).toEqual([line, lines, counts]);
      }
    }
    // Both kinds of line were tried, many times.
    expect(taken).toBeGreaterThan(tried / 4);
    expect(tried - taken).toBeGreaterThan(tried / 10);
  });

  it('reads the level among all the texts its shape knows, one the start of another too, and counts the lines at each, '
    + 'in pieces when they are more than it writes at once', () => {
    const shapes = new RecordShapes();
    const line = (level: string, n: number): string => `{"level":${level},"time":1,"pid":7,"msg":"page ${n}"}`;
    const levels = ['30', '40', '20', '50', '10', '30.0', '4e1'];
    // Each level first comes as a line no shape takes, which teaches it (once the shapes are not resting).
    levels.forEach((level, n) => {
      const text = line(level, n);
      for (let offered = 0; offered < 4 && shapes.runAt(text, 0) === undefined; offered++) shapes.learn(text);
    });
    const text = Array.from({ length: 1_190 }, (_, n) => line(levels[n % levels.length] as string, n)).join('\n');
    const run = shapes.runAt(text, 0);
    expect(run?.end).toBe(text.length);
    const shape = run?.shape as RecordShape;
    expect(shape.levels.map(([level]) => level)).toEqual(levels);
    const framed = written(shape, text);
    const { lines, counts } = encodeRecordRun(shape, 1_700_000_000_000, text, true);
    expect(framed).toEqual({ lines, counts, to: text.length + 1, pieces: expect.any(Number) });
    expect(counts).toEqual(levels.map(() => 170));
    // Each piece as much as the module's room takes: more than a block's text, less than these lines.
    expect(framed?.pieces).toBeGreaterThan(1);
  });
});

describe('escaped strings', () => {
  it('takes `\\uXXXX` as Python writes non-ASCII text, as the usual way writes it, but no lone surrogate, which it writes '
    + 'otherwise in a field after the message (JSON.stringify escapes it there, and the message escapes that again)', () => {
    const line = (value: string): string => `{"level":30,"time":1,"msg":"caf\\u00e9 ${value}","name":"${value}"}`;
    const shape = shapeOf(line('\\u041a'))?.shape as RecordShape;
    expect(shape.program).toBeDefined();
    const cases: Array<[string, boolean]> = [['\\u041a\\u043d', true], ['\\ud83d\\ude00', true], ['\\u007f\\u0080\\uffff', true], ['\\ud7ff\\ue000', true],
      ['\\ud800', false], ['\\udc00', false], ['\\ud800x', false], ['\\ud800\\ud800', false], ['\\u00E9', false], ['\\u007e', false], ['\\u00e', false]];
    for (const [value, taken] of cases) {
      const text = line(value);
      expect([value, takenByPattern(shape, text), written(shape, text)?.to === text.length + 1]).toEqual([value, taken, taken]);
      if (!taken) continue;
      const record = jsonLogRecord(text) as LogRecord;
      const usual = encodeLog(1_700_000_000_000, record.level, record.message).lines;
      expect([value, encodeRecordRun(shape, 1_700_000_000_000, text, true).lines, written(shape, text)?.lines]).toEqual([value, usual, usual]);
    }
  });
});

describe('a run of records written as far as its lines are of the shape', () => {
  const line = (n: number): string => `{"level":30,"time":1,"pid":7,"msg":"page ${n}"}`;
  const shape = shapeOf(line(0))?.shape as RecordShape;

  function run(text: string, start: number, ascii: boolean): { lines: string; counts: number[]; end: number } {
    let lines = '';
    const written = writeRecordRun(shape, 5, text, start, undefined, ascii, (bytes) => (lines += bytes.toString('latin1')), (strings) => (lines += strings));
    return { lines, ...written };
  }

  it('ends before the first line not of the shape, or at the text\'s end, by the module or by the pattern alike', () => {
    const lines = [line(1), line(2), line(3), '{"level":30,"msg":"other"}', line(4)];
    const text = lines.join('\n');
    const expected = encodeRecordRun(shape, 5, lines.slice(1, 3).join('\n'), true);
    for (const ascii of [true, false]) {
      const start = lines[0]!.length + 1;
      expect(run(text, start, ascii)).toEqual({ lines: expected.lines, counts: expected.counts, end: text.indexOf('\n{"level":30,"msg"') });
      const last = text.lastIndexOf('\n') + 1;
      expect(run(text, last, ascii).end).toBe(text.length);
      // No line of the shape at all: nothing written, and the end before the start.
      expect(run(text, text.indexOf('{"level":30,"msg"'), ascii)).toEqual({ lines: '', counts: [0], end: text.indexOf('{"level":30,"msg"') - 1 });
    }
  });

  it('takes the pattern\'s way where the module cannot hold the text', () => {
    const lines = Array.from({ length: 1_500 }, (_, n) => line(n));
    const text = lines.join('\n');
    expect(text.length).toBeGreaterThan(65_536);
    const written = run(text, 0, true);
    expect(written).toEqual({ ...encodeRecordRun(shape, 5, text, true), end: text.length });
  });
});
