// SHUB_JOB_DATA, in every form the reference accepts: raw JSON, a `data:` URI (optional media type, `;charset=`,
// `;base64`), an absolute file path, or a `file://` URI.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isJsonObject, type JsonObject } from '../protocol/message.js';

export class JobDataError extends Error {}

export function decodeJobData(raw: string | undefined, variable = 'SHUB_JOB_DATA'): JsonObject {
  if (raw === undefined || raw.trim() === '') {
    throw new JobDataError(`${variable} is not set: Scrapy Cloud sets it for every job (try "shub-entrypoint check" to run a job locally)`);
  }
  const text = readJobDataText(raw.trim(), variable);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new JobDataError(`${variable} is not valid JSON: ${(error as Error).message}`);
  }
  if (!isJsonObject(value)) throw new JobDataError(`${variable} must be a JSON object, got ${Array.isArray(value) ? 'an array' : typeof value}`);
  return value;
}

function readJobDataText(raw: string, variable: string): string {
  if (raw.startsWith('data:')) return decodeDataUri(raw, variable);
  if (raw.startsWith('file://') || raw.startsWith('/')) {
    const path = raw.startsWith('file://') ? fileURLToPath(raw) : raw;
    try {
      return readFileSync(path, 'utf8');
    } catch (error) {
      throw new JobDataError(`${variable} names the file ${path}, which cannot be read: ${(error as Error).message}`);
    }
  }
  return raw;
}

// data:[<media type>][;charset=<charset>][;base64],<data>
function decodeDataUri(uri: string, variable: string): string {
  const comma = uri.indexOf(',');
  if (comma === -1) throw new JobDataError(`${variable} is a data: URI without a comma before its data`);
  const parameters = uri.slice('data:'.length, comma).split(';');
  const data = uri.slice(comma + 1);
  const isBase64 = parameters.at(-1)?.toLowerCase() === 'base64';
  const charset = parameters.find((parameter) => parameter.toLowerCase().startsWith('charset='))?.slice('charset='.length) ?? 'utf-8';
  const bytes = isBase64 ? Buffer.from(decodeURIComponent(data), 'base64') : Buffer.from(decodeURIComponent(data), 'utf8');
  try {
    return new TextDecoder(charset).decode(bytes);
  } catch {
    throw new JobDataError(`${variable} is a data: URI with an unknown charset "${charset}"`);
  }
}
