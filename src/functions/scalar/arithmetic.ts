import { type Column, ConstColumn, NumericColumn } from '../../columns/column.js';
import { createBuilder } from '../../columns/builder.js';
import { readValue } from '../../columns/values.js';
import { DbError } from '../../errors/index.js';
import { type DataType, type DecimalType, intervalType, isFloat, isInteger, T } from '../../types/data-type.js';
import type { ArgumentInfo, ExecuteContext, ResolvedFunction, ScalarFunction } from '../function.js';
import { checkArgCount, illegalTypes, illegalType } from '../core/args.js';
import { castColumn } from '../core/cast.js';
import { executeBigBinary, executeNumericBinary, executeNumericUnary, type NumericBinaryOp } from '../core/numeric-binary.js';
import {
  absResultType,
  additionResultType,
  asDecimal,
  decimalResultType,
  intDivResultType,
  isArithmeticNumber,
  moduloResultType,
  negateResultType,
  subtractionResultType,
} from '../core/type-rules.js';
import { addIntervalResolved } from './date-arith.js';

const CATEGORY = 'Arithmetic';

type OpName = 'plus' | 'minus' | 'multiply' | 'divide' | 'intDiv' | 'intDivOrZero' | 'modulo' | 'moduloOrZero' | 'gcd' | 'lcm';

const OPS: Record<OpName, NumericBinaryOp> = {
  plus: { name: 'plus', expr: 'x + y', big: (x, y) => x + y },
  minus: { name: 'minus', expr: 'x - y', big: (x, y) => x - y },
  multiply: { name: 'multiply', expr: 'x * y', big: (x, y) => x * y },
  divide: { name: 'divide', expr: 'x / y', big: (x, y) => x / y },
  intDiv: { name: 'intDiv', expr: 'Math.trunc(x / y)', big: (x, y) => x / y, checkZeroDivisor: true },
  intDivOrZero: { name: 'intDivOrZero', expr: 'y === 0 ? 0 : Math.trunc(x / y)', big: (x, y) => (y === 0n ? 0n : x / y) },
  modulo: { name: 'modulo', expr: 'x % y', big: (x, y) => x % y, checkZeroDivisor: true },
  moduloOrZero: { name: 'moduloOrZero', expr: 'y === 0 ? 0 : x % y', big: (x, y) => (y === 0n ? 0n : x % y) },
  gcd: { name: 'gcd', expr: '__gcd(x, y)', big: (x, y) => bigGcd(x, y) },
  lcm: { name: 'lcm', expr: '__lcm(x, y)', big: (x, y) => bigLcm(x, y) },
};

function bigGcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  while (b) [a, b] = [b, a % b];
  return a;
}
function bigLcm(a: bigint, b: bigint): bigint {
  if (a === 0n || b === 0n) return 0n;
  const g = bigGcd(a, b);
  const r = (a / g) * b;
  return r < 0n ? -r : r;
}
// gcd/lcm in the double path: exposed as globals the compiled kernels can see.
(globalThis as Record<string, unknown>)['__gcd'] = (x: number, y: number): number => {
  x = Math.abs(Math.trunc(x));
  y = Math.abs(Math.trunc(y));
  while (y) [x, y] = [y, x % y];
  return x;
};
(globalThis as Record<string, unknown>)['__lcm'] = (x: number, y: number): number => {
  if (x === 0 || y === 0) return 0;
  const g = ((globalThis as Record<string, unknown>)['__gcd'] as (a: number, b: number) => number)(x, y);
  return Math.abs((Math.trunc(x) / g) * Math.trunc(y));
};

function numberResultType(op: OpName, a: DataType, b: DataType): DataType {
  switch (op) {
    case 'plus':
    case 'multiply':
    case 'gcd':
    case 'lcm':
      return additionResultType(a, b);
    case 'minus':
      return subtractionResultType(a, b);
    case 'divide':
      return T.Float64;
    case 'intDiv':
    case 'intDivOrZero':
      return intDivResultType(a, b);
    case 'modulo':
    case 'moduloOrZero':
      return moduloResultType(a, b);
  }
}

const isBig = (t: DataType) => t.kind === 'Int128' || t.kind === 'Int256' || t.kind === 'UInt128' || t.kind === 'UInt256';

