import { Block, concatBlocks, type Header } from '../../core/block.js';
import type { CompiledExpr } from '../../analyzer/compiled-expr.js';
import type { Column } from '../../columns/column.js';
import { NullableColumn } from '../../columns/column.js';
import { createBuilder } from '../../columns/builder.js';
import { concatColumns, materialize, takeColumn } from '../../columns/ops.js';
import { readValue } from '../../columns/values.js';
import { valueKey } from '../../analyzer/in-set.js';
import type { JoinKind, JoinStrictness } from '../../sql/ast.js';
import type { DataType } from '../../types/data-type.js';
import type { PlanNode } from '../../planner/plan-node.js';
import { checkCancelled, type QueryContext } from '../query-context.js';
import { predicateMask } from './filter.js';

export interface JoinSpec {
  readonly kind: JoinKind;
  readonly strictness: JoinStrictness;
  /** Key expressions over the left input and the right input, pairwise equal. */
  readonly leftKeys: readonly CompiledExpr[];
  readonly rightKeys: readonly CompiledExpr[];
  /** Output header: the left columns then the right columns (types already Nullable where join_use_nulls asks). */
  readonly header: Header;
  /** Right columns whose output type is Nullable (join_use_nulls = 1) though the input is not. */
  readonly rightNullable: readonly boolean[];
  readonly leftNullable: readonly boolean[];
  /** A condition over the joined row that is not an equality of keys (evaluated on the output block). */
  readonly residual?: CompiledExpr;
  /** USING keys as [left column, right column]: unmatched right rows show the right side's key. */
  readonly usingColumns?: readonly (readonly [number, number])[];
}

function keyFn(cols: Column[], types: DataType[]): (row: number) => string | number {
  if (cols.length === 1) {
    const c = cols[0]!;
    const t = types[0]!;
    if (c.kind === 'numeric' && !(c.data instanceof BigInt64Array) && !(c.data instanceof BigUint64Array)) {
      const d = c.data as Float64Array;
      return (r) => d[r]!;
    }
    if (c.kind === 'string') return (r) => `s${c.stringAt(r)}`;
    return (r) => valueKey(readValue(t, c, r));
  }
  return (r) => {
    let s = '';
    for (let j = 0; j < cols.length; j++) s += String(valueKey(readValue(types[j]!, cols[j]!, r))) + '\u0002';
    return s;
  };
}

function hasNull(cols: Column[], r: number): boolean {
  for (const c of cols) if (c.kind === 'nullable' && c.nulls[r]) return true;
  return false;
}

/**
 * Hash join: the right side is read whole into a hash table (row chains in typed arrays), the left side
 * streams through. Unmatched rows get default values, or NULL with join_use_nulls.
 */
export class HashJoinNode implements PlanNode {
  readonly children: PlanNode[];
  readonly header: Header;
  constructor(
    readonly left: PlanNode,
    readonly right: PlanNode,
    readonly spec: JoinSpec,
  ) {
    this.children = [left, right];
    this.header = spec.header;
  }
  describe(): string {
    return `Join (${this.spec.strictness} ${this.spec.kind} ON ${this.spec.leftKeys.map((k, i) => `${k.name} = ${this.spec.rightKeys[i]!.name}`).join(' AND ') || 'true'})`;
  }

