import { T, isInteger } from '../../types/data-type.js';
import type { Value } from '../../columns/values.js';
import { DbError } from '../../errors/index.js';
import type { ScalarFunction } from '../function.js';
import { illegalType } from '../core/args.js';
import { rowwise } from '../core/rowwise.js';
import { compareValues } from '../core/compare.js';

/** NULL-safe comparison (`a <=> b`), bit tests, jumpConsistentHash, tupleHammingDistance. */

function distinctFrom(name: string, not: boolean): ScalarFunction {
  return rowwise({
    name,
    handlesNulls: true,
    category: 'Comparison',
    description: not ? 'NULL-safe equality (a <=> b): 1 when both are NULL or equal' : 'NULL-safe inequality (a IS DISTINCT FROM b)',
    syntax: `${name}(a, b)`,
    minArgs: 2,
    bind() {
      return {
        returnType: T.UInt8,
        row(v) {
          const [a, b] = v as [Value, Value];
          const same = a === null || b === null ? a === b : compareValues(a, b) === 0;
          return same === not ? 1 : 0;
        },
      };
    },
  });
}

function bitTestMany(name: string, all: boolean): ScalarFunction {
  return rowwise({
    name,
    category: 'Bit',
    description: all ? 'Returns 1 when every one of the given bits of x is set' : 'Returns 1 when any of the given bits of x is set',
    syntax: `${name}(x, pos1, pos2, …)`,
    minArgs: 2,
    maxArgs: Infinity,
    bind(args) {
      args.forEach((a, i) => {
        if (!isInteger(a.type)) throw illegalType(name, a.type, i);
      });
      return {
        returnType: T.UInt8,
        row(v) {
          const x = BigInt(v[0] as number | bigint);
          const bits = v.slice(1).map((p) => Number((x >> BigInt(p as number | bigint)) & 1n));
          return (all ? bits.every((b) => b === 1) : bits.some((b) => b === 1)) ? 1 : 0;
        },
      };
    },
  });
}

const jumpConsistentHash = rowwise({
  name: 'jumpConsistentHash',
  category: 'Hash',
  description: "Jump consistent hash (Lamping & Veach): the bucket in [0, buckets) for a UInt64 key",
  syntax: 'jumpConsistentHash(key, buckets)',
  minArgs: 2,
  bind(args) {
    args.forEach((a, i) => {
      if (!isInteger(a.type)) throw illegalType('jumpConsistentHash', a.type, i);
    });
    return {
      returnType: T.Int32,
      row(v) {
        const buckets = Number(v[1]);
        if (buckets <= 0) throw new DbError('BAD_ARGUMENTS', 'The second argument of function jumpConsistentHash (number of buckets) must be positive number');
        let key = BigInt.asUintN(64, BigInt(v[0] as number | bigint));
        let b = -1;
        let j = 0;
        while (j < buckets) {
          b = j;
          key = BigInt.asUintN(64, key * 2862933555777941757n + 1n);
          j = Math.floor((b + 1) * (2147483648 / (Number(key >> 33n) + 1)));
        }
        return b;
      },
    };
  },
});

const tupleHammingDistance = rowwise({
  name: 'tupleHammingDistance',
  category: 'Tuple',
  description: 'The number of positions at which two tuples of the same size differ',
  syntax: 'tupleHammingDistance(t1, t2)',
  minArgs: 2,
  bind(args) {
    const [a, b] = [args[0]!.type, args[1]!.type];
    if (a.kind !== 'Tuple') throw illegalType('tupleHammingDistance', a, 0);
    if (b.kind !== 'Tuple') throw illegalType('tupleHammingDistance', b, 1);
    if (a.elements.length !== b.elements.length) throw new DbError('BAD_ARGUMENTS', 'Expected tuples of the same size as arguments of function tupleHammingDistance');
    const n = a.elements.length;
    return {
      returnType: n < 256 ? T.UInt8 : T.UInt16,
      row(v) {
        const [x, y] = v as [Value[], Value[]];
        let d = 0;
        for (let k = 0; k < n; k++) if (compareValues(x[k]!, y[k]!) !== 0) d++;
        return d;
      },
    };
  },
});

export const miscExtraFunctions: ScalarFunction[] = [
  distinctFrom('isNotDistinctFrom', true),
  distinctFrom('isDistinctFrom', false),
  bitTestMany('bitTestAny', false),
  bitTestMany('bitTestAll', true),
  jumpConsistentHash,
  tupleHammingDistance,
];
