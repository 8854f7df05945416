// SHUB_JOB_DATA, in every form the reference accepts: raw JSON, a `data:` URI (optional media type, `;charset=`,
// `;base64`), an absolute file path, or a `file://` URI.

import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isJsonObject, type JsonObject } from '../protocol/message.js';

export class JobDataError extends Error {}

// Far more than any job's data (a few KiB of JSON): a bound, so that a path such as /dev/zero cannot fill memory.
export const MAX_JOB_DATA_BYTES = 16 * 1024 * 1024;

export function decodeJobData(raw: string | undefined, variable = 'SHUB_JOB_DATA'): JsonObject {
  if (raw === undefined || raw.trim() === '') {
    throw new JobDataError(`${variable} is not set: Scrapy Cloud sets it for every job (try "shub-entrypoint check" to run a job locally)`);
  }
  const text = readJobDataText(raw.trim(), variable);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // A relative path is read as JSON text: say how a file is named, not only where the JSON went wrong.
    const file = text === raw.trim() && /^[^\s{["]+$/.test(text) ? `; to name a file, give its absolute path (${resolve(text)}) or a file:// URI` : '';
    throw new JobDataError(`${variable} is not valid JSON: ${(error as Error).message}${file}`);
  }
  if (!isJsonObject(value)) throw new JobDataError(`${variable} must be a JSON object, got ${Array.isArray(value) ? 'an array' : typeof value}`);
  return value;
}

function readJobDataText(raw: string, variable: string): string {
  if (raw.startsWith('data:')) return decodeDataUri(raw, variable);
  if (raw.startsWith('file://')) return readJobDataFile(localPath(raw, variable), variable);
  if (raw.startsWith('/')) return readJobDataFile(raw, variable);
  return raw;
}

function localPath(uri: string, variable: string): string {
  try {
    return fileURLToPath(uri);
  } catch (error) {
    throw new JobDataError(`${variable} is the URI "${uri}", which names no local file (${(error as Error).message}); ` +
      'expected file:///an/absolute/path, with any special character percent-encoded');
  }
}

// Only a regular file, read up to the bound: a FIFO would block start-crawl forever, a device could be endless.
// Opened without blocking, then checked on the open descriptor, so the path cannot change in between.
function readJobDataFile(path: string, variable: string): string {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw new JobDataError(`${variable} names the file ${path}, which cannot be read: ${(error as Error).message}`);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) {
      throw new JobDataError(`${variable} names ${path}, which is not a regular file; expected a file holding the job's JSON`);
    }
    if (stats.size > MAX_JOB_DATA_BYTES) {
      throw new JobDataError(`${variable} names the file ${path}, which is ${stats.size} bytes; job data may be at most ${MAX_JOB_DATA_BYTES}`);
    }
    // One byte more than fstat said, to notice a file that changed while it was read.
    const buffer = Buffer.alloc(stats.size + 1);
    let length = 0;
    for (let read = -1; read !== 0 && length < buffer.length;) {
      read = readSync(fd, buffer, length, buffer.length - length, null);
      length += read;
    }
    if (length > stats.size) throw new JobDataError(`${variable} names the file ${path}, which grew while it was read`);
    return buffer.toString('utf8', 0, length);
  } catch (error) {
    if (error instanceof JobDataError) throw error;
    throw new JobDataError(`${variable} names the file ${path}, which cannot be read: ${(error as Error).message}`);
  } finally {
    closeSync(fd);
  }
}

// data:[<media type>][;charset=<charset>][;base64],<data>
function decodeDataUri(uri: string, variable: string): string {
  const comma = uri.indexOf(',');
  if (comma === -1) throw new JobDataError(`${variable} is a data: URI without a comma before its data`);
  const parameters = uri.slice('data:'.length, comma).split(';');
  const data = uri.slice(comma + 1);
  const isBase64 = parameters.at(-1)?.toLowerCase() === 'base64';
  const charset = parameters.find((parameter) => parameter.toLowerCase().startsWith('charset='))?.slice('charset='.length) ?? 'utf-8';
  let decoded: string;
  try {
    decoded = decodeURIComponent(data);
  } catch {
    throw new JobDataError(`${variable} is a data: URI whose percent-encoding is broken (it began: "${data.slice(0, 40)}"); ` +
      'expected %XX sequences of valid UTF-8, or base64 data');
  }
  const bytes = Buffer.from(decoded, isBase64 ? 'base64' : 'utf8');
  try {
    return new TextDecoder(charset).decode(bytes);
  } catch {
    throw new JobDataError(`${variable} is a data: URI with an unknown charset "${charset}"`);
  }
}
