#!/usr/bin/env node
// Signal listeners first, from a tiny bundle (src/process/early-signals.ts); then the command's own bundle, from its
// code cache when there is one (src/launch/bundle-loader.ts).
require('../dist/early.cjs');
require('../dist/loader.cjs').loadBundle('cli').main(process.argv).then((status) => process.exit(status));
