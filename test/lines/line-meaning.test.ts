import { describe, expect, it } from 'vitest';
import { recordAfterProgress } from '../../src/lines/line-meaning.js';

describe('recordAfterProgress', () => {
  const BAR = 'pages:  50%|█████     | 2/4 [00:00<00:00, 19.93it/s]';
  it.each([
    ['a record right after a tqdm bar', `${BAR}ERROR:crawler:failed`, BAR.length],
    ['after a bar whose description holds a `]`', `[stage 2] ${BAR}2026-11-25 10:00:00 [books] WARNING: slow`, '[stage 2] '.length + BAR.length],
    ['after a bar with a postfix', 'pages: 2/4 [00:00<00:00, 19.93it/s, loss=0.1]INFO:root:x', 45],
    ['nothing after the bar', BAR, -1],
    ['text that names no level after the bar', `${BAR}fetched 3 pages`, -1],
    ['a level word that is no record\'s after the bar', `${BAR} error rate 3%`, -1],
    ['no `]` at all', 'pages: 50%|##| 2/4 ERROR:crawler:failed', -1],
    ['a record after more `]` than a bar\'s description holds', `[a] [b] [c] [d] ${BAR}ERROR:x:y`, -1],
    ['a bar whose rate is in seconds an item', 'pages: 1/5 [00:03<00:12, 3.10s/it]WARNING:root:slow', 34],
    ['a status line with no rate in its brackets', '[1/3]Error: progress label', -1],
    ['a space after the bar: text printed after it, no record', `${BAR} [WARN] slow`, -1],
    ['a status line whose brackets end in a level word', 'status [ok]WARNING: disk', -1],
  ])('%s', (_name, text, start) => {
    expect(recordAfterProgress(text)).toBe(start);
  });
});
