// V8's young generation kept at its starting size for the whole job. Left to grow, it grows with the output's
// throughput (objects that survive a young collection ask for more room), to several times its starting size, and
// that room stays resident: it took peak memory past 64 MiB on most of the bench's scenarios, with no gain in speed.

import { setFlagsFromString } from 'node:v8';

// The growth factor, not the young generation's largest size: V8 reads the largest size once, when it sets up the
// heap, so only a flag given at launch sets it, and on Node 20 any flag given at launch makes Node compile its own
// modules (child_process, net, streams) without their code cache, which is checked against the flags: 7 ms of
// start-up. The growth factor is read each time the young generation would grow, so it can be set at run time.
export const YOUNG_GENERATION_FLAG = '--semi-space-growth-factor=1';

// Call once the bundle is loaded (it loads every Node module it uses as it loads) and before the job allocates
// much: a flag set at run time changes the flags the code cache is checked against too, so the Node modules loaded
// after it are compiled from source; and Node 24 grows the young generation at its first young collection, early in
// a job.
export function keepYoungGenerationSmall(): void {
  setFlagsFromString(YOUNG_GENERATION_FLAG);
}
