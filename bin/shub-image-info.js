#!/usr/bin/env node
import { shubImageInfo } from '../dist/image-info.js';

process.exit(await shubImageInfo(process.argv));
