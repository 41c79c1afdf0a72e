import { Block, concatBlocks, type Header } from '../../core/block.js';
import type { Column } from '../../columns/column.js';
import { readValue, type Value } from '../../columns/values.js';
import { makeGroupIndex } from '../../exec/operators/aggregate.js';
import type { PlanNode } from '../../planner/plan-node.js';
import { checkCancelled, type QueryContext } from '../../exec/query-context.js';
import { simpleType, type DataType } from '../../types/data-type.js';

/** Where a keyed stream's key, version and delta columns sit in a block. */
export interface KeyLayout {
  readonly keys: readonly number[];
  readonly version: number;
  /** −1 when the rows carry no `_tp_delta`. */
  readonly delta: number;
}

export function keyLayout(header: Header, keys: readonly string[], version: string, delta: string | undefined): KeyLayout {
  const at = (n: string): number => header.findIndex((c) => c.name === n);
  return { keys: keys.map(at), version: at(version), delta: delta ? at(delta) : -1 };
}

/** Reads row values of one column as comparable JS values (numbers, bigints, strings). */
export function valueReader(type: DataType, col: Column): (row: number) => Value {
  if (col.kind === 'numeric') {
    const d = col.data;
    return (r) => d[r]!;
  }
  return (r) => readValue(type, col, r);
}

export function deltaAt(col: Column | undefined): (row: number) => number {
  if (!col) return () => 1;
  if (col.kind === 'numeric') {
    const d = col.data;
    return (r) => Number(d[r]!);
  }
  if (col.kind === 'const') {
    const v = Number(readValue(simpleType('Int8'), col.inner, 0));
    return () => v;
  }
  return () => 1;
}

/**
 * Each key's latest row among `blocks` (read in arrival order): the row with the largest version, the later
 * one on ties. A key whose latest row is a retraction (`_tp_delta` −1) is deleted. Rows keep their order.
 */
export function latestPerKey(header: Header, blocks: Block[], layout: KeyLayout): Block {
  const all = concatBlocks(header, blocks);
  const rows = all.rows;
  if (!rows) return all;
  const index = makeGroupIndex(layout.keys.map((k) => header[k]!.type));
  const ids = new Uint32Array(rows);
  index.assign(layout.keys.map((k) => all.columns[k]!), rows, ids);
  const best = new Int32Array(index.size).fill(-1);
  const vcol = all.columns[layout.version];
  const version = vcol && vcol.kind !== 'nothing' ? valueReader(header[layout.version]!.type, vcol) : undefined;
  for (let i = 0; i < rows; i++) {
    const g = ids[i]!;
    const b = best[g]!;
    // Later rows win ties: `version(i) >= version(b)`, written so that NaN-free comparisons of mixed number/bigint work.
    if (b < 0 || !version || !(version(i)! < version(b)!)) best[g] = i;
  }
  const delta = deltaAt(layout.delta >= 0 ? all.columns[layout.delta] : undefined);
  const mask = new Uint8Array(rows);
  let count = 0;
  for (let g = 0; g < best.length; g++) {
    const r = best[g]!;
    if (r >= 0 && delta(r) > 0) {
      mask[r] = 1;
      count++;
    }
  }
  return count === rows ? all : all.filter(mask, count);
}

/** The historical read of a changelog_kv / versioned_kv stream: every key's latest live row. */
export class LatestPerKeyNode implements PlanNode {
  readonly children: PlanNode[];
  readonly header: Header;

  constructor(
    readonly input: PlanNode,
    private readonly keys: readonly string[],
    private readonly version: string,
    private readonly delta: string | undefined,
  ) {
    this.children = [input];
    this.header = input.header;
  }

  describe(): string {
    return `LatestPerKey (keys: ${this.keys.join(', ')}; version: ${this.version})`;
  }

  async *run(ctx: QueryContext): AsyncIterable<Block> {
    const blocks: Block[] = [];
    for await (const b of this.input.run(ctx)) {
      checkCancelled(ctx);
      if (b.rows) blocks.push(b);
    }
    const out = latestPerKey(this.header, blocks, keyLayout(this.header, this.keys, this.version, this.delta));
    if (out.rows) yield out;
  }
}
