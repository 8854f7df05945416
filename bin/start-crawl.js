#!/usr/bin/env node
import { startCrawl } from '../dist/start-crawl.js';

process.exit(await startCrawl(process.argv));
