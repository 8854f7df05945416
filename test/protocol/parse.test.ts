import { describe, expect, it } from 'vitest';
import { commandOf, parsePayload, payloadStart } from '../../src/protocol/parse.js';

const NOW = 1700000000000;

function parse(line: string) {
  const start = payloadStart(line);
  if (start === -1) return 'not a message';
  const parsed = parsePayload(commandOf(line, start), line.slice(start), NOW);
  return parsed.ok ? `${parsed.message.command} ${parsed.message.json}` : `${parsed.kind}: ${parsed.reason}`;
}

describe('parsing incoming lines', () => {
  it.each([
    ['{"a":1}', 'ITM {"a":1}'],
    ['ITM {"a":"é"}', 'ITM {"a":"é"}'],
    ['LOG {"time":1,"level":30,"message":"m"}', 'LOG {"time":1,"level":30,"message":"m"}'],
    ['LOG {"message":"m"}', `LOG {"time":${NOW},"level":20,"message":"m"}`],
    ['LOG {"level":40,"message":"m"}', `LOG {"time":${NOW},"level":40,"message":"m"}`],
    ['STA {"stats":{"a":1}}', `STA {"time":${NOW},"stats":{"a":1}}`],
    ['REQ {"url":"u","method":"GET","status":200,"rs":10,"duration":20}',
      `REQ {"time":${NOW},"url":"u","method":"GET","status":200,"rs":10,"duration":20}`],
    ['FIN {"outcome":"finished"}', 'FIN {"outcome":"finished"}'],
    ['hello', 'not a message'],
    ['[1,2]', 'not a message'],
    ['XYZ {"a":1}', 'not a message'],
    ['ITM{"a":1}', 'not a message'],
    ['{not json}', 'syntax: ITM payload is not valid JSON'],
    ['LOG {"level":20}', 'schema: LOG field "message" must be a string, got nothing'],
    ['LOG {"level":"INFO","message":"m"}', 'schema: LOG field "level" must be an integer'],
    ['LOG {"time":1.5,"message":"m"}', 'schema: LOG field "time" must be an integer'],
    ['STA {"stats":[1]}', 'schema: STA field "stats" must be an object, got an array'],
    ['REQ {"url":"u","method":"GET","status":"200","rs":1,"duration":1}', 'schema: REQ field "status" must be an integer'],
    ['REQ {"url":"u","method":"GET","status":200,"rs":1,"duration":1,"parent":"0"}', 'schema: REQ field "parent"'],
    ['FIN {}', 'schema: FIN field "outcome" must be a string'],
    [`FIN {"outcome":"${'x'.repeat(256)}"}`, 'schema: FIN outcome is 256 characters'],
  ])('%s → %s', (line, expected) => {
    expect(parse(line).startsWith(expected)).toBe(true);
  });

  it('reports JSON nested 100,000 levels deep as a value, not a crash', () => {
    const deep = '{"a":' + '['.repeat(100_000) + ']'.repeat(100_000) + '}';
    expect(parse(deep).startsWith('ITM ')).toBe(true);
    expect(parse('{"a":' + '['.repeat(100_000))).toMatch(/^syntax: /);
  });
});
