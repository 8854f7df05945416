// Recognises a structured log record (pino, bunyan, winston's json format, Go's slog, zap and zerolog, structlog,
// python-json-logger, Crawlee's JSON format) in a JSON object line, so that it becomes a log message with its level
// instead of an item or an ERROR line.
//
// The rule is deliberately narrow, so that a real item with a field named `level` stays an item. A line is a log
// record when its object has all three of:
//   - a level: the first of `level`, `severity`, `levelname`, `log.level` (a dotted key, or `log` → `level`), `@l`,
//     holding a level name (limits.ts: levelFromName) or a number on the scale of its library: pino's and bunyan's
//     (10 trace … 60 fatal) when the field is `level` and the message is `msg`, else Python's (10 … 50);
//   - a message: the first of `msg`, `message`, `event`, `@m`, `@mt`, a string;
//   - a time: one of `time`, `ts`, `timestamp`, `@timestamp`, `@t`, `asctime`.
// The message sent is the record's text, then its other fields as compact JSON (the level and time fields are in
// the LOG itself), then each stack the record carries (`err.stack`, `error.stack`, `stack`, `exception`, `exc_info`,
// `stack_trace`, zap's `stacktrace`) on the lines after.
//
// loguru's JSON sink (`serialize=True`) nests its record: `{"text": …, "record": {"level": {"name": …}, "message": …,
// "time": {…}, "extra": {…}, "exception": …}}`. Such a line is a record too: its message is the record's, then its
// `extra` fields, then the traceback, which only `text` holds (on the lines after its first).

import { levelFromName, levelFromNumber } from '../protocol/limits.js';
import { isJsonObject, type JsonObject } from '../protocol/message.js';
import { codeAt } from './code-at.js';

const LEVEL_FIELDS = ['level', 'severity', 'levelname', 'log.level', '@l'];
const MESSAGE_FIELDS = ['msg', 'message', 'event', '@m', '@mt'];
const TIME_FIELDS = ['time', 'ts', 'timestamp', '@timestamp', '@t', 'asctime'];
const ERROR_FIELDS = ['err', 'error'];
const STACK_FIELDS = ['stack', 'exception', 'exc_info', 'stack_trace', 'stacktrace'];

// A line without one of these keys cannot be a record; tested before any parse. Global, to find the next one in a
// block of lines (see nextRecordHint).
const HINT = /"(?:level|severity|levelname|log\.level|log|@l)"\s*:/g;

// Where the next line that may be a record has its level key, at or after `from`; -1 when there is none.
export function nextRecordHint(text: string, from: number): number {
  HINT.lastIndex = from;
  const match = HINT.exec(text);
  return match === null ? -1 : match.index;
}

// What a record becomes: a log message at a platform level.
export interface LogRecord {
  level: number;
  message: string;
}

// The record a line holds, or undefined for any other line (an item, text, a dict repr).
// `levelOnly`: on a stream where an object line is never an item (stderr), a level is enough: zerolog's `.Send()`
// writes no message and winston's default format no time, and such a line is a log there either way.
export function jsonLogRecord(line: string, levelOnly = false): LogRecord | undefined {
  return parsedLogRecord(line, levelOnly)?.record;
}

// The same, with the layout of its fields (record-shapes.ts reads it), which a loguru record has none of.
export function parsedLogRecord(line: string, levelOnly = false): { record: LogRecord; layout?: RecordLayout } | undefined {
  if (!looksLikeJsonObject(line) || nextRecordHint(line, 0) === -1) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!isJsonObject(value)) return undefined;
  const layout = recordLayout(value);
  if (layout !== undefined) return { record: recordOf(value, layout), layout };
  const record = loguruRecord(value) ?? (levelOnly ? levelOnlyRecord(value) : undefined);
  return record === undefined ? undefined : { record };
}

// A record by its level alone: its text, if it has one, and its other fields. A level number with no text says
// nothing of its scale unless the record is pino's (its `pid` and `hostname`, as `logger.info({page: 3})` writes):
// such a record is not taken.
function levelOnlyRecord(value: JsonObject): LogRecord | undefined {
  const messageField = MESSAGE_FIELDS.find((field) => typeof value[field] === 'string');
  const pino = messageField === 'msg' || (messageField === undefined && value.pid !== undefined && value.hostname !== undefined);
  const found = levelOf(value, pino);
  if (found === undefined || (messageField === undefined && !pino && found.field !== undefined && typeof value[found.field] === 'number')) return undefined;
  const timeField = TIME_FIELDS.find((field) => value[field] !== undefined);
  const record = recordOf(value, { levelField: found.field, level: found.level, messageField, timeField });
  // Nothing but a level and a time (zerolog's `.Send()` with no fields): the line itself says more than nothing.
  return record.message === '' ? { level: record.level, message: JSON.stringify(value) } : record;
}

function loguruRecord(value: JsonObject): LogRecord | undefined {
  const { text, record } = value;
  if (typeof text !== 'string' || !isJsonObject(record) || Object.keys(value).length !== 2) return undefined;
  const { level, message, time, extra, exception } = record;
  if (!isJsonObject(level) || typeof message !== 'string' || time === undefined) return undefined;
  // A level of the program's own has a name no table knows, and a number on Python's scale.
  const number = (typeof level.name === 'string' ? levelFromName(level.name) : undefined)
    ?? (typeof level.no === 'number' ? levelFromNumber(level.no, false) : undefined);
  if (number === undefined) return undefined;
  const others = isJsonObject(extra) ? fieldsJson(extra) : '';
  // The traceback follows the message in the formatted text, on the lines after it (the message may have several).
  const messageAt = text.indexOf(message);
  const messageEnd = messageAt === -1 ? text.indexOf('\n') : text.indexOf('\n', messageAt + message.length);
  const traceback = exception !== null && exception !== undefined && messageEnd !== -1 ? text.slice(messageEnd + 1).replace(/\n$/, '') : '';
  return { level: number, message: recordMessage(message, others, traceback === '' ? '' : '\n' + traceback) };
}

