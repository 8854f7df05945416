// The signals the wrapper passes on to the command, as tini does (all but SIGCHLD and the fault signals that Node
// cannot meaningfully catch). A module of its own so that the launchers' first bundle (early-signals.ts) stays tiny.

export const FORWARDED_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGWINCH'] as const;
export type ForwardedSignal = (typeof FORWARDED_SIGNALS)[number];
