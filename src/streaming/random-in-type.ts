import { BigNumColumn, FixedColumn, NumericColumn, StringColumn, type Column } from '../columns/column.js';
import { DbError } from '../errors/index.js';
import { T, type DataType } from '../types/data-type.js';
import { parseDataType } from '../types/type-factory.js';
import { decimalByteWidth } from '../types/data-type.js';
import type { ArgumentInfo, ScalarFunction } from '../functions/function.js';
import { RandomGenerator } from './random-column.js';

/**
 * Proton's `random_in_type(type[, num_of_uniques][, x -> expr])` (FunctionRandomInType.cpp), made for the
 * DEFAULT expressions of random streams: per row a random UInt64 id (in [0, num_of_uniques) when given) is
 * either passed to the lambda, whose result must have exactly the named type, or converted to the type as
 * Proton does: integers, dates, DateTime, IPv4 wrap it; floats take its value; Decimal and DateTime64 take it
 * as the unscaled value; String is its 8 bytes (little-endian), FixedString(N) the first min(8, N); UUID and
 * IPv6 hold it in their low 64 bits.
 */

const NAME = 'random_in_type';
const rng = new RandomGenerator();

const SUPPORTED = new Set(['Bool', 'Int8', 'Int16', 'Int32', 'Int64', 'Int128', 'Int256', 'UInt8', 'UInt16', 'UInt32', 'UInt64', 'UInt128', 'UInt256', 'Float32', 'Float64', 'Date', 'Date32', 'DateTime', 'DateTime64', 'String', 'FixedString', 'Decimal', 'UUID', 'IPv4', 'IPv6']);

/** `rows` random ids below `uniques` (undefined: any 64-bit value), as UInt64 words. */
function randomIds(rows: number, uniques: bigint | undefined): BigUint64Array {
  const ids = new BigUint64Array(rows);
  const words = new Uint32Array(ids.buffer);
  if (uniques === undefined) {
    for (let i = 0; i < words.length; i++) words[i] = rng.nextU32();
  } else if (uniques <= 0x100000000n) {
    const n = Number(uniques);
    for (let i = 0; i < rows; i++) words[2 * i] = rng.below(n);
  } else {
    for (let i = 0; i < rows; i++) ids[i] = rng.bigBits(96) % uniques;
  }
  return ids;
}

/** Proton's conversion of an id to a value of `type` (static_cast to the type's storage). */
function convertIds(type: DataType, ids: BigUint64Array): Column {
  const rows = ids.length;
  const words = new Uint32Array(ids.buffer);
  const lo = (i: number) => words[2 * i]!;
  switch (type.kind) {
    case 'Bool': {
      const d = new Uint8Array(rows);
      for (let i = 0; i < rows; i++) d[i] = (lo(i) & 0xff) !== 0 ? 1 : 0;
      return new NumericColumn(d);
    }
    case 'Int8':
    case 'UInt8':
    case 'Int16':
    case 'UInt16':
    case 'Date':
    case 'Int32':
    case 'Date32':
    case 'UInt32':
    case 'DateTime':
    case 'IPv4': {
      const Ctor = { Int8: Int8Array, UInt8: Uint8Array, Int16: Int16Array, UInt16: Uint16Array, Date: Uint16Array, Int32: Int32Array, Date32: Int32Array, UInt32: Uint32Array, DateTime: Uint32Array, IPv4: Uint32Array }[type.kind];
      const d = new Ctor(rows);
      // Typed arrays wrap on store: the low bits, as a C++ static_cast.
      for (let i = 0; i < rows; i++) d[i] = lo(i);
      return new NumericColumn(d);
    }
    case 'Int64':
      return new NumericColumn(new BigInt64Array(ids.buffer.slice(0)));
    case 'UInt64':
      return new NumericColumn(ids);
    case 'Float32':
    case 'Float64': {
      const d = type.kind === 'Float32' ? new Float32Array(rows) : new Float64Array(rows);
      for (let i = 0; i < rows; i++) d[i] = Number(ids[i]!);
      return new NumericColumn(d);
    }
    case 'DateTime64': {
      const d = new Float64Array(rows);
      for (let i = 0; i < rows; i++) d[i] = Number(BigInt.asIntN(64, ids[i]!));
      return new NumericColumn(d);
    }
    case 'Decimal': {
      const w = decimalByteWidth(type.precision);
      if (w === 4) {
        const d = new Int32Array(rows);
        for (let i = 0; i < rows; i++) d[i] = lo(i);
        return new NumericColumn(d);
      }
      if (w === 8) return new NumericColumn(new BigInt64Array(ids.buffer.slice(0)));
      return new BigNumColumn(Array.from(ids));
    }
    case 'Int128':
    case 'Int256':
    case 'UInt128':
    case 'UInt256':
      return new BigNumColumn(Array.from(ids));
    case 'String': {
      const offsets = new Uint32Array(rows + 1);
      for (let i = 0; i < rows; i++) offsets[i + 1] = 8 * (i + 1);
      return new StringColumn(new Uint8Array(ids.buffer.slice(0)), offsets);
    }
    case 'FixedString': {
      const n = type.n;
      const d = new Uint8Array(rows * n);
      const bytes = new Uint8Array(ids.buffer);
      const k = Math.min(8, n);
      for (let i = 0; i < rows; i++) d.set(bytes.subarray(8 * i, 8 * i + k), i * n);
      return new FixedColumn(d, n);
    }
    case 'UUID':
    case 'IPv6': {
      // The id is the low half of a UInt128: printed last (UUID text order; IPv6 network order).
      const d = new Uint8Array(rows * 16);
      const view = new DataView(d.buffer);
      for (let i = 0; i < rows; i++) view.setBigUint64(16 * i + 8, ids[i]!, false);
      return new FixedColumn(d, 16);
    }
    default:
      throw new DbError('BAD_ARGUMENTS', `The random_in_type doesn't support argument type '${type.name}'`);
  }
}

