#!/usr/bin/env node
import { startCrawl } from '../dist/contract/start-crawl.js';

process.exit(await startCrawl(process.argv));
