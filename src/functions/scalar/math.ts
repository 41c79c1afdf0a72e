import { type Column, ConstColumn, NumericColumn } from '../../columns/column.js';
import { createBuilder } from '../../columns/builder.js';
import { readValue } from '../../columns/values.js';
import { DbError } from '../../errors/index.js';
import { type DataType, isFloat, isInteger, T } from '../../types/data-type.js';
import type { ResolvedFunction, ScalarFunction } from '../function.js';
import { checkArgCount, constNumber, illegalType } from '../core/args.js';
import { castColumn } from '../core/cast.js';
import { executeNumericBinary, executeNumericUnary } from '../core/numeric-binary.js';
import { selectBranches } from '../core/select.js';
import { leastSupertype } from '../core/type-rules.js';
import { resolveComparison } from './comparison.js';

const CATEGORY = 'Mathematical';

function isNumeric(t: DataType): boolean {
  return isInteger(t) || isFloat(t) || t.kind === 'Decimal' || t.kind === 'Bool';
}

/** f(x) → Float64, computed in doubles. */
function floatUnary(name: string, expr: string, description: string, aliases: string[] = [], caseInsensitive = false): ScalarFunction {
  return {
    name,
    aliases,
    caseInsensitive,
    category: CATEGORY,
    description,
    syntax: `${name}(x)`,
    resolve(args, ctx) {
      checkArgCount(name, args, 1);
      const t = args[0]!.type;
      if (!isNumeric(t)) throw illegalType(name, t);
      const c = { timezone: ctx.timezone };
      return {
        returnType: T.Float64,
        execute: (cols, rows) => executeNumericUnary({ expr, big: () => 0n }, castColumn(cols[0]!, t, T.Float64, c), T.Float64, rows),
      };
    },
  };
}

function floatBinary(name: string, expr: string, description: string, aliases: string[] = [], caseInsensitive = false): ScalarFunction {
  return {
    name,
    aliases,
    caseInsensitive,
    category: CATEGORY,
    description,
    syntax: `${name}(x, y)`,
    resolve(args, ctx) {
      checkArgCount(name, args, 2);
      for (let i = 0; i < 2; i++) if (!isNumeric(args[i]!.type)) throw illegalType(name, args[i]!.type, i);
      const c = { timezone: ctx.timezone };
      return {
        returnType: T.Float64,
        execute: (cols, rows) =>
          executeNumericBinary({ name, expr, big: () => 0n }, castColumn(cols[0]!, args[0]!.type, T.Float64, c), castColumn(cols[1]!, args[1]!.type, T.Float64, c), T.Float64, rows),
      };
    },
  };
}

function constantFunction(name: string, value: number, description: string, aliases: string[] = []): ScalarFunction {
  return {
    name,
    aliases,
    caseInsensitive: aliases.length > 0,
    category: CATEGORY,
    description,
    syntax: `${name}()`,
    resolve(args) {
      checkArgCount(name, args, 0);
      return { returnType: T.Float64, execute: (_c, rows) => new ConstColumn(new NumericColumn(Float64Array.of(value)), rows) };
    },
  };
}

// ------------------------------------------------------------------ rounding

type RoundMode = 'round' | 'bankers' | 'floor' | 'ceil' | 'trunc';

/** Rounds a double to `digits` decimal places (negative: tens, hundreds …). */
export function roundFloat(x: number, digits: number, mode: RoundMode): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** Math.abs(digits);
  const scaled = digits >= 0 ? x * f : x / f;
  let r: number;
  switch (mode) {
    case 'round':
    case 'bankers': {
      // nearbyint: round half to even (ClickHouse's float rounding)
      const fl = Math.floor(scaled);
      const diff = scaled - fl;
      if (diff > 0.5) r = fl + 1;
      else if (diff < 0.5) r = fl;
      else r = fl % 2 === 0 ? fl : fl + 1;
      break;
    }
    case 'floor':
      r = Math.floor(scaled);
      break;
    case 'ceil':
      r = Math.ceil(scaled);
      break;
    default:
      r = Math.trunc(scaled);
  }
  const out = digits >= 0 ? r / f : r * f;
  return out === 0 ? 0 * Math.sign(x) || 0 : out;
}

