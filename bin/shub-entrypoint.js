#!/usr/bin/env node
// Signal listeners first, from a tiny bundle (src/process/early-signals.ts).
require('../dist/early.cjs');

require('../dist/cli.cjs').main(process.argv).then((status) => process.exit(status));
