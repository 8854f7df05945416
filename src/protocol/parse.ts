// Reads one incoming line as the platform would: `CMD {json}` or a bare `{json}` item, checked against the schemas.

import { codeAt } from '../lines/code-at.js';
import { LEVELS, levelFromName, MAX_OUTCOME_CHARS, nearestStandardLevel } from './limits.js';
import { isCommand, isJsonObject, type Command, type JsonObject, type Message } from './message.js';
import { REPAIR, REPAIR_KINDS, repairNonFinite } from './repairs.js';

// `syntax` failures are text that only looks like a message; `schema` failures are JSON objects with a wrong field.
// `repairs` (REPAIR bits, repairs.ts) say what was changed to make the message one the platform accepts.
export type Parsed = { ok: true; message: Message; repairs: number } | { ok: false; kind: 'syntax' | 'schema'; reason: string };
type Failure = { ok: false; kind: 'syntax' | 'schema'; reason: string };

// Where the payload of a protocol-shaped line starts, or -1. Cheap enough for every stdout line: two charCodeAt
// tests decide for almost all lines.
export function payloadStart(line: string, start = 0): number {
  const first = codeAt(line, start);
  if (first === 0x7b /* { */) return 0;
  if (codeAt(line, start + 3) === 0x20 && codeAt(line, start + 4) === 0x7b && isCommand(line.slice(start, start + 3))) return 4;
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

// The message on a line as the platform takes it, or undefined when the line is not protocol-shaped. Strict: a
// value the wrapper would repair in a command's message is a failure here, for judging what the platform gets.
export function parseLine(line: string, now: number): Parsed | undefined {
  const start = payloadStart(line);
  if (start === -1) return undefined;
  const parsed = parseAt(line, start, now);
  if (!parsed.ok || parsed.repairs === 0) return parsed;
  const broken = REPAIR_KINDS.filter(({ repair }) => (parsed.repairs & repair) !== 0).map(({ rule }) => rule);
  return { ok: false, kind: 'schema', reason: broken.join('; ') };
}

// Parses `json`, the payload of `command`; fills a missing `time` (LOG, REQ, STA) and `level` (LOG), and repairs
// what the platform would refuse (see repairs.ts), saying which repairs it made. The returned JSON text keeps the
// writer's own text where it can (numbers as written, key order, `__proto__`); a payload whose fields had to change
// is serialised anew.
export function parsePayload(command: Command, json: string, now: number): Parsed {
  let value: unknown;
  let repairs = 0;
  try {
    value = JSON.parse(json);
  } catch (error) {
    const repaired = repairNonFinite(json);
    if (repaired === undefined) return notJson(command, error);
    try {
      value = JSON.parse(repaired);
    } catch {
      return notJson(command, error);
    }
    json = repaired;
    repairs = REPAIR.NON_FINITE;
  }
  if (!isJsonObject(value)) {
    return { ok: false, kind: 'syntax', reason: `${command} payload must be a JSON object, got ${describe(value)}` };
  }
  const payload: Payload = { json, value, repairs, changed: false };
  const parsed = parseFields(command, payload, now);
  if (!parsed.ok) return parsed;
  if (payload.changed) parsed.message.json = JSON.stringify(value);
  parsed.repairs = payload.repairs;
  return parsed;
}

// A payload being checked: fields that had to change set `changed`, and the repair made.
interface Payload {
  json: string;
  value: JsonObject;
  repairs: number;
  changed: boolean;
}

function parseFields(command: Command, payload: Payload, now: number): Parsed {
  const { value } = payload;
  switch (command) {
    case 'ITM':
      return ok({ command, json: payload.json, value });
    case 'LOG':
      return parseLog(payload, now);
    case 'REQ':
      return parseRequest(payload, now);
    case 'STA':
      if (!isJsonObject(value.stats)) return fail('STA', 'stats', 'an object', value.stats);
      withTime(payload, now);
      return ok({ command, json: payload.json, value: value as JsonObject & { stats: JsonObject } });
    case 'FIN':
      return parseFin(payload);
  }
}

function parseLog(payload: Payload, now: number): Parsed {
  const { value } = payload;
  if (typeof value.message !== 'string') return fail('LOG', 'message', 'a string', value.message);
  if (value.level === undefined) {
    value.level = 20;
    payload.json = addField(payload.json, value, 'level', 20);
  } else {
    const level = standardLevel(value.level);
    if (level !== value.level) change(payload, 'level', level, REPAIR.LEVEL);
  }
  withTime(payload, now);
  return ok({ command: 'LOG', json: payload.json, value: value as JsonObject & { level: number; message: string } });
}

// The level to send for a LOG's `level` field: a standard level stays, any other number becomes the nearest
// standard one at or below it, a name or a number in a string is read as such, and anything else is INFO.
export function standardLevel(level: unknown): number {
  const number = typeof level === 'string' && NUMBER_TEXT.test(level) ? Number(level) : level;
  if (typeof number === 'number' && Number.isFinite(number)) return nearestStandardLevel(number);
  return (typeof level === 'string' ? levelFromName(level) : undefined) ?? LEVELS.INFO;
}

const NUMBER_TEXT = /^\s*-?\d+(?:\.\d+)?\s*$/;

const REQUEST_FIELDS: ReadonlyArray<[string, 'string' | 'integer']> = [
  ['url', 'string'], ['method', 'string'], ['status', 'integer'], ['rs', 'integer'], ['duration', 'integer'],
];

function parseRequest(payload: Payload, now: number): Parsed {
  const { value } = payload;
  for (const [field, type] of REQUEST_FIELDS) {
    const got = value[field];
    if (type === 'string') {
      if (typeof got !== 'string') return fail('REQ', field, 'a string', got);
    } else if (typeof got !== 'number' || !Number.isFinite(got)) {
      return fail('REQ', field, 'an integer', got);
    } else if (!Number.isInteger(got)) {
      change(payload, field, Math.round(got), REPAIR.INTEGER);
    }
  }
  // An index of an earlier request, or nothing: anything else names no request.
  const parent = value.parent;
  if (parent !== undefined && parent !== null && !(Number.isInteger(parent) && (parent as number) >= 0)) {
    change(payload, 'parent', null, REPAIR.PARENT);
  }
  if (value.fp !== undefined && typeof value.fp !== 'string') return fail('REQ', 'fp', 'a string', value.fp);
  withTime(payload, now);
  return ok({ command: 'REQ', json: payload.json, value });
}

function parseFin(payload: Payload): Parsed {
  const { value } = payload;
  const outcome = value.outcome;
  if (typeof outcome !== 'string') return fail('FIN', 'outcome', 'a string', outcome);
  if (outcome.length > MAX_OUTCOME_CHARS) {
    // Never between the halves of a surrogate pair.
    const end = (outcome.charCodeAt(MAX_OUTCOME_CHARS - 1) & 0xfc00) === 0xd800 ? MAX_OUTCOME_CHARS - 1 : MAX_OUTCOME_CHARS;
    change(payload, 'outcome', outcome.slice(0, end), REPAIR.OUTCOME);
  }
  return ok({ command: 'FIN', json: payload.json, value: value as JsonObject & { outcome: string } });
}

// A missing time is the time the line was read; a fractional one is rounded; one that is no number is replaced.
function withTime(payload: Payload, now: number): void {
  const { value } = payload;
  if (value.time === undefined) {
    value.time = now;
    payload.json = addField(payload.json, value, 'time', now);
  } else if (!Number.isInteger(value.time)) {
    change(payload, 'time', messageTime(value.time, now), REPAIR.TIME);
  }
}

// The time to send for a message's `time` field: a number rounded to whole milliseconds, else the time it was read.
export function messageTime(time: unknown, now: number): number {
  return typeof time === 'number' && Number.isFinite(time) ? Math.round(time) : now;
}

function change(payload: Payload, field: string, to: unknown, repair: number): void {
  payload.value[field] = to;
  payload.changed = true;
  payload.repairs |= repair;
}

function ok(message: Message): Parsed {
  return { ok: true, message, repairs: 0 };
}

function notJson(command: Command, error: unknown): Failure {
  return { ok: false, kind: 'syntax', reason: `${command} payload is not valid JSON (${(error as Error).message})` };
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
