#!/usr/bin/env node
// Signal listeners first, from a tiny bundle; the rest loads after (see src/process/early-signals.ts).
import '../dist/early.js';

const { main } = await import('../dist/cli.js');
process.exit(await main(process.argv));
