import type { NumericArray } from '../../columns/column.js';

/**
 * Specialised numeric loops. A loop compiled once per (expression, argument array types, result array
 * type, const-ness) stays monomorphic, so V8 keeps it at typed-array speed. `x` and `y` name the left and
 * right values; the expression is plain JS over numbers.
 */
type BinaryKernel = (a: NumericArray, b: NumericArray, out: NumericArray, n: number) => void;
type UnaryKernel = (a: NumericArray, out: NumericArray, n: number) => void;

const binaryCache = new Map<string, BinaryKernel>();
const unaryCache = new Map<string, UnaryKernel>();

function ctorName(a: NumericArray): string {
  return a.constructor.name;
}

/** out[i] = expr(x = a[i] (or a[0] when aConst), y = b[i] (or b[0])). */
export function binaryKernel(expr: string, a: NumericArray, aConst: boolean, b: NumericArray, bConst: boolean, out: NumericArray): BinaryKernel {
  const key = `${expr}|${ctorName(a)}${aConst ? 'c' : 'v'}|${ctorName(b)}${bConst ? 'c' : 'v'}|${ctorName(out)}`;
  let k = binaryCache.get(key);
  if (!k) {
    const src = `
      ${aConst ? 'const x = a[0];' : ''}
      ${bConst ? 'const y = b[0];' : ''}
      for (let i = 0; i < n; i++) {
        ${aConst ? '' : 'const x = a[i];'}
        ${bConst ? '' : 'const y = b[i];'}
        out[i] = ${expr};
      }`;
    k = new Function('a', 'b', 'out', 'n', src) as BinaryKernel;
    binaryCache.set(key, k);
  }
  return k;
}

/** out[i] = expr(x = a[i]). */
export function unaryKernel(expr: string, a: NumericArray, out: NumericArray): UnaryKernel {
  const key = `${expr}|${ctorName(a)}|${ctorName(out)}`;
  let k = unaryCache.get(key);
  if (!k) {
    k = new Function('a', 'out', 'n', `for (let i = 0; i < n; i++) { const x = a[i]; out[i] = ${expr}; }`) as UnaryKernel;
    unaryCache.set(key, k);
  }
  return k;
}

/** A predicate loop over one array: returns true if any element satisfies expr(x). */
export function anyKernel(expr: string, a: NumericArray): (a: NumericArray, n: number) => boolean {
  const key = `any|${expr}|${ctorName(a)}`;
  let k = unaryCache.get(key) as unknown as ((a: NumericArray, n: number) => boolean) | undefined;
  if (!k) {
    k = new Function('a', 'n', `for (let i = 0; i < n; i++) { const x = a[i]; if (${expr}) return true; } return false;`) as (a: NumericArray, n: number) => boolean;
    unaryCache.set(key, k as unknown as UnaryKernel);
  }
  return k;
}
