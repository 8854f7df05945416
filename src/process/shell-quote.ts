// An argv as a person would type it in a shell, for log lines that say what runs.

const SAFE = /^[\w@%+=:,./-]+$/;

export function shellQuote(argv: readonly string[]): string {
  return argv.map((word) => (SAFE.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`)).join(' ');
}