  async *run(ctx: QueryContext): AsyncIterable<Block> {
    const { kind, strictness } = this.spec;
    const rightBlocks: Block[] = [];
    for await (const b of this.right.run(ctx)) if (b.rows) rightBlocks.push(b.materialized());
    const right = concatBlocks(this.right.header, rightBlocks);
    const rightKeyCols = this.spec.rightKeys.map((k) => materialize(k.eval(right, ctx.fn)));
    const rk = keyFn(rightKeyCols, this.spec.rightKeys.map((k) => k.type));
    const head = new Map<string | number, number>();
    const next = new Int32Array(right.rows).fill(-1);
    const cross = kind === 'CROSS' || this.spec.leftKeys.length === 0;
    if (!cross) {
      // Insert in reverse so chains list rows in input order.
      for (let r = right.rows - 1; r >= 0; r--) {
        if (hasNull(rightKeyCols, r)) continue;
        const k = rk(r);
        const h = head.get(k);
        if (h !== undefined) next[r] = h;
        head.set(k, r);
      }
    }
    const rightMatched = kind === 'RIGHT' || kind === 'FULL' ? new Uint8Array(right.rows) : undefined;
    const leftOuter = kind === 'LEFT' || kind === 'FULL';
    const leftWidth = this.left.header.length;

    for await (const lb of this.left.run(ctx)) {
      checkCancelled(ctx);
      if (!lb.rows) continue;
      const block = lb.materialized();
      const li: number[] = [];
      const ri: number[] = [];
      if (cross) {
        for (let l = 0; l < block.rows; l++) {
          if (right.rows === 0 && leftOuter) {
            li.push(l);
            ri.push(-1);
          }
          for (let r = 0; r < right.rows; r++) {
            li.push(l);
            ri.push(r);
          }
        }
      } else {
        const leftKeyCols = this.spec.leftKeys.map((k) => materialize(k.eval(block, ctx.fn)));
        const lk = keyFn(leftKeyCols, this.spec.leftKeys.map((k) => k.type));
        for (let l = 0; l < block.rows; l++) {
          let r = hasNull(leftKeyCols, l) ? undefined : head.get(lk(l));
          if (strictness === 'ANTI') {
            if (r === undefined) (li.push(l), ri.push(-1));
            continue;
          }
          if (r === undefined) {
            if (leftOuter && strictness !== 'SEMI') (li.push(l), ri.push(-1));
            continue;
          }
          if (strictness === 'SEMI') {
            li.push(l);
            ri.push(r);
            continue;
          }
          if (strictness === 'ANY') {
            li.push(l);
            ri.push(r);
            if (rightMatched) rightMatched[r] = 1;
            continue;
          }
          while (r !== undefined && r >= 0) {
            li.push(l);
            ri.push(r);
            if (rightMatched) rightMatched[r] = 1;
            r = next[r]! >= 0 ? next[r]! : undefined;
          }
        }
      }
      if (!li.length) continue;
      let out = this.assemble(block, right, Int32Array.from(li), Int32Array.from(ri), leftWidth);
      if (this.spec.residual) {
        const m = predicateMask(this.spec.residual.eval(out, ctx.fn), out.rows);
        if (m === 'none') continue;
        if (m !== 'all') out = out.filter(m.mask, m.count);
      }
      yield out;
    }

    if (rightMatched) {
      const rest: number[] = [];
      for (let r = 0; r < right.rows; r++) if (!rightMatched[r]) rest.push(r);
      if (rest.length) {
        const emptyLeft = Block.empty(this.left.header);
        yield this.assemble(emptyLeft, right, new Int32Array(rest.length).fill(-1), Int32Array.from(rest), leftWidth);
      }
    }
  }

  /** Gathers left and right rows; index -1 means "no row": default value, or NULL for Nullable outputs. */
  private assemble(left: Block, right: Block, li: Int32Array, ri: Int32Array, leftWidth: number): Block {
    const n = li.length;
    const cols: Column[] = [];
    for (let c = 0; c < leftWidth; c++) {
      const pair = this.spec.usingColumns?.find(([l]) => l === c);
      if (pair && li.some((x) => x < 0) && left.header[c]!.type.name === right.header[pair[1]]!.type.name) {
        // Coalesce: the key from whichever side has the row.
        const merged = concatColumns([materialize(left.columns[c]!), materialize(right.columns[pair[1]]!)]);
        const base = left.rows;
        const key = takeColumn(merged, Int32Array.from(li, (x, i) => (x >= 0 ? x : base + Math.max(0, ri[i]!))));
        // The key always has a value; it is still Nullable-typed when join_use_nulls made the column Nullable.
        cols.push(this.spec.leftNullable[c] ? new NullableColumn(new Uint8Array(n), key) : key);
        continue;
      }
      cols.push(gatherOptional(left.columns[c]!, li, this.header[c]!.type, this.spec.leftNullable[c]!));
    }
    for (let c = 0; c < right.header.length; c++) {
      cols.push(gatherOptional(right.columns[c]!, ri, this.header[leftWidth + c]!.type, this.spec.rightNullable[c]!));
    }
    return new Block(this.header, cols, n);
  }
}

function gatherOptional(col: Column, idx: Int32Array, outType: DataType, wrapNullable: boolean): Column {
  let missing = 0;
  for (let i = 0; i < idx.length; i++) if (idx[i]! < 0) missing++;
  if (!missing) {
    const taken = takeColumn(col, idx);
    return wrapNullable ? new NullableColumn(new Uint8Array(idx.length), taken) : taken;
  }
  // Append one default row to the source and point missing rows at it.
  const innerType = wrapNullable && outType.kind === 'Nullable' ? outType.inner : outType;
  const b = createBuilder(innerType, 1);
  b.pushDefault();
  const withDefault = appendRow(col, b.build());
  const def = col.length;
  const fixed = new Int32Array(idx.length);
  const nulls = new Uint8Array(idx.length);
  for (let i = 0; i < idx.length; i++) {
    if (idx[i]! < 0) {
      fixed[i] = def;
      nulls[i] = 1;
    } else fixed[i] = idx[i]!;
  }
  const taken = takeColumn(withDefault, fixed);
  return wrapNullable ? new NullableColumn(nulls, taken) : taken;
}

function appendRow(col: Column, one: Column): Column {
  return concatColumns([materialize(col), one]);
}