/** Resolves a binary arithmetic call over non-Nullable argument types. */
export function resolveArithmetic(op: OpName, args: readonly ArgumentInfo[], tz: string): ResolvedFunction {
  checkArgCount(op, args, 2);
  let a = args[0]!.type;
  let b = args[1]!.type;
  if (a.kind === 'Bool') a = T.UInt8;
  if (b.kind === 'Bool') b = T.UInt8;

  // date and time arithmetic
  if (a.kind === 'Interval' || b.kind === 'Interval') return resolveIntervalArithmetic(op, a, b, tz);
  const aTime = a.kind === 'Date' || a.kind === 'Date32' || a.kind === 'DateTime' || a.kind === 'DateTime64';
  const bTime = b.kind === 'Date' || b.kind === 'Date32' || b.kind === 'DateTime' || b.kind === 'DateTime64';
  if (aTime || bTime) return resolveTimeArithmetic(op, a, b, aTime, bTime, tz);

  if (a.kind === 'Decimal' || b.kind === 'Decimal') return resolveDecimalArithmetic(op, a, b);
  if (!isArithmeticNumber(a) || !isArithmeticNumber(b)) throw illegalTypes(op, [args[0]!.type, args[1]!.type]);
  const rt = numberResultType(op, a, b);
  const impl = OPS[op];
  if (isBig(a) || isBig(b) || isBig(rt)) {
    if (isFloat(rt)) return floatViaCast(impl, a, b, rt, tz);
    return { returnType: rt, execute: (cols, rows) => executeBigBinary(impl, cols[0]!, cols[1]!, rt, rows) };
  }
  return { returnType: rt, execute: (cols, rows) => executeNumericBinary(impl, cols[0]!, cols[1]!, rt, rows) };
}

function floatViaCast(impl: NumericBinaryOp, a: DataType, b: DataType, rt: DataType, tz: string): ResolvedFunction {
  return {
    returnType: rt,
    execute: (cols, rows) =>
      executeNumericBinary(impl, castColumn(cols[0]!, a, T.Float64, { timezone: tz }), castColumn(cols[1]!, b, T.Float64, { timezone: tz }), rt, rows),
  };
}

function resolveDecimalArithmetic(op: OpName, a: DataType, b: DataType): ResolvedFunction {
  if (isFloat(a) || isFloat(b)) {
    // Decimal with Float computes in Float64.
    const impl = OPS[op];
    const rt = op === 'intDiv' || op === 'intDivOrZero' ? T.Int64 : T.Float64;
    return floatViaCast(impl, a, b, rt, 'UTC');
  }
  const da = asDecimal(a);
  const db = asDecimal(b);
  if (!da || !db) throw illegalTypes(op, [a, b]);
  if (op === 'gcd' || op === 'lcm') throw illegalTypes(op, [a, b]);
  if (op === 'intDiv' || op === 'intDivOrZero') {
    // intDiv over decimals: integer quotient of the real values
    return {
      returnType: T.Int64,
      execute(cols, rows) {
        return decimalRowwise(cols, rows, a, b, T.Int64, (x, y) => {
          const xs = x * 10n ** BigInt(db.scale);
          const ys = y * 10n ** BigInt(da.scale);
          if (ys === 0n) {
            if (op === 'intDivOrZero') return 0n;
            throw new DbError('ILLEGAL_DIVISION', 'Division by zero');
          }
          return xs / ys;
        });
      },
    };
  }
  const rt = decimalResultType(op === 'moduloOrZero' ? 'modulo' : (op as 'plus' | 'minus' | 'multiply' | 'divide' | 'modulo'), da, db);
  const sa = BigInt(rt.scale - da.scale);
  const sb = BigInt(rt.scale - db.scale);
  const fn = ((): ((x: bigint, y: bigint) => bigint) => {
    switch (op) {
      case 'plus':
        return (x, y) => x * 10n ** sa + y * 10n ** sb;
      case 'minus':
        return (x, y) => x * 10n ** sa - y * 10n ** sb;
      case 'multiply':
        return (x, y) => x * y;
      case 'divide': {
        const k = 10n ** BigInt(db.scale);
        return (x, y) => {
          if (y === 0n) throw new DbError('ILLEGAL_DIVISION', 'Division by zero');
          return (x * k) / y;
        };
      }
      case 'modulo':
      case 'moduloOrZero':
        return (x, y) => {
          const ys = y * 10n ** sb;
          if (ys === 0n) {
            if (op === 'moduloOrZero') return 0n;
            throw new DbError('ILLEGAL_DIVISION', 'Division by zero');
          }
          return (x * 10n ** sa) % ys;
        };
      default:
        throw illegalTypes(op, [a, b]);
    }
  })();
  return { returnType: rt, execute: (cols, rows) => decimalRowwise(cols, rows, a, b, rt, fn) };
}

function scaledOf(t: DataType, v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  return BigInt(Math.trunc(v as number));
}