/** Integer rounding to 10^-digits (digits < 0); round mode goes half away from zero, bankers half to even. */
export function roundBig(x: bigint, digits: number, mode: RoundMode): bigint {
  if (digits >= 0) return x;
  const f = 10n ** BigInt(-digits);
  const q = x / f;
  const rem = x - q * f;
  if (rem === 0n) return x;
  const neg = x < 0n;
  switch (mode) {
    case 'trunc':
      return q * f;
    case 'floor':
      return (neg ? q - 1n : q) * f;
    case 'ceil':
      return (neg ? q : q + 1n) * f;
    default: {
      const twice = (neg ? -rem : rem) * 2n;
      let up: boolean;
      if (twice > f) up = true;
      else if (twice < f) up = false;
      else up = mode === 'round' ? true : (neg ? -q : q) % 2n !== 0n;
      return (up ? (neg ? q - 1n : q + 1n) : q) * f;
    }
  }
}

function roundFunction(name: string, mode: RoundMode, description: string, aliases: string[] = []): ScalarFunction {
  return {
    name,
    aliases,
    caseInsensitive: name !== 'roundBankers',
    category: CATEGORY,
    description,
    syntax: `${name}(x[, N])`,
    resolve(args): ResolvedFunction {
      checkArgCount(name, args, 1, 2);
      const t = args[0]!.type;
      if (!isNumeric(t)) throw illegalType(name, t);
      const digits = args.length > 1 ? constNumber(name, args, 1) : 0;
      const rt = t.kind === 'Bool' ? T.UInt8 : t;
      if (isFloat(t)) {
        const fn = (x: number) => roundFloat(x, digits, mode);
        (globalThis as Record<string, unknown>)[`__round_${mode}_${digits < 0 ? 'm' + -digits : digits}`] = fn;
        const expr = `__round_${mode}_${digits < 0 ? 'm' + -digits : digits}(x)`;
        return { returnType: rt, execute: (cols, rows) => executeNumericUnary({ expr, big: (x) => x }, cols[0]!, rt, rows) };
      }
      if (t.kind === 'Decimal') {
        const scale = t.scale;
        return {
          returnType: rt,
          execute(cols, rows) {
            const c = cols[0]!;
            const n = c.kind === 'const' ? 1 : rows;
            const b = createBuilder(rt, n);
            for (let i = 0; i < n; i++) {
              const v = readValue(t, c.kind === 'const' ? c.inner : c, i) as bigint;
              // round in the scaled domain: keep `digits` of the `scale` fractional digits
              b.push(roundBig(v, Math.min(0, digits - scale), mode === 'round' ? 'round' : mode));
            }
            const res = b.build();
            return c.kind === 'const' ? new ConstColumn(res, rows) : res;
          },
        };
      }
      if (digits >= 0) return { returnType: rt, execute: (cols) => cols[0]! };
      return {
        returnType: rt,
        execute(cols, rows) {
          const c = cols[0]!;
          const n = c.kind === 'const' ? 1 : rows;
          const b = createBuilder(rt, n);
          for (let i = 0; i < n; i++) {
            const v = readValue(rt, c.kind === 'const' ? c.inner : c, i);
            const r = roundBig(BigInt(v as number | bigint), digits, mode);
            b.push(typeof v === 'bigint' ? r : Number(r));
          }
          const res = b.build();
          return c.kind === 'const' ? new ConstColumn(res, rows) : res;
        },
      };
    },
  };
}

// ------------------------------------------------------------------ greatest / least

