#!/usr/bin/env node
// Signal listeners first, from a tiny bundle (src/process/early-signals.ts).
require('../dist/early.cjs');

require('../dist/start-crawl.cjs').startCrawl(process.argv).then((status) => process.exit(status));
