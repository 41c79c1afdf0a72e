import { crc32c } from '../log/crc32c.js';

/**
 * Part directory names follow ClickHouse: `<partitionId>_<minSn>_<maxSn>_<level>[_<mutation>]`. The sequence
 * number range is the block-number range: a merged part covers the ranges of its sources, so at open a part
 * whose range lies inside another part of the same partition (with a higher level or mutation) is a leftover
 * of a merge or mutation that finished, and is removed.
 */
export interface PartName {
  readonly partitionId: string;
  readonly minSn: number;
  readonly maxSn: number;
  readonly level: number;
  readonly mutation: number;
}

export function formatPartName(p: PartName): string {
  const base = `${p.partitionId}_${p.minSn}_${p.maxSn}_${p.level}`;
  return p.mutation > 0 ? `${base}_${p.mutation}` : base;
}

export function parsePartName(name: string): PartName | undefined {
  const m = /^([A-Za-z0-9-]+)_(\d+)_(\d+)_(\d+)(?:_(\d+))?$/.exec(name);
  if (!m) return undefined;
  return { partitionId: m[1]!, minSn: Number(m[2]), maxSn: Number(m[3]), level: Number(m[4]), mutation: Number(m[5] ?? 0) };
}

const enc = new TextEncoder();

/**
 * A file-name-safe partition id for a partition value: the value itself when it is short and plain
 * (`20240101`, `all`), otherwise a 64-bit hash in hex, as ClickHouse does for strings and tuples.
 */
export function partitionIdOf(value: string): string {
  if (/^[A-Za-z0-9-]{1,64}$/.test(value)) return value;
  const b = enc.encode(value);
  const h1 = crc32c(b).toString(16).padStart(8, '0');
  const salted = new Uint8Array(b.length + 1);
  salted.set(b);
  salted[b.length] = 0x5a;
  const h2 = crc32c(salted).toString(16).padStart(8, '0');
  return `h${h1}${h2}`;
}

/** True when `a` makes `b` obsolete: same partition, a's range contains b's, and a is a later generation. */
export function covers(a: PartName, b: PartName): boolean {
  if (a.partitionId !== b.partitionId || a.minSn > b.minSn || b.maxSn > a.maxSn) return false;
  if (a.minSn === b.minSn && a.maxSn === b.maxSn) {
    return a.level > b.level || (a.level === b.level && a.mutation > b.mutation);
  }
  return true;
}
