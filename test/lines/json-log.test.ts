import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OutputLines } from '../../src/job/output-lines.js';
import { JobReport } from '../../src/job/report.js';
import { jsonLogRecord, looksLikeJsonObject } from '../../src/lines/json-log.js';
import { BatchedWriter } from '../../src/sink/batched-writer.js';
import { random } from '../helpers/random.js';

// A line of loguru's JSON sink (serialize=True), as test/fixtures/real-output/loguru-serialize shows it.
function LOGURU(level: string, extra: string, exception: string, text: string): string {
  return `{"text": "${text}", "record": {"elapsed": {"repr": "0:00:00.007", "seconds": 0.007}, "exception": ${exception}, "extra": ${extra}, ` +
    `"function": "crawl", "level": {"icon": "i", "name": ${level}}, "line": 14, "message": "page", "time": {"repr": "t", "timestamp": 1.5}}}`;
}

describe('jsonLogRecord', () => {
  it.each([
    ['pino (its own scale)', '{"level":40,"time":1,"pid":7,"hostname":"h","msg":"slow"}', { level: 30, message: 'slow {"pid":7,"hostname":"h"}' }],
    ['pino fatal', '{"level":60,"time":1,"msg":"dead"}', { level: 50, message: 'dead' }],
    ['bunyan', '{"name":"a","hostname":"h","pid":1,"level":20,"msg":"d","time":"2026-11-25T11:55:58.598Z","v":0}', { level: 10, message: 'd {"name":"a","hostname":"h","pid":1,"v":0}' }],
    ['pino error: its stack on the following lines', '{"level":50,"time":1,"msg":"failed","err":{"type":"Error","stack":"Error: boom\\n    at f"}}',
      { level: 40, message: 'failed {"err":{"type":"Error"}}\nError: boom\n    at f' }],
    ['zap production', '{"level":"warn","ts":1795607629.35,"caller":"main.go:23","msg":"retrying"}', { level: 30, message: 'retrying {"caller":"main.go:23"}' }],
    ['zap production error: its stacktrace on the following lines', '{"level":"error","ts":1.5,"caller":"main.go:20","msg":"failed","error":"boom","stacktrace":"main.main\\n\\t/a/main.go:20"}',
      { level: 40, message: 'failed {"caller":"main.go:20","error":"boom"}\nmain.main\n\t/a/main.go:20' }],
    ['structlog JSON', '{"event": "e", "level": "critical", "timestamp": "t", "exception": "Traceback (most recent call last):\\nKeyError: 1"}',
      { level: 50, message: 'e\nTraceback (most recent call last):\nKeyError: 1' }],
    ['python-json-logger', '{"asctime": "t", "levelname": "WARNING", "name": "c", "message": "m"}', { level: 30, message: 'm {"name":"c"}' }],
    ['slog JSON, upper case', '{"time":"t","level":"ERROR","msg":"x","stack":"goroutine 1"}', { level: 40, message: 'x\ngoroutine 1' }],
    ['Python\'s numbers elsewhere', '{"severity":30,"message":"w","@timestamp":"t"}', { level: 30, message: 'w' }],
    ['ECS dotted key', '{"@timestamp":"t","log.level":"notice","message":"n"}', { level: 20, message: 'n' }],
    ['ECS nested log.level: the log object stays, and a field whose key is empty too', '{"@timestamp":"t","log":{"level":"warn"},"":1,"message":"n"}',
      { level: 30, message: 'n {"log":{"level":"warn"},"":1}' }],
    ['winston\'s http level', '{"level":"http","message":"GET /products 200 12ms","timestamp":"t"}', { level: 20, message: 'GET /products 200 12ms' }],
    ['an item with a level field', '{"level":"info","title":"a book","price":1}', undefined],
    ['winston\'s default format: no time, `level` (a name) and `message` first', '{"level":"warn","message":"slow","url":"u"}', { level: 30, message: 'slow {"url":"u"}' }],
    ['no time, `message` before `level`', '{"message":"x","level":"info"}', undefined],
    ['no time, another field between `level` and `message`', '{"level":"info","title":"a book","message":"x"}', undefined],
    ['no time, a level number', '{"level":30,"message":"x"}', undefined],
    ['no time, a level that is none of winston\'s names (an alert item)', '{"level":"warning","message":"Flood warning for Kent","region":"SE"}', undefined],
    ['no time, a word a level name opens', '{"level":"errand","message":"Pick up milk"}', undefined],
    ['an unknown level name', '{"level":"expert","msg":"x","time":1}', undefined],
    ['a number off the scale', '{"level":35,"msg":"x","time":1}', undefined],
    ['a message that is not text', '{"level":"info","msg":{"a":1},"time":1}', undefined],
    ['not JSON', '{"level":"info","msg":"x","time":1', undefined],
    ['loguru\'s JSON sink: the nested record, its extra fields', LOGURU('"INFO", "no": 20', '{"url": "u", "status": 404}', 'null', 'x\\n'), { level: 20, message: 'page {"url":"u","status":404}' }],
    ['loguru\'s JSON sink: the traceback from the text', LOGURU('"ERROR", "no": 40', '{}', '{"type": "KeyError", "value": "1", "traceback": true}', 'x\\nTraceback (most recent call last):\\nKeyError: 1\\n'),
      { level: 40, message: 'page\nTraceback (most recent call last):\nKeyError: 1' }],
    ['loguru\'s JSON sink: a level of the program\'s own, by its number', LOGURU('"AUDIT", "no": 30', '{}', 'null', 'x\\n'), { level: 30, message: 'page' }],
    ['loguru\'s JSON sink: a message of several lines, then its traceback', LOGURU('"ERROR", "no": 40', '{}', '{"type": "KeyError"}', 'x - page\\nmore\\nTraceback (most recent call last):\\nKeyError: 1\\n').replace('"message": "page"', '"message": "page\\nmore"'),
      { level: 40, message: 'page\nmore\nTraceback (most recent call last):\nKeyError: 1' }],
    ['an item that only looks like loguru\'s', `{"text": "t", "record": {"level": {"name": "INFO"}, "message": "m", "time": 1}, "price": 1}`, undefined],
  ])('%s', (_name, line, expected) => {
    expect(jsonLogRecord(line)).toEqual(expected);
  });

  // Where an object line is never an item (stderr), a level is enough.
  it.each([
    ['zerolog\'s .Send(): no message', '{"level":"info","url":"u","status":200,"time":"t"}', { level: 20, message: '{"url":"u","status":200}' }],
    ['a level and a message, not in winston\'s order: no time', '{"url":"u","level":"warn","message":"slow"}', { level: 30, message: 'slow {"url":"u"}' }],
    ['a level and nothing else', '{"level":"error"}', { level: 40, message: '{"level":"error"}' }],
    ['a level and a time, nothing else', '{"level":"info", "time":"t"}', { level: 20, message: '{"level":"info","time":"t"}' }],
    ['an empty message, as a record with all three has it', '{"level":"info","msg":"","time":1,"a":1}', { level: 20, message: ' {"a":1}' }],
    ['no message and no time, and a field whose key is empty', '{"level":"warn","":"x","url":"u"}', { level: 30, message: '{"":"x","url":"u"}' }],
    ['no message, and a level inside a log object', '{"log":{"level":"warn"},"":"x"}', { level: 30, message: '{"log":{"level":"warn"},"":"x"}' }],
    ['no level', '{"message":"m","time":1}', undefined],
    ['pino\'s logger.info({…}): no msg, its level on pino\'s scale', '{"level":30,"time":1,"pid":7,"hostname":"h","page":3}', { level: 20, message: '{"pid":7,"hostname":"h","page":3}' }],
    ['a level number with no text and no sign of its scale', '{"level":30,"page":3}', undefined],
    ['a level that names none', '{"level":"expert","url":"u"}', undefined],
  ])('on stderr, %s', (_name, line, expected) => {
    expect(jsonLogRecord(line, true)).toEqual(expected);
    if (expected !== undefined && !line.includes('"msg"')) expect(jsonLogRecord(line)).toBeUndefined();
  });

  it('writes the other fields as JSON.stringify writes them in an object of their own, whatever their values', () => {
    const next = random(11);
    const values: unknown[] = [
      'text', '', 'a "quoted" word', 'back\\slash', 'line\nbreak', '\u0001', 'é', 'Война', '😀', '\ud800', 'x\udc00y', '\u2028',
      0, -0, 7, -3.25, 1e21, 1.5e-7, 2 ** 53 + 2, true, false, null, [], [1, 'a', null], {}, { a: { b: [1, 2] } }, { stack: 1 },
    ];
    const keys = ['pid', 'hostname', 'a "key"', 'é', '1', '0', 'err', 'error', 'stack', '__proto__', 'constructor', ''];
    for (let round = 0; round < 2_000; round++) {
      const record: Record<string, unknown> = {};
      const others: Record<string, unknown> = {};
      for (let count = Math.floor(next() * 5); count > 0; count--) {
        const key = keys[Math.floor(next() * keys.length)] as string;
        const value = values[Math.floor(next() * values.length)];
        // Keys the record's rule reads in its own way (stacks, errors) are left to the cases above.
        if (['err', 'error', 'stack'].includes(key) || key === '__proto__') continue;
        Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
        Object.defineProperty(others, key, { value, enumerable: true, writable: true, configurable: true });
      }
      const line = JSON.stringify({ level: 30, time: 1, ...record, msg: 'm' });
      const expected = Object.keys(others).length === 0 ? 'm' : `m ${JSON.stringify(JSON.parse(JSON.stringify(others)))}`;
      expect([line, jsonLogRecord(line)?.message]).toEqual([line, expected]);
    }
  });
});

describe('lines that only look like objects', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('are ruled out before any parse: a dict repr, brace text', () => {
    for (const line of ["{'a': 1}", '{ x }', '{', '{{}}', "{ 'level': 'info' }"]) expect(looksLikeJsonObject(line)).toBe(false);
    for (const line of ['{}', '{ }', '{"a":1}', '{ "a": 1 }']) expect(looksLikeJsonObject(line)).toBe(true);
  });

  it('cost no JSON.parse on either stream', () => {
    const parse = vi.spyOn(JSON, 'parse');
    const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
    const writer = new BatchedWriter(() => {}, false);
    writer.open(sink);
    for (const messages of [true, false]) {
      const lines = new OutputLines(new JobReport(writer), { level: 20, messages, items: messages, detectLevels: true, jsonLogs: true, keepAnsi: false, progressLines: true });
      for (let n = 0; n < 1000; n++) lines.line(`{'url': 'https://e.com/${n}', 'level': 'info', 'price': ${n}}`, 0);
      lines.end();
    }
    expect(parse).not.toHaveBeenCalled();
  });
});
