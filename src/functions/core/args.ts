import type { DataType } from '../../types/data-type.js';
import { DbError } from '../../errors/index.js';
import type { ArgumentInfo } from '../function.js';
import type { Value } from '../../columns/values.js';

/** Argument checks shared by every function, with ClickHouse's messages. */

export function checkArgCount(name: string, args: readonly unknown[], min: number, max = min): void {
  const n = args.length;
  if (n < min || n > max) {
    const expected = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
    throw new DbError(
      'NUMBER_OF_ARGUMENTS_DOESNT_MATCH',
      `Number of arguments for function ${name} doesn't match: passed ${n}, should be ${expected}`,
    );
  }
}

export function illegalType(name: string, t: DataType, position?: number): DbError {
  const where = position === undefined ? '' : ` (position ${position + 1})`;
  return new DbError('ILLEGAL_TYPE_OF_ARGUMENT', `Illegal type ${t.name} of argument${where} of function ${name}`);
}

export function illegalTypes(name: string, types: readonly DataType[]): DbError {
  return new DbError(
    'ILLEGAL_TYPE_OF_ARGUMENT',
    `Illegal types ${types.map((t) => t.name).join(' and ')} of arguments of function ${name}`,
  );
}

/** The constant value of an argument, or an error saying it must be constant. */
export function constArg(name: string, args: readonly ArgumentInfo[], i: number): Value {
  const a = args[i];
  if (!a || !a.constant) {
    throw new DbError('ILLEGAL_COLUMN', `Argument ${i + 1} of function ${name} must be constant`);
  }
  return a.constant.value;
}

export function constString(name: string, args: readonly ArgumentInfo[], i: number): string {
  const v = constArg(name, args, i);
  if (typeof v !== 'string') throw new DbError('ILLEGAL_TYPE_OF_ARGUMENT', `Argument ${i + 1} of function ${name} must be a constant string`);
  return v;
}

export function constNumber(name: string, args: readonly ArgumentInfo[], i: number): number {
  const v = constArg(name, args, i);
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  throw new DbError('ILLEGAL_TYPE_OF_ARGUMENT', `Argument ${i + 1} of function ${name} must be a constant number`);
}

/** An optional constant string argument (timezone and the like): undefined when absent. */
export function optionalConstString(name: string, args: readonly ArgumentInfo[], i: number): string | undefined {
  if (args.length <= i) return undefined;
  return constString(name, args, i);
}
