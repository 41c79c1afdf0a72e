import type { Value } from '../../columns/values.js';
import { DbError } from '../../errors/index.js';
import { arrayType, decimalType, isFloat, isInteger, isUnsigned, T, type DataType } from '../../types/data-type.js';
import type { AggregateFunctionDescriptor } from '../function.js';
import { objectAggregate } from './object-states.js';

/**
 * The values in arrival order; the moving sums / averages are computed at finalize, as ClickHouse's
 * groupArrayMoving* do (their state is the array of values too).
 */
interface MovingState {
  values: Value[];
}

type Kind = 'sum' | 'avg';

/** ClickHouse's accumulator type: Int64 / UInt64 / Float64 for sums, Float64 for averages, Decimal128 for decimals. */
function resultElement(kind: Kind, t: DataType, name: string): DataType {
  if (t.kind === 'Decimal') return decimalType(38, t.scale);
  if (kind === 'avg' && (isInteger(t) || isFloat(t))) return T.Float64;
  if (isFloat(t)) return T.Float64;
  if (isInteger(t) && !/128|256/.test(t.kind)) return isUnsigned(t) ? T.UInt64 : T.Int64;
  throw new DbError('ILLEGAL_TYPE_OF_ARGUMENT', `Illegal type ${t.name} of argument of aggregate function ${name}`);
}

function windowParam(name: string, params: readonly Value[]): number | undefined {
  if (!params.length) return undefined;
  if (params.length > 1) throw new DbError('NUMBER_OF_ARGUMENTS_DOESNT_MATCH', `Aggregate function ${name} requires at most one parameter (the window size)`);
  const n = Number(params[0]);
  if (!Number.isInteger(n) || n <= 0) throw new DbError('BAD_ARGUMENTS', `Parameter for aggregate function ${name} should be a positive integer`);
  return n;
}

/**
 * `groupArrayMovingSum([window])(x)` / `groupArrayMovingAvg([window])(x)`: for each value in arrival order, the
 * sum of the last `window` values (all so far without one); the average divides that sum by `window` (by the
 * number of values without one), as ClickHouse does. Proton spells them `moving_sum(x[, window])`, `moving_avg`.
 */
function moving(name: string, kind: Kind, protonName: string): AggregateFunctionDescriptor {
  return {
    name,
    aliases: [protonName],
    category: 'Aggregate',
    description: kind === 'sum' ? 'The moving sums of the values in arrival order' : 'The moving averages of the values in arrival order',
    syntax: `${name}([window_size])(x), ${protonName}(x[, window_size])`,
    constantArgsFrom: 1,
    resolve(params, argTypes) {
      if (argTypes.length !== 1) throw new DbError('NUMBER_OF_ARGUMENTS_DOESNT_MATCH', `Aggregate function ${name} requires 1 argument`);
      const window = windowParam(name, params);
      const element = resultElement(kind, argTypes[0]!, name);
      const big = element.kind !== 'Float64';
      return objectAggregate<MovingState>(arrayType(element), argTypes, {
        create: () => ({ values: [] }),
        add(s, v) {
          s.values.push(v[0]!);
          return s;
        },
        merge(into, from) {
          for (const x of from.values) into.values.push(x);
          return into;
        },
        finalize(s) {
          const n = s.values.length;
          const size = window ?? n;
          const out: Value[] = new Array(n);
          // Prefix sums, a window being the difference of two, as ClickHouse computes them (same float rounding).
          if (big) {
            const prefix: bigint[] = new Array(n);
            let sum = 0n;
            for (let i = 0; i < n; i++) {
              sum += BigInt(s.values[i] as bigint | number);
              prefix[i] = sum;
              const w = i < size ? sum : sum - prefix[i - size]!;
              out[i] = kind === 'sum' ? w : w / BigInt(size);
            }
          } else {
            const prefix = new Float64Array(n);
            let sum = 0;
            for (let i = 0; i < n; i++) {
              sum += Number(s.values[i]);
              prefix[i] = sum;
              const w = i < size ? sum : sum - prefix[i - size]!;
              out[i] = kind === 'sum' ? w : w / size;
            }
          }
          return out;
        },
      });
    },
  };
}

export const movingFunctions: AggregateFunctionDescriptor[] = [
  moving('groupArrayMovingSum', 'sum', 'moving_sum'),
  moving('groupArrayMovingAvg', 'avg', 'moving_avg'),
];
