#!/usr/bin/env node
import { shubImageInfo } from '../dist/contract/image-info.js';

process.exit(await shubImageInfo(process.argv));
