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
// its first young collection, which can come before the job starts. A bundle taken from its own code cache sets it
// before that, once Node's modules are loaded (launch/bundle-loader.ts): the cache's data fills the young generation
// as V8 reads it.
export function keepYoungGenerationSmall(): void {
  setFlagsFromString(YOUNG_GENERATION_FLAG);
}

