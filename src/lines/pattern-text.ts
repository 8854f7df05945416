// Text written into a regular expression so that it matches only itself: every character as `\uXXXX`, which needs no
// list of the characters a pattern treats specially. Used where patterns are made from lines the command printed.

export function charPattern(code: number): string {
  return '\\u' + code.toString(16).padStart(4, '0');
}

export function literalPattern(text: string): string {
  let pattern = '';
  for (let index = 0; index < text.length; index++) pattern += charPattern(text.charCodeAt(index));
  return pattern;
}
