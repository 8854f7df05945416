#!/usr/bin/env node
// Signal listeners first, from a tiny bundle; the rest loads after (see src/process/early-signals.ts).
import '../dist/early.js';

const { startCrawl } = await import('../dist/start-crawl.js');
process.exit(await startCrawl(process.argv));
