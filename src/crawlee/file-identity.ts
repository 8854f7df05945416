// Which files a directory held before the command started: a crawler run twice in the same place finds the last
// run's items and statistics there until it purges them (or, with CRAWLEE_PURGE_ON_START=false, keeps them and
// numbers its new items after them). A file is the last run's while its inode, size and modification time are
// unchanged; one rewritten or replaced since has a new modification time.

import { readdirSync, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';

export type Identity = string;

export function identityOf(stats: Stats): Identity {
  return `${stats.ino}:${stats.size}:${stats.mtimeMs}`;
}

// Read synchronously, before the command is spawned, so nothing it writes can be taken for what was there. For a
// directory that does not exist (any program that is not a Crawlee crawler) this is one failed call.
export function snapshotDirectory(dir: string, wanted: (name: string) => boolean): Map<string, Identity> {
  const before = new Map<string, Identity>();
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return before;
  }
  for (const name of names) {
    if (!wanted(name)) continue;
    try {
      before.set(name, identityOf(statSync(join(dir, name))));
    } catch {
      // Gone already: nothing of it can be mistaken for new.
    }
  }
  return before;
}
