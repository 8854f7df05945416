// Checks that text is one JSON value while it arrives in pieces, holding none of it: how a line too long to be held
// is found to be JSON (an item or protocol message too large to send) or text that only starts like it.

const enum Expect { Value, ValueOrClose, Key, KeyOrClose, Colon, CommaOrClose, Done }

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);
const NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;
const LITERALS = new Set(['true', 'false', 'null']);

// The checker for one line: add its pieces in order, then ask `isObject`.
export class JsonSyntax {
  private expect = Expect.Value;
  // Open containers, innermost last: true for an object.
  private readonly open: boolean[] = [];
  private inString = false;
  private escape = 0; // 1 after a backslash, 2 to 5 inside \uXXXX
  private stringIsKey = false;
  // A number or literal being read (short, or the text is not JSON anyway).
  private word = '';
  private failed = false;
  // Whether the outermost value is an object.
  private sawObject = false;

  add(text: string): void {
    for (let index = 0; index < text.length && !this.failed; index++) this.step(text.charCodeAt(index));
  }

  // Whether everything added was exactly one JSON object.
  get isObject(): boolean {
    if (this.failed || this.inString || (this.word !== '' && !this.endWord())) return false;
    return this.expect === Expect.Done && this.sawObject;
  }

  private step(code: number): void {
    if (this.inString) return this.stringStep(code);
    if (this.word !== '') {
      if ((code >= 0x30 && code <= 0x39) || (code >= 0x61 && code <= 0x7a) || code === 0x2b || code === 0x2d || code === 0x2e || code === 0x45) {
        if (this.word.length > 400) this.failed = true;
        this.word += String.fromCharCode(code);
        return;
      }
      if (!this.endWord()) return;
    }
    if (WHITESPACE.has(code)) return;
    switch (this.expect) {
      case Expect.Value:
      case Expect.ValueOrClose:
        if (code === 0x5d && this.expect === Expect.ValueOrClose) return this.close(false);
        return this.value(code);
      case Expect.Key:
      case Expect.KeyOrClose:
        if (code === 0x7d && this.expect === Expect.KeyOrClose) return this.close(true);
        if (code !== 0x22) return this.fail();
        this.inString = true;
        this.stringIsKey = true;
        return;
      case Expect.Colon:
        if (code !== 0x3a) return this.fail();
        this.expect = Expect.Value;
        return;
      case Expect.CommaOrClose: {
        const inObject = this.open[this.open.length - 1];
        if (code === 0x2c) {
          this.expect = inObject ? Expect.Key : Expect.Value;
          return;
        }
        if (code === (inObject ? 0x7d : 0x5d)) return this.close(inObject === true);
        return this.fail();
      }
      case Expect.Done:
        return this.fail();
    }
  }

  private value(code: number): void {
    if (code === 0x7b || code === 0x5b) {
      if (this.open.length === 0) this.sawObject = code === 0x7b;
      this.open.push(code === 0x7b);
      this.expect = code === 0x7b ? Expect.KeyOrClose : Expect.ValueOrClose;
    } else if (code === 0x22) {
      this.inString = true;
      this.stringIsKey = false;
    } else if (code === 0x2d || (code >= 0x30 && code <= 0x39) || code === 0x74 || code === 0x66 || code === 0x6e) {
      this.word = String.fromCharCode(code);
    } else {
      this.fail();
    }
  }

  private stringStep(code: number): void {
    if (this.escape === 1) {
      if (code === 0x75) this.escape = 2;
      else if ('"\\/bfnrt'.includes(String.fromCharCode(code))) this.escape = 0;
      else this.fail();
    } else if (this.escape >= 2) {
      if (!/[0-9a-fA-F]/.test(String.fromCharCode(code))) return this.fail();
      this.escape = this.escape === 5 ? 0 : this.escape + 1;
    } else if (code === 0x5c) {
      this.escape = 1;
    } else if (code === 0x22) {
      this.inString = false;
      this.expect = this.stringIsKey ? Expect.Colon : this.afterValue();
    } else if (code < 0x20) {
      this.fail();
    }
  }

  private endWord(): boolean {
    const word = this.word;
    this.word = '';
    if (!NUMBER.test(word) && !LITERALS.has(word)) {
      this.fail();
      return false;
    }
    this.expect = this.afterValue();
    return true;
  }

  private close(object: boolean): void {
    if (this.open.pop() !== object) return this.fail();
    this.expect = this.afterValue();
  }

  private afterValue(): Expect {
    return this.open.length === 0 ? Expect.Done : Expect.CommaOrClose;
  }

  private fail(): void {
    this.failed = true;
  }
}