function extremum(name: 'greatest' | 'least'): ScalarFunction {
  return {
    name,
    caseInsensitive: true,
    category: CATEGORY,
    description: `The ${name === 'greatest' ? 'largest' : 'smallest'} of the arguments`,
    syntax: `${name}(a, b, …)`,
    resolve(args, ctx): ResolvedFunction {
      checkArgCount(name, args, 1, Infinity);
      const rt = leastSupertype(args.map((a) => a.type));
      const c = { timezone: ctx.timezone };
      const cmp = resolveComparison(name === 'greatest' ? 'greater' : 'less', rt, rt, ctx.timezone);
      return {
        returnType: rt,
        execute(cols, rows) {
          let best = castColumn(cols[0]!, args[0]!.type, rt, c);
          for (let k = 1; k < cols.length; k++) {
            const next = castColumn(cols[k]!, args[k]!.type, rt, c);
            const better = cmp([next, best], rows);
            const m = better.kind === 'const' ? (better.inner as NumericColumn).data : (better as NumericColumn).data;
            const branch = new Uint8Array(rows);
            for (let i = 0; i < rows; i++) branch[i] = m[better.kind === 'const' ? 0 : i] ? 0 : 1;
            best = selectBranches(branch, [next, best], rows);
          }
          return best;
        },
      };
    },
  };
}

// ------------------------------------------------------------------ predicates and misc

function floatPredicate(name: string, expr: string, description: string): ScalarFunction {
  return {
    name,
    category: CATEGORY,
    description,
    syntax: `${name}(x)`,
    resolve(args, ctx) {
      checkArgCount(name, args, 1);
      const t = args[0]!.type;
      if (!isNumeric(t)) throw illegalType(name, t);
      if (!isFloat(t)) {
        const v = name === 'isFinite' ? 1 : 0;
        return { returnType: T.UInt8, execute: (_c, rows) => new ConstColumn(new NumericColumn(Uint8Array.of(v)), rows) };
      }
      const c = { timezone: ctx.timezone };
      return { returnType: T.UInt8, execute: (cols, rows) => executeNumericUnary({ expr, big: () => 0n }, castColumn(cols[0]!, t, T.Float64, c), T.UInt8, rows) };
    },
  };
}

const sign: ScalarFunction = {
  name: 'sign',
  aliases: ['SIGN'],
  caseInsensitive: true,
  category: CATEGORY,
  description: '-1, 0 or 1 by the sign of x',
  syntax: 'sign(x)',
  resolve(args, ctx) {
    checkArgCount('sign', args, 1);
    const t = args[0]!.type;
    if (!isNumeric(t)) throw illegalType('sign', t);
    const c = { timezone: ctx.timezone };
    return { returnType: T.Int8, execute: (cols, rows) => executeNumericUnary({ expr: 'x > 0 ? 1 : x < 0 ? -1 : 0', big: (x) => (x > 0n ? 1n : x < 0n ? -1n : 0n) }, castColumn(cols[0]!, t, T.Float64, c), T.Int8, rows) };
  },
};

function intExp(name: string, base: number): ScalarFunction {
  return {
    name,
    category: CATEGORY,
    description: `${base} to the power of x, as UInt64`,
    syntax: `${name}(x)`,
    resolve(args, ctx) {
      checkArgCount(name, args, 1);
      const t = args[0]!.type;
      if (!isNumeric(t)) throw illegalType(name, t);
      const c = { timezone: ctx.timezone };
      return {
        returnType: T.UInt64,
        execute: (cols, rows) =>
          executeNumericUnary({ expr: `x < 0 ? 0 : Math.pow(${base}, Math.trunc(x))`, big: (x) => BigInt(base) ** x }, castColumn(cols[0]!, t, T.Float64, c), T.UInt64, rows),
      };
    },
  };
}

