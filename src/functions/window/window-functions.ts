import { type Column, NullableColumn, NumericColumn } from '../../columns/column.js';
import { concatColumns, defaultColumn, takeColumn } from '../../columns/ops.js';
import { DbError } from '../../errors/index.js';
import { canBeInsideNullable, type DataType, nullableType, T } from '../../types/data-type.js';
import type { ArgumentInfo } from '../function.js';
import { castColumn } from '../core/cast.js';
import { leastSupertype } from '../core/type-rules.js';
import type { ResolvedWindowFunction, WindowFunctionDescriptor, WindowPartition } from './window-function.js';

const CATEGORY = 'Window';

function u64(values: ArrayLike<number>): Column {
  const out = new BigUint64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = BigInt(values[i]!);
  return new NumericColumn(out);
}

function noArgs(name: string, args: readonly ArgumentInfo[]): void {
  if (args.length) throw new DbError('NUMBER_OF_ARGUMENTS_DOESNT_MATCH', `Window function ${name} takes no arguments`);
}

function simple(name: string, description: string, returnType: DataType, compute: (p: WindowPartition) => Column, aliases: string[] = []): WindowFunctionDescriptor {
  return {
    name,
    aliases,
    caseInsensitive: true,
    category: CATEGORY,
    description,
    syntax: `${name}() OVER (…)`,
    resolve(args) {
      noArgs(name, args);
      return { returnType, compute };
    },
  };
}

const rowNumber = simple('row_number', 'The 1-based number of the row within its partition', T.UInt64, (p) => u64(Array.from({ length: p.rows }, (_, i) => i + 1)));

const rank = simple('rank', 'Rank of the row by the window ORDER BY, with gaps after ties', T.UInt64, (p) => u64(Array.from(p.peerStart, (s) => s + 1)));

const denseRank = simple('dense_rank', 'Rank of the row by the window ORDER BY, without gaps', T.UInt64, (p) => {
  const out = new Array<number>(p.rows);
  let r = 0;
  for (let i = 0; i < p.rows; i++) {
    if (i === 0 || p.peerStart[i] !== p.peerStart[i - 1]) r++;
    out[i] = r;
  }
  return u64(out);
}, ['denseRank']);

const percentRank = simple('percent_rank', '(rank − 1) / (rows in partition − 1)', T.Float64, (p) => {
  const out = new Float64Array(p.rows);
  for (let i = 0; i < p.rows; i++) out[i] = p.rows > 1 ? p.peerStart[i]! / (p.rows - 1) : 0;
  return new NumericColumn(out);
}, ['percentRank']);

const cumeDist = simple('cume_dist', 'Fraction of partition rows ordered at or before this row (including its peers)', T.Float64, (p) => {
  const out = new Float64Array(p.rows);
  for (let i = 0; i < p.rows; i++) out[i] = p.peerEnd[i]! / p.rows;
  return new NumericColumn(out);
}, ['cumeDist']);

const ntile: WindowFunctionDescriptor = {
  name: 'ntile',
  caseInsensitive: true,
  category: CATEGORY,
  description: 'Splits the partition into n buckets as evenly as possible and returns the bucket number',
  syntax: 'ntile(n) OVER (…)',
  resolve(args) {
    if (args.length !== 1) throw new DbError('NUMBER_OF_ARGUMENTS_DOESNT_MATCH', 'Window function ntile takes one argument');
    const n = Number(args[0]!.constant?.value ?? NaN);
    if (!(n > 0) || !Number.isInteger(n)) throw new DbError('BAD_ARGUMENTS', "Argument of 'ntile' function must be a positive constant integer");
    return {
      returnType: T.UInt64,
      compute(p) {
        const out = new Array<number>(p.rows);
        const base = Math.floor(p.rows / n);
        const extra = p.rows % n;
        let row = 0;
        for (let b = 1; b <= n && row < p.rows; b++) {
          const size = base + (b <= extra ? 1 : 0);
          for (let k = 0; k < size; k++) out[row++] = b;
        }
        return u64(out);
      },
    };
  },
};

