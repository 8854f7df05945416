import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { escapedFrom, modulePasses } from '../../src/lines/byte-scan.js';
import { asciiJson, asciiJsonLines, asciiJsonString, escapeFrom, escapeTextByLoop, escapeTextInto } from '../../src/protocol/ascii.js';
import { random } from '../helpers/random.js';

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

  it('escapes in WebAssembly as the loop does, every unit value, at every length around its steps and pieces', () => {
    const passes = modulePasses.escapes;
    const next = random(5);
    const unit = (): number => {
      const kind = next();
      // Mostly printable, so that whole steps of eight are taken too; then controls, DEL, Latin-1, any unit.
      if (kind < 0.6) return 0x20 + Math.floor(next() * 0x5f);
      if (kind < 0.7) return Math.floor(next() * 0x20);
      if (kind < 0.75) return 0x7f;
      if (kind < 0.85) return 0x80 + Math.floor(next() * 0x80);
      return Math.floor(next() * 0x10000);
    };
    const texts = [
      ...Array.from({ length: 400 }, (_, length) => String.fromCharCode(...Array.from({ length }, unit))),
      // Around the piece the module takes at a time (32,768 units), and across two of them.
      ...[32_760, 32_767, 32_768, 32_769, 70_000].map((length) => Array.from({ length }, () => String.fromCharCode(unit())).join('')),
      // A printable stretch, then one unit of each kind at each place of a step.
      ...Array.from({ length: 24 }, (_, place) => 'p'.repeat(40 + place) + '\u0001\u007fé\ud83d' + 'q'.repeat(place)),
    ];
    for (const [index, text] of texts.entries()) {
      // The loop escapes from a place before which every unit is printable (asciiJson's first unit that is not).
      const first = [...text].findIndex((char) => char < ' ' || char > '~');
      for (const from of [0, 1, Math.floor(first / 2), first].filter((from) => from >= 0 && from <= first)) {
        expect(text.slice(0, from) + escapedFrom(text, from), `text ${index}, from ${from}`).toBe(escapeFrom(text, from));
      }
    }
    expect(modulePasses.escapes - passes).toBeGreaterThan(texts.length);
    // asciiJson takes that path for all but short texts.
    const before = modulePasses.escapes;
    expect(asciiJson(JSON.stringify('é'.repeat(200)))).toBe('"' + '\\u00e9'.repeat(200) + '"');
    expect(modulePasses.escapes - before).toBe(1);
  });

  it('makes a JSON string of a text as asciiJson(JSON.stringify()) does, long texts in WebAssembly at once', () => {
    const next = random(13);
    const kinds = ['a', ' ', '"', '\\', '\t', '\n', '\u0000', '\u007f', 'é', 'ж', '😀', '\ud83d', '\ude00'];
    let passes = 0;
    for (const length of [0, 1, 50, 127, 128, 129, 500, 40_000, 70_000]) {
      for (let round = 0; round < 5; round++) {
        const text = Array.from({ length }, () => next() < 0.7 ? 'x' : kinds[Math.floor(next() * kinds.length)]).join('').slice(0, length);
        const before = modulePasses.escapes;
        const made = asciiJsonString(text);
        passes += modulePasses.escapes - before;
        expect(made, `length ${length}, round ${round}`).toBe(asciiJson(JSON.stringify(text)));
      }
    }
    // One pass for each text of 128 units or more, two or three for those past a piece (32,768 units); shorter texts
    // go to asciiJson, which takes a pass for a copy that JSON.stringify made longer.
    expect(passes).toBeGreaterThanOrEqual(5 * (3 + 2 + 3));
  });

  it('makes a JSON string of an ASCII text as JSON.stringify does, texts of 512 units or more in WebAssembly', () => {
    const next = random(17);
    const kinds = ['a', ' ', '"', '\\', '\t', '\n', '\r', '\u0000', '\u001f', '~'];
    let passes = 0;
    for (const length of [0, 1, 300, 511, 512, 513, 5_000, 40_000]) {
      for (let round = 0; round < 5; round++) {
        const text = Array.from({ length }, () => next() < 0.7 ? 'x' : kinds[Math.floor(next() * kinds.length)]).join('');
        const before = modulePasses.escapes;
        const made = asciiJsonString(text, true);
        passes += modulePasses.escapes - before;
        expect(made, `length ${length}, round ${round}`).toBe(JSON.stringify(text));
      }
    }
    // One pass a text from 512 units on, two for one past a piece (32,768 units).
    expect(passes).toBe(5 * (3 + 2));
  });

  it('makes JSON texts one a line ASCII as asciiJson makes each, the newlines kept, in WebAssembly as by the loop', () => {
    const next = random(9);
    const units = ['a', ' ', '"', '\\', '\n', '\n', '\t', '\u0001', '\u007f', 'é', 'Ж', '😀', '\ud800', '\udc00'];
    const passes = modulePasses.escapes;
    for (let round = 0; round < 200; round++) {
      // Short texts go through the loop, longer ones (from 128 units on) through the module.
      const length = Math.floor(next() * [40, 400, 3_000][round % 3]!);
      const text = Array.from({ length }, () => units[Math.floor(next() * (next() < 0.6 ? 2 : units.length))]).join('');
      expect(asciiJsonLines(text), `round ${round}`).toBe(text.split('\n').map(asciiJson).join('\n'));
    }
    expect(modulePasses.escapes - passes).toBeGreaterThan(50);
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

  it('writes in WebAssembly what the loop writes, for every kind of unit, at every length around its steps and pieces', () => {
    const passes = modulePasses.escapes;
    const next = random(9);
    const kinds = ['a', ' ', '"', '\\', '\t', '\n', '\r', '\b', '\f', '\u0000', '\u001f', '\u007f', 'é', 'ж', '\ud83d', '\ude00', '\uffff'];
    const unit = (): string => next() < 0.6 ? 'x' : kinds[Math.floor(next() * kinds.length)] as string;
    const texts = [
      ...Array.from({ length: 300 }, (_, length) => Array.from({ length }, unit).join('')),
      ...[32_767, 32_768, 32_769, 70_000].map((length) => Array.from({ length }, unit).join('')),
    ];
    for (const [index, text] of texts.entries()) {
      const byModule = Buffer.alloc(text.length * 6 + 3);
      const byLoop = Buffer.alloc(text.length * 6 + 3);
      const end = escapeTextInto(text, byModule, 2);
      expect(end, `text ${index}`).toBe(escapeTextByLoop(text, byLoop, 2));
      expect(byModule.equals(byLoop), `text ${index}`).toBe(true);
    }
    expect(modulePasses.escapes - passes).toBeGreaterThan(texts.length);
  });
});
