// The five commands of the write entrypoint, and the shapes this project gives their payloads.

export const COMMANDS = ['ITM', 'LOG', 'REQ', 'STA', 'FIN'] as const;
export type Command = (typeof COMMANDS)[number];

export function isCommand(text: string): text is Command {
  return text === 'ITM' || text === 'LOG' || text === 'REQ' || text === 'STA' || text === 'FIN';
}

export type JsonObject = { [key: string]: unknown };

// A message that passed validation. `json` is the payload's JSON text, ready to splice (not yet ASCII-escaped);
// `value` is the parsed payload, for the fields the wrapper itself reads (level, stats, outcome).
export type Message =
  | { command: 'ITM'; json: string; value: JsonObject }
  | { command: 'LOG'; json: string; value: JsonObject & { level: number; message: string } }
  | { command: 'REQ'; json: string; value: JsonObject }
  | { command: 'STA'; json: string; value: JsonObject & { stats: JsonObject } }
  | { command: 'FIN'; json: string; value: JsonObject & { outcome: string } };

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
