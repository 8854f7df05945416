// V8's young generation kept at its starting size for the whole job. Left to grow, it grows with the output's
// throughput (objects that survive a young collection ask for more room), to several times its starting size, and
// that room stays resident: it took peak memory over the goal on most of the bench's scenarios (its peak RSS column),
// with no gain in speed.

import { setFlagsFromString } from 'node:v8';

// The growth factor, not the young generation's largest size: V8 reads the largest size once, when it sets up the
// heap, so only a flag given at launch sets it, and on Node 20 any flag given at launch makes Node compile its own
// modules (child_process, net, streams) without their code cache, which is checked against the flags (the bench's
// start-up line shows it). The growth factor is read each time the young generation would grow, so it can be set at
// run time.
const YOUNG_GENERATION_FLAG = '--semi-space-growth-factor=1';

// Called by each entry point that runs a job or reads one, first thing: the bundle is loaded by then (it loads every
// Node module it uses as it loads), and a flag set at run time changes the flags the code cache is checked against
// too, so that the Node modules loaded after it are compiled from source; and Node 24 grows the young generation at
// its first young collection, which can come before the job starts.
export function keepYoungGenerationSmall(): void {
  setFlagsFromString(YOUNG_GENERATION_FLAG);
}

// V8's own growth factor, for the code cache's writer (launch/bundle-loader.ts): a cache is checked against the
// flags in force when it was written, and a later start loads the bundle before it sets the flag above. No API reads
// a flag's value; should a V8 change this default, the code-cache command's check that a new start uses the cache
// fails and says so (the build runs it).
const YOUNG_GENERATION_DEFAULT_FLAG = '--semi-space-growth-factor=2';

export function restoreYoungGenerationDefault(): void {
  setFlagsFromString(YOUNG_GENERATION_DEFAULT_FLAG);
}
