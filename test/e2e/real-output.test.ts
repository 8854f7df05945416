// The real output of real logging libraries and crawlers (test/fixtures/real-output, recorded with the programs kept
// next to it), fed through the wrapper as the program wrote it: each record must arrive as one message with its level,
// and nothing else may arrive.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, runJob } from '../helpers/cli.js';

const REAL = join(FIXTURES, 'real-output');

interface Expected {
  stream: 'stdout' | 'stderr';
  contains: string;
  level?: number;
  lines?: number;
  item?: boolean;
  progress?: boolean;
}

const cases = readdirSync(REAL, { withFileTypes: true }).filter((entry) => entry.isDirectory()).flatMap(({ name }) => {
  const expected = JSON.parse(readFileSync(join(REAL, name, 'expected.json'), 'utf8')) as Expected[];
  return (['stdout', 'stderr'] as const).filter((stream) => existsSync(join(REAL, name, `${stream}.txt`)))
    .map((stream) => [`${name} ${stream}`, join(REAL, name, `${stream}.txt`), stream, expected.filter((record) => record.stream === stream)] as const);
});

describe('real output of real programs', () => {
  it('covers every recorded family', () => {
    expect(cases.length).toBeGreaterThanOrEqual(125);
  });

  it.each(cases)('%s: every record arrives whole, with its level, and nothing else', async (_name, file, stream, expected) => {
    const run = await runJob(['sh', '-c', stream === 'stdout' ? 'cat "$0"' : 'cat "$0" >&2', file]);
    const itemLines = run.job.lines.filter((line) => line.startsWith('ITM '));
    let items = 0;
    const received = run.job.messages.filter((message) => message.command === 'ITM' || message.command === 'LOG')
      // The wrapper's own lines: how it started, why the job ended, what it changed in the command's messages.
      .filter((message) => message.command === 'ITM' || !/^(?:shub-entrypoint|a message from the command was changed)/.test(String(message.payload.message)))
      .map((message) => message.command === 'ITM' ? { item: true, text: itemLines[items++] as string }
        : { level: message.payload.level, text: message.payload.message });
    // JSON log records are one physical line whatever their message holds.
    const isJson = readFileSync(file, 'latin1').startsWith('{');
    const want = expected.map((record) => record.item === true ? { item: true, contains: record.contains }
      : { level: record.level, contains: record.contains, lines: isJson || record.progress === true ? undefined : record.lines });
    const got = received.map((message, index) => {
      const record = want[index];
      if ('item' in message) return { item: true, contains: message.text.includes(record?.contains ?? '\u0000') ? record?.contains : message.text.slice(0, 200) };
      return {
        level: message.level,
        contains: message.text.includes(record?.contains ?? '\u0000') ? record?.contains : message.text.slice(0, 200),
        lines: record !== undefined && 'lines' in record && record.lines === undefined ? undefined : message.text.split('\n').length,
      };
    });
    expect(got).toEqual(want);
  });
});
