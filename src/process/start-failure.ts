// Why a command could not be started, in words a user can act on: spawn only says ENOENT or EACCES, and ENOENT
// also means "the interpreter named by the script's #! line is missing" or "that line ends in \r" (a script saved
// with Windows line ends), which "not found on PATH" would hide.

import { accessSync, closeSync, constants, openSync, readSync, statSync } from 'node:fs';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { EXIT_NOT_EXECUTABLE, EXIT_NOT_FOUND } from './exit-status.js';

// A #! line longer than this is not one the kernel would run (it reads at most 256 bytes of it).
const SHEBANG_BYTES = 256;

const CRLF_FIX = "convert the file to Unix line ends: dos2unix FILE, or sed -i 's/\\r$//' FILE";

// Why `command` did not start, as tini would report it: 127 when something is missing, 126 when it cannot be run.
export function spawnFailure(command: string, error: NodeJS.ErrnoException, env: NodeJS.ProcessEnv): { status: number; reason: string } {
  const path = locate(command, env.PATH);
  if (error.code === 'ENOENT') {
    if (path === undefined) {
      if (command.includes('/')) return { status: EXIT_NOT_FOUND, reason: `command not found: there is no file ${command}` };
      // The shell's rule: a name without a `/` is looked for on PATH only, not in the current directory.
      if (exists(command)) return { status: EXIT_NOT_FOUND, reason: `command not found: ${command} is on none of the directories of PATH; to run the file ${command} of the current directory, name it ./${command}` };
      return { status: EXIT_NOT_FOUND, reason: `command not found: ${command} is on none of the directories of PATH=${env.PATH ?? ''} (install it, or give its full path)` };
    }
    return { status: EXIT_NOT_FOUND, reason: `command not found: ${interpreterProblem(path) ?? `${path} could not be run (${error.message})`}` };
  }
  if (error.code === 'EACCES' || error.code === 'EPERM') {
    const target = path ?? command;
    // A job runs as another user (nobody on Scrapy Cloud): a program under a directory only its owner may enter, as
    // /root is, cannot be run whatever its own mode is.
    const closed = path === undefined ? closedDirectoriesFor(command, env.PATH) : closedDirectoryOn(path);
    if (closed.length > 0) {
      return {
        status: EXIT_NOT_EXECUTABLE,
        reason: `command is not executable: this user (uid ${process.getuid?.() ?? '?'}) may not enter ${closed.join(', ')}, ` +
          `on the way to ${command} (let every user enter it: chmod o+x ${closed[0]}, or install the program elsewhere, such as /app)`,
      };
    }
    if (isDirectory(target)) return { status: EXIT_NOT_EXECUTABLE, reason: `command is not executable: ${target} is a directory` };
    return {
      status: EXIT_NOT_EXECUTABLE,
      reason: `command is not executable: ${target} does not have execute permission for this user (run chmod +x ${target}, or name its interpreter: sh ${target}, python3 ${target})`,
    };
  }
  return { status: EXIT_NOT_EXECUTABLE, reason: `command could not be started: ${command} (${error.message})` };
}

// For a command that started but exited 126 or 127: its `#!` line ends in \r (`#!/usr/bin/env python3\r` makes env
// look for "python3\r"), which the command's own message does not show. Undefined when that is not the case.
export function crlfShebangHint(command: string, env: NodeJS.ProcessEnv): string | undefined {
  const path = locate(command, env.PATH);
  const line = path === undefined ? undefined : shebangOf(path);
  if (line === undefined || !line.endsWith('\r')) return undefined;
  return `the #! line of ${path} ends in \\r (Windows line ends): ${CRLF_FIX}`;
}

// What is wrong with the interpreter of a script that exists but fails with ENOENT.
function interpreterProblem(path: string): string | undefined {
  const line = shebangOf(path);
  if (line === undefined) return undefined;
  if (line.endsWith('\r')) return `the #! line of ${path} ends in \\r (Windows line ends), so the system looks for an interpreter named "${line.slice(2).trim()}\\r": ${CRLF_FIX}`;
  const interpreter = line.slice(2).trim().split(/\s+/)[0] ?? '';
  return `${path} starts with "${line}", but its interpreter ${interpreter || '(none)'} does not exist (install it, or correct the #! line)`;
}

// The file the system would run for `command`: a path as given, or the first executable match on PATH.
export function locate(command: string, pathVariable: string | undefined): string | undefined {
  if (command.includes('/')) return exists(command) ? command : undefined;
  for (const directory of (pathVariable ?? '').split(delimiter)) {
    if (directory === '' || !isAbsolute(directory)) continue;
    const candidate = join(directory, command);
    if (exists(candidate)) return candidate;
  }
  return undefined;
}

// The first directory on the way to `path` that this user may not enter (search), as a list of one; none when it may
// enter them all.
function closedDirectoryOn(path: string): string[] {
  const directories: string[] = [];
  for (let directory = dirname(resolve(path)); ; directory = dirname(directory)) {
    directories.unshift(directory);
    if (dirname(directory) === directory) break;
  }
  const closed = directories.find((directory) => !mayEnter(directory));
  return closed === undefined ? [] : [closed];
}

// For a command named without a path: the directories of PATH this user may not enter (or not reach), where it may be.
function closedDirectoriesFor(command: string, pathVariable: string | undefined): string[] {
  if (command.includes('/')) return closedDirectoryOn(command);
  const closed = (pathVariable ?? '').split(delimiter).filter(isAbsolute).flatMap((directory) => closedDirectoryOn(join(directory, command)));
  return [...new Set(closed)];
}

function mayEnter(directory: string): boolean {
  try {
    accessSync(directory, constants.X_OK);
    return true;
  } catch (error) {
    // One that does not exist is no reason for EACCES.
    return (error as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

// The first line of a file when it is a `#!` line; undefined otherwise or when it cannot be read.
function shebangOf(path: string): string | undefined {
  let fd: number | undefined;
  try {
    accessSync(path, constants.R_OK);
    fd = openSync(path, 'r');
    const buffer = Buffer.alloc(SHEBANG_BYTES);
    const text = buffer.toString('latin1', 0, readSync(fd, buffer, 0, SHEBANG_BYTES, 0));
    if (!text.startsWith('#!')) return undefined;
    const end = text.indexOf('\n');
    return end === -1 ? text : text.slice(0, end);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
