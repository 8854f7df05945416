// Caps V8's young generation, before the hot path allocates anything.
//
// At ~100 MB/s of output the wrapper allocates short-lived strings fast, and V8 grows its semi-spaces to 16 MiB
// each, which is most of the wrapper's RSS. Measured on a 40 MB Cyrillic line (6× escaping): 120 MB peak RSS
// by default, 94 MB with this cap set here (1, 2 and 4 MiB measured alike), same speed. (As a launch flag it reaches 84 MB, but a flag in the
// shebang needs `env -S`, which BusyBox images lack.)

import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--max-semi-space-size=2');