const ifNotFinite: ScalarFunction = {
  name: 'ifNotFinite',
  category: CATEGORY,
  description: 'x when it is finite, else alt',
  syntax: 'ifNotFinite(x, alt)',
  resolve(args, ctx) {
    checkArgCount('ifNotFinite', args, 2);
    const rt = leastSupertype([args[0]!.type, args[1]!.type]);
    const c = { timezone: ctx.timezone };
    return {
      returnType: rt,
      execute(cols, rows) {
        const x = castColumn(cols[0]!, args[0]!.type, rt, c);
        const alt = castColumn(cols[1]!, args[1]!.type, rt, c);
        const xs = castColumn(cols[0]!, args[0]!.type, T.Float64, c);
        const d = (xs.kind === 'const' ? (xs.inner as NumericColumn).data : (xs as NumericColumn).data) as Float64Array;
        const branch = new Uint8Array(rows);
        for (let i = 0; i < rows; i++) branch[i] = Number.isFinite(d[xs.kind === 'const' ? 0 : i]!) ? 0 : 1;
        return selectBranches(branch, [x, alt], rows);
      },
    };
  },
};

function erf(x: number): number {
  // Abramowitz-Stegun 7.1.26 refined with a series for small |x|
  const t = 1 / (1 + 0.5 * Math.abs(x));
  const y = 1 - t * Math.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? y : -y;
}

function lgamma(x: number): number {
  const g = 7;
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61503916999185, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x);
  x -= 1;
  let a = c[0]!;
  const t = x + g + 0.5;
  for (let i = 1; i < g + 2; i++) a += c[i]! / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}
(globalThis as Record<string, unknown>)['__erf'] = erf;
(globalThis as Record<string, unknown>)['__lgamma'] = lgamma;
(globalThis as Record<string, unknown>)['__tgamma'] = (x: number) => (x <= 0 && Number.isInteger(x) ? NaN : Math.sign(x > 0 ? 1 : Math.sin(Math.PI * x) < 0 ? -1 : 1) * Math.exp(lgamma(x)) * (x < 0 ? Math.sign(1 / Math.sin(Math.PI * x)) * Math.sign(1) : 1));

const factorial: ScalarFunction = {
  name: 'factorial',
  category: CATEGORY,
  description: 'n! as UInt64 (0 for negative n; n at most 20)',
  syntax: 'factorial(n)',
  resolve(args, ctx) {
    checkArgCount('factorial', args, 1);
    const t = args[0]!.type;
    if (!isInteger(t)) throw illegalType('factorial', t);
    const c = { timezone: ctx.timezone };
    return {
      returnType: T.UInt64,
      execute(cols, rows) {
        const xs = castColumn(cols[0]!, t, T.Float64, c);
        const d = (xs.kind === 'const' ? (xs.inner as NumericColumn).data : (xs as NumericColumn).data) as Float64Array;
        const n = xs.kind === 'const' ? 1 : rows;
        const out = new BigUint64Array(n);
        for (let i = 0; i < n; i++) {
          const k = d[i]!;
          if (k > 20) throw new DbError('BAD_ARGUMENTS', 'The maximum value for the input argument of function factorial is 20');
          let f = 1n;
          for (let j = 2; j <= k; j++) f *= BigInt(j);
          out[i] = k < 0 ? 0n : f;
        }
        const res = new NumericColumn(out);
        return xs.kind === 'const' ? new ConstColumn(res, rows) : res;
      },
    };
  },
};

