import { Block, type Header } from '../core/block.js';
import { takeColumn } from '../columns/ops.js';
import { DbError } from '../errors/index.js';
import type { AggregateStates } from '../functions/function.js';
import { JsAggregateStates } from './js-aggregate-function.js';

/** What a custom emission reads from a streaming aggregation's state table (GroupTable). */
export interface CustomEmitTable {
  readonly states: readonly AggregateStates[];
  finalizeAll(header: Header): Block;
}

function customStates(table: CustomEmitTable): JsAggregateStates | undefined {
  for (const s of table.states) if (s instanceof JsAggregateStates && s.customEmit) return s;
  return undefined;
}

/** True when the aggregation holds a JavaScript UDA with `has_customized_emit: true` (it then decides when to emit). */
export function hasCustomEmit(table: CustomEmitTable): boolean {
  const s = customStates(table);
  if (s && table.states.length > 1) {
    throw new DbError('NOT_IMPLEMENTED', 'A JavaScript UDA with its own emit strategy (has_customized_emit) cannot be combined with other aggregate functions');
  }
  if (s) s.streamingEmit = true;
  return s !== undefined;
}

/**
 * Proton's UDA emit strategy: after each block, the groups whose process() said they have results ready emit
 * them, one row per result (finalize() returns the array of results), with the group's keys. Undefined when
 * no group has any.
 */
export function customEmission(table: CustomEmitTable, header: Header): Block | undefined {
  const s = customStates(table);
  if (!s) return undefined;
  const ready = s.takeCustomEmits();
  if (!ready) return undefined;
  const uda = table.states.indexOf(s);
  s.placeholderFinalize = true;
  let all: Block;
  try {
    all = table.finalizeAll(header);
  } finally {
    s.placeholderFinalize = false;
  }
  const keyCount = all.columns.length - table.states.length;
  const columns = all.columns.map((c, k) => (k === keyCount + uda ? ready.column : takeColumn(c, ready.groupOfRow)));
  return new Block(header, columns, ready.groupOfRow.length);
}
