// Byte chunks → text lines, in time linear in the input and memory bounded whatever the line length.
//
// split2 is not used here: it re-scans its whole leftover on every chunk, so a line much longer than a chunk costs
// O(n²) (an 8 MiB line took 2.7 s), and its `maxLength` guard drops the whole line silently. This splitter scans each
// byte once and hands an over-long line on in pieces, so a 50 MB line with no newline arrives whole, in order.

import { ASCII, NO_CONTROLS, nextNonAsciiByte, PLAIN, textFlags } from './text-flags.js';

// Above this many UTF-16 units a line can never be one valid message (its escaped form is at least as long), so it
// is handed on in pieces instead of being held.
export const MAX_LINE_UNITS = 1_048_576;

// The size of those pieces. Small enough that a piece of plain text fits one LOG message as it is, and that each
// piece is cheap to copy and stays out of V8's large-object space: a 40 MB line peaked at 112 MB RSS with 1 MiB
// pieces, 72 MB with 32 KiB ones, at the same speed.
export const PIECE_UNITS = 32 * 1024;

// The most text offered as one block. A chunk (64 KiB) goes in a few blocks, so its output leaves in a few writes
// with work in between, and the pipe's reader empties the pipe (64 KiB) meanwhile; one block per chunk made more
// output than the pipe holds, which then waited for the reader (~30% of the log path's wall time was idle).
export const BLOCK_UNITS = 24 * 1024;

// The shortest stretch of ASCII lines in a chunk with non-ASCII text that is read on its own (pushMixed): each
// stretch costs a pass of the splitter, whose first and last lines go one by one.
const MIN_ASCII_STRETCH = 512;

// After this many non-ASCII lines with no such stretch between them, the rest of the chunk is read as UTF-8.
// (Exported for its test.)
export const DENSE_NON_ASCII = 8;

export interface LineHandler {
  // A complete line, without its `\n` or `\r\n`; `flags` (text-flags.ts) say what in it would need escaping.
  line(text: string, flags: number): void;
  // Part of a line longer than MAX_LINE_UNITS; `last` marks its final part.
  piece(text: string, last: boolean): void;
  // Optional fast path: several complete lines of a chunk at once, joined by `\n` (never the first or the last line
  // of a chunk), with the flags of the text they came in. Returns false to have them handed over line by line instead.
  block?(text: string, flags: number): boolean;
  // Optional: the line being received is redrawn with `\r` (a progress bar). Called, while the line is incomplete,
  // with its latest complete state; only the text after its last `\r` is kept, so memory stays bounded however
  // long it is redrawn. Without it, `\r` is an ordinary character.
  redraw?(shown: string): void;
}

export class LineSplitter {
  // Streaming UTF-8: a character cut across chunks is joined; invalid bytes become U+FFFD. A TextDecoder in stream
  // mode gives the text StringDecoder gives (a BOM kept as text, with ignoreBOM), several times faster on text in
  // another script: Node hands it to simdutf (the bench's 60 MB non-ASCII line and mixed text show it). One difference
  // in timing: bytes at a chunk's end that no later byte can make valid (`F0 80`) are U+FFFD with that chunk, where
  // StringDecoder held them for the next. Without stream mode it takes a slower path, so stretches of whole lines
  // (pushMixed), which leave it holding nothing, go through it too.
  private readonly decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  // Whether the decoder holds no part of a character: then an ASCII chunk can skip it.
  private decoderIdle = true;
  private pending = '';
  // What the chunks that `pending` came from contained.
  private pendingFlags = PLAIN;
  private inLongLine = false;
  // Whether the pending text (when there is any) ends with `\r`: every change to it keeps its last character.
  private pendingEndsInReturn = false;

  constructor(
    private readonly handler: LineHandler,
    private readonly maxLineUnits = MAX_LINE_UNITS,
    private readonly pieceUnits = Math.min(PIECE_UNITS, maxLineUnits),
  ) {}

  push(chunk: Buffer): void {
    const flags = textFlags(chunk);
    if ((flags & ASCII) !== 0 && this.decoderIdle) {
      // ASCII is latin1 byte for byte, and decoding it so is a plain copy (3.6% of the log path otherwise).
      this.scan(chunk.toString('latin1'), flags);
      return;
    }
    // Stretches are whole lines: a chunk without a newline (of a long line) has none.
    if (this.decoderIdle && chunk.indexOf(0x0a) !== -1) {
      this.pushMixed(chunk, flags);
      return;
    }
    // When the decoder holds part of a character from the chunk before, that comes first, completed or as U+FFFD: the
    // chunk's own flags do not cover it.
    this.scan(this.decode(chunk), this.decoderIdle ? flags : 0);
    this.decoderIdle = endsOnCharacter(chunk);
  }

