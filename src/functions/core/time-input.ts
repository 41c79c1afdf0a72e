import type { Column } from '../../columns/column.js';
import { DbError } from '../../errors/index.js';
import type { DataType } from '../../types/data-type.js';
import { checkTimezone } from '../../types/time.js';
import type { ArgumentInfo } from '../function.js';
import { constString } from './args.js';
import { toFloat64 } from './columns.js';

/**
 * Date-like inputs as numbers: Date/Date32 are day numbers (calendar, no timezone), DateTime seconds and
 * DateTime64 ticks are instants read in a timezone (the type's, an explicit argument's, or the session's).
 */
export type TimeKind = 'date' | 'datetime' | 'datetime64';

export interface TimeArg {
  readonly kind: TimeKind;
  /** 10^precision for DateTime64, else 1. */
  readonly scale: number;
  readonly precision: number;
  readonly tz: string;
}

export function timeArgOf(name: string, t: DataType, tz: string, argIndex = 0): TimeArg {
  switch (t.kind) {
    case 'Date':
    case 'Date32':
      return { kind: 'date', scale: 1, precision: 0, tz };
    case 'DateTime':
      return { kind: 'datetime', scale: 1, precision: 0, tz: t.timezone ?? tz };
    case 'DateTime64':
      return { kind: 'datetime64', scale: 10 ** t.precision, precision: t.precision, tz: t.timezone ?? tz };
    default:
      throw new DbError(
        'ILLEGAL_TYPE_OF_ARGUMENT',
        `Illegal type ${t.name} of argument${argIndex ? ` ${argIndex + 1}` : ''} of function ${name}. Should be a date or a date with time`,
      );
  }
}

/** The optional timezone argument at `i` (constant string), validated. */
export function tzArgument(name: string, args: readonly ArgumentInfo[], i: number): string | undefined {
  if (args.length <= i) return undefined;
  return checkTimezone(constString(name, args, i));
}

/** Raw values of a numeric (time) column as doubles, with constant handling. */
export function timeValues(col: Column): { data: Float64Array; isConst: boolean } {
  const isConst = col.kind === 'const';
  const c = isConst ? col.inner : col;
  if (c.kind !== 'numeric') throw new Error(`expected a numeric time column, got ${c.kind}`);
  return { data: toFloat64(c.data).data, isConst };
}
