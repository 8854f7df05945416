import { describe, expect, it } from 'vitest';
import { ContinuationGrouper } from '../../src/lines/continuation-grouper.js';

function group(lines: string[], maxUnits?: number): string[] {
  const messages: string[] = [];
  const grouper = new ContinuationGrouper((text) => messages.push(text), 1_000, maxUnits);
  for (const line of lines) grouper.add(line, 0);
  grouper.close();
  return messages;
}

describe('ContinuationGrouper', () => {
  it('groups the spec\'s traceback example into two messages', () => {
    expect(group([
      'Traceback (most recent call last):',
      '  File "<stdin>", line 1, in <module>',
      "NameError: name 'e' is not defined",
    ])).toEqual([
      'Traceback (most recent call last):\n  File "<stdin>", line 1, in <module>',
      "NameError: name 'e' is not defined",
    ]);
  });

  it.each([
    ['tab-indented frames continue (Java, Go)', ['Exception in thread', '\tat a.B(C.java:1)'], ['Exception in thread\n\tat a.B(C.java:1)']],
    ['indented first line stands alone', ['  indented', 'next'], ['  indented', 'next']],
    ['empty line ends a message and sends nothing', ['a', '', '  b'], ['a', '  b']],
    ['whitespace-only line is a continuation', ['a', '   '], ['a\n   ']],
    ['plain lines are separate', ['a', 'b'], ['a', 'b']],
  ])('%s', (_name, lines, expected) => {
    expect(group(lines)).toEqual(expected);
  });

  it('starts a new message when a group would pass the size cap', () => {
    expect(group(['abc', ' de', ' fg'], 8)).toEqual(['abc\n de', ' fg']);
  });

  it('sends a pending message after the idle time, without waiting for another line', async () => {
    const messages: Array<{ text: string; at: number }> = [];
    const grouper = new ContinuationGrouper((text) => messages.push({ text, at: Date.now() }), 50);
    const start = Date.now();
    grouper.add('lonely line', start);
    grouper.armIdleFlush();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(messages.map((message) => message.text)).toEqual(['lonely line']);
    grouper.close();
  });

  it('keeps the time at which the first line was read', () => {
    const times: number[] = [];
    const grouper = new ContinuationGrouper((_text, time) => times.push(time), 1_000);
    grouper.add('a', 1);
    grouper.add(' b', 2);
    grouper.add('c', 3);
    grouper.close();
    expect(times).toEqual([1, 3]);
  });
});
