// Whether a line's text is one JSON object: the test every stdout line that starts with `{` goes through.
//
// JSON.parse builds the whole object only to throw it away (the text itself is what is sent), and cost more than
// everything else on an item's path. Most items are flat objects or have one level of arrays and objects, which a
// regular expression recognises in native code in a fraction of that time (the bench's items). The expression accepts
// only valid JSON (every alternative is JSON's own grammar), so a match is proof; anything it does not match, deep
// nesting included, goes to JSON.parse, which decides.
//
// Written so that it cannot backtrack badly: strings use the unrolled `normal* (special normal*)*` form, and
// whitespace never stands next to whitespace, so a failed match costs linear time.

const STRING = '"[^"\\\\\\x00-\\x1f]*(?:\\\\(?:["\\\\/bfnrt]|u[0-9a-fA-F]{4})[^"\\\\\\x00-\\x1f]*)*"';
const NUMBER = '-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?';
const SCALAR = `(?:${STRING}|${NUMBER}|true|false|null)`;

// A flat or shallow object, with the given whitespace between tokens.
function shallowObject(ws: string): string {
  const list = (open: string, item: string, close: string): string => `${open}${ws}(?:${item}${ws}(?:,${ws}${item}${ws})*)?${close}`;
  const member = (value: string): string => `${STRING}${ws}:${ws}${value}`;
  const nested = `(?:${SCALAR}|${list('\\[', SCALAR, '\\]')}|${list('\\{', member(SCALAR), '\\}')})`;
  return list('\\{', member(nested), '\\}') + ws;
}

const SHALLOW_OBJECT = new RegExp(`^${shallowObject('[ \\t\\r\\n]*')}$`);

// Consecutive lines that are each one shallow object, from `lastIndex` on (sticky). For text without tabs or CRs,
// so the only whitespace is spaces and every `\n` ends a line; each object must end its line.
const OBJECT_LINES = new RegExp(`${shallowObject(' *')}(?=\\n|$)(?:\\n${shallowObject(' *')}(?=\\n|$))*`, 'y');

// Where a run of object lines that starts at `start` ends (the index of the `\n` after its last line, or the text's
// end), or -1 when the line at `start` is not one the run pattern recognises. One native call for many items.
export function objectLinesEnd(text: string, start: number): number {
  OBJECT_LINES.lastIndex = start;
  try {
    return OBJECT_LINES.test(text) ? OBJECT_LINES.lastIndex : -1;
  } catch {
    return -1; // a regex engine limit: the lines go one by one
  }
}

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
