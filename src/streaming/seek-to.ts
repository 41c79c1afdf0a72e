import { baseType, removeLowCardinality, type DataType } from '../types/data-type.js';
import type { TailStart } from '../storage/table-storage.js';
import { DbError } from '../errors/index.js';
import { parseValueText } from '../types/text-conversion.js';

const RELATIVE = /^-\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/i;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds → a value of a time column's type (its storage unit). */
export function msToTimeValue(type: DataType, ms: number): number {
  switch (type.kind) {
    case 'DateTime64':
      return Math.round(ms * 10 ** (type.precision - 3));
    case 'DateTime':
      return Math.floor(ms / 1000);
    case 'Date':
    case 'Date32':
      return Math.floor(ms / 86_400_000);
    default:
      return ms;
  }
}

/** A value of a time column's type → milliseconds since the epoch. */
export function timeValueToMs(type: DataType, v: number): number {
  switch (type.kind) {
    case 'DateTime64':
      return v / 10 ** (type.precision - 3);
    case 'DateTime':
      return v * 1000;
    case 'Date':
    case 'Date32':
      return v * 86_400_000;
    default:
      return v;
  }
}

/**
 * Proton's `seek_to`: '' / 'latest' (only new events), 'earliest' (all history), a relative time ('-5s',
 * '-2h'), an absolute time ('2024-01-01 00:00:00'), or a sequence number.
 */
export function parseSeekTo(text: string, timeType: DataType, timezone: string, nowMs: number): TailStart {
  const t = text.trim();
  if (t === '' || t.toLowerCase() === 'latest') return { kind: 'latest' };
  if (t.toLowerCase() === 'earliest') return { kind: 'earliest' };
  const rel = RELATIVE.exec(t);
  if (rel) return { kind: 'time', value: msToTimeValue(timeType, nowMs - Number(rel[1]) * UNIT_MS[rel[2]!.toLowerCase()]!) };
  // Sequence numbers, one per shard in Proton ('5' or '5,7'): Hadron has one shard.
  if (/^\d+(,\d+)*$/.test(t)) return { kind: 'sn', sn: Number(t.split(',')[0]) };
  try {
    const v = parseValueText(removeLowCardinality(baseType(timeType)), t, timezone);
    if (typeof v === 'number') return { kind: 'time', value: v };
  } catch {
    /* fall through to the error below */
  }
  throw new DbError('BAD_ARGUMENTS', `Invalid seek_to '${text}': expected 'earliest', 'latest', a relative time like '-5s', a timestamp or a sequence number`);
}
