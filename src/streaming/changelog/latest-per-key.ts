import { Block, concatBlocks, type Header } from '../../core/block.js';
import type { Column } from '../../columns/column.js';
import { readValue, type Value } from '../../columns/values.js';
import { makeGroupIndex } from '../../exec/operators/aggregate.js';
import type { PlanNode } from '../../planner/plan-node.js';
import { checkCancelled, type QueryContext } from '../../exec/query-context.js';
import { simpleType, type DataType } from '../../types/data-type.js';
import { collapseSurvivors } from '../../storage/parts/key-compaction.js';

/** Where a keyed stream's key, version and delta columns sit in a block. */
export interface KeyLayout {
  readonly keys: readonly number[];
  readonly version: number;
  /** −1 when the rows carry no `_tp_delta`. */
  readonly delta: number;
  /** changelog_kv: a key's rows collapse as Proton's VersionedCollapsing merge does, not latest-wins. */
  readonly collapse?: boolean;
}

export function keyLayout(
  header: Header,
  keys: readonly string[],
  version: string,
  delta: string | undefined,
  collapse = false,
): KeyLayout {
  const at = (n: string): number => header.findIndex((c) => c.name === n);
  return { keys: keys.map(at), version: at(version), delta: delta ? at(delta) : -1, collapse };
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
  if (layout.collapse && layout.delta >= 0) return collapsePerKey(header, all, layout);
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

/**
 * A changelog_kv stream's live rows, as Proton's merge of its history (VersionedCollapsing on `_tp_delta`)
 * leaves them: in version order a −1 cancels the key's newest +1. A proper changelog (−1 of the old row before
 * +1 of the new) leaves the latest row; two +1 rows without a −1 between them both stay until retracted.
 * Residual −1 rows retract nothing that is still here and are dropped. Rows keep their order.
 */
function collapsePerKey(header: Header, all: Block, layout: KeyLayout): Block {
  const name = (i: number): string => header[i]!.name;
  const vcol = all.columns[layout.version];
  const version = vcol && vcol.kind !== 'nothing' ? name(layout.version) : undefined;
  const survivors = collapseSurvivors(all, layout.keys.map(name), version, name(layout.delta));
  const delta = deltaAt(all.columns[layout.delta]);
  const mask = new Uint8Array(all.rows);
  let count = 0;
  for (const r of survivors) if (delta(r) > 0) (mask[r] = 1), count++;
  return count === all.rows ? all : all.filter(mask, count);
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
    private readonly collapse = false,
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
    const layout = keyLayout(this.header, this.keys, this.version, this.delta, this.collapse);
    const out = latestPerKey(this.header, blocks, layout);
    if (out.rows) yield out;
  }
}
