// What the tools of shell jobs write on stderr about work that goes well: wget's requests, responses and progress
// (its default output, `-nv`'s line, recursive and spider runs), curl's progress meter's header, git's clone, switch,
// push and fetch (with what the remote's side writes, and git's advice), and the reports of `time`. Such lines name no level, and the platform's rule makes every stderr
// line an ERROR, so a shell job that fetches one file counted a dozen errors. They are INFO when levels are detected.
// Each tool's failures keep their level: wget's `ERROR 404: ...` and `failed: ...` after a host, a response other
// than 1xx to 3xx, `curl: (7) ...`, git's `fatal: ...`, a ref it could not push or fetch and a remote's refusal,
// time's `Command exited with non-zero status 3` (test/fixtures/real-output/shell-download-tools, shell-git-scraping,
// shell-git-remote and shell-time).

import { LEVELS } from '../protocol/limits.js';

const TIME = String.raw`\d{4}-\d\d-\d\d \d\d:\d\d:\d\d`;
// Where a line ends: at `\n` in a block, or at the text's end.
const LINE_END = String.raw`(?![^\n])`;

// git's advice: `hint: …`, or `hint:` alone for an empty line of it.
const GIT_HINT = String.raw`hint:(?: [^\n]*)?${LINE_END}`;
const GIT_HINT_LINE = new RegExp(GIT_HINT, 'y');

// A git remote's warning (`remote: warning: File items.json is 52.00 MB; ...`), as GitHub gives one of a file near its
// limit; its other lines are read in TOOL_PROGRESS.
const GIT_REMOTE_WARNING = /remote:[ \t]+warning:/iy;

