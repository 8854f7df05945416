import { describe, expect, it } from 'vitest';
import { ContinuationGrouper } from '../../src/lines/continuation-grouper.js';
import { detectLevel } from '../../src/lines/detect-level.js';

function group(lines: string[], maxUnits?: number): string[] {
  const messages: string[] = [];
  const grouper = new ContinuationGrouper((text) => messages.push(text), { level: 40, idleMs: 1_000, maxUnits });
  for (const line of lines) grouper.add(line, 0);
  grouper.close();
  return messages;
}

// With level detection: each message as `level text`.
function records(text: string): string[] {
  const messages: string[] = [];
  const grouper = new ContinuationGrouper((message, _time, _flags, level) => messages.push(`${level} ${message}`), { level: 40, detect: detectLevel });
  for (const line of text.split('\n')) grouper.add(line, 0);
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
    const grouper = new ContinuationGrouper((text) => messages.push({ text, at: Date.now() }), { level: 40, idleMs: 50 });
    const start = Date.now();
    grouper.add('lonely line', start);
    grouper.armIdleFlush();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(messages.map((message) => message.text)).toEqual(['lonely line']);
    grouper.close();
  });

  it('keeps the time at which the first line was read', () => {
    const times: number[] = [];
    const grouper = new ContinuationGrouper((_text, time) => times.push(time), { level: 40, idleMs: 1_000 });
    grouper.add('a', 1);
    grouper.add(' b', 2);
    grouper.add('c', 3);
    grouper.close();
    expect(times).toEqual([1, 3]);
  });
});

describe('records (with level detection)', () => {
  const S = '2026-11-25 11:54:11 [scrapy.crawler]';
  it.each([
    ['a pretty-printed dict after its header', `${S} INFO: Overridden settings:\n{'A': 1,\n 'B': 2}\n${S} DEBUG: next`,
      [`20 ${S} INFO: Overridden settings:\n{'A': 1,\n 'B': 2}`, `10 ${S} DEBUG: next`]],
    ['a list after its header', `${S} INFO: Enabled extensions:\n['a',\n 'b']`, [`20 ${S} INFO: Enabled extensions:\n['a',\n 'b']`]],
    ['logger.exception: an ERROR header, its traceback and the exception', `ERROR:x:failed\nTraceback (most recent call last):\n  File "a.py", line 1\nKeyError: 'p'\nINFO:x:next`,
      [`40 ERROR:x:failed\nTraceback (most recent call last):\n  File "a.py", line 1\nKeyError: 'p'`, '20 INFO:x:next']],
    ['an uncaught traceback after a CRITICAL record is its own ERROR', `CRITICAL:x:giving up\nTraceback (most recent call last):\n  File "a.py", line 1\nRuntimeError: r`,
      ['50 CRITICAL:x:giving up', `40 Traceback (most recent call last):\n  File "a.py", line 1\nRuntimeError: r`]],
    ['loguru\'s traceback with empty lines and `> File`', `2026-11-25 11:57:31.956 | ERROR    | m:f:1 - failed\nTraceback (most recent call last):\n\n  File "a"\n\n> File "b"\n    x\n\nKeyError: 'p'\n2026-11-25 11:57:31.968 | ERROR    | m:f:2 - next`,
      [`40 2026-11-25 11:57:31.956 | ERROR    | m:f:1 - failed\nTraceback (most recent call last):\n\n  File "a"\n\n> File "b"\n    x\n\nKeyError: 'p'`, '40 2026-11-25 11:57:31.968 | ERROR    | m:f:2 - next']],
    ['zap\'s stack: function lines and tab-indented files', `2026-11-25T11:57:24.138Z\tWARN\tmain.go:22\tretrying\nmain.main\n\t/a/main.go:22\nruntime.main\n\t/b/proc.go:250\n2026-11-25T11:57:24.138Z\tINFO\tmain.go:23\tnext`,
      ['30 2026-11-25T11:57:24.138Z\tWARN\tmain.go:22\tretrying\nmain.main\n\t/a/main.go:22\nruntime.main\n\t/b/proc.go:250', '20 2026-11-25T11:57:24.138Z\tINFO\tmain.go:23\tnext']],
    ['a Python warning with empty lines, its source line and the empty line after it', `${S} WARNING: /a/b.py:232: ScrapyDeprecationWarning: old\n\nmore text\n\nsee docs\n  return cls(crawler)\n\n${S} DEBUG: next`,
      [`30 ${S} WARNING: /a/b.py:232: ScrapyDeprecationWarning: old\n\nmore text\n\nsee docs\n  return cls(crawler)\n`, `10 ${S} DEBUG: next`]],
    ['a plain line never joins a record', `${S} INFO: Spider opened\nhello from print\n${S} INFO: Overridden settings:\nplain\n{'a': 1}`,
      [`20 ${S} INFO: Spider opened`, '40 hello from print', `20 ${S} INFO: Overridden settings:`, '40 plain', "40 {'a': 1}"]],
    ['a Go-like line after an INFO record stands alone', `${S} INFO: x\nexample.com`, [`20 ${S} INFO: x`, '40 example.com']],
    ['an empty line ends a record', `${S} INFO: x\n\n{'a': 1}`, [`20 ${S} INFO: x`, "40 {'a': 1}"]],
  ])('%s', (_name, text, expected) => {
    expect(records(text)).toEqual(expected);
  });

  it('without detection, groups by the platform\'s rule only', () => {
    expect(group(['ERROR:x:failed', 'Traceback (most recent call last):', '  File "a"', "KeyError: 'p'"]))
      .toEqual(['ERROR:x:failed', 'Traceback (most recent call last):\n  File "a"', "KeyError: 'p'"]);
  });
});