function decimalRowwise(cols: Column[], rows: number, a: DataType, b: DataType, rt: DataType, fn: (x: bigint, y: bigint) => bigint): Column {
  const [ca, cb] = cols as [Column, Column];
  const aConst = ca.kind === 'const';
  const bConst = cb.kind === 'const';
  const n = aConst && bConst ? 1 : rows;
  const builder = createBuilder(rt, n);
  const wrap = (v: bigint) => {
    if (rt.kind !== 'Decimal') return v;
    const limit = 10n ** BigInt((rt as DecimalType).precision);
    if (v >= limit || v <= -limit) throw new DbError('DECIMAL_OVERFLOW', 'Decimal math overflow');
    return v;
  };
  const x0 = aConst ? scaledOf(a, readValue(a, ca.inner, 0)) : 0n;
  const y0 = bConst ? scaledOf(b, readValue(b, cb.inner, 0)) : 0n;
  for (let i = 0; i < n; i++) {
    const x = aConst ? x0 : scaledOf(a, readValue(a, ca, i));
    const y = bConst ? y0 : scaledOf(b, readValue(b, cb, i));
    builder.push(wrap(fn(x, y)));
  }
  const res = builder.build();
  return aConst && bConst ? new ConstColumn(res, rows) : res;
}

function resolveIntervalArithmetic(op: OpName, a: DataType, b: DataType, tz: string): ResolvedFunction {
  if (a.kind === 'Interval' && b.kind === 'Interval') {
    if (a.unit !== b.unit || (op !== 'plus' && op !== 'minus')) throw illegalTypes(op, [a, b]);
    return { returnType: a, execute: (cols, rows) => executeNumericBinary(OPS[op], cols[0]!, cols[1]!, T.Float64, rows) };
  }
  if (a.kind === 'Interval' && op === 'plus') {
    const r = addIntervalResolved(b, a.unit, 1, tz);
    return { returnType: r.returnType, execute: (cols, rows, ctx) => r.execute([cols[1]!, cols[0]!], rows, ctx) };
  }
  if (b.kind === 'Interval' && (op === 'plus' || op === 'minus')) {
    return addIntervalResolved(a, b.unit, op === 'plus' ? 1 : -1, tz);
  }
  if (a.kind === 'Interval' && (op === 'multiply' || op === 'divide' || op === 'intDiv') && isInteger(b)) {
    return { returnType: intervalType(a.unit), execute: (cols, rows) => executeNumericBinary(OPS[op === 'divide' ? 'intDiv' : op], cols[0]!, cols[1]!, T.Float64, rows) };
  }
  throw illegalTypes(op, [a, b]);
}

function resolveTimeArithmetic(op: OpName, a: DataType, b: DataType, aTime: boolean, bTime: boolean, tz: string): ResolvedFunction {
  const ctx = { timezone: tz };
  if (aTime && bTime) {
    if (op !== 'minus') throw illegalTypes(op, [a, b]);
    // Date - Date → days; DateTime - DateTime → seconds (Int32 as ClickHouse 18.16 returns)
    if (a.kind === 'DateTime64' || b.kind === 'DateTime64') {
      const p = Math.max(a.kind === 'DateTime64' ? a.precision : 0, b.kind === 'DateTime64' ? b.precision : 0);
      const target: DataType = { kind: 'DateTime64', name: `DateTime64(${p})`, precision: p } as DataType;
      return {
        returnType: T.Int64,
        execute: (cols, rows) => executeNumericBinary(OPS.minus, castColumn(cols[0]!, a, target, ctx), castColumn(cols[1]!, b, target, ctx), T.Int64, rows),
      };
    }
    const days = (a.kind === 'Date' || a.kind === 'Date32') && (b.kind === 'Date' || b.kind === 'Date32');
    const target = days ? T.Int32 : T.Int32;
    const conv = (c: Column, t: DataType) => (days ? castColumn(c, t, T.Int32, ctx) : t.kind === 'DateTime' ? castColumn(c, t, T.Int64, ctx) : castColumn(castColumn(c, t, { kind: 'DateTime', name: 'DateTime' }, ctx), { kind: 'DateTime', name: 'DateTime' }, T.Int64, ctx));
    return {
      returnType: target,
      execute: (cols, rows) => executeNumericBinary(OPS.minus, conv(cols[0]!, a), conv(cols[1]!, b), target, rows),
    };
  }
  if (op !== 'plus' && op !== 'minus') throw illegalTypes(op, [a, b]);
  if (bTime && op === 'minus') throw illegalTypes(op, [a, b]);
  const time = aTime ? a : b;
  const num = aTime ? b : a;
  if (!isInteger(num) && !isFloat(num) && num.kind !== 'Bool') throw illegalTypes(op, [a, b]);
  // Date ± n days, DateTime ± n seconds, DateTime64 ± n seconds
  const unit = time.kind === 'Date' || time.kind === 'Date32' ? 'Day' : 'Second';
  const r = addIntervalResolved(time, unit, op === 'plus' ? 1 : -1, tz);
  return {
    returnType: r.returnType,
    execute: (cols, rows, ectx) => r.execute(aTime ? [cols[0]!, cols[1]!] : [cols[1]!, cols[0]!], rows, ectx),
  };
}

