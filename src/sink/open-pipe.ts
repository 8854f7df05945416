// Opens the job's named pipe for writing without ever blocking Node's event loop or its thread pool.
//
// fs.open on a FIFO blocks a libuv pool thread until a reader opens it, and a few such calls freeze even
// process.exit(). Opening with O_NONBLOCK returns at once (ENXIO while nobody reads, so retry with backoff), and a
// net.Socket on the fd is epoll-driven: write() reports backpressure and `drain` follows, EPIPE arrives as an error.

import { closeSync, constants, createWriteStream, fstatSync, openSync, statSync } from 'node:fs';
import { Socket } from 'node:net';
import type { Writable } from 'node:stream';

const FIRST_RETRY_MS = 5;
const MAX_RETRY_MS = 250;

export class PipeOpenError extends Error {}

// An open pipe: its stream, and for a FIFO the stream's non-blocking fd (see BatchedWriter).
export interface OpenPipe {
  stream: Writable;
  fd?: number;
}

// Tries once. Returns the pipe, or null while the FIFO has no reader yet.
function tryOpen(path: string): OpenPipe | null {
  checkKind(path);
  let fd: number;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK | constants.O_APPEND);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENXIO') return null;
    throw new PipeOpenError(`cannot open the job's pipe ${path}: ${explainOpenError(code, error as Error)}`);
  }
  const stat = fstatSync(fd);
  if (stat.isFIFO()) return { stream: new Socket({ fd, readable: false, writable: true }), fd };
  if (stat.isFile() || stat.isCharacterDevice()) {
    // A plain file (or /dev/null) is accepted for local runs; a socket cannot drive it, the fs stream can.
    return { stream: createWriteStream(path, { fd }) };
  }
  closeSync(fd);
  throw new PipeOpenError(`cannot open the job's pipe ${path}: it is neither a named pipe nor a writable file`);
}

// A socket answers open() with ENXIO just like a FIFO without a reader: without this check it would be waited for
// forever.
function checkKind(path: string): void {
  let stat;
  try {
    stat = statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new PipeOpenError(`cannot open the job's pipe ${path}: ${explainOpenError(code, error as Error)}`);
  }
  if (!stat.isFIFO() && !stat.isFile() && !stat.isCharacterDevice()) {
    throw new PipeOpenError(`cannot open the job's pipe ${path}: it is ${stat.isDirectory() ? 'a directory' : 'neither a named pipe nor a file'}`);
  }
}

function explainOpenError(code: string | undefined, error: Error): string {
  switch (code) {
    case 'ENOENT':
      return 'it does not exist (SHUB_FIFO_PATH must name a FIFO made by the platform; unset it to write to stdout)';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied (the pipe must be writable by this user)';
    case 'EISDIR':
      return 'it is a directory, not a named pipe';
    case 'ENOTDIR':
      return 'a component of the path is not a directory';
    default:
      return error.message;
  }
}

// A pipe being opened: `ready` resolves once a reader is there; `cancel(why)` stops waiting, `why` ending the message
// `ready` then rejects with.
export interface PendingPipe {
  readonly path: string;
  readonly ready: Promise<OpenPipe>;
  cancel(why?: string): void;
}

// Throws PipeOpenError at once for a path that can never work, so the caller fails before starting anything.
export function openPipe(path: string): PendingPipe {
  const first = tryOpen(path);
  if (first) return { path, ready: Promise.resolve(first), cancel: () => {} };

  let timer: NodeJS.Timeout | undefined;
  let rejectReady: (error: Error) => void = () => {};
  const ready = new Promise<OpenPipe>((resolve, reject) => {
    rejectReady = reject;
    const retry = (delay: number): void => {
      timer = setTimeout(() => {
        try {
          const pipe = tryOpen(path);
          if (pipe) resolve(pipe);
          else retry(Math.min(delay * 2, MAX_RETRY_MS));
        } catch (error) {
          reject(error as Error);
        }
      }, delay);
    };
    retry(FIRST_RETRY_MS);
  });
  return {
    path,
    ready,
    cancel: (why = '') => {
      clearTimeout(timer);
      rejectReady(new PipeOpenError(`gave up waiting for a reader on the job's pipe ${path}${why}`));
    },
  };
}
