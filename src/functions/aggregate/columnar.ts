import type { Column, NumericArray } from '../../columns/column.js';

/**
 * Building blocks of columnar aggregate states: typed arrays indexed by group id that grow by doubling,
 * and per-input-type compiled loops so `acc[g[i]] += x[i]` stays monomorphic (see DESIGN.md: no per-row
 * allocation, no Maps on hot paths).
 */

export function growFloat64<T extends Float64Array>(a: T, n: number, fill = 0): T {
  if (n <= a.length) return a;
  const next = new Float64Array(Math.max(n, a.length * 2, 16));
  next.set(a);
  if (fill !== 0) next.fill(fill, a.length);
  return next as T;
}

export function growUint8<T extends Uint8Array>(a: T, n: number): T {
  if (n <= a.length) return a;
  const next = new Uint8Array(Math.max(n, a.length * 2, 16));
  next.set(a);
  return next as T;
}

export function growBig(a: BigInt64Array, n: number): BigInt64Array {
  if (n <= a.length) return a;
  const next = new BigInt64Array(Math.max(n, a.length * 2, 16));
  next.set(a);
  return next;
}

export function growArray<T>(a: T[], n: number, make: () => T): void {
  while (a.length < n) a.push(make());
}

type GroupKernel = (acc: Float64Array, ids: Uint32Array, data: NumericArray, n: number, aux: Uint8Array) => void;
type AllKernel = (data: NumericArray, n: number, init: number) => number;

const groupKernels = new Map<string, GroupKernel>();
const allKernels = new Map<string, AllKernel>();

const GROUP_BODIES: Record<string, string> = {
  sum: 'acc[ids[i]] += data[i];',
  count: 'acc[ids[i]] += 1;',
  min: 'const g = ids[i]; const x = data[i]; if (aux[g] === 0 || x < acc[g]) { acc[g] = x; aux[g] = 1; }',
  max: 'const g = ids[i]; const x = data[i]; if (aux[g] === 0 || x > acc[g]) { acc[g] = x; aux[g] = 1; }',
  any: 'const g = ids[i]; if (aux[g] === 0) { acc[g] = data[i]; aux[g] = 1; }',
  anyLast: 'const g = ids[i]; acc[g] = data[i]; aux[g] = 1;',
  sumAbs: 'acc[0] += Math.abs(data[i]);',
};

/** acc[ids[i]] op= data[i] for a numeric (non-BigInt) input array; `aux` is a per-group "has value" flag. */
export function groupKernel(op: keyof typeof GROUP_BODIES, data: NumericArray): GroupKernel {
  const key = `${op}|${data.constructor.name}`;
  let k = groupKernels.get(key);
  if (!k) {
    k = new Function('acc', 'ids', 'data', 'n', 'aux', `for (let i = 0; i < n; i++) { ${GROUP_BODIES[op]} }`) as GroupKernel;
    groupKernels.set(key, k);
  }
  return k;
}

const ALL_BODIES: Record<string, string> = {
  sum: 'let s0 = init, s1 = 0, s2 = 0, s3 = 0; let i = 0; for (; i + 3 < n; i += 4) { s0 += data[i]; s1 += data[i + 1]; s2 += data[i + 2]; s3 += data[i + 3]; } for (; i < n; i++) s0 += data[i]; return s0 + s1 + s2 + s3;',
  sumAbs: 'let s = init; for (let i = 0; i < n; i++) s += Math.abs(data[i]); return s;',
  min: 'let m = init; for (let i = 0; i < n; i++) { const x = data[i]; if (x < m) m = x; } return m;',
  max: 'let m = init; for (let i = 0; i < n; i++) { const x = data[i]; if (x > m) m = x; } return m;',
};

/** A reduction over a whole numeric array (no GROUP BY). */
export function allKernel(op: keyof typeof ALL_BODIES, data: NumericArray): AllKernel {
  const key = `${op}|${data.constructor.name}`;
  let k = allKernels.get(key);
  if (!k) {
    k = new Function('data', 'n', 'init', ALL_BODIES[op]!) as AllKernel;
    allKernels.set(key, k);
  }
  return k;
}

/** The numeric data of an argument column, with a flag for ConstColumn (then data has one element). */
export function numericArg(col: Column): { data: NumericArray; isConst: boolean } | undefined {
  if (col.kind === 'const') return col.inner.kind === 'numeric' ? { data: col.inner.data, isConst: true } : undefined;
  return col.kind === 'numeric' ? { data: col.data, isConst: false } : undefined;
}

/** Little-endian encoding helpers for compact state bytes. */
export function f64Bytes(...xs: number[]): Uint8Array {
  return new Uint8Array(Float64Array.from(xs).buffer);
}
export function bytesF64(b: Uint8Array): Float64Array {
  const copy = new Uint8Array(b);
  return new Float64Array(copy.buffer, 0, Math.floor(copy.length / 8));
}
