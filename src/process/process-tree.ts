// The resident memory of a command and every process it started, read from /proc: what a browser crawler really
// uses is mostly in its helpers, not in the command's own process.
//
// Which processes belong to the command: every descendant by parent pid, plus every member of the command's session
// (the command runs in a session of its own) and their descendants. Parent links alone lose a process whose parent
// exited (a double-forked daemon, `sh -c 'a &'` once sh is gone): it is re-parented to PID 1 but stays in the session.
// The session alone loses what called setsid() itself (Puppeteer and Playwright start the browser `detached`), which
// parent links still find. /proc/<pid>/task/*/children would give the links too, but takes one read per thread (a
// browser runs hundreds) and the kernel documents it as unreliable while processes come and go; one scan of
// /proc/*/stat reads one small file per process and gives parent, session and resident pages in one go. That scan
// finds who belongs to the tree; between changes to it, reading the members' own files is enough (tree-sampler.ts).
//
// The figure is the sum of each process's resident set (RSS), as `ps` and Scrapy's own memusage count it. Pages
// shared between processes count once per process, so for a browser it errs on the high side, never the low.

import { closeSync, openSync, readdirSync, readSync } from 'node:fs';

export interface TreeMemory {
  // Resident bytes of the command's processes together.
  bytes: number;
  // How many processes that is (the command included); 0 when the command is gone.
  processes: number;
}

// A full scan's result: the memory, and which processes it found, so that later samples can read only those.
export interface TreeScan extends TreeMemory {
  members: number[];
}

interface ProcessStat {
  pid: number;
  parent: number;
  group: number;
  session: number;
  residentPages: number;
}

// A /proc/<pid>/stat line is far shorter than this; the buffer is reused for every read.
const STAT_BUFFER_BYTES = 1024;
const buffer = Buffer.alloc(STAT_BUFFER_BYTES);

// Synchronous reads on purpose: each is a short kernel call on a small virtual file, cheaper than a round trip
// through the thread pool, and a container holds few processes (the bench prints the cost of a scan).
export function treeMemory(root: number, proc = '/proc'): TreeScan {
  const children = new Map<number, number[]>();
  const all = new Map<number, ProcessStat>();
  for (const name of processDirectories(proc)) {
    const stat = readStat(`${proc}/${name}/stat`);
    if (stat === undefined) continue; // exited since the directory was listed, or a zombie: no memory, no children
    all.set(stat.pid, stat);
    const siblings = children.get(stat.parent);
    if (siblings === undefined) children.set(stat.parent, [stat.pid]);
    else siblings.push(stat.pid);
  }
  if (!all.has(root)) return { bytes: 0, processes: 0, members: [] };
  const seen = new Set<number>();
  const queue = [root];
  for (const stat of all.values()) if (stat.session === root) queue.push(stat.pid);
  let pages = 0;
  while (queue.length > 0) {
    const pid = queue.pop() as number;
    if (seen.has(pid)) continue;
    seen.add(pid);
    pages += all.get(pid)?.residentPages ?? 0;
    for (const child of children.get(pid) ?? []) queue.push(child);
  }
  return { bytes: pages * pageSize(), processes: seen.size, members: [...seen] };
}

// The resident memory of processes already known to be the tree's; undefined when one of them is gone (exited, or
// a zombie), since a process whose parent exits may then leave the tree or a new one take its pid.
export function membersMemory(members: readonly number[], proc = '/proc'): TreeMemory | undefined {
  let pages = 0;
  for (const pid of members) {
    const stat = readStat(`${proc}/${pid}/stat`);
    if (stat === undefined) return undefined;
    pages += stat.residentPages;
  }
  return { bytes: pages * pageSize(), processes: members.length };
}

// Whether a process of the process group `group` is alive, zombies aside: a zombie is gone but for its parent's wait,
// which for an orphan is PID 1's (the wrapper's own, when it runs as PID 1 with no init, or an init that reaps late).
// Undefined when /proc cannot be listed.
export function groupHasLiveMember(group: number, proc = '/proc'): boolean | undefined {
  let names: string[];
  try {
    names = processDirectories(proc);
  } catch {
    return undefined;
  }
  return names.some((name) => readStat(`${proc}/${name}/stat`)?.group === group);
}

// The names of /proc's directories of processes (their pids).
function processDirectories(proc: string): string[] {
  return readdirSync(proc).filter((name) => {
    const code = name.charCodeAt(0);
    return code >= 48 && code <= 57;
  });
}

// Undefined for a process that is gone or a zombie.
// `pid (comm) state ppid pgrp session ... rss ...`: comm may hold spaces and parentheses, so fields are counted from
// the last `)`. rss is field 24, the 22nd after it.
function readStat(path: string): ProcessStat | undefined {
  const text = readProcFile(path);
  if (text === undefined) return undefined;
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  if (fields[0] === 'Z') return undefined;
  return {
    pid: Number.parseInt(text, 10),
    parent: Number(fields[1]),
    group: Number(fields[2]),
    session: Number(fields[3]),
    residentPages: Number(fields[21]) || 0,
  };
}

// The text of a small file of /proc (at most STAT_BUFFER_BYTES), or undefined when it cannot be read.
export function readProcFile(path: string): string | undefined {
  let length: number;
  try {
    const fd = openSync(path, 'r');
    try {
      length = readSync(fd, buffer, 0, STAT_BUFFER_BYTES, 0);
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
  return buffer.toString('latin1', 0, length);
}

let cachedPageSize: number | undefined;

// /proc counts resident memory in pages; the first mapping in /proc/self/smaps names the kernel's page size.
export function pageSize(): number {
  if (cachedPageSize !== undefined) return cachedPageSize;
  cachedPageSize = 4096;
  try {
    const fd = openSync('/proc/self/smaps', 'r');
    try {
      const head = Buffer.alloc(4096);
      const match = /KernelPageSize:\s+(\d+) kB/.exec(head.toString('latin1', 0, readSync(fd, head, 0, head.length, 0)));
      if (match) cachedPageSize = Number(match[1]) * 1024;
    } finally {
      closeSync(fd);
    }
  } catch {
    // no smaps (a restricted /proc): 4 KiB, the page size of every common Linux platform
  }
  return cachedPageSize;
}