const TOOL_PROGRESS = new RegExp([
  // wget: a request, its steps, a response from 100 to 399, what it saves; each line whole, so that a program's own
  // line that opens the same way (`Resolving conflicts... failed`) is not taken
  String.raw`--${TIME}--  \S+${LINE_END}`,
  String.raw`Resolving \S+ \(\S+\)\.\.\. [\da-fA-F:.]+(?:, [\da-fA-F:.]+)*${LINE_END}`,
  String.raw`Connecting to [^\n]*\.\.\. connected\.${LINE_END}`,
  String.raw`Reusing existing connection to [^\n]*\.${LINE_END}`,
  String.raw`(?:HTTP|Proxy) request sent, awaiting response\.\.\. [1-3]\d\d(?: |${LINE_END})`,
  String.raw`Length: (?:\d+(?: \([\d.]+[KMGT]\))?(?:, \d+ \([\d.]+[KMGT]\) remaining)?|unspecified)(?: \[[^\]\n]*\])?${LINE_END}`,
  String.raw`Location: [^\n]* \[following\]${LINE_END}`,
  String.raw`Saving to: [\u2018'][^\n]*[\u2019']${LINE_END}`,
  String.raw`URL transformed to HTTPS due to an HSTS policy${LINE_END}`,
  // its progress, one line per 50 KiB by default: dots, commas for what a resumed download already had, none for a
  // file under 1 KiB, and the part it skipped
  String.raw` +\d+[KMG] [ .,][^\n]*${LINE_END}`,
  String.raw` +\[ skipping \d+[KMG] \]${LINE_END}`,
  String.raw`${TIME} \([^)\n]*\) - (?:[^\n]* )?(?:saved|written to stdout) \[\d+(?:\/\d+)?\]${LINE_END}`,
  String.raw`${TIME} URL: ?\S+ \[[^\n]*\] -> "[^\n]*" \[\d+\]${LINE_END}`,
  // what it leaves undone on purpose (-nc, -N), and its recursive and spider runs
  String.raw`File [\u2018'][^\n]*[\u2019'] (?:already there; not retrieving|not modified on server\. Omitting download)\.${LINE_END}`,
  String.raw`Last-modified header missing -- time-stamps turned off\.${LINE_END}`,
  String.raw`Loading robots\.txt; please ignore errors\.${LINE_END}`,
  String.raw`Removing [^\n]* since it should be rejected\.${LINE_END}`,
  String.raw`Converting links in [^\n]*\.\.\. (?:nothing to do|\d+)\.${LINE_END}`,
  String.raw`\d+-\d+${LINE_END}`,
  String.raw`Converted links in \d+ files? in [\d.]+ seconds\.${LINE_END}`,
  String.raw`Spider mode enabled\. Check if remote file exists\.${LINE_END}`,
  String.raw`Remote file exists(?:\.| and could contain [^\n]*,)${LINE_END}`,
  String.raw`but recursion is disabled -- not retrieving\.${LINE_END}`,
  String.raw`Found no broken links\.${LINE_END}`,
  String.raw`FINISHED --${TIME}--${LINE_END}`,
  String.raw`Total wall clock time: [\d.hms ]+${LINE_END}`,
  String.raw`Downloaded: \d+ files?, [^\n]* in [^\n]* \([\d.]+ [KMG]?B\/s\)${LINE_END}`,
  // curl: its progress meter's header (the states are redrawn lines, INFO already)
  String.raw` +% Total +% Received % Xferd +Average Speed +Time +Time +Time +Current${LINE_END}`,
  // git: a clone's and a switch's lines, and counts of objects (the remote's, and a push's own); a push's or a
  // fetch's report of its refs is read below (gitRefOutcome)
  String.raw`Cloning into (?:bare repository )?'[^'\n]+'\.\.\.${LINE_END}`,
  String.raw`done\.${LINE_END}`,
  String.raw`(?:Enumerating|Counting|Compressing) objects: +(?:\d+(?:, done\.)?|\d+% \(\d+\/\d+\)(?:, done\.)?) *${LINE_END}`,
  String.raw`Total \d+ \(delta \d+\), reused \d+ \(delta \d+\)[^\n]*${LINE_END}`,
  String.raw`(?:Receiving objects|Resolving deltas|Unpacking objects|Updating files|Writing objects): +\d+% \(\d+\/\d+\)[^\n]*${LINE_END}`,
  String.raw`Delta compression using up to \d+ threads${LINE_END}`,
  String.raw`Everything up-to-date${LINE_END}`,
  String.raw`Switched to (?:a new )?branch '[^'\n]+'${LINE_END}`,
  String.raw`Already on '[^'\n]+'${LINE_END}`,
  String.raw`Already up to date\.${LINE_END}`,
  // with -v: where a push goes, its request over HTTP, and the local copy of the remote's ref it updates
  String.raw`Pushing to \S+${LINE_END}`,
  String.raw`POST git-(?:receive|upload)-pack \((?:chunked|\d+ bytes)\)${LINE_END}`,
  String.raw`updating local tracking ref '[^'\n]+'${LINE_END}`,
  // what the remote's side writes (its hooks, a host's notes), which git passes on after `remote: ` with spaces that
  // wipe its progress after it: its progress (Gitea's and Forgejo's references, Azure DevOps' objects), its empty
  // lines, the link a host gives to open a pull request (GitHub, Bitbucket, Gitea) or a merge request (GitLab) and the
  // link itself. What else it writes keeps the stream's level: a host
  // says `remote: Repository not found.` or `remote: Invalid username or password.` as it refuses.
  String.raw`remote:(?:[ \t]*|[ \t]+(?:(?:Enumerating|Counting|Compressing) objects: |Total \d+ \(delta |Resolving deltas: |Processing changes: |Create (?:a (?:new )?)?pull request for |To create a merge request for |View (?:merge|pull) request for |\. Processing \d+ references|Processed \d+ references in total|Analyzing objects\.\.\. |Storing (?:packfile|index)\.\.\. done)[^\n]*|[ \t]+https?:\/\/\S+[ \t]*)${LINE_END}`,
  // its advice, which a message that names a level (`error: failed to push some refs ...`) takes (line-meaning.ts)
  GIT_HINT,
  // time: bash's keyword, and GNU time's default report (its `Command exited with non-zero status 3` stays)
  String.raw`(?:real|user|sys)\t\d+m[\d.]+s${LINE_END}`,
  String.raw`[\d.]+user [\d.]+system [\d:.]+elapsed [\d?]+%CPU \(\d+avgtext\+\d+avgdata \d+maxresident\)k${LINE_END}`,
  String.raw`\d+inputs\+\d+outputs \(\d+major\+\d+minor\)pagefaults \d+swaps${LINE_END}`,
].join('|'), 'y');

