// Starts the command in a process group of its own and signals that whole group, as dumb-init does, so
// grandchildren (browsers, `sh -c 'a & b'`) stop with it.
//
// node:child_process rather than execa: execa's import alone takes longer than Node's own start-up (the bench's
// start-up line would show it), and its promise settles on `close`, which any grandchild holding the pipes can delay for as long as it lives. The
// wrapper needs `exit`, raw streams and its own signal handling, which is exactly what spawn gives.

import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import { statusOf } from './exit-status.js';
import { groupHasLiveMember } from './process-tree.js';
import { spawnFailure } from './start-failure.js';

export type ChildEnd =
  | { started: true; status: number; signal: NodeJS.Signals | null }
  | { started: false; status: number; reason: string };

export class Child {
  readonly stdout: Readable;
  readonly stderr: Readable;
  // Settles when the command's process has exited (not when its pipes close), or failed to start.
  readonly ended: Promise<ChildEnd>;
  private readonly process: ChildProcess;
  private exited = false;
  // Whether the whole group has been sent SIGTERM.
  private groupTerminated = false;

  constructor(command: string, args: readonly string[], env: NodeJS.ProcessEnv) {
    // detached: the child calls setsid(), so its pid is also its process group id.
    this.process = spawn(command, args, { stdio: ['inherit', 'pipe', 'pipe'], detached: true, env });
    this.stdout = this.process.stdout as Readable;
    this.stderr = this.process.stderr as Readable;
    this.ended = new Promise((resolve) => {
      // Signals go through process.kill, so `error` means a failed start. A listener stays attached all the same:
      // an `error` event without one would crash the wrapper.
      this.process.on('error', (error: NodeJS.ErrnoException) => {
        if (this.process.pid !== undefined) return;
        this.exited = true;
        resolve({ started: false, ...spawnFailure(command, error, env) });
      });
      this.process.once('exit', (code, signal) => {
        this.exited = true;
        resolve({ started: true, status: statusOf(code, signal), signal });
      });
    });
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  get running(): boolean {
    return this.process.pid !== undefined && !this.exited;
  }

  // Sends the signal to the command's whole process group (or, without `group`, to the command alone) while the
  // command runs. Never signals anything once it has exited (the group id could be reused) or when it never
  // started (a pid of undefined would mean the wrapper's own group).
  signal(signal: NodeJS.Signals, group: boolean): boolean {
    if (!this.running) return false;
    const pid = this.process.pid as number;
    if (group && signal === 'SIGTERM') this.groupTerminated = true;
    return group ? signalGroup(pid, signal) : signalOne(pid, signal);
  }

  // After the command exits, what is left of its group (background jobs it started, the program a launcher ran)
  // gets SIGTERM, unless the group has had one already: many programs take a second for "stop now, unclean"
  // (Scrapy, Crawlee), and the first is still being acted on. After a SIGINT to the group they get it all the same:
  // a shell starts its background jobs with SIGINT ignored.
  terminateLeftovers(): void {
    const pid = this.process.pid;
    if (pid !== undefined && this.exited && !this.groupTerminated) signalGroup(pid, 'SIGTERM');
  }

  // Whether any process of the command's group is left after the command exited, zombies aside (process-tree.ts). A
  // group's id is not given to a new process while the group has members, so while this holds, signalling the group
  // reaches only the command's own.
  get leftoversRunning(): boolean {
    const pid = this.process.pid;
    if (pid === undefined || !this.exited) return false;
    try {
      process.kill(-pid, 0);
    } catch (error) {
      // EPERM: there is a process in the group, which the wrapper may not signal (it changed its user).
      if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
    }
    return groupHasLiveMember(pid) ?? true;
  }

  // SIGKILL for what is left of the group after the command exited; whether there was any.
  killLeftovers(): boolean {
    return this.leftoversRunning && signalGroup(this.process.pid as number, 'SIGKILL');
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    // ESRCH: the group is gone (or the command left it); the command itself may still be there.
    return signalOne(pid, signal);
  }
}

function signalOne(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}
