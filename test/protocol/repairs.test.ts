import { describe, expect, it } from 'vitest';
import { objectArrayElements } from '../../src/protocol/repairs.js';

describe('objectArrayElements', () => {
  it.each([
    ['objects, as written', '[{"a": 1}, {"b": [1, 2]}]', ['{"a": 1}', '{"b": [1, 2]}']],
    ['commas and brackets inside strings, escaped quotes', '[{"t": "a, b ] } {"},{"q": "\\"x\\", ["}]', ['{"t": "a, b ] } {"}', '{"q": "\\"x\\", ["}']],
    ['an escaped quote before a comma, in a string', '[{"q": "\\", "}, {"r": 1}]', ['{"q": "\\", "}', '{"r": 1}']],
    ['nested arrays and objects', '[{"a": [{"b": 1}, [2, 3]]}]', ['{"a": [{"b": 1}, [2, 3]]}']],
    ['spaces around', '  [ {"a": 1} , {"b": 2} ]  ', ['{"a": 1}', '{"b": 2}']],
    ['an element that is no object', '[{"a": 1}, 2]', undefined],
    ['an empty array', '[]', undefined],
    ['not closed', '[{"a": 1}', undefined],
    ['not JSON inside', '[{a: 1}]', undefined],
    ['an object', '{"a": 1}', undefined],
  ] as const)('%s', (_name, json, expected) => {
    expect(objectArrayElements(json)).toEqual(expected);
  });
});
