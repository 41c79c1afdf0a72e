import type { Value } from '../../columns/values.js';

/**
 * Ordering of row values as ClickHouse orders them: numbers numerically (bigint and number mixed),
 * strings by UTF-8 bytes, arrays and tuples lexicographically, NaN after everything (for sorting),
 * NULL last unless told otherwise.
 */
export function compareValues(a: Value, b: Value, nullsFirst = false): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return b === null || b === undefined ? 0 : nullsFirst ? -1 : 1;
  if (b === null || b === undefined) return nullsFirst ? 1 : -1;
  const ta = typeof a;
  const tb = typeof b;
  if (ta === 'number' && tb === 'number') return compareNumbers(a as number, b as number);
  if ((ta === 'number' || ta === 'bigint') && (tb === 'number' || tb === 'bigint')) return compareMixed(a as number | bigint, b as number | bigint);
  if (ta === 'string' && tb === 'string') return compareStringsUtf8(a as string, b as string);
  if (ta === 'boolean' && tb === 'boolean') return (a ? 1 : 0) - (b ? 1 : 0);
  if (a instanceof Uint8Array && b instanceof Uint8Array) return compareBytes(a, 0, a.length, b, 0, b.length);
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      const c = compareValues(a[i]!, b[i]!, nullsFirst);
      if (c) return c;
    }
    return a.length - b.length;
  }
  if (ta === 'boolean') return compareValues(a ? 1 : 0, b, nullsFirst);
  if (tb === 'boolean') return compareValues(a, b ? 1 : 0, nullsFirst);
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

/** NaN sorts after every number (ClickHouse's default for ORDER BY and min/max ignore NaN specially). */
export function compareNumbers(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  if (a === b) return 0;
  const an = a !== a;
  const bn = b !== b;
  return an === bn ? 0 : an ? 1 : -1;
}

function compareMixed(a: number | bigint, b: number | bigint): number {
  if (typeof a === 'number' && a !== a) return typeof b === 'number' && b !== b ? 0 : 1;
  if (typeof b === 'number' && b !== b) return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Strings in UTF-8 byte order (UTF-16 code unit order differs only around surrogates). */
export function compareStringsUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      const xs = x >= 0xd800 && x <= 0xdfff;
      const ys = y >= 0xd800 && y <= 0xdfff;
      if (xs !== ys) return xs ? 1 : -1; // a surrogate (code point >= 0x10000) sorts after any BMP char
      return x - y;
    }
  }
  return a.length - b.length;
}

export function compareBytes(a: Uint8Array, as: number, ae: number, b: Uint8Array, bs: number, be: number): number {
  const la = ae - as;
  const lb = be - bs;
  const n = la < lb ? la : lb;
  for (let i = 0; i < n; i++) {
    const d = a[as + i]! - b[bs + i]!;
    if (d) return d;
  }
  return la - lb;
}

export function valuesEqual(a: Value, b: Value): boolean {
  return compareValues(a, b) === 0 && !(typeof a === 'number' && a !== a);
}
