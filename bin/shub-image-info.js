#!/usr/bin/env node
require('../dist/image-info.cjs').shubImageInfo(process.argv).then((status) => process.exit(status));
