// Crawlee writes each item pretty-printed with tabs; an item is one line. Removing the whitespace between tokens
// keeps the text exactly as written otherwise (key order, numbers beyond double precision), which parsing and
// re-serialising would not.

// `json` must be valid JSON: then every `"` outside a string opens one, and inside one only an unescaped `"` ends it.
export function compactJson(json: string): string {
  let out = '';
  let from = 0;
  let inString = false;
  for (let index = 0; index < json.length; index++) {
    const code = json.charCodeAt(index);
    if (inString) {
      if (code === 0x5c) index++; // a backslash: the next character is escaped
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) {
      inString = true;
    } else if (code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d) {
      out += json.slice(from, index);
      from = index + 1;
    }
  }
  return out + json.slice(from);
}