/** lagInFrame(x[, offset[, default]]) / leadInFrame: a value `offset` rows back / ahead within the frame. */
function shift(name: string, dir: -1 | 1, aliases: string[]): WindowFunctionDescriptor {
  return {
    name,
    aliases,
    category: CATEGORY,
    description: `The value ${dir < 0 ? 'offset rows before' : 'offset rows after'} the current row within the frame (default when outside it)`,
    syntax: `${name}(x[, offset[, default]]) OVER (…)`,
    resolve(args, ctx): ResolvedWindowFunction {
      if (args.length < 1 || args.length > 3) throw new DbError('NUMBER_OF_ARGUMENTS_DOESNT_MATCH', `Window function ${name} takes 1 to 3 arguments`);
      const t = args[0]!.type;
      const returnType = args.length === 3 ? leastSupertype([t, args[2]!.type]) : t;
      const c = { timezone: ctx.timezone };
      return {
        returnType,
        compute(p) {
          const x = castColumn(p.args[0]!, t, returnType, c);
          const offsets = p.args[1];
          const def = args.length === 3 ? castColumn(p.args[2]!, args[2]!.type, returnType, c) : defaultColumn(returnType, p.rows);
          const all = concatColumns([x, def]);
          const idx = new Uint32Array(p.rows);
          for (let i = 0; i < p.rows; i++) {
            const off = offsets ? Number(readNumber(offsets, i)) : 1;
            const j = i + dir * off;
            idx[i] = j >= p.frameStart[i]! && j < p.frameEnd[i]! && j >= 0 && j < p.rows ? j : p.rows + i;
          }
          return takeColumn(all, idx);
        },
      };
    },
  };
}

function readNumber(col: Column, i: number): number | bigint {
  const c = col.kind === 'const' ? col.inner : col;
  if (c.kind !== 'numeric') throw new DbError('ILLEGAL_TYPE_OF_ARGUMENT', 'Offset of lagInFrame/leadInFrame must be a number');
  return c.data[col.kind === 'const' ? 0 : i]!;
}

const nthValue: WindowFunctionDescriptor = {
  name: 'nth_value',
  category: CATEGORY,
  description: 'The value of x at the n-th row of the frame (default when the frame is shorter)',
  syntax: 'nth_value(x, n) OVER (…)',
  resolve(args): ResolvedWindowFunction {
    if (args.length !== 2) throw new DbError('NUMBER_OF_ARGUMENTS_DOESNT_MATCH', 'Window function nth_value takes two arguments');
    const t = args[0]!.type;
    const returnType = t;
    return {
      returnType,
      compute(p) {
        const all = concatColumns([p.args[0]!, defaultColumn(t, 1)]);
        const idx = new Uint32Array(p.rows);
        for (let i = 0; i < p.rows; i++) {
          const n = Number(readNumber(p.args[1]!, i));
          const j = p.frameStart[i]! + n - 1;
          idx[i] = n >= 1 && j < p.frameEnd[i]! ? j : p.rows;
        }
        return takeColumn(all, idx);
      },
    };
  },
};

/** lag/lead with SQL semantics over the whole partition (Hadron extension; ClickHouse has only the InFrame forms). */
function nullableShift(name: string, dir: -1 | 1): WindowFunctionDescriptor {
  return {
    name,
    category: CATEGORY,
    description: `The value offset rows ${dir < 0 ? 'before' : 'after'} the current row in the partition, NULL when there is none`,
    syntax: `${name}(x[, offset[, default]]) OVER (…)`,
    resolve(args, ctx): ResolvedWindowFunction {
      const inner = shift(name, dir, []).resolve(args, ctx);
      const rt = args.length === 3 || !canBeInsideNullable(inner.returnType) ? inner.returnType : nullableType(inner.returnType);
      return {
        returnType: rt,
        compute(p) {
          const whole: WindowPartition = { ...p, frameStart: new Uint32Array(p.rows), frameEnd: new Uint32Array(p.rows).fill(p.rows) };
          const res = inner.compute(whole);
          if (rt === inner.returnType) return res;
          const nulls = new Uint8Array(p.rows);
          for (let i = 0; i < p.rows; i++) {
            const off = p.args[1] ? Number(readNumber(p.args[1], i)) : 1;
            const j = i + dir * off;
            nulls[i] = j < 0 || j >= p.rows ? 1 : 0;
          }
          return new NullableColumn(nulls, res);
        },
      };
    },
  };
}

export const windowFunctions: WindowFunctionDescriptor[] = [
  rowNumber,
  rank,
  denseRank,
  percentRank,
  cumeDist,
  ntile,
  shift('lagInFrame', -1, []),
  shift('leadInFrame', 1, []),
  nthValue,
  nullableShift('lag', -1),
  nullableShift('lead', 1),
];
