// Keeps a stats object within what storage accepts: at most 65,536 bytes encoded, where every `/` counts twice
// (storage escapes it). One oversized STA would lose every stat, so the largest values go first and the small
// counters people look at survive; how many keys went is itself a stat.

import { asciiJson } from '../protocol/ascii.js';
import { MAX_STATS_BYTES } from '../protocol/limits.js';
import type { JsonObject } from '../protocol/message.js';

export const DROPPED_STATS_KEY = 'shub_entrypoint/stats_dropped_keys';

// The size storage counts for a piece of JSON text.
export function storedSize(json: string): number {
  const ascii = asciiJson(json);
  let slashes = 0;
  for (let index = ascii.indexOf('/'); index !== -1; index = ascii.indexOf('/', index + 1)) slashes++;
  return ascii.length + slashes;
}

export function limitStats(stats: JsonObject, maxBytes = MAX_STATS_BYTES): JsonObject {
  const total = storedSize(JSON.stringify(stats));
  if (total <= maxBytes) return stats;

  // Each entry costs its `"key":value` text plus a comma; the dropped-keys counter needs room of its own.
  const entries = Object.entries(stats)
    .filter(([key]) => key !== DROPPED_STATS_KEY)
    .map(([key, value]) => ({ key, value, size: storedSize(JSON.stringify({ [key]: value })) - 2 + 1 }));
  const reserve = storedSize(JSON.stringify({ [DROPPED_STATS_KEY]: entries.length })) + 1;
  let size = total + reserve;
  const dropped = new Set<string>();
  for (const entry of [...entries].sort((a, b) => b.size - a.size)) {
    if (size <= maxBytes) break;
    dropped.add(entry.key);
    size -= entry.size;
  }
  const previouslyDropped = typeof stats[DROPPED_STATS_KEY] === 'number' ? (stats[DROPPED_STATS_KEY] as number) : 0;
  const kept: JsonObject = {};
  for (const { key, value } of entries) if (!dropped.has(key)) kept[key] = value;
  kept[DROPPED_STATS_KEY] = previouslyDropped + dropped.size;
  return kept;
}
