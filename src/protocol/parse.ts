// Reads one incoming line as the platform would: `CMD {json}` or a bare `{json}` item, checked against the schemas.

import { MAX_OUTCOME_CHARS } from './limits.js';
import { isCommand, isJsonObject, type Command, type JsonObject, type Message } from './message.js';

// `syntax` failures are text that only looks like a message; `schema` failures are JSON objects with a wrong field.
export type Parsed = { ok: true; message: Message } | { ok: false; kind: 'syntax' | 'schema'; reason: string };
type Failure = { ok: false; kind: 'syntax' | 'schema'; reason: string };

// Where the payload of a protocol-shaped line starts, or -1. Cheap enough for every stdout line: two charCodeAt
// tests decide for almost all lines.
export function payloadStart(line: string): number {
  const first = line.charCodeAt(0);
  if (first === 0x7b /* { */) return 0;
  if (line.charCodeAt(3) === 0x20 && line.charCodeAt(4) === 0x7b && isCommand(line.slice(0, 3))) return 4;
  return -1;
}

export function commandOf(line: string, start: number): Command {
  return start === 0 ? 'ITM' : (line.slice(0, 3) as Command);
}

// Said of a line that is not protocol-shaped at all.
export const NOT_A_MESSAGE = 'not a protocol message: expected ITM, LOG, REQ, STA or FIN, one space and a JSON object';

// The message on a line whose payload starts at `start` (from payloadStart).
export function parseAt(line: string, start: number, now: number): Parsed {
  return parsePayload(commandOf(line, start), start === 0 ? line : line.slice(start), now);
}

// The message on a line, or undefined when the line is not protocol-shaped.
export function parseLine(line: string, now: number): Parsed | undefined {
  const start = payloadStart(line);
  return start === -1 ? undefined : parseAt(line, start, now);
}

// Parses `json`, the payload of `command`; fills a missing `time` (LOG, REQ, STA) and `level` (LOG).
// The returned JSON text keeps the writer's own text where it can (numbers as written, key order, `__proto__`).
export function parsePayload(command: Command, json: string, now: number): Parsed {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    return { ok: false, kind: 'syntax', reason: `${command} payload is not valid JSON (${(error as Error).message})` };
  }
  if (!isJsonObject(value)) {
    return { ok: false, kind: 'syntax', reason: `${command} payload must be a JSON object, got ${describe(value)}` };
  }

  switch (command) {
    case 'ITM':
      return { ok: true, message: { command, json, value } };
    case 'LOG':
      return parseLog(json, value, now);
    case 'REQ':
      return parseRequest(json, value, now);
    case 'STA':
      return parseStats(json, value, now);
    case 'FIN':
      return parseFin(json, value);
  }
}

function parseLog(json: string, value: JsonObject, now: number): Parsed {
  if (typeof value.message !== 'string') return fail('LOG', 'message', 'a string', value.message);
  if (value.level === undefined) {
    value.level = 20;
    json = addField(json, value, 'level', 20);
  } else if (!Number.isInteger(value.level)) {
    return fail('LOG', 'level', 'an integer (10, 20, 30, 40 or 50)', value.level);
  }
  const timed = withTime('LOG', json, value, now);
  if (!timed.ok) return timed;
  return { ok: true, message: { command: 'LOG', json: timed.json, value: value as JsonObject & { level: number; message: string } } };
}

const REQUEST_FIELDS: ReadonlyArray<[string, 'string' | 'integer']> = [
  ['url', 'string'], ['method', 'string'], ['status', 'integer'], ['rs', 'integer'], ['duration', 'integer'],
];

function parseRequest(json: string, value: JsonObject, now: number): Parsed {
  for (const [field, type] of REQUEST_FIELDS) {
    const ok = type === 'string' ? typeof value[field] === 'string' : Number.isInteger(value[field]);
    if (!ok) return fail('REQ', field, type === 'string' ? 'a string' : 'an integer', value[field]);
  }
  if (value.parent !== undefined && value.parent !== null && !Number.isInteger(value.parent)) {
    return fail('REQ', 'parent', 'an integer or null', value.parent);
  }
  if (value.fp !== undefined && typeof value.fp !== 'string') return fail('REQ', 'fp', 'a string', value.fp);
  const timed = withTime('REQ', json, value, now);
  if (!timed.ok) return timed;
  return { ok: true, message: { command: 'REQ', json: timed.json, value } };
}

function parseStats(json: string, value: JsonObject, now: number): Parsed {
  if (!isJsonObject(value.stats)) return fail('STA', 'stats', 'an object', value.stats);
  const timed = withTime('STA', json, value, now);
  if (!timed.ok) return timed;
  return { ok: true, message: { command: 'STA', json: timed.json, value: value as JsonObject & { stats: JsonObject } } };
}

function parseFin(json: string, value: JsonObject): Parsed {
  if (typeof value.outcome !== 'string') return fail('FIN', 'outcome', 'a string', value.outcome);
  if (value.outcome.length > MAX_OUTCOME_CHARS) {
    return { ok: false, kind: 'schema', reason: `FIN outcome is ${value.outcome.length} characters; the platform allows at most ${MAX_OUTCOME_CHARS}` };
  }
  return { ok: true, message: { command: 'FIN', json, value: value as JsonObject & { outcome: string } } };
}

function withTime(command: Command, json: string, value: JsonObject, now: number): { ok: true; json: string } | Failure {
  if (value.time === undefined) {
    value.time = now;
    return { ok: true, json: addField(json, value, 'time', now) };
  }
  if (!Number.isInteger(value.time)) {
    return fail(command, 'time', 'an integer (Unix time in milliseconds)', value.time);
  }
  return { ok: true, json };
}

// Inserts a field at the front of the object's text instead of re-serialising the whole payload.
function addField(json: string, value: JsonObject, name: string, fieldValue: number): string {
  const body = json.slice(json.indexOf('{') + 1);
  const isEmpty = Object.keys(value).length === 1; // only the field just added
  return '{"' + name + '":' + fieldValue + (isEmpty ? '' : ',') + body;
}

function fail(command: Command, field: string, expected: string, got: unknown): Failure {
  return { ok: false, kind: 'schema', reason: `${command} field "${field}" must be ${expected}, got ${describe(got)}` };
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  const text = JSON.stringify(value);
  return typeof value === 'string' ? `the string ${text.length > 40 ? text.slice(0, 40) + '…"' : text}`
    : `${typeof value} ${text.length > 40 ? text.slice(0, 40) + '…' : text}`;
}
