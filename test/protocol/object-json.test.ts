import { describe, expect, it } from 'vitest';
import { isObjectJson } from '../../src/protocol/object-json.js';

// The fast path must agree with JSON.parse on every input: same verdict, whichever path decides.
function parsesAsObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

const CASES = [
  '{}', '{ }', '{"a":1}', '{"a": 1, "b": "x"}', '{"a":-0.5e+10}', '{"a":1E5}', '{"a":true,"b":false,"c":null}',
  '{"s":"esc \\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9"}', '{"s":"raw é 😀"}', '{"a":[1,"x",null]}', '{"a":[]}', '{"a":{}}',
  '{"a":{"b":1,"c":"d"}}', '{"a":[[1]]}', '{"a":{"b":{"c":1}}}', '{"a":[{"b":1}]}', '{"a":1} ', '{"a":1}\t',
  '{"__proto__":{"x":1}}', '{"a":1,"a":2}',
  // not objects, or not JSON
  '{', '}', '{"a"}', '{"a":}', '{"a":1,}', '{,}', '{"a":01}', '{"a":1.}', '{"a":.5}', '{"a":+1}', '{"a":NaN}',
  '{"a":Infinity}', "{'a':1}", '{a:1}', '{"a":"\\x"}', '{"a":"\\u00g0"}', '{"a":"tab\there"}', '{"a":1}}', '{"a":1} x',
  '{"a":[1,]}', '{"a":{"b":}}', '{"a":tru}', '{"a":"unterminated}', '[1,2]', '"str"', '42', 'null', '',
];

describe('isObjectJson', () => {
  it.each(CASES)('agrees with JSON.parse on %j', (text) => {
    expect(isObjectJson(text)).toBe(parsesAsObject(text));
  });

  it('decides deep nesting and enormous strings without throwing', () => {
    expect(isObjectJson('{"a":' + '['.repeat(100_000) + ']'.repeat(100_000) + '}')).toBe(true);
    expect(isObjectJson('{"a":' + '['.repeat(100_000))).toBe(false);
    expect(isObjectJson('{"a":"' + 'x'.repeat(2_000_000) + '"}')).toBe(true);
    expect(isObjectJson('{"a":"' + 'x\\"'.repeat(500_000) + '"}')).toBe(true);
    expect(isObjectJson('{' + ' '.repeat(1_000_000))).toBe(false);
  });
});
