import { describe, expect, it } from 'vitest';
import { BLOCK_UNITS, DENSE_NON_ASCII, LineSplitter } from '../../src/lines/line-splitter.js';
import { ASCII, NO_CONTROLS, NO_QUOTES } from '../../src/lines/text-flags.js';
import { randomChunks } from '../helpers/chunks.js';
import { random } from '../helpers/random.js';

type Event = string | { piece: string; last: boolean };

function split(chunks: Array<Buffer | string>, maxLineUnits?: number): Event[] {
  const events: Event[] = [];
  const splitter = new LineSplitter({
    line: (text) => events.push(text),
    piece: (text, last) => events.push({ piece: text, last }),
  }, maxLineUnits);
  for (const chunk of chunks) splitter.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  splitter.end();
  return events;
}

// Every way of cutting the bytes into two chunks gives the same lines.
function everyCut(bytes: Buffer): Event[][] {
  const results: Event[][] = [];
  for (let cut = 0; cut <= bytes.length; cut++) results.push(split([bytes.subarray(0, cut), bytes.subarray(cut)]));
  return results;
}

describe('LineSplitter', () => {
  it.each([
    ['plain lines', 'a\nb\n', ['a', 'b']],
    ['a final line without newline', 'a\nb', ['a', 'b']],
    ['CRLF endings lose the CR', 'a\r\nb\r\n', ['a', 'b']],
    ['a lone CR inside a line stays', 'a\rb\n', ['a\rb']],
    ['empty lines are lines', '\n\na\n', ['', '', 'a']],
    ['nothing at all', '', []],
  ])('%s', (_name, input, expected) => {
    expect(split([input])).toEqual(expected);
  });

  it('joins UTF-8 characters and CRLF pairs cut across chunks, at every cut', () => {
    const bytes = Buffer.from('é中😀\r\nnext 😀\r\n');
    for (const result of everyCut(bytes)) expect(result).toEqual(['é中😀', 'next 😀']);
  });

  it('gives the same text for invalid sequences cut across chunks, at every cut', () => {
    // Starts of characters that no later byte makes valid, a lone continuation byte, a cut valid character.
    const bytes = Buffer.concat([Buffer.from('a'), Buffer.from([0xf0, 0x80]), Buffer.from('b\n'), Buffer.from([0xed, 0xa0, 0x80]),
      Buffer.from([0xc0, 0xaf, 0xf5, 0x80, 0x0a]), Buffer.from('c'), Buffer.from([0xf0, 0x9f, 0x98]), Buffer.from('\n')]);
    const lines = bytes.toString('utf8').replace(/\n$/, '').split('\n');
    for (const result of everyCut(bytes)) expect(result).toEqual(lines);
  });

  it('turns invalid bytes into U+FFFD and keeps going', () => {
    const bytes = Buffer.from([0x61, 0xff, 0xfe, 0x0a, 0xc3, 0x0a, 0x62, 0x0a]);
    expect(split([bytes])).toEqual(['a\ufffd\ufffd', '\ufffd', 'b']);
  });

  // A character cut at a chunk's end and never completed decodes to U+FFFD at the start of the next chunk's text:
  // that chunk's own flags (pure ASCII) must not vouch for it, or it would reach the pipe unescaped.
  it('keeps a byte-order mark as text, where output starts and anywhere after, at every cut', () => {
    const bytes = Buffer.from('\ufeffstarts with a BOM\nпотом\ufeff\n');
    for (const lines of everyCut(bytes)) expect(lines).toEqual(['\ufeffstarts with a BOM', 'потом\ufeff']);
  });

  it('never calls text ASCII that begins with what the decoder held from the chunk before', () => {
    const lines: Array<[string, number]> = [];
    const splitter = new LineSplitter({ line: (text, flags) => lines.push([text, flags]), piece: () => {} });
    splitter.push(Buffer.from('x\n\xe2', 'latin1'));
    splitter.push(Buffer.from('abc\nok\n'));
    splitter.end();
    expect(lines.map(([text]) => text)).toEqual(['x', '\ufffdabc', 'ok']);
    for (const [text, flags] of lines) if (!/^[\x20-\x7e]*$/.test(text)) expect(flags & ASCII).toBe(0);
  });

  // Chunks with a non-ASCII line among ASCII ones are read in stretches (ASCII, UTF-8); whatever the mix and the cuts,
  // the lines are what one UTF-8 decoder makes of the whole input, and each line's flags are true of it.
  it('reads a chunk with non-ASCII lines among ASCII ones as the decoder would, and flags each stretch truly', () => {
    const kinds = [
      (n: number) => `2026-11-25 10:00:00 [scrapy.core.engine] DEBUG: Crawled (200) <GET https://e.com/${n}>`,
      (n: number) => `{"title": "a book ${n}", "price": 1}`,
      (n: number) => `quote " and backslash \\ ${n}`,
      (n: number) => `tab\there ${n}\r`,
      (n: number) => `title: Война и мир ${n}`,
      (n: number) => `😀 ${n} 三体 é`,
      (n: number) => `DEL \u007f ${n}`,
      () => '',
    ];
    let asciiLines = 0;
    let asciiFlagged = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const next = random(seed);
      // Some inputs hold a non-ASCII line now and then, some one every line or two (where stretches are not looked for).
      const rare = seed % 2 === 0;
      const lines = Array.from({ length: 3_000 }, (_, n) => {
        const kind = next() < (rare ? 0.98 : 0.5) ? Math.floor(next() * 4) : 4 + Math.floor(next() * 4);
        return (kinds[kind] as (n: number) => string)(n);
      });
      const bytes = Buffer.concat([Buffer.from(lines.join('\n') + '\n'), seed % 5 === 0 ? Buffer.from([0xff, 0x0a, 0xe2, 0x82]) : Buffer.alloc(0)]);
      const chunks = randomChunks(bytes, next, 70_000);
      const received: Array<[string, number]> = [];
      const splitter = new LineSplitter({ line: (text, flags) => received.push([text, flags]), piece: () => {} });
      for (const chunk of chunks) splitter.push(chunk);
      splitter.end();
      const decoded = bytes.toString('utf8').replace(/\n$/, '').split('\n').map((line) => line.replace(/\r$/, ''));
      expect(received.map(([text]) => text)).toEqual(decoded);
      for (const [text, flags] of received) {
        const ascii = /^[\x00-\x7e]*$/.test(text);
        if ((flags & ASCII) !== 0) expect([text, ascii]).toEqual([text, true]);
        if ((flags & NO_QUOTES) !== 0) expect([text, /["\\]/.test(text)]).toEqual([text, false]);
        if ((flags & NO_CONTROLS) !== 0) expect([text, /[\x00-\x1f]/.test(text)]).toEqual([text, false]);
        if (rare && ascii) {
          asciiLines++;
          if ((flags & ASCII) !== 0) asciiFlagged++;
        }
      }
    }
    // Where non-ASCII lines are rare, the ASCII lines around them are read as ASCII, not as UTF-8.
    expect(asciiFlagged).toBeGreaterThan(asciiLines * 0.9);
  });

  // Looking for ASCII stretches costs a search per non-ASCII line; where such lines come one after another, the rest
  // of the chunk is decoded at once, ASCII lines after them included.
  it('stops looking for ASCII stretches in a chunk once DENSE_NON_ASCII non-ASCII lines have come with none between', () => {
    const asciiLines = Array.from({ length: 40 }, (_, n) => `2026-11-25 10:00:00 [books] INFO: parsed page ${n}`);
    const flagsOfAsciiLines = (dense: number): number[] => {
      const lines = [...Array.from({ length: dense }, (_, n) => `title: Война и мир ${n}`), ...asciiLines, 'Конец', 'end'];
      const received = new Map<string, number>();
      const splitter = new LineSplitter({ line: (text, flags) => received.set(text, flags), piece: () => {} });
      splitter.push(Buffer.from(lines.join('\n') + '\n'));
      splitter.end();
      expect([...received.keys()]).toEqual(lines);
      return asciiLines.map((line) => (received.get(line) as number) & ASCII);
    };
    expect(flagsOfAsciiLines(DENSE_NON_ASCII - 1).every((ascii) => ascii !== 0)).toBe(true);
    expect(flagsOfAsciiLines(DENSE_NON_ASCII).every((ascii) => ascii === 0)).toBe(true);
  });

  it('hands an over-long line on in pieces that join to the whole line', () => {
    const long = 'x'.repeat(250);
    const events = split([long.slice(0, 100), long.slice(100, 230), long.slice(230) + '\r\nafter\n'], 64);
    const pieces = events.filter((event): event is { piece: string; last: boolean } => typeof event !== 'string');
    expect(pieces.map((piece) => piece.piece).join('')).toBe(long);
    expect(pieces.map((piece) => piece.last)).toEqual([...Array(pieces.length - 1).fill(false), true]);
    expect(events.at(-1)).toBe('after');
  });

  it('does not split a surrogate pair or a CRLF across pieces', () => {
    const events = split(['😀'.repeat(40) + '\r', '\nend'], 7);
    const pieces = events.filter((event): event is { piece: string; last: boolean } => typeof event !== 'string');
    expect(pieces.map((piece) => piece.piece).join('')).toBe('😀'.repeat(40));
    for (const { piece } of pieces) expect(piece).not.toMatch(/[\ud800-\udbff]$|^[\udc00-\udfff]/);
    expect(events.at(-1)).toBe('end');
  });

  // Where pieces are cut depends only on the line: every PIECE units from its start, one less where that would part
  // a surrogate pair or a CRLF; only the last piece (the rest when the line ends) depends on how the input came.
  it('cuts a long line into the same pieces however its bytes are chunked', () => {
    const maxLineUnits = 60;
    const pieceUnits = 8;
    const letters = ['a', 'é', '中', '😀', '\r', ' '];
    for (let seed = 1; seed <= 200; seed++) {
      const next = random(seed);
      const lines = Array.from({ length: 3 }, () => Array.from({ length: Math.floor(next() * 200) },
        () => letters[Math.floor(next() * letters.length)]).join('').replace(/\r+$/, ''));
      const bytes = Buffer.from(lines.join('\n') + '\n');
      const chunks = randomChunks(bytes, next, 40);
      const events: Event[] = [];
      const splitter = new LineSplitter({
        line: (text) => events.push(text),
        piece: (text, last) => events.push({ piece: text, last }),
      }, maxLineUnits, pieceUnits);
      for (const chunk of chunks) splitter.push(chunk);
      splitter.end();
      const received: string[] = [];
      let pieces: string[] = [];
      for (const event of events) {
        if (typeof event === 'string') {
          received.push(event);
          continue;
        }
        pieces.push(event.piece);
        if (!event.last) continue;
        const line = pieces.join('');
        let start = 0;
        for (const piece of pieces.slice(0, -1)) {
          let end = start + pieceUnits;
          if (/[\r\ud800-\udbff]/.test(line.charAt(end - 1))) end--;
          expect([seed, piece]).toEqual([seed, line.slice(start, end)]);
          start = end;
        }
        received.push(line);
        pieces = [];
      }
      expect(received).toEqual(lines);
    }
  });

  // A line still arriving is offered its latest complete state whenever a chunk brings a `\r` with text after it,
  // also when that `\r` ended the chunk before, and the state a chunk ends with, with its `\r` after it (it may yet
  // be the first half of a `\r\n`); a complete line goes whole (its handler reads its states itself).
  it.each([
    ['in one chunk', ['10%\r20%\r30%\n'], ['line "10%\\r20%\\r30%"']],
    ['a chunk a state', ['10%\r', '20%\r', '30%', '\n'], ['redraw 10%', 'redraw 10%', 'redraw 20%', 'line "\\r20%\\r30%"']],
    ['the next state after a chunk that ended with \\r', ['10%\r', '20%\r', '\t30%', '\n'], ['redraw 10%', 'redraw 10%', 'redraw 20%', 'redraw 20%', 'line "\\r\\t30%"']],
    ['states drawn before their \\r (tqdm)', ['\r10%', '\r20%', '\r30%\n'], ['redraw 10%', 'line "\\r20%\\r30%"']],
    ['a \\r\\n that a read cuts', ['a line\r', '\nnext\n'], ['redraw a line', 'line "a line"', 'line "next"']],
  ])('offers a line redrawn with \\r: %s', (_name, chunks, expected) => {
    const events: string[] = [];
    const splitter = new LineSplitter({
      line: (text) => events.push(`line ${JSON.stringify(text)}`),
      piece: () => {},
      redraw: (shown) => events.push(`redraw ${shown}`),
    });
    for (const chunk of chunks) splitter.push(Buffer.from(chunk));
    splitter.end();
    expect(events).toEqual(expected);
  });

  it('ends a long line that has no newline at end of stream', () => {
    const events = split(['y'.repeat(100)], 10);
    expect(events.at(-1)).toMatchObject({ last: true });
  });

  describe('blocks', () => {
    // A chunk as big as a pipe read (64 KiB) and more, with one line longer than a block in its middle.
    const lines = Array.from({ length: 9_000 }, (_, n) => (n === 4_000 ? 'x'.repeat(BLOCK_UNITS + 10) : `line ${n}`));
    const bytes = Buffer.from(lines.join('\n') + '\n');

    function splitWithBlocks(accept: boolean): { received: string[]; blocks: number[] } {
      const received: string[] = [];
      const blocks: number[] = [];
      const splitter = new LineSplitter({
        line: (text) => received.push(text),
        piece: () => {
          throw new Error('no line here is over-long');
        },
        block: (text) => {
          blocks.push(text.length);
          if (accept) received.push(...text.split('\n'));
          return accept;
        },
      });
      splitter.push(bytes);
      splitter.end();
      return { received, blocks };
    }

    it('come in pieces of at most BLOCK_UNITS, and with the other lines give every line once, in order', () => {
      const { received, blocks } = splitWithBlocks(true);
      expect(received).toEqual(lines);
      expect(blocks.length).toBeGreaterThan(3);
      for (const size of blocks) expect(size).toBeLessThanOrEqual(BLOCK_UNITS);
    });

    it('are not offered again in a chunk once declined', () => {
      const { received, blocks } = splitWithBlocks(false);
      expect(received).toEqual(lines);
      expect(blocks).toHaveLength(1);
    });
  });
});
