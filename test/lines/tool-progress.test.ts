// Download and version-control tools' progress on stderr is INFO; their failures keep the stream's level.

import { describe, expect, it } from 'vitest';
import { LevelReader } from '../../src/lines/detect-level.js';
import { toolProgressLevel } from '../../src/lines/tool-progress.js';

const PROGRESS = [
  '--2026-12-07 23:02:33--  http://localhost:36499/page.bin',
  'Resolving localhost (localhost)... 127.0.0.1',
  'Connecting to localhost (localhost)|127.0.0.1|:36499... connected.',
  'Reusing existing connection to example.com:443.',
  'HTTP request sent, awaiting response... 200 OK',
  'HTTP request sent, awaiting response... 301 Moved Permanently',
  'Proxy request sent, awaiting response... 200',
  'Length: 600000 (586K) [application/octet-stream]',
  'Length: unspecified [text/html]',
  'Location: https://example.com/next [following]',
  'Saving to: \u2018page.bin\u2019',
  '     0K .......... .......... .......... .......... ..........  8%  355M 0s',
  '  3072K ........ ........ ........ ........ ........ ........  6% 10.2M 4s',
  '2026-12-07 23:02:33 (385 MB/s) - \u2018page.bin\u2019 saved [600000/600000]',
  '2026-12-07 23:02:33 (1.2 MB/s) - written to stdout [5120/5120]',
  '2026-12-07 23:02:33 URL:http://127.0.0.1:36499/page.bin [600000/600000] -> "page3.bin" [1]',
  'FINISHED --2026-12-07 23:02:40--',
  'Total wall clock time: 7.1s',
  'Downloaded: 3 files, 1.7M in 0.02s (92.1 MB/s)',
  '  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current',
  "Cloning into 'copy'...",
  "Cloning into bare repository 'mirror.git'...",
  'done.',
  'remote: Enumerating objects: 5, done.',
  'remote: Total 5 (delta 0), reused 0 (delta 0), pack-reused 0',
  'Receiving objects: 100% (5/5), done.',
  'Resolving deltas: 100% (1/1), done.',
  'Already up to date.',
  // Found by running the tools: a file under 1 KiB, an empty one, a resumed download, what -nc, -N, -r, -k, -A and
  // --spider print, HSTS, git's switch.
  '     0K                                                       100% 10.9M=0s',
  '     0K        0.00 =0s',
  '        [ skipping 250K ]',
  '     0K ,,,,,,,,,, ,,,,,,,,,. .......... .......... .......... 61%  289M 0s',
  'Length: 5 [text/plain]',
  'Length: 600000 (586K), 350000 (342K) remaining [application/octet-stream]',
  "File \u2018page.bin\u2019 already there; not retrieving.",
  "File \u2018page.bin\u2019 not modified on server. Omitting download.",
  'Last-modified header missing -- time-stamps turned off.',
  'Loading robots.txt; please ignore errors.',
  'Removing 127.0.0.1:8000/index.html.tmp since it should be rejected.',
  'Converting links in 127.0.0.1:8000/index.html... nothing to do.',
  'Converted links in 1 files in 0 seconds.',
  'Converting links in 127.0.0.1:34357/index.html... 1.',
  '1-0',
  'Remote file exists and could contain further links,',
  'but recursion is disabled -- not retrieving.',
  'Spider mode enabled. Check if remote file exists.',
  'Remote file exists.',
  'Found no broken links.',
  'URL transformed to HTTPS due to an HSTS policy',
  'remote: Counting objects: 100% (2/2), done.',
  'Updating files: 100% (12/12), done.',
  "Switched to branch 'main'",
  "Switched to a new branch 'feature'",
  "Already on 'main'",
  // git's pushes: their counts (--progress), and when there is nothing to push
  'Enumerating objects: 5, done.',
  'Counting objects: 100% (5/5), done.',
  'Delta compression using up to 2 threads',
  'Compressing objects: 100% (2/2), done.',
  'Writing objects: 100% (3/3), 250 bytes | 250.00 KiB/s, done.',
  'Total 3 (delta 0), reused 0 (delta 0), pack-reused 0',
  'Everything up-to-date',
  // with -v, and over HTTP
  'Pushing to https://github.com/example/data.git',
  'POST git-receive-pack (chunked)',
  'POST git-receive-pack (1123 bytes)',
  "updating local tracking ref 'refs/remotes/origin/data'",
  // what the remote's side writes, with git's padding after it
  'remote: Resolving deltas: 100% (2/2), completed with 2 local objects.        ',
  'remote: ',
  'remote:',
  "remote: Create a pull request for 'data' on GitHub by visiting:        ",
  'remote:      https://github.com/example/data/pull/new/data        ',
  'remote: To create a merge request for data, visit:',
  'remote:   https://gitlab.com/example/data/-/merge_requests/new?merge_request%5Bsource_branch%5D=data',
  'remote: Create pull request for data:',
  "remote: Create a new pull request for 'data':",
  'remote: . Processing 1 references',
  'remote: Processed 1 references in total',
  'remote: Analyzing objects... (3/3) (27 ms)',
  'remote: Storing packfile... done (61 ms)',
  'remote: Storing index... done (63 ms)',
  // git's advice
  "hint: Using 'master' as the name for the initial branch. This default branch name",
  'hint: ',
  'hint:',
  'hint: \tgit config --global init.defaultBranch <name>',
  'real\t0m0.101s',
  'user\t0m0.001s',
  'sys\t1m2.500s',
  '0.00user 0.00system 0:00.10elapsed 0%CPU (0avgtext+0avgdata 1636maxresident)k',
  '0inputs+0outputs (0major+99minor)pagefaults 0swaps',
];