function binary(name: OpName, description: string, syntax: string, extra: Partial<ScalarFunction> = {}): ScalarFunction {
  return {
    name,
    category: CATEGORY,
    description,
    syntax,
    ...extra,
    resolve: (args, ctx) => resolveArithmetic(name, args, ctx.timezone),
  };
}

function unary(name: 'negate' | 'abs', description: string, rtOf: (t: DataType) => DataType, expr: string, big: (x: bigint) => bigint, extra: Partial<ScalarFunction> = {}): ScalarFunction {
  return {
    name,
    category: CATEGORY,
    description,
    syntax: `${name}(x)`,
    ...extra,
    resolve(args) {
      checkArgCount(name, args, 1);
      let t = args[0]!.type;
      if (t.kind === 'Bool') t = T.UInt8;
      if (t.kind === 'Decimal') {
        const dt = t;
        return {
          returnType: dt,
          execute: (cols, rows) => decimalRowwise([cols[0]!, cols[0]!], rows, dt, dt, dt, (x) => big(x)),
        };
      }
      if (t.kind === 'Interval' && name === 'negate') {
        return { returnType: t, execute: (cols, rows) => executeNumericUnary({ expr, big }, cols[0]!, T.Float64, rows) };
      }
      if (!isArithmeticNumber(t)) throw illegalType(name, args[0]!.type);
      const rt = rtOf(t);
      return { returnType: rt, execute: (cols, rows) => executeNumericUnary({ expr, big }, cols[0]!, rt, rows) };
    },
  };
}

export const arithmeticFunctions: ScalarFunction[] = [
  binary('plus', 'Sum of two numbers; also Date/DateTime plus a number or an Interval', 'plus(a, b), a + b'),
  binary('minus', 'Difference of two numbers; dates minus numbers or intervals; date minus date', 'minus(a, b), a - b'),
  binary('multiply', 'Product of two numbers', 'multiply(a, b), a * b'),
  binary('divide', 'Quotient of two numbers, always Float64 (Decimal for decimals)', 'divide(a, b), a / b'),
  binary('intDiv', 'Integer division rounding toward zero; throws on division by zero', 'intDiv(a, b)'),
  binary('intDivOrZero', 'Like intDiv but returns 0 when dividing by zero', 'intDivOrZero(a, b)'),
  binary('modulo', 'Remainder of division (sign of the dividend)', 'modulo(a, b), a % b', { aliases: ['mod'] }),
  binary('moduloOrZero', 'Like modulo but returns 0 when dividing by zero', 'moduloOrZero(a, b)'),
  binary('gcd', 'Greatest common divisor', 'gcd(a, b)'),
  binary('lcm', 'Least common multiple', 'lcm(a, b)'),
  unary('negate', 'Negates a number', negateResultType, '-x', (x) => -x),
  unary('abs', 'Absolute value', absResultType, 'Math.abs(x)', (x) => (x < 0n ? -x : x), { caseInsensitive: true }),
];

/** positiveModulo / pmod: a modulo that is never negative. */
export const positiveModulo: ScalarFunction = {
  name: 'positiveModulo',
  aliases: ['pmod', 'positive_modulo'],
  category: CATEGORY,
  description: 'Remainder of division that is never negative',
  syntax: 'positiveModulo(a, b)',
  resolve(args, ctx) {
    const r = resolveArithmetic('modulo', args, ctx.timezone);
    const b = args[1]!.type;
    return {
      returnType: r.returnType.kind.startsWith('Int') ? r.returnType : r.returnType,
      execute(cols, rows, ectx: ExecuteContext) {
        const m = r.execute(cols, rows, ectx);
        const plus = resolveArithmetic('plus', [{ type: r.returnType }, { type: b }], ctx.timezone);
        const sum = plus.execute([m, cols[1]!], rows, ectx);
        const again = resolveArithmetic('modulo', [{ type: plus.returnType }, { type: b }], ctx.timezone);
        const res = again.execute([sum, cols[1]!], rows, ectx);
        return castColumn(res, again.returnType, r.returnType, ctx);
      },
    };
  },
};

export { NumericColumn };