// A push or a fetch reports its refs under a line that names the remote (`To git@github.com:you/data.git`, `From
// https://...`, any path or URL, spaces and all), one indented line each: ` <flag> <summary> <from> -> <to>`, where
// the flag is ` ` (fast-forward), `+` (forced), `-` (deleted), `*` (new), `t` (tag update), `=` (up to date) or `!`
// (rejected, or not updated), and the summary a range of commits, a bracketed word or two of git's, `branch` or `tag`;
// after a prune, `   (refs/... has become dangling)`. The remote's line names no level, and the report is INFO when
// every line under it is such a line and none is `!`, an ERROR when one is (line-meaning.ts, GIT_REMOTE): so a line of
// prose that opens with `To` or `From` keeps its stream's level, and so do the lines indented under it.
const GIT_REMOTE_LINE = /(?:To|From) \S/y;
const GIT_REF_LINE = new RegExp(String.raw` [ +*!=t-] (?:[\da-f]{4,}\.\.\.?[\da-f]{4,}|\[(?:new (?:branch|tag|ref|reference)|tag update|deleted|up to date|rejected|remote rejected|remote failure)\]|branch|tag) +\S|   \([^\n]*\)${LINE_END}`, 'y');

// Whether a line may name a push's or a fetch's remote, by its first unit: the test the block path makes of every
// line that names no level, before it calls isGitRemoteLine.
export function opensGitRemoteLine(first: number): boolean {
  return first === 0x54 || first === 0x46;
}

// Whether the line at `start` of `text` may name the remote of a push or a fetch, whose refs follow it.
export function isGitRemoteLine(text: string, start: number): boolean {
  if (!opensGitRemoteLine(text.charCodeAt(start))) return false;
  GIT_REMOTE_LINE.lastIndex = start;
  return GIT_REMOTE_LINE.test(text);
}

// What the line at [start, end) of `text`, indented under a remote's line, says of a ref: 'updated' (or up to date),
// 'failed' (` ! `), or undefined for a line that is not one of git's.
export function gitRefOutcome(text: string, start: number, end: number): 'updated' | 'failed' | undefined {
  GIT_REF_LINE.lastIndex = start;
  if (!GIT_REF_LINE.test(text) || GIT_REF_LINE.lastIndex > end) return undefined;
  return text.charCodeAt(start + 1) === 0x21 ? 'failed' : 'updated';
}

// Whether the line at [start, end) of `text` is a line of git's advice.
export function isGitHint(text: string, start: number, end: number): boolean {
  if (text.charCodeAt(start) !== 0x68) return false;
  GIT_HINT_LINE.lastIndex = start;
  return GIT_HINT_LINE.test(text) && GIT_HINT_LINE.lastIndex <= end;
}

// The level of the line at [start, end) of `text` that a tool writes about its work, undefined for any other: INFO,
// but for a git remote's warning (GIT_REMOTE_WARNING).
export function toolProgressLevel(text: string, start: number, end: number): number | undefined {
  if (text.charCodeAt(start) === 0x72) {
    GIT_REMOTE_WARNING.lastIndex = start;
    if (GIT_REMOTE_WARNING.test(text)) return LEVELS.WARNING;
  }
  TOOL_PROGRESS.lastIndex = start;
  const match = TOOL_PROGRESS.exec(text);
  return match !== null && match.index + match[0].length <= end ? LEVELS.INFO : undefined;
}