  // A chunk that holds non-ASCII bytes, of which the decoder holds nothing: its ASCII stretches of whole lines (a
  // logger's lines around one non-ASCII title) are read as ASCII, the rest as UTF-8. Decoded whole, one non-ASCII
  // character made all of the chunk's text two-byte strings, each line of it escaped to ASCII by a scan of its own.
  // The bench's recorded real output shows it.
  // `flags` are the chunk's, which holds a non-ASCII byte: they lack ASCII.
  private pushMixed(chunk: Buffer, flags: number): void {
    const bytes = chunk.toString('latin1');
    // Where the text not yet handed on starts, and where its UTF-8 part (lines with non-ASCII bytes, and ASCII
    // stretches too short to be worth a pass of their own) ends.
    let start = 0;
    let utf8End = 0;
    let nearOnes = 0;
    for (let found = nextNonAsciiByte(chunk, bytes, 0); found !== -1; found = nextNonAsciiByte(chunk, bytes, utf8End)) {
      const lineStart = bytes.lastIndexOf('\n', found) + 1;
      if (lineStart - utf8End >= MIN_ASCII_STRETCH) {
        if (utf8End > start) this.scan(this.decode(chunk.subarray(start, utf8End)), flags);
        this.scan(bytes.slice(utf8End, lineStart), flags | ASCII);
        start = lineStart;
        nearOnes = 0;
      } else {
        nearOnes++;
      }
      const newline = bytes.indexOf('\n', found);
      // Text with non-ASCII characters line after line (a site in another script) has no stretch worth the search.
      if (newline === -1 || nearOnes === DENSE_NON_ASCII) {
        // The rest, to the chunk's end, which may fall inside a character: the decoder holds that part for the next.
        this.scan(this.decode(chunk.subarray(start)), flags);
        this.decoderIdle = endsOnCharacter(chunk);
        return;
      }
      utf8End = newline + 1;
    }
    if (bytes.length - utf8End < MIN_ASCII_STRETCH) utf8End = bytes.length;
    if (utf8End > start) this.scan(this.decode(chunk.subarray(start, utf8End)), flags);
    if (utf8End < bytes.length) this.scan(bytes.slice(utf8End), flags | ASCII);
  }

  // End of stream: a final line without a newline is still a line.
  end(): void {
    // Bytes left in the decoder are an incomplete character: U+FFFD, not ASCII.
    this.scan(this.decoder.decode(), 0);
    if (this.inLongLine) {
      this.inLongLine = false;
      this.handler.piece(this.takePending(), true);
    } else if (this.pending.length > 0) {
      const flags = this.pendingFlags;
      const text = this.takePending();
      // A `\r` that would have been half of a `\r\n` goes like any other line ending.
      this.handler.line(text.charCodeAt(text.length - 1) === 0x0d ? text.slice(0, -1) : text, flags);
    }
  }

  private decode(bytes: Uint8Array): string {
    return this.decoder.decode(bytes, STREAM);
  }

