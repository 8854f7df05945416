// text.charCodeAt(index), for code that reads characters of every line. Those texts come in many of V8's string
// representations (slices of a block, flat lines, joined lines, one- and two-byte), so a `text.charCodeAt` call site
// sees more receiver maps than it keeps and looks the method up through the megamorphic stub cache at every call;
// called through the function itself, there is no lookup. The bounds are checked here, since callers look past a
// line's ends: one read out of range makes V8 stop inlining this call site, which then calls the builtin each time.
// The bench's recorded real output, whose lines are read one by one, shows both.
export function codeAt(text: string, index: number): number {
  return index >= 0 && index < text.length ? String.prototype.charCodeAt.call(text, index) : NaN;
}
