// Where a Crawlee or Apify crawler keeps its default storages, found the way the libraries find them, so the
// wrapper reads the same files the crawler writes without the crawler being told anything.
//
// The wrapper never sets CRAWLEE_STORAGE_DIR itself. On Scrapy Cloud the command runs in an empty, writable
// /scrapinghub, so `./storage` is fresh there; on a user's machine `./storage` is where they look for their results
// and where an Apify actor keeps its INPUT, which a directory of the wrapper's own would hide. Files left by an
// earlier run are told apart by their identity instead (file-identity.ts).

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export interface CrawleeStorage {
  datasetDir: string;
  keyValueStoreDir: string;
  requestQueueDir: string;
}

// Apify's SDK passes APIFY_LOCAL_STORAGE_DIR to its storage explicitly, which takes precedence over Crawlee's own
// variable; Crawlee before 3.0.1 used `./crawlee_storage`, and still does where that directory exists.
export function crawleeStorage(env: NodeJS.ProcessEnv, cwd: string): CrawleeStorage {
  const root = resolve(cwd, nonEmpty(env.APIFY_LOCAL_STORAGE_DIR) ?? nonEmpty(env.CRAWLEE_STORAGE_DIR) ??
    (existsSync(resolve(cwd, 'crawlee_storage')) ? 'crawlee_storage' : 'storage'));
  return {
    datasetDir: resolve(root, 'datasets', nonEmpty(env.CRAWLEE_DEFAULT_DATASET_ID) ?? 'default'),
    keyValueStoreDir: resolve(root, 'key_value_stores', nonEmpty(env.CRAWLEE_DEFAULT_KEY_VALUE_STORE_ID) ?? 'default'),
    requestQueueDir: resolve(root, 'request_queues', nonEmpty(env.CRAWLEE_DEFAULT_REQUEST_QUEUE_ID) ?? 'default'),
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
