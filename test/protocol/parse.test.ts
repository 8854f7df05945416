import { describe, expect, it } from 'vitest';
import { levelFromName, nearestStandardLevel } from '../../src/protocol/limits.js';
import { commandOf, parseLine, parsePayload, payloadStart } from '../../src/protocol/parse.js';
import { REPAIR, repairNonFinite } from '../../src/protocol/repairs.js';

const NOW = 1700000000000;

function parse(line: string) {
  const start = payloadStart(line);
  if (start === -1) return 'not a message';
  const parsed = parsePayload(commandOf(line, start), line.slice(start), NOW);
  return parsed.ok ? `${parsed.message.command} ${parsed.message.json}` : `${parsed.kind}: ${parsed.reason}`;
}

// The message a line becomes, with the names of the repairs made to it.
function repaired(line: string): [string, string[]] {
  const start = payloadStart(line);
  const parsed = parsePayload(commandOf(line, start), line.slice(start), NOW);
  if (!parsed.ok) return [`${parsed.kind}: ${parsed.reason}`, []];
  const names = Object.entries(REPAIR).filter(([, bit]) => (parsed.repairs & bit) !== 0).map(([name]) => name);
  return [`${parsed.message.command} ${parsed.message.json}`, names];
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
    ['STA {"stats":[1]}', 'schema: STA field "stats" must be an object, got an array'],
    ['REQ {"url":"u","method":"GET","status":"200","rs":1,"duration":1}', 'schema: REQ field "status" must be an integer'],
    ['FIN {}', 'schema: FIN field "outcome" must be a string'],
  ])('%s → %s', (line, expected) => {
    expect(parse(line).startsWith(expected)).toBe(true);
  });

  it('reports JSON nested 100,000 levels deep as a value, not a crash', () => {
    const deep = '{"a":' + '['.repeat(100_000) + ']'.repeat(100_000) + '}';
    expect(parse(deep).startsWith('ITM ')).toBe(true);
    expect(parse('{"a":' + '['.repeat(100_000))).toMatch(/^syntax: /);
  });

  const REQ = '"url":"u","method":"GET","status":200,"rs":1,"duration":1';
  it.each([
    // Python's json writes non-finite floats; outside strings they become null, inside strings they are text.
    ['ITM {"rating":NaN,"a":[Infinity,-Infinity],"s":"NaN Infinity"}', 'ITM {"rating":null,"a":[null,null],"s":"NaN Infinity"}', ['NON_FINITE']],
    ['{"rating": NaN}', 'ITM {"rating": null}', ['NON_FINITE']],
    ['STA {"time":1,"stats":{"a":1,"b":NaN,"c\\"NaN":2}}', 'STA {"time":1,"stats":{"a":1,"b":null,"c\\"NaN":2}}', ['NON_FINITE']],
    // A level other than the five standard ones: the nearest at or below it; names and numbers in strings too.
    ['LOG {"time":1,"level":25,"message":"m"}', 'LOG {"time":1,"level":20,"message":"m"}', ['LEVEL']],
    ['LOG {"time":1,"level":5,"message":"m"}', 'LOG {"time":1,"level":10,"message":"m"}', ['LEVEL']],
    ['LOG {"time":1,"level":99,"message":"m"}', 'LOG {"time":1,"level":50,"message":"m"}', ['LEVEL']],
    ['LOG {"time":1,"level":"warning","message":"m"}', 'LOG {"time":1,"level":30,"message":"m"}', ['LEVEL']],
    ['LOG {"time":1,"level":"ERROR","message":"m"}', 'LOG {"time":1,"level":40,"message":"m"}', ['LEVEL']],
    ['LOG {"time":1,"level":"30","message":"m"}', 'LOG {"time":1,"level":30,"message":"m"}', ['LEVEL']],
    ['LOG {"time":1,"level":"loud","message":"m"}', 'LOG {"time":1,"level":20,"message":"m"}', ['LEVEL']],
    ['LOG {"time":1,"level":NaN,"message":"m"}', 'LOG {"time":1,"level":20,"message":"m"}', ['NON_FINITE', 'LEVEL']],
    // The re-written payload is still escaped to ASCII later, so non-ASCII from escapes in the original is fine.
    ['LOG {"time":1,"level":25,"message":"\\u00e9"}', 'LOG {"time":1,"level":20,"message":"é"}', ['LEVEL']],
    ['LOG {"time":1.6,"message":"m"}', `LOG {"time":2,"message":"m","level":20}`, ['TIME']],
    ['LOG {"time":"yesterday","level":20,"message":"m"}', `LOG {"time":${NOW},"level":20,"message":"m"}`, ['TIME']],
    [`REQ {${REQ.replace('"duration":1', '"duration":1.5')},"time":1}`, `REQ {${REQ.replace('"duration":1', '"duration":2')},"time":1}`, ['INTEGER']],
    [`REQ {${REQ.replace('"status":200', '"status":200.0')},"time":1}`, `REQ {${REQ.replace('"status":200', '"status":200.0')},"time":1}`, []],
    [`REQ {${REQ},"time":1,"parent":"0"}`, `REQ {${REQ},"time":1,"parent":null}`, ['PARENT']],
    [`REQ {${REQ},"time":1,"parent":-1}`, `REQ {${REQ},"time":1,"parent":null}`, ['PARENT']],
    [`REQ {${REQ},"time":1,"parent":0.5}`, `REQ {${REQ},"time":1,"parent":null}`, ['PARENT']],
    [`FIN {"outcome":"${'x'.repeat(300)}"}`, `FIN {"outcome":"${'x'.repeat(255)}"}`, ['OUTCOME']],
    [`FIN {"outcome":"${'x'.repeat(254)}😀"}`, `FIN {"outcome":"${'x'.repeat(254)}"}`, ['OUTCOME']],
  ])('repairs %s → %s', (line, expected, repairs) => {
    expect(repaired(line)).toEqual([expected, repairs]);
  });

  it.each([
    ['{"a": NaNa}', /^syntax: ITM payload is not valid JSON/],
    ['{"a": "NaN}', /^syntax: ITM payload is not valid JSON/],
    [`REQ {${REQ.replace('"status":200', '"status":"200"')}}`, /^schema: REQ field "status" must be an integer/],
    [`REQ {${REQ.replace('"rs":1', '"rs":NaN')}}`, /^schema: REQ field "rs" must be an integer, got null/],
  ])('still refuses %s', (line, reason) => {
    expect(parse(line)).toMatch(reason);
  });

  it('leaves the text alone where there is nothing to repair', () => {
    expect(repairNonFinite('{"a": "NaN", "b": "\\"Infinity"}')).toBeUndefined();
    expect(repairNonFinite('{"a": 1}')).toBeUndefined();
  });
});

