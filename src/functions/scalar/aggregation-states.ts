import { type Column, ConstColumn } from '../../columns/column.js';
import { DbError } from '../../errors/index.js';
import type { AggregateFunction, ScalarFunction } from '../function.js';
import { checkArgCount, constString, illegalType } from '../core/args.js';
import { parseAggregateCall, registryRef } from './arrays.js';

const CATEGORY = 'Other';

function registry() {
  const r = registryRef.current;
  if (!r) throw new DbError('LOGICAL_ERROR', 'The function registry is not initialised');
  return r;
}

/** Finalizes one state per row: a group per row, each merged from that row's state. */
function finalizeStates(agg: AggregateFunction, col: Column, rows: number): Column {
  const states = agg.createStates();
  if (col.kind === 'const') {
    states.resize(1);
    const s = col.inner.kind === 'object' ? col.inner.data[0] : undefined;
    if (s !== undefined && s !== null) states.mergeState(0, s);
    return new ConstColumn(states.finalize(1), rows);
  }
  states.resize(rows);
  if (col.kind === 'object') {
    for (let i = 0; i < rows; i++) {
      const s = col.data[i];
      if (s !== undefined && s !== null) states.mergeState(i, s);
    }
  }
  return states.finalize(rows);
}

const finalizeAggregation: ScalarFunction = {
  name: 'finalizeAggregation',
  category: CATEGORY,
  description: 'Takes an aggregate function state (AggregateFunction type, e.g. from a -State combinator) and returns the final value of the aggregation',
  syntax: 'finalizeAggregation(state)',
  resolve(args, ctx) {
    checkArgCount('finalizeAggregation', args, 1);
    const t = args[0]!.type;
    if (t.kind !== 'AggregateFunction') {
      throw new DbError('ILLEGAL_TYPE_OF_ARGUMENT', `Argument for function finalizeAggregation must have type AggregateFunction - state of aggregate function. Got ${t.name}`);
    }
    const agg = registry().resolveAggregate(t.func, t.params, t.args, ctx);
    return { returnType: agg.returnType, execute: (cols, rows) => finalizeStates(agg, cols[0]!, rows) };
  },
};

const initializeAggregation: ScalarFunction = {
  name: 'initializeAggregation',
  category: CATEGORY,
  handlesNulls: true,
  description: 'Calculates the result of an aggregate function over each row on its own: initializeAggregation(\'sumState\', x) gives one state per row',
  syntax: "initializeAggregation('aggregate_function', arg1, arg2, …)",
  resolve(args, ctx) {
    checkArgCount('initializeAggregation', args, 2, Infinity);
    const text = constString('initializeAggregation', args, 0);
    const { name, params } = parseAggregateCall(text);
    const argTypes = args.slice(1).map((a) => a.type);
    for (const [i, a] of args.entries()) if (i > 0 && a.lambda) throw illegalType('initializeAggregation', a.type, i);
    const agg = registry().resolveAggregate(name, params, argTypes, ctx);
    return {
      returnType: agg.returnType,
      execute(cols, rows) {
        const data = cols.slice(1);
        const states = agg.createStates();
        const allConst = data.every((c) => c.kind === 'const');
        const n = allConst ? 1 : rows;
        states.resize(n);
        const ids = new Uint32Array(n);
        for (let i = 0; i < n; i++) ids[i] = i;
        const inputs = allConst ? data.map((c) => (c as ConstColumn).inner) : data;
        states.add(ids, inputs, n);
        const out = states.finalize(n);
        return allConst ? new ConstColumn(out, rows) : out;
      },
    };
  },
};

export const aggregationStateFunctions: ScalarFunction[] = [finalizeAggregation, initializeAggregation];
