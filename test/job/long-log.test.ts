import { describe, expect, it } from 'vitest';
import { LongLog } from '../../src/job/long-log.js';

const NOW = 1700000000000;

// Feeds the payload in pieces of `size` units; returns what was sent, joined per (time, level), and the end.
function read(payload: string, size: number): { sent: Array<[number, number, string]>; end: ReturnType<LongLog['finish']> } {
  const sent: Array<[number, number, string]> = [];
  const log = new LongLog(NOW, (time, level, text) => {
    const last = sent.at(-1);
    if (last && last[0] === time && last[1] === level) last[2] += text;
    else sent.push([time, level, text]);
  });
  for (let start = 0; start < payload.length; start += size) log.add(payload.slice(start, start + size));
  return { sent, end: log.finish() };
}

const MESSAGE = 'a"b\\c\nd😀é\u0001 \u2028';

describe('LongLog', () => {
  it.each([
    ['time and level before the message', JSON.stringify({ time: 5.4, level: 'warning', message: MESSAGE }), [[5, 30, MESSAGE]]],
    ['other fields around it, nested', JSON.stringify({ extra: { a: [1, '}', { b: '"' }] }, level: 40, message: MESSAGE, more: [true, null] }),
      [[NOW, 40, MESSAGE]]],
    ['a level after the message comes too late', JSON.stringify({ message: MESSAGE, level: 40 }), [[NOW, 20, MESSAGE]]],
    ['escaped to ASCII, with spaces', ` { "level" : 10 , "message" : ${JSON.stringify(MESSAGE).replace(/[^\x20-\x7e]/g, (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`)} } `,
      [[NOW, 10, MESSAGE]]],
  ])('sends the message of %s, cut anywhere', (_name, payload, expected) => {
    for (let size = 1; size <= payload.length; size++) {
      const { sent, end } = read(payload, size);
      expect(sent).toEqual(expected);
      expect(end).toEqual({ sent: true, problem: undefined });
    }
  });

  it.each([
    ['no message', '{"level": 20, "other": "x"}', false, /"message" must be a string/],
    ['a message that is no string', '{"message": 7}', false, /"message" must be a string/],
    ['not an object', '[1, 2]', false, /does not start with \{/],
    ['a broken value before the message', '{"level": 2x, "message": "m"}', false, /is not JSON/],
    ['text after the object', '{"message": "m"} x', true, /text after the object/],
    ['an object that never ends', '{"message": "m", ', true, /ends before its object does/],
    ['an invalid escape', '{"message": "m\\x"}', true, /invalid escape/],
  ])('says what is wrong with %s', (_name, payload, sent, problem) => {
    const end = read(payload, 3).end;
    expect(end.sent).toBe(sent);
    expect(end.problem).toMatch(problem);
  });
});