// parseLine judges what the platform gets (`shub-entrypoint check`): what the wrapper would repair is refused there.
describe('parseLine, strict', () => {
  const REQ = '"url":"u","method":"GET","status":200,"rs":1,"duration":1';
  it.each([
    ['{"rating":NaN}', /NaN, Infinity and -Infinity are not JSON/],
    ['LOG {"time":1,"level":25,"message":"m"}', /LOG field "level" must be 10, 20, 30, 40 or 50/],
    ['LOG {"time":1.5,"level":20,"message":"m"}', /field "time" must be an integer/],
    [`REQ {${REQ.replace('"rs":1', '"rs":1.5')},"time":1}`, /REQ fields "status", "rs" and "duration" must be integers/],
    [`REQ {${REQ},"time":1,"parent":-1}`, /REQ field "parent" must be null or the position of an earlier REQ/],
    [`FIN {"outcome":"${'x'.repeat(256)}"}`, /FIN field "outcome" may be at most 255 characters/],
  ])('refuses %s', (line, reason) => {
    const parsed = parseLine(line, NOW);
    expect(parsed?.ok).toBe(false);
    expect(parsed?.ok === false && parsed.reason).toMatch(reason);
  });

  it('accepts a valid line as it is', () => {
    expect(parseLine('LOG {"time":1,"level":20,"message":"m"}', NOW)).toMatchObject({ ok: true, repairs: 0 });
  });
});

describe('level names and numbers', () => {
  it.each([
    ['trace', 10], ['DEBUG', 10], ['verbose', 10], ['info', 20], ['Information', 20], ['NOTICE', 20],
    ['warn', 30], ['WARNING', 30], ['err', 40], ['Error', 40], ['critical', 50], ['FATAL', 50], ['alert', 50],
    ['emergency', 50], ['panic', 50], [' warning ', 30], ['loud', undefined], ['', undefined],
    // java.util.logging's
    ['SEVERE', 40], ['CONFIG', 20], ['FINE', 10], ['FINER', 10], ['FINEST', 10], [' SEVERE ', 40],
    // only as it writes them: a weather alert's `Severe`, `configured`, `finesse` are no levels
    ['Severe', undefined], ['severe', undefined], ['fine', undefined], ['Finest', undefined], ['configured', undefined], ['finesse', undefined],
  ])('levelFromName(%j) is %j', (name, level) => {
    expect(levelFromName(name)).toBe(level);
  });

  it.each([[-5, 10], [0, 10], [9, 10], [10, 10], [15, 10], [20, 20], [25, 20], [29.9, 20], [35, 30], [45, 40], [50, 50], [1000, 50]])(
    'nearestStandardLevel(%d) is %d', (level, standard) => {
      expect(nearestStandardLevel(level)).toBe(standard);
    });
});
