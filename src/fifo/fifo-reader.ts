// Reads a named pipe that writers may open and close many times, as one stream that ends only when asked.
//
// A FIFO reader sees end-of-file whenever its last writer closes. Holding a write end open ourselves means a
// writer that closes and reopens (or a Scrapy spider and then a second process) never ends the stream early. The
// read end is opened O_NONBLOCK (it returns at once, writer or not) and driven by epoll through a net.Socket,
// so nothing blocks the event loop or the thread pool.

import { closeSync, constants, openSync } from 'node:fs';
import { Socket } from 'node:net';

export class FifoReader {
  readonly stream: Socket;
  private keepOpenFd: number | undefined;

  constructor(path: string) {
    const readFd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    this.keepOpenFd = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
    this.stream = new Socket({ fd: readFd, readable: true, writable: false });
  }

  // From now on the stream ends as soon as every other writer has closed the pipe.
  endWhenWritersClose(): void {
    if (this.keepOpenFd === undefined) return;
    closeSync(this.keepOpenFd);
    this.keepOpenFd = undefined;
  }

  close(): void {
    this.endWhenWritersClose();
    this.stream.destroy();
  }
}
