// Where a bundle's V8 code cache is kept, in what form, and what the launchers are told to do with it: one rule for
// the loader that reads the cache (bundle-loader.ts) and the command that writes it (write-code-caches.ts).

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ENV_PREFIX } from '../env-prefix.js';

// Set by the code-cache command for the runs that write and check the caches: `write` makes the loader save the cache
// as the process exits, `report` makes it say on stderr whether one was used (also a way to see it for yourself);
// `off` makes it load the bundle as if there were no cache (the bench's start-up line without the cache).
export const CODE_CACHE_VARIABLE = `${ENV_PREFIX}CODE_CACHE`;

// The line a start writes on stderr under `report`, and what the code-cache command reads of it.
export function codeCacheReport(bundle: CachedBundle, verdict: string): string {
  return `shub-entrypoint: code cache of dist/${bundle}.cjs: ${verdict}\n`;
}

export function reportedVerdict(stderr: string): string | undefined {
  return /^shub-entrypoint: code cache of \S+: (.*)$/m.exec(stderr)?.[1];
}

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

// The file: a mark, the CRC-32 of V8's data, the path of the bundle it was made from, then the data. V8 checks a
// cache's header, not its data (a release build keeps no checksum of it): a damaged cache crashed V8 or made it hang,
// where a checked one is refused and the bundle loaded as without a cache. CRC-32, as Node's own compile cache checks
// its files: loading node:crypto for a digest cost more start-up than the cache saves in part (the bench's start-up
// line). Node 20's V8 also keeps the script's name from the cache, so a cache used by a copy of the package elsewhere
// would name the old path in every stack trace.
const MARK = Buffer.from('shub-entrypoint code cache 1\n', 'latin1');
const DIGEST_BYTES = 4;

// zlib.crc32 came with Node 20.15: an older Node has no cache. node:zlib is loaded only once there is a cache to
// check, since a start with none takes Node's own path (bundle-loader.ts) and should pay for nothing more.
type Crc32 = (data: Uint8Array) => number;
let crc32: Crc32 | undefined;

function loadCrc32(): Crc32 | undefined {
  crc32 ??= (createRequire(import.meta.url)('node:zlib') as { crc32?: Crc32 }).crc32;
  return crc32;
}

export function codeCacheUnsupported(): string | undefined {
  return loadCrc32() === undefined ? `Node ${process.version} has no zlib.crc32, which came with Node 20.15` : undefined;
}

// Only where codeCacheUnsupported() said none.
export function encodeCodeCache(bundleFile: string, data: Buffer): Buffer {
  const path = Buffer.from(bundleFile + '\n', 'utf8');
  return Buffer.concat([MARK, digestOf(data), path, data]);
}

// V8's data from a cache file, when it is whole and made from `bundleFile`; else what is wrong with it.
export type CodeCacheRead = { data: Buffer; problem?: undefined } | { data?: undefined; problem: string };

export function readCodeCache(cacheFile: string, bundleFile: string): CodeCacheRead {
  let file: Buffer;
  try {
    file = readFileSync(cacheFile);
  } catch (error) {
    const { code } = error as NodeJS.ErrnoException;
    if (code === 'ENOENT') return { problem: `none for Node ${process.version} (run "shub-entrypoint code-cache" to write one)` };
    return { problem: `unreadable (${code ?? String(error)}: ${cacheFile}); run "shub-entrypoint code-cache" again` };
  }
  const unsupported = codeCacheUnsupported();
  if (unsupported !== undefined) return { problem: `not used: ${unsupported}` };
  const pathStart = MARK.length + DIGEST_BYTES;
  const pathEnd = file.indexOf(0x0a, pathStart);
  const damaged = { problem: `damaged (${cacheFile}); run "shub-entrypoint code-cache" again` };
  if (!file.subarray(0, MARK.length).equals(MARK) || pathEnd === -1) return damaged;
  const madeFrom = file.toString('utf8', pathStart, pathEnd);
  if (madeFrom !== bundleFile) return { problem: `written for ${madeFrom}, not this copy; run "shub-entrypoint code-cache" here` };
  const data = file.subarray(pathEnd + 1);
  if (!digestOf(data).equals(file.subarray(MARK.length, pathStart))) return damaged;
  return { data };
}

function digestOf(data: Buffer): Buffer {
  const digest = Buffer.alloc(DIGEST_BYTES);
  digest.writeUInt32BE((loadCrc32() as Crc32)(data));
  return digest;
}
