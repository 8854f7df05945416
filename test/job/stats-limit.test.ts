import { describe, expect, it } from 'vitest';
import { DROPPED_STATS_KEY, limitStats, storedSize } from '../../src/job/stats-limit.js';

describe('limitStats', () => {
  it('leaves stats within the limit untouched', () => {
    const stats = { item_scraped_count: 3, 'log_count/INFO': 9 };
    expect(limitStats(stats)).toBe(stats);
  });

  it('counts every slash twice, as storage does', () => {
    expect(storedSize('{"a/b":1}')).toBe('{"a/b":1}'.length + 1);
  });

  it('drops the largest values first, keeps the small counters, and counts what it dropped', () => {
    const stats: Record<string, unknown> = { item_scraped_count: 10, 'log_count/ERROR': 2 };
    for (let index = 0; index < 5; index++) stats[`big/${index}`] = 'x'.repeat(20_000 + index);
    const limited = limitStats(stats);
    expect(storedSize(JSON.stringify(limited))).toBeLessThanOrEqual(65_536);
    expect(limited.item_scraped_count).toBe(10);
    expect(limited['log_count/ERROR']).toBe(2);
    expect(limited['big/0']).toBeDefined();
    expect(limited['big/4']).toBeUndefined();
    expect(limited[DROPPED_STATS_KEY]).toBe(Object.keys(stats).length + 1 - Object.keys(limited).length);
  });

  it('stays within the limit when the size comes from slashes in many keys', () => {
    const stats: Record<string, unknown> = {};
    for (let index = 0; index < 2400; index++) stats[`a/b/c/d/e/f/${index}`] = index;
    expect(JSON.stringify(stats).length).toBeLessThan(65_536);
    const limited = limitStats(stats);
    expect(storedSize(JSON.stringify(limited))).toBeLessThanOrEqual(65_536);
    expect(limited[DROPPED_STATS_KEY]).toBeGreaterThan(0);
  });
});
