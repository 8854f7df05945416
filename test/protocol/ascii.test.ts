import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { asciiJson, escapeTextInto } from '../../src/protocol/ascii.js';

// Strings that exercise every escaping rule: controls, DEL, Latin-1, BMP, astral pairs, lone surrogates, quotes.
const SAMPLES = [
  'plain ascii',
  'quote " backslash \\ slash /',
  'tab\tnewline\ncr\rbackspace\bformfeed\f',
  'nul\u0000 esc\u001b unit-sep\u001f del\u007f',
  'Latin-1: café naïve ÿ \u0080 \u00a0',
  'Cyrillic ключ значение, CJK 中文, Arabic العربية',
  'astral: 😀 𝄞 🏳️‍🌈',
  'lone high \ud800 lone low \udc00 reversed \udc00\ud800',
  '\u2028 line separator \u2029 paragraph separator \ufeff bom \uffff',
];

describe('asciiJson', () => {
  it('writes strings byte-for-byte as Python json.dumps(ensure_ascii=True) does', () => {
    const script = 'import json,sys\nfor s in json.load(sys.stdin): print(json.dumps(s))';
    // Lone surrogates cannot travel as UTF-8, so Python receives the samples JSON-escaped.
    const python = execFileSync('python3', ['-c', script], { input: asciiJson(JSON.stringify(SAMPLES)) }).toString();
    expect(SAMPLES.map((sample) => asciiJson(JSON.stringify(sample)))).toEqual(python.trimEnd().split('\n'));
  });

  it.each([
    ['{"a":1}', '{"a":1}'],
    ['{"k":"é"}', '{"k":"\\u00e9"}'],
    ['{"a":\t1,\r"b":2}', '{"a": 1, "b":2}'],
    ['{"e":"😀"}', '{"e":"\\ud83d\\ude00"}'],
    ['{"d":"\u007f"}', '{"d":"\\u007f"}'],
  ])('turns valid JSON text %j into printable ASCII %j', (input, expected) => {
    expect(asciiJson(input)).toBe(expected);
    expect(JSON.parse(asciiJson(input))).toEqual(JSON.parse(input));
  });

  it('returns the very same string when there is nothing to escape', () => {
    const text = '{"message":"' + 'x'.repeat(1000) + '"}';
    expect(asciiJson(text)).toBe(text);
  });
});

describe('escapeTextInto', () => {
  it('writes the same bytes as asciiJson(JSON.stringify()), every code unit included', () => {
    const every = Array.from({ length: 0x10000 }, (_, code) => String.fromCharCode(code)).join('');
    for (const text of [...SAMPLES, every]) {
      const out = Buffer.alloc(text.length * 6 + 2);
      const end = escapeTextInto(text, out, 1);
      expect(out.toString('latin1', 0, end + 1)).toBe('\0' + asciiJson(JSON.stringify(text)).slice(1, -1) + '\0');
    }
  });
});
