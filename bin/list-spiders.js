#!/usr/bin/env node
import { listSpiders } from '../dist/image-info.js';

process.exit(await listSpiders(process.argv));