export const mathFunctions: ScalarFunction[] = [
  floatUnary('sqrt', 'Math.sqrt(x)', 'Square root', ['SQRT'], true),
  floatUnary('cbrt', 'Math.cbrt(x)', 'Cube root'),
  floatUnary('exp', 'Math.exp(x)', 'e to the power of x', ['EXP'], true),
  floatUnary('exp2', 'Math.pow(2, x)', '2 to the power of x'),
  floatUnary('exp10', 'Math.pow(10, x)', '10 to the power of x'),
  floatUnary('log', 'Math.log(x)', 'Natural logarithm', ['ln', 'LN', 'LOG'], true),
  floatUnary('log2', 'Math.log2(x)', 'Base-2 logarithm', ['LOG2'], true),
  floatUnary('log10', 'Math.log10(x)', 'Base-10 logarithm', ['LOG10'], true),
  floatUnary('log1p', 'Math.log1p(x)', 'log(1 + x)'),
  floatUnary('sin', 'Math.sin(x)', 'Sine', ['SIN'], true),
  floatUnary('cos', 'Math.cos(x)', 'Cosine', ['COS'], true),
  floatUnary('tan', 'Math.tan(x)', 'Tangent', ['TAN'], true),
  floatUnary('asin', 'Math.asin(x)', 'Arc sine', ['ASIN'], true),
  floatUnary('acos', 'Math.acos(x)', 'Arc cosine', ['ACOS'], true),
  floatUnary('atan', 'Math.atan(x)', 'Arc tangent', ['ATAN'], true),
  floatUnary('sinh', 'Math.sinh(x)', 'Hyperbolic sine'),
  floatUnary('cosh', 'Math.cosh(x)', 'Hyperbolic cosine'),
  floatUnary('tanh', 'Math.tanh(x)', 'Hyperbolic tangent'),
  floatUnary('asinh', 'Math.asinh(x)', 'Inverse hyperbolic sine'),
  floatUnary('acosh', 'Math.acosh(x)', 'Inverse hyperbolic cosine'),
  floatUnary('atanh', 'Math.atanh(x)', 'Inverse hyperbolic tangent'),
  floatUnary('degrees', 'x * 180 / Math.PI', 'Radians to degrees', ['DEGREES'], true),
  floatUnary('radians', 'x * Math.PI / 180', 'Degrees to radians', ['RADIANS'], true),
  floatUnary('erf', '__erf(x)', 'Error function'),
  floatUnary('erfc', '1 - __erf(x)', 'Complementary error function'),
  floatUnary('lgamma', '__lgamma(x)', 'Logarithm of the gamma function'),
  floatUnary('tgamma', '__tgamma(x)', 'Gamma function'),
  floatUnary('sigmoid', '1 / (1 + Math.exp(-x))', 'Logistic sigmoid'),
  floatBinary('pow', 'Math.pow(x, y)', 'x to the power of y', ['power', 'POW', 'POWER'], true),
  floatBinary('atan2', 'Math.atan2(x, y)', 'atan2(y, x): the angle of the point (x, y)', ['ATAN2'], true),
  floatBinary('hypot', 'Math.hypot(x, y)', 'Length of the hypotenuse', ['HYPOT'], true),
  constantFunction('pi', Math.PI, 'The number π', ['PI']),
  constantFunction('e', Math.E, 'The number e', ['E']),
  roundFunction('round', 'round', 'Rounds to N decimal places (half to even for floats, half away from zero for integers and decimals)', ['ROUND']),
  roundFunction('roundBankers', 'bankers', "Rounds to N decimal places with banker's rounding (half to even)"),
  roundFunction('floor', 'floor', 'Largest number with N decimal places not above x', ['FLOOR']),
  roundFunction('ceil', 'ceil', 'Smallest number with N decimal places not below x', ['ceiling', 'CEIL', 'CEILING']),
  roundFunction('trunc', 'trunc', 'x with decimal places beyond N dropped', ['truncate', 'TRUNC', 'TRUNCATE']),
  extremum('greatest'),
  extremum('least'),
  floatPredicate('isNaN', 'x !== x ? 1 : 0', 'Returns 1 for NaN'),
  floatPredicate('isFinite', 'Number.isFinite(x) ? 1 : 0', 'Returns 1 when x is neither infinite nor NaN'),
  floatPredicate('isInfinite', 'x === Infinity || x === -Infinity ? 1 : 0', 'Returns 1 for ±inf'),
  ifNotFinite,
  sign,
  intExp('intExp2', 2),
  intExp('intExp10', 10),
  factorial,
];

export { executeNumericBinary, castColumn };
export type { Column };