function constantUInt(a: ArgumentInfo, position: string): bigint {
  const v = a.constant?.value;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return BigInt(v);
  if (typeof v === 'bigint' && v >= 0n) return v;
  throw new DbError('ILLEGAL_TYPE_OF_ARGUMENT', `${position} argument of function ${NAME} should be a constant unsigned integer (the number of unique values) or a lambda`);
}

export const randomInType: ScalarFunction = {
  name: NAME,
  nonDeterministic: true,
  handlesNulls: true,
  category: 'Random',
  description:
    'A random value of the named type per row, from a random UInt64 id (below num_of_uniques when given) converted to the type or passed to the lambda (Proton; used in random stream defaults)',
  syntax: "random_in_type('type'[, num_of_uniques][, x -> expr])",
  arguments: "type: a type name, constant; num_of_uniques: how many different ids (UInt64); x -> expr: builds the value from the id x (UInt64) and must return exactly 'type'",
  returnedValue: 'A value of the named type',
  examples: "random_in_type('uint8', x -> to_uint8(x + 10), 5)",
  resolve(args) {
    if (args.length < 1 || args.length > 3) {
      throw new DbError('NUMBER_OF_ARGUMENTS_DOESNT_MATCH', `Number of arguments for function ${NAME} doesn't match: passed ${args.length}, should be 1 , 2 or 3`);
    }
    const typeName = args[0]!.constant?.value;
    if (typeof typeName !== 'string') throw new DbError('ILLEGAL_TYPE_OF_ARGUMENT', `First argument of function ${NAME} should be constant type string`);
    const type = parseDataType(typeName);
    let lambdaAt = -1;
    let uniques: bigint | undefined;
    for (let i = 1; i < args.length; i++) {
      const a = args[i]!;
      if (a.lambda) {
        if (lambdaAt >= 0) throw new DbError('ILLEGAL_TYPE_OF_ARGUMENT', `Function ${NAME} takes one lambda`);
        if (a.lambda.arity !== 1) throw new DbError('NUMBER_OF_ARGUMENTS_DOESNT_MATCH', `The lambda of function ${NAME} takes one argument (the id)`);
        const body = a.lambda.bind([T.UInt64]);
        if (body.name !== type.name) {
          throw new DbError(
            'ILLEGAL_TYPE_OF_ARGUMENT',
            `${i === 1 ? 'Second' : 'Third'} argument of function ${NAME} should be lambda function with result type ${type.name}, but actual type ${body.name}`,
          );
        }
        lambdaAt = i;
      } else {
        if (uniques !== undefined) throw new DbError('ILLEGAL_TYPE_OF_ARGUMENT', `Function ${NAME} takes one number of unique values`);
        uniques = constantUInt(a, i === 1 ? 'Second' : 'Third');
        if (uniques === 0n) throw new DbError('BAD_ARGUMENTS', `The number of unique values of function ${NAME} shall be greater than 0`);
      }
    }
    if (lambdaAt < 0 && !SUPPORTED.has(type.kind)) throw new DbError('BAD_ARGUMENTS', `The random_in_type doesn't support argument type '${type.name}'`);
    if (uniques !== undefined && uniques >= 0xffffffffffffffffn) uniques = undefined;
    return {
      returnType: type,
      execute(_cols, rows, ctx) {
        const ids = randomIds(rows, uniques);
        if (lambdaAt < 0) return convertIds(type, ids);
        const lambda = ctx.lambdas[lambdaAt];
        if (!lambda) throw new DbError('LOGICAL_ERROR', `No lambda passed to ${NAME}`);
        const rowOf = new Uint32Array(rows);
        for (let i = 0; i < rows; i++) rowOf[i] = i;
        return lambda.execute([new NumericColumn(ids)], rowOf);
      },
    };
  },
};
