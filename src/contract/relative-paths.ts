// Paths in spiders.json that only work from the directory they were written in. Scrapy Cloud runs every job in an
// empty /scrapinghub, so a relative path that works on the developer's machine fails after the deploy; `check`,
// `list-spiders` and `shub-image-info --debug` say so before that.

import { isAbsolute } from 'node:path';
import type { SpidersConfig } from './spiders-config.js';

// Extensions of the files a spider's command names: scripts, programs' inputs and configs.
const FILE_EXTENSION = /\.(py|js|mjs|cjs|ts|sh|bash|rb|pl|php|jar|json|jsonl|jl|ya?ml|toml|cfg|ini|txt|csv)$/i;

// Whether a word is a relative path: it has a slash or a file name's extension, and is not an option, a URL, an
// absolute path, an argument template or a `NAME=VALUE` pair.
function isRelativePath(word: string): boolean {
  if (word === '' || isAbsolute(word) || word.startsWith('-') || word.includes('://') || word.includes('=') || word.includes('{')) return false;
  return word.includes('/') || FILE_EXTENSION.test(word);
}

// One sentence per relative path, naming the spider and the word.
export function relativePathWarnings(config: SpidersConfig): string[] {
  const warnings: string[] = [];
  for (const [name, spider] of [...config.spiders].sort(([a], [b]) => a.localeCompare(b))) {
    const [program, ...args] = spider.command;
    // A bare program name is looked up on PATH, which works anywhere.
    const words = (program as string).includes('/') ? spider.command : args;
    for (const word of words.filter(isRelativePath)) {
      warnings.push(`spider "${name}": "${word}" is a relative path, but jobs run in an empty directory (/scrapinghub on ` +
        `Scrapy Cloud) where it will not be found: use an absolute path such as /app/${word.replace(/^(\.\/)+/, '')}`);
    }
  }
  return warnings;
}