  private scan(text: string, flags: number): void {
    let start = 0;
    let newline = text.indexOf('\n');
    // Offered after the chunk's first line (which may complete a pending one); once declined, not again in this chunk.
    let blocksWanted = this.handler.block !== undefined;
    // Every complete line but the last goes in blocks; the last stays a line, so that a continuation in the next
    // chunk still finds it.
    const lastStart = blocksWanted ? text.lastIndexOf('\n', text.lastIndexOf('\n') - 1) + 1 : 0;
    while (newline !== -1) {
      while (start !== 0 && blocksWanted && lastStart > start) {
        const blockEnd = lastStart - start <= BLOCK_UNITS ? lastStart - 1 : text.lastIndexOf('\n', start + BLOCK_UNITS);
        if (blockEnd <= start) break; // a line longer than a block goes as a line
        blocksWanted = this.handler.block?.(text.slice(start, blockEnd), flags) === true;
        if (!blocksWanted) break;
        start = blockEnd + 1;
        newline = text.indexOf('\n', start);
      }
      const segment = text.slice(start, newline);
      let lineFlags = flags;
      let whole = segment;
      if (this.pending.length > 0) {
        lineFlags &= this.pendingFlags;
        whole = this.takePending() + segment;
      }
      const line = whole.charCodeAt(whole.length - 1) === 0x0d ? whole.slice(0, -1) : whole;
      if (this.inLongLine) {
        this.inLongLine = false;
        this.handler.piece(line, true);
      } else {
        this.handler.line(line, lineFlags);
      }
      start = newline + 1;
      newline = text.indexOf('\n', start);
    }
    if (start < text.length) {
      const rest = start === 0 ? text : text.slice(start);
      if (this.pending.length === 0) this.pendingFlags = PLAIN;
      this.pendingFlags &= flags;
      // Only when a `\r` gets text after it: one that arrives now, or one that ended the pending text. Looking into the
      // pending text flattens it: for every chunk of a long line (non-ASCII text, whose chunks seldom end on a whole
      // character, never counts as free of controls) a copy of all of it, in V8's large-object space, which only a
      // full collection frees. The bench's 60 MB non-ASCII line peaked on those copies.
      const redrawn = (flags & NO_CONTROLS) === 0 && this.handler.redraw !== undefined && !this.inLongLine
        && (rest.includes('\r') || (this.pending.length > 0 && this.pendingEndsInReturn));
      // String concatenation builds a rope in V8: appending is O(1) and the text is flattened once, when taken.
      this.pending += rest;
      this.pendingEndsInReturn = rest.charCodeAt(rest.length - 1) === 0x0d;
      if (redrawn) this.keepLastState();
      if (this.pending.length > (this.inLongLine ? this.pieceUnits : this.maxLineUnits)) this.emitPieces();
    }
  }

  // A pending line redrawn with `\r`: offers its latest complete state and keeps only what follows its last `\r`
  // (the `\r` included, so the line still shows it was redrawn when it ends).
  private keepLastState(): void {
    const pending = this.pending;
    // A `\r` with text after it: not the first half of a `\r\n`.
    const last = pending.lastIndexOf('\r', pending.length - 2);
    if (last > 0) {
      const previous = pending.lastIndexOf('\r', last - 1);
      this.handler.redraw?.(pending.slice(previous + 1, last));
      this.pending = pending.slice(last);
    }
    // A state written with its `\r` after it (`print(state, end='\r')`) is shown as soon as it comes: offered too, as
    // what the line shows now, though the `\r` may yet be the first half of a `\r\n` (then the line ends at once,
    // and the handler sends nothing of it as a state).
    if (this.pendingEndsInReturn) {
      const kept = this.pending;
      const start = kept.lastIndexOf('\r', kept.length - 2) + 1;
      if (kept.length - 1 > start) this.handler.redraw?.(kept.slice(start, -1));
    }
  }

  // Hands on whole pieces of the pending text and keeps the rest, which is shorter than a piece.
  private emitPieces(): void {
    const text = this.takePending();
    let start = 0;
    while (text.length - start > this.pieceUnits) {
      let end = start + this.pieceUnits;
      // Never cut between the halves of a surrogate pair, nor between the `\r` and `\n` of a line ending.
      const lastCode = text.charCodeAt(end - 1);
      if (lastCode === 0x0d || (lastCode >= 0xd800 && lastCode <= 0xdbff)) end--;
      this.inLongLine = true;
      this.handler.piece(text.slice(start, end), false);
      start = end;
    }
    this.pending = detached(text.slice(start));
  }

  private takePending(): string {
    const text = this.pending;
    this.pending = '';
    return text;
  }
}

const STREAM = { stream: true };

// A copy of a slice that shares no memory with the text it was cut from. V8 makes a slice a view of its parent, so
// keeping a long line's leftover as a slice kept alive the whole text it was cut from: for every chunk of the line,
// a copy of a chunk and more, in V8's large-object space, promoted there by the next young collection and freed only
// by a full one (the bench's non-ASCII line).
function detached(slice: string): string {
  return (slice + ' ').slice(0, -1);
}

// A chunk that ends in an ASCII byte leaves nothing pending in the decoder.
function endsOnCharacter(chunk: Buffer): boolean {
  return chunk.length === 0 || (chunk[chunk.length - 1] as number) < 0x80;
}
