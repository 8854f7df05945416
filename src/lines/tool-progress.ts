// What download and version-control tools write on stderr about work that goes well: wget's requests, responses and
// progress (its default output, and `-nv`'s line), curl's progress meter's header, git's clone and fetch. Such lines
// name no level, and the platform's rule makes every stderr line an ERROR, so a shell job that fetches one file
// counted a dozen errors. They are INFO when levels are detected. Each tool's failures keep their level: wget's
// `ERROR 404: …` and `failed: …` after a host, a response other than 1xx to 3xx, `curl: (7) …`, git's `fatal: …`
// (test/fixtures/real-output/shell-download-tools).

import { LEVELS } from '../protocol/limits.js';

const TIME = String.raw`\d{4}-\d\d-\d\d \d\d:\d\d:\d\d`;
// Where a line ends: at `\n` in a block, or at the text's end.
const LINE_END = String.raw`(?![^\n])`;

const TOOL_PROGRESS = new RegExp([
  // wget
  String.raw`--${TIME}--  \S`,
  String.raw`Resolving [^\n]*\.\.\. (?!failed)`,
  String.raw`Connecting to [^\n]*\.\.\. connected\.${LINE_END}`,
  String.raw`Reusing existing connection to [^\n]*\.${LINE_END}`,
  String.raw`(?:HTTP|Proxy) request sent, awaiting response\.\.\. [1-3]\d\d(?: |${LINE_END})`,
  String.raw`Length: (?:\d|unspecified)`,
  String.raw`Location: [^\n]* \[following\]${LINE_END}`,
  String.raw`Saving to: `,
  String.raw` +\d+[KMG] \.`,
  String.raw`${TIME} \([^)\n]*\) - (?:[^\n]* )?(?:saved|written to stdout) \[\d+(?:\/\d+)?\]${LINE_END}`,
  String.raw`${TIME} URL: ?\S+ \[[^\n]*\] -> "`,
  String.raw`FINISHED --${TIME}--${LINE_END}`,
  String.raw`Total wall clock time: `,
  String.raw`Downloaded: \d+ files?, `,
  // curl
  String.raw` +% Total +% Received % Xferd `,
  // git
  String.raw`Cloning into [^\n]*\.\.\.${LINE_END}`,
  String.raw`done\.${LINE_END}`,
  String.raw`remote: (?:Enumerating|Counting|Compressing) objects: `,
  String.raw`remote: Total \d`,
  String.raw`(?:Receiving objects|Resolving deltas|Unpacking objects|Updating files): `,
  String.raw`Already up to date\.${LINE_END}`,
  String.raw`From (?:[a-z+]+:\/\/|\/|[\w.-]+@)\S*${LINE_END}`,
].join('|'), 'y');

// INFO for such a line at [start, end) of `text`, undefined for any other.
export function toolProgressLevel(text: string, start: number, end: number): number | undefined {
  TOOL_PROGRESS.lastIndex = start;
  const match = TOOL_PROGRESS.exec(text);
  return match !== null && match.index + match[0].length <= end ? LEVELS.INFO : undefined;
}
