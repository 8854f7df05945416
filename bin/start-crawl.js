#!/bin/sh
":" //; exec node --max-semi-space-size=2 "$0" "$@"
// The line above is read by sh and skipped by Node (a string, then a comment). Run as a program (by PATH, npm's bin
// link, an image's ENTRYPOINT), the file runs itself under Node with a flag V8 honours only at launch: a capped young
// generation keeps peak memory under 100 MiB on long non-ASCII lines, where v8.setFlagsFromString at run time was
// measured to change nothing. /bin/sh is on every image, `env -S` in a #! line is not (BusyBox), and NODE_OPTIONS
// would reach the command too. Then signal listeners first, from a tiny bundle (src/process/early-signals.ts).
require('../dist/early.cjs');

require('../dist/start-crawl.cjs').startCrawl(process.argv).then((status) => process.exit(status));
