import { describe, expect, it } from 'vitest';
import { encodeLine, encodeLog, splitByEscapedLength } from '../../src/protocol/encode.js';
import { MAX_MESSAGE_BYTES } from '../../src/protocol/limits.js';

function parseLogs(lines: string): Array<{ time: number; level: number; message: string }> {
  return lines.trimEnd().split('\n').map((line) => {
    expect(line.startsWith('LOG ')).toBe(true);
    expect(line.length + 1).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    expect(/^[\x20-\x7e]*$/.test(line)).toBe(true);
    return JSON.parse(line.slice(4));
  });
}

describe('encodeLog', () => {
  it('writes one compact LOG line ending in a newline', () => {
    expect(encodeLog(1485269941065, 20, 'Some log message').lines)
      .toBe('LOG {"time":1485269941065,"level":20,"message":"Some log message"}\n');
  });

  it('escapes newlines inside the message, so a message is always one line', () => {
    const line = encodeLog(1, 40, 'Line 1\nLine 2').lines;
    expect(line).toBe('LOG {"time":1,"level":40,"message":"Line 1\\nLine 2"}\n');
    expect(line.indexOf('\n')).toBe(line.length - 1);
  });

  it.each([
    ['ASCII', 'a'.repeat(3 * MAX_MESSAGE_BYTES + 17)],
    ['text that escapes to six bytes a unit', 'é'.repeat(400_000)],
    ['astral pairs', '😀'.repeat(300_000)],
    ['quotes and backslashes', '"\\'.repeat(700_000)],
    ['control characters', '\u0001'.repeat(200_000)],
  ])('cuts an over-long text (%s) into messages of at most 1 MiB that join to the original', (_name, text) => {
    const encoded = encodeLog(5, 20, text);
    const logs = parseLogs(encoded.lines);
    expect(logs.length).toBeGreaterThan(1);
    expect(encoded.count).toBe(logs.length);
    expect(logs.map((log) => log.message).join('')).toBe(text);
    expect(new Set(logs.map((log) => `${log.time}/${log.level}`))).toEqual(new Set(['5/20']));
  });

  it('fills each part up to the limit rather than cutting early', () => {
    const lines = encodeLog(5, 20, 'a'.repeat(2 * MAX_MESSAGE_BYTES)).lines.trimEnd().split('\n');
    expect((lines[0] as string).length + 1).toBe(MAX_MESSAGE_BYTES);
  });
});

describe('splitByEscapedLength', () => {
  it('never separates the halves of a surrogate pair', () => {
    const parts = splitByEscapedLength('a😀😀😀', 12);
    expect(parts).toEqual(['a', '😀', '😀', '😀']);
  });
});

describe('encodeLine', () => {
  it('splices the payload text as written: numbers, key order and __proto__ keys survive', () => {
    const json = '{"z":1.50,"__proto__":{"x":1},"big":12345678901234567890}';
    expect(encodeLine('ITM', json)).toBe('ITM ' + json + '\n');
  });
});
