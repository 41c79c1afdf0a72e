import { T, type DataType, isInteger } from '../../types/data-type.js';
import type { ScalarFunction } from '../function.js';
import { checkArgCount, illegalType, illegalTypes } from '../core/args.js';
import { executeBigBinary, executeNumericBinary, executeNumericUnary } from '../core/numeric-binary.js';
import { bitResultType, constructNumber, numberSize } from '../core/type-rules.js';
import { rowwise } from '../core/rowwise.js';

const CATEGORY = 'Bit';

const isBig = (t: DataType) => t.kind === 'Int128' || t.kind === 'Int256' || t.kind === 'UInt128' || t.kind === 'UInt256';

function intArg(name: string, t: DataType, i: number): DataType {
  if (t.kind === 'Bool') return T.UInt8;
  if (!isInteger(t)) throw illegalType(name, t, i);
  return t;
}

function bitBinary(name: string, expr: string, big: (x: bigint, y: bigint) => bigint, description: string, shift = false): ScalarFunction {
  return {
    name,
    category: CATEGORY,
    description,
    syntax: `${name}(a, b)`,
    resolve(args) {
      checkArgCount(name, args, 2);
      const a = intArg(name, args[0]!.type, 0);
      const b = intArg(name, args[1]!.type, 1);
      if (!isInteger(a) || !isInteger(b)) throw illegalTypes(name, [a, b]);
      const rt = shift ? a : bitResultType(a, b);
      const e = name === 'bitShiftRight' && !a.kind.startsWith('UInt') ? 'y >= 32 ? (x < 0 ? -1 : 0) : x >> y' : expr;
      const op = { name, expr: e, big, bits32Only: true };
      if (isBig(a) || isBig(b) || isBig(rt)) return { returnType: rt, execute: (cols, rows) => executeBigBinary(op, cols[0]!, cols[1]!, rt, rows) };
      return { returnType: rt, execute: (cols, rows) => executeNumericBinary(op, cols[0]!, cols[1]!, rt, rows) };
    },
  };
}

const bitNot: ScalarFunction = {
  name: 'bitNot',
  category: CATEGORY,
  description: 'Bitwise NOT',
  syntax: 'bitNot(a)',
  resolve(args) {
    checkArgCount('bitNot', args, 1);
    const a = intArg('bitNot', args[0]!.type, 0);
    const rt = constructNumber(!a.kind.startsWith('UInt'), false, numberSize(a));
    const is64 = numberSize(a) >= 8;
    return { returnType: rt, execute: (cols, rows) => executeNumericUnary({ expr: is64 ? 'NaN' : '~x', big: (x) => ~x }, cols[0]!, rt, rows) };
  },
};

const bitCount = rowwise({
  name: 'bitCount',
  category: CATEGORY,
  description: 'Number of set bits',
  syntax: 'bitCount(x)',
  minArgs: 1,
  bind(args) {
    const t = intArg('bitCount', args[0]!.type, 0);
    const bits = numberSize(t) * 8;
    return {
      returnType: T.UInt8,
      row(v) {
        let x = BigInt.asUintN(bits, BigInt(v[0] as number | bigint));
        let c = 0;
        while (x) {
          c += Number(x & 1n);
          x >>= 1n;
        }
        return c;
      },
    };
  },
});

const bitTest = rowwise({
  name: 'bitTest',
  category: CATEGORY,
  description: 'The bit of x at position n (0 = least significant)',
  syntax: 'bitTest(x, n)',
  minArgs: 2,
  bind(args) {
    intArg('bitTest', args[0]!.type, 0);
    return { returnType: T.UInt8, row: (v) => Number((BigInt(v[0] as number | bigint) >> BigInt(v[1] as number | bigint)) & 1n) };
  },
});

function rotate(name: string, left: boolean): ScalarFunction {
  return rowwise({
    name,
    category: CATEGORY,
    description: `Rotates the bits ${left ? 'left' : 'right'} by n`,
    syntax: `${name}(x, n)`,
    minArgs: 2,
    bind(args) {
      const t = intArg(name, args[0]!.type, 0);
      const bits = BigInt(numberSize(t) * 8);
      const signed = !t.kind.startsWith('UInt');
      return {
        returnType: t,
        row(v) {
          const x = BigInt.asUintN(Number(bits), BigInt(v[0] as number | bigint));
          const n = BigInt(v[1] as number | bigint) % bits;
          const r = left ? ((x << n) | (x >> (bits - n))) : ((x >> n) | (x << (bits - n)));
          const w = signed ? BigInt.asIntN(Number(bits), r) : BigInt.asUintN(Number(bits), r);
          return bits >= 64n ? w : Number(w);
        },
      };
    },
  });
}

export const bitFunctions: ScalarFunction[] = [
  bitBinary('bitAnd', 'x & y', (x, y) => x & y, 'Bitwise AND'),
  bitBinary('bitOr', 'x | y', (x, y) => x | y, 'Bitwise OR'),
  bitBinary('bitXor', 'x ^ y', (x, y) => x ^ y, 'Bitwise XOR'),
  bitBinary('bitShiftLeft', 'y >= 32 ? 0 : x << y', (x, y) => x << y, 'Shifts the bits left by n (within the type width)', true),
  bitBinary('bitShiftRight', 'y >= 32 ? 0 : x >>> y', (x, y) => x >> y, 'Shifts the bits right by n', true),
  bitNot,
  bitCount,
  bitTest,
  rotate('bitRotateLeft', true),
  rotate('bitRotateRight', false),
];
