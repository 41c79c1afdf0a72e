import { Block, type Header } from '../../core/block.js';
import type { CompiledExpr } from '../../analyzer/compiled-expr.js';
import { ArrayColumn, type Column } from '../../columns/column.js';
import { createBuilder } from '../../columns/builder.js';
import { concatColumns, materialize, takeColumn } from '../../columns/ops.js';
import type { PlanNode } from '../../planner/plan-node.js';
import { DbError } from '../../errors/index.js';
import { tupleType, type DataType, type MapType } from '../../types/data-type.js';
import { checkCancelled, type QueryContext } from '../query-context.js';

/**
 * ARRAY JOIN: each input row is repeated once per element of the arrays (zipped; they must have equal
 * lengths), with the element columns appended. LEFT ARRAY JOIN keeps rows with empty arrays, with defaults.
 */
export class ArrayJoinNode implements PlanNode {
  readonly children: PlanNode[];
  readonly header: Header;
  constructor(
    readonly input: PlanNode,
    readonly arrays: readonly CompiledExpr[],
    readonly names: readonly string[],
    readonly isLeft: boolean,
  ) {
    this.children = [input];
    this.header = [
      ...input.header,
      ...arrays.map((a, i) => {
        const t = a.type.kind === 'Map' ? mapEntry(a.type) : a.type.kind === 'Array' ? a.type.element : undefined;
        if (!t) throw new DbError('TYPE_MISMATCH', `ARRAY JOIN requires an array argument, got ${a.type.name} for ${a.name}`);
        return { name: names[i]!, type: t };
      }),
    ];
  }
  describe(): string {
    return `${this.isLeft ? 'LEFT ' : ''}ArrayJoin (${this.names.join(', ')})`;
  }
  async *run(ctx: QueryContext): AsyncIterable<Block> {
    const width = this.input.header.length;
    for await (const block of this.input.run(ctx)) {
      checkCancelled(ctx);
      if (!block.rows) continue;
      const arrays = this.arrays.map((a) => materialize(a.eval(block, ctx.fn)) as ArrayColumn);
      const first = arrays[0]!;
      const rows = block.rows;
      let total = 0;
      for (let r = 0; r < rows; r++) {
        const len = first.offsets[r + 1]! - first.offsets[r]!;
        for (const a of arrays) {
          if (a.offsets[r + 1]! - a.offsets[r]! !== len) throw new DbError('SIZES_OF_ARRAYS_DONT_MATCH', 'Sizes of ARRAY-JOIN-ed arrays do not match');
        }
        total += len === 0 && this.isLeft ? 1 : len;
      }
      const rowIdx = new Uint32Array(total);
      const elemIdx = new Int32Array(total);
      let k = 0;
      for (let r = 0; r < rows; r++) {
        const s = first.offsets[r]!;
        const e = first.offsets[r + 1]!;
        if (s === e && this.isLeft) {
          rowIdx[k] = r;
          elemIdx[k++] = -1;
        }
        for (let j = s; j < e; j++) {
          rowIdx[k] = r;
          elemIdx[k++] = j;
        }
      }
      // Emitted in blocks of the usual size: a few long arrays must not make one enormous block.
      for (let start = 0; start < total; start += ctx.blockRows) {
        checkCancelled(ctx);
        const end = Math.min(total, start + ctx.blockRows);
        const rowPart = rowIdx.subarray(start, end);
        const elemPart = elemIdx.subarray(start, end);
        const cols: Column[] = block.columns.map((c) => takeColumn(c, rowPart));
        arrays.forEach((a, i) => cols.push(gatherElements(a.inner, elemPart, this.header[width + i]!.type)));
        yield new Block(this.header, cols, end - start);
      }
    }
  }
}

function gatherElements(inner: Column, idx: Int32Array, type: DataType): Column {
  let missing = false;
  for (let i = 0; i < idx.length; i++) if (idx[i]! < 0) missing = true;
  if (!missing) return takeColumn(inner, idx);
  const b = createBuilder(type, 1);
  b.pushDefault();
  const src = concatColumns([materialize(inner), b.build()]);
  const def = inner.length;
  return takeColumn(src, Int32Array.from(idx, (x) => (x < 0 ? def : x)));
}

function mapEntry(t: MapType) {
  return tupleType([t.key, t.value]);
}
