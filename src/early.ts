// The launchers' first import: signal listeners before anything else is loaded (see process/early-signals.ts).

import { installEarlySignals } from './process/early-signals.js';

installEarlySignals();
