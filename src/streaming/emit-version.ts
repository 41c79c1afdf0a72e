import { NumericColumn, type Column } from '../columns/column.js';
import { T } from '../types/data-type.js';
import type { AggregateFunction, AggregateFunctionDescriptor, AggregateStates } from '../functions/function.js';

/** The emission counter an `emit_version()` call reads; the streaming aggregation sets it before each emit. */
export interface EmitVersionFunction extends AggregateFunction {
  /** `perRow`, when set, gives each finalized group its own number (per-substream versions). */
  readonly emitVersion: { value: number; perRow?: Float64Array };
}

export function isEmitVersion(fn: AggregateFunction): fn is EmitVersionFunction {
  return (fn as Partial<EmitVersionFunction>).emitVersion !== undefined;
}

/** Holds no per-group state: every group of one emission shares the emission's number. */
class EmitVersionStates implements AggregateStates {
  constructor(private readonly version: { value: number; perRow?: Float64Array }) {}
  resize(): void {}
  add(): void {}
  addAll(): void {}
  mergeFrom(): void {}
  finalize(groups: number): Column {
    const per = this.version.perRow;
    if (per) return new NumericColumn(BigUint64Array.from(per.subarray(0, groups), (v) => BigInt(v)));
    return new NumericColumn(new BigUint64Array(groups).fill(BigInt(this.version.value)));
  }
  getState(): unknown {
    return 0;
  }
  mergeState(): void {}
  serializeState(): Uint8Array {
    return new Uint8Array(0);
  }
  deserializeState(): unknown {
    return 0;
  }
}

/** Proton's `emit_version()`: the number of the emission a streaming aggregation result belongs to (from 0). */
export const emitVersion: AggregateFunctionDescriptor = {
  name: 'emit_version',
  aliases: ['emitVersion'],
  category: 'Streaming',
  description: 'The sequence number (from 0) of the emission a streaming aggregation result row belongs to.',
  syntax: 'emit_version()',
  handlesNulls: true,
  nullResultNotNullable: true,
  resolve() {
    const version: { value: number; perRow?: Float64Array } = { value: 0 };
    return { returnType: T.UInt64, emitVersion: version, createStates: () => new EmitVersionStates(version) } as EmitVersionFunction;
  },
};
