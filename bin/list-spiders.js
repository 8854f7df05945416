#!/usr/bin/env node
import { listSpiders } from '../dist/contract/image-info.js';

process.exit(await listSpiders(process.argv));
