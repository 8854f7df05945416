import { describe, expect, it } from 'vitest';
import { detectLevel } from '../../src/lines/detect-level.js';

describe('detectLevel', () => {
  it.each([
    ['2026-11-25 10:00:00 [scrapy.core.engine] INFO: Spider opened', 20],
    ['2026-11-25 10:00:00 [scrapy.core.scraper] ERROR: Spider error processing', 40],
    ['2026-11-25 10:00:00 [py.warnings] WARNING: deprecated', 30],
    ['2026-11-25 10:00:00 [scrapy.utils.log] DEBUG: x', 10],
    ['WARNING:root:disk almost full', 30],
    ['CRITICAL:myapp.db:gone', 50],
    ['DEBUG: details', 10],
    ['ERROR: failed', 40],
    ['WARN: old', 30],
    ['FATAL: dead', 50],
    ['[ERROR] in brackets', 40],
    ['2026-11-25T10:00:00Z [WARN] bracketed after a time', 30],
    ['2026-11-25 10:00:00,123 - myapp - ERROR - dash format', 40],
    ['Spider closed, nothing was an ERROR: here', undefined],
    ['INFORMATION: not a level', undefined],
    ['info: lower case is not a standard name', undefined],
    ['no level at all', undefined],
    ['', undefined],
    ['ERROR without colon', undefined],
  ])('%j → %s', (line, expected) => {
    expect(detectLevel(line)).toBe(expected);
  });
});
