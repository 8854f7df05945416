// Where a bundle's V8 code cache is kept, and what the launchers are told to do with it: one rule for the loader that
// reads the cache (bundle-loader.ts) and the command that writes it (write-code-caches.ts).

import { join } from 'node:path';
import { ENV_PREFIX } from '../env-prefix.js';

// Set by the code-cache command for the runs that write and check the caches: `write` makes the loader save the cache
// as the process exits, `report` makes it say on stderr whether one was used (also a way to see it for yourself);
// `off` makes it compile the bundle from its text, cache or none (the bench's start-up line without the cache).
export const CODE_CACHE_VARIABLE = `${ENV_PREFIX}CODE_CACHE`;

// The bundles loaded through a code cache, each by the launcher of the same name in bin/.
export const CACHED_BUNDLES = ['cli', 'start-crawl'] as const;
export type CachedBundle = (typeof CACHED_BUNDLES)[number];

// scripts/build.js ends each bundle with this line and a hash of the text before it. V8 checks a cache against the
// length of the source alone, so a cache found by the bundle's name would run the old code of a rebuilt bundle of the
// same length; found by the hash, each build has caches of its own.
const BUNDLE_ID_MARK = '\n//# bundle-id=';

export function bundleIdOf(source: string): string | undefined {
  const at = source.lastIndexOf(BUNDLE_ID_MARK);
  if (at === -1) return undefined;
  const id = source.slice(at + BUNDLE_ID_MARK.length).trim();
  return /^[0-9a-f]{16,64}$/.test(id) ? id : undefined;
}

// One cache per build of a bundle, Node version and processor: V8 rejects a cache that another version made.
export function codeCachePath(distDirectory: string, bundle: CachedBundle, id: string): string {
  return join(distDirectory, 'code-cache', `${bundle}-${id}-${process.version}-${process.arch}.bin`);
}
