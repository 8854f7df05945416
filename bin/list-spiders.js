#!/usr/bin/env node
require('../dist/image-info.cjs').listSpiders(process.argv).then((status) => process.exit(status));