const FAILURES = [
  'Resolving nohost.invalid (nohost.invalid)... failed: Name or service not known.',
  'Connecting to localhost (localhost)|127.0.0.1|:1... failed: Connection refused.',
  'HTTP request sent, awaiting response... 404 File not found',
  'HTTP request sent, awaiting response... 503 Service Unavailable',
  'HTTP request sent, awaiting response... Read error (Connection reset by peer) in headers.',
  '2026-12-07 23:02:33 ERROR 404: File not found.',
  '2026-12-07 23:02:33 (1.2 MB/s) - Read error at byte 5120/10240 (Connection reset by peer). Retrying.',
  'wget: unable to resolve host address \u2018nohost.invalid\u2019',
  "curl: (7) Failed to connect to 127.0.0.1 port 1 after 0 ms: Couldn't connect to server",
  "fatal: repository 'no-such-repository' does not exist",
  'remote: Repository not found.',
  // a host refusing, in its own words, and a hook's errors
  'remote: Invalid username or password.',
  'remote: Permission to example/data.git denied to crawler.',
  'remote: GitLab: You are not allowed to push code to protected branches on this project.',
  'remote: error: GH006: Protected branch update failed for refs/heads/main.        ',
  'remote: fatal: bad object',
  'remote: https://github.com/example/data is gone',
  'remotely: Total 3 (delta 0)',
  'hints: none',
  'Pushing to s3://bucket/items.jl failed: AccessDenied',
  'hint:none',
  'done. Now the crawl fails',
  'Saving the results failed',
  'Length is not known',
  'From here on, nothing works',
  // Other programs' lines that open as the tools' do (found in review), and a fetch's `From`, under which git indents
  // the refs it could not update (` ! [rejected] v1 -> v1  (would clobber existing tag)`).
  'Resolving api.example.com... timed out',
  'Resolving conflicts... could not resolve 3 files',
  'Updating files: failed to write config.json',
  'Receiving objects: interrupted',
  'Length: 0 items, aborting',
  'Downloaded: 0 files, giving up',
  'Total wall clock time: exceeded, aborting',
  // The line that names a push's or a fetch's remote, and a line of its refs alone: the refs decide the report's level
  // (line-meaning.ts, and its tests in continuation-grouper.test.ts).
  'To /tmp/rec-git/origin.git',
  'To git@github.com:example/crawlers.git',
  'From https://github.com/example/crawlers',
  ' ! [rejected]        main       -> side  (non-fast-forward)',
  '   a896dc1..2b434f9  main       -> origin/main',
  'To be continued',
  'To: crawler@example.com',
  'To do: retry the failed pages',
  'From now on, pages are cached',
  'To https://example.com/ and back',
  'Everything up-to-date but the index',
  'Total 3 pages failed',
  "Cloning into 'copy'... failed",
  'Command exited with non-zero status 3',
  'Command terminated by signal 9',
  'real trouble ahead',
  'user\tnot found',
];

describe('toolProgressLevel', () => {
  it.each(PROGRESS)('INFO: %s', (line) => {
    expect(toolProgressLevel(line, 0, line.length)).toBe(20);
    // As a line of a block, followed by the next line.
    const block = `${line}\nnext line\n`;
    expect(toolProgressLevel(block, 0, line.length)).toBe(20);
  });

  it.each(FAILURES)('none: %s', (line) => {
    expect(toolProgressLevel(line, 0, line.length)).toBeUndefined();
  });

  it.each(['remote: warning: File items.json is 52.00 MB; this is larger than the recommended maximum file size of 50.00 MB', 'remote: WARNING: deprecated'])('WARNING: %s', (line) => {
    expect(toolProgressLevel(line, 0, line.length)).toBe(30);
  });

  it('reads the line it is given, not the next, nor past its end', () => {
    const block = 'Cloning into\ncopy...\n';
    expect(toolProgressLevel(block, 0, 'Cloning into'.length)).toBeUndefined();
    expect(toolProgressLevel('Saving to: page.bin', 0, 'Saving'.length)).toBeUndefined();
  });
});

describe('LevelReader', () => {
  it('gives such lines INFO on stderr, and leaves a level word to decide', () => {
    const stderr = new LevelReader(true);
    expect(stderr.detect("Cloning into 'copy'...")).toBe(20);
    expect(stderr.detect('fatal: repository does not exist')).toBe(50);
    expect(stderr.detect('2026-12-07 23:02:33 ERROR 404: File not found.')).toBe(40);
  });

  it('leaves them to the stream on stdout, where INFO is the stream\'s level', () => {
    expect(new LevelReader(false).detect("Cloning into 'copy'...")).toBeUndefined();
  });

  // What a later line takes from an earlier one is a level word's: the tool's line leaves none to take.
  it('does not carry a tool line\'s level to the next line of its shape', () => {
    const stderr = new LevelReader(true);
    expect(stderr.detect('2026-12-07 23:02:33 (385 MB/s) - \u2018page.bin\u2019 saved [600000/600000]')).toBe(20);
    expect(stderr.detect('2026-12-07 23:02:34 (1.2 MB/s) - Read error at byte 5120/10240. Retrying.')).toBeUndefined();
  });
});
