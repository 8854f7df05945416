// Whether a line's text is one JSON object: the test every stdout line that starts with `{` goes through.
//
// JSON.parse builds the whole object only to throw it away (the text itself is what is sent), and costs ~870 ns for
// a 100-byte item here, more than everything else on the line's path. Most items are flat objects or have one level
// of arrays and objects, which a regular expression recognises in native code at ~250 ns. The expression accepts
// only valid JSON (every alternative is JSON's own grammar), so a match is proof; anything it does not match, deep
// nesting included, goes to JSON.parse, which decides.
//
// Written so that it cannot backtrack badly: strings use the unrolled `normal* (special normal*)*` form, and
// whitespace never stands next to whitespace, so a failed match costs linear time.

const WS = '[ \\t\\r\\n]*';
const STRING = '"[^"\\\\\\x00-\\x1f]*(?:\\\\(?:["\\\\/bfnrt]|u[0-9a-fA-F]{4})[^"\\\\\\x00-\\x1f]*)*"';
const NUMBER = '-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?';
const SCALAR = `(?:${STRING}|${NUMBER}|true|false|null)`;
const list = (open: string, item: string, close: string): string => `${open}${WS}(?:${item}${WS}(?:,${WS}${item}${WS})*)?${close}`;
const MEMBER = (value: string): string => `${STRING}${WS}:${WS}${value}`;
const NESTED = `(?:${SCALAR}|${list('\\[', SCALAR, '\\]')}|${list('\\{', MEMBER(SCALAR), '\\}')})`;
const SHALLOW_OBJECT = new RegExp(`^${list('\\{', MEMBER(NESTED), '\\}')}${WS}$`);

export function isObjectJson(text: string): boolean {
  try {
    if (SHALLOW_OBJECT.test(text)) return true;
  } catch {
    // A regex engine limit on an enormous line: let JSON.parse decide.
  }
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}
