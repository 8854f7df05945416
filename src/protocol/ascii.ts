// Makes valid JSON text pure printable ASCII, byte-for-byte as Python's json.dumps(ensure_ascii=True) writes it.
//
// Input is always JSON that JSON.stringify produced or JSON.parse accepted. In such text a unit above 0x7E can only
// stand inside a string, where `\uXXXX` is its exact equivalent; a unit below 0x20 can only be insignificant
// whitespace (tab, CR) between tokens, where a space means the same. So no parse is needed, only one scan.

const HEX = '0123456789abcdef';

function escapeUnit(code: number): string {
  if (code < 0x20) return ' ';
  return '\\u' + HEX[code >> 12] + HEX[(code >> 8) & 15] + HEX[(code >> 4) & 15] + HEX[code & 15];
}

// Returns the text itself when it is already ASCII: one charCodeAt pass, no allocation, the common case.
export function asciiJson(json: string): string {
  const length = json.length;
  let index = 0;
  while (index < length) {
    const code = json.charCodeAt(index);
    if (code < 0x20 || code > 0x7e) break;
    index++;
  }
  if (index === length) return json;

  let out = '';
  let copiedUpTo = 0;
  for (; index < length; index++) {
    const code = json.charCodeAt(index);
    if (code >= 0x20 && code <= 0x7e) continue;
    out += json.slice(copiedUpTo, index) + escapeUnit(code);
    copiedUpTo = index + 1;
  }
  return out + json.slice(copiedUpTo);
}

// The length a string's contents take once JSON-encoded and ASCII-escaped, per UTF-16 unit.
export function escapedUnitLength(code: number): number {
  if (code >= 0x20 && code <= 0x7e) return code === 0x22 || code === 0x5c ? 2 : 1;
  if (code === 0x08 || code === 0x09 || code === 0x0a || code === 0x0c || code === 0x0d) return 2;
  return 6;
}