// An object's fields as compact JSON without its braces, as JSON.stringify would write them:
// made field by field, as JSON.stringify of a small object cost more than the rest of reading a record (the bench's
// JSON log records). for…in over a parsed object: JSON.parse makes no inherited or non-enumerable keys, and no array
// of entries is made per record (the bench's recorded real output has pino's records).
function fieldsJson(object: JsonObject): string {
  let json = '';
  for (const key in object) json += (json === '' ? '' : ',') + jsonString(key) + ':' + jsonValue(object[key]);
  return json;
}

// `{` then `"` or `}` (spaces allowed): what every JSON object starts with, and a Python dict repr (`{'a': 1}`) or
// other brace text never does, so those are ruled out without a parse that would throw. From `start` in a text of
// several lines, a line that is only `{` may be said to look like one: never the other way round.
export function looksLikeJsonObject(line: string, start = 0): boolean {
  if (codeAt(line, start) !== 0x7b) return false;
  let index = start + 1;
  let code = codeAt(line, index);
  while (code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d) code = codeAt(line, ++index);
  return code === 0x22 || code === 0x7d;
}

function recordOf(record: JsonObject, layout: RecordLayout): LogRecord {
  // The other fields as compact JSON (see fieldsJson), a stack apart.
  let others = '';
  let stacks = '';
  for (const key in record) {
    if (key === layout.levelField || key === layout.messageField || key === layout.timeField) continue;
    const value = record[key];
    if (STACK_FIELDS.includes(key) && typeof value === 'string') stacks += '\n' + value;
    else if (ERROR_FIELDS.includes(key) && isJsonObject(value) && typeof value.stack === 'string') {
      stacks += '\n' + value.stack;
      const rest = { ...value };
      delete rest.stack;
      others += (others === '' ? '' : ',') + jsonString(key) + ':' + JSON.stringify(rest);
    } else {
      others += (others === '' ? '' : ',') + jsonString(key) + ':' + jsonValue(value);
    }
  }
  // A record with no text (levelOnlyRecord) is its fields.
  if (layout.messageField === undefined) return { level: layout.level, message: (others === '' ? '' : '{' + others + '}') + stacks };
  return { level: layout.level, message: recordMessage(record[layout.messageField] as string, others, stacks) };
}

// Which fields of a record give its level, message and time (`levelField` is undefined for a level inside a `log`
// object, which stays among the other fields; a record read by its level alone may have no message or time field:
// a key may be any string, the empty one too), and the level; undefined when it is not a record. Which fields they are
// depends only on the keys present and the kinds of their values, and the level only on the level field's value:
// record-shapes.ts relies on this to read lines of one shape alike.
export interface RecordLayout {
  levelField: string | undefined;
  level: number;
  messageField: string | undefined;
  timeField: string | undefined;
}

export function recordLayout(record: JsonObject): RecordLayout | undefined {
  const messageField = MESSAGE_FIELDS.find((field) => typeof record[field] === 'string');
  const timeField = TIME_FIELDS.find((field) => record[field] !== undefined);
  if (messageField === undefined || (timeField === undefined && !opensAsWinston(record))) return undefined;
  const found = levelOf(record, messageField === 'msg');
  return found === undefined ? undefined : { levelField: found.field, level: found.level, messageField, timeField };
}

// winston's default format (`format.json()`) writes no time: its records open with `level`, one of winston's own
// level names (its default, npm's), and `message`, in that order, before the fields logged with them. An item may
// open so too (an alert's `{"level": "warning", "message": …}`): only winston's names, exactly, are taken.
function opensAsWinston(record: JsonObject): boolean {
  let index = 0;
  for (const key in record) {
    if (key !== (index === 0 ? 'level' : 'message')) return false;
    if (++index === 2) return typeof record.level === 'string' && WINSTON_LEVELS.includes(record.level);
  }
  return false;
}

const WINSTON_LEVELS = ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'];

// The message sent for a record: its text, then its other fields (`"key":value` texts joined by commas) as an
// object, then its stacks (each after a newline).
export function recordMessage(text: string, others: string, stacks: string): string {
  return (others !== '' ? text + ' {' + others + '}' : text) + stacks;
}

// JSON.stringify's text for a value, without the call for the scalars records are made of.
function jsonValue(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return jsonString(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      return JSON.stringify(value);
  }
}

// What JSON.stringify escapes in a string: `"`, `\`, controls and (lone) surrogates.
const ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/;

export function jsonString(text: string): string {
  return ESCAPED.test(text) ? JSON.stringify(text) : '"' + text + '"';
}

// `pino`: a number in `level` is on pino's scale.
function levelOf(record: JsonObject, pino: boolean): { field: string | undefined; level: number } | undefined {
  for (const field of LEVEL_FIELDS) {
    let value = record[field];
    let key = field;
    if (value === undefined && field === 'log.level' && isJsonObject(record.log)) {
      value = record.log.level;
      key = 'log';
    }
    if (value === undefined) continue;
    const level = typeof value === 'string' ? levelFromName(value)
      : typeof value === 'number' ? levelFromNumber(value, field === 'level' && pino) : undefined;
    // A nested `log` object stays among the other fields: it may hold more than the level.
    return level === undefined ? undefined : { field: key === 'log' ? undefined : key, level };
  }
  return undefined;
}
